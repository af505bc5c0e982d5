/*
 * What the legacy pipeline gives, and does not give, on a machine: for
 * explain and doctor, from what the kernel offers.  Pure.
 */
#ifndef CORDON_LEGACY_SUMMARY_H
#define CORDON_LEGACY_SUMMARY_H

#include <stdbool.h>

#include "util.h"

struct legacy_env {
	int abi;		/* the kernel's Landlock ABI, 0 without Landlock */
	bool userns;		/* the user and other namespaces can be made */
	bool proc;		/* a fresh /proc can be mounted in them */
	bool no_proc;		/* --no-proc: the enclosing /proc is kept on purpose */
	bool network;		/* the policy has the network on */
	bool any_policy;	/* no policy in view (doctor): say what each network setting gives */
};

/* One sentence per line into gives and lacks; nothing given when it would be refused. */
void legacy_summary(const struct legacy_env *e, struct strv *gives, struct strv *lacks);
/* One line: why cordon run refuses the legacy pipeline here, or NULL if it does not. */
const char *legacy_refusal(const struct legacy_env *e);

#endif
