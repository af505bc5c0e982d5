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

struct strv;

enum resolve_error {
	RESOLVE_OK,
	RESOLVE_RELATIVE,	/* not an absolute path */
	RESOLVE_LOOP,		/* more than 40 symlinks, or one that cannot be read */
	RESOLVE_DOTDOT_MISSING,	/* ".." after a component that does not exist */
};

/*
 * Resolve path as the kernel does (".." from the directory reached, not
 * from the text; every symlink followed, the last one too); below a
 * missing component the rest is appended as it is.  links, if not NULL,
 * gets the location of every symlink followed, in order.  NULL on error,
 * with *why (if not NULL) saying which.
 */
char *fs_resolve(const struct fsview *fs, const char *path, struct strv *links,
    enum resolve_error *why);
/* fs_resolve without the details. */
char *fs_canonical(const struct fsview *fs, const char *path);
/* Type after following symlinks. */
enum fs_type fs_stat(const struct fsview *fs, const char *path);

/* The real filesystem; its lstat answers are remembered until fsview_host_forget(). */
const struct fsview *fsview_host(void);
void fsview_host_forget(void);

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
