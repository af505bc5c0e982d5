/*
 * The inner side of managed proxy mode, run inside the new network
 * namespace before the seccomp filter: lo is brought up, a forwarder per
 * proxy socket listens on 127.0.0.1 and passes each connection through
 * the socket to the host's bridge, and the proxy variables are rewritten
 * to those listeners.  The forwarders are forked before the filter, which
 * forbids new Unix sockets, so they can still make theirs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mutant.h"
#include "proxy.h"
#include "util.h"

/* bwrap usually has lo up already; without it nothing inside could reach a listener. */
static int
lo_up(char *err, size_t errlen)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;

	if (s < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "lo: %s", strerror(errno));
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			snprintf(err, errlen, "cannot bring lo up in the sandbox: %s", strerror(errno));
		else
			r = 0;
	} else {
		r = 0;
	}
	close(s);
	return r;
}

/* A listener on 127.0.0.1: the endpoint's own port if free, else one the kernel picks. */
static int
listen_loopback(uint16_t want, uint16_t *port, char *err, size_t errlen)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(want);
	if (want == 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		a.sin_port = 0;
		if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
			snprintf(err, errlen, "bind 127.0.0.1: %s", strerror(errno));
			close(s);
			return -1;
		}
	}
	if (listen(s, 64) < 0 || getsockname(s, (struct sockaddr *)&a, &len) < 0) {
		snprintf(err, errlen, "listen 127.0.0.1: %s", strerror(errno));
		close(s);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return s;
}

static int
start_forwarder(const char *uds, uint16_t want, uint16_t *port, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	pid_t self = getpid(), pid;
	int s;

	if (strlen(uds) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "proxy socket path too long: %s", uds);
		return -1;
	}
	memcpy(sun.sun_path, uds, strlen(uds) + 1);
	if ((s = listen_loopback(want, port, err, errlen)) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(s);
		return -1;
	}
	if (pid == 0) {
		proxy_harden(self, s);
		proxy_serve(3, (struct sockaddr *)&sun, sizeof(sun));
	}
	close(s);
	return 0;
}

int
proxy_inner_start(const char *spec_json, uint16_t *socks_port, char *err, size_t errlen)
{
	struct proxy_spec spec;
	uint16_t *ports;
	int r = -1;

	*socks_port = 0;
	if (proxy_spec_decode(spec_json, &spec, err, errlen) < 0)
		return -1;
	if (lo_up(err, errlen) < 0) {
		proxy_spec_free(&spec);
		return -1;
	}
	ports = xcalloc(spec.n, sizeof(*ports));
	for (size_t i = 0; i < spec.n; i++) {
		const char *v = getenv(spec.r[i].env_key);
		char *nv;
		size_t j;

		/* Variables naming the same socket share its forwarder. */
		for (j = 0; j < i && strcmp(spec.r[j].uds_path, spec.r[i].uds_path) != 0; j++)
			;
		if (j < i)
			ports[i] = ports[j];
		else if (start_forwarder(spec.r[i].uds_path, spec.r[i].port, &ports[i], err,
		    errlen) < 0)
			goto out;
		if (v == NULL) {
			snprintf(err, errlen, "missing proxy env key %s", spec.r[i].env_key);
			goto out;
		}
		if ((nv = proxy_rewrite_value(v, ports[i])) == NULL) {
			snprintf(err, errlen, "could not rewrite proxy URL for env key %s",
			    spec.r[i].env_key);
			goto out;
		}
		/* Transparent TCP speaks SOCKS5 to the first route that is one. */
		if (*socks_port == 0 && proxy_value_socks5(v))
			*socks_port = ports[i];
		setenv(spec.r[i].env_key, nv, 1);
		free(nv);
	}
	/* Codex's token for the host bridge to send upstream: never the command's to read. */
	if (!mutant("proxy-attribution-hidden"))
		unsetenv("CODEX_NETWORK_PROXY_ATTRIBUTION");
	r = 0;
out:
	free(ports);
	proxy_spec_free(&spec);
	return r;
}
