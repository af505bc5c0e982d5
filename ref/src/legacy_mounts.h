/*
 * The legacy pipeline's mount protections: Landlock can only grant, so a
 * writable root's .git, .codex, .agents (and a .git file's gitdir target)
 * are bind-mounted read-only in a private user and mount namespace first.
 */
#ifndef CORDON_LEGACY_MOUNTS_H
#define CORDON_LEGACY_MOUNTS_H

#include "fsview.h"
#include "rules.h"
#include "util.h"

/*
 * The protected paths of rs that exist in fs (into *present) and those
 * that do not (into *absent: a command could create them).  Pure.
 */
void legacy_protected_paths(const struct rules *rs, const struct fsview *fs,
    struct strv *present, struct strv *absent);
/*
 * Bind every path read-only in a new user and mount namespace that maps
 * only the caller's uid and gid.  Nothing to do for no paths.  -1 with a
 * reason when that cannot be done: the caller must then not run the command.
 */
int legacy_mounts_protect(const struct strv *paths, char *err, size_t errlen);

#endif
