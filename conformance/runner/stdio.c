/*
 * The adapter's descriptors ("stdio FD KIND [PATH]"): files, directories
 * and FIFOs opened afresh for every launch, and one pseudo-terminal for the
 * whole case.  The terminal is the controlling terminal of a host-side
 * "victim" session that records every job-control signal it gets, as an
 * agent's own shell would suffer them; the sandbox gets the terminal as
 * stdio only, never as its controlling terminal.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

static const struct {
	const char *name;
	enum conf_io_kind kind;
} kinds[] = {
	{ "file", CONF_IO_FILE }, { "dir", CONF_IO_DIR }, { "fifo", CONF_IO_FIFO },
	{ "tty", CONF_IO_TTY }, { "ctty", CONF_IO_TTY },
};

static int
parse_one(const char *line, struct conf_stdio *s, char *err, size_t errlen)
{
	char kind[16] = "", *end;
	const char *p = line, *path;
	long fd;
	size_t k, n;

	fd = strtol(p, &end, 10);
	if (end == p || (*end != ' ' && *end != '\t') || fd < 0 || fd >= CONF_FDS) {
		snprintf(err, errlen, "stdio \"%s\": FD must be 0 to %d", line, CONF_FDS - 1);
		return -1;
	}
	p = end + strspn(end, " \t");
	n = strcspn(p, " \t");
	snprintf(kind, sizeof(kind), "%.*s", (int)n, p);
	path = p + n + strspn(p + n, " \t");
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(kinds[k].name, kind) == 0)
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		snprintf(err, errlen, "stdio \"%s\": KIND must be file, dir, fifo, tty or ctty", line);
		return -1;
	}
	if (s->kind[fd] != CONF_IO_DEFAULT) {
		snprintf(err, errlen, "stdio \"%s\": fd %ld named twice", line, fd);
		return -1;
	}
	if ((kinds[k].kind == CONF_IO_TTY) != (*path == '\0')) {
		snprintf(err, errlen, "stdio \"%s\": %s", line,
		    kinds[k].kind == CONF_IO_TTY ? "tty takes no PATH" : "needs a PATH");
		return -1;
	}
	if (strlen(path) >= sizeof(s->path[fd])) {
		snprintf(err, errlen, "stdio \"%s\": PATH too long", line);
		return -1;
	}
	s->kind[fd] = kinds[k].kind;
	strcpy(s->path[fd], path);
	s->tty = s->tty || kinds[k].kind == CONF_IO_TTY;
	s->ctty = s->ctty || strcmp(kind, "ctty") == 0;
	return 0;
}

int
conf_stdio_parse(const char *const *lines, struct conf_stdio *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; lines != NULL && lines[i] != NULL; i++)
		if (parse_one(lines[i], s, err, errlen) < 0)
			return -1;
	return 0;
}

/* --- the terminal and its victim --- */

static const struct {
	int sig;
	const char *name;
} victim_sigs[] = {
	{ SIGWINCH, "SIGWINCH" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGHUP, "SIGHUP" }, { SIGCONT, "SIGCONT" }, { SIGUSR1, "SIGUSR1" },
};

static int victim_log = -1;

/* Async-signal-safe: one write of a constant string. */
static void
victim_record(int sig)
{
	char line[32];
	size_t n;

	for (size_t i = 0; i < sizeof(victim_sigs) / sizeof(victim_sigs[0]); i++) {
		if (victim_sigs[i].sig != sig)
			continue;
		n = strlen(victim_sigs[i].name);
		memcpy(line, victim_sigs[i].name, n);
		line[n++] = '\n';
		if (write(victim_log, line, n) < 0)
			return;
	}
}

/* The victim: a session on the terminal, in its foreground, recording signals. */
static void
victim_main(const struct conf_tty *t, int ready)
{
	struct sigaction sa;
	sigset_t set;

	/* Never outlive the case, even if Kyua kills the runner. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(t->master);
	if (setsid() < 0 || ioctl(t->slave, TIOCSCTTY, 0) < 0 ||
	    tcsetpgrp(t->slave, getpid()) < 0 ||
	    (victim_log = open(t->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
		_exit(1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = victim_record;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(victim_sigs) / sizeof(victim_sigs[0]); i++) {
		sigaddset(&set, victim_sigs[i].sig);
		if (sigaction(victim_sigs[i].sig, &sa, NULL) < 0)
			_exit(1);
	}
	/* A mask inherited from the runner must not hide any of them. */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (write(ready, "1", 1) != 1)
		_exit(1);
	close(ready);
	for (;;)
		pause();
}

static int
start_victim(struct conf_tty *t)
{
	struct pollfd pfd;
	char c;
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if ((t->victim = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (t->victim == 0) {
		close(p[0]);
		victim_main(t, p[1]);
	}
	close(p[1]);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	if (poll(&pfd, 1, 5000) != 1 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		errno = ECHILD;
		return -1;
	}
	close(p[0]);
	return 0;
}

/* A typical cooked terminal, 24 rows by 80 columns. */
static int
cooked(int fd)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	struct termios tio;

	if (tcgetattr(fd, &tio) < 0)
		return -1;
	tio.c_iflag = ICRNL | IXON;
	tio.c_oflag = OPOST | ONLCR;
	tio.c_cflag = (tio.c_cflag & ~(tcflag_t)(CSIZE | PARENB)) | CS8 | CREAD;
	tio.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	if (tcsetattr(fd, TCSANOW, &tio) < 0)
		return -1;
	return ioctl(fd, TIOCSWINSZ, &ws);
}

int
conf_tty_open(struct conf_tty *t, const char *dir, bool ctty, char *err, size_t errlen)
{
	char name[128];
	const char *what = "posix_openpt";

	t->slave = -1;
	t->victim = -1;
	snprintf(t->log, sizeof(t->log), "%s/victim.signals", dir);
	if ((t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		goto fail;
	what = "opening the pty";
	if (grantpt(t->master) < 0 || unlockpt(t->master) < 0 ||
	    ptsname_r(t->master, name, sizeof(name)) != 0 ||
	    (t->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    fcntl(t->master, F_SETFL, O_NONBLOCK) < 0)
		goto fail;
	/* Set before the victim exists: a size change would send it SIGWINCH. */
	what = "setting the terminal";
	if (cooked(t->slave) < 0)
		goto fail;
	/* A terminal controls one session: the adapter's, or the victim's. */
	what = "starting the victim session";
	if (!ctty && start_victim(t) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "stdio tty: %s: %s", what, strerror(errno));
	conf_tty_close(t);
	return -1;
}

void
conf_tty_close(struct conf_tty *t)
{
	if (t->victim > 0) {
		kill(t->victim, SIGKILL);
		while (waitpid(t->victim, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (t->master >= 0)
		close(t->master);
	if (t->slave >= 0)
		close(t->slave);
	t->victim = t->master = t->slave = -1;
}

/* --- one launch's descriptors --- */

static int
open_kind(int fd, enum conf_io_kind kind, const char *path)
{
	switch (kind) {
	case CONF_IO_FILE:
		if (fd == 0)
			return open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
		return open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC, 0644);
	case CONF_IO_DIR:
		return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	case CONF_IO_FIFO:
		if (mkfifo(path, 0644) < 0 && errno != EEXIST)
			return -1;
		/* Read-write: the open never waits for the other end. */
		return open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	default:
		errno = EINVAL;
		return -1;
	}
}

int
conf_io_open(const struct conf_stdio *s, const struct conf_tty *t, const struct conf_vars *v,
    struct conf_io *io, char *err, size_t errlen)
{
	memset(io, 0, sizeof(*io));
	io->drain = s->tty ? t->master : -1;
	io->ctty = s->ctty ? t->slave : -1;
	for (int i = 0; i < CONF_FDS; i++)
		io->fd[i] = -1;
	for (int i = 0; i < CONF_FDS; i++) {
		char *path;

		if (s->kind[i] == CONF_IO_DEFAULT)
			continue;
		if (s->kind[i] == CONF_IO_TTY) {
			io->fd[i] = t->slave;
			continue;
		}
		if ((path = conf_case_path(s->path[i], v)) == NULL) {
			snprintf(err, errlen, "stdio %d: out of memory", i);
			conf_io_close(io);
			return -1;
		}
		io->fd[i] = open_kind(i, s->kind[i], path);
		if (io->fd[i] < 0) {
			snprintf(err, errlen, "stdio %d %s: %s", i, path, strerror(errno));
			free(path);
			conf_io_close(io);
			return -1;
		}
		io->owned |= 1U << i;
		free(path);
	}
	return 0;
}

void
conf_io_close(struct conf_io *io)
{
	for (int i = 0; i < CONF_FDS; i++)
		if (io->owned & (1U << i))
			close(io->fd[i]);
	io->owned = 0;
}
