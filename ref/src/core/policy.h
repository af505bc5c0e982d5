/*
 * The one internal policy model.  The three input forms (permission
 * profile, legacy SandboxPolicy, split policies) and `cordon run` flags
 * all parse into a struct policy; rules.c turns it into concrete rules.
 */
#ifndef CORDON_POLICY_H
#define CORDON_POLICY_H

#include <stdbool.h>
#include <stddef.h>

/* Ordered so that ties at equal specificity go deny > write > read. */
enum access {
	ACCESS_READ = 1,
	ACCESS_WRITE = 2,
	ACCESS_DENY = 3,
};

enum target {
	TARGET_PATH,		/* an absolute path */
	TARGET_GLOB,		/* a glob pattern (deny only) */
	TARGET_SPECIAL,		/* a special path, see enum special */
	TARGET_SECRET,		/* cordon run's default: a credential store (deny, skip if missing) */
};

enum special {
	SPECIAL_ROOT,
	SPECIAL_MINIMAL,
	SPECIAL_PROJECT_ROOTS,	/* the policy cwd, or cwd/subpath */
	SPECIAL_TMPDIR,
	SPECIAL_SLASH_TMP,
};

struct policy_entry {
	enum target target;
	enum special special;
	char *path;		/* path, pattern, or project_roots subpath (may be NULL) */
	enum access access;
	bool skip_missing;	/* missing_path_behavior: skip */
};

enum fs_kind {
	FS_RESTRICTED,
	FS_UNRESTRICTED,	/* also "disabled", "external" and danger-full-access */
};

struct policy {
	enum fs_kind fs;
	bool network;		/* true: full network access */
	struct policy_entry *entries;
	size_t n;
	size_t glob_max_depth;	/* 0: no limit */
};

void policy_init(struct policy *p);
void policy_add(struct policy *p, enum target t, enum special sp,
    const char *path, enum access a, bool skip_missing);
void policy_free(struct policy *p);

const char *access_name(enum access a);
const char *special_name(enum special s);

/*
 * Parsers.  Each returns 0 (*out is the caller's to policy_free), or -1
 * with a one-line message naming the offending field in errbuf and
 * nothing in *out to free.
 */
int policy_parse_profile(const char *json, struct policy *out, char *errbuf, size_t errlen);
int policy_parse_sandbox_policy(const char *json, struct policy *out, char *errbuf, size_t errlen);
int policy_parse_split(const char *fs_json, const char *net_json, struct policy *out,
    char *errbuf, size_t errlen);
/* A permission profile or a SandboxPolicy, told apart by its "type". */
int policy_parse_any(const char *json, struct policy *out, char *errbuf, size_t errlen);

#endif
