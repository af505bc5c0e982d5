/*
 * Transparent TCP in managed proxy mode (--transparent-tcp).  The command's
 * network namespace has only lo, so a plain client's connect() to an
 * outside address has no route.  A seccomp filter hands every connect() to
 * the redirector, which lets the kernel carry on with it unless the socket
 * is TCP and the address lies outside lo; then it opens its own connection
 * to the SOCKS5 forwarder on lo, asks the proxy to CONNECT to that address,
 * and puts that connection in place of the command's socket (same
 * descriptor number, SECCOMP_ADDFD_FLAG_SETFD).  Nothing new can leave: the
 * redirector lives in the same namespace, under the command's own network
 * filter, and only ever connects to the forwarder.
 *
 * The command's socket options set before connect() (TCP_NODELAY, buffer
 * sizes, timeouts) do not carry over; O_NONBLOCK and close-on-exec do.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include <seccomp.h>

#include "filter.h"
#include "proxy.h"
#include "tcp_redirect.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* Handshakes with the proxy at once; more connect() calls wait their turn. */
#define MAX_PENDING 64
/* How long a proxy may take to answer a handshake. */
#define HANDSHAKE_SECS 30

static int
send_fd(int chan, int fd)
{
	char c = 'L', ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
	    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *h;

	memset(ctl, 0, sizeof(ctl));
	h = CMSG_FIRSTHDR(&m);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(chan, &m, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static int
recv_fd(int chan)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
	    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *h;
	int fd;

	if (recvmsg(chan, &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	h = CMSG_FIRSTHDR(&m);
	if (h == NULL || h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS ||
	    h->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

/* Is the address somewhere the namespace itself reaches (lo, any, none)? */
static bool
local_address(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr);

		return (a >> 24) == 127 || a == INADDR_ANY;
	}
	const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

	if (IN6_IS_ADDR_V4MAPPED(a))
		return a->s6_addr[12] == 127 || (a->s6_addr[12] | a->s6_addr[13] |
		    a->s6_addr[14] | a->s6_addr[15]) == 0;
	return IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_UNSPECIFIED(a);
}

/* The address a connect() names, read from the caller's memory. */
static bool
read_address(const struct seccomp_notif *req, struct sockaddr_storage *ss)
{
	uint64_t len = req->data.args[2];
	char path[64];
	bool ok;
	int fd;

	memset(ss, 0, sizeof(*ss));
	if (len < sizeof(sa_family_t) || len > sizeof(*ss))
		return false;
	snprintf(path, sizeof(path), "/proc/%u/mem", req->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	ok = pread(fd, ss, (size_t)len, (off_t)req->data.args[1]) == (ssize_t)len;
	close(fd);
	if (!ok)
		return false;
	if (ss->ss_family == AF_INET)
		return len >= sizeof(struct sockaddr_in);
	return ss->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6);
}

/* A copy of the caller's socket if it is an unconnected TCP socket of the address's family. */
static int
tcp_socket(const struct seccomp_notif *req, int family)
{
	int pidfd, fd, type = 0, proto = 0, domain = 0;
	socklen_t l = sizeof(int);
	struct sockaddr_storage peer;
	socklen_t pl = sizeof(peer);

	if ((pidfd = pidfd_of((pid_t)req->pid)) < 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)req->data.args[0], 0);
	close(pidfd);
	if (fd < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) == 0 && type == SOCK_STREAM &&
	    (l = sizeof(int), getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l)) == 0 &&
	    proto == IPPROTO_TCP &&
	    (l = sizeof(int), getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &l)) == 0 &&
	    domain == family && getpeername(fd, (struct sockaddr *)&peer, &pl) < 0 &&
	    errno == ENOTCONN)
		return fd;
	close(fd);
	return -1;
}

static int
io_all(int s, void *buf, size_t n, bool out)
{
	char *p = buf;

	while (n > 0) {
		ssize_t r = out ? send(s, p, n, MSG_NOSIGNAL) : recv(s, p, n, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* What the command's connect() fails with when the proxy refuses (RFC 1928 replies). */
static int
socks_errno(unsigned char rep)
{
	switch (rep) {
	case 2: return EACCES;		/* not allowed by the ruleset */
	case 3: return ENETUNREACH;
	case 4: return EHOSTUNREACH;
	case 6: return ETIMEDOUT;	/* TTL expired */
	default: return ECONNREFUSED;
	}
}

/* The SOCKS5 CONNECT request for dst: version, command, reserved, address, port. */
static size_t
socks_request(const struct sockaddr_storage *dst, unsigned char *req)
{
	size_t n = 3;

	req[0] = 5, req[1] = 1, req[2] = 0;
	if (dst->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)dst;

		req[n++] = 1;
		memcpy(req + n, &in->sin_addr, 4), n += 4;
		memcpy(req + n, &in->sin_port, 2);
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)dst;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			req[n++] = 1;
			memcpy(req + n, &in6->sin6_addr.s6_addr[12], 4), n += 4;
		} else {
			req[n++] = 4;
			memcpy(req + n, &in6->sin6_addr, 16), n += 16;
		}
		memcpy(req + n, &in6->sin6_port, 2);
	}
	return n + 2;
}

/* A connection through the proxy to dst, or -1 with *e the command's errno. */
static int
socks_connect(uint16_t port, const struct sockaddr_storage *dst, int *e)
{
	struct sockaddr_in fwd = { .sin_family = AF_INET };
	struct timeval tv = { HANDSHAKE_SECS, 0 }, none = { 0, 0 };
	unsigned char req[22], rep[262];
	size_t n = socks_request(dst, req), skip;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	*e = ECONNREFUSED;
	fwd.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fwd.sin_port = htons(port);
	if (s < 0)
		return -1;
	if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(s, (struct sockaddr *)&fwd, sizeof(fwd)) < 0 ||
	    io_all(s, "\5\1\0", 3, true) < 0 || io_all(s, rep, 2, false) < 0 ||
	    rep[0] != 5 || rep[1] != 0 || io_all(s, req, n, true) < 0 ||
	    io_all(s, rep, 4, false) < 0 || rep[0] != 5)
		goto fail;
	if (rep[1] != 0) {
		*e = socks_errno(rep[1]);
		goto fail;
	}
	/* The bound address the proxy reports: read past it. */
	if (rep[3] == 1)
		skip = 4 + 2;
	else if (rep[3] == 4)
		skip = 16 + 2;
	else if (rep[3] == 3 && io_all(s, rep, 1, false) == 0)
		skip = (size_t)rep[0] + 2;
	else
		goto fail;
	if (io_all(s, rep, skip, false) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof(none)) < 0)
		goto fail;
	return s;
fail:
	close(s);
	return -1;
}

/* Was the command's descriptor close-on-exec?  Its fdinfo says, in this /proc. */
static bool
fd_cloexec(const struct seccomp_notif *req)
{
	char path[64], line[128];
	unsigned long flags = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/fdinfo/%d", req->pid, (int)req->data.args[0]);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "flags: %lo", &flags) == 1;
	fclose(f);
	return (flags & O_CLOEXEC) != 0;
}

static void
respond(int nfd, struct seccomp_notif_resp *resp, const struct seccomp_notif *req, int error,
    bool cont)
{
	resp->id = req->id;
	resp->val = 0;
	resp->error = error != 0 ? -error : 0;
	resp->flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	seccomp_notify_respond(nfd, resp);
}

/* One redirected connect(), in its own process: the handshake may take a while. */
static void __attribute__((noreturn))
redirect(int nfd, const struct seccomp_notif *req, struct seccomp_notif_resp *resp,
    int sock, const struct sockaddr_storage *dst, uint16_t port)
{
	struct seccomp_notif_addfd add = { .id = req->id, .flags = SECCOMP_ADDFD_FLAG_SETFD };
	int e, up, fl;

	if ((up = socks_connect(port, dst, &e)) < 0) {
		respond(nfd, resp, req, e, false);
		_exit(0);
	}
	if ((fl = fcntl(sock, F_GETFL)) >= 0 && (fl & O_NONBLOCK))
		fcntl(up, F_SETFL, O_NONBLOCK);
	add.srcfd = (uint32_t)up;
	add.newfd = (uint32_t)req->data.args[0];
	add.newfd_flags = fd_cloexec(req) ? O_CLOEXEC : 0;
	if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_ADDFD, &add) < 0)
		respond(nfd, resp, req, ECONNREFUSED, false);
	else
		respond(nfd, resp, req, 0, false);
	_exit(0);
}

/* One notification: the kernel carries on with it, or a child redirects it. */
static bool
handle(int nfd, const struct seccomp_notif *req, struct seccomp_notif_resp *resp, uint16_t port)
{
	struct sockaddr_storage dst;
	pid_t parent = getpid(), pid;
	int sock;

	if (req->data.arch != seccomp_arch_native() || !read_address(req, &dst) ||
	    seccomp_notify_id_valid(nfd, req->id) != 0 || local_address(&dst) ||
	    (sock = tcp_socket(req, dst.ss_family)) < 0) {
		respond(nfd, resp, req, 0, true);
		return false;
	}
	if ((pid = fork()) == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		redirect(nfd, req, resp, sock, &dst, port);
	}
	close(sock);
	if (pid < 0)
		respond(nfd, resp, req, EAGAIN, false);
	return pid > 0;
}

static void __attribute__((noreturn))
serve(int nfd, uint16_t port)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	size_t live = 0;
	int fails = 0;

	if (seccomp_notify_alloc(&req, &resp) < 0)
		_exit(1);
	while (fails < 100) {
		/* Reap finished handshakes; at the cap, wait for one. */
		while (live > 0 && waitpid(-1, NULL, live >= MAX_PENDING ? 0 : WNOHANG) > 0)
			live--;
		memset(req, 0, sizeof(*req));
		if (seccomp_notify_receive(nfd, req) < 0) {
			fails++;	/* the caller went away (ENOENT), or a signal */
			continue;
		}
		fails = 0;
		if (handle(nfd, req, resp, port))
			live++;
	}
	_exit(1);
}

/* The redirector: as confined as the command, unreadable to it, holding the listener. */
static void __attribute__((noreturn))
redirector(pid_t parent, int chan, uint16_t port)
{
	char err[256];
	int nfd;

	proxy_harden(parent, chan);
	if (filter_install(SECCOMP_PROXY, err, sizeof(err)) < 0 || (nfd = recv_fd(3)) < 0)
		_exit(1);
	close(3);
	serve(nfd, port);
}

/* Install the connect() filter on this process (and so the command) and hand its listener over. */
static int
arm(int chan, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	int r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	/* The command's own filter already governs the other entry points. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW)) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(connect), 0)) < 0 ||
	    (r = seccomp_load(ctx)) < 0) {
		snprintf(err, errlen, "cannot install the transparent TCP filter (seccomp user "
		    "notification, Linux 5.9 or newer): %s", strerror(-r));
		seccomp_release(ctx);
		return -1;
	}
	r = send_fd(chan, seccomp_notify_fd(ctx));
	/* The listener is close-on-exec, and the inner stage closes every descriptor above 2. */
	seccomp_release(ctx);
	if (r < 0)
		snprintf(err, errlen, "cannot hand the transparent TCP listener over: %s",
		    strerror(errno));
	return r;
}

int
tcp_redirect_start(uint16_t socks_port, char *err, size_t errlen)
{
	pid_t self = getpid(), pid;
	int sv[2], r;

	if (socks_port == 0) {
		snprintf(err, errlen, "transparent TCP: no SOCKS5 proxy variable reached the sandbox");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	/* Forked before the connect() filter: the redirector's own connects are not its own notifications. */
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		redirector(self, sv[1], socks_port);
	}
	close(sv[1]);
	r = arm(sv[0], err, errlen);
	close(sv[0]);
	return r;
}
