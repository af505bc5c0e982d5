/*
 * What the planner may ask of the filesystem.  The host implementation
 * calls lstat(2) and friends; the in-memory one lets unit tests and fuzzers
 * describe a filesystem in text, so argv building stays a pure function.
 */
#ifndef CORDON_FSVIEW_H
#define CORDON_FSVIEW_H

#include <stdbool.h>
#include <stddef.h>

enum fs_type {
	FT_MISSING,
	FT_DIR,
	FT_FILE,
	FT_SYMLINK,
	FT_OTHER,
};

struct fsview {
	/* Type of path itself (symlinks not followed, earlier components are). */
	enum fs_type (*lstat)(const struct fsview *fs, const char *path);
	/* Symlink target, malloc'd, or NULL. */
	char *(*readlink)(const struct fsview *fs, const char *path);
	/* First line of a small regular file, malloc'd, or NULL. */
	char *(*first_line)(const struct fsview *fs, const char *path);
	/* True for an empty directory or a zero-length regular file. */
	bool (*is_empty)(const struct fsview *fs, const char *path);
	/* Names in a directory (NULL-terminated, malloc'd), or NULL. */
	char **(*list)(const struct fsview *fs, const char *dir);
	/* True if this user may create entries in directory dir. */
	bool (*can_write)(const struct fsview *fs, const char *dir);
	void *ctx;
};

/* Follow every symlink; a missing tail is appended unchanged. NULL on a loop. */
char *fs_canonical(const struct fsview *fs, const char *path);
/* Type after following symlinks. */
enum fs_type fs_stat(const struct fsview *fs, const char *path);

const struct fsview *fsview_host(void);

/*
 * An in-memory filesystem from a description, one node per line:
 *   d /path            a directory
 *   f /path [content]  a regular file (content: the rest of the line)
 *   l /path target     a symlink
 *   r /path            a directory this user cannot write to
 * Parent directories are implied.  Returns NULL with *bad set to the
 * offending line number on a malformed description.
 */
struct fsview *fsview_mem_new(const char *desc, size_t *bad);
void fsview_mem_free(struct fsview *fs);

#endif
