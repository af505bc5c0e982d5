/*
 * Golden argv tests for the planner: one policy shape per test case, each
 * checked against the feature sets of bubblewrap 0.4.1, 0.8.0 and 0.12.0.
 * The filesystem is an in-memory description, so the argv is a pure
 * function of the inputs.  Set CORDON_UPDATE_GOLDEN=1 to rewrite the
 * golden files after a deliberate change, then review the diff.
 */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "testutil.h"

#define EXE "/opt/cordon/bin/cordon"

static const struct {
	const char *name;
	const struct bwrap_features *feat;
} versions[] = {
	{ "0.4.1", &bwrap_features_0_4_1 },
	{ "0.8.0", &bwrap_features_0_8_0 },
	{ "0.12.0", &bwrap_features_0_12_0 },
};

static const char base_fs[] =
	"d /usr/bin\nd /etc\nd /bin\nd /lib\nd /tmp\nd /dev\nd /proc\nd /home/dev\n"
	"f " EXE " \n";

struct shape {
	const char *fs;		/* added to base_fs */
	const char *profile;	/* permission-profile JSON */
	const char *cwd;
	const char *tmpdir;
	bool no_proc;
	bool proxy;		/* managed proxy mode, with a fixed socket directory */
	bool direct;		/* a careful launch already checked bwrap here (direct_ok) */
	int landlock;		/* the kernel's Landlock ABI (0: none) */
};

/* cordon run's plans: cordon stays to pass signals on (plan_opts.stay). */
static bool stay;

#define PROXY_DIR "/tmp/cordon-proxy-4242-1000"
#define PROXY_SPEC "{\"routes\":[{\"env_key\":\"HTTP_PROXY\",\"uds_path\":\"" \
	PROXY_DIR "/route-0.sock\",\"port\":3128}]}"

/* The paths cordon hides whatever the policy, as sandbox.c passes them (NULL: none). */
static const char *const *hidden;

static char *
render_launch(const struct shape *s, const struct bwrap_features *feat, enum launch_mode *launch,
    char *err, size_t errlen)
{
	char *desc = NULL, *out = NULL, *cmd[] = { "sh", "-c", "true", NULL };
	struct policy pol;
	struct rules rs;
	struct plan p;
	struct fsview *fs;
	struct resolve_ctx rc;
	struct plan_opts po = { 0 };
	size_t len = 0;
	FILE *mf;

	if (asprintf(&desc, "%s%s", base_fs, s->fs) < 0)
		atf_tc_fail("out of memory");
	fs = fsview_mem_new(desc, NULL);
	free(desc);
	ATF_REQUIRE_MSG(fs != NULL, "bad fs description");
	ATF_REQUIRE_MSG(policy_parse_profile(s->profile, &pol, err, errlen) == 0, "%s", err);
	rc = (struct resolve_ctx){ s->cwd, s->tmpdir, fs, hidden };
	if (rules_resolve(&pol, &rc, &rs, err, errlen) < 0)
		goto done;
	po.feat = feat;
	po.cwd = s->cwd;
	po.mount_proc = !s->no_proc;
	po.self_exe = EXE;
	po.registry = "/tmp/cordon-targets-1000";
	po.first_fd = 3;
	po.command = cmd;
	po.direct_ok = s->direct;
	po.landlock_abi = s->landlock;
	po.stay = stay;
	if (s->proxy) {
		po.proxy_dir = PROXY_DIR;
		po.route_spec = PROXY_SPEC;
	}
	if (plan_build(&rs, fs, &po, &p, err, errlen) == 0) {
		mf = open_memstream(&out, &len);
		for (size_t i = 0; i < p.argv.n; i++)
			fprintf(mf, "%s\n", p.argv.v[i]);
		fclose(mf);
		if (launch != NULL)
			*launch = p.launch;
		plan_free(&p);
	}
	rules_free(&rs);
done:
	policy_free(&pol);
	fsview_mem_free(fs);
	return out;
}

static char *
render(const struct shape *s, const struct bwrap_features *feat, char *err, size_t errlen)
{
	return render_launch(s, feat, NULL, err, errlen);
}

static void
check_golden(const char *shape_name, const struct shape *s)
{
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		char err[512] = "", path[512], *got, *want;

		snprintf(path, sizeof(path), "%s/%s-%s.argv", GOLDEN_DIR, shape_name, versions[i].name);
		got = render(s, versions[i].feat, err, sizeof(err));
		ATF_REQUIRE_MSG(got != NULL, "%s with bwrap %s: %s", shape_name, versions[i].name, err);
		if (getenv("CORDON_UPDATE_GOLDEN") != NULL) {
			FILE *f = fopen(path, "w");

			ATF_REQUIRE(f != NULL);
			fputs(got, f);
			fclose(f);
		}
		want = tu_slurp(path);
		ATF_REQUIRE_MSG(want != NULL, "missing golden file %s", path);
		ATF_CHECK_MSG(strcmp(got, want) == 0, "argv for %s with bwrap %s differs from %s:\n%s",
		    shape_name, versions[i].name, path, got);
		free(got);
		free(want);
	}
}

#define ROOT_READ "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"}"
#define PATH_ENTRY(p, a) "{\"path\":{\"type\":\"path\",\"path\":\"" p "\"},\"access\":\"" a "\"}"
#define PROFILE(entries, net) "{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\"," \
	"\"entries\":[" entries "]},\"network\":\"" net "\"}"

/*
 * GOLDEN_TC(test, golden, shape...): a test that plans one shape (the
 * fields of struct shape, in order) and compares the argv with golden's
 * files: kselftest's FIXTURE_VARIANT_ADD, by hand.
 */
#define GOLDEN_TC(tcname, golden, ...)                                         \
	ATF_TC_WITHOUT_HEAD(tcname);                                           \
	ATF_TC_BODY(tcname, tc)                                                \
	{                                                                      \
		const struct shape s = { __VA_ARGS__ };                        \
									       \
		check_golden((golden), &s);                                    \
	}

GOLDEN_TC(read_only_binds_root_read_only, "read-only",
	    "d /home/dev/ws\n", PROFILE(ROOT_READ, "restricted"), "/home/dev/ws", NULL, false, false, false, 0)

GOLDEN_TC(workspace_write_protects_git_and_masks_missing_metadata, "workspace-write",
	    "d /home/dev/ws/.git/hooks\nf /home/dev/ws/main.c int main;\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"slash_tmp\"}},\"access\":\"write\"}",
	    "restricted"), "/home/dev/ws", NULL, false, false, false, 0)

GOLDEN_TC(specificity_worked_example_repo_a_b, "repo-a-b",
	    "d /repo/a/b\nf /repo/a/s.txt secret\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/repo", "write") "," PATH_ENTRY("/repo/a", "none") ","
	    PATH_ENTRY("/repo/a/b", "write"), "restricted"), "/repo", NULL, false, false, false, 0)

GOLDEN_TC(restricted_read_starts_from_tmpfs_and_binds_inner_stage, "minimal",
	    "d /home/dev/ws\n",
	    PROFILE("{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"minimal\"}},\"access\":\"read\"},"
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"project_roots\"}},\"access\":\"write\"}",
	    "restricted"), "/home/dev/ws", NULL, false, false, false, 0)

GOLDEN_TC(deny_hides_directory_and_file, "deny",
	    "d /home/dev/ws/secrets\nf /home/dev/ws/.env KEY=1\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    PATH_ENTRY("/home/dev/ws/secrets", "deny") "," PATH_ENTRY("/home/dev/ws/.env", "deny") ","
	    PATH_ENTRY("/home/dev/.ssh", "deny"), "restricted"), "/home/dev/ws", NULL, false, false, false, 0)

GOLDEN_TC(gitdir_pointer_target_is_protected, "gitdir",
	    "f /home/dev/wt/.git gitdir: realgit\nd /home/dev/wt/realgit/hooks\n"
	    "f /home/dev/wt2/.git gitdir: /home/dev/main/.git/worktrees/wt2\n"
	    "d /home/dev/main/.git/worktrees/wt2\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/wt", "write") "," PATH_ENTRY("/home/dev/wt2", "write"),
	    "restricted"), "/home/dev/wt", NULL, false, false, false, 0)

GOLDEN_TC(network_on_keeps_network_namespace, "network-on",
	    "d /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "enabled"),
	    "/home/dev/ws", NULL, false, false, false, 0)

/* Proxy mode unshares the network even for a policy that allows it, and binds the sockets. */
GOLDEN_TC(managed_proxy_unshares_network_and_binds_socket_dir, "managed-proxy",
	    "d /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "enabled"),
	    "/home/dev/ws", NULL, false, true, false, 0)

/* A writable disk takes no shortcut in proxy mode: the whole root bound writable, net unshared. */
GOLDEN_TC(managed_proxy_with_full_write_still_uses_bwrap, "managed-proxy-full-write",
	    "d /home/dev/ws\n", "{\"type\":\"disabled\"}", "/home/dev/ws", NULL,
	    false, true, false, 0)

GOLDEN_TC(no_proc_omits_proc_mount, "no-proc",
	    "d /home/dev/ws\n", PROFILE(ROOT_READ, "restricted"), "/home/dev/ws", NULL, true, false, false, 0)

GOLDEN_TC(symlinked_writable_root_binds_its_target, "symlinked-root",
	    "d /data/ws/.git\nl /home/dev/ws /data/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "restricted"),
	    "/home/dev/ws", NULL, false, false, false, 0)

GOLDEN_TC(empty_metadata_dir_is_masked_like_a_missing_one, "empty-metadata",
	    "d /home/dev/ws/.codex\nd /home/dev/ws/.agents/skills\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "restricted"),
	    "/home/dev/ws", NULL, false, false, false, 0)

GOLDEN_TC(missing_read_path_in_writable_root_cannot_be_created, "missing-read",
	    "d /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    PATH_ENTRY("/home/dev/ws/build/out", "read") "," PATH_ENTRY("/home/dev/missing-root", "write"),
	    "restricted"), "/home/dev/ws", NULL, false, false, false, 0)

GOLDEN_TC(tmp_writable_root_keeps_registry_read_only, "tmp-registry",
	    "d /tmp/cordon-targets-1000\nd /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"tmpdir\"}},\"access\":\"write\"}",
	    "restricted"), "/home/dev/ws", "/tmp", false, false, false, 0)

ATF_TC_WITHOUT_HEAD(writable_root_the_user_cannot_write_gets_no_masks);
ATF_TC_BODY(writable_root_the_user_cannot_write_gets_no_masks, tc)
{
	/* Nothing can be created there, so there is nothing to mask (and bwrap could not). */
	struct shape s = { "r /srv/shared\nd /srv/shared/.codex\n",
		PROFILE(ROOT_READ "," PATH_ENTRY("/srv/shared", "write"), "restricted"),
		"/srv/shared", NULL, false, false, false, 0 };

	check_golden("unwritable-root", &s);
}

/*
 * Once a careful launch has checked bwrap here, bwrap loads the filter
 * itself: no inner stage, no --as-pid-1 (bwrap's init reaps, the command
 * is PID 2), the program on descriptor 3.
 */
static void
check_launch(const struct shape *s, enum launch_mode want)
{
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		enum launch_mode got = LAUNCH_CAREFUL;
		char err[512] = "", *argv;

		argv = render_launch(s, versions[i].feat, &got, err, sizeof(err));
		ATF_REQUIRE_MSG(argv != NULL, "%s", err);
		ATF_CHECK_MSG(got == want, "bwrap %s: launch %s, want %s", versions[i].name,
		    launch_mode_name(got), launch_mode_name(want));
		ATF_CHECK_MSG((strstr(argv, "--cordon-inner") != NULL) == (want == LAUNCH_CAREFUL),
		    "bwrap %s: inner stage %s:\n%s", versions[i].name,
		    want == LAUNCH_CAREFUL ? "missing" : "present", argv);
		ATF_CHECK_MSG((strstr(argv, "--as-pid-1") != NULL) ==
		    (want == LAUNCH_CAREFUL && versions[i].feat->as_pid_1),
		    "bwrap %s: --as-pid-1 wrong for %s:\n%s", versions[i].name,
		    launch_mode_name(want), argv);
		free(argv);
	}
}

GOLDEN_TC(direct_read_only_execs_bwrap_with_the_filter_on_fd_3, "landlock-direct",
	    "d /home/dev/ws\n", PROFILE(ROOT_READ, "restricted"), "/home/dev/ws",
	    NULL, false, false, true, 0 };

	check_golden("read-only-direct", &s);
	check_launch(&s, LAUNCH_EXEC);
}

/* cordon run stays to pass signals on: bwrap says the sandbox's pid on the next descriptor. */
ATF_TC_WITHOUT_HEAD(direct_read_only_spawns_with_info_fd_when_cordon_stays);
ATF_TC_BODY(direct_read_only_spawns_with_info_fd_when_cordon_stays, tc)
{
	struct shape s = { "d /home/dev/ws\n", PROFILE(ROOT_READ, "restricted"), "/home/dev/ws",
	    NULL, false, false, true, 0 };
	char err[512] = "", *got;

	stay = true;
	got = render(&s, &bwrap_features_0_12_0, err, sizeof(err));
	ATF_REQUIRE_MSG(got != NULL, "%s", err);
	ATF_CHECK_MSG(strstr(got, "\n--info-fd\n5\n--seccomp\n3\n--\n") != NULL, "%s", got);
	free(got);
	check_launch(&s, LAUNCH_SPAWN);
	/* Becoming bwrap leaves nothing to tell. */
	stay = false;
	got = render(&s, &bwrap_features_0_12_0, err, sizeof(err));
	ATF_REQUIRE_MSG(got != NULL, "%s", err);
	ATF_CHECK_MSG(strstr(got, "--info-fd") == NULL, "%s", got);
	free(got);
}

ATF_TC_WITHOUT_HEAD(direct_workspace_write_spawns_to_remove_mount_targets);
ATF_TC_BODY(direct_workspace_write_spawns_to_remove_mount_targets, tc)
{
	struct shape s = { "d /home/dev/ws/.git\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "restricted"),
	    "/home/dev/ws", NULL, false, false, true, 0 };

	check_golden("workspace-write-direct", &s);
	check_launch(&s, LAUNCH_SPAWN);
}

ATF_TC_WITHOUT_HEAD(landlock_stage_follows_bwrap_on_a_direct_launch);
ATF_TC_BODY(landlock_stage_follows_bwrap_on_a_direct_launch, tc)
{
	/* Only the outermost writable roots are granted: /home/dev/ws covers ws/sub. */
	struct shape s = { "d /home/dev/ws/.git\nd /home/dev/ws/sub\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    PATH_ENTRY("/home/dev/ws/sub", "write") ","
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"slash_tmp\"}},\"access\":\"write\"}",
	    "restricted"), "/home/dev/ws", NULL, false, false, true, 6)

GOLDEN_TC(landlock_joins_the_careful_inner_stage, "landlock-careful",
	    "d /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "enabled"),
	    "/home/dev/ws", NULL, true, false, false, 2)

GOLDEN_TC(direct_workspace_write_with_all_metadata_execs, "network-on-direct",
	    "f /home/dev/ws/.git/HEAD x\nf /home/dev/ws/.codex/c x\n"
	    "f /home/dev/ws/.agents/a x\nf /home/dev/ws/.aws/config x\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "restricted"),
	    "/home/dev/ws", NULL, false, false, true, 0 };

	check_launch(&s, LAUNCH_EXEC);
}

ATF_TC_WITHOUT_HEAD(direct_network_on_loads_the_vsock_filter);
ATF_TC_BODY(direct_network_on_loads_the_vsock_filter, tc)
{
	struct shape s = { "d /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "enabled"),
	    "/home/dev/ws", NULL, false, false, true, 0)

GOLDEN_TC(direct_no_proc_keeps_the_pid_namespace, "no-proc-direct",
	    "d /home/dev/ws\n", PROFILE(ROOT_READ, "restricted"), "/home/dev/ws",
	    NULL, true, false, true, 0)

/* The proxy routes are started by the inner stage: proxy mode never goes direct. */
GOLDEN_TC(direct_managed_proxy_stays_careful, "dotdot-after-link",
	    "d /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "enabled"),
	    "/home/dev/ws", NULL, false, true, true, 0 };

	check_golden("managed-proxy", &s);
	check_launch(&s, LAUNCH_CAREFUL);
}

/* Errors: a path the sandbox could re-point must fail the whole plan. */
static void
check_plan_fails(const char *fs_desc, const char *profile, const char *cwd, const char *want)
{
	struct shape s = { fs_desc, profile, cwd, NULL, false, false, false, 0 };
	char err[512] = "", *got;

	got = render(&s, &bwrap_features_0_8_0, err, sizeof(err));
	ATF_CHECK_MSG(got == NULL, "plan should have failed, got:\n%s", got ? got : "");
	ATF_CHECK_MSG(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"", err, want);
	free(got);
}

ATF_TC_WITHOUT_HEAD(symlinked_codex_in_workspace_is_refused);
ATF_TC_BODY(symlinked_codex_in_workspace_is_refused, tc)
{
	check_plan_fails("d /home/dev/ws/decoy\nl /home/dev/ws/.codex decoy\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "restricted"), "/home/dev/ws",
	    "symlink /home/dev/ws/.codex");
}

ATF_TC_WITHOUT_HEAD(dangling_symlinked_git_in_workspace_is_refused);
ATF_TC_BODY(dangling_symlinked_git_in_workspace_is_refused, tc)
{
	check_plan_fails("d /home/dev/ws\nl /home/dev/ws/.git /nowhere\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write"), "restricted"), "/home/dev/ws",
	    "symlink /home/dev/ws/.git");
}

ATF_TC_WITHOUT_HEAD(deny_path_through_writable_symlink_is_refused);
ATF_TC_BODY(deny_path_through_writable_symlink_is_refused, tc)
{
	check_plan_fails("d /home/dev/ws/real/secret\nl /home/dev/ws/link real\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    PATH_ENTRY("/home/dev/ws/link/secret", "deny"), "restricted"), "/home/dev/ws",
	    "symlink /home/dev/ws/link");
}

ATF_TC_WITHOUT_HEAD(writable_root_through_writable_symlink_is_refused);
ATF_TC_BODY(writable_root_through_writable_symlink_is_refused, tc)
{
	/* A link the sandbox planted in one run must not steer the next run's nested root. */
	check_plan_fails("d /home/dev/ws\nd /home/dev/.ssh\nl /home/dev/ws/sub /home/dev\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    PATH_ENTRY("/home/dev/ws/sub", "write"), "restricted"), "/home/dev/ws",
	    "symlink /home/dev/ws/sub");
}

ATF_TC_WITHOUT_HEAD(dotdot_after_a_symlink_means_what_the_kernel_makes_of_it);
ATF_TC_BODY(dotdot_after_a_symlink_means_what_the_kernel_makes_of_it, tc)
{
	/*
	 * ws/link/../secret is, for the kernel, a sibling of link's target
	 * (/home/dev/secret), not ws/secret; link is outside every writable
	 * root, so it is followed, and the deny lands on the real sibling.
	 */
	struct shape s = { "d /home/dev/ws\nd /home/dev/real\nf /home/dev/secret key\n"
	    "f /home/dev/ws/secret decoy\nl /opt/link /home/dev/real\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    PATH_ENTRY("/opt/link/../secret", "deny"), "restricted"),
	    "/home/dev/ws", NULL, false, false, false, 0)

ATF_TC_WITHOUT_HEAD(dotdot_after_a_missing_component_is_refused);
ATF_TC_BODY(dotdot_after_a_missing_component_is_refused, tc)
{
	check_plan_fails("d /home/dev/ws\n",
	    PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
	    PATH_ENTRY("/home/dev/ws/nothere/../secret", "deny"), "restricted"), "/home/dev/ws",
	    "follows a component that does not exist");
}

ATF_TC_WITHOUT_HEAD(nested_writable_root_and_deep_carve_outs_are_pinned);
ATF_TC_BODY(nested_writable_root_and_deep_carve_outs_are_pinned, tc)
{
	/*
	 * ws/a and ws/a/b lie between the writable root and the deny: each is
	 * bound onto itself so it cannot be renamed away with the mask; the
	 * nested root ws/sub is a mount of its own, and so is ws/sub/deep on
	 * the way to its read-only carve-out.
	 */
	struct shape s = { "d /home/dev/ws/a/b/secret\nd /home/dev/ws/sub/deep/ro\n",
		PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
		PATH_ENTRY("/home/dev/ws/a/b/secret", "deny") ","
		PATH_ENTRY("/home/dev/ws/sub", "write") ","
		PATH_ENTRY("/home/dev/ws/sub/deep/ro", "read"), "restricted"),
		"/home/dev/ws", NULL, false, false, false, 0 };

	check_golden("pins", &s);
}

ATF_TC_WITHOUT_HEAD(writable_slash_keeps_workspace_metadata_read_only);
ATF_TC_BODY(writable_slash_keeps_workspace_metadata_read_only, tc)
{
	/*
	 * / writable beside the workspace: still bubblewrap, so the
	 * workspace's .git stays read-only; /home and /home/dev are not pinned,
	 * since this user cannot rename them.
	 */
	struct shape s = { "r /\nd /home/dev/ws/.git/hooks\nr /home\nr /home/dev\n",
		PROFILE("{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"write\"},"
		PATH_ENTRY("/home/dev/ws", "write"), "restricted"),
		"/home/dev/ws", NULL, false, false, false, 0 };

	check_golden("writable-slash", &s);
}

ATF_TC_WITHOUT_HEAD(codex_daemon_and_wsl_sockets_are_hidden_in_every_restricted_view);
ATF_TC_BODY(codex_daemon_and_wsl_sockets_are_hidden_in_every_restricted_view, tc)
{
	/*
	 * The app-server's socket directory exists: an empty, unreadable
	 * tmpfs over it, again after /tmp's bind; WSLg's is hidden too.  The
	 * daemon directory of another user and a missing /run/WSL change nothing.
	 */
	static const char *const h[] = { "/tmp/codex-daemon-1000", "/run/WSL",
		"/mnt/wslg/distro", NULL };
	struct shape s = { "d /tmp/codex-daemon-1000\nd /tmp/codex-daemon-1001\n"
		"d /mnt/wslg/distro\nd /home/dev/ws\n",
		PROFILE(ROOT_READ "," PATH_ENTRY("/home/dev/ws", "write") ","
		"{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"slash_tmp\"}},\"access\":\"write\"}",
		"restricted"), "/home/dev/ws", NULL, false, false, false, 0 };

	hidden = h;
	check_golden("hidden", &s);
	hidden = NULL;
}

/* check_modes(profile, pipeline, seccomp): the pipeline and seccomp mode of profile over base_fs. */
static void
check_modes(const char *profile, enum pipeline pl, enum seccomp_mode sm)
{
	struct policy pol;
	struct rules rs;
	char err[256];
	struct fsview *fs = fsview_mem_new(base_fs, NULL);
	struct resolve_ctx rc = { "/home/dev", NULL, fs, NULL };

	ATF_REQUIRE(policy_parse_profile(profile, &pol, err, sizeof(err)) == 0);
	ATF_REQUIRE(rules_resolve(&pol, &rc, &rs, err, sizeof(err)) == 0);
	ATF_CHECK_EQ_MSG(pl, plan_pipeline(&rs), "pipeline of %s", profile);
	/* The seccomp mode means nothing where there is no sandbox at all. */
	if (pl != PIPELINE_DIRECT)
		ATF_CHECK_EQ_MSG(sm, plan_seccomp_mode(&rs), "seccomp mode of %s", profile);
	rules_free(&rs);
	policy_free(&pol);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(full_write_policy_needs_no_bwrap);
ATF_TC_BODY(full_write_policy_needs_no_bwrap, tc)
{
	check_modes("{\"type\":\"disabled\"}", PIPELINE_DIRECT, 0);
	check_modes("{\"type\":\"managed\",\"file_system\":{\"type\":\"unrestricted\"},"
	    "\"network\":\"restricted\"}", PIPELINE_SECCOMP, SECCOMP_RESTRICTED);
}

ATF_TC_WITHOUT_HEAD(network_on_with_restricted_fs_uses_vsock_filter);
ATF_TC_BODY(network_on_with_restricted_fs_uses_vsock_filter, tc)
{
	check_modes(PROFILE(ROOT_READ, "enabled"), PIPELINE_BWRAP, SECCOMP_VM);
}

ATF_TC_WITHOUT_HEAD(command_named_like_an_option_follows_the_separator);
ATF_TC_BODY(command_named_like_an_option_follows_the_separator, tc)
{
	struct shape s = { "d /home/dev/ws\n", PROFILE(ROOT_READ, "restricted"), "/home/dev/ws", NULL, false, false, false, 0 };
	char err[256], *got = render(&s, &bwrap_features_0_8_0, err, sizeof(err));
	char *inner_sep;

	ATF_REQUIRE(got != NULL);
	/* The user command comes after the inner stage's own "--". */
	inner_sep = strstr(got, "\n--ready-fd\n4\n--\nsh\n-c\ntrue\n");
	ATF_CHECK_MSG(inner_sep != NULL, "inner argv not terminated by --:\n%s", got);
	free(got);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, read_only_binds_root_read_only);
	ATF_TP_ADD_TC(tp, direct_read_only_execs_bwrap_with_the_filter_on_fd_3);
	ATF_TP_ADD_TC(tp, direct_read_only_spawns_with_info_fd_when_cordon_stays);
	ATF_TP_ADD_TC(tp, direct_workspace_write_spawns_to_remove_mount_targets);
	ATF_TP_ADD_TC(tp, direct_workspace_write_with_all_metadata_execs);
	ATF_TP_ADD_TC(tp, landlock_stage_follows_bwrap_on_a_direct_launch);
	ATF_TP_ADD_TC(tp, landlock_joins_the_careful_inner_stage);
	ATF_TP_ADD_TC(tp, direct_network_on_loads_the_vsock_filter);
	ATF_TP_ADD_TC(tp, direct_no_proc_keeps_the_pid_namespace);
	ATF_TP_ADD_TC(tp, direct_managed_proxy_stays_careful);
	ATF_TP_ADD_TC(tp, workspace_write_protects_git_and_masks_missing_metadata);
	ATF_TP_ADD_TC(tp, specificity_worked_example_repo_a_b);
	ATF_TP_ADD_TC(tp, restricted_read_starts_from_tmpfs_and_binds_inner_stage);
	ATF_TP_ADD_TC(tp, deny_hides_directory_and_file);
	ATF_TP_ADD_TC(tp, gitdir_pointer_target_is_protected);
	ATF_TP_ADD_TC(tp, network_on_keeps_network_namespace);
	ATF_TP_ADD_TC(tp, no_proc_omits_proc_mount);
	ATF_TP_ADD_TC(tp, managed_proxy_unshares_network_and_binds_socket_dir);
	ATF_TP_ADD_TC(tp, managed_proxy_with_full_write_still_uses_bwrap);
	ATF_TP_ADD_TC(tp, symlinked_writable_root_binds_its_target);
	ATF_TP_ADD_TC(tp, empty_metadata_dir_is_masked_like_a_missing_one);
	ATF_TP_ADD_TC(tp, missing_read_path_in_writable_root_cannot_be_created);
	ATF_TP_ADD_TC(tp, tmp_writable_root_keeps_registry_read_only);
	ATF_TP_ADD_TC(tp, writable_root_the_user_cannot_write_gets_no_masks);
	ATF_TP_ADD_TC(tp, symlinked_codex_in_workspace_is_refused);
	ATF_TP_ADD_TC(tp, dangling_symlinked_git_in_workspace_is_refused);
	ATF_TP_ADD_TC(tp, deny_path_through_writable_symlink_is_refused);
	ATF_TP_ADD_TC(tp, writable_root_through_writable_symlink_is_refused);
	ATF_TP_ADD_TC(tp, dotdot_after_a_symlink_means_what_the_kernel_makes_of_it);
	ATF_TP_ADD_TC(tp, dotdot_after_a_missing_component_is_refused);
	ATF_TP_ADD_TC(tp, nested_writable_root_and_deep_carve_outs_are_pinned);
	ATF_TP_ADD_TC(tp, writable_slash_keeps_workspace_metadata_read_only);
	ATF_TP_ADD_TC(tp, codex_daemon_and_wsl_sockets_are_hidden_in_every_restricted_view);
	ATF_TP_ADD_TC(tp, full_write_policy_needs_no_bwrap);
	ATF_TP_ADD_TC(tp, network_on_with_restricted_fs_uses_vsock_filter);
	ATF_TP_ADD_TC(tp, command_named_like_an_option_follows_the_separator);
	return atf_no_error();
}
