/*
 * Parse Codex's legacy SandboxPolicy JSON (--sandbox-policy) into the
 * same model as a permission profile.
 */
#include <stdio.h>
#include <string.h>

#include "jsonfield.h"
#include "policy.h"

static void
add_root_read(struct policy *p)
{
	policy_add(p, TARGET_SPECIAL, SPECIAL_ROOT, NULL, ACCESS_READ, false);
}

static int
parse_workspace_write(json_t *root, struct policy *p, struct jerr *e)
{
	static const char *const keys[] = { "type", "writable_roots", "network_access",
		"exclude_tmpdir_env_var", "exclude_slash_tmp", NULL };
	bool no_tmpdir = false, no_slash_tmp = false;
	json_t *roots, *r;
	size_t i;

	if (jfield_only(root, "sandbox policy", keys, e) < 0 ||
	    jfield_bool(root, "sandbox policy", "network_access", &p->network, e) < 0 ||
	    jfield_bool(root, "sandbox policy", "exclude_tmpdir_env_var", &no_tmpdir, e) < 0 ||
	    jfield_bool(root, "sandbox policy", "exclude_slash_tmp", &no_slash_tmp, e) < 0)
		return -1;
	add_root_read(p);
	policy_add(p, TARGET_SPECIAL, SPECIAL_PROJECT_ROOTS, NULL, ACCESS_WRITE, false);
	roots = json_object_get(root, "writable_roots");
	if (roots != NULL && !json_is_null(roots)) {
		if (!json_is_array(roots))
			return jerr_set(e, "sandbox policy", "field \"writable_roots\" must be an array");
		json_array_foreach(roots, i, r) {
			char w[64];
			const char *s;

			snprintf(w, sizeof(w), "writable_roots[%zu]", i);
			if (!json_is_string(r))
				return jerr_set(e, w, "must be a string");
			s = json_string_value(r);
			if (s[0] != '/')
				return jerr_set(e, w, "path \"%s\" is not absolute", s);
			policy_add(p, TARGET_PATH, 0, s, ACCESS_WRITE, false);
		}
	}
	if (!no_slash_tmp)
		policy_add(p, TARGET_SPECIAL, SPECIAL_SLASH_TMP, NULL, ACCESS_WRITE, false);
	if (!no_tmpdir)
		policy_add(p, TARGET_SPECIAL, SPECIAL_TMPDIR, NULL, ACCESS_WRITE, false);
	return 0;
}

static int
parse_external(json_t *root, struct policy *p, struct jerr *e)
{
	static const char *const keys[] = { "type", "network_access", NULL };
	json_t *na;

	if (jfield_only(root, "sandbox policy", keys, e) < 0)
		return -1;
	p->fs = FS_UNRESTRICTED;
	na = json_object_get(root, "network_access");
	if (na == NULL || json_is_null(na))
		return 0;
	if (json_is_boolean(na)) {
		p->network = json_is_true(na);
		return 0;
	}
	if (json_is_string(na) && strcmp(json_string_value(na), "enabled") == 0)
		p->network = true;
	else if (!json_is_string(na) || strcmp(json_string_value(na), "restricted") != 0)
		return jerr_set(e, "sandbox policy", "network_access must be \"restricted\" or \"enabled\"");
	return 0;
}

int
policy_parse_sandbox_policy(const char *json, struct policy *out, char *errbuf, size_t errlen)
{
	static const char *const only_type[] = { "type", NULL };
	static const char *const ro_keys[] = { "type", "network_access", NULL };
	struct jerr e = { errbuf, errlen };
	const char *type = NULL;
	json_t *root;
	int r = -1;

	policy_init(out);
	root = jfield_load(json, "sandbox policy", &e);
	if (root == NULL)
		return -1;
	if (jfield_string(root, "sandbox policy", "type", true, &type, &e) < 0)
		goto done;
	if (strcmp(type, "read-only") == 0) {
		if (jfield_only(root, "sandbox policy", ro_keys, &e) < 0 ||
		    jfield_bool(root, "sandbox policy", "network_access", &out->network, &e) < 0)
			goto done;
		add_root_read(out);
		r = 0;
	} else if (strcmp(type, "workspace-write") == 0) {
		r = parse_workspace_write(root, out, &e);
	} else if (strcmp(type, "danger-full-access") == 0) {
		if (jfield_only(root, "sandbox policy", only_type, &e) < 0)
			goto done;
		out->fs = FS_UNRESTRICTED;
		out->network = true;
		r = 0;
	} else if (strcmp(type, "external-sandbox") == 0) {
		r = parse_external(root, out, &e);
	} else {
		jerr_set(&e, "sandbox policy.type", "must be \"read-only\", \"workspace-write\", "
		    "\"danger-full-access\" or \"external-sandbox\", not \"%s\"", type);
	}
done:
	json_decref(root);
	if (r < 0)
		policy_free(out);
	return r;
}

/* A SandboxPolicy names one of its four types; anything else is read as a permission profile. */
int
policy_parse_any(const char *json, struct policy *out, char *errbuf, size_t errlen)
{
	static const char *const types[] = { "read-only", "workspace-write",
		"danger-full-access", "external-sandbox", NULL };
	struct jerr e = { errbuf, errlen };
	json_t *root = jfield_load(json, "policy", &e), *t;
	bool legacy = false;

	policy_init(out);
	if (root == NULL)
		return -1;
	t = json_object_get(root, "type");
	for (size_t i = 0; json_is_string(t) && types[i] != NULL; i++)
		legacy = legacy || strcmp(json_string_value(t), types[i]) == 0;
	json_decref(root);
	return legacy ? policy_parse_sandbox_policy(json, out, errbuf, errlen) :
	    policy_parse_profile(json, out, errbuf, errlen);
}
