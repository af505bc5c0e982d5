/*
 * Concrete rules: a policy resolved against a cwd and the filesystem.
 * Every rule names one canonical path and one access; the most specific
 * rule covering a path decides, ties go deny > write > read, and a path
 * no rule covers is denied.
 */
#ifndef CORDON_RULES_H
#define CORDON_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "fsview.h"
#include "policy.h"
#include "util.h"

struct rule {
	char *path;		/* canonical absolute path: what gets mounted */
	char *logical;		/* the path as the policy named it ("//", "." dropped) */
	struct strv links;	/* every symlink a spelling of it went through, by location */
	enum access access;
	bool skip_missing;
	bool protected;		/* metadata protection added by cordon */
	bool hidden;		/* hidden by cordon whatever the policy (resolve_ctx.hidden) */
	const char *why;	/* short origin, for explain */
};

struct rules {
	struct rule *r;
	size_t n;
	bool full_write;	/* the whole filesystem is writable: no bwrap needed */
	bool network;
	size_t *slots;		/* open-addressing index of r by path: 0 empty, else i+1 */
	size_t nslots;
	bool *open_below;	/* r[i] has a read or write rule strictly beneath it */
};

struct resolve_ctx {
	const char *cwd;	/* --sandbox-policy-cwd, absolute */
	const char *tmpdir;	/* $TMPDIR, or NULL */
	const struct fsview *fs;
	/*
	 * Paths hidden in every restricted view whatever the policy says, as
	 * Codex hides them (NULL-terminated, or NULL): its app-server's socket
	 * directory, WSL's interop and WSLg sockets.
	 */
	const char *const *hidden;
};

/* The names cordon protects under every writable root. */
extern const char *const protected_names[];

/* 0: *out is the caller's to rules_free; -1: a message in err, nothing to free. */
int rules_resolve(const struct policy *p, const struct resolve_ctx *c, struct rules *out,
    char *err, size_t errlen);
void rules_free(struct rules *rs);
/* The access of path under rs; *which gets the deciding rule (or NULL). */
enum access rules_effective(const struct rules *rs, const char *path, const struct rule **which);
/* The rule for exactly path, or NULL (an index lookup). */
const struct rule *rules_find(const struct rules *rs, const char *path);
/* Does a writable rule lie strictly above rule r (r is a nested writable root)? */
bool rules_write_below_write(const struct rules *rs, const struct rule *r);
/* Does some read or write rule lie strictly beneath rule r? */
bool rules_open_below(const struct rules *rs, const struct rule *r);
/* True if name is one of protected_names. */
bool is_protected_name(const char *name);

/* Expand a deny glob (absolute pattern) into matching paths. */
int glob_expand(const struct fsview *fs, const char *pattern, size_t max_depth,
    struct strv *out, char *err, size_t errlen);
bool glob_match(const char *pattern, const char *path);
/* Parse a .git pointer file's first line; returns the gitdir value or NULL. */
char *gitdir_parse(const char *line);

#endif
