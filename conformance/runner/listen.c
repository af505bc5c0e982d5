/*
 * Host-side listeners.  A listening socket completes connections in its
 * backlog without accept(), so no server process is needed: the sockets
 * live exactly as long as the case and nothing outlives it.  The FIFO
 * likewise: held open for reading, a writer's open succeeds and what it
 * writes waits in the pipe until the run is over.  The shared memory
 * segment is removed when the case ends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "runner.h"

static int
listen_tcp(struct conf_vars *v)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(v->port, sizeof(v->port), "%u", ntohs(sin.sin_port));
	return fd;
}

/* A pathname datagram socket needs no listen(): bound, it receives. */
static int
listen_unix_dgram(struct conf_vars *v, struct conf_listeners *l)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (snprintf(v->dsock, sizeof(v->dsock), "%s/dgram.sock", v->tmp) >= (int)sizeof(sun.sun_path)) {
		close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, v->dsock);
	snprintf(l->dgram_path, sizeof(l->dgram_path), "%s", v->dsock);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
listen_unix(struct conf_vars *v, bool abstract, struct conf_listeners *l)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	socklen_t len;

	if (fd < 0)
		return -1;
	if (abstract) {
		snprintf(v->abstract, sizeof(v->abstract), "cordon-conf-%ld", (long)getpid());
		memcpy(sun.sun_path + 1, v->abstract, strlen(v->abstract));
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(v->abstract));
	} else {
		if (snprintf(v->sock, sizeof(v->sock), "%s/listener.sock", v->tmp) >=
		    (int)sizeof(sun.sun_path)) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(sun.sun_path, v->sock);
		snprintf(l->unix_path, sizeof(l->unix_path), "%s", v->sock);
		len = sizeof(sun);
	}
	if (bind(fd, (struct sockaddr *)&sun, len) < 0 || listen(fd, 16) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* @OUT@/host.fifo: outside every writable root of the profiles. */
static int
listen_fifo(struct conf_vars *v, struct conf_listeners *l)
{
	if (snprintf(v->fifo, sizeof(v->fifo), "%s/host.fifo", v->out) >= (int)sizeof(v->fifo)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkfifo(v->fifo, 0644) < 0)
		return -1;
	l->fifo = open(v->fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return l->fifo < 0 ? -1 : 0;
}

/* Read exactly n bytes (the proxy's client is the sandbox: never trusted to send them). */
static int
read_n(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The CONNECT destination of a SOCKS5 request ("192.0.2.1:80", "[2001:db8::1]:80"). */
static int
socks_destination(int c, char *dst, size_t len)
{
	unsigned char h[4], a[256], p[2];
	char host[INET6_ADDRSTRLEN + 2];
	size_t alen;

	if (read_n(c, h, 4) < 0 || h[0] != 5 || h[1] != 1)
		return -1;
	if (h[3] == 1 || h[3] == 4) {
		alen = h[3] == 1 ? 4 : 16;
		if (read_n(c, a, alen) < 0)
			return -1;
		host[0] = '[';
		inet_ntop(h[3] == 1 ? AF_INET : AF_INET6, a, host + 1, sizeof(host) - 2);
		if (h[3] == 4)
			strcat(host, "]");
	} else if (h[3] == 3) {
		if (read_n(c, a, 1) < 0 || (alen = a[0]) == 0 || read_n(c, a, alen) < 0)
			return -1;
		snprintf(host, sizeof(host), "[%.*s", (int)(alen < 40 ? alen : 40), (char *)a);
	} else {
		return -1;
	}
	if (read_n(c, p, 2) < 0)
		return -1;
	snprintf(dst, len, "%s:%u", h[3] == 4 ? host : host + 1, (unsigned)(p[0] << 8 | p[1]));
	return 0;
}

/*
 * One SOCKS5 client: no authentication, CONNECT only.  Each request is
 * logged; only 192.0.2.1 and 2001:db8::1 (documentation addresses, never
 * routed) are granted, everything else gets "not allowed by ruleset", and
 * a granted connection gets one line from "the destination", then closes.
 */
static void
socks_client(int c, const char *log)
{
	static const unsigned char ok[] = { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	static const unsigned char no[] = { 5, 2, 0, 1, 0, 0, 0, 0, 0, 0 };
	unsigned char g[2], m[255];
	char dst[300];
	bool grant;
	FILE *f;

	if (read_n(c, g, 2) < 0 || g[0] != 5 || g[1] == 0 || read_n(c, m, g[1]) < 0 ||
	    write(c, "\5\0", 2) != 2 || socks_destination(c, dst, sizeof(dst)) < 0)
		return;
	if ((f = fopen(log, "ae")) != NULL) {
		fprintf(f, "CONNECT %s\n", dst);
		fclose(f);
	}
	grant = strncmp(dst, "192.0.2.1:", 10) == 0 || strncmp(dst, "[2001:db8::1]:", 14) == 0;
	if (write(c, grant ? ok : no, sizeof(ok)) == (ssize_t)sizeof(ok) && grant &&
	    write(c, "via-socks5\n", 11) != 11)
		return;
}

/*
 * listen socks5: a minimal SOCKS5 proxy on 127.0.0.1:@PORT@ in a process
 * of its own, logging to @OUT@/socks.log; it ends with the case (killed by
 * conf_listeners_close), with the runner, or after two minutes.
 */
static int
listen_socks5(struct conf_vars *v, struct conf_listeners *l)
{
	char log[600];
	pid_t parent = getpid();
	int fd = listen_tcp(v);

	if (fd < 0)
		return -1;
	snprintf(log, sizeof(log), "%s/socks.log", v->out);
	if ((l->socks = fork()) < 0) {
		close(fd);
		return -1;
	}
	if (l->socks == 0) {
		struct timeval tv = { 10, 0 };

		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		alarm(120);
		for (;;) {
			int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

			if (c < 0)
				continue;
			setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			socks_client(c, log);
			close(c);
		}
	}
	return fd;
}

/*
 * A SysV shared memory segment of the host's IPC namespace, with a key of
 * its own (the case's pid): a sandbox that shares the namespace finds it.
 */
static int
listen_shm(struct conf_vars *v, struct conf_listeners *l)
{
	key_t key = (key_t)(0x43000000 | (getpid() & 0xffffff));

	snprintf(v->shmkey, sizeof(v->shmkey), "%d", (int)key);
	l->shm = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
	return l->shm < 0 ? -1 : 0;
}

int
conf_listen(const char *const *kinds, struct conf_vars *v, struct conf_listeners *l,
    char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	l->fifo = l->shm = -1;
	for (size_t i = 0; kinds[i] != NULL && l->n < 8; i++) {
		int fd = -1;

		if (strcmp(kinds[i], "shm") == 0) {
			if (l->shm >= 0 || listen_shm(v, l) == 0)
				continue;
			snprintf(err, errlen, "listener shm: %s", strerror(errno));
			conf_listeners_close(l);
			return -1;
		}
		if (strcmp(kinds[i], "fifo") == 0) {
			if (l->fifo >= 0 || listen_fifo(v, l) == 0)
				continue;
			snprintf(err, errlen, "listener fifo: %s", strerror(errno));
			conf_listeners_close(l);
			return -1;
		}
		if (strcmp(kinds[i], "tcp") == 0)
			fd = listen_tcp(v);
		else if (strcmp(kinds[i], "unix") == 0)
			fd = listen_unix(v, false, l);
		else if (strcmp(kinds[i], "abstract") == 0)
			fd = listen_unix(v, true, l);
		else if (strcmp(kinds[i], "unix-dgram") == 0)
			fd = listen_unix_dgram(v, l);
		else if (strcmp(kinds[i], "socks5") == 0 && l->socks == 0)
			fd = listen_socks5(v, l);
		if (fd < 0) {
			snprintf(err, errlen, "listener %s: %s", kinds[i], strerror(errno));
			conf_listeners_close(l);
			return -1;
		}
		l->fds[l->n++] = fd;
	}
	return 0;
}

size_t
conf_fifo_drain(struct conf_listeners *l)
{
	char buf[4096];
	size_t total = 0;
	ssize_t n;

	while (l->fifo >= 0 && ((n = read(l->fifo, buf, sizeof(buf))) > 0 ||
	    (n < 0 && errno == EINTR)))
		total += n > 0 ? (size_t)n : 0;
	return total;
}

void
conf_listeners_close(struct conf_listeners *l)
{
	for (size_t i = 0; i < l->n; i++)
		close(l->fds[i]);
	if (l->fifo >= 0)
		close(l->fifo);
	if (l->unix_path[0] != '\0')
		unlink(l->unix_path);
	if (l->dgram_path[0] != '\0')
		unlink(l->dgram_path);
	if (l->shm >= 0)
		shmctl(l->shm, IPC_RMID, NULL);
	if (l->socks > 0) {
		kill(l->socks, SIGKILL);
		waitpid(l->socks, NULL, 0);
	}
	memset(l, 0, sizeof(*l));
	l->fifo = l->shm = -1;
}
