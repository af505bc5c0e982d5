/*
 * What every pipeline decides around a carve-out (a path mounted below a
 * writable root): whether a symlink on its way could be re-pointed, which
 * directories on its way must be pinned, and where a missing one begins.
 * plan.c (bubblewrap) and legacy_view.c (legacy Landlock) both use these,
 * so the two pipelines cannot drift apart.  Pure: the filesystem is asked
 * through an fsview.
 */
#ifndef CORDON_CARVEOUT_H
#define CORDON_CARVEOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "fsview.h"
#include "rules.h"
#include "util.h"

/* The access rs gives path's parent directory. */
enum access	carveout_parent_access(const struct rules *rs, const char *path);
/* May this user create entries in path's directory on the host? */
bool		carveout_parent_writable(const struct fsview *fs, const char *path);
/*
 * 0, or -1 with err when r's path goes through a symlink inside a writable
 * root: a mount follows symlinks, and the sandbox could re-point that one
 * for the next run.
 */
int		carveout_check_links(const struct rules *rs, const struct rule *r, char *err,
		    size_t errlen);
/*
 * Every existing directory on path's way whose entry the sandbox could
 * rename, not pinned yet: pin(arg, dir) for each, recorded in pinned.
 */
void		carveout_pins(const struct rules *rs, const struct fsview *fs,
		    struct strset *pinned, const char *path,
		    void (*pin)(void *arg, const char *dir), void *arg);
/* The first component of path that does not exist (path itself if only it is missing); caller frees. */
char		*carveout_first_missing(const struct fsview *fs, const char *path);

#endif
