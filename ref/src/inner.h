/* The inner stage: runs inside bwrap, confines itself, then runs the command. */
#ifndef CORDON_INNER_H
#define CORDON_INNER_H

#include <stdbool.h>

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

#endif
