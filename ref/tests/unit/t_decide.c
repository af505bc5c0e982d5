/* The one decision (decide.h): pipeline, seccomp mode, launch mode and why, with no system. */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "fsview.h"
#include "policy.h"
#include "rules.h"

static const char tree[] = "d /usr\nd /etc\nd /tmp\nd /dev\nd /proc\nd /home/dev/proj\n";

#define RO "{\"type\":\"read-only\"}"
#define RO_NET "{\"type\":\"read-only\",\"network_access\":true}"
#define WW "{\"type\":\"workspace-write\"}"
#define FULL "{\"type\":\"danger-full-access\"}"
#define FULL_NO_NET "{\"type\":\"external-sandbox\",\"network_access\":\"restricted\"}"

/* Rules for a SandboxPolicy with /home/dev/proj as the policy cwd. */
static void
rules_for(const char *json, struct rules *rs)
{
	struct fsview *fs = fsview_mem_new(tree, NULL);
	struct resolve_ctx rc = { "/home/dev/proj", NULL, fs, NULL };
	struct policy pol;
	char err[256];

	ATF_REQUIRE(fs != NULL);
	ATF_REQUIRE_MSG(policy_parse_sandbox_policy(json, &pol, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(rules_resolve(&pol, &rc, rs, err, sizeof(err)) == 0, "%s", err);
	policy_free(&pol);
	fsview_mem_free(fs);
}

/* The pipeline decision for a policy, checked against what it should be. */
static void
expect_pipeline(const char *json, const struct asked *a, int abi, enum pipeline want,
    enum seccomp_mode want_seccomp, const char *reason_part)
{
	struct decision d;
	struct rules rs;

	rules_for(json, &rs);
	decide_pipeline(a, &rs, abi, &d);
	rules_free(&rs);
	ATF_CHECK_EQ_MSG(want, d.pipeline, "%s: pipeline %s", json, pipeline_name(d.pipeline));
	ATF_CHECK_EQ_MSG(want_seccomp, d.seccomp, "%s: seccomp %s", json,
	    seccomp_mode_name(d.seccomp));
	ATF_CHECK_MSG(!d.refuse, "%s: refused: %s", json, d.reason);
	ATF_CHECK_MSG(strstr(d.reason, reason_part) != NULL, "%s: reason %s", json, d.reason);
}

ATF_TC_WITHOUT_HEAD(full_access_with_network_runs_unconfined);
ATF_TC_BODY(full_access_with_network_runs_unconfined, tc)
{
	struct asked a = { 0 };

	expect_pipeline(FULL, &a, 0, PIPELINE_UNCONFINED, SECCOMP_NONE, "nothing to confine");
}

ATF_TC_WITHOUT_HEAD(full_access_without_network_filters_in_process);
ATF_TC_BODY(full_access_without_network_filters_in_process, tc)
{
	struct asked a = { 0 };

	expect_pipeline(FULL_NO_NET, &a, 0, PIPELINE_SECCOMP, SECCOMP_RESTRICTED,
	    "only the network is confined");
}

ATF_TC_WITHOUT_HEAD(restricted_disk_takes_bubblewrap);
ATF_TC_BODY(restricted_disk_takes_bubblewrap, tc)
{
	struct asked a = { 0 };

	expect_pipeline(RO_NET, &a, 0, PIPELINE_BWRAP, SECCOMP_DENY_VSOCK,
	    "bubblewrap builds the view");
}

ATF_TC_WITHOUT_HEAD(proxy_mode_wins_over_a_writable_disk_and_legacy);
ATF_TC_BODY(proxy_mode_wins_over_a_writable_disk_and_legacy, tc)
{
	struct asked a = { .proxy = true, .legacy_landlock = true };

	expect_pipeline(FULL, &a, 3, PIPELINE_BWRAP, SECCOMP_PROXY, "managed proxy mode");
	expect_pipeline(WW, &a, 3, PIPELINE_BWRAP, SECCOMP_PROXY, "managed proxy mode");
}

ATF_TC_WITHOUT_HEAD(legacy_landlock_applies_to_the_legacy_model);
ATF_TC_BODY(legacy_landlock_applies_to_the_legacy_model, tc)
{
	struct asked a = { .legacy_landlock = true };

	expect_pipeline(WW, &a, 3, PIPELINE_LANDLOCK, SECCOMP_RESTRICTED,
	    "the policy is the legacy model");
}

ATF_TC_WITHOUT_HEAD(legacy_landlock_without_landlock_refuses);
ATF_TC_BODY(legacy_landlock_without_landlock_refuses, tc)
{
	struct asked a = { .legacy_landlock = true };
	struct decision d;
	struct rules rs;

	rules_for(WW, &rs);
	decide_pipeline(&a, &rs, 0, &d);
	rules_free(&rs);
	ATF_CHECK(d.refuse);
	ATF_CHECK(strstr(d.reason, "this kernel has no Landlock") != NULL);
}

ATF_TC_WITHOUT_HEAD(legacy_landlock_on_a_writable_disk_stays_in_process);
ATF_TC_BODY(legacy_landlock_on_a_writable_disk_stays_in_process, tc)
{
	struct asked a = { .legacy_landlock = true };

	expect_pipeline(FULL_NO_NET, &a, 0, PIPELINE_SECCOMP, SECCOMP_RESTRICTED,
	    "only the network is confined");
}

static struct decision
launch_of(const struct asked *a, const struct facts *f)
{
	struct decision d = { .pipeline = PIPELINE_BWRAP };

	decide_launch(a, f, &d);
	return d;
}

ATF_TC_WITHOUT_HEAD(first_launch_with_a_bwrap_is_careful);
ATF_TC_BODY(first_launch_with_a_bwrap_is_careful, tc)
{
	struct asked a = { .bwrap_found = true };
	struct facts f = { .proc = PROC_UNKNOWN, .command_runnable = true };
	struct decision d = launch_of(&a, &f);

	ATF_CHECK(!d.direct_ok);
	ATF_CHECK(d.mount_proc);
	ATF_CHECK(strstr(d.launch_why, "the first launch with this bwrap") != NULL);
}

ATF_TC_WITHOUT_HEAD(known_bwrap_is_left_to_confine_alone);
ATF_TC_BODY(known_bwrap_is_left_to_confine_alone, tc)
{
	struct asked a = { .bwrap_found = true };
	struct facts f = { .landlock_abi = 4, .proc = PROC_MOUNTS, .command_runnable = true };
	struct decision d = launch_of(&a, &f);

	ATF_CHECK(d.direct_ok);
	ATF_CHECK(d.mount_proc);
	ATF_CHECK(!d.proc_fails);
}

ATF_TC_WITHOUT_HEAD(known_proc_failure_plans_without_proc);
ATF_TC_BODY(known_proc_failure_plans_without_proc, tc)
{
	struct asked a = { .bwrap_found = true };
	struct facts f = { .landlock_abi = 4, .proc = PROC_FAILS, .command_runnable = true };
	struct decision d = launch_of(&a, &f);

	ATF_CHECK(d.direct_ok);
	ATF_CHECK(!d.mount_proc);
	ATF_CHECK(d.proc_fails);
	a.no_proc = true;
	d = launch_of(&a, &f);
	ATF_CHECK(!d.proc_fails);
}

ATF_TC_WITHOUT_HEAD(proc_untried_counts_only_without_proc);
ATF_TC_BODY(proc_untried_counts_only_without_proc, tc)
{
	struct asked a = { .bwrap_found = true };
	struct facts f = { .landlock_abi = 4, .proc = PROC_NOT_TRIED, .command_runnable = true };

	ATF_CHECK(!launch_of(&a, &f).direct_ok);
	a.no_proc = true;
	ATF_CHECK(launch_of(&a, &f).direct_ok);
}

ATF_TC_WITHOUT_HEAD(careful_setting_and_argv_line_keep_the_inner_stage);
ATF_TC_BODY(careful_setting_and_argv_line_keep_the_inner_stage, tc)
{
	struct asked a = { .bwrap_found = true };
	struct facts f = { .proc = PROC_MOUNTS, .careful = true, .command_runnable = true };
	struct decision d = launch_of(&a, &f);

	ATF_CHECK(!d.direct_ok);
	ATF_CHECK_STREQ("CORDON_CAREFUL=1 asks for it", d.launch_why);
	f.careful = false;
	a.argv_line = true;
	d = launch_of(&a, &f);
	ATF_CHECK(!d.direct_ok);
	ATF_CHECK(strstr(d.launch_why, "--argv-line") != NULL);
}

ATF_TC_WITHOUT_HEAD(without_landlock_every_launch_is_careful);
ATF_TC_BODY(without_landlock_every_launch_is_careful, tc)
{
	struct asked a = { .bwrap_found = true };
	struct facts f = { .proc = PROC_MOUNTS, .command_runnable = true };
	struct decision d = launch_of(&a, &f);

	/* bwrap's init would load the filter after it forks the command (E72). */
	ATF_CHECK(!d.direct_ok);
	ATF_CHECK(strstr(d.launch_why, "no Landlock here") != NULL);
	f.landlock_abi = 4;
	ATF_CHECK(launch_of(&a, &f).direct_ok);
}

ATF_TC_WITHOUT_HEAD(with_landlock_a_missing_command_still_goes_direct);
ATF_TC_BODY(with_landlock_a_missing_command_still_goes_direct, tc)
{
	/* The Landlock stage says "cannot execute" and exits 127 itself. */
	struct asked a = { .bwrap_found = true };
	struct facts f = { .landlock_abi = 4, .proc = PROC_MOUNTS, .command_runnable = false };

	ATF_CHECK(launch_of(&a, &f).direct_ok);
}

ATF_TC_WITHOUT_HEAD(planned_release_has_no_launch_reason_until_built);
ATF_TC_BODY(planned_release_has_no_launch_reason_until_built, tc)
{
	struct asked a = { 0 };
	struct facts f = { .proc = PROC_MOUNTS, .command_runnable = true };
	struct decision d = launch_of(&a, &f);
	struct plan p = { .launch = LAUNCH_CAREFUL };

	ATF_CHECK(!d.direct_ok);
	ATF_CHECK(d.launch_why == NULL);
	ATF_CHECK_STREQ("planned for a bwrap release, not one found here",
	    decide_launch_why(&a, &d, &p));
}

ATF_TC_WITHOUT_HEAD(launch_reason_follows_the_built_plan);
ATF_TC_BODY(launch_reason_follows_the_built_plan, tc)
{
	struct asked a = { .bwrap_found = true };
	struct decision d = { .launch_why = "before" };
	struct plan p = { .launch = LAUNCH_EXEC };

	ATF_CHECK(strstr(decide_launch_why(&a, &d, &p), "cordon becomes bwrap") != NULL);
	p.launch = LAUNCH_SPAWN;
	ATF_CHECK(strstr(decide_launch_why(&a, &d, &p), "(bwrap's launcher passes none)") != NULL);
	p.ntargets = 1;
	ATF_CHECK(strstr(decide_launch_why(&a, &d, &p), "remove the mount targets") != NULL);
	p.launch = LAUNCH_CAREFUL;
	ATF_CHECK_STREQ("before", decide_launch_why(&a, &d, &p));
	a.proxy = true;
	ATF_CHECK_STREQ("managed proxy mode: the inner stage starts the routes",
	    decide_launch_why(&a, &d, &p));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, full_access_with_network_runs_unconfined);
	ATF_TP_ADD_TC(tp, full_access_without_network_filters_in_process);
	ATF_TP_ADD_TC(tp, restricted_disk_takes_bubblewrap);
	ATF_TP_ADD_TC(tp, proxy_mode_wins_over_a_writable_disk_and_legacy);
	ATF_TP_ADD_TC(tp, legacy_landlock_applies_to_the_legacy_model);
	ATF_TP_ADD_TC(tp, legacy_landlock_without_landlock_refuses);
	ATF_TP_ADD_TC(tp, legacy_landlock_on_a_writable_disk_stays_in_process);
	ATF_TP_ADD_TC(tp, first_launch_with_a_bwrap_is_careful);
	ATF_TP_ADD_TC(tp, known_bwrap_is_left_to_confine_alone);
	ATF_TP_ADD_TC(tp, known_proc_failure_plans_without_proc);
	ATF_TP_ADD_TC(tp, proc_untried_counts_only_without_proc);
	ATF_TP_ADD_TC(tp, careful_setting_and_argv_line_keep_the_inner_stage);
	ATF_TP_ADD_TC(tp, without_landlock_every_launch_is_careful);
	ATF_TP_ADD_TC(tp, with_landlock_a_missing_command_still_goes_direct);
	ATF_TP_ADD_TC(tp, planned_release_has_no_launch_reason_until_built);
	ATF_TP_ADD_TC(tp, launch_reason_follows_the_built_plan);
	return atf_no_error();
}
