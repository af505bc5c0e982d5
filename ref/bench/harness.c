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
 *
 *   bench-harness stdio MODE FILE ARGV...
 *	Run ARGV with the stdio of MODE, read everything it writes, wait
 *	for it and exit as it did: the same work for every mode but the
 *	stdio, so rows side by side show what cordon's stdio relay costs.
 *	pipe: stdin an empty pipe, stdout and stderr a pipe (passed as is);
 *	file: stdin the regular file FILE (relayed); out: stdout and stderr
 *	appended to the regular file FILE (relayed); pty: 0-2 a new
 *	pseudo-terminal, ARGV's session's controlling terminal (relayed
 *	through one of cordon's own).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

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

static void
die(const char *what)
{
	perror(what);
	exit(2);
}

/* 0-2 for the child of MODE, and the descriptor the harness drains (-1: none). */
static int
stdio_for(const char *mode, const char *file, int fds[3])
{
	int p[2], e[2];

	if (strcmp(mode, "pty") == 0) {
		int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s;

		if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
			die("posix_openpt");
		if ((s = open(ptsname(m), O_RDWR | O_NOCTTY)) < 0)
			die("ptsname");
		fds[0] = fds[1] = fds[2] = s;
		return m;
	}
	if (pipe(p) < 0 || pipe(e) < 0)
		die("pipe");
	close(e[1]);		/* an empty stdin */
	fds[0] = e[0];
	fds[1] = fds[2] = p[1];
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	if (strcmp(mode, "file") == 0) {
		close(e[0]);
		if ((fds[0] = open(file, O_RDONLY)) < 0)
			die(file);
	} else if (strcmp(mode, "out") == 0) {
		close(p[1]);
		if ((fds[1] = fds[2] = open(file, O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0)
			die(file);
	} else if (strcmp(mode, "pipe") != 0) {
		fprintf(stderr, "bench-harness: no stdio mode %s\n", mode);
		exit(2);
	}
	return p[0];
}

static int
do_stdio(const char *mode, const char *file, char **argv)
{
	int fds[3], drain = stdio_for(mode, file, fds), st;
	char buf[65536];
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (strcmp(mode, "pty") == 0 && (setsid() < 0 || ioctl(fds[0], TIOCSCTTY, 0) < 0))
			die("setsid");
		for (int i = 0; i < 3; i++)
			if (dup2(fds[i], i) < 0)
				die("dup2");
		for (int i = 0; i < 3; i++)
			if (fds[i] > 2)
				close(fds[i]);
		execvp(argv[0], argv);
		die(argv[0]);
	}
	for (int i = 0; i < 3; i++)
		if (i == 0 || fds[i] != fds[i - 1])
			close(fds[i]);
	/* Until EOF (a master: EIO once the last slave descriptor is closed). */
	while (drain >= 0) {
		ssize_t n = read(drain, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
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
	if (argc >= 5 && strcmp(argv[1], "stdio") == 0)
		return do_stdio(argv[2], argv[3], argv + 4);
	fprintf(stderr, "usage: bench-harness parse FILE N | explain FILE ARG... | "
	    "stdio pipe|file|out|pty FILE ARGV...\n");
	return 2;
}
