/* From an invocation to a running sandbox: shared by helper, run and explain. */
#ifndef CORDON_SANDBOX_H
#define CORDON_SANDBOX_H

#include "bwrap.h"
#include "cli.h"
#include "legacy_summary.h"
#include "legacy_view.h"
#include "plan.h"
#include "proxy.h"
#include "rules.h"

struct prepared {
	struct rules rules;
	struct plan plan;
	struct bwrap_info bwrap;
	bool have_bwrap;
	char *self;		/* cordon's own executable */
	char *registry;		/* mount-target registry, or NULL */
	const char *reason;	/* why this pipeline */
	char *warning;		/* the bundled bwrap is used, and why; or NULL */
	struct legacy_view lview;	/* legacy Landlock: its init's mounts (targets in plan) */
	bool have_proxy;	/* managed proxy mode */
	struct proxy_plan proxy;
	char *route_spec;	/* for the inner stage */
	const char *launch_why;	/* why the plan's launch mode (explain) */
	bool proc_fails;	/* known: bwrap cannot mount /proc here, so the plan has none */
	bool have_rules;	/* the policy resolved (a refused plan may stop before) */
	struct strv cautions;	/* explain: what cordon run would refuse before launching */
	int landlock_abi;	/* the kernel's, asked where the pipeline uses it (0: none or not asked) */
	struct legacy_env legacy_env;	/* explain, legacy pipeline: what it finds here */
};

/* Resolve, discover bwrap (or take a known feature set) and plan.  0, or an exit status. */
int sandbox_prepare(struct invocation *inv, struct prepared *pr, bool explain,
    char *err, size_t errlen);
/* Run a prepared plan; returns only on failure or after bwrap exits. */
int sandbox_execute(struct invocation *inv, struct prepared *pr);
void prepared_free(struct prepared *pr);
#endif
