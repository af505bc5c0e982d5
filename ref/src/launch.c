/*
 * Launch bwrap.  bwrap's own stderr goes to a pipe that cordon reads and
 * passes on; the caller's stderr reaches the command through a separate
 * descriptor that the inner stage restores.  That way cordon sees bwrap's
 * set-up errors (to retry without /proc) without touching the command's
 * output, and a ready pipe tells whether the command was ever started.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bwrap_vendored.h"
#include "launch.h"
#include "targets.h"
#include "util.h"

#define STDERR_KEEP 8192

static volatile sig_atomic_t child_pid;

static void
forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

bool
proc_mount_failed(const char *s)
{
	return strstr(s, "Can't mount proc") != NULL && strstr(s, "/newroot/proc") != NULL &&
	    (strstr(s, "Invalid argument") != NULL || strstr(s, "Operation not permitted") != NULL ||
	    strstr(s, "Permission denied") != NULL);
}

bool
plan_drop_proc(struct plan *p)
{
	for (size_t i = 0; i + 1 < p->argv.n; i++) {
		if (strcmp(p->argv.v[i], "--") == 0)
			break;
		if (strcmp(p->argv.v[i], "--proc") == 0) {
			free(p->argv.v[i]);
			free(p->argv.v[i + 1]);
			memmove(&p->argv.v[i], &p->argv.v[i + 2],
			    (p->argv.n - i - 1) * sizeof(char *));
			p->argv.n -= 2;
			return true;
		}
	}
	return false;
}

/* Move fd to exactly want (want >= 3), without clobbering anything we still need. */
static void
place_fd(int fd, int want)
{
	if (fd == want) {
		fcntl(fd, F_SETFD, 0);
		return;
	}
	if (dup2(fd, want) < 0)
		_exit(EXIT_POLICY);
	close(fd);
}

/*
 * cordon's image, opened when the bundled bwrap was chosen, run as that
 * bwrap: the same argv with the re-exec marker after argv[0].
 */
static void
exec_vendored(int image, const struct plan *p)
{
	char **argv = xcalloc(p->argv.n + 2, sizeof(char *));

	if (image < 0)
		return;
	argv[0] = p->argv.v[0];
	argv[1] = (char *)CORDON_BWRAP_FLAG;
	memcpy(&argv[2], &p->argv.v[1], (p->argv.n - 1) * sizeof(char *));
	execveat(image, "", argv, environ, AT_EMPTY_PATH);
	/*
	 * Debian's 5.10 answers ENOENT here; the descriptor's /proc path
	 * names the same open file (Codex's way), so nothing else can run.
	 */
	if (errno == ENOENT || errno == ENOSYS) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", image);
		execv(path, argv);
	}
}

/* In the child: arrange descriptors as the plan numbered them, then exec bwrap. */
static void __attribute__((noreturn))
exec_bwrap(const struct bwrap_info *bw, struct plan *p, int err_w, int ready_w, int saved_err)
{
	int n = 2 + p->ndata, *fds = xcalloc((size_t)n, sizeof(int));
	int high = p->stderr_fd + n + 16, image = -1;

	if (bw->vendored)
		image = fcntl(bw->exec_fd, F_DUPFD_CLOEXEC, high);

	/* Park everything above the target range first, so dup2 cannot collide. */
	fds[0] = fcntl(saved_err, F_DUPFD_CLOEXEC, high);
	fds[1] = fcntl(ready_w, F_DUPFD_CLOEXEC, high);
	for (int i = 0; i < p->ndata; i++) {
		int dn = open("/dev/null", O_RDONLY | O_CLOEXEC);

		fds[2 + i] = fcntl(dn, F_DUPFD_CLOEXEC, high);
		close(dn);
	}
	if (dup2(err_w, STDERR_FILENO) < 0)
		_exit(EXIT_POLICY);
	for (int i = 0; i < n; i++) {
		if (fds[i] < 0)
			_exit(EXIT_POLICY);
		place_fd(fds[i], p->stderr_fd + i);
	}
	p->argv.v[0] = (char *)"bwrap";
	if (bw->vendored)
		exec_vendored(image, p);
	else
		execv(bw->path, p->argv.v);
	dprintf(saved_err, "%s: cannot execute %s: %s\n", cordon_progname(), bw->path,
	    strerror(errno));
	_exit(EXIT_POLICY);
}

struct outcome {
	int wstatus;
	bool ready;
	char err[STDERR_KEEP];
	size_t errlen;
};

/* Relay bwrap's stderr: held back until the command starts, then passed straight on. */
static void
relay(int err_r, int ready_r, struct outcome *o)
{
	bool err_open = true, ready_open = true;

	while (err_open || ready_open) {
		struct pollfd pfd[2] = { { err_open ? err_r : -1, POLLIN, 0 },
			{ ready_open ? ready_r : -1, POLLIN, 0 } };
		char buf[4096];
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents) {
			n = read(ready_r, buf, sizeof(buf));
			if (n > 0 && !o->ready) {
				o->ready = true;
				(void)!write(STDERR_FILENO, o->err, o->errlen);
			}
			if (n <= 0)
				ready_open = false;
		}
		if (pfd[0].revents) {
			n = read(err_r, buf, sizeof(buf));
			if (n <= 0) {
				err_open = false;
			} else if (o->ready) {
				(void)!write(STDERR_FILENO, buf, (size_t)n);
			} else {
				size_t k = (size_t)n;

				if (k > sizeof(o->err) - 1 - o->errlen)
					k = sizeof(o->err) - 1 - o->errlen;
				memcpy(o->err + o->errlen, buf, k);
				o->errlen += k;
				o->err[o->errlen] = '\0';
			}
		}
	}
}

static void
run_once(const struct bwrap_info *bw, struct plan *p, struct outcome *o)
{
	int errp[2], readyp[2], saved_err;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (pipe2(errp, O_CLOEXEC) < 0 || pipe2(readyp, O_CLOEXEC) < 0)
		err_(EXIT_POLICY, "pipe");
	saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	pid = fork();
	if (pid < 0)
		err_(EXIT_POLICY, "fork");
	if (pid == 0)
		exec_bwrap(bw, p, errp[1], readyp[1], saved_err);
	child_pid = pid;
	close(errp[1]);
	close(readyp[1]);
	close(saved_err);
	relay(errp[0], readyp[0], o);
	close(errp[0]);
	close(readyp[0]);
	while (waitpid(pid, &o->wstatus, 0) < 0)
		if (errno != EINTR)
			err_(EXIT_POLICY, "waitpid");
	child_pid = 0;
}

static int
status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return EXIT_POLICY;
}

int
launch_bwrap(const struct bwrap_info *bw, struct plan *p, const char *registry)
{
	const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH };
	struct held_targets held;
	struct outcome o;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	targets_acquire(registry, p, &held);
	run_once(bw, p, &o);
	if (!o.ready && proc_mount_failed(o.err) && plan_drop_proc(p)) {
		warnx_("bwrap cannot mount a fresh /proc here (a container?); "
		    "running without one: the sandbox sees the enclosing /proc");
		run_once(bw, p, &o);
	}
	if (!o.ready)
		(void)!write(STDERR_FILENO, o.err, o.errlen);
	targets_release(registry, p, &held);
	return status_of(o.wstatus);
}
