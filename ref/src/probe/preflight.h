/*
 * What bwrap would stop on with a raw error of its own ("Can't chdir",
 * "execvp ...: Permission denied", "Can't find source path"), found from
 * the plan before anything runs, so that cordon can say what is wrong and
 * what to do in one line.  Each check returns 0, or the exit status
 * `cordon run` ends with and the line in msg.
 */
#ifndef CORDON_PREFLIGHT_H
#define CORDON_PREFLIGHT_H

#include <stddef.h>

#include "fsview.h"
#include "rules.h"

/* The working directory cwd (canonical) is hidden by the policy: status 1. */
int preflight_cwd(const struct rules *rs, const char *cwd, char *msg, size_t len);

/*
 * Every file execvp would try for cmd[0] (search: the command's PATH, or
 * NULL) that exists here is hidden by the policy: status 127.  A command
 * found nowhere is left to the launch, which says so.
 */
int preflight_command(const struct rules *rs, const struct fsview *fs, char *const *cmd,
    const char *search, const char *cwd, char *msg, size_t len);

/*
 * The caller is root: in the sandbox's user namespace, which maps only
 * root, it has no power over other users' files.  Every existing policy
 * path must be reachable, each writable root writable and the cwd
 * searchable, by the file modes alone: status 1.  Looks at the real files.
 */
int preflight_root(const struct rules *rs, const char *cwd, char *msg, size_t len);

#endif
