/*
 * Run a command with a time-out; stdout and stderr are collected together,
 * and so is what it writes to the case's terminal (a pty master drained
 * while it runs, so writes to the terminal never block).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define OUTPUT_MAX (256 * 1024)
#define REAP_TICK_MS 20		/* how often to look for the end of a child without a pipe */

enum { RUN_DONE, RUN_READY, RUN_TIMEOUT };

struct proc {
	pid_t pid;
	int out;		/* the collecting pipe's read end; -1 at its end */
	int tty;		/* a pty master to drain, or -1 */
	bool piped;		/* the child has the pipe: its end is the end of the run */
	bool reaped;
	int status;
	char *text;
	size_t len, cap;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keep the head; a runaway tail keeps overwriting the last 4 KiB. */
static void
append(struct proc *p, const char *buf, size_t n, bool strip_cr)
{
	for (size_t i = 0; i < n && p->text != NULL; i++) {
		if (strip_cr && buf[i] == '\r')
			continue;
		if (p->len + 4096 > p->cap && p->cap < OUTPUT_MAX)
			p->text = realloc(p->text, p->cap *= 2);
		if (p->text == NULL)
			return;
		p->text[p->len++] = buf[i];
		if (p->len + 1 >= p->cap)
			p->len = p->cap - 4097;
	}
}

/* Read what one descriptor has; false at its end. */
static bool
read_some(struct proc *p, int fd, bool strip_cr)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0)
			return false;
		append(p, buf, (size_t)n, strip_cr);
		return true;
	}
}

/* Everything the terminal holds now (the master is non-blocking). */
static void
drain_tty(struct proc *p)
{
	char buf[4096];
	ssize_t n;

	while (p->tty >= 0) {
		n = read(p->tty, buf, sizeof(buf));
		if (n > 0)
			append(p, buf, (size_t)n, true);
		else if (n < 0 && errno == EINTR)
			continue;
		else {
			/* Not EAGAIN: a hung-up terminal would wake poll for ever. */
			if (n == 0 || errno != EAGAIN)
				p->tty = -1;
			return;
		}
	}
}

static void
reap(struct proc *p, int flags)
{
	pid_t r;

	while ((r = waitpid(p->pid, &p->status, flags)) < 0 && errno == EINTR)
		;
	if (r == p->pid || (r < 0 && errno == ECHILD))
		p->reaped = true;
}

/* A whole line "READY" in what was collected so far. */
static bool
has_ready(const struct proc *p)
{
	const char *s = p->text, *end = p->text + p->len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		if (nl == NULL)
			return false;
		if (nl - s == 5 && memcmp(s, "READY", 5) == 0)
			return true;
		s = nl + 1;
	}
	return false;
}

/*
 * Collect until the run is over (the pipe at its end and the child
 * reaped), a READY line if asked, or the deadline.
 */
static int
pump(struct proc *p, double deadline, bool until_ready)
{
	for (;;) {
		struct pollfd pfd[2];
		nfds_t n = 0;
		int left, r;

		if (until_ready && has_ready(p))
			return RUN_READY;
		if (p->out < 0 && !p->reaped) {
			/* Today's plain run: once the pipe ends, wait for the child. */
			if (p->piped && p->tty < 0 && !until_ready)
				reap(p, 0);
			else
				reap(p, WNOHANG);
		}
		if (p->out < 0 && p->reaped) {
			drain_tty(p);
			return RUN_DONE;
		}
		left = (int)((deadline - now()) * 1000);
		if (left <= 0)
			return RUN_TIMEOUT;
		if (p->out >= 0)
			pfd[n++] = (struct pollfd){ p->out, POLLIN, 0 };
		if (p->tty >= 0)
			pfd[n++] = (struct pollfd){ p->tty, POLLIN, 0 };
		r = poll(pfd, n, p->out < 0 && left > REAP_TICK_MS ? REAP_TICK_MS : left);
		if (r < 0 && errno != EINTR)
			return RUN_TIMEOUT;
		for (nfds_t i = 0; r > 0 && i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == p->tty)
				drain_tty(p);
			else if (!read_some(p, p->out, false)) {
				close(p->out);
				p->out = -1;
			}
		}
	}
}

/* The default descriptors, exactly as before stdio lines existed. */
static void
plain_stdio(int pipe_w)
{
	int devnull = open("/dev/null", O_RDONLY);

	dup2(devnull, 0);
	dup2(pipe_w, 1);
	dup2(pipe_w, 2);
}

/* fd i of the child from io->fd[i], the default where it is -1. */
static void
case_stdio(int pipe_w, const struct conf_io *io)
{
	int src[CONF_FDS], devnull = open("/dev/null", O_RDONLY);

	for (int i = 0; i < CONF_FDS; i++) {
		src[i] = io->fd[i] >= 0 ? io->fd[i] : i == 0 ? devnull : i <= 2 ? pipe_w : -1;
		/* Every source above the targets first, so no dup2 closes another's source. */
		if (src[i] >= 0)
			src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, CONF_FDS);
	}
	for (int i = 0; i < CONF_FDS; i++)
		if (src[i] >= 0)
			dup2(src[i], i);
}

static bool
uses_pipe(const struct conf_io *io)
{
	return io == NULL || io->fd[1] < 0 || io->fd[2] < 0;
}

static int
start(char *const *argv, char *const *envp, const char *cwd, const struct conf_io *io,
    struct proc *p)
{
	int fds[2];

	memset(p, 0, sizeof(*p));
	p->out = p->tty = -1;
	p->cap = 8192;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if ((p->text = malloc(p->cap)) == NULL || (p->pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (p->pid == 0) {
		/*
		 * Its own process group, so a time-out can end everything it
		 * started; with "stdio N ctty" its own session too, whose
		 * controlling terminal (in its foreground) is the case's.
		 */
		if (io != NULL && io->ctty >= 0) {
			if (setsid() < 0 || ioctl(io->ctty, TIOCSCTTY, 0) < 0 ||
			    tcsetpgrp(io->ctty, getpid()) < 0)
				_exit(126);
		} else {
			setpgid(0, 0);
		}
		if (io == NULL)
			plain_stdio(fds[1]);
		else
			case_stdio(fds[1], io);
		if (cwd != NULL && chdir(cwd) < 0)
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(fds[1]);
	p->piped = uses_pipe(io);
	if (p->piped)
		p->out = fds[0];
	else
		close(fds[0]);
	p->tty = io != NULL ? io->drain : -1;
	return 0;
}

/*
 * The kill step: READY, SIGKILL the adapter alone, its pipe's end, then
 * its group.  False when no READY came in time (then all of it is killed).
 */
static bool
kill_after_ready(struct proc *p, int timeout_s, struct conf_output *out)
{
	int r = pump(p, now() + (timeout_s < CONF_READY_TIMEOUT ? timeout_s : CONF_READY_TIMEOUT),
	    true);

	out->ready = r == RUN_READY;
	if (r == RUN_TIMEOUT) {
		kill(-p->pid, SIGKILL);
		if (!p->reaped)
			reap(p, 0);
		drain_tty(p);
		return false;
	}
	if (!out->ready)
		return true;
	/* The adapter exec'd the sandbox helper: this is its supervisor, killed hard. */
	kill(p->pid, SIGKILL);
	reap(p, 0);
	pump(p, now() + CONF_KILL_GRACE, false);
	kill(-p->pid, SIGKILL);
	drain_tty(p);
	return true;
}

int
conf_spawn_io(char *const *argv, char *const *envp, const char *cwd, int timeout_s,
    const struct conf_io *io, struct conf_output *out)
{
	double t0 = now();
	struct proc p;
	bool timed_out = false;

	memset(out, 0, sizeof(*out));
	if (start(argv, envp, cwd, io, &p) < 0) {
		free(p.text);
		return -1;
	}
	if (io != NULL && io->kill)
		timed_out = !kill_after_ready(&p, timeout_s, out);
	else if (pump(&p, t0 + timeout_s, false) == RUN_TIMEOUT) {
		timed_out = true;
		kill(-p.pid, SIGKILL);
		if (!p.reaped)
			reap(&p, 0);
		drain_tty(&p);
	}
	if (p.out >= 0)
		close(p.out);
	if (p.text != NULL)
		p.text[p.len] = '\0';
	out->text = p.text;
	out->status = timed_out ? -1 : p.status;
	out->seconds = now() - t0;
	return out->text ? 0 : -1;
}

int
conf_spawn(char *const *argv, char *const *envp, const char *cwd, int timeout_s,
    struct conf_output *out)
{
	return conf_spawn_io(argv, envp, cwd, timeout_s, NULL, out);
}
