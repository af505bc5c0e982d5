/* What to do with each of the command's stdio descriptors: pure decisions. */
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mutant.h"
#include "stdio_guard.h"

/*
 * A connected, unnamed AF_UNIX stream socket whose peer is unnamed too: a
 * socket pair (libuv and Node give their children these for stdio).  Its
 * only other end is in the caller's hands; it has no name in any file
 * system or in the abstract namespace to reopen, reconnect or bind, and
 * the command cannot connect it anywhere else (EISCONN).  So it is a pipe
 * for every purpose here.  A socket connected to a named one (a server's
 * path) is not: the command could speak that server's protocol on it.
 */
static bool
socket_pair(const struct stdio_fact *f)
{
	return f->sock_family == AF_UNIX && f->sock_type == SOCK_STREAM && !f->sock_listening &&
	    !f->sock_named && f->sock_connected && !f->sock_peer_named;
}

/* Something the command could act on: what it is, and what the command could do. */
static const char *
exposure(const struct stdio_fact *f)
{
	switch (f->type) {
	case S_IFREG:
		return "a regular file: the command could reopen, truncate or chmod it";
	case S_IFDIR:
		return "a directory: the command could create or change files in it";
	case S_IFIFO:
		return "a named FIFO: the command could reopen it or chmod it";
	case S_IFSOCK:
		if (f->sock_listening)
			return "a listening socket: the command could accept connections on it";
		return "a socket with a name, or connected to one: the command could reach "
		    "what it names";
	case S_IFCHR:
		if (f->tty)
			return "a terminal: the command could change its settings, which would "
			    "outlast the run";
		return "a character device: the command could reopen it or act on it "
		    "through ioctl";
	case S_IFBLK:
		return "a block device: the command could reopen it";
	default:
		return "an unknown kind of file";
	}
}

/* Nothing can be copied in the descriptor's direction: it could not be read (written) either. */
static bool
one_way_shut(int fd, const struct stdio_fact *f)
{
	if (f->accmode < 0 || f->sock_listening)
		return true;
	if (fd == 0)
		return f->accmode == O_WRONLY || f->type == S_IFDIR;
	return f->accmode == O_RDONLY;
}

enum stdio_kind
stdio_classify(int fd, const struct stdio_fact *f, const char **why)
{
	if (!f->open) {
		*why = "closed";
		return STDIO_PASS;
	}
	if (f->type == S_IFIFO && f->fs_type == PIPEFS_MAGIC) {
		*why = "an anonymous pipe";
		return STDIO_PASS;
	}
	if (f->type == S_IFCHR && f->rdev == makedev(1, 3)) {
		*why = "/dev/null";
		return STDIO_PASS;
	}
	if (f->type == S_IFSOCK && socket_pair(f)) {
		*why = "an unnamed socket connected to an unnamed one (a socket pair)";
		return STDIO_PASS;
	}
	*why = exposure(f);
	if (f->type == S_IFCHR && f->tty)
		return mutant("stdio-pty") ? STDIO_PASS : STDIO_PTY;
	if (mutant("stdio-relay"))
		return STDIO_PASS;
	return one_way_shut(fd, f) ? STDIO_EMPTY : STDIO_RELAY;
}

/* Two appending open files of one file: one stream, whichever writes it. */
static bool
appending_to_one(const struct stdio_fact *a, const struct stdio_fact *b)
{
	return a->append && b->append && a->dev == b->dev && a->ino == b->ino;
}

void
stdio_plan(const struct stdio_fact f[3], bool one12, struct stdio_plan *p)
{
	int tty = -1;

	for (int fd = 0; fd < 3; fd++) {
		p->kind[fd] = stdio_classify(fd, &f[fd], &p->why[fd]);
		p->with[fd] = fd;
		if (p->kind[fd] != STDIO_PTY)
			continue;
		if (tty < 0) {
			tty = fd;
		} else if (f[fd].rdev == f[tty].rdev) {
			p->with[fd] = tty;
		} else {
			/* One pseudo-terminal: a second terminal is a device like any other. */
			p->kind[fd] = one_way_shut(fd, &f[fd]) ? STDIO_EMPTY : STDIO_RELAY;
			p->why[fd] = "a second terminal: the command could change its settings";
		}
	}
	if ((one12 || appending_to_one(&f[1], &f[2])) && p->kind[1] == STDIO_RELAY &&
	    p->kind[2] == STDIO_RELAY)
		p->with[2] = 1;
}

bool
stdio_plan_needed(const struct stdio_plan *p)
{
	return p->kind[0] != STDIO_PASS || p->kind[1] != STDIO_PASS || p->kind[2] != STDIO_PASS;
}

int
stdio_pty_output(const struct stdio_plan *p, const struct stdio_fact f[3])
{
	static const int order[] = { 1, 2, 0 };

	for (int i = 0; i < 3; i++) {
		int fd = order[i];

		if (p->kind[fd] == STDIO_PTY && f[fd].accmode != O_RDONLY && f[fd].accmode >= 0)
			return fd;
	}
	return -1;
}

bool
stdio_pty_input(const struct stdio_plan *p, const struct stdio_fact f[3])
{
	return p->kind[0] == STDIO_PTY && (f[0].accmode == O_RDONLY || f[0].accmode == O_RDWR);
}

void
stdio_relay_termios(const struct termios *caller, struct termios *t)
{
	*t = *caller;
	t->c_iflag &= ~(tcflag_t)(ISTRIP | INLCR | IGNCR | ICRNL | IUCLC | IXON | IMAXBEL);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHOE | ECHOK | ECHONL | IEXTEN);
	t->c_lflag |= ISIG;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

off_t
stdio_input_offset(off_t start, uint64_t written, int unread)
{
	if (unread < 0 || (uint64_t)unread > written)
		unread = 0;
	return start + (off_t)(written - (uint64_t)unread);
}
