/*
 * The legacy pipeline's view of the filesystem: what its init mounts in
 * its own user and mount namespaces before it confines itself with
 * seccomp and Landlock.  Landlock only grants: it cannot keep .git
 * read-only inside a writable root, stop a missing .codex from being
 * created, hide Codex's sockets, or stop chmod, utimes and setxattr
 * outside the writable roots (those are not file access rights).  Mounts
 * can, the same way as bubblewrap's: the steps below, then every other
 * mount read-only.  A pure function of the rules and an fsview.
 */
#ifndef CORDON_LEGACY_VIEW_H
#define CORDON_LEGACY_VIEW_H

#include <stddef.h>

#include "fsview.h"
#include "plan.h"
#include "rules.h"

enum legacy_op {
	LV_BIND,	/* bind the path onto itself, writable: a writable root, a pinned directory */
	LV_RO_BIND,	/* bind the path onto itself, read-only: protected, or an empty file cordon made */
	LV_EMPTY_DIR,	/* an empty read-only tmpfs of the step's mode */
	LV_NULL,	/* /dev/null, read-only, over a file */
};

struct legacy_step {
	enum legacy_op op;
	char *path;
	unsigned mode;		/* LV_EMPTY_DIR: 0555 masks a name, 0000 hides a path */
	const char *why;	/* for explain: a static phrase */
};

struct legacy_view {
	struct legacy_step *s;	/* in order: shallow paths first, as bwrap mounts them */
	size_t n;
	/* Mount points the caller makes on the host before the run, removes after. */
	struct mount_target *targets;
	size_t ntargets;
};

/*
 * The steps for rs over fs; registry: cordon's mount-target registry
 * (kept read-only if a writable root holds it), or NULL.  -1, with one
 * line in err, when a policy path goes through a symlink inside a
 * writable root (the next run would mount where the sandbox pointed it).
 */
int legacy_view_build(const struct rules *rs, const struct fsview *fs, const char *registry,
    struct legacy_view *v, char *err, size_t errlen);
void legacy_view_free(struct legacy_view *v);
const char *legacy_op_name(enum legacy_op op);

/*
 * The flags the mount at point should get, from its flags now: nosuid and
 * nodev always (as bubblewrap's binds), read-only unless the policy
 * writes there and no read-only step of v is nearer.  now if unchanged.
 */
unsigned long legacy_mount_flags(const struct rules *rs, const struct legacy_view *v,
    const char *point, unsigned long now);

#endif
