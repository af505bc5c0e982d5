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

/*
 * Resolve, probe, decide (decide.h) and plan; explain: change nothing on
 * the host, note cordon run's refusals in pr->cautions.  0, or an exit
 * status and a one-line message in err.  Either way *pr is the caller's
 * to prepared_free: after a failure it holds what was made up to it,
 * which explain prints.
 */
int sandbox_prepare(struct invocation *inv, struct prepared *pr, bool explain,
    char *err, size_t errlen);
/*
 * Run a prepared plan: the helper may become the command or bwrap and
 * not return; otherwise the command's status, or one of cordon's.
 * *pr is still the caller's to free.
 */
int sandbox_execute(struct invocation *inv, struct prepared *pr);
/* Free what *pr holds and zero it. */
void prepared_free(struct prepared *pr);
#endif
