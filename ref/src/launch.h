/* Running a plan: the system side of the bubblewrap pipeline. */
#ifndef CORDON_LAUNCH_H
#define CORDON_LAUNCH_H

#include "plan.h"

/*
 * Run bwrap (at bwrap_path) with the plan's argv and wait for it.
 * If bwrap cannot mount /proc (as in many containers) and the command has
 * not started, run once more without --proc and say so.  Returns the exit
 * status cordon should end with.
 */
int launch_bwrap(const char *bwrap_path, struct plan *p, const char *registry);

/* Remove "--proc /proc" from a plan's argv; false if it had none. */
bool plan_drop_proc(struct plan *p);

/* True if bwrap's stderr says it could not mount a fresh /proc. */
bool proc_mount_failed(const char *bwrap_stderr);

#endif
