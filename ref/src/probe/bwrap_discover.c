/*
 * Find bwrap on PATH: the first executable outside the current directory
 * (a workspace could plant its own), then probe its --help with a time-out.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bwrap.h"
#include "fsview.h"
#include "mutant.h"
#include "path.h"
#include "util.h"

#define PROBE_TIMEOUT_MS 3000

#define PROBE_MAX_OUTPUT (64 * 1024)

/*
 * The next bwrap on the PATH entries in *rest (advanced past it): an
 * absolute entry's bwrap, canonical, executable, not under ccwd (unless
 * ccwd is /) and not in seen.  NULL when none is left.
 */
static char *
next_candidate(const char **rest, const char *ccwd, const struct strv *seen)
{
	bool cwd_is_root = strcmp(ccwd, "/") == 0;

	while (**rest != '\0') {
		size_t n = strcspn(*rest, ":");
		char *cand, *canon;
		struct stat st;
		bool rel = (*rest)[0] != '/';

		cand = xasprintf("%.*s/bwrap", (int)n, *rest);
		*rest += n + ((*rest)[n] == ':');
		if ((rel && !mutant("bwrap-relative-path-entries")) || n == 0) {
			free(cand);
			continue;	/* a relative PATH entry is the cwd in disguise */
		}
		/*
		 * One call rules out a directory without bwrap; realpath costs
		 * one per component.  access() followed the links realpath
		 * resolves, so canon is the file it found executable.
		 */
		canon = access(cand, X_OK) == 0 ? realpath(cand, NULL) : NULL;
		free(cand);
		if (canon == NULL || stat(canon, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (!cwd_is_root && path_is_under(canon, ccwd) && !mutant("bwrap-outside-cwd")) ||
		    strv_contains(seen, canon)) {
			free(canon);
			continue;
		}
		return canon;
	}
	return NULL;
}

size_t
bwrap_candidates(const char *search_path, const char *cwd, char ***out)
{
	struct strv sv = { 0 };
	const char *rest = search_path;
	char *ccwd, *c;

	*out = NULL;
	if (search_path == NULL || search_path[0] == '\0')
		return 0;
	/* Without a known cwd no candidate can be shown to lie outside it. */
	if (cwd == NULL || (ccwd = realpath(cwd, NULL)) == NULL)
		return 0;
	while ((c = next_candidate(&rest, ccwd, &sv)) != NULL) {
		strv_push(&sv, c);
		free(c);
	}
	free(ccwd);
	*out = sv.v;
	return sv.n;
}

static long
ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Read the child's output until EOF, the size cap or the deadline; false on time-out. */
static bool
read_until(int fd, char **buf, size_t *len, const struct timespec *start)
{
	size_t cap = 4096;

	*buf = xmalloc(cap);
	*len = 0;
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		long left = PROBE_TIMEOUT_MS - ms_since(start);
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return false;
		if (*len + 1024 > cap) {
			if (cap >= PROBE_MAX_OUTPUT)
				return true;	/* more than enough to decide */
			*buf = xrealloc(*buf, cap *= 2);
		}
		n = read(fd, *buf + *len, cap - *len - 1);
		if (n <= 0)
			return true;
		*len += (size_t)n;
	}
}

/*
 * Wait for pid until the deadline; a child still running then is killed.
 * A pidfd turns the wait into one poll(), with no sleeping in between:
 * this wait is on the path of every sandboxed command.
 */
static bool
wait_until(pid_t pid, int *status, const struct timespec *start)
{
	int pfd = pidfd_of(pid);

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		long left = PROBE_TIMEOUT_MS - ms_since(start);

		if (r == pid) {
			if (pfd >= 0)
				close(pfd);
			return true;
		}
		if (r < 0 && errno != EINTR)
			break;
		if (left <= 0) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		if (pfd >= 0) {
			struct pollfd p = { pfd, POLLIN, 0 };

			poll(&p, 1, (int)left);
		} else {
			usleep(1000);	/* kernels before 5.3 have no pidfd */
		}
	}
	if (pfd >= 0)
		close(pfd);
	return false;
}

/*
 * Run path with one argument; collect stdout+stderr.  The whole run, not
 * just the reading, is bounded: a bwrap that closes its output and then
 * hangs is killed too.  NULL on failure or time-out.
 */
static char *
run_capture(const char *path, const char *arg, int *status)
{
	struct timespec start;
	int fds[2];
	pid_t pid;
	size_t len;
	char *buf;
	bool read_ok;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return NULL;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execl(path, "bwrap", arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	read_ok = read_until(fds[0], &buf, &len, &start);
	close(fds[0]);
	if (!read_ok)
		kill(pid, SIGKILL);
	if (!wait_until(pid, status, &start) || !read_ok) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

int
bwrap_probe(const char *path, bool want_version, struct bwrap_info *info)
{
	int st = 0;
	char *help;

	memset(info, 0, sizeof(*info));
	info->path = xstrdup(path);
	help = run_capture(path, "--help", &st);
	if (help == NULL) {
		info->unusable = xstrdup("`bwrap --help` did not answer within 3 seconds");
		return -1;
	}
	bwrap_parse_help(help, &info->feat);
	if (bwrap_missing_required(&info->feat) != NULL) {
		/* A bwrap that failed before printing help says why on its first line. */
		help[strcspn(help, "\n")] = '\0';
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			info->unusable = xasprintf("`bwrap --help` failed: %s", help);
		else
			info->unusable = xasprintf("its --help does not offer %s",
			    bwrap_missing_required(&info->feat));
	}
	free(help);
	if (want_version) {
		char *v = run_capture(path, "--version", &st);

		if (v != NULL && v[0] != '\0') {
			v[strcspn(v, "\n")] = '\0';
			info->version = v;
		} else {
			free(v);
		}
	}
	return info->unusable ? -1 : 0;
}

int
bwrap_discover(struct bwrap_info *info, bool (*unsafe)(const char *, const void *),
    const void *ctx, const char *cache_dir, char *err, size_t errlen)
{
	char cwd[PATH_MAX], *ccwd, *c;
	const char *here = getcwd(cwd, sizeof(cwd)), *rest = getenv("PATH");
	struct strv seen = { 0 };
	int r = -1;

	memset(info, 0, sizeof(*info));
	if (here == NULL || (ccwd = fs_canonical(fsview_host(), here)) == NULL) {
		/* No bwrap can be shown to lie outside an unknown directory. */
		snprintf(err, errlen, "cannot determine the current directory (%s), so no bwrap on "
		    "PATH can be trusted; run cordon from an existing directory", strerror(errno));
		return -1;
	}
	snprintf(err, errlen, "bubblewrap was not found on PATH outside the current directory "
	    "(install it with your package manager: apt-get install bubblewrap)");
	/* The first usable one wins: the rest of PATH is not looked at. */
	while (r < 0 && rest != NULL && (c = next_candidate(&rest, ccwd, &seen)) != NULL) {
		strv_push(&seen, c);
		if (unsafe != NULL && unsafe(c, ctx)) {
			snprintf(err, errlen, "bwrap %s lies in a writable root of the policy, where a "
			    "sandboxed command could have planted it; not running it", c);
		} else {
			bwrap_info_free(info);
			if (bwrap_cache_get(cache_dir, c, &info->feat) &&
			    bwrap_missing_required(&info->feat) == NULL) {
				info->path = xstrdup(c);
				r = 0;
			} else if (bwrap_probe(c, false, info) == 0) {
				bwrap_cache_put(cache_dir, c, &info->feat);
				r = 0;
			} else {
				snprintf(err, errlen, "bwrap %s is unusable: %s", c, info->unusable);
			}
		}
		free(c);
	}
	strv_free(&seen);
	free(ccwd);
	return r;
}

void
bwrap_info_free(struct bwrap_info *info)
{
	free(info->path);
	free(info->version);
	free(info->unusable);
	if (info->vendored && info->exec_fd >= 0)
		close(info->exec_fd);
	memset(info, 0, sizeof(*info));
}
