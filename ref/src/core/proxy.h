/*
 * Managed proxy mode: the command gets a private network namespace whose
 * only way out is a set of proxy endpoints, reached TCP -> Unix socket ->
 * TCP.  The pure parts (endpoints, environment rewriting, the route spec)
 * are in proxy_env.c and proxy_spec.c; the host side in proxy_host.c, the
 * inner side in proxy_inner.c and the copying in proxy_relay.c.
 */
#ifndef CORDON_PROXY_H
#define CORDON_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Longest Unix socket path the kernel accepts (sun_path less its NUL). */
#define PROXY_SUN_MAX 107

struct proxy_endpoint {
	int family;		/* AF_INET or AF_INET6 */
	char host[64];		/* numeric, as inet_ntop writes it */
	uint16_t port;
};

/* One proxy variable and the endpoint it names. */
struct proxy_route {
	char *env_key;		/* as spelled in the environment */
	size_t endpoint;	/* index into proxy_plan.ep */
};

struct proxy_plan {
	struct proxy_endpoint *ep;
	size_t nep;
	struct proxy_route *routes;
	size_t nroutes;
	bool set_env;		/* cordon run --proxy: cordon sets the variables itself */
	char *dir;		/* the socket directory on the host */
};

/* What the inner stage needs for one variable (the route spec). */
struct proxy_spec_route {
	char *env_key;
	char *uds_path;
	uint16_t port;		/* the endpoint's port: tried first for the inside listener */
};

struct proxy_spec {
	struct proxy_spec_route *r;
	size_t n;
};

/* Is name one of the proxy variables (any letter case)? */
bool proxy_env_key(const char *name);
/* Parse a proxy URL or HOST:PORT; loopback_only as for the environment. */
int proxy_parse_endpoint(const char *value, bool loopback_only, struct proxy_endpoint *ep,
    char *err, size_t errlen);
/* Does the proxy URL name a SOCKS5 proxy (socks5:// or socks5h://)? */
bool proxy_value_socks5(const char *value);
/* The value with its host and port replaced by 127.0.0.1:port, or NULL. */
char *proxy_rewrite_value(const char *value, uint16_t port);
/*
 * Endpoints from the proxy variables of envp (helper mode); -1 and a
 * message if none.  Both: 0, *pp the caller's to proxy_plan_free; -1,
 * nothing to free.
 */
int proxy_plan_from_env(char *const *envp, struct proxy_plan *pp, char *err, size_t errlen);
/* Endpoints from `cordon run --proxy` values; the usual variables point at the first. */
int proxy_plan_from_flags(char *const *values, size_t n, struct proxy_plan *pp,
    char *err, size_t errlen);
/* The variables cordon run --proxy sets. */
extern const char *const proxy_run_keys[];
/* <dir>/route-<i>.sock, malloc'd. */
char *proxy_socket_path(const char *dir, size_t i);
/* The route spec for pp (its dir must be set). */
void proxy_spec_from_plan(const struct proxy_plan *pp, struct proxy_spec *spec);
void proxy_plan_free(struct proxy_plan *pp);

/* The route spec as JSON, and back; -1 and a message on bad input. */
char *proxy_spec_encode(const struct proxy_spec *spec);
int proxy_spec_decode(const char *json, struct proxy_spec *spec, char *err, size_t errlen);
void proxy_spec_free(struct proxy_spec *spec);

/* Host side (proxy_host.c). */
struct proxy_host {
	pid_t *bridges;
	size_t n;
	char *dir;
};
/* <parent>/cordon-proxy-<pid>-<euid> for the first parent that fits; NULL and a message. */
char *proxy_dir_choose(char *err, size_t errlen);
/* Make pp->dir, bind a socket per endpoint and fork a bridge for each. */
int proxy_host_start(const struct proxy_plan *pp, struct proxy_host *h, char *err, size_t errlen);
/* Stop the bridges and remove the directory. */
void proxy_host_stop(struct proxy_host *h);
/* Can some endpoint be connected to?  -1 and a message if none. */
int proxy_reachable(const struct proxy_plan *pp, char *err, size_t errlen);

/*
 * Inner side (proxy_inner.c): lo up, a forwarder per socket, variables
 * rewritten; *socks_port is the forwarder of the first SOCKS5 variable (0: none).
 */
int proxy_inner_start(const char *spec_json, uint16_t *socks_port, char *err, size_t errlen);

/* Copying (proxy_relay.c). */
/*
 * Detach a helper process from the caller: stdio to /dev/null, parent-death
 * signal.  Whether it can be dumped (or written through /proc/PID/mem) is
 * the caller's: the sandbox's helpers are born undumpable (inner.c).
 */
void proxy_harden(pid_t parent, int keep_fd);
/* Accept on listener forever, forwarding each connection to addr. */
void proxy_serve(int listener, const struct sockaddr *addr, socklen_t len)
    __attribute__((noreturn));

#endif
