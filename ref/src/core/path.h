/* Pure path arithmetic on absolute, lexically normalised paths. */
#ifndef CORDON_PATH_H
#define CORDON_PATH_H

#include <stdbool.h>
#include <stddef.h>

struct strv;

/* Normalise an absolute path: collapse "//", ".", "..", drop a trailing "/". NULL if relative. */
char *path_normalize(const char *path);
/*
 * An absolute path with "//", "." and a trailing "/" dropped but every ".."
 * kept: what a policy path says before the filesystem is asked (whether
 * "a/.." is a parent of "a" depends on what a is).
 */
char *path_tidy(const char *path);
/* True if some component of path is "..". */
bool path_has_dotdot(const char *path);
/* base + "/" + rel as text, for the kernel's resolution to interpret; rel may be absolute (then base is ignored). */
char *path_concat(const char *base, const char *rel);
/* base + "/" + rel, normalised; rel may be absolute (then base is ignored). */
char *path_join(const char *base, const char *rel);
/* Number of components: "/" is 0, "/a/b" is 2. */
size_t path_depth(const char *path);
/* True if path equals dir or lies below it. */
bool path_is_under(const char *path, const char *dir);
/* Parent of a normalised path ("/" for "/a", "/" for "/"). */
char *path_parent(const char *path);
/* The last component ("" for "/"). */
const char *path_base(const char *path);
/*
 * The files execvp tries for name, in order: name itself when it has a
 * slash, else name in each entry of search (NULL: "/bin:/usr/bin"), an
 * empty entry meaning the current directory.  A relative result is put
 * under cwd, or left relative when cwd is NULL.  None for an empty name.
 */
void path_exec_candidates(const char *name, const char *search, const char *cwd,
    struct strv *out);

#endif
