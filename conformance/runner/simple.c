/*
 * The profile in simple form, for adapters that cannot read JSON:
 * CONF_ROOT (read, write or deny), CONF_WS, CONF_WRITABLE, CONF_READ,
 * CONF_DENY (colon-separated absolute paths) and CONF_NETWORK (on/off).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

struct lists {
	char root[8];
	char writable[4096], read[4096], deny[4096];
};

static void
append(char *list, size_t len, const char *path)
{
	size_t used = strlen(list);

	snprintf(list + used, len - used, "%s%s", used ? ":" : "", path);
}

static void
classify(json_t *ent, struct lists *l)
{
	json_t *path = json_object_get(ent, "path");
	const char *access = json_string_value(json_object_get(ent, "access"));
	const char *type = json_string_value(json_object_get(path, "type"));
	const char *p = NULL;

	if (access == NULL || type == NULL)
		return;
	if (strcmp(access, "none") == 0)
		access = "deny";
	if (strcmp(type, "special") == 0) {
		const char *kind = json_string_value(json_object_get(json_object_get(path, "value"), "kind"));

		/* A subpath of it is not the root (and not in the simple form). */
		if (kind != NULL && strcmp(kind, "root") == 0 &&
		    json_object_get(json_object_get(path, "value"), "subpath") == NULL)
			snprintf(l->root, sizeof(l->root), "%s", access);
		return;
	}
	p = json_string_value(json_object_get(path, strcmp(type, "glob_pattern") == 0 ? "pattern" : "path"));
	if (p == NULL)
		return;
	if (strcmp(access, "write") == 0)
		append(l->writable, sizeof(l->writable), p);
	else if (strcmp(access, "read") == 0)
		append(l->read, sizeof(l->read), p);
	else
		append(l->deny, sizeof(l->deny), p);
}

int
conf_simple_env(const char *profile_json, char ***envp, char *err, size_t errlen)
{
	struct lists l = { "deny", "", "", "" };
	json_t *root = json_loads(profile_json, 0, NULL), *ents;
	const char *net = "off";
	char **env = calloc(6, sizeof(char *));
	size_t i;
	json_t *ent;

	if (env == NULL)
		return -1;
	*envp = env;
	if (root == NULL) {
		/* Not JSON: the adapter gets it verbatim; the simple form stays empty. */
		snprintf(l.root, sizeof(l.root), "invalid");
	} else {
		const char *type = json_string_value(json_object_get(root, "type"));
		json_t *fs = json_object_get(root, "file_system");
		json_t *nw = json_object_get(root, "network");

		if (type != NULL && strcmp(type, "disabled") == 0) {
			snprintf(l.root, sizeof(l.root), "write");
			net = "on";
		}
		if (json_is_string(nw) && strcmp(json_string_value(nw), "enabled") == 0)
			net = "on";
		if (json_is_object(fs) && json_string_value(json_object_get(fs, "type")) != NULL &&
		    strcmp(json_string_value(json_object_get(fs, "type")), "unrestricted") == 0)
			snprintf(l.root, sizeof(l.root), "write");
		ents = json_object_get(fs, "entries");
		json_array_foreach(ents, i, ent)
			classify(ent, &l);
		json_decref(root);
	}
	(void)err;
	(void)errlen;
	if (asprintf(&env[0], "CONF_ROOT=%s", l.root) < 0 ||
	    asprintf(&env[1], "CONF_WRITABLE=%s", l.writable) < 0 ||
	    asprintf(&env[2], "CONF_READ=%s", l.read) < 0 ||
	    asprintf(&env[3], "CONF_DENY=%s", l.deny) < 0 ||
	    asprintf(&env[4], "CONF_NETWORK=%s", net) < 0)
		return -1;
	return 0;
}
