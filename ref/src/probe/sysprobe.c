/*
 * System probes for cordon doctor: sysctl knobs, Landlock, seccomp, and
 * running a program with a time-out.  Each reports what it saw; doctor.c
 * decides what that means.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sysprobe.h"
#include "util.h"

/* Older headers lack Landlock; the number is the same on every architecture cordon builds for. */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

#define ACTIONS_AVAIL "/proc/sys/kernel/seccomp/actions_avail"
#define RUN_MAX_OUTPUT 8192

/* Read a small text file whole; -1 with errno on failure. */
static int
read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

int
sysprobe_read_long(const char *path, long *val)
{
	char buf[64], *end;

	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	*val = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || (*end != '\0' && *end != '\n')) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
sysprobe_landlock_abi(void)
{
	long r = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return r < 0 ? -1 : (int)r;
}

/* Whether word appears in a whitespace-separated list. */
static bool
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p != NULL; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ' || p[-1] == '\n') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

static bool
action_avail(unsigned int action)
{
	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

void
sysprobe_seccomp(struct seccomp_probe *sp)
{
	char buf[512];

	memset(sp, 0, sizeof(*sp));
	sp->mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	if (sp->mode < 0)
		sp->mode_errno = errno;
	if (read_small(ACTIONS_AVAIL, buf, sizeof(buf)) == 0) {
		sp->from_proc = true;
		sp->filters = true;
		sp->act_errno = has_word(buf, "errno");
		sp->act_kill_process = has_word(buf, "kill_process");
		return;
	}
	/* Containers may mask /proc/sys: ask seccomp(2) itself (Linux 4.14+). */
	sp->filters = action_avail(SECCOMP_RET_ALLOW);
	sp->act_errno = action_avail(SECCOMP_RET_ERRNO);
	sp->act_kill_process = action_avail(SECCOMP_RET_KILL_PROCESS);
}

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/*
 * Read fd to EOF or the time-out.  Only the start is kept (that is where
 * bwrap says what went wrong); the rest is drained so the writer never blocks.
 */
static char *
collect(int fd, int timeout_ms, bool *timed_out)
{
	char *buf = xmalloc(RUN_MAX_OUTPUT + 1);
	size_t len = 0;
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		long left = timeout_ms - elapsed_ms(&start);
		char chunk[4096];
		ssize_t n;
		int r;

		if (left <= 0) {
			*timed_out = true;
			break;
		}
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			*timed_out = true;
			break;
		}
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n > RUN_MAX_OUTPUT - len)
			n = (ssize_t)(RUN_MAX_OUTPUT - len);
		memcpy(buf + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/* In the child: own process group (so a time-out kills everything), then exec. */
static void __attribute__((noreturn))
child_exec(char *const argv[], int out)
{
	int devnull = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(out, STDERR_FILENO) < 0)
		_exit(127);
	/* Nothing of ours should leak into the probe (a test harness may wait on it). */
	(void)syscall(SYS_close_range, 3U, ~0U, 0);
	execv(argv[0], argv);
	dprintf(STDERR_FILENO, "cannot execute %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int
sysprobe_run(char *const argv[], int timeout_ms, struct run_result *r)
{
	int fds[2], e;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(fds[0]);
		close(fds[1]);
		errno = e;
		return -1;
	}
	if (pid == 0)
		child_exec(argv, fds[1]);
	setpgid(pid, pid);	/* as the child does: whichever runs first wins */
	close(fds[1]);
	r->output = collect(fds[0], timeout_ms, &r->timed_out);
	if (r->timed_out)
		kill(-pid, SIGKILL);
	close(fds[0]);
	while (waitpid(pid, &r->wstatus, 0) < 0 && errno == EINTR)
		;
	return 0;
}

void
run_result_free(struct run_result *r)
{
	free(r->output);
	r->output = NULL;
}

bool
sysprobe_proc_sys_readonly(void)
{
	struct statvfs v;

	return statvfs("/proc/sys", &v) == 0 && (v.f_flag & ST_RDONLY) != 0;
}
