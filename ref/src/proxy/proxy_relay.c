/*
 * The bridges' common part: a process per listening socket accepts
 * connections and forks a child per connection, which connects to the
 * next hop and copies both ways, passing each end-of-file on as a
 * half-close.  Children are capped, and every process dies with its parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proxy.h"

/* Connections served at once per bridge; more wait in the listen queue. */
#define MAX_CONNS 64
#define BUFSZ 16384

void
proxy_harden(pid_t parent, int keep_fd)
{
	sigset_t none;
	int null;

	/* The kept descriptor becomes 3, even if the caller had closed stdio and it is below. */
	if (keep_fd >= 0 && keep_fd != 3) {
		if (dup2(keep_fd, 3) < 0)
			_exit(1);
		close(keep_fd);
	}
	/* Never hold the command's output or the launcher's pipes open. */
	if ((null = open("/dev/null", O_RDWR)) < 0)
		_exit(1);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	if (null > 2)
		close(null);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, keep_fd >= 0 ? 4U : 3U, ~0U, 0) != 0)
#endif
		for (long fd = sysconf(_SC_OPEN_MAX) - 1; fd > (keep_fd >= 0 ? 3 : 2); fd--)
			close((int)fd);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
}

struct half {
	int from, to;
	char buf[BUFSZ];
	size_t off, len;
	bool eof;	/* from has ended; to was shut down once buf drained */
};

/* Copy a <-> b until both directions have ended or either fails. */
static void
copy_both(int a, int b)
{
	static struct half h[2];

	h[0] = (struct half){ .from = a, .to = b };
	h[1] = (struct half){ .from = b, .to = a };
	while (!(h[0].eof && h[0].len == 0 && h[1].eof && h[1].len == 0)) {
		struct pollfd p[2] = { { a, 0, 0 }, { b, 0, 0 } };

		for (int i = 0; i < 2; i++) {
			struct pollfd *in = h[i].from == a ? &p[0] : &p[1];
			struct pollfd *out = h[i].to == a ? &p[0] : &p[1];

			if (h[i].len > 0)
				out->events |= POLLOUT;
			else if (!h[i].eof)
				in->events |= POLLIN;
		}
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (int i = 0; i < 2; i++) {
			struct half *x = &h[i];
			short rin = x->from == a ? p[0].revents : p[1].revents;
			short rout = x->to == a ? p[0].revents : p[1].revents;
			ssize_t n;

			if (x->len > 0 && (rout & (POLLOUT | POLLERR | POLLHUP))) {
				n = send(x->to, x->buf + x->off, x->len, MSG_NOSIGNAL);
				if (n < 0 && errno != EINTR && errno != EAGAIN)
					return;
				if (n > 0) {
					x->off += (size_t)n;
					x->len -= (size_t)n;
				}
				if (x->len == 0 && x->eof)
					shutdown(x->to, SHUT_WR);
			} else if (x->len == 0 && !x->eof && (rin & (POLLIN | POLLERR | POLLHUP))) {
				n = recv(x->from, x->buf, sizeof(x->buf), 0);
				if (n < 0 && errno != EINTR && errno != EAGAIN)
					return;
				if (n == 0) {
					x->eof = true;
					shutdown(x->to, SHUT_WR);
				} else if (n > 0) {
					x->off = 0;
					x->len = (size_t)n;
				}
			}
		}
	}
}

static void __attribute__((noreturn))
serve_one(int conn, pid_t parent, const struct sockaddr *addr, socklen_t len)
{
	int up;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	up = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (up < 0)
		_exit(1);
	while (connect(up, addr, len) < 0)
		if (errno != EINTR)
			_exit(1);	/* the client sees its connection closed */
	copy_both(conn, up);
	_exit(0);
}

void
proxy_serve(int listener, const struct sockaddr *addr, socklen_t len)
{
	pid_t self = getpid();
	size_t live = 0;

	for (;;) {
		pid_t pid;
		int conn;

		/* Reap finished children; at the cap, wait for one before accepting. */
		while (live > 0 && waitpid(-1, NULL, live >= MAX_CONNS ? 0 : WNOHANG) > 0)
			live--;
		conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE ||
			    errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				usleep(10000);	/* out of resources: let a child finish */
				continue;
			}
			_exit(1);
		}
		pid = fork();
		if (pid == 0) {
			close(listener);
			serve_one(conn, self, addr, len);
		}
		close(conn);
		if (pid > 0)
			live++;
	}
}
