/* The inner stage: runs inside bwrap, confines itself, then runs the command. */
#ifndef CORDON_INNER_H
#define CORDON_INNER_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"

#define CORDON_INNER_FLAG "--cordon-inner"

/* argv[1] is CORDON_INNER_FLAG.  Never returns. */
int inner_main(int argc, char **argv) __attribute__((noreturn));
/* Confine the calling process (caps check, NNP, seccomp); exit 1 on failure. */
void inner_confine(enum seccomp_mode mode, bool require_no_caps);
/* Close every descriptor above 2. */
void close_inherited_fds(void);
/* Exit the way the command ended: its status, or 128+signal. */
void exit_like(int wstatus) __attribute__((noreturn));
/* execvp the command; on failure print one line and exit 127. */
void exec_command(char *const *cmd) __attribute__((noreturn));

/*
 * An init's parts, for the inner stage and the legacy pipeline's init:
 * block the signals an init passes on, and SIGCHLD (*old: the mask
 * before); fork cmd with mask as its signal mask; then pass those
 * signals on to the child, reap every child and exit as the child did.
 */
void init_block(sigset_t *old);
void init_command(char *const *cmd, const sigset_t *mask) __attribute__((noreturn));
void init_supervise(pid_t child) __attribute__((noreturn));

#endif
