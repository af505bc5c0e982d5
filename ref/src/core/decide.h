/*
 * What cordon does with an invocation: the pipeline, the seccomp mode
 * and the launch mode, and why each, decided from what the invocation
 * asks and what the machine was found to offer.  Pure: sandbox.c asks
 * the system first (its probe), decides here, then acts.
 */
#ifndef CORDON_DECIDE_H
#define CORDON_DECIDE_H

#include <stdbool.h>

#include "bwrap.h"
#include "plan.h"
#include "rules.h"

/* What the invocation asks for, as far as deciding goes. */
struct asked {
	bool proxy;		/* managed proxy mode */
	bool legacy_landlock;	/* the legacy Landlock pipeline */
	bool no_proc;		/* no fresh /proc */
	bool argv_line;		/* explain --argv-line: a line that needs no descriptor of cordon's */
	bool bwrap_found;	/* a bwrap was found here (not planned for a --bwrap-version) */
};

/* What the probe found on this machine. */
struct facts {
	int landlock_abi;	/* the kernel's Landlock ABI, 0: none */
	enum proc_outcome proc;	/* this bwrap's /proc here, from a careful launch (bwrap.h) */
	bool careful;		/* CORDON_CAREFUL=1: always the careful launch */
	bool command_runnable;	/* the command is an executable file here */
};

struct decision {
	enum pipeline pipeline;
	enum seccomp_mode seccomp;
	const char *reason;	/* why this pipeline (or why nothing runs) */
	bool refuse;		/* legacy Landlock asked for where there is none: run nothing */
	/* The bubblewrap pipeline's launch, before the plan is built: */
	bool mount_proc;	/* a fresh /proc */
	bool proc_fails;	/* known: bwrap cannot mount /proc here, so the plan has none */
	bool direct_ok;		/* cordon may leave confinement to bwrap (no inner stage) */
	const char *launch_why;	/* why (NULL: planned for a release, not a bwrap here) */
};

/*
 * The pipeline and filter for rules rs.  Proxy mode wins, here and only
 * here: it needs bwrap's network namespace whatever the disk needs.
 */
enum pipeline decide_pipeline_for(const struct rules *rs, bool proxy);
enum seccomp_mode decide_seccomp_for(const struct rules *rs, bool proxy);

/* The pipeline, its seccomp mode and why (d->refuse: run nothing, d->reason says why). */
void decide_pipeline(const struct asked *a, const struct rules *rs, int landlock_abi,
    struct decision *d);
/* The bubblewrap pipeline's launch: /proc, bwrap alone or the inner stage, and why. */
void decide_launch(const struct asked *a, const struct facts *f, struct decision *d);
/* Why the launch mode the plan ended with (p built from d). */
const char *decide_launch_why(const struct asked *a, const struct decision *d,
    const struct plan *p);

#endif
