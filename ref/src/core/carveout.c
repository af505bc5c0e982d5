/* Carve-outs below writable roots: the decisions both pipelines share (carveout.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carveout.h"
#include "mutant.h"
#include "path.h"

enum access
carveout_parent_access(const struct rules *rs, const char *path)
{
	char *parent = path_parent(path);
	enum access a = rules_effective(rs, parent, NULL);

	free(parent);
	return a;
}

bool
carveout_parent_writable(const struct fsview *fs, const char *path)
{
	char *parent = path_parent(path);
	bool w = fs->can_write(fs, parent);

	free(parent);
	return w;
}

/*
 * Whatever the path's access: bwrap (before 0.12) and mount(2) follow
 * symlinks, so the mount would land on the old target, and the next run
 * would mount whatever the sandbox pointed the link at.
 */
int
carveout_check_links(const struct rules *rs, const struct rule *r, char *err, size_t errlen)
{
	if (mutant("symlink-refusal") ||
	    (r->access == ACCESS_WRITE && mutant("symlink-refusal-writable-roots")))
		return 0;
	for (size_t i = 0; i < r->links.n; i++) {
		if (carveout_parent_access(rs, r->links.v[i]) != ACCESS_WRITE)
			continue;
		snprintf(err, errlen, "cannot enforce %s path %s: it goes through symlink %s "
		    "inside a writable root, which the sandbox could replace",
		    r->protected ? "protected" : access_name(r->access), r->logical,
		    r->links.v[i]);
		return -1;
	}
	return 0;
}

/*
 * Mounts attach to directory entries: an ordinary directory between a
 * writable root and a carve-out below it can be renamed, carrying the
 * carve-out's mount away, and made again without it.  Bound onto itself
 * it is a mount point, which cannot be renamed or removed.
 */
void
carveout_pins(const struct rules *rs, const struct fsview *fs, struct strset *pinned,
    const char *path, void (*pin)(void *arg, const char *dir), void *arg)
{
	if (mutant("pin-directories"))
		return;
	for (size_t i = 1; path[i] != '\0'; i++) {
		char *d;

		if (path[i] != '/')
			continue;
		d = xstrndup(path, i);
		if (fs->lstat(fs, d) != FT_DIR) {
			free(d);
			return;		/* nothing exists below a missing component */
		}
		/* Renaming d takes write permission on its parent, as the sandbox has it. */
		if (rules_find(rs, d) == NULL && !strset_has(pinned, d) &&
		    carveout_parent_access(rs, d) == ACCESS_WRITE &&
		    carveout_parent_writable(fs, d)) {
			strset_add(pinned, d);
			pin(arg, d);
		}
		free(d);
	}
}

char *
carveout_first_missing(const struct fsview *fs, const char *path)
{
	for (size_t i = 1; path[i - 1] != '\0'; i++) {
		char *prefix;

		if (path[i] != '/' && path[i] != '\0')
			continue;
		prefix = xstrndup(path, i);
		if (fs->lstat(fs, prefix) == FT_MISSING)
			return prefix;
		free(prefix);
		if (path[i] == '\0')
			break;
	}
	return xstrdup(path);
}
