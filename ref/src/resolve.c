/* Resolve a policy against the policy cwd and the filesystem into rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "rules.h"
#include "util.h"

const char *const protected_names[] = { ".git", ".codex", ".agents", NULL };

static const char *const minimal_paths[] = {
	"/bin", "/sbin", "/usr", "/etc", "/lib", "/lib64", "/nix/store",
	"/run/current-system/sw", NULL,
};

bool
is_protected_name(const char *name)
{
	for (size_t i = 0; protected_names[i] != NULL; i++)
		if (strcmp(name, protected_names[i]) == 0)
			return true;
	return false;
}

void
rules_free(struct rules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->r[i].path);
		free(rs->r[i].logical);
	}
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

static struct rule *
find_rule(struct rules *rs, const char *path)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].path, path) == 0)
			return &rs->r[i];
	return NULL;
}

/* Add a rule; a second rule for the same canonical path merges by precedence. */
static int
add_rule(struct rules *rs, const struct resolve_ctx *c, const char *logical, enum access a,
    bool skip, bool prot, const char *why, char *err, size_t errlen)
{
	char *canon = fs_canonical(c->fs, logical);
	struct rule *r;

	if (canon == NULL) {
		snprintf(err, errlen, "cannot resolve %s: too many levels of symbolic links", logical);
		return -1;
	}
	if (skip && c->fs->lstat(c->fs, canon) == FT_MISSING) {
		free(canon);
		return 0;
	}
	r = find_rule(rs, canon);
	if (r != NULL) {
		if (a > r->access) {
			r->access = a;
			r->why = why;
		}
		r->skip_missing = r->skip_missing && skip;
		r->protected = r->protected && prot;
		free(canon);
		return 0;
	}
	rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
	r = &rs->r[rs->n++];
	r->path = canon;
	r->logical = path_normalize(logical);
	r->access = a;
	r->skip_missing = skip;
	r->protected = prot;
	r->why = why;
	return 0;
}

static int
add_special(struct rules *rs, const struct resolve_ctx *c, const struct policy_entry *e,
    char *err, size_t errlen)
{
	char *p;
	int r;

	switch (e->special) {
	case SPECIAL_ROOT:
		return add_rule(rs, c, "/", e->access, false, false, "root", err, errlen);
	case SPECIAL_MINIMAL:
		for (size_t i = 0; minimal_paths[i] != NULL; i++)
			if (fs_stat(c->fs, minimal_paths[i]) != FT_MISSING &&
			    add_rule(rs, c, minimal_paths[i], e->access, false, false, "minimal",
			    err, errlen) < 0)
				return -1;
		return 0;
	case SPECIAL_PROJECT_ROOTS:
		p = e->path ? path_join(c->cwd, e->path) : path_normalize(c->cwd);
		r = add_rule(rs, c, p, e->access, e->skip_missing, false, "project_roots", err, errlen);
		free(p);
		return r;
	case SPECIAL_TMPDIR:
		if (c->tmpdir == NULL || c->tmpdir[0] != '/')
			return 0;
		return add_rule(rs, c, c->tmpdir, e->access, e->skip_missing, false, "tmpdir",
		    err, errlen);
	case SPECIAL_SLASH_TMP:
		if (fs_stat(c->fs, "/tmp") != FT_DIR)
			return 0;
		return add_rule(rs, c, "/tmp", e->access, e->skip_missing, false, "slash_tmp",
		    err, errlen);
	}
	return 0;
}

static int
add_glob(struct rules *rs, const struct resolve_ctx *c, const struct policy_entry *e,
    size_t max_depth, char *err, size_t errlen)
{
	struct strv m = { 0 };
	char *pat = path_join(c->cwd, e->path);
	int r = glob_expand(c->fs, pat, max_depth, &m, err, errlen);

	for (size_t i = 0; r == 0 && i < m.n; i++)
		r = add_rule(rs, c, m.v[i], ACCESS_DENY, false, false, "glob", err, errlen);
	free(pat);
	strv_free(&m);
	return r;
}

/* Protect .git, .codex, .agents and a .git file's gitdir target under writable root w. */
static int
protect_root(struct rules *rs, const struct resolve_ctx *c, const char *root,
    char *err, size_t errlen)
{
	char *gitfile, *line, *gd, *target;

	for (size_t i = 0; protected_names[i] != NULL; i++) {
		char *p = path_join(root, protected_names[i]);
		int r = 0;

		if (find_rule(rs, p) == NULL)
			r = add_rule(rs, c, p, ACCESS_READ, false, true, "protected", err, errlen);
		free(p);
		if (r < 0)
			return -1;
	}
	gitfile = path_join(root, ".git");
	line = c->fs->lstat(c->fs, gitfile) == FT_FILE ? c->fs->first_line(c->fs, gitfile) : NULL;
	gd = line ? gitdir_parse(line) : NULL;
	free(line);
	free(gitfile);
	if (gd == NULL)
		return 0;
	target = path_join(root, gd);
	free(gd);
	if (fs_stat(c->fs, target) != FT_MISSING &&
	    rules_effective(rs, target, NULL) == ACCESS_WRITE &&
	    add_rule(rs, c, target, ACCESS_READ, false, true, "gitdir", err, errlen) < 0) {
		free(target);
		return -1;
	}
	free(target);
	return 0;
}

static int
by_depth(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;
	size_t dx = path_depth(x->path), dy = path_depth(y->path);

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x->path, y->path);
}

static bool
is_full_write(const struct rules *rs)
{
	bool root_write = false;

	for (size_t i = 0; i < rs->n; i++) {
		if (strcmp(rs->r[i].path, "/") == 0 && rs->r[i].access == ACCESS_WRITE)
			root_write = true;
		else if (rs->r[i].access != ACCESS_WRITE)
			return false;
	}
	return root_write;
}

int
rules_resolve(const struct policy *p, const struct resolve_ctx *c, struct rules *out,
    char *err, size_t errlen)
{
	size_t nuser;

	memset(out, 0, sizeof(*out));
	out->network = p->network;
	if (p->fs == FS_UNRESTRICTED) {
		out->full_write = true;
		return 0;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct policy_entry *e = &p->entries[i];
		int r;

		if (e->target == TARGET_PATH)
			r = add_rule(out, c, e->path, e->access, e->skip_missing, false, "path",
			    err, errlen);
		else if (e->target == TARGET_GLOB)
			r = add_glob(out, c, e, p->glob_max_depth, err, errlen);
		else
			r = add_special(out, c, e, err, errlen);
		if (r < 0) {
			rules_free(out);
			return -1;
		}
	}
	out->full_write = is_full_write(out);
	if (out->full_write)
		return 0;
	nuser = out->n;
	for (size_t i = 0; i < nuser; i++) {
		char *root;

		/* A missing writable root is not mounted: nothing under it to protect. */
		if (out->r[i].access != ACCESS_WRITE ||
		    c->fs->lstat(c->fs, out->r[i].path) == FT_MISSING)
			continue;
		root = xstrdup(out->r[i].path);
		if (protect_root(out, c, root, err, errlen) < 0) {
			free(root);
			rules_free(out);
			return -1;
		}
		free(root);
	}
	qsort(out->r, out->n, sizeof(*out->r), by_depth);
	return 0;
}

enum access
rules_effective(const struct rules *rs, const char *path, const struct rule **which)
{
	const struct rule *best = NULL;
	size_t bestd = 0;

	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];
		size_t d;

		if (!path_is_under(path, r->path))
			continue;
		d = path_depth(r->path);
		if (best == NULL || d > bestd || (d == bestd && r->access > best->access)) {
			best = r;
			bestd = d;
		}
	}
	if (which != NULL)
		*which = best;
	return best ? best->access : ACCESS_DENY;
}
