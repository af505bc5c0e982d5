/*
 * The host side of managed proxy mode: a private 0700 directory with one
 * Unix socket per proxy endpoint, and a bridge process per socket that
 * forwards each connection to the real endpoint.  The directory is bound
 * into the sandbox; the network namespace there has nothing else.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "path.h"
#include "proxy.h"
#include "util.h"

#define DIR_PREFIX "cordon-proxy-"
/* The longest name under a parent: pid and euid at their widest, a five-digit route. */
#define LONGEST_TAIL "/" DIR_PREFIX "4294967295-4294967295/route-99999.sock"
#define CONNECT_TIMEOUT_MS 3000

char *
proxy_dir_choose(char *err, size_t errlen)
{
	const char *cands[] = { getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"), "/tmp" };
	struct stat st;

	for (size_t i = 0; i < 3; i++) {
		char *parent;

		if (cands[i] == NULL || cands[i][0] != '/')
			continue;
		parent = path_normalize(cands[i]);
		if (parent != NULL && strlen(parent) + strlen(LONGEST_TAIL) <= PROXY_SUN_MAX &&
		    stat(parent, &st) == 0 && S_ISDIR(st.st_mode)) {
			char *dir = xasprintf("%s/" DIR_PREFIX "%ld-%u",
			    strcmp(parent, "/") == 0 ? "" : parent, (long)getpid(), (unsigned)geteuid());

			free(parent);
			return dir;
		}
		free(parent);
	}
	snprintf(err, errlen, "no directory for the proxy sockets: $XDG_RUNTIME_DIR, $TMPDIR "
	    "and /tmp are missing or too long for a Unix socket path");
	return NULL;
}

/* Remove a socket directory: it holds only files cordon made, never subdirectories. */
static void
remove_dir(const char *dir)
{
	struct stat st;
	DIR *d;

	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return;
	if ((d = opendir(dir)) != NULL) {
		struct dirent *e;

		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

static bool
pid_dead(long pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	bool zombie = false;

	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')')) != NULL)
		zombie = p[1] == ' ' && p[2] == 'Z';
	fclose(f);
	return zombie;
}

/* Directories left by runs of this user that were killed before they could clean up. */
static void
clean_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		long pid;
		unsigned uid;
		int end = 0;

		if (sscanf(e->d_name, DIR_PREFIX "%ld-%u%n", &pid, &uid, &end) != 2 ||
		    e->d_name[end] != '\0' || uid != (unsigned)geteuid() || pid <= 0 ||
		    pid == (long)getpid() || !pid_dead(pid))
			continue;
		char *dir = xasprintf("%s/%s", parent, e->d_name);

		remove_dir(dir);
		free(dir);
	}
	closedir(d);
}

static socklen_t
endpoint_addr(const struct proxy_endpoint *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(ep->port);
		inet_pton(AF_INET6, ep->host, &s6->sin6_addr);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(ep->port);
	inet_pton(AF_INET, ep->host, &s4->sin_addr);
	return sizeof(*s4);
}

static int
listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "proxy socket path too long: %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(s, 64) < 0) {
		snprintf(err, errlen, "proxy socket %s: %s", path, strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

int
proxy_host_start(const struct proxy_plan *pp, struct proxy_host *h, char *err, size_t errlen)
{
	char *parent = path_parent(pp->dir);
	pid_t self = getpid();

	memset(h, 0, sizeof(*h));
	clean_stale(parent);
	free(parent);
	remove_dir(pp->dir);	/* a dead run's, if this pid was used before */
	if (mkdir(pp->dir, 0700) < 0 || chmod(pp->dir, 0700) < 0) {
		snprintf(err, errlen, "cannot create the proxy socket directory %s: %s", pp->dir,
		    strerror(errno));
		return -1;
	}
	h->dir = xstrdup(pp->dir);
	h->bridges = xcalloc(pp->nep, sizeof(pid_t));
	for (size_t i = 0; i < pp->nep; i++) {
		struct sockaddr_storage ss;
		socklen_t len = endpoint_addr(&pp->ep[i], &ss);
		char *path = proxy_socket_path(pp->dir, i);
		int s = listen_unix(path, err, errlen);
		pid_t pid;

		free(path);
		if (s < 0) {
			proxy_host_stop(h);
			return -1;
		}
		if ((pid = fork()) < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			close(s);
			proxy_host_stop(h);
			return -1;
		}
		if (pid == 0) {
			proxy_harden(self, s);
			prctl(PR_SET_DUMPABLE, 0);
			proxy_serve(3, (struct sockaddr *)&ss, len);
		}
		close(s);
		h->bridges[h->n++] = pid;
	}
	return 0;
}

void
proxy_host_stop(struct proxy_host *h)
{
	for (size_t i = 0; i < h->n; i++)
		kill(h->bridges[i], SIGKILL);
	for (size_t i = 0; i < h->n; i++)
		while (waitpid(h->bridges[i], NULL, 0) < 0 && errno == EINTR)
			;
	if (h->dir != NULL)
		remove_dir(h->dir);
	free(h->bridges);
	free(h->dir);
	memset(h, 0, sizeof(*h));
}

/* One non-blocking connect with a deadline; 0 if it was accepted. */
static int
try_connect(const struct proxy_endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = endpoint_addr(ep, &ss), elen = sizeof(int);
	int s = socket(ep->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), e = 0;
	struct pollfd p;

	if (s < 0)
		return errno;
	if (connect(s, (struct sockaddr *)&ss, len) == 0) {
		close(s);
		return 0;
	}
	if (errno != EINPROGRESS) {
		e = errno;
		close(s);
		return e;
	}
	p = (struct pollfd){ s, POLLOUT, 0 };
	if (poll(&p, 1, CONNECT_TIMEOUT_MS) <= 0)
		e = ETIMEDOUT;
	else if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
		e = errno;
	close(s);
	return e;
}

int
proxy_reachable(const struct proxy_plan *pp, char *err, size_t errlen)
{
	const struct proxy_endpoint *last = NULL;
	int e = 0;

	for (size_t i = 0; i < pp->nep; i++) {
		last = &pp->ep[i];
		if ((e = try_connect(last)) == 0)
			return 0;
	}
	if (last == NULL) {
		snprintf(err, errlen, "managed proxy mode: no proxy endpoint");
		return -1;
	}
	snprintf(err, errlen, "managed proxy mode: no proxy endpoint is reachable (%s%s%s:%u: %s); "
	    "refusing to run the command", last->family == AF_INET6 ? "[" : "", last->host,
	    last->family == AF_INET6 ? "]" : "", last->port, strerror(e));
	return -1;
}
