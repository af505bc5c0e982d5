/* Symlink resolution on top of any fsview. */
#include <stdlib.h>
#include <string.h>

#include "fsview.h"
#include "path.h"
#include "util.h"

char *
fs_canonical(const struct fsview *fs, const char *path)
{
	char *cur = path_normalize(path);
	int hops = 0;
	size_t done = 1;	/* cur[0..done) is already resolved */

	if (cur == NULL)
		return NULL;
	while (cur[done] != '\0') {
		size_t end = done + (cur[done] == '/');
		char *prefix, *target, *rest, *next;

		while (cur[end] != '\0' && cur[end] != '/')
			end++;
		prefix = xmalloc(end + 1);
		memcpy(prefix, cur, end);
		prefix[end] = '\0';
		switch (fs->lstat(fs, prefix)) {
		case FT_SYMLINK:
			if (++hops > 40 || (target = fs->readlink(fs, prefix)) == NULL) {
				free(prefix);
				free(cur);
				return NULL;
			}
			rest = xstrdup(cur + end);
			{
				char *parent = path_parent(prefix);
				char *joined = path_join(parent, target);

				next = xasprintf("%s%s", joined, rest);
				free(parent);
				free(joined);
			}
			free(target);
			free(rest);
			free(prefix);
			free(cur);
			cur = path_normalize(next);
			free(next);
			done = 1;
			continue;
		case FT_MISSING:
			/* Nothing below a missing component can be a symlink. */
			free(prefix);
			return cur;
		default:
			free(prefix);
			done = end;
		}
	}
	return cur;
}

enum fs_type
fs_stat(const struct fsview *fs, const char *path)
{
	char *c = fs_canonical(fs, path);
	enum fs_type t;

	if (c == NULL)
		return FT_MISSING;
	t = fs->lstat(fs, c);
	free(c);
	return t;
}
