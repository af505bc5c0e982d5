/* What the machine offers, asked of the kernel or by running a program; no judging here. */
#ifndef CORDON_SYSPROBE_H
#define CORDON_SYSPROBE_H

#include <stdbool.h>

/* Read one integer from a /proc/sys file: 0, or -1 with errno (ENOENT: no such knob). */
int sysprobe_read_long(const char *path, long *val);

/* The Landlock ABI version, or -1 with errno (ENOSYS: not built, EOPNOTSUPP: off at boot). */
int sysprobe_landlock_abi(void);

struct seccomp_probe {
	int mode;		/* PR_GET_SECCOMP: 0 none, 2 filtered already; -1 on error */
	int mode_errno;
	bool from_proc;		/* the actions came from actions_avail, not seccomp(2) */
	bool filters;		/* the kernel takes seccomp filters at all */
	bool act_errno;
	bool act_kill_process;
};

void sysprobe_seccomp(struct seccomp_probe *sp);

struct run_result {
	int wstatus;		/* as from waitpid, when the program finished */
	bool timed_out;		/* killed after the time-out */
	char *output;		/* stdout and stderr together, NUL-terminated */
};

/*
 * Run argv[0] (a path) with stdin from /dev/null and both output streams
 * captured; kill its whole process group after timeout_ms.  -1 with errno
 * if it could not be started at all.
 */
int sysprobe_run(char *const argv[], int timeout_ms, struct run_result *r);
void run_result_free(struct run_result *r);

/* Is /proc/sys mounted read-only here (as a container's runtime leaves it)? */
bool sysprobe_proc_sys_readonly(void);

#endif
