/* Running a plan: the system side of the bubblewrap pipeline. */
#ifndef CORDON_LAUNCH_H
#define CORDON_LAUNCH_H

#include "bwrap.h"
#include "plan.h"

/*
 * Run bwrap (a system one by path, or cordon's bundled one through its
 * descriptor) with the plan's argv and wait for it.
 * If bwrap cannot mount /proc (as in many containers) and the command has
 * not started, run once more without --proc and say so.  Returns the exit
 * status cordon should end with.  A direct plan (plan.h) does not return:
 * cordon becomes bwrap.
 */
int launch_bwrap(const struct bwrap_info *bw, struct plan *p, const char *registry);

/* Say that the sandbox runs without a fresh /proc, and why. */
void launch_warn_no_proc(void);

/* True if bwrap's stderr says it could not mount a fresh /proc. */
bool proc_mount_failed(const char *bwrap_stderr);

#endif
