/*
 * The legacy Landlock pipeline, run.  Three processes:
 *
 *   cordon, in the caller's namespaces: makes the view's mount points
 *     (targets.h) and relays stdio (stdio_guard.h); forks, passes signals
 *     on, waits, removes the mount points and exits as the command did;
 *   its child: new user, mount, PID, IPC and (network off) network
 *     namespaces, which it maps to the caller's ids; it forks, passes
 *     signals on and exits as its child did;
 *   that child, PID 1 there, cordon's init: builds the view
 *     (legacy_mount.h), starts a new session, drops every capability,
 *     sets NO_NEW_PRIVS, loads the seccomp filter (and the truncation
 *     guard below Landlock ABI 3), restricts itself with Landlock, closes
 *     inherited descriptors, then forks the command and reaps.
 *
 * Where the namespaces cannot be made the command is not run at all.
 */
#ifndef CORDON_LEGACY_RUN_H
#define CORDON_LEGACY_RUN_H

#include "sandbox.h"

void legacy_run(const struct invocation *inv, struct prepared *pr) __attribute__((noreturn));

#endif
