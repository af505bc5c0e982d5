/*
 * Mount points that bwrap creates on the host (an empty .codex for a
 * mask, say) are removed after the run, unless another cordon run still
 * uses them.  Each target has a lock file in a private registry: every
 * run holds a shared lock while it runs; only a run that can then take
 * the exclusive lock removes the target, and only if cordon created it
 * (the lock file is then one byte long).
 */
#ifndef CORDON_TARGETS_H
#define CORDON_TARGETS_H

#include "plan.h"

struct held_targets {
	int *fds;
	bool *created;
	size_t n;
};

/* The registry directory for this user; created 0700 on first use. NULL if unusable. */
char *targets_registry(void);
void targets_acquire(const char *registry, const struct plan *p, struct held_targets *h);
void targets_release(const char *registry, const struct plan *p, struct held_targets *h);

#endif
