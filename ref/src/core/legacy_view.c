/*
 * The legacy pipeline's mount steps (legacy_view.h).  The same decisions
 * as plan.c makes for bubblewrap, for the policies the legacy pipeline
 * takes (landlock_decide): the root readable, writable roots, cordon's
 * protected and hidden paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "carveout.h"
#include "legacy_view.h"
#include "mutant.h"
#include "path.h"

struct builder {
	const struct rules *rs;
	const struct fsview *fs;
	struct legacy_view *v;
	struct strset blocked;	/* missing components already blocked */
	struct strset pinned;	/* directories bound onto themselves */
};

const char *
legacy_op_name(enum legacy_op op)
{
	switch (op) {
	case LV_BIND:
		return "bind";
	case LV_RO_BIND:
		return "read-only";
	case LV_EMPTY_DIR:
		return "empty";
	case LV_NULL:
		return "null";
	}
	return "?";
}

static void
step(struct builder *b, enum legacy_op op, const char *path, unsigned mode, const char *why)
{
	struct legacy_view *v = b->v;

	v->s = xrealloc(v->s, (v->n + 1) * sizeof(*v->s));
	v->s[v->n].op = op;
	v->s[v->n].path = xstrdup(path);
	v->s[v->n].mode = mode;
	v->s[v->n].why = why;
	v->n++;
}

static void
target(struct builder *b, const char *path, bool dir)
{
	struct legacy_view *v = b->v;

	v->targets = xrealloc(v->targets, (v->ntargets + 1) * sizeof(*v->targets));
	v->targets[v->ntargets].path = xstrdup(path);
	v->targets[v->ntargets].dir = dir;
	v->ntargets++;
}

static enum access
parent_access(const struct builder *b, const char *path)
{
	return carveout_parent_access(b->rs, path);
}

/* May this user create entries in path's directory on the host? */
static bool
parent_writable(const struct builder *b, const char *path)
{
	return carveout_parent_writable(b->fs, path);
}

static void
pin_bind(void *arg, const char *dir)
{
	step(arg, LV_BIND, dir, 0, "pinned: on the way to a path mounted below it");
}

/*
 * A protected or hidden path that does not exist, where the sandbox could
 * create it: a mount point made on the host before the run, masked.
 */
static void
block_missing(struct builder *b, const struct rule *r)
{
	char *c;

	if (r->skip_missing || mutant("legacy-mask-missing"))
		return;
	c = carveout_first_missing(b->fs, r->path);
	if (parent_access(b, c) != ACCESS_WRITE || !parent_writable(b, c) ||
	    !strset_add(&b->blocked, c)) {
		free(c);	/* it cannot be created there, or one mount blocks it already */
		return;
	}
	if (r->protected && strcmp(c, r->path) == 0 && is_protected_name(path_base(c))) {
		/* An empty directory keeps git's upward repository discovery working. */
		step(b, LV_EMPTY_DIR, c, 0555, "missing, so the command could create it");
		target(b, c, true);
	} else {
		step(b, LV_RO_BIND, c, 0, "missing: an empty file cordon makes, read-only");
		target(b, c, false);
	}
	free(c);
}

/* An empty metadata path may be another run's mount point: masked and held the same way. */
static bool
maybe_synthetic(const struct builder *b, const struct rule *r)
{
	return r->protected && is_protected_name(path_base(r->path)) &&
	    parent_access(b, r->path) == ACCESS_WRITE && b->fs->is_empty(b->fs, r->path) &&
	    parent_writable(b, r->path);
}

static void
step_read(struct builder *b, const struct rule *r, enum fs_type t)
{
	if (t == FT_MISSING) {
		block_missing(b, r);
	} else if (maybe_synthetic(b, r) && !mutant("mask-empty-metadata")) {
		if (t == FT_DIR)
			step(b, LV_EMPTY_DIR, r->path, 0555, "empty: perhaps another run's mask");
		else
			step(b, LV_RO_BIND, r->path, 0, "empty: perhaps another run's mask");
		target(b, r->path, t == FT_DIR);
	} else if (parent_access(b, r->path) != ACCESS_READ &&
	    !mutant(r->protected ? "protect-existing-metadata" : "read-only-carve-outs")) {
		step(b, LV_RO_BIND, r->path, 0, r->protected ? "protected" : "read-only");
	}
}

/* Paths cordon hides whatever the policy says (landlock_decide lets no other deny through). */
static void
step_hide(struct builder *b, const struct rule *r, enum fs_type t)
{
	if (mutant("legacy-hide"))
		return;
	if (t == FT_MISSING)
		block_missing(b, r);
	else if (parent_access(b, r->path) == ACCESS_DENY)
		return;		/* hidden with its parent already */
	else if (t == FT_DIR)
		step(b, LV_EMPTY_DIR, r->path, 0, "hidden: an empty unreadable directory");
	else
		step(b, LV_NULL, r->path, 0, "hidden: /dev/null over it");
}

int
legacy_view_build(const struct rules *rs, const struct fsview *fs, const char *registry,
    struct legacy_view *v, char *err, size_t errlen)
{
	struct builder b = { rs, fs, v, { 0 }, { 0 } };
	int r = -1;

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *ru = &rs->r[i];
		enum fs_type t;

		if (strcmp(ru->path, "/") == 0)
			continue;
		if (carveout_check_links(rs, ru, err, errlen) < 0)
			goto out;
		carveout_pins(rs, fs, &b.pinned, ru->path, pin_bind, &b);
		t = fs->lstat(fs, ru->path);
		if (t == FT_SYMLINK)
			t = FT_MISSING;	/* the canonical path ends in a dangling link */
		if (ru->access == ACCESS_WRITE && t != FT_MISSING)
			step(&b, LV_BIND, ru->path, 0, "writable root");
		else if (ru->access == ACCESS_READ)
			step_read(&b, ru, t);
		else if (ru->access == ACCESS_DENY)
			step_hide(&b, ru, t);
	}
	/* The registry names what later runs remove: never the sandbox's to write. */
	if (registry != NULL && fs->lstat(fs, registry) == FT_DIR &&
	    rules_effective(rs, registry, NULL) == ACCESS_WRITE && !mutant("registry-read-only")) {
		carveout_pins(rs, fs, &b.pinned, registry, pin_bind, &b);
		step(&b, LV_RO_BIND, registry, 0, "cordon's registry of mount points");
	}
	r = 0;
out:
	strset_free(&b.blocked);
	strset_free(&b.pinned);
	if (r < 0)
		legacy_view_free(v);
	return r;
}

void
legacy_view_free(struct legacy_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->s[i].path);
	free(v->s);
	for (size_t i = 0; i < v->ntargets; i++)
		free(v->targets[i].path);
	free(v->targets);
	memset(v, 0, sizeof(*v));
}

unsigned long
legacy_mount_flags(const struct rules *rs, const struct legacy_view *v, const char *point,
    unsigned long now)
{
	const struct rule *which = NULL;
	enum access a = rules_effective(rs, point, &which);
	size_t depth = which != NULL ? strlen(which->path) : 0;

	if (mutant("legacy-readonly"))
		a = ACCESS_WRITE;	/* every other mount left as it is */
	/* The nearest of the rules and the read-only steps decides: both contain point. */
	for (size_t i = 0; i < v->n; i++)
		if (v->s[i].op != LV_BIND && strlen(v->s[i].path) >= depth &&
		    path_is_under(point, v->s[i].path)) {
			a = ACCESS_READ;
			depth = strlen(v->s[i].path);
		}
	return now | MS_NOSUID | MS_NODEV | (a == ACCESS_WRITE ? 0 : MS_RDONLY);
}
