/* The fsview of the real filesystem. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsview.h"
#include "util.h"

/*
 * lstat answers, remembered for the life of the process: resolving and
 * planning ask about the same few directories again and again (44 calls
 * for a workspace-write plan), and one plan is one view of the tree.
 */
struct lstat_memo {
	char **path;
	enum fs_type *type;
	size_t n, cap;		/* cap: a power of two, or 0 */
};

static struct lstat_memo memo;

static size_t
memo_slot(const char *path)
{
	size_t k = (size_t)fnv1a64(path, strlen(path)) & (memo.cap - 1);

	while (memo.path[k] != NULL && strcmp(memo.path[k], path) != 0)
		k = (k + 1) & (memo.cap - 1);
	return k;
}

static void
memo_put(const char *path, enum fs_type t)
{
	if (memo.n * 2 + 2 > memo.cap) {
		struct lstat_memo old = memo;

		memo.cap = old.cap ? old.cap * 2 : 64;
		memo.path = xcalloc(memo.cap, sizeof(*memo.path));
		memo.type = xcalloc(memo.cap, sizeof(*memo.type));
		for (size_t i = 0; i < old.cap; i++)
			if (old.path[i] != NULL) {
				size_t k = memo_slot(old.path[i]);

				memo.path[k] = old.path[i];
				memo.type[k] = old.type[i];
			}
		free(old.path);
		free(old.type);
	}
	memo.path[memo_slot(path)] = xstrdup(path);
	memo.type[memo_slot(path)] = t;
	memo.n++;
}

void
fsview_host_forget(void)
{
	for (size_t i = 0; i < memo.cap; i++)
		free(memo.path[i]);
	free(memo.path);
	free(memo.type);
	memset(&memo, 0, sizeof(memo));
}

static enum fs_type
lstat_type(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return FT_MISSING;
	if (S_ISDIR(st.st_mode))
		return FT_DIR;
	if (S_ISREG(st.st_mode))
		return FT_FILE;
	if (S_ISLNK(st.st_mode))
		return FT_SYMLINK;
	return FT_OTHER;
}

static enum fs_type
host_lstat(const struct fsview *fs, const char *path)
{
	enum fs_type t;
	size_t k;

	(void)fs;
	if (memo.cap > 0 && memo.path[k = memo_slot(path)] != NULL)
		return memo.type[k];
	t = lstat_type(path);
	memo_put(path, t);
	return t;
}

static char *
host_readlink(const struct fsview *fs, const char *path)
{
	char buf[4096];
	ssize_t n;

	(void)fs;
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static char *
host_first_line(const struct fsview *fs, const char *path)
{
	char buf[4096];
	FILE *f;
	char *nl;

	(void)fs;
	f = fopen(path, "re");
	if (f == NULL)
		return NULL;
	if (fgets(buf, sizeof(buf), f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl != NULL)
		*nl = '\0';
	return xstrdup(buf);
}

static bool
host_is_empty(const struct fsview *fs, const char *path)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	bool empty = true;

	(void)fs;
	if (lstat(path, &st) < 0)
		return false;
	if (S_ISREG(st.st_mode))
		return st.st_size == 0;
	if (!S_ISDIR(st.st_mode) || (dir = opendir(path)) == NULL)
		return false;
	while ((d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			empty = false;
	closedir(dir);
	return empty;
}

static char **
host_list(const struct fsview *fs, const char *path)
{
	struct strv sv = { 0 };
	struct dirent *d;
	DIR *dir;

	(void)fs;
	if ((dir = opendir(path)) == NULL)
		return NULL;
	while ((d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			strv_push(&sv, d->d_name);
	closedir(dir);
	if (sv.v == NULL)
		sv.v = xcalloc(1, sizeof(char *));
	return sv.v;
}

static bool
host_can_write(const struct fsview *fs, const char *dir)
{
	(void)fs;
	return access(dir, W_OK) == 0;
}

static const struct fsview host = {
	host_lstat, host_readlink, host_first_line, host_is_empty, host_list, host_can_write,
	NULL,
};

const struct fsview *
fsview_host(void)
{
	return &host;
}
