/*
 * "step host VERB ARG...": one host-side action by the runner, as the test
 * user, between two launches: exactly one system call each, so a case can
 * swap a path under a sandbox that was already given it; and "wait-for
 * PATH", which waits (at most CONF_READY_TIMEOUT seconds) until a
 * background launch has made PATH.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

static const struct {
	const char *verb;
	int args;
} verbs[] = {
	{ "rename", 2 }, { "symlink", 2 }, { "mkdir", 1 }, { "rmdir", 1 }, { "unlink", 1 },
	{ "write", 2 }, { "mkfifo", 1 }, { "wait-for", 1 },
};

/* Until path exists, in 20 ms naps; ETIMEDOUT after CONF_READY_TIMEOUT seconds. */
static int
wait_for(const char *path)
{
	const struct timespec nap = { 0, 20 * 1000 * 1000 };

	for (int i = 0; i < CONF_READY_TIMEOUT * 50; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		nanosleep(&nap, NULL);
	}
	errno = ETIMEDOUT;
	return -1;
}

/* symlink's TARGET is the link's text, not a path of the case: only substituted. */
static char *
host_arg(const char *verb, int i, const char *arg, const struct conf_vars *v)
{
	if (strcmp(verb, "symlink") == 0)
		return i == 0 ? conf_subst(arg, v) : conf_case_path(arg, v);
	if (strcmp(verb, "write") == 0 && i == 1)
		return conf_subst(arg, v);
	return conf_case_path(arg, v);
}

static int
host_do(const char *verb, char *const *a)
{
	if (strcmp(verb, "rename") == 0)
		return rename(a[0], a[1]);
	if (strcmp(verb, "symlink") == 0)
		return symlink(a[0], a[1]);
	if (strcmp(verb, "mkdir") == 0)
		return mkdir(a[0], 0755);
	if (strcmp(verb, "rmdir") == 0)
		return rmdir(a[0]);
	if (strcmp(verb, "unlink") == 0)
		return unlink(a[0]);
	if (strcmp(verb, "write") == 0)
		return conf_write_file(a[0], a[1]);
	if (strcmp(verb, "wait-for") == 0)
		return wait_for(a[0]);
	return mkfifo(a[0], 0644);
}

int
conf_host_step(const char *const *argv, const struct conf_vars *v, char *err, size_t errlen)
{
	char *a[2] = { NULL, NULL };
	size_t k, n = 0;
	int r = -1;

	while (argv[n] != NULL)
		n++;
	for (k = 0; n > 0 && k < sizeof(verbs) / sizeof(verbs[0]); k++)
		if (strcmp(verbs[k].verb, argv[0]) == 0)
			break;
	if (n == 0 || k == sizeof(verbs) / sizeof(verbs[0]) || (int)n - 1 != verbs[k].args) {
		snprintf(err, errlen, "host %s: unknown verb or wrong arguments", n ? argv[0] : "");
		return -1;
	}
	for (int i = 0; i < verbs[k].args; i++)
		if ((a[i] = host_arg(argv[0], i, argv[i + 1], v)) == NULL)
			goto out;
	r = host_do(argv[0], a);
out:
	if (r < 0)
		snprintf(err, errlen, "host %s %s%s%s: %s", argv[0], a[0] ? a[0] : "",
		    a[1] ? " " : "", a[1] ? a[1] : "", strerror(errno));
	free(a[0]);
	free(a[1]);
	return r;
}
