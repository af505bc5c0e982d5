/* Network probes: sockets, connections over loopback and Unix sockets. */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <linux/netlink.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#ifndef AF_VSOCK
#define AF_VSOCK	40
#endif
#ifndef AF_ALG
#define AF_ALG		38
#endif

#define CONNECT_MS	3000

static const struct {
	const char	*name;
	int		 af;
	int		 type;
} families[] = {
	{ "unix", AF_UNIX, SOCK_STREAM },
	{ "inet", AF_INET, SOCK_STREAM },
	{ "inet6", AF_INET6, SOCK_STREAM },
	{ "netlink", AF_NETLINK, SOCK_RAW },
	{ "packet", AF_PACKET, SOCK_RAW },
	{ "vsock", AF_VSOCK, SOCK_STREAM },
	{ "alg", AF_ALG, SOCK_SEQPACKET },	/* AF_ALG has no other type */
};

static const struct {
	const char	*name;
	int		 type;
} types[] = {
	{ "stream", SOCK_STREAM },
	{ "dgram", SOCK_DGRAM },
	{ "raw", SOCK_RAW },
	{ "seqpacket", SOCK_SEQPACKET },
};

/*
 * Raw IP sockets need a protocol, netlink asks for routing; everything
 * else takes 0 (a packet socket bound to no protocol receives nothing).
 */
static int
protocol(int af, int type)
{
	if (af == AF_NETLINK)
		return NETLINK_ROUTE;
	if (type == SOCK_RAW && af == AF_INET)
		return IPPROTO_ICMP;
	if (type == SOCK_RAW && af == AF_INET6)
		return IPPROTO_ICMPV6;
	return 0;
}

int
family_lookup(const char *name, int *af, int *type, int *proto)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (strcmp(families[i].name, name) != 0)
			continue;
		*af = families[i].af;
		*type = families[i].type;
		*proto = protocol(*af, *type);
		return 0;
	}
	return -1;
}

static int
type_lookup(const char *name, int *type)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(types[i].name, name) == 0) {
			*type = types[i].type;
			return 0;
		}
	}
	return -1;
}

/* Create and close: a vsock in particular is never connected. */
static void
p_socket(char **av)
{
	int af, type, proto, fd;

	if (family_lookup(av[0], &af, &type, &proto) == -1 ||
	    (av[1] != NULL && type_lookup(av[1], &type) == -1)) {
		usage("FAMILY [stream|dgram|raw|seqpacket]");
		return;
	}
	proto = protocol(af, type);
	if ((fd = socket(af, type | SOCK_CLOEXEC, proto)) != -1)
		close(fd);
	outcome(fd);
}

/* The domain with bit 32 set: the kernel reads an int, a filter must compare 32 bits. */
static void
p_socket_hibit(char **av)
{
	int af, type, proto;
	long fd;

	if (family_lookup(av[0], &af, &type, &proto) == -1 ||
	    (av[1] != NULL && type_lookup(av[1], &type) == -1)) {
		usage("FAMILY [stream|dgram|raw|seqpacket]");
		return;
	}
	proto = protocol(af, type);
	fd = syscall(SYS_socket, (long)af | (1L << 32), (long)(type | SOCK_CLOEXEC), (long)proto);
	if (fd != -1)
		close((int)fd);
	outcome((int)fd);
}

static void
p_socketpair(char **av)
{
	int sv[2], rc, type = SOCK_STREAM;

	if (av[0] != NULL && type_lookup(av[0], &type) == -1) {
		usage("[stream|dgram|seqpacket]");
		return;
	}
	rc = socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv);
	if (rc == 0) {
		close(sv[0]);
		close(sv[1]);
	}
	outcome(rc);
}

/*
 * A numeric IPv4 or IPv6 address and port.  inet_pton rather than
 * getaddrinfo: a static binary must never reach for NSS modules.
 */
static int
resolve(struct sockaddr_storage *ss, socklen_t *len, const char *host,
    const char *port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	long p;

	if (parse_long(port, 10, &p) == -1 || p < 0 || p > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* Wait for a non-blocking connect; a silent drop becomes ETIMEDOUT. */
static int
finish_connect(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int r, err;

	do
		r = poll(&pfd, 1, CONNECT_MS);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		return errno;
	if (r == 0)
		return ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return errno;
	return err;
}

static int
try_connect(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd, err = 0;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return errno;
	if (connect(fd, (const struct sockaddr *)ss, len) == -1)
		err = errno == EINPROGRESS ? finish_connect(fd) : errno;
	close(fd);
	return err;
}

static void
p_tcp_connect(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (resolve(&ss, &len, av[0], av[1]) == -1) {
		usage("NUMERIC-HOST PORT");
		return;
	}
	report(try_connect(&ss, len), NULL);
}

static void
p_udp_send(char **av)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, err = 0;

	if (resolve(&ss, &len, av[0], av[1]) == -1) {
		usage("NUMERIC-HOST PORT");
		return;
	}
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		report(errno, NULL);
		return;
	}
	if (sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, len) == -1)
		err = errno;
	close(fd);
	report(err, NULL);
}

static void
p_tcp_listen(char **av)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	long port;
	int fd, e;

	if (parse_long(av[0], 10, &port) == -1 || port < 0 || port > 65535) {
		usage("PORT");
		return;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		report(errno, NULL);
		return;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 1) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		e = errno;
		close(fd);
		report(e, NULL);
		return;
	}
	close(fd);
	report(0, "port=%u", ntohs(sin.sin_port));
}

/* Fill a Unix address; abstract names start with a NUL byte. */
static int
unix_addr(struct sockaddr_un *sun, socklen_t *len, const char *name,
    int abstract)
{
	size_t n = strlen(name), off = abstract ? 1 : 0;

	if (n + off + (abstract ? 0 : 1) > sizeof(sun->sun_path))
		return -1;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + off, name, n);
	*len = offsetof(struct sockaddr_un, sun_path) + off + n +
	    (abstract ? 0 : 1);
	return 0;
}

static void
unix_op(const char *name, int abstract, int binding)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd, rc;

	if (unix_addr(&sun, &len, name, abstract) == -1) {
		usage(abstract ? "NAME (too long)" : "PATH (too long)");
		return;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		report(errno, NULL);
		return;
	}
	if (binding)
		rc = bind(fd, (struct sockaddr *)&sun, len);
	else
		rc = connect(fd, (struct sockaddr *)&sun, len);
	if (rc == -1)
		rc = errno;
	close(fd);
	report(rc, NULL);
}

/*
 * sendmsg() one datagram to a host socket path, with the address in the
 * message, from a fresh datagram socket or (with "pair") from one end of a
 * datagram socketpair: no connect(), no sendto().
 */
static void
p_unix_dgram_send(char **av)
{
	struct sockaddr_un sun;
	struct iovec iov = { (void *)"x", 1 };
	struct msghdr msg = { 0 };
	socklen_t len;
	int sv[2] = { -1, -1 }, rc;

	if (unix_addr(&sun, &len, av[0], 0) == -1 ||
	    (av[1] != NULL && strcmp(av[1], "pair") != 0)) {
		usage("PATH [pair]");
		return;
	}
	if (av[1] != NULL)
		rc = socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv);
	else
		rc = (sv[0] = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ? -1 : 0;
	if (rc == -1) {
		report(errno, "stage=socket");
		return;
	}
	msg.msg_name = &sun;
	msg.msg_namelen = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	rc = sendmsg(sv[0], &msg, 0) == -1 ? errno : 0;
	close(sv[0]);
	if (sv[1] != -1)
		close(sv[1]);
	report(rc, "stage=sendmsg");
}

static void
p_unix_connect(char **av)
{
	unix_op(av[0], 0, 0);
}

static void
p_abstract_connect(char **av)
{
	unix_op(av[0], 1, 0);
}

static void
p_unix_bind(char **av)
{
	unix_op(av[0], 0, 1);
}

/*
 * Interfaces of this network namespace, from /proc/self/net/dev: no socket
 * needed, so the answer does not depend on what the seccomp filter allows.
 */
static void
p_ifaces(char **av)
{
	char list[1024], line[512], name[IF_NAMESIZE + 1];
	size_t off = 0;
	FILE *f;

	(void)av;
	if ((f = fopen("/proc/self/net/dev", "re")) == NULL) {
		report(errno, NULL);
		return;
	}
	list[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':'), *start = line;

		if (colon == NULL)
			continue;	/* the two header lines */
		*colon = '\0';
		while (*start == ' ')
			start++;
		clean(name, sizeof(name), start);
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", off > 0 ? "," : "", name);
		if (off >= sizeof(list))
			break;
	}
	fclose(f);
	report(0, "value=%s", list[0] != '\0' ? list : "-");
}

const struct probe net_probes[] = {
	{ "socket", 1, 2, p_socket, "FAMILY [stream|dgram|raw|seqpacket]" },
	{ "socket-hibit", 1, 2, p_socket_hibit, "FAMILY [stream|dgram|raw|seqpacket]" },
	{ "socketpair", 0, 1, p_socketpair, "[stream|dgram|seqpacket]" },
	{ "unix-dgram-send", 1, 2, p_unix_dgram_send, "PATH [pair]" },
	{ "tcp-connect", 2, 2, p_tcp_connect, "HOST PORT" },
	{ "udp-send", 2, 2, p_udp_send, "HOST PORT" },
	{ "tcp-listen", 1, 1, p_tcp_listen, "PORT" },
	{ "unix-connect", 1, 1, p_unix_connect, "PATH" },
	{ "abstract-connect", 1, 1, p_abstract_connect, "NAME" },
	{ "unix-bind", 1, 1, p_unix_bind, "PATH" },
	{ "ifaces", 0, 0, p_ifaces, "(no arguments)" },
	{ NULL, 0, 0, NULL, NULL },
};
