/* The fsview of the real filesystem. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsview.h"
#include "util.h"

static enum fs_type
host_lstat(const struct fsview *fs, const char *path)
{
	struct stat st;

	(void)fs;
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
