/*
 * The bwrap argv for a set of rules: a pure function of the rules, an
 * fsview and the bwrap feature set, so it is tested with golden files.
 */
#ifndef CORDON_PLAN_H
#define CORDON_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "bwrap.h"
#include "fsview.h"
#include "rules.h"
#include "util.h"

enum seccomp_mode {
	SECCOMP_NONE,		/* no filter at all */
	SECCOMP_RESTRICTED,	/* network off: only AF_UNIX sockets, no socket calls */
	SECCOMP_DENY_VSOCK,	/* network on: only AF_VSOCK and io_uring denied ("vsock") */
	SECCOMP_PROXY,		/* managed proxy: AF_INET/AF_INET6 only, no socketpair */
};

enum pipeline {
	PIPELINE_UNCONFINED,	/* full-disk write, network on: no sandbox at all ("direct") */
	PIPELINE_SECCOMP,	/* full-disk write, network off: filter in-process, exec */
	PIPELINE_BWRAP,		/* everything else */
	PIPELINE_LANDLOCK,	/* asked for legacy Landlock: seccomp + Landlock in-process, exec */
};

struct plan_opts {
	const struct bwrap_features *feat;
	const char *cwd;		/* command cwd inside the sandbox */
	bool mount_proc;
	const char *self_exe;		/* cordon's own image: the inner stage */
	const char *registry;		/* mount-target registry dir to keep read-only, or NULL */
	int first_fd;			/* first descriptor number the plan may use */
	char *const *command;
	/* Last, so positional initialisers of the fields above keep working. */
	const char *proxy_dir;		/* managed proxy: socket directory to bind, or NULL */
	const char *route_spec;		/* managed proxy: route spec JSON for the inner stage */
	bool keep_oversize;		/* explain: keep a plan bwrap would refuse, marked */
	/*
	 * cordon may leave confinement to bwrap (no inner stage; bwrap loads
	 * the filter): a careful launch here already showed this bwrap's /proc
	 * outcome.  Not with proxy routes, which the inner stage starts.
	 */
	bool direct_ok;
	/*
	 * The kernel's Landlock ABI (0: none): above 0 the command is also
	 * confined by Landlock, from a stage inside the sandbox.
	 */
	int landlock_abi;
	/*
	 * cordon stays while the sandbox runs, even where it could become
	 * bwrap: to pass signals on, which bwrap's launcher does not.
	 */
	bool stay;
	/* managed proxy: the inner stage sends plain TCP clients through the SOCKS5 route */
	bool transparent_tcp;
	/* managed proxy mode (decide.h): the network namespace and the inner stage's routes */
	bool proxy;
};

struct mount_target {
	char *path;		/* a mount point bwrap may create on the host */
	bool dir;
};

enum launch_mode {
	LAUNCH_CAREFUL,	/* cordon supervises bwrap and watches the inner stage start */
	LAUNCH_EXEC,	/* cordon becomes bwrap */
	LAUNCH_SPAWN,	/* cordon starts bwrap and stays, to remove the mount targets */
};

struct plan {
	enum pipeline pipeline;
	enum seccomp_mode seccomp;
	struct strv argv;	/* argv[0] is "bwrap" */
	/*
	 * Direct (exec or spawn): bwrap loads the seccomp program from
	 * seccomp_fd (-1: no filter) and runs the command as PID 2 under its
	 * own init.  Careful: an inner stage, PID 1, confines the command.
	 */
	enum launch_mode launch;
	int seccomp_fd;
	int stderr_fd;		/* the caller's stderr, for the inner stage; -1 if direct */
	int ready_fd;		/* the inner stage writes one byte here once confined; -1 if direct */
	int data_fd0;		/* /dev/null descriptors for --ro-bind-data ... */
	int ndata;		/* ... this many, numbered from data_fd0 */
	/*
	 * Where cordon stays (careful, spawn): bwrap writes the sandbox's pid
	 * here (--info-fd), numbered after the data descriptors; -1 if not.
	 */
	int info_fd;
	struct mount_target *targets;
	size_t ntargets;
	bool oversize;		/* more arguments than bubblewrap accepts: never run */
	size_t command_args;	/* how many of argv are the command's own words */
	int landlock_abi;	/* the stage adds Landlock at this ABI (0: no Landlock layer) */
};

enum pipeline plan_pipeline(const struct rules *rs);
enum seccomp_mode plan_seccomp_mode(const struct rules *rs);
/* The most arguments bubblewrap accepts (its own limit, 9000). */
#define BWRAP_MAX_ARGS 9000

/* Why an oversize plan is refused, blaming the command or the policy: one line. */
void plan_oversize_why(const struct plan *p, char *buf, size_t len);

/* 0: *out is the caller's to plan_free; -1: a message in err, nothing to free. */
int plan_build(const struct rules *rs, const struct fsview *fs, const struct plan_opts *o,
    struct plan *out, char *err, size_t errlen);
void plan_free(struct plan *p);
/* Does the plan mount a fresh /proc (bwrap's "--proc DIR")? */
bool plan_has_proc(const struct plan *p);
/* Remove "--proc /proc" from a plan's argv (bwrap could not mount it); false if it had none. */
bool plan_drop_proc(struct plan *p);
const char *pipeline_name(enum pipeline p);
const char *seccomp_mode_name(enum seccomp_mode m);
const char *launch_mode_name(enum launch_mode l);

#endif
