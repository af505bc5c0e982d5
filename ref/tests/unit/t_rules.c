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
	struct fsview *fs = mkfs("d /ws/src/gen\nd /etc\nd /wsx");
	const struct rule *which;
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	add_path(&p, "/ws", ACCESS_WRITE);
	add_path(&p, "/ws/src", ACCESS_READ);
	add_path(&p, "/ws/src/gen", ACCESS_WRITE);
	resolve_ok(&p, fs, NULL, &rs);
	check_access(&rs, "/etc/passwd", ACCESS_READ);
	check_access(&rs, "/wsx", ACCESS_READ);
	check_access(&rs, "/ws/README", ACCESS_WRITE);
	check_access(&rs, "/ws/src/main.c", ACCESS_READ);
	check_access(&rs, "/ws/src/gen/out.c", ACCESS_WRITE);
	ATF_CHECK_EQ(ACCESS_READ, rules_effective(&rs, "/ws/src/main.c", &which));
	ATF_REQUIRE(which != NULL);
	ATF_CHECK_STREQ("/ws/src", which->path);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(same_path_ties_go_deny_then_write_then_read);
ATF_TC_BODY(same_path_ties_go_deny_then_write_then_read, tc)
{
	struct fsview *fs = mkfs("d /a\nd /b\nd /c");
	struct policy p;
	struct rules rs;
	size_t count = 0;

	policy_init(&p);
	add_path(&p, "/a", ACCESS_READ);
	add_path(&p, "/a", ACCESS_WRITE);
	add_path(&p, "/b", ACCESS_WRITE);
	add_path(&p, "/b", ACCESS_DENY);
	add_path(&p, "/c", ACCESS_DENY);
	add_path(&p, "/c", ACCESS_READ);
	resolve_ok(&p, fs, NULL, &rs);
	check_rule(&rs, "/a", ACCESS_WRITE, false);
	check_rule(&rs, "/b", ACCESS_DENY, false);
	check_rule(&rs, "/c", ACCESS_DENY, false);
	for (size_t i = 0; i < rs.n; i++)
		if (strcmp(rs.r[i].path, "/a") == 0)
			count++;
	ATF_CHECK_EQ_MSG(1, count, "%zu rules for /a", count);
	check_access(&rs, "/a/f", ACCESS_WRITE);
	check_access(&rs, "/b/f", ACCESS_DENY);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(path_no_rule_covers_is_denied);
ATF_TC_BODY(path_no_rule_covers_is_denied, tc)
{
	struct fsview *fs = mkfs("d /etc\nd /data");
	static const struct rule dummy;
	const struct rule *which = &dummy;
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_path(&p, "/data", ACCESS_READ);
	resolve_ok(&p, fs, NULL, &rs);
	ATF_CHECK_EQ(ACCESS_DENY, rules_effective(&rs, "/etc", &which));
	ATF_CHECK(which == NULL);
	check_access(&rs, "/", ACCESS_DENY);
	check_access(&rs, "/data/x", ACCESS_READ);
	ATF_CHECK(!rs.full_write);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(protected_names_are_read_only_under_writable_roots);
ATF_TC_BODY(protected_names_are_read_only_under_writable_roots, tc)
{
	struct fsview *fs = mkfs("d /ws/.git/objects\nd /data");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	add_path(&p, "/ws", ACCESS_WRITE);
	add_path(&p, "/data", ACCESS_READ);
	resolve_ok(&p, fs, NULL, &rs);
	/* .git exists; .codex and .agents do not, and are protected all the same. */
	for (size_t i = 0; protected_names[i] != NULL; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/ws/%s", protected_names[i]);
		check_rule(&rs, path, ACCESS_READ, true);
	}
	check_access(&rs, "/ws/.git/objects/pack", ACCESS_READ);
	check_access(&rs, "/ws/.codex/config.toml", ACCESS_READ);
	check_access(&rs, "/ws/.gitignore", ACCESS_WRITE);
	check_no_rule(&rs, "/data/.git");
	check_no_rule(&rs, "/.git");
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(gitdir_target_in_writable_root_is_protected);
ATF_TC_BODY(gitdir_target_in_writable_root_is_protected, tc)
{
	struct fsview *fs = mkfs("d /w/real.git/objects\nf /w/wt/.git gitdir: ../real.git");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	add_path(&p, "/w", ACCESS_WRITE);
	add_path(&p, "/w/wt", ACCESS_WRITE);
	resolve_ok(&p, fs, NULL, &rs);
	check_rule(&rs, "/w/wt/.git", ACCESS_READ, true);
	check_rule(&rs, "/w/real.git", ACCESS_READ, true);
	check_access(&rs, "/w/real.git/objects/ab", ACCESS_READ);
	check_access(&rs, "/w/other", ACCESS_WRITE);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(gitdir_target_outside_writable_roots_is_left_alone);
ATF_TC_BODY(gitdir_target_outside_writable_roots_is_left_alone, tc)
{
	struct fsview *fs = mkfs("d /w/real.git/objects\nf /w/wt/.git gitdir: ../real.git");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	add_path(&p, "/w/wt", ACCESS_WRITE);
	resolve_ok(&p, fs, NULL, &rs);
	check_rule(&rs, "/w/wt/.git", ACCESS_READ, true);
	check_no_rule(&rs, "/w/real.git");
	check_access(&rs, "/w/real.git/objects", ACCESS_READ);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(skip_missing_entry_for_missing_path_is_dropped);
ATF_TC_BODY(skip_missing_entry_for_missing_path_is_dropped, tc)
{
	struct fsview *fs = mkfs("d /present");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	policy_add(&p, TARGET_PATH, 0, "/missing", ACCESS_WRITE, true);
	policy_add(&p, TARGET_PATH, 0, "/present", ACCESS_WRITE, true);
	resolve_ok(&p, fs, NULL, &rs);
	check_no_rule(&rs, "/missing");
	check_no_rule(&rs, "/missing/.git");
	check_rule(&rs, "/present", ACCESS_WRITE, false);
	check_access(&rs, "/missing/x", ACCESS_READ);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(missing_writable_root_is_kept);
ATF_TC_BODY(missing_writable_root_is_kept, tc)
{
	struct fsview *fs = mkfs("d /etc");
	const struct rule *r;
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	add_path(&p, "/nowhere", ACCESS_WRITE);
	resolve_ok(&p, fs, NULL, &rs);
	r = rule_at(&rs, "/nowhere");
	ATF_REQUIRE_MSG(r != NULL, "missing writable root dropped");
	ATF_CHECK_EQ(ACCESS_WRITE, r->access);
	ATF_CHECK(!r->skip_missing);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(symlinked_writable_root_resolves_to_target);
ATF_TC_BODY(symlinked_writable_root_resolves_to_target, tc)
{
	struct fsview *fs = mkfs("d /data/ws\nl /proj data/ws");
	const struct rule *r;
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	add_path(&p, "/proj", ACCESS_WRITE);
	resolve_ok(&p, fs, NULL, &rs);
	check_no_rule(&rs, "/proj");
	r = rule_at(&rs, "/data/ws");
	ATF_REQUIRE_MSG(r != NULL, "no rule at the canonical path");
	ATF_CHECK_EQ(ACCESS_WRITE, r->access);
	ATF_CHECK_STREQ("/proj", r->logical);
	check_rule(&rs, "/data/ws/.git", ACCESS_READ, true);
	check_access(&rs, "/data/ws/f", ACCESS_WRITE);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(minimal_expands_to_existing_system_dirs);
ATF_TC_BODY(minimal_expands_to_existing_system_dirs, tc)
{
	struct fsview *fs = mkfs("d /usr/bin\nd /etc\nd /lib\nd /home/u\nd /opt");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	policy_add(&p, TARGET_SPECIAL, SPECIAL_MINIMAL, NULL, ACCESS_READ, false);
	resolve_ok(&p, fs, NULL, &rs);
	ATF_CHECK_EQ(3, rs.n);
	check_rule(&rs, "/usr", ACCESS_READ, false);
	check_rule(&rs, "/etc", ACCESS_READ, false);
	check_rule(&rs, "/lib", ACCESS_READ, false);
	check_no_rule(&rs, "/bin");
	check_no_rule(&rs, "/sbin");
	check_no_rule(&rs, "/lib64");
	check_access(&rs, "/home/u", ACCESS_DENY);
	check_access(&rs, "/usr/bin/sh", ACCESS_READ);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(tmpdir_special_follows_context_tmpdir);
ATF_TC_BODY(tmpdir_special_follows_context_tmpdir, tc)
{
	struct fsview *fs = mkfs("d /var/tmp/me");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	policy_add(&p, TARGET_SPECIAL, SPECIAL_TMPDIR, NULL, ACCESS_WRITE, false);
	resolve_ok(&p, fs, "/var/tmp/me", &rs);
	check_rule(&rs, "/var/tmp/me", ACCESS_WRITE, false);
	check_access(&rs, "/var/tmp/me/x", ACCESS_WRITE);
	rules_free(&rs);

	resolve_ok(&p, fs, NULL, &rs);
	ATF_CHECK_EQ(1, rs.n);
	check_no_rule(&rs, "/var/tmp/me");
	check_access(&rs, "/var/tmp/me/x", ACCESS_READ);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(full_write_needs_root_write_and_no_narrower_limit);
ATF_TC_BODY(full_write_needs_root_write_and_no_narrower_limit, tc)
{
	struct fsview *fs = mkfs("d /ws/secret");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_WRITE);
	resolve_ok(&p, fs, NULL, &rs);
	ATF_CHECK(rs.full_write);
	rules_free(&rs);

	add_path(&p, "/ws/secret", ACCESS_DENY);
	resolve_ok(&p, fs, NULL, &rs);
	ATF_CHECK(!rs.full_write);
	check_access(&rs, "/ws/secret/key", ACCESS_DENY);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(unrestricted_policy_is_full_write);
ATF_TC_BODY(unrestricted_policy_is_full_write, tc)
{
	struct fsview *fs = mkfs("d /ws");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	p.fs = FS_UNRESTRICTED;
	p.network = true;
	resolve_ok(&p, fs, NULL, &rs);
	ATF_CHECK(rs.full_write);
	ATF_CHECK(rs.network);
	ATF_CHECK_EQ(0, rs.n);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(deny_glob_matches_at_any_depth);
ATF_TC_BODY(deny_glob_matches_at_any_depth, tc)
{
	struct fsview *fs = mkfs("f /ws/.env A=1\nf /ws/sub/.env B=2\n"
	    "f /ws/sub/deep/prod.env C=3\nf /ws/env.txt plain");
	struct policy p;
	struct rules rs;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	add_path(&p, "/ws", ACCESS_WRITE);
	policy_add(&p, TARGET_GLOB, 0, "/ws/**/*.env", ACCESS_DENY, false);
	resolve_ok(&p, fs, NULL, &rs);
	check_access(&rs, "/ws/.env", ACCESS_DENY);
	check_access(&rs, "/ws/sub/.env", ACCESS_DENY);
	check_access(&rs, "/ws/sub/deep/prod.env", ACCESS_DENY);
	check_access(&rs, "/ws/env.txt", ACCESS_WRITE);
	check_no_rule(&rs, "/ws/env.txt");
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(glob_with_only_root_prefix_fails);
ATF_TC_BODY(glob_with_only_root_prefix_fails, tc)
{
	struct fsview *fs = mkfs("f /.env x");
	struct resolve_ctx c = { "/ws", NULL, fs, NULL };
	struct policy p;
	struct rules rs;
	char err[512] = "";

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	policy_add(&p, TARGET_GLOB, 0, "/*.env", ACCESS_DENY, false);
	ATF_CHECK_EQ(-1, rules_resolve(&p, &c, &rs, err, sizeof(err)));
	ATF_CHECK_MSG(strstr(err, "/*.env") != NULL, "error \"%s\" lacks the pattern", err);
	ATF_CHECK(rs.n == 0 && rs.r == NULL);
	policy_free(&p);
	fsview_mem_free(fs);
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
	struct fsview *fs = mkfs("d /home/u/.ssh\nf /home/u/.netrc x\nd /ws\n");
	struct policy p;
	struct rules rs;
	const struct rule *r;

	policy_init(&p);
	add_root(&p, ACCESS_READ);
	secrets_add(&p, "/home/u");
	resolve_ok(&p, fs, NULL, &rs);
	r = rule_at(&rs, "/home/u/.ssh");
	ATF_REQUIRE(r != NULL);
	ATF_CHECK(r->access == ACCESS_DENY && r->hidden && strcmp(r->why, "secret") == 0);
	check_access(&rs, "/home/u/.netrc", ACCESS_DENY);
	check_no_rule(&rs, "/home/u/.gnupg");
	check_access(&rs, "/home/u/.bashrc", ACCESS_READ);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
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
