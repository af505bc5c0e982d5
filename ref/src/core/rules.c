/* Resolve a policy against the policy cwd and the filesystem into rules. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutant.h"
#include "path.h"
#include "rules.h"
#include "util.h"

/* .aws as in Codex 0.169.0: credential_process in its config runs anything. */
const char *const protected_names[] = { ".git", ".codex", ".agents", ".aws", NULL };

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
		strv_free(&rs->r[i].links);
	}
	free(rs->r);
	free(rs->slots);
	free(rs->open_below);
	memset(rs, 0, sizeof(*rs));
}

/*
 * A hash index of the rules by path keeps resolution and planning linear
 * in the number of entries: every question about a path walks its (few)
 * ancestors instead of scanning every rule.
 */
static void
index_insert(struct rules *rs, size_t i)
{
	size_t k = (size_t)fnv1a64(rs->r[i].path, strlen(rs->r[i].path)) & (rs->nslots - 1);

	while (rs->slots[k] != 0)
		k = (k + 1) & (rs->nslots - 1);
	rs->slots[k] = i + 1;
}

static void
index_rebuild(struct rules *rs)
{
	size_t want = 64;

	while (want < rs->n * 2 + 2)
		want *= 2;
	free(rs->slots);
	rs->nslots = want;
	rs->slots = xcalloc(want, sizeof(*rs->slots));
	for (size_t i = 0; i < rs->n; i++)
		index_insert(rs, i);
}

/* The rule for the first n bytes of path (a prefix of it), or NULL. */
static const struct rule *
find_prefix(const struct rules *rs, const char *path, size_t n)
{
	size_t k;

	if (rs->nslots == 0)
		return NULL;
	for (k = (size_t)fnv1a64(path, n) & (rs->nslots - 1); rs->slots[k] != 0; k = (k + 1) & (rs->nslots - 1)) {
		const struct rule *r = &rs->r[rs->slots[k] - 1];

		if (strlen(r->path) == n && strncmp(r->path, path, n) == 0)
			return r;
	}
	return NULL;
}

const struct rule *
rules_find(const struct rules *rs, const char *path)
{
	return find_prefix(rs, path, strlen(path));
}

static struct rule *
find_rule(struct rules *rs, const char *path)
{
	return (struct rule *)rules_find(rs, path);
}

bool
rules_write_below_write(const struct rules *rs, const struct rule *r)
{
	const char *p = r->path;

	for (size_t n = strlen(p); n > 1; n--) {
		const struct rule *a;

		if (p[n - 1] != '/')
			continue;
		a = find_prefix(rs, p, n - 1);
		if (a != NULL && a != r && a->access == ACCESS_WRITE)
			return true;
	}
	if (strcmp(p, "/") != 0) {
		const struct rule *root = find_prefix(rs, "/", 1);

		return root != NULL && root->access == ACCESS_WRITE;
	}
	return false;
}

bool
rules_open_below(const struct rules *rs, const struct rule *r)
{
	return rs->open_below != NULL && rs->open_below[r - rs->r];
}

/* Mark every rule that has a read or write rule strictly beneath it. */
static void
mark_open_below(struct rules *rs)
{
	rs->open_below = xcalloc(rs->n + 1, sizeof(bool));
	for (size_t i = 0; i < rs->n; i++) {
		const char *p = rs->r[i].path;

		if (rs->r[i].access == ACCESS_DENY)
			continue;
		for (size_t n = strlen(p); n > 0; n--) {
			const struct rule *a;

			if (p[n] != '/' && p[n] != '\0')
				continue;
			if (n == strlen(p))
				continue;	/* the rule itself */
			if ((a = find_prefix(rs, p, n)) != NULL)
				rs->open_below[a - rs->r] = true;
		}
		if (strcmp(p, "/") != 0 && (rs->r[i].access != ACCESS_DENY)) {
			const struct rule *root = find_prefix(rs, "/", 1);

			if (root != NULL)
				rs->open_below[root - rs->r] = true;
		}
	}
}

static void
add_links(struct rule *r, const struct strv *links)
{
	for (size_t i = 0; i < links->n; i++)
		if (!strv_contains(&r->links, links->v[i]))
			strv_push(&r->links, links->v[i]);
}

/* One line saying why raw cannot be resolved. */
static void
resolve_failed(const char *raw, enum resolve_error why, char *err, size_t errlen)
{
	switch (why) {
	case RESOLVE_DOTDOT_MISSING:
		snprintf(err, errlen, "cannot resolve %s: \"..\" follows a component that does "
		    "not exist, so what it names depends on what is created there", raw);
		break;
	case RESOLVE_RELATIVE:
		snprintf(err, errlen, "cannot resolve %s: not an absolute path", raw);
		break;
	case RESOLVE_LOOP:
	case RESOLVE_OK:
		snprintf(err, errlen, "cannot resolve %s: too many levels of symbolic links", raw);
		break;
	}
}

/*
 * Add a rule for raw (an absolute path as the policy spells it, "..",
 * "." and symlinks unresolved), resolved as the kernel resolves it; a
 * second rule for the same canonical path merges by precedence, and the
 * rule remembers every symlink any of its spellings went through.
 */
static int
add_rule(struct rules *rs, const struct resolve_ctx *c, const char *raw, enum access a,
    bool skip, bool prot, const char *why, char *err, size_t errlen)
{
	struct strv links = { 0 };
	enum resolve_error rerr = RESOLVE_RELATIVE;
	char *canon = mutant("kernel-resolution") ? path_normalize(raw) :
	    fs_resolve(c->fs, raw, &links, &rerr);
	struct rule *r;

	if (canon == NULL) {
		resolve_failed(raw, rerr, err, errlen);
		strv_free(&links);
		return -1;
	}
	if (skip && c->fs->lstat(c->fs, canon) == FT_MISSING) {
		free(canon);
		strv_free(&links);
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
		add_links(r, &links);
		free(canon);
		strv_free(&links);
		return 0;
	}
	rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->path = canon;
	r->logical = path_tidy(raw);
	r->access = a;
	r->skip_missing = skip;
	r->protected = prot;
	r->why = why;
	r->links = links;
	if (rs->n * 2 + 2 > rs->nslots)
		index_rebuild(rs);
	else
		index_insert(rs, rs->n - 1);
	return 0;
}

/* A path hidden whatever the policy says: a deny rule marked as cordon's own. */
static int
add_hidden(struct rules *rs, const struct resolve_ctx *c, const char *path, char *err,
    size_t errlen)
{
	struct rule *r;
	char *canon;

	if (add_rule(rs, c, path, ACCESS_DENY, false, false, "hidden", err, errlen) < 0)
		return -1;
	if ((canon = fs_canonical(c->fs, path)) != NULL && (r = find_rule(rs, canon)) != NULL)
		r->hidden = true;
	free(canon);
	return 0;
}

/*
 * cordon run's default: a credential store hidden as cordon hides Codex's
 * sockets (so the legacy pipeline can hide it too), if it is there.
 */
static int
add_secret(struct rules *rs, const struct resolve_ctx *c, const char *path, char *err,
    size_t errlen)
{
	struct rule *r;
	char *canon;

	if (add_rule(rs, c, path, ACCESS_DENY, true, false, "secret", err, errlen) < 0)
		return -1;
	if ((canon = fs_canonical(c->fs, path)) != NULL && (r = find_rule(rs, canon)) != NULL &&
	    r->access == ACCESS_DENY)
		r->hidden = true;
	free(canon);
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
		p = e->path ? path_concat(c->cwd, e->path) : xstrdup(c->cwd);
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
	char *gitfile, *line, *gd, *target, *canon;

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
	target = path_concat(root, gd);
	free(gd);
	canon = fs_canonical(c->fs, target);
	if (canon != NULL && c->fs->lstat(c->fs, canon) != FT_MISSING &&
	    rules_effective(rs, canon, NULL) == ACCESS_WRITE &&
	    add_rule(rs, c, target, ACCESS_READ, false, true, "gitdir", err, errlen) < 0) {
		free(canon);
		free(target);
		return -1;
	}
	free(canon);
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

/*
 * The whole disk writable, nothing to confine: the root is writable and no
 * other rule names anything.  A writable root beside a writable / (say a
 * SandboxPolicy whose writable roots include /) is a workspace whose .git,
 * .codex and .agents stay read-only, as in Codex: that needs bubblewrap.
 */
static bool
is_full_write(const struct rules *rs)
{
	bool root_write = false;

	for (size_t i = 0; i < rs->n; i++) {
		if (strcmp(rs->r[i].path, "/") != 0 && !mutant("writable-slash-keeps-bwrap"))
			return false;
		root_write = rs->r[i].access == ACCESS_WRITE;
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
		else if (e->target == TARGET_SECRET)
			r = add_secret(out, c, e->path, err, errlen);
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
	for (size_t i = 0; c->hidden != NULL && c->hidden[i] != NULL; i++)
		if (add_hidden(out, c, c->hidden[i], err, errlen) < 0) {
			rules_free(out);
			return -1;
		}
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
	if (out->n > 1)	/* qsort must not see the NULL of an empty policy */
		qsort(out->r, out->n, sizeof(*out->r), by_depth);
	index_rebuild(out);
	mark_open_below(out);
	return 0;
}

enum access
rules_effective(const struct rules *rs, const char *path, const struct rule **which)
{
	size_t n = strlen(path);

	/* The deepest ancestor-or-self with a rule decides: walk up from path. */
	for (;;) {
		const struct rule *r = find_prefix(rs, path, n == 0 ? 1 : n);

		if (r != NULL) {
			if (which != NULL)
				*which = r;
			return r->access;
		}
		if (n <= 1)
			break;
		while (n > 1 && path[n - 1] != '/')
			n--;
		if (n > 1)
			n--;	/* drop the slash: "/a/b" -> "/a" */
	}
	if (which != NULL)
		*which = NULL;
	return ACCESS_DENY;
}
