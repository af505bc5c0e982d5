/*
 * Landlock, for both pipelines.  The legacy one (Codex's older in-process
 * confinement, kept for callers that ask for it): the whole tree stays
 * readable, only the writable roots, /dev/null and the legacy init's own
 * /dev and /proc may be written; its mounts (legacy_view.h) do the rest.
 * The bubblewrap one: a layer on top of bwrap's mounts (below).
 */
#ifndef CORDON_LANDLOCK_H
#define CORDON_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

enum landlock_fit {
	LANDLOCK_APPLY,		/* the policy is the legacy model: confine in-process */
	LANDLOCK_BWRAP,		/* Landlock cannot express it: stay on bubblewrap */
	LANDLOCK_REFUSE,	/* no Landlock on this kernel: run nothing */
};

/* The kernel's Landlock ABI version, or 0 when it has none. */
int landlock_abi(void);
/* Every filesystem access right the kernel knows at ABI abi (0 below 1). */
uint64_t landlock_fs_handled(int abi);
/* The scopes (abstract UNIX sockets, signals) known at ABI abi. */
uint64_t landlock_scoped(int abi);
/* Does the legacy pipeline fit rs on a kernel of ABI abi?  *why: a static sentence. */
enum landlock_fit landlock_decide(const struct rules *rs, int abi, const char **why);
/* What the legacy init mounted itself, so Landlock may grant more there. */
#define LANDLOCK_OWN_DEV	0x1	/* a private /dev: every right beneath it */
#define LANDLOCK_OWN_PROC	0x2	/* a fresh /proc: writing, as bwrap's stage grants */
/* Build the legacy ruleset for rs and restrict the calling thread.  NNP must be set already. */
int landlock_confine(const struct rules *rs, int abi, unsigned own, char *err, size_t errlen);

/*
 * Landlock over bubblewrap's mounts, from the stage inside the sandbox:
 * reading everywhere (the mounts decide what there is to read), every
 * right beneath the writable roots, bwrap's /dev and, when mounted,
 * /proc; signals scoped to the sandbox, abstract sockets too on request.
 */
struct landlock_stage {
	int abi;
	char *const *write;	/* writable roots, none beneath another */
	size_t nwrite;
	bool proc;
	bool scope_abstract;
};
int landlock_stage_confine(const struct landlock_stage *st, char *err, size_t errlen);
/* One sentence: what the Landlock layer of the bubblewrap pipeline gives at ABI abi. */
const char *landlock_layer_summary(int abi);

#endif
