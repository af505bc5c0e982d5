/*
 * The route spec: what the outer stage tells the inner one about the
 * proxy routes, as JSON on the inner stage's command line:
 *   {"routes":[{"env_key":"HTTP_PROXY","uds_path":"/tmp/.../route-0.sock","port":3128}]}
 * It holds no proxy URL: the inner stage reads those from its environment.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "util.h"

char *
proxy_spec_encode(const struct proxy_spec *spec)
{
	json_t *routes = json_array(), *o;
	char *s, *out;

	for (size_t i = 0; i < spec->n; i++)
		json_array_append_new(routes, json_pack("{s:s, s:s, s:i}",
		    "env_key", spec->r[i].env_key, "uds_path", spec->r[i].uds_path,
		    "port", (int)spec->r[i].port));
	o = json_pack("{s:o}", "routes", routes);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		xoom();
	out = xstrdup(s);
	free(s);
	return out;
}

static int
decode_route(json_t *r, size_t i, struct proxy_spec_route *out, char *err, size_t errlen)
{
	json_t *key = json_object_get(r, "env_key"), *path = json_object_get(r, "uds_path");
	json_t *port = json_object_get(r, "port");
	const char *p;

	if (!json_is_object(r))
		return seterr(err, errlen, "proxy route spec: route %zu: "
		    "not an object", i);
	if (!json_is_string(key) || json_string_length(key) == 0 ||
	    strchr(json_string_value(key), '=') != NULL)
		return seterr(err, errlen, "proxy route spec: route %zu: "
		    "env_key must be a variable name", i);
	if (!json_is_string(path) || (p = json_string_value(path))[0] != '/' ||
	    strlen(p) > PROXY_SUN_MAX)
		return seterr(err, errlen, "proxy route spec: route %zu: "
		    "uds_path must be an absolute socket path", i);
	if (port != NULL && (!json_is_integer(port) || json_integer_value(port) < 0 ||
	    json_integer_value(port) > 65535))
		return seterr(err, errlen, "proxy route spec: route %zu: "
		    "port must be 0 to 65535", i);
	out->env_key = xstrdup(json_string_value(key));
	out->uds_path = xstrdup(p);
	out->port = port != NULL ? (uint16_t)json_integer_value(port) : 0;
	return 0;
}

int
proxy_spec_decode(const char *json, struct proxy_spec *spec, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o, *routes;
	int r = -1;

	memset(spec, 0, sizeof(*spec));
	if ((o = json_loads(json, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		snprintf(err, errlen, "proxy route spec: %s", je.text);
		return -1;
	}
	routes = json_object_get(o, "routes");
	if (!json_is_object(o) || !json_is_array(routes) || json_array_size(routes) == 0) {
		snprintf(err, errlen, "proxy route spec: expected {\"routes\":[...]} with a route");
		goto out;
	}
	spec->r = xcalloc(json_array_size(routes), sizeof(*spec->r));
	for (size_t i = 0; i < json_array_size(routes); i++) {
		if (decode_route(json_array_get(routes, i), i, &spec->r[i], err, errlen) < 0) {
			proxy_spec_free(spec);
			goto out;
		}
		spec->n++;
	}
	r = 0;
out:
	json_decref(o);
	return r;
}

void
proxy_spec_free(struct proxy_spec *spec)
{
	for (size_t i = 0; i < spec->n; i++) {
		free(spec->r[i].env_key);
		free(spec->r[i].uds_path);
	}
	free(spec->r);
	memset(spec, 0, sizeof(*spec));
}
