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
#include <sys/shm.h>
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
	memset(l, 0, sizeof(*l));
	l->fifo = l->shm = -1;
}
