/*
 * Proxy endpoints from the environment or the command line, and the
 * rewriting of proxy variables to the listener inside the sandbox.  Pure:
 * no system calls, so it is tested table by table.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mutant.h"
#include "proxy.h"
#include "util.h"

static const char *const env_keys[] = {
	"HTTP_PROXY", "HTTPS_PROXY", "WS_PROXY", "WSS_PROXY", "ALL_PROXY", "FTP_PROXY",
	"YARN_HTTP_PROXY", "YARN_HTTPS_PROXY", "NPM_CONFIG_HTTP_PROXY",
	"NPM_CONFIG_HTTPS_PROXY", "NPM_CONFIG_PROXY", "BUNDLE_HTTP_PROXY",
	"BUNDLE_HTTPS_PROXY", "PIP_PROXY", "DOCKER_HTTP_PROXY", "DOCKER_HTTPS_PROXY", NULL,
};

const char *const proxy_run_keys[] = {
	"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", NULL,
};

bool
proxy_env_key(const char *name)
{
	for (size_t i = 0; env_keys[i] != NULL; i++)
		if (strcasecmp(name, env_keys[i]) == 0)
			return true;
	return false;
}

/* Where the authority (userinfo@host:port) of a URL or HOST:PORT lies. */
struct url_parts {
	const char *scheme;	/* NULL when the value has none */
	size_t scheme_len;
	const char *host;	/* after any userinfo, brackets included */
	size_t host_len;
	const char *port;	/* digits after ':', or NULL */
	size_t port_len;
	const char *rest;	/* path, query, fragment: kept as they are */
};

static int
split_url(const char *v, struct url_parts *u)
{
	const char *sep = strstr(v, "://"), *auth, *end, *at, *p;

	memset(u, 0, sizeof(*u));
	if (sep != NULL) {
		u->scheme = v;
		u->scheme_len = (size_t)(sep - v);
		auth = sep + 3;
	} else {
		auth = v;
	}
	end = auth + strcspn(auth, "/?#");
	u->rest = end;
	/* Userinfo ends at the last '@' of the authority. */
	for (at = NULL, p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	u->host = at != NULL ? at + 1 : auth;
	if (*u->host == '[') {
		const char *close = memchr(u->host, ']', (size_t)(end - u->host));

		if (close == NULL)
			return -1;
		u->host_len = (size_t)(close + 1 - u->host);
	} else {
		u->host_len = strcspn(u->host, ":");
		if (u->host + u->host_len > end)
			u->host_len = (size_t)(end - u->host);
	}
	p = u->host + u->host_len;
	if (p < end) {
		if (*p != ':')
			return -1;
		u->port = p + 1;
		u->port_len = (size_t)(end - u->port);
	}
	return u->host_len > 0 ? 0 : -1;
}

static unsigned
default_port(const char *scheme, size_t len)
{
	static const char *const socks[] = { "socks5", "socks5h", "socks4", "socks4a", NULL };

	if (scheme == NULL)
		return 80;
	if (len == 5 && strncasecmp(scheme, "https", 5) == 0)
		return 443;
	for (size_t i = 0; socks[i] != NULL; i++)
		if (len == strlen(socks[i]) && strncasecmp(scheme, socks[i], len) == 0)
			return 1080;
	return 80;
}

/* A copy without the blanks that shells and .env files leave around values. */
static char *
trimmed(const char *value)
{
	size_t len;

	while (isspace((unsigned char)*value))
		value++;
	len = strlen(value);
	while (len > 0 && isspace((unsigned char)value[len - 1]))
		len--;
	return xstrndup(value, len);
}

bool
proxy_value_socks5(const char *value)
{
	struct url_parts u;
	char *v = trimmed(value);
	bool r = split_url(v, &u) == 0 && u.scheme != NULL &&
	    ((u.scheme_len == 6 && strncasecmp(u.scheme, "socks5", 6) == 0) ||
	    (u.scheme_len == 7 && strncasecmp(u.scheme, "socks5h", 7) == 0));

	free(v);
	return r;
}

int
proxy_parse_endpoint(const char *value, bool loopback_only, struct proxy_endpoint *ep,
    char *err, size_t errlen)
{
	struct url_parts u;
	char host[64], *v;
	unsigned long port;
	struct in_addr a4;
	struct in6_addr a6;
	int r = -1;

	v = trimmed(value);
	memset(ep, 0, sizeof(*ep));
	if (split_url(v, &u) < 0) {
		seterr(err, errlen, "not a proxy address: \"%s\"", v);
		goto out;
	}
	if (u.port != NULL) {
		char *end;

		if (u.port_len == 0 || u.port_len > 5 || !isdigit((unsigned char)u.port[0])) {
			seterr(err, errlen, "bad port in proxy address: \"%s\"", v);
			goto out;
		}
		port = strtoul(u.port, &end, 10);
		if (end != u.port + u.port_len || port == 0 || port > 65535) {
			seterr(err, errlen, "bad port in proxy address: \"%s\"", v);
			goto out;
		}
	} else {
		port = default_port(u.scheme, u.scheme_len);
	}
	if (u.host[0] == '[') {
		if (u.host_len - 2 >= sizeof(host)) {
			seterr(err, errlen, "bad host in proxy address: \"%s\"", v);
			goto out;
		}
		memcpy(host, u.host + 1, u.host_len - 2);
		host[u.host_len - 2] = '\0';
	} else {
		if (u.host_len >= sizeof(host)) {
			seterr(err, errlen, "bad host in proxy address: \"%s\"", v);
			goto out;
		}
		memcpy(host, u.host, u.host_len);
		host[u.host_len] = '\0';
	}
	if (strcasecmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &a4) == 1 && u.host[0] != '[') {
		if (loopback_only && (ntohl(a4.s_addr) >> 24) != 127) {
			seterr(err, errlen, "proxy address is not on loopback: \"%s\"", v);
			goto out;
		}
		ep->family = AF_INET;
		inet_ntop(AF_INET, &a4, ep->host, sizeof(ep->host));
	} else if (inet_pton(AF_INET6, host, &a6) == 1 && u.host[0] == '[') {
		if (loopback_only && !IN6_IS_ADDR_LOOPBACK(&a6)) {
			seterr(err, errlen, "proxy address is not on loopback: \"%s\"", v);
			goto out;
		}
		ep->family = AF_INET6;
		inet_ntop(AF_INET6, &a6, ep->host, sizeof(ep->host));
	} else {
		seterr(err, errlen, "proxy host must be localhost or a numeric address: \"%s\"",
		    v);
		goto out;
	}
	ep->port = (uint16_t)port;
	r = 0;
out:
	free(v);
	return r;
}

char *
proxy_rewrite_value(const char *value, uint16_t port)
{
	struct url_parts u;
	char *v = trimmed(value), *out;

	if (split_url(v, &u) < 0) {
		free(v);
		return NULL;
	}
	/* Scheme, userinfo and path stay as written: only host and port change. */
	out = xasprintf("%.*s127.0.0.1:%u%s", (int)(u.host - v), v, port, u.rest);
	free(v);
	return out;
}

static size_t
endpoint_index(struct proxy_plan *pp, const struct proxy_endpoint *ep)
{
	for (size_t i = 0; i < pp->nep; i++)
		if (pp->ep[i].family == ep->family && pp->ep[i].port == ep->port &&
		    strcmp(pp->ep[i].host, ep->host) == 0)
			return i;
	pp->ep = xrealloc(pp->ep, (pp->nep + 1) * sizeof(*pp->ep));
	pp->ep[pp->nep] = *ep;
	return pp->nep++;
}

static void
add_route(struct proxy_plan *pp, const char *key, size_t endpoint)
{
	pp->routes = xrealloc(pp->routes, (pp->nroutes + 1) * sizeof(*pp->routes));
	pp->routes[pp->nroutes].env_key = xstrdup(key);
	pp->routes[pp->nroutes].endpoint = endpoint;
	pp->nroutes++;
}

/* A variable and its endpoint, before sorting. */
struct found {
	char *key;
	struct proxy_endpoint ep;
};

static int
found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static bool
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

int
proxy_plan_from_env(char *const *envp, struct proxy_plan *pp, char *err, size_t errlen)
{
	struct found *f = NULL;
	size_t nf = 0;
	bool any = false;

	memset(pp, 0, sizeof(*pp));
	for (size_t i = 0; envp != NULL && envp[i] != NULL; i++) {
		const char *eq = strchr(envp[i], '=');
		struct proxy_endpoint ep;
		char key[64], why[256];

		if (eq == NULL || (size_t)(eq - envp[i]) >= sizeof(key))
			continue;
		memcpy(key, envp[i], (size_t)(eq - envp[i]));
		key[eq - envp[i]] = '\0';
		if (!proxy_env_key(key) || blank(eq + 1))
			continue;
		any = true;
		/* A variable cordon cannot route stays as it is: it leads nowhere inside. */
		if (proxy_parse_endpoint(eq + 1, !mutant("proxy-loopback-only"), &ep, why,
		    sizeof(why)) < 0)
			continue;
		f = xrealloc(f, (nf + 1) * sizeof(*f));
		f[nf].key = xstrdup(key);
		f[nf++].ep = ep;
	}
	if (nf == 0) {
		snprintf(err, errlen, any ? "managed proxy mode requires parseable loopback proxy "
		    "endpoints" : "managed proxy mode requires proxy environment variables");
		return -1;
	}
	/* Byte order of the names; endpoints numbered in that order, one per address. */
	qsort(f, nf, sizeof(*f), found_cmp);
	for (size_t i = 0; i < nf; i++) {
		add_route(pp, f[i].key, endpoint_index(pp, &f[i].ep));
		free(f[i].key);
	}
	free(f);
	return 0;
}

int
proxy_plan_from_flags(char *const *values, size_t n, struct proxy_plan *pp,
    char *err, size_t errlen)
{
	memset(pp, 0, sizeof(*pp));
	pp->set_env = true;
	for (size_t i = 0; i < n; i++) {
		struct proxy_endpoint ep;
		char why[256];

		if (proxy_parse_endpoint(values[i], false, &ep, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "--proxy: %s", why);
			proxy_plan_free(pp);
			return -1;
		}
		endpoint_index(pp, &ep);
	}
	if (pp->nep == 0) {
		snprintf(err, errlen, "managed proxy mode requires at least one --proxy HOST:PORT");
		proxy_plan_free(pp);
		return -1;
	}
	for (size_t i = 0; proxy_run_keys[i] != NULL; i++)
		add_route(pp, proxy_run_keys[i], 0);
	return 0;
}

char *
proxy_socket_path(const char *dir, size_t i)
{
	return xasprintf("%s/route-%zu.sock", dir, i);
}

void
proxy_spec_from_plan(const struct proxy_plan *pp, struct proxy_spec *spec)
{
	spec->n = pp->nroutes;
	spec->r = xcalloc(pp->nroutes, sizeof(*spec->r));
	for (size_t i = 0; i < pp->nroutes; i++) {
		spec->r[i].env_key = xstrdup(pp->routes[i].env_key);
		spec->r[i].uds_path = proxy_socket_path(pp->dir, pp->routes[i].endpoint);
		spec->r[i].port = pp->ep[pp->routes[i].endpoint].port;
	}
}

void
proxy_plan_free(struct proxy_plan *pp)
{
	for (size_t i = 0; i < pp->nroutes; i++)
		free(pp->routes[i].env_key);
	free(pp->routes);
	free(pp->ep);
	free(pp->dir);
	memset(pp, 0, sizeof(*pp));
}
