/*
 * Signals to cordon, passed on to the sandbox it waits for, and the
 * deadline of --timeout.
 *
 * bwrap's own launcher passes no signal on: a SIGINT or SIGTERM kills it,
 * and --die-with-parent then kills the sandbox outright, so a command
 * that traps SIGINT never runs its trap.  cordon stays while the sandbox
 * runs, catches HUP, INT, QUIT, TERM, USR1, USR2 and WINCH, and sends each
 * to the target: a process that passes it on to the command (cordon's
 * inner stage as the sandbox's PID 1, the legacy pipeline's child), or the
 * sandbox's process group, which bwrap's own init is in (it ignores them)
 * and the command too (as from a terminal).  A signal that comes before
 * there is a target is held and sent as soon as there is; until the
 * command has started the target is bwrap, which it ends, and the sandbox
 * with it.
 *
 * At the deadline the command gets SIGTERM the same way; SIGKILL_GRACE
 * seconds later, if the sandbox still runs, the holder (bwrap, the legacy
 * child, or the command itself without bwrap) gets SIGKILL, and with it
 * every process of the sandbox.  Every function but the handlers' helpers
 * runs in cordon's main flow.
 */
#ifndef CORDON_SIGPASS_H
#define CORDON_SIGPASS_H

#include <stdbool.h>
#include <sys/types.h>

#define SIGKILL_GRACE 2

/* Catch the signals to pass on (and SIGALRM for the deadline). */
void sigpass_begin(void);
/* The process whose death ends the sandbox: killed at the deadline's end. */
void sigpass_holder(pid_t pid);
/* Where signals go from now on (group: to the process group pid leads); held ones are sent. */
void sigpass_target(pid_t pid, bool group);
/* No target or holder any more (the sandbox is gone). */
void sigpass_end(void);
/* Arm the deadline: seconds > 0. */
void sigpass_deadline(double seconds);
/* Did the deadline pass? */
bool sigpass_timed_out(void);
/* Any signal still held (no target yet)?  Then send it again. */
bool sigpass_held(void);
void sigpass_flush(void);
/* waitpid(pid), sending held signals meanwhile; the status in *wstatus. */
void sigpass_wait(pid_t pid, int *wstatus);

/*
 * DURATION as timeout(1) reads it: a non-negative number, with an
 * optional suffix s, m, h or d.  0 (no deadline) allowed; -1 if not a
 * duration.  Pure.
 */
int sigpass_parse_duration(const char *s, double *seconds);

#endif
