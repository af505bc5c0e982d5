/*
 * Launch bwrap, in one of two ways.
 *
 * Careful: bwrap's own stderr goes to a pipe that cordon reads and passes
 * on; the caller's stderr reaches the command through a separate
 * descriptor that the inner stage restores.  That way cordon sees bwrap's
 * set-up errors (to retry without /proc) without touching the command's
 * output, and a ready pipe tells whether the command was ever started.
 * What it learns is kept (bwrap_proc_put) for the next launch here.
 *
 * Direct, once that is known and nothing needs cordon afterwards: cordon
 * execs bwrap with the filter on a descriptor, as bare bwrap would run.
 * One exec and one supervising process fewer: most of cordon's cost.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __has_include
#if __has_include(<linux/close_range.h>)
#include <linux/close_range.h>
#endif
#endif

#include "bwrap_vendored.h"
#include "filter.h"
#include "launch.h"
#include "mutant.h"
#include "nofile.h"
#include "sigpass.h"
#include "stdio_guard.h"
#include "targets.h"
#include "util.h"

#define STDERR_KEEP 8192

/*
 * The sandbox's pid from bwrap's --info-fd ("child-pid": N, written as
 * soon as bwrap has cloned it), or 0 if bwrap ended before.  Read to the
 * end: bwrap writes the rest in pieces, and a pipe closed early would
 * kill it with SIGPIPE before it has set up the sandbox.
 */
static pid_t
read_child_pid(int fd)
{
	char buf[4096];
	size_t len = 0;
	const char *k;
	pid_t pid = 0;
	struct pollfd hup = { fd, 0, 0 };

	/*
	 * Asked for no event, poll() wakes only when bwrap closes its end
	 * (POLLHUP): once, not once for each piece, while bwrap is busiest.
	 * bwrap writes a few hundred bytes, far below a pipe's capacity, so
	 * it never waits for this read.
	 */
	while (poll(&hup, 1, -1) < 0 && errno == EINTR)
		;
	for (;;) {
		char sink[512];
		ssize_t n = len < sizeof(buf) - 1 ? read(fd, buf + len, sizeof(buf) - 1 - len) :
		    read(fd, sink, sizeof(sink));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < sizeof(buf) - 1)
			len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if ((k = strstr(buf, "\"child-pid\":")) != NULL)
		pid = (pid_t)atoi(k + 12);
	return pid > 1 ? pid : 0;
}

/* Does the careful plan run cordon's inner stage as PID 1, which passes signals on? */
static bool
inner_is_init(const struct plan *p)
{
	return p->launch == LAUNCH_CAREFUL && p->argv.n > 1 &&
	    strcmp(p->argv.v[1], "--as-pid-1") == 0;
}

/* A close-on-exec pipe for --info-fd, or -1s when the plan has none. */
static void
info_pipe(const struct plan *p, int fds[2])
{
	fds[0] = fds[1] = -1;
	if (p->info_fd >= 0 && pipe2(fds, O_CLOEXEC) < 0)
		err_(EXIT_POLICY, "pipe");
}

bool
proc_mount_failed(const char *s)
{
	/* "on /newroot/proc" up to bwrap 0.11, "on /proc" from 0.12 (the bundled one). */
	return (strstr(s, "Can't mount proc on /newroot/proc") != NULL ||
	    strstr(s, "Can't mount proc on /proc") != NULL) &&
	    (strstr(s, "Invalid argument") != NULL || strstr(s, "Operation not permitted") != NULL ||
	    strstr(s, "Permission denied") != NULL);
}

/* bwrap's words when the kernel (or a filter) refuses it a user namespace. */
static bool
namespaces_refused(const char *s)
{
	return strstr(s, "No permissions to create new namespace") != NULL ||
	    strstr(s, "Creating new namespace failed") != NULL ||
	    strstr(s, "setting up uid map: Permission denied") != NULL;
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
	/* Through syscall(2): musl's headers do not declare execveat. */
	syscall(SYS_execveat, image, "", argv, environ, AT_EMPTY_PATH);
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
exec_bwrap(const struct bwrap_info *bw, struct plan *p, int err_w, int ready_w, int saved_err,
    int info_w)
{
	int n = 2 + p->ndata + (info_w >= 0), *fds = xcalloc((size_t)n, sizeof(int));
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
	/* Numbered right after the data descriptors: plan.c's info_fd. */
	if (info_w >= 0)
		fds[2 + p->ndata] = fcntl(info_w, F_DUPFD_CLOEXEC, high);
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

/* Mark every descriptor from low up close-on-exec (5.11 has one call for it). */
static void
cloexec_from(int low)
{
	DIR *d;
	struct dirent *e;

#if defined(SYS_close_range) && defined(CLOSE_RANGE_CLOEXEC)
	if (syscall(SYS_close_range, (unsigned)low, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	if ((d = opendir("/proc/self/fd")) == NULL) {
		for (int fd = low; fd < 65536; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] != '.' && fd >= low && fd != dirfd(d))
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	closedir(d);
}

/* The plan's seccomp program on the read end of a pipe (every program fits its buffer). */
static int
filter_pipe(enum seccomp_mode mode)
{
	const struct filter_prog *fp = filter_prebuilt_for(mode);
	size_t len;
	int pp[2];

	if (fp == NULL)
		errx_(EXIT_POLICY, "no seccomp program for mode %s", seccomp_mode_name(mode));
	len = fp->len * sizeof(struct sock_filter);
	if (len > FILTER_PIPE_MAX)
		errx_(EXIT_POLICY, "the seccomp program is too large for a pipe");
	if (pipe2(pp, O_CLOEXEC) < 0)
		err_(EXIT_POLICY, "pipe");
	if (write(pp[1], fp->insns, len) != (ssize_t)len)
		err_(EXIT_POLICY, "writing the seccomp program");
	close(pp[1]);
	return pp[0];
}

/* How many descriptors a direct launch places: the filter, the data ones, the info one. */
static int
direct_nfds(const struct plan *p)
{
	return 1 + p->ndata + (p->info_fd >= 0);
}

/*
 * The plan's descriptors, opened and parked above the numbers they go to
 * (so placing one cannot clobber another): [0] the filter, or -1 when the
 * plan has none, then the /dev/null ones for --ro-bind-data.  Everything
 * else from 3 up is marked close-on-exec: bwrap inherits only these.
 */
static int *
direct_fds(const struct plan *p, int high, int info_w)
{
	int n = direct_nfds(p), *fds = xcalloc((size_t)n, sizeof(int));

	if (!mutant("close-inherited-fds"))
		cloexec_from(3);
	fds[0] = p->seccomp_fd >= 0 ? filter_pipe(p->seccomp) : -1;
	for (int i = 0; i < p->ndata; i++)
		fds[1 + i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (p->info_fd >= 0)
		fds[1 + p->ndata] = fcntl(info_w, F_DUPFD_CLOEXEC, 3);
	for (int i = 0; i < n; i++) {
		int parked;

		if (i == 0 && fds[0] < 0)
			continue;
		if (fds[i] < 0 || (parked = fcntl(fds[i], F_DUPFD_CLOEXEC, high)) < 0)
			err_(EXIT_POLICY, "preparing bwrap's descriptors");
		close(fds[i]);
		fds[i] = parked;
	}
	return fds;
}

/* Where direct_fds' descriptor i goes. */
static int
direct_fd_target(const struct plan *p, int i)
{
	if (i == 0)
		return p->seccomp_fd;
	return i <= p->ndata ? p->data_fd0 + i - 1 : p->info_fd;
}

/*
 * Become bwrap, with no inner stage: the filter on its descriptor (bwrap
 * reads and closes it), stdio the caller's, signals reach bwrap itself,
 * and bwrap's init reaps.
 */
static void __attribute__((noreturn))
exec_bwrap_alone(const struct bwrap_info *bw, struct plan *p, int info_w)
{
	int high = p->data_fd0 + p->ndata + 16, image = -1, *fds = direct_fds(p, high, info_w);

	if (bw->vendored)
		image = fcntl(bw->exec_fd, F_DUPFD_CLOEXEC, high);
	for (int i = 0; i < direct_nfds(p); i++)
		if (fds[i] >= 0)
			place_fd(fds[i], direct_fd_target(p, i));
	free(fds);
	if (bw->vendored)
		exec_vendored(image, p);
	else
		execv(bw->path, p->argv.v);
	err_(EXIT_POLICY, "cannot execute %s", bw->path);
}

/*
 * As exec_bwrap_alone, as a child that cordon waits for, passing signals on.
 * posix_spawn: the child shares cordon's memory until bwrap is executed,
 * so no page tables are copied.  The bundled bwrap, executed through a
 * descriptor, is forked.
 */
static int
spawn_direct(const struct bwrap_info *bw, struct plan *p, struct stdio_guard *g)
{
	int high = p->data_fd0 + p->ndata + 16, wstatus, r, *fds, info[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;

	info_pipe(p, info);
	if (bw->vendored) {
		stdio_guard_enter(g);
		if ((pid = fork()) == 0)
			exec_bwrap_alone(bw, p, info[1]);
		stdio_guard_leave(g);
		if (pid < 0)
			err_(EXIT_POLICY, "fork");
	} else {
		fds = direct_fds(p, high, info[1]);
		posix_spawn_file_actions_init(&fa);
		for (int i = 0; i < direct_nfds(p); i++)
			if (fds[i] >= 0)
				posix_spawn_file_actions_adddup2(&fa, fds[i], direct_fd_target(p, i));
		stdio_guard_enter(g);
		r = posix_spawn(&pid, bw->path, &fa, NULL, p->argv.v, environ);
		stdio_guard_leave(g);
		posix_spawn_file_actions_destroy(&fa);
		for (int i = 0; i < direct_nfds(p); i++)
			if (fds[i] >= 0)
				close(fds[i]);
		free(fds);
		if (r != 0)
			errx_(EXIT_POLICY, "cannot execute %s: %s", bw->path, strerror(r));
	}
	sigpass_holder(pid);
	if (info[1] >= 0) {
		pid_t sandbox;

		close(info[1]);
		/* bwrap's init ignores what is sent to the group; the command gets it. */
		if ((sandbox = read_child_pid(info[0])) > 0)
			sigpass_target(sandbox, true);
	} else {
		/* The helper's exec plan, spawned to relay stdio: signals end bwrap, as Codex's. */
		sigpass_target(pid, false);
	}
	sigpass_wait(pid, &wstatus);
	sigpass_end();
	return wstatus;
}

struct outcome {
	int wstatus;
	pid_t sandbox;		/* its first process, from bwrap's --info-fd; 0 if unknown */
	bool init;		/* that is cordon's inner stage as PID 1 */
	bool ready;
	char err[STDERR_KEEP];
	size_t errused;	/* bytes of err in use */
};

/*
 * Relay bwrap's stderr: held back until the command starts, then passed
 * straight on.  From then on, signals go to the sandbox (the inner stage
 * has them blocked, and passes them on, before it says it is ready).
 */
static void
relay(int err_r, int ready_r, struct outcome *o)
{
	bool err_open = true, ready_open = true;

	while (err_open || ready_open) {
		struct pollfd pfd[2] = { { err_open ? err_r : -1, POLLIN, 0 },
			{ ready_open ? ready_r : -1, POLLIN, 0 } };
		char buf[4096];
		ssize_t n;

		if (sigpass_held())
			sigpass_flush();
		if (poll(pfd, 2, sigpass_held() ? 10 : -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents) {
			n = read(ready_r, buf, sizeof(buf));
			if (n > 0 && !o->ready) {
				o->ready = true;
				if (o->sandbox > 0)
					sigpass_target(o->sandbox, !o->init);
				(void)!write(STDERR_FILENO, o->err, o->errused);
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

				if (k > sizeof(o->err) - 1 - o->errused)
					k = sizeof(o->err) - 1 - o->errused;
				memcpy(o->err + o->errused, buf, k);
				o->errused += k;
				o->err[o->errused] = '\0';
			}
		}
	}
}

static void
run_once(const struct bwrap_info *bw, struct plan *p, struct outcome *o, struct stdio_guard *g)
{
	int errp[2], readyp[2], info[2], saved_err;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (pipe2(errp, O_CLOEXEC) < 0 || pipe2(readyp, O_CLOEXEC) < 0)
		err_(EXIT_POLICY, "pipe");
	info_pipe(p, info);
	stdio_guard_enter(g);
	saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	pid = fork();
	if (pid == 0)
		exec_bwrap(bw, p, errp[1], readyp[1], saved_err, info[1]);
	stdio_guard_leave(g);
	if (pid < 0)
		err_(EXIT_POLICY, "fork");
	/* Signals wait for the command to start (relay); the holder is for the deadline. */
	sigpass_holder(pid);
	close(errp[1]);
	close(readyp[1]);
	close(saved_err);
	if (info[1] >= 0) {
		close(info[1]);
		o->sandbox = read_child_pid(info[0]);
		o->init = inner_is_init(p);
	}
	if (o->sandbox == 0 && info[0] < 0)
		sigpass_target(pid, false);	/* no --info-fd: as before it, they end bwrap */
	relay(errp[0], readyp[0], o);
	close(errp[0]);
	close(readyp[0]);
	sigpass_wait(pid, &o->wstatus);
	sigpass_end();
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

void
launch_warn_no_proc(void)
{
	warnx_("bwrap cannot mount a fresh /proc here (a container?); "
	    "running without one: the sandbox sees the enclosing /proc");
}

/*
 * A /dev/null descriptor per empty file the plan mounts, each opened and
 * parked above its number before it is placed, and one per mount point
 * held: a policy of a thousand denied files needs more than the usual soft
 * limit of 1024.
 */
static void
enough_descriptors(const struct plan *p)
{
	unsigned long need = (unsigned long)p->data_fd0 + 2UL * (unsigned long)p->ndata +
	    (unsigned long)p->ntargets + 64;
	char err[512];

	if (nofile_ensure(need, "this policy", err, sizeof(err)) < 0)
		errx_(EXIT_POLICY, "%s; refusing to run the command", err);
}

int
launch_bwrap(const struct bwrap_info *bw, struct plan *p, const char *registry)
{
	struct held_targets held;
	struct outcome o;
	char err[512];
	struct stdio_guard *g;
	bool asked_proc, retried = false;

	enough_descriptors(p);
	/* Relayed stdio needs cordon to stay: an exec becomes a spawn. */
	g = stdio_guard_begin();
	if (p->launch == LAUNCH_EXEC && g == NULL)
		exec_bwrap_alone(bw, p, -1);
	asked_proc = plan_has_proc(p);
	sigpass_begin();
	if (targets_acquire(registry, p, &held, err, sizeof(err)) < 0) {
		targets_release(registry, &held);
		errx_(EXIT_POLICY, "%s; refusing to run the command", err);
	}
	if (p->launch != LAUNCH_CAREFUL) {
		int wstatus = spawn_direct(bw, p, g);

		stdio_guard_end(g, true);
		targets_release(registry, &held);
		return status_of(wstatus);
	}
	run_once(bw, p, &o, g);
	if (!o.ready && proc_mount_failed(o.err) && plan_drop_proc(p)) {
		launch_warn_no_proc();
		/* The same pipes: what the command has not read yet is still there. */
		run_once(bw, p, &o, g);
		retried = true;
	}
	stdio_guard_end(g, true);
	if (!o.ready) {
		(void)!write(STDERR_FILENO, o.err, o.errused);
		if (namespaces_refused(o.err))
			warnx_("bubblewrap cannot create the sandbox's namespaces here (user "
			    "namespaces off, or a container's seccomp profile); nothing ran: "
			    "'cordon doctor' says which, and how to fix it");
	} else
		/* The command started, confined and with no capability: remember how. */
		bwrap_proc_put(registry, bwrap_file(bw), !asked_proc ? PROC_NOT_TRIED :
		    retried ? PROC_FAILS : PROC_MOUNTS);
	targets_release(registry, &held);
	return status_of(o.wstatus);
}
