/*
 * Parse the permission-profile JSON of Codex (--permission-profile) and
 * its split form (--file-system-sandbox-policy, --network-sandbox-policy).
 */
#include <stdio.h>
#include <string.h>

#include "jsonfield.h"
#include "mutant.h"
#include "path.h"
#include "policy.h"

static int
parse_access(json_t *ent, const char *where, enum access *out, struct jerr *e)
{
	const char *s = NULL;

	if (jfield_string(ent, where, "access", true, &s, e) < 0)
		return -1;
	if (strcmp(s, "read") == 0)
		*out = ACCESS_READ;
	else if (strcmp(s, "write") == 0)
		*out = ACCESS_WRITE;
	else if (strcmp(s, "deny") == 0 || strcmp(s, "none") == 0)
		*out = ACCESS_DENY;
	else
		return jerr_set(e, where, "access must be \"read\", \"write\" or \"deny\", not \"%s\"", s);
	return 0;
}

static int
parse_special(json_t *val, const char *where, struct policy *p, enum access a,
    bool skip, struct jerr *e)
{
	static const char *const keys[] = { "kind", "subpath", NULL };
	const char *kind = NULL, *sub = NULL;
	enum special sp;

	if (!json_is_object(val))
		return jerr_set(e, where, "field \"value\" must be an object");
	if (jfield_only(val, where, keys, e) < 0 ||
	    jfield_string(val, where, "kind", true, &kind, e) < 0 ||
	    jfield_string(val, where, "subpath", false, &sub, e) < 0)
		return -1;
	if (strcmp(kind, "root") == 0)
		sp = SPECIAL_ROOT;
	else if (strcmp(kind, "minimal") == 0)
		sp = SPECIAL_MINIMAL;
	else if (strcmp(kind, "project_roots") == 0 ||
	    strcmp(kind, "current_working_directory") == 0)
		sp = SPECIAL_PROJECT_ROOTS;
	else if (strcmp(kind, "tmpdir") == 0)
		sp = SPECIAL_TMPDIR;
	else if (strcmp(kind, "slash_tmp") == 0)
		sp = SPECIAL_SLASH_TMP;
	else
		return jerr_set(e, where, "unsupported special path kind \"%s\"", kind);
	if (sub != NULL && sp != SPECIAL_PROJECT_ROOTS && !mutant("subpath-refusals"))
		return jerr_set(e, where, "\"subpath\" is only allowed with kind project_roots");
	if (sub != NULL && (sub[0] == '/' || sub[0] == '\0') && !mutant("subpath-refusals"))
		return jerr_set(e, where, "\"subpath\" must be a non-empty relative path");
	/* A project root's subpath stays inside the project, whatever lies on the way. */
	if (sub != NULL && path_has_dotdot(sub) && !mutant("project-roots-dotdot"))
		return jerr_set(e, where, "\"subpath\" \"%s\" climbs out with \"..\"", sub);
	policy_add(p, TARGET_SPECIAL, sp, sub, a, skip);
	return 0;
}

static int
parse_entry(json_t *ent, const char *where, struct policy *p, struct jerr *e)
{
	static const char *const keys[] = { "path", "access", "missing_path_behavior", NULL };
	static const char *const pkeys[] = { "type", "path", "pattern", "value", NULL };
	const char *type = NULL, *mpb = NULL, *s = NULL;
	enum access a = ACCESS_DENY;
	bool skip = false;
	json_t *path;
	char pw[256];

	if (!json_is_object(ent))
		return jerr_set(e, where, "entry must be an object");
	if (jfield_only(ent, where, keys, e) < 0 || parse_access(ent, where, &a, e) < 0 ||
	    jfield_string(ent, where, "missing_path_behavior", false, &mpb, e) < 0)
		return -1;
	if (mpb != NULL) {
		if (strcmp(mpb, "skip") != 0)
			return jerr_set(e, where, "missing_path_behavior must be \"skip\", not \"%s\"", mpb);
		skip = true;
	}
	path = json_object_get(ent, "path");
	snprintf(pw, sizeof(pw), "%s.path", where);
	if (path == NULL)
		return jerr_set(e, where, "missing field \"path\"");
	if (!json_is_object(path))
		return jerr_set(e, pw, "must be an object with a \"type\"");
	if (jfield_only(path, pw, pkeys, e) < 0 ||
	    jfield_string(path, pw, "type", true, &type, e) < 0)
		return -1;
	if (strcmp(type, "path") == 0) {
		if (jfield_string(path, pw, "path", true, &s, e) < 0)
			return -1;
		if (s[0] != '/')
			return jerr_set(e, pw, "path \"%s\" is not absolute", s);
		policy_add(p, TARGET_PATH, 0, s, a, skip);
	} else if (strcmp(type, "glob_pattern") == 0) {
		if (jfield_string(path, pw, "pattern", true, &s, e) < 0)
			return -1;
		if (a != ACCESS_DENY)
			return jerr_set(e, where, "glob_pattern entries must have access \"deny\"");
		if (s[0] == '\0')
			return jerr_set(e, pw, "pattern is empty");
		/* Patterns are matched as text: ".." would mean what the kernel does not. */
		if (path_has_dotdot(s) && !mutant("glob-dotdot-refusal"))
			return jerr_set(e, pw, "pattern \"%s\" has a \"..\" component", s);
		policy_add(p, TARGET_GLOB, 0, s, a, skip);
	} else if (strcmp(type, "special") == 0) {
		json_t *val = json_object_get(path, "value");

		if (val == NULL)
			return jerr_set(e, pw, "missing field \"value\"");
		return parse_special(val, pw, p, a, skip, e);
	} else {
		return jerr_set(e, pw, "unknown path type \"%s\"", type);
	}
	return 0;
}

/* file_system: {"type"|"kind": "restricted"|"unrestricted", "entries": [...], "glob_scan_max_depth": n} */
static int
parse_file_system(json_t *fs, const char *where, bool tagged, struct policy *p, struct jerr *e)
{
	static const char *const keys[] = { "type", "kind", "entries", "glob_scan_max_depth", NULL };
	const char *type = NULL;
	json_t *ents, *depth;
	size_t i;
	json_t *ent;

	if (!json_is_object(fs))
		return jerr_set(e, where, "must be an object");
	if (jfield_only(fs, where, keys, e) < 0 ||
	    jfield_string(fs, where, "type", false, &type, e) < 0 ||
	    (type == NULL && jfield_string(fs, where, "kind", false, &type, e) < 0))
		return -1;
	if (type == NULL && tagged)
		return jerr_set(e, where, "missing field \"type\"");
	if (type == NULL || strcmp(type, "restricted") == 0) {
		p->fs = FS_RESTRICTED;
	} else if (strcmp(type, "unrestricted") == 0 || strcmp(type, "external_sandbox") == 0 ||
	    strcmp(type, "external-sandbox") == 0) {
		p->fs = FS_UNRESTRICTED;
		return 0;
	} else {
		return jerr_set(e, where, "type must be \"restricted\" or \"unrestricted\", not \"%s\"", type);
	}
	depth = json_object_get(fs, "glob_scan_max_depth");
	if (depth != NULL && !json_is_null(depth)) {
		if (!json_is_integer(depth) || json_integer_value(depth) < 1)
			return jerr_set(e, where, "glob_scan_max_depth must be a positive integer");
		p->glob_max_depth = (size_t)json_integer_value(depth);
	}
	ents = json_object_get(fs, "entries");
	if (ents == NULL)
		return jerr_set(e, where, "missing field \"entries\"");
	if (!json_is_array(ents))
		return jerr_set(e, where, "field \"entries\" must be an array");
	json_array_foreach(ents, i, ent) {
		char w[128];

		snprintf(w, sizeof(w), "%s.entries[%zu]", where, i);
		if (parse_entry(ent, w, p, e) < 0)
			return -1;
	}
	return 0;
}

/* network: "restricted" | "enabled" | {"enabled": bool} */
static int
parse_network(json_t *net, const char *where, struct policy *p, struct jerr *e)
{
	static const char *const keys[] = { "enabled", NULL };

	p->network = false;
	if (net == NULL || json_is_null(net))
		return 0;
	if (json_is_string(net)) {
		const char *s = json_string_value(net);

		if (strcmp(s, "enabled") == 0)
			p->network = true;
		else if (strcmp(s, "restricted") != 0)
			return jerr_set(e, where, "must be \"restricted\" or \"enabled\", not \"%s\"", s);
		return 0;
	}
	if (!json_is_object(net))
		return jerr_set(e, where, "must be \"restricted\", \"enabled\" or an object");
	if (jfield_only(net, where, keys, e) < 0)
		return -1;
	return jfield_bool(net, where, "enabled", &p->network, e);
}

static int
parse_profile_obj(json_t *root, struct policy *p, struct jerr *e)
{
	static const char *const managed[] = { "type", "file_system", "network", NULL };
	static const char *const disabled[] = { "type", NULL };
	static const char *const external[] = { "type", "network", NULL };
	static const char *const untagged[] = { "file_system", "network", NULL };
	const char *type = NULL;
	json_t *fs;

	if (jfield_string(root, "profile", "type", false, &type, e) < 0)
		return -1;
	if (type == NULL) {
		/* The untagged legacy form {network, file_system}. */
		if (jfield_only(root, "profile", untagged, e) < 0)
			return -1;
		fs = json_object_get(root, "file_system");
		if (fs == NULL)
			return jerr_set(e, "profile", "missing field \"file_system\" (or \"type\")");
		if (parse_file_system(fs, "file_system", false, p, e) < 0)
			return -1;
		return parse_network(json_object_get(root, "network"), "network", p, e);
	}
	if (strcmp(type, "managed") == 0) {
		if (jfield_only(root, "profile", managed, e) < 0)
			return -1;
		fs = json_object_get(root, "file_system");
		if (fs == NULL)
			return jerr_set(e, "profile", "missing field \"file_system\"");
		if (parse_file_system(fs, "file_system", true, p, e) < 0)
			return -1;
		return parse_network(json_object_get(root, "network"), "network", p, e);
	}
	if (strcmp(type, "disabled") == 0) {
		if (jfield_only(root, "profile", disabled, e) < 0)
			return -1;
		p->fs = FS_UNRESTRICTED;
		p->network = true;
		return 0;
	}
	if (strcmp(type, "external") == 0) {
		if (jfield_only(root, "profile", external, e) < 0)
			return -1;
		p->fs = FS_UNRESTRICTED;
		return parse_network(json_object_get(root, "network"), "network", p, e);
	}
	return jerr_set(e, "profile.type", "must be \"managed\", \"disabled\" or \"external\", not \"%s\"", type);
}

int
policy_parse_profile(const char *json, struct policy *out, char *errbuf, size_t errlen)
{
	struct jerr e = { errbuf, errlen };
	json_t *root;
	int r;

	policy_init(out);
	root = jfield_load(json, "permission profile", &e);
	if (root == NULL)
		return -1;
	r = parse_profile_obj(root, out, &e);
	json_decref(root);
	if (r < 0)
		policy_free(out);
	return r;
}

int
policy_parse_split(const char *fs_json, const char *net_json, struct policy *out,
    char *errbuf, size_t errlen)
{
	struct jerr e = { errbuf, errlen };
	json_t *fs, *net = NULL;
	int r;

	policy_init(out);
	fs = jfield_load(fs_json, "file-system sandbox policy", &e);
	if (fs == NULL)
		return -1;
	r = parse_file_system(fs, "file_system", false, out, &e);
	json_decref(fs);
	if (r == 0 && net_json != NULL) {
		json_error_t je;

		/* Accept a bare string ("enabled") as well as an object. */
		net = json_loads(net_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
		if (net == NULL)
			r = jerr_set(&e, "network sandbox policy", "invalid JSON at line %d column %d: %s",
			    je.line, je.column, je.text);
		else
			r = parse_network(net, "network", out, &e);
		json_decref(net);
	}
	if (r < 0)
		policy_free(out);
	return r;
}
