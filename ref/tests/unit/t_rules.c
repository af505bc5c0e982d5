/* Resolving a policy into rules over an in-memory filesystem. */
#include <atf-c.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsview.h"
#include "policy.h"
#include "rules.h"
#include "secrets.h"

static struct fsview *
mkfs(const char *desc)
{
	size_t bad = 0;
	struct fsview *fs = fsview_mem_new(desc, &bad);

	if (fs == NULL)
		atf_tc_fail("bad filesystem description at line %zu", bad);
	return fs;
}

static void
resolve_ok(const struct policy *p, const struct fsview *fs, const char *tmpdir,
    struct rules *rs)
{
	struct resolve_ctx c = { "/ws", tmpdir, fs, NULL };
	char err[512] = "";

	if (rules_resolve(p, &c, rs, err, sizeof(err)) != 0)
		atf_tc_fail("rules_resolve failed: %s", err);
}

static const struct rule *
rule_at(const struct rules *rs, const char *path)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].path, path) == 0)
			return &rs->r[i];
	return NULL;
}

static void
check_access(const struct rules *rs, const char *path, enum access want)
{
	enum access got = rules_effective(rs, path, NULL);

	ATF_CHECK_MSG(got == want, "%s is %s, want %s", path, access_name(got),
	    access_name(want));
}

/* A rule for path must exist with the given access and protection. */
static void
check_rule(const struct rules *rs, const char *path, enum access a, bool prot)
{
	const struct rule *r = rule_at(rs, path);

	if (r == NULL) {
		atf_tc_fail_nonfatal("no rule for %s", path);
		return;
	}
	ATF_CHECK_MSG(r->access == a, "rule %s is %s, want %s", path, access_name(r->access),
	    access_name(a));
	ATF_CHECK_MSG(r->protected == prot, "rule %s protected=%d", path, r->protected);
}

static void
check_no_rule(const struct rules *rs, const char *path)
{
	ATF_CHECK_MSG(rule_at(rs, path) == NULL, "unexpected rule for %s", path);
}

/*
 * The fixture of a resolve test (kselftest's FIXTURE shape by hand, as ATF
 * has none): an in-memory filesystem from a description, an empty policy
 * for the test to fill, and the rules fx_resolve makes of them;
 * fx_teardown frees all three.
 */
struct fx {
	struct fsview *fs;
	struct policy p;
	struct rules rs;
};

static void
fx_setup(struct fx *fx, const char *fsdesc)
{
	fx->fs = mkfs(fsdesc);
	policy_init(&fx->p);
	fx->rs = (struct rules){ 0 };
}

/* Resolve the policy with $TMPDIR tmpdir (NULL: none); a failure fails the test. */
static void
fx_resolve(struct fx *fx, const char *tmpdir)
{
	resolve_ok(&fx->p, fx->fs, tmpdir, &fx->rs);
}

static void
fx_teardown(struct fx *fx)
{
	rules_free(&fx->rs);
	policy_free(&fx->p);
	fsview_mem_free(fx->fs);
}

static void
add_root(struct policy *p, enum access a)
{
	policy_add(p, TARGET_SPECIAL, SPECIAL_ROOT, NULL, a, false);
}

static void
add_path(struct policy *p, const char *path, enum access a)
{
	policy_add(p, TARGET_PATH, 0, path, a, false);
}

ATF_TC_WITHOUT_HEAD(most_specific_rule_wins);
ATF_TC_BODY(most_specific_rule_wins, tc)
{
	struct fx fx;
	const struct rule *which;

	fx_setup(&fx, "d /ws/src/gen\nd /etc\nd /wsx");
	add_root(&fx.p, ACCESS_READ);
	add_path(&fx.p, "/ws", ACCESS_WRITE);
	add_path(&fx.p, "/ws/src", ACCESS_READ);
	add_path(&fx.p, "/ws/src/gen", ACCESS_WRITE);
	fx_resolve(&fx, NULL);
	check_access(&fx.rs, "/etc/passwd", ACCESS_READ);
	check_access(&fx.rs, "/wsx", ACCESS_READ);
	check_access(&fx.rs, "/ws/README", ACCESS_WRITE);
	check_access(&fx.rs, "/ws/src/main.c", ACCESS_READ);
	check_access(&fx.rs, "/ws/src/gen/out.c", ACCESS_WRITE);
	ATF_CHECK_EQ(ACCESS_READ, rules_effective(&fx.rs, "/ws/src/main.c", &which));
	ATF_REQUIRE(which != NULL);
	ATF_CHECK_STREQ("/ws/src", which->path);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(same_path_ties_go_deny_then_write_then_read);
ATF_TC_BODY(same_path_ties_go_deny_then_write_then_read, tc)
{
	struct fx fx;
	size_t count = 0;

	fx_setup(&fx, "d /a\nd /b\nd /c");
	add_path(&fx.p, "/a", ACCESS_READ);
	add_path(&fx.p, "/a", ACCESS_WRITE);
	add_path(&fx.p, "/b", ACCESS_WRITE);
	add_path(&fx.p, "/b", ACCESS_DENY);
	add_path(&fx.p, "/c", ACCESS_DENY);
	add_path(&fx.p, "/c", ACCESS_READ);
	fx_resolve(&fx, NULL);
	check_rule(&fx.rs, "/a", ACCESS_WRITE, false);
	check_rule(&fx.rs, "/b", ACCESS_DENY, false);
	check_rule(&fx.rs, "/c", ACCESS_DENY, false);
	for (size_t i = 0; i < fx.rs.n; i++)
		if (strcmp(fx.rs.r[i].path, "/a") == 0)
			count++;
	ATF_CHECK_EQ_MSG(1, count, "%zu rules for /a", count);
	check_access(&fx.rs, "/a/f", ACCESS_WRITE);
	check_access(&fx.rs, "/b/f", ACCESS_DENY);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(path_no_rule_covers_is_denied);
ATF_TC_BODY(path_no_rule_covers_is_denied, tc)
{
	struct fx fx;
	static const struct rule dummy;
	const struct rule *which = &dummy;

	fx_setup(&fx, "d /etc\nd /data");
	add_path(&fx.p, "/data", ACCESS_READ);
	fx_resolve(&fx, NULL);
	ATF_CHECK_EQ(ACCESS_DENY, rules_effective(&fx.rs, "/etc", &which));
	ATF_CHECK(which == NULL);
	check_access(&fx.rs, "/", ACCESS_DENY);
	check_access(&fx.rs, "/data/x", ACCESS_READ);
	ATF_CHECK(!fx.rs.full_write);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(protected_names_are_read_only_under_writable_roots);
ATF_TC_BODY(protected_names_are_read_only_under_writable_roots, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /ws/.git/objects\nd /data");
	add_root(&fx.p, ACCESS_READ);
	add_path(&fx.p, "/ws", ACCESS_WRITE);
	add_path(&fx.p, "/data", ACCESS_READ);
	fx_resolve(&fx, NULL);
	/* .git exists; .codex and .agents do not, and are protected all the same. */
	for (size_t i = 0; protected_names[i] != NULL; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/ws/%s", protected_names[i]);
		check_rule(&fx.rs, path, ACCESS_READ, true);
	}
	check_access(&fx.rs, "/ws/.git/objects/pack", ACCESS_READ);
	check_access(&fx.rs, "/ws/.codex/config.toml", ACCESS_READ);
	check_access(&fx.rs, "/ws/.gitignore", ACCESS_WRITE);
	check_no_rule(&fx.rs, "/data/.git");
	check_no_rule(&fx.rs, "/.git");
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(gitdir_target_in_writable_root_is_protected);
ATF_TC_BODY(gitdir_target_in_writable_root_is_protected, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /w/real.git/objects\nf /w/wt/.git gitdir: ../real.git");
	add_root(&fx.p, ACCESS_READ);
	add_path(&fx.p, "/w", ACCESS_WRITE);
	add_path(&fx.p, "/w/wt", ACCESS_WRITE);
	fx_resolve(&fx, NULL);
	check_rule(&fx.rs, "/w/wt/.git", ACCESS_READ, true);
	check_rule(&fx.rs, "/w/real.git", ACCESS_READ, true);
	check_access(&fx.rs, "/w/real.git/objects/ab", ACCESS_READ);
	check_access(&fx.rs, "/w/other", ACCESS_WRITE);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(gitdir_target_outside_writable_roots_is_left_alone);
ATF_TC_BODY(gitdir_target_outside_writable_roots_is_left_alone, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /w/real.git/objects\nf /w/wt/.git gitdir: ../real.git");
	add_root(&fx.p, ACCESS_READ);
	add_path(&fx.p, "/w/wt", ACCESS_WRITE);
	fx_resolve(&fx, NULL);
	check_rule(&fx.rs, "/w/wt/.git", ACCESS_READ, true);
	check_no_rule(&fx.rs, "/w/real.git");
	check_access(&fx.rs, "/w/real.git/objects", ACCESS_READ);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(skip_missing_entry_for_missing_path_is_dropped);
ATF_TC_BODY(skip_missing_entry_for_missing_path_is_dropped, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /present");
	add_root(&fx.p, ACCESS_READ);
	policy_add(&fx.p, TARGET_PATH, 0, "/missing", ACCESS_WRITE, true);
	policy_add(&fx.p, TARGET_PATH, 0, "/present", ACCESS_WRITE, true);
	fx_resolve(&fx, NULL);
	check_no_rule(&fx.rs, "/missing");
	check_no_rule(&fx.rs, "/missing/.git");
	check_rule(&fx.rs, "/present", ACCESS_WRITE, false);
	check_access(&fx.rs, "/missing/x", ACCESS_READ);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(missing_writable_root_is_kept);
ATF_TC_BODY(missing_writable_root_is_kept, tc)
{
	struct fx fx;
	const struct rule *r;

	fx_setup(&fx, "d /etc");
	add_root(&fx.p, ACCESS_READ);
	add_path(&fx.p, "/nowhere", ACCESS_WRITE);
	fx_resolve(&fx, NULL);
	r = rule_at(&fx.rs, "/nowhere");
	ATF_REQUIRE_MSG(r != NULL, "missing writable root dropped");
	ATF_CHECK_EQ(ACCESS_WRITE, r->access);
	ATF_CHECK(!r->skip_missing);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(symlinked_writable_root_resolves_to_target);
ATF_TC_BODY(symlinked_writable_root_resolves_to_target, tc)
{
	struct fx fx;
	const struct rule *r;

	fx_setup(&fx, "d /data/ws\nl /proj data/ws");
	add_root(&fx.p, ACCESS_READ);
	add_path(&fx.p, "/proj", ACCESS_WRITE);
	fx_resolve(&fx, NULL);
	check_no_rule(&fx.rs, "/proj");
	r = rule_at(&fx.rs, "/data/ws");
	ATF_REQUIRE_MSG(r != NULL, "no rule at the canonical path");
	ATF_CHECK_EQ(ACCESS_WRITE, r->access);
	ATF_CHECK_STREQ("/proj", r->logical);
	check_rule(&fx.rs, "/data/ws/.git", ACCESS_READ, true);
	check_access(&fx.rs, "/data/ws/f", ACCESS_WRITE);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(minimal_expands_to_existing_system_dirs);
ATF_TC_BODY(minimal_expands_to_existing_system_dirs, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /usr/bin\nd /etc\nd /lib\nd /home/u\nd /opt");
	policy_add(&fx.p, TARGET_SPECIAL, SPECIAL_MINIMAL, NULL, ACCESS_READ, false);
	fx_resolve(&fx, NULL);
	ATF_CHECK_EQ(3, fx.rs.n);
	check_rule(&fx.rs, "/usr", ACCESS_READ, false);
	check_rule(&fx.rs, "/etc", ACCESS_READ, false);
	check_rule(&fx.rs, "/lib", ACCESS_READ, false);
	check_no_rule(&fx.rs, "/bin");
	check_no_rule(&fx.rs, "/sbin");
	check_no_rule(&fx.rs, "/lib64");
	check_access(&fx.rs, "/home/u", ACCESS_DENY);
	check_access(&fx.rs, "/usr/bin/sh", ACCESS_READ);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(tmpdir_special_follows_context_tmpdir);
ATF_TC_BODY(tmpdir_special_follows_context_tmpdir, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /var/tmp/me");
	add_root(&fx.p, ACCESS_READ);
	policy_add(&fx.p, TARGET_SPECIAL, SPECIAL_TMPDIR, NULL, ACCESS_WRITE, false);
	fx_resolve(&fx, "/var/tmp/me");
	check_rule(&fx.rs, "/var/tmp/me", ACCESS_WRITE, false);
	check_access(&fx.rs, "/var/tmp/me/x", ACCESS_WRITE);
	rules_free(&fx.rs);

	fx_resolve(&fx, NULL);
	ATF_CHECK_EQ(1, fx.rs.n);
	check_no_rule(&fx.rs, "/var/tmp/me");
	check_access(&fx.rs, "/var/tmp/me/x", ACCESS_READ);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(full_write_needs_root_write_and_no_narrower_limit);
ATF_TC_BODY(full_write_needs_root_write_and_no_narrower_limit, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /ws/secret");
	add_root(&fx.p, ACCESS_WRITE);
	fx_resolve(&fx, NULL);
	ATF_CHECK(fx.rs.full_write);
	rules_free(&fx.rs);

	add_path(&fx.p, "/ws/secret", ACCESS_DENY);
	fx_resolve(&fx, NULL);
	ATF_CHECK(!fx.rs.full_write);
	check_access(&fx.rs, "/ws/secret/key", ACCESS_DENY);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(unrestricted_policy_is_full_write);
ATF_TC_BODY(unrestricted_policy_is_full_write, tc)
{
	struct fx fx;

	fx_setup(&fx, "d /ws");
	fx.p.fs = FS_UNRESTRICTED;
	fx.p.network = true;
	fx_resolve(&fx, NULL);
	ATF_CHECK(fx.rs.full_write);
	ATF_CHECK(fx.rs.network);
	ATF_CHECK_EQ(0, fx.rs.n);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(deny_glob_matches_at_any_depth);
ATF_TC_BODY(deny_glob_matches_at_any_depth, tc)
{
	struct fx fx;

	fx_setup(&fx, "f /ws/.env A=1\nf /ws/sub/.env B=2\n"
	    "f /ws/sub/deep/prod.env C=3\nf /ws/env.txt plain");
	add_root(&fx.p, ACCESS_READ);
	add_path(&fx.p, "/ws", ACCESS_WRITE);
	policy_add(&fx.p, TARGET_GLOB, 0, "/ws/**/*.env", ACCESS_DENY, false);
	fx_resolve(&fx, NULL);
	check_access(&fx.rs, "/ws/.env", ACCESS_DENY);
	check_access(&fx.rs, "/ws/sub/.env", ACCESS_DENY);
	check_access(&fx.rs, "/ws/sub/deep/prod.env", ACCESS_DENY);
	check_access(&fx.rs, "/ws/env.txt", ACCESS_WRITE);
	check_no_rule(&fx.rs, "/ws/env.txt");
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(glob_with_only_root_prefix_fails);
ATF_TC_BODY(glob_with_only_root_prefix_fails, tc)
{
	struct fx fx;
	struct resolve_ctx c;
	char err[512] = "";

	fx_setup(&fx, "f /.env x");
	c = (struct resolve_ctx){ "/ws", NULL, fx.fs, NULL };
	add_root(&fx.p, ACCESS_READ);
	policy_add(&fx.p, TARGET_GLOB, 0, "/*.env", ACCESS_DENY, false);
	/* Not the fixture's empty rules: the failure itself must leave them empty. */
	memset(&fx.rs, 0xa5, sizeof(fx.rs));
	ATF_CHECK_EQ(-1, rules_resolve(&fx.p, &c, &fx.rs, err, sizeof(err)));
	ATF_CHECK_MSG(strstr(err, "/*.env") != NULL, "error \"%s\" lacks the pattern", err);
	ATF_CHECK(fx.rs.n == 0 && fx.rs.r == NULL);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(double_star_spans_zero_or_more_directories);
ATF_TC_BODY(double_star_spans_zero_or_more_directories, tc)
{
	ATF_CHECK(glob_match("/a/**/b", "/a/b"));
	ATF_CHECK(glob_match("/a/**/b", "/a/x/b"));
	ATF_CHECK(glob_match("/a/**/b", "/a/x/y/b"));
	ATF_CHECK(!glob_match("/a/**/b", "/a/bc"));
	ATF_CHECK(!glob_match("/a/**/b", "/b"));
	ATF_CHECK(!glob_match("/a/*", "/a/x/y"));
}

/* cordon run's default: the credential stores that exist are hidden, the others skipped. */
ATF_TC_WITHOUT_HEAD(secret_stores_that_exist_are_hidden);
ATF_TC_BODY(secret_stores_that_exist_are_hidden, tc)
{
	struct fx fx;
	const struct rule *r;

	fx_setup(&fx, "d /home/u/.ssh\nf /home/u/.netrc x\nd /ws\n");
	add_root(&fx.p, ACCESS_READ);
	secrets_add(&fx.p, "/home/u");
	fx_resolve(&fx, NULL);
	r = rule_at(&fx.rs, "/home/u/.ssh");
	ATF_REQUIRE(r != NULL);
	ATF_CHECK(r->access == ACCESS_DENY && r->hidden && strcmp(r->why, "secret") == 0);
	check_access(&fx.rs, "/home/u/.netrc", ACCESS_DENY);
	check_no_rule(&fx.rs, "/home/u/.gnupg");
	check_access(&fx.rs, "/home/u/.bashrc", ACCESS_READ);
	fx_teardown(&fx);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, secret_stores_that_exist_are_hidden);
	ATF_TP_ADD_TC(tp, most_specific_rule_wins);
	ATF_TP_ADD_TC(tp, same_path_ties_go_deny_then_write_then_read);
	ATF_TP_ADD_TC(tp, path_no_rule_covers_is_denied);
	ATF_TP_ADD_TC(tp, protected_names_are_read_only_under_writable_roots);
	ATF_TP_ADD_TC(tp, gitdir_target_in_writable_root_is_protected);
	ATF_TP_ADD_TC(tp, gitdir_target_outside_writable_roots_is_left_alone);
	ATF_TP_ADD_TC(tp, skip_missing_entry_for_missing_path_is_dropped);
	ATF_TP_ADD_TC(tp, missing_writable_root_is_kept);
	ATF_TP_ADD_TC(tp, symlinked_writable_root_resolves_to_target);
	ATF_TP_ADD_TC(tp, minimal_expands_to_existing_system_dirs);
	ATF_TP_ADD_TC(tp, tmpdir_special_follows_context_tmpdir);
	ATF_TP_ADD_TC(tp, full_write_needs_root_write_and_no_narrower_limit);
	ATF_TP_ADD_TC(tp, unrestricted_policy_is_full_write);
	ATF_TP_ADD_TC(tp, deny_glob_matches_at_any_depth);
	ATF_TP_ADD_TC(tp, glob_with_only_root_prefix_fails);
	ATF_TP_ADD_TC(tp, double_star_spans_zero_or_more_directories);
	return atf_no_error();
}
