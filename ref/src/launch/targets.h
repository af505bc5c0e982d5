/*
 * Mount points that a run needs on the host (an empty .codex to mask, an
 * empty file over a missing denied path) and their removal afterwards.
 *
 * The command owns the writable tree around them, so nothing here goes
 * by path once the run has started: cordon makes each mount point itself
 * before bwrap starts, relative to a descriptor of its directory opened
 * without following any symlink, and remembers both identities (device,
 * inode).  Afterwards it removes, relative to that same descriptor and
 * never through a symlink, only an empty entry with the identity it made.
 *
 * Each target has a record in cordon's private registry: every run that
 * relies on the target holds a shared lock on it; only the run that can
 * then take the exclusive lock removes the target (and the record).  A
 * record nobody holds is a killed run's leftover: the next run of any
 * mode (targets_sweep) removes what it names, with the same checks.
 */
#ifndef CORDON_TARGETS_H
#define CORDON_TARGETS_H

#include <stddef.h>

#include "plan.h"

struct held_target {
	int record;		/* the record, locked shared; -1 if none */
	int dir;		/* the target's directory, opened before the run */
	char *name;		/* the target's name in it */
	char *rname;		/* the record's name in the registry */
};

struct held_targets {
	struct held_target *t;
	size_t n;
};

/* The registry directory for this user; created 0700 on first use. NULL if unusable. */
char *targets_registry(void);
/*
 * Make the plan's mount points that do not exist yet and lock their
 * records.  -1, with one line in err, when a mount point or its directory
 * is (or has become) a symlink or cannot be made: nothing may run then.
 */
int targets_acquire(const char *registry, const struct plan *p, struct held_targets *h,
    char *err, size_t errlen);
/* After the run: remove what this run is the last to hold, if cordon made it. */
void targets_release(const char *registry, struct held_targets *h);
/* Remove the leftovers of runs that were killed before they could. */
void targets_sweep(const char *registry);

#endif
