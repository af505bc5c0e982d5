/*
 * The legacy init's mounts, made in its own mount namespace before it
 * confines itself: the view's steps (legacy_view.h), then every other
 * mount read-only, a fresh /proc and a private /dev.
 */
#ifndef CORDON_LEGACY_MOUNT_H
#define CORDON_LEGACY_MOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "legacy_view.h"
#include "rules.h"

/*
 * Build the view.  want_proc: mount a fresh /proc (the caller is PID 1 of
 * a new PID namespace); if the kernel refuses, the enclosing one stays,
 * read-only.  *own gets LANDLOCK_OWN_DEV and LANDLOCK_OWN_PROC for what
 * was mounted fresh.  -1 with one line in err if any step fails: nothing
 * may run then.
 */
int legacy_mount_view(const struct legacy_view *v, const struct rules *rs, bool want_proc,
    unsigned *own, char *err, size_t errlen);

#endif
