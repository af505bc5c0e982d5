/*
 * A benchmark harness for scripts/bench (make bench), linked with
 * build/lib/libcordon.a.  It is not part of cordon: it only calls
 * cordon's own functions, so that a permission profile too large for one
 * command-line argument (MAX_ARG_STRLEN, 128 KiB on Linux) can still be
 * measured.
 *
 *   bench-harness parse FILE N
 *	Parse the permission profile in FILE N times in this process with
 *	policy_parse_profile(), the parser behind --permission-profile.
 *	Prints one JSON object: {"bytes":..., "entries":..., "times_s":[...]},
 *	one time per parse (parsing only: the file is read once, before).
 *
 *   bench-harness explain FILE ARG...
 *	Run cordon_main("cordon", ARG...) in this process, every ARG that is
 *	exactly "@PROFILE" replaced by the contents of FILE: the same code
 *	path as `cordon explain ... --permission-profile "$(cat FILE)"`, with
 *	no limit on the size of the profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cordon.h"
#include "policy.h"

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap + 1);
			if (buf == NULL) {
				perror("realloc");
				exit(2);
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		perror(path);
		exit(2);
	}
	fclose(f);
	/* Like "$(cat FILE)": without the trailing newlines. */
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
do_parse(const char *file, long n)
{
	size_t len;
	char *json = slurp(file, &len), err[512];
	size_t entries = 0;

	printf("{\"bytes\": %zu, \"times_s\": [", len);
	for (long i = 0; i < n; i++) {
		struct policy p;
		double t0 = now(), t1;

		if (policy_parse_profile(json, &p, err, sizeof(err)) < 0) {
			fprintf(stderr, "bench-harness: %s: %s\n", file, err);
			return 1;
		}
		t1 = now();
		entries = p.n;
		policy_free(&p);
		printf("%s%.9f", i > 0 ? ", " : "", t1 - t0);
	}
	printf("], \"entries\": %zu}\n", entries);
	free(json);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "parse") == 0) {
		long n = strtol(argv[3], NULL, 10);

		return do_parse(argv[2], n > 0 ? n : 1);
	}
	if (argc >= 4 && strcmp(argv[1], "explain") == 0) {
		size_t len;
		char *json = slurp(argv[2], &len);
		char **av = calloc((size_t)argc, sizeof(*av));
		int ac = 0;

		if (av == NULL)
			return 2;
		av[ac++] = "cordon";
		for (int i = 3; i < argc; i++)
			av[ac++] = strcmp(argv[i], "@PROFILE") == 0 ? json : argv[i];
		av[ac] = NULL;
		return cordon_main(ac, av);
	}
	fprintf(stderr, "usage: bench-harness parse FILE N | explain FILE ARG...\n");
	return 2;
}
