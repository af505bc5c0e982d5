/*
 * The stdio guard's system side: what descriptors 0-2 are, the pipes and
 * the pseudo-terminal that replace them, and their dance around bwrap's
 * start.  The decisions are in stdio_classify.c, the copying in
 * stdio_pump.c, the caller's terminal in stdio_pty.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "stdio_relay.h"
#include "util.h"

#define CHUNK 65536
#define UNNAMED offsetof(struct sockaddr_un, sun_path)

static void
socket_facts(int fd, struct stdio_fact *f)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(int);
	int v;

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) == 0)
		f->sock_family = v;
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == 0)
		f->sock_type = v;
	len = sizeof(v);
	f->sock_listening = getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v != 0;
	/* A name that cannot be read counts as one. */
	len = sizeof(a);
	f->sock_named = getsockname(fd, (struct sockaddr *)&a, &len) < 0 || len > UNNAMED;
	len = sizeof(a);
	f->sock_connected = getpeername(fd, (struct sockaddr *)&a, &len) == 0;
	f->sock_peer_named = !f->sock_connected || len > UNNAMED;
}

/* What fd is; the common cases (a pipe, /dev/null) in two system calls. */
static void
facts(int fd, struct stdio_fact *f)
{
	struct stat st;
	struct termios t;
	const char *why;
	int fl;

	memset(f, 0, sizeof(*f));
	if (fstat(fd, &st) < 0)
		return;
	f->open = true;
	f->type = st.st_mode & S_IFMT;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->rdev = st.st_rdev;
	if (S_ISFIFO(st.st_mode)) {
		struct statfs sfs;

		if (fstatfs(fd, &sfs) == 0)
			f->fs_type = (long)sfs.f_type;
	}
	if (stdio_classify(fd, f, &why) == STDIO_PASS && !S_ISSOCK(st.st_mode))
		return;
	fl = fcntl(fd, F_GETFL);
	f->accmode = fl < 0 || (fl & O_PATH) ? -1 : fl & O_ACCMODE;
	f->append = fl >= 0 && (fl & O_APPEND);
	if (S_ISSOCK(st.st_mode))
		socket_facts(fd, f);
	if (S_ISCHR(st.st_mode))
		f->tty = tcgetattr(fd, &t) == 0;
}

/* fds 1 and 2 are one open file (2>&1): kcmp knows; without it, the same file will do. */
static bool
one_file(const struct stdio_fact *a, const struct stdio_fact *b)
{
	pid_t pid;
	long r;

	if (!a->open || !b->open || a->dev != b->dev || a->ino != b->ino)
		return false;
	pid = getpid();
	r = syscall(SYS_kcmp, pid, pid, KCMP_FILE, 1, 2);
	return r == 0 || r < 0;
}

static void
examine(struct stdio_fact f[3], struct stdio_plan *p)
{
	for (int fd = 0; fd < 3; fd++)
		facts(fd, &f[fd]);
	/* Whether 1 and 2 are one open file matters only for two relays: no kcmp otherwise. */
	stdio_plan(f, false, p);
	if (p->kind[1] == STDIO_RELAY && p->kind[2] == STDIO_RELAY && one_file(&f[1], &f[2]))
		stdio_plan(f, true, p);
}

int
stdio_park(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);

	if (high < 0)
		err_(EXIT_POLICY, "stdio: parking descriptor %d", fd);
	return high;
}

/* A new descriptor, off 0-2 (which may be closed, and must stay so). */
static int
lift(int fd, const char *what)
{
	int high;

	if (fd < 0)
		err_(EXIT_POLICY, "stdio: %s", what);
	if (fd > 2)
		return fd;
	high = stdio_park(fd);
	close(fd);
	return high;
}

static void
nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		err_(EXIT_POLICY, "stdio: O_NONBLOCK");
}

static struct stdio_chan *
add_chan(struct stdio_guard *g, int src, int dst, int own)
{
	struct stdio_chan *c = &g->chan[g->nchan++];

	c->g = g;
	c->src = src;
	c->dst = dst;
	c->own = own;
	c->splice = true;
	c->buf = xmalloc(CHUNK);
	return c;
}

/*
 * A pipe for fd.  Only the guard's end is non-blocking: the command's is
 * another open file, as blocking as a pipe it would have been given.
 */
static void
relay_pipe(struct stdio_guard *g, int fd)
{
	struct stdio_chan *c;
	int p[2];
	off_t start;

	if (pipe2(p, O_CLOEXEC) < 0)
		err_(EXIT_POLICY, "stdio: pipe");
	p[0] = lift(p[0], "pipe");
	p[1] = lift(p[1], "pipe");
	if (fd > 0) {
		g->side[fd] = p[1];
		nonblocking(p[0]);
		add_chan(g, p[0], g->orig[fd], p[0]);
		return;
	}
	g->side[0] = p[0];
	nonblocking(p[1]);
	c = add_chan(g, g->orig[0], p[1], p[1]);
	c->input = true;
	c->poll_src = g->fact[0].type != S_IFREG;
	/* A file: read at an offset of cordon's own, and set the caller's once at the end. */
	if (g->fact[0].type == S_IFREG && (start = lseek(g->orig[0], 0, SEEK_CUR)) >= 0) {
		c->seek = true;
		c->off = start;
		g->in = c;
		g->in_start = start;
	}
}

/* The pseudo-terminal for the caller's terminal on fd (its lowest descriptor). */
static void
relay_pty(struct stdio_guard *g, int fd, int master, int slave)
{
	int out = stdio_pty_output(&g->plan, g->fact);
	struct stdio_chan *c;

	g->tty = g->orig[fd];
	g->master = lift(master, "posix_openpt");
	g->side[fd] = lift(slave, "the pseudo-terminal");
	nonblocking(g->master);
	c = add_chan(g, g->master, out >= 0 ? g->orig[out] : -1, -1);
	c->splice = false;
	if (!stdio_pty_input(&g->plan, g->fact))
		return;
	if (pipe2(g->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		err_(EXIT_POLICY, "stdio: pipe");
	g->wake[0] = lift(g->wake[0], "pipe");
	g->wake[1] = lift(g->wake[1], "pipe");
	c = add_chan(g, g->orig[0], g->master, -1);
	c->splice = false;
	c->input = true;
	c->poll_src = true;
	c->tty_in = true;
}

/* No pseudo-terminal to be had (no /dev/ptmx): the terminal is relayed like a device. */
static int
open_pty(struct stdio_guard *g, int *slave)
{
	int tty = -1, master;

	for (int fd = 0; fd < 3 && tty < 0; fd++)
		if (g->plan.kind[fd] == STDIO_PTY)
			tty = fd;
	if (tty < 0)
		return -1;
	if ((master = stdio_pty_open(tty, slave)) >= 0)
		return master;
	for (int fd = 0; fd < 3; fd++)
		g->fact[fd].tty = false;
	stdio_plan(g->fact, one_file(&g->fact[1], &g->fact[2]), &g->plan);
	return -1;
}

struct stdio_guard *
stdio_guard_begin(void)
{
	struct stdio_fact f[3];
	struct stdio_plan plan;
	struct stdio_guard *g;
	int master, slave = -1;

	examine(f, &plan);
	if (!stdio_plan_needed(&plan))
		return NULL;
	g = xcalloc(1, sizeof(*g));
	g->plan = plan;
	memcpy(g->fact, f, sizeof(f));
	g->master = g->tty = -1;
	g->stop[0] = g->stop[1] = g->wake[0] = g->wake[1] = -1;
	master = open_pty(g, &slave);
	if (pipe2(g->stop, O_CLOEXEC) < 0)
		err_(EXIT_POLICY, "stdio: pipe");
	g->stop[0] = lift(g->stop[0], "pipe");
	g->stop[1] = lift(g->stop[1], "pipe");
	for (int fd = 0; fd < 3; fd++) {
		g->orig[fd] = g->side[fd] = -1;
		if (g->plan.kind[fd] != STDIO_PASS)
			g->orig[fd] = stdio_park(fd);
	}
	for (int fd = 0; fd < 3; fd++) {
		int with = g->plan.with[fd];

		if (with != fd)
			g->side[fd] = stdio_park(g->side[with]);
		else if (g->plan.kind[fd] == STDIO_EMPTY)
			g->side[fd] = lift(open("/dev/null", O_RDONLY | O_CLOEXEC), "/dev/null");
		else if (g->plan.kind[fd] == STDIO_RELAY)
			relay_pipe(g, fd);
		else if (g->plan.kind[fd] == STDIO_PTY)
			relay_pty(g, fd, master, slave);
	}
	return g;
}

/* Leaves errno alone: the caller's fork or spawn may have one to report. */
static void
place(const int fds[3])
{
	int e = errno;

	for (int fd = 0; fd < 3; fd++)
		if (fds[fd] >= 0 && dup2(fds[fd], fd) < 0)
			err_(EXIT_POLICY, "stdio: dup2");
	errno = e;
}

void
stdio_guard_enter(struct stdio_guard *g)
{
	if (g != NULL)
		place(g->side);
}

void
stdio_guard_leave(struct stdio_guard *g)
{
	int e;

	if (g == NULL)
		return;
	place(g->orig);
	if (g->started)
		return;
	e = errno;
	g->started = true;
	stdio_pty_start(g);
	stdio_pump_start(g);
	errno = e;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void
stdio_guard_end(struct stdio_guard *g, bool wait_eof)
{
	int unread = 0;

	if (g == NULL)
		return;
	place(g->orig);
	/* cordon's copies of the sandbox's ends: the outputs end with the sandbox's. */
	for (int fd = 0; fd < 3; fd++)
		if (fd > 0 || g->in == NULL)
			close_fd(&g->side[fd]);
	if (g->started)
		stdio_pump_end(g, wait_eof ? STDIO_END_EOF : STDIO_END_NOW);
	/* What the command read of a file: what went into the pipe, less what is left in it. */
	if (g->in != NULL && ioctl(g->side[0], FIONREAD, &unread) == 0)
		(void)lseek(g->orig[0], stdio_input_offset(g->in_start, g->in->moved, unread),
		    SEEK_SET);
	stdio_pty_end(g);
	close_fd(&g->side[0]);
	for (int i = 0; i < g->nchan; i++) {
		close_fd(&g->chan[i].own);
		free(g->chan[i].buf);
	}
	for (int fd = 0; fd < 3; fd++)
		close_fd(&g->orig[fd]);
	close_fd(&g->master);
	close_fd(&g->stop[0]);
	close_fd(&g->stop[1]);
	close_fd(&g->wake[0]);
	close_fd(&g->wake[1]);
	free(g);
}

void
stdio_guard_explain(FILE *out)
{
	struct stdio_fact f[3];
	struct stdio_plan p;

	examine(f, &p);
	for (int fd = 0; fd < 3; fd++) {
		switch (p.kind[fd]) {
		case STDIO_PASS:
			break;
		case STDIO_RELAY:
			if (p.with[fd] != fd)
				fprintf(out, "stdio: fd %d relayed through fd %d's pipe (one "
				    "stream: their order is kept)\n", fd, p.with[fd]);
			else
				fprintf(out, "stdio: fd %d relayed (%s)\n", fd, p.why[fd]);
			break;
		case STDIO_EMPTY:
			fprintf(out, "stdio: fd %d is /dev/null, read-only (%s; it could not be %s "
			    "either)\n", fd, p.why[fd], fd == 0 ? "read" : "written");
			break;
		case STDIO_PTY:
			fprintf(out, "stdio: fd %d through a pseudo-terminal (%s)\n", fd,
			    p.why[fd]);
			break;
		}
	}
}
