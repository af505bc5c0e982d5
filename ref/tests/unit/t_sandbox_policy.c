/* Legacy SandboxPolicy JSON: policy_parse_sandbox_policy. */
#include <atf-c.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static void check_bad(const char *, ...) __attribute__((sentinel));

static void
parse_ok(const char *json, struct policy *p)
{
	char err[512] = "";

	if (policy_parse_sandbox_policy(json, p, err, sizeof(err)) != 0)
		atf_tc_fail("policy_parse_sandbox_policy(%s) failed: %s", json, err);
}

static void
check_special(const struct policy *p, size_t i, enum special sp, enum access a)
{
	if (i >= p->n) {
		atf_tc_fail_nonfatal("entry %zu missing (only %zu)", i, p->n);
		return;
	}
	ATF_CHECK_EQ_MSG(TARGET_SPECIAL, p->entries[i].target, "entry %zu target", i);
	ATF_CHECK_EQ_MSG(sp, p->entries[i].special, "entry %zu special", i);
	ATF_CHECK_MSG(p->entries[i].path == NULL, "entry %zu has a path", i);
	ATF_CHECK_EQ_MSG(a, p->entries[i].access, "entry %zu access", i);
	ATF_CHECK_MSG(!p->entries[i].skip_missing, "entry %zu skips missing", i);
}

static void
check_path(const struct policy *p, size_t i, const char *path, enum access a)
{
	if (i >= p->n) {
		atf_tc_fail_nonfatal("entry %zu missing (only %zu)", i, p->n);
		return;
	}
	ATF_CHECK_EQ_MSG(TARGET_PATH, p->entries[i].target, "entry %zu target", i);
	ATF_CHECK_STREQ_MSG(path, p->entries[i].path, "entry %zu path", i);
	ATF_CHECK_EQ_MSG(a, p->entries[i].access, "entry %zu access", i);
}

/* json must be rejected with a one-line message holding every listed string. */
static void
check_bad(const char *json, ...)
{
	struct policy p;
	char err[512];
	const char *want;
	va_list ap;

	memset(err, 0, sizeof(err));
	if (policy_parse_sandbox_policy(json, &p, err, sizeof(err)) != -1) {
		atf_tc_fail_nonfatal("accepted: %s", json);
		policy_free(&p);
		return;
	}
	ATF_CHECK_MSG(p.n == 0 && p.entries == NULL, "policy not emptied for %s", json);
	ATF_CHECK_MSG(strchr(err, '\n') == NULL, "error is not one line: %s", err);
	va_start(ap, json);
	while ((want = va_arg(ap, const char *)) != NULL)
		ATF_CHECK_MSG(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\" (input %s)",
		    err, want, json);
	va_end(ap);
}

ATF_TC_WITHOUT_HEAD(read_only_grants_root_read_without_network);
ATF_TC_BODY(read_only_grants_root_read_without_network, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"read-only\"}", &p);
	ATF_CHECK_EQ(FS_RESTRICTED, p.fs);
	ATF_CHECK(!p.network);
	ATF_CHECK_EQ(1, p.n);
	check_special(&p, 0, SPECIAL_ROOT, ACCESS_READ);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(read_only_network_access_enables_network);
ATF_TC_BODY(read_only_network_access_enables_network, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"read-only\",\"network_access\":true}", &p);
	ATF_CHECK_EQ(FS_RESTRICTED, p.fs);
	ATF_CHECK(p.network);
	ATF_CHECK_EQ(1, p.n);
	check_special(&p, 0, SPECIAL_ROOT, ACCESS_READ);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(workspace_write_defaults_to_cwd_and_both_tmps);
ATF_TC_BODY(workspace_write_defaults_to_cwd_and_both_tmps, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"workspace-write\"}", &p);
	ATF_CHECK_EQ(FS_RESTRICTED, p.fs);
	ATF_CHECK(!p.network);
	ATF_CHECK_EQ(4, p.n);
	check_special(&p, 0, SPECIAL_ROOT, ACCESS_READ);
	check_special(&p, 1, SPECIAL_PROJECT_ROOTS, ACCESS_WRITE);
	check_special(&p, 2, SPECIAL_SLASH_TMP, ACCESS_WRITE);
	check_special(&p, 3, SPECIAL_TMPDIR, ACCESS_WRITE);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(workspace_write_adds_each_writable_root);
ATF_TC_BODY(workspace_write_adds_each_writable_root, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"workspace-write\",\"writable_roots\":[\"/data/out\",\"/var/cache/x\"],"
	    "\"network_access\":true}", &p);
	ATF_CHECK(p.network);
	ATF_CHECK_EQ(6, p.n);
	check_special(&p, 0, SPECIAL_ROOT, ACCESS_READ);
	check_special(&p, 1, SPECIAL_PROJECT_ROOTS, ACCESS_WRITE);
	check_path(&p, 2, "/data/out", ACCESS_WRITE);
	check_path(&p, 3, "/var/cache/x", ACCESS_WRITE);
	check_special(&p, 4, SPECIAL_SLASH_TMP, ACCESS_WRITE);
	check_special(&p, 5, SPECIAL_TMPDIR, ACCESS_WRITE);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(workspace_write_exclusions_drop_tmp_entries);
ATF_TC_BODY(workspace_write_exclusions_drop_tmp_entries, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"workspace-write\",\"exclude_tmpdir_env_var\":true}", &p);
	ATF_CHECK_EQ(3, p.n);
	check_special(&p, 2, SPECIAL_SLASH_TMP, ACCESS_WRITE);
	policy_free(&p);

	parse_ok("{\"type\":\"workspace-write\",\"exclude_slash_tmp\":true}", &p);
	ATF_CHECK_EQ(3, p.n);
	check_special(&p, 2, SPECIAL_TMPDIR, ACCESS_WRITE);
	policy_free(&p);

	parse_ok("{\"type\":\"workspace-write\",\"writable_roots\":[],\"network_access\":false,"
	    "\"exclude_tmpdir_env_var\":true,\"exclude_slash_tmp\":true}", &p);
	ATF_CHECK(!p.network);
	ATF_CHECK_EQ(2, p.n);
	check_special(&p, 0, SPECIAL_ROOT, ACCESS_READ);
	check_special(&p, 1, SPECIAL_PROJECT_ROOTS, ACCESS_WRITE);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(danger_full_access_is_unrestricted_with_network);
ATF_TC_BODY(danger_full_access_is_unrestricted_with_network, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"danger-full-access\"}", &p);
	ATF_CHECK_EQ(FS_UNRESTRICTED, p.fs);
	ATF_CHECK(p.network);
	ATF_CHECK_EQ(0, p.n);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(external_sandbox_takes_network_access_string);
ATF_TC_BODY(external_sandbox_takes_network_access_string, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"external-sandbox\",\"network_access\":\"enabled\"}", &p);
	ATF_CHECK_EQ(FS_UNRESTRICTED, p.fs);
	ATF_CHECK(p.network);
	ATF_CHECK_EQ(0, p.n);
	policy_free(&p);

	parse_ok("{\"type\":\"external-sandbox\",\"network_access\":\"restricted\"}", &p);
	ATF_CHECK_EQ(FS_UNRESTRICTED, p.fs);
	ATF_CHECK(!p.network);
	policy_free(&p);

	check_bad("{\"type\":\"external-sandbox\",\"network_access\":\"sometimes\"}",
	    "network_access", NULL);
}

ATF_TC_WITHOUT_HEAD(bad_or_missing_type_is_named);
ATF_TC_BODY(bad_or_missing_type_is_named, tc)
{
	check_bad("{\"type\":\"read-write\"}", "sandbox policy.type", "\"read-write\"", NULL);
	check_bad("{\"network_access\":true}", "missing field \"type\"", NULL);
	check_bad("{\"type\":7}", "\"type\"", "string", NULL);
}

ATF_TC_WITHOUT_HEAD(bad_writable_roots_are_named);
ATF_TC_BODY(bad_writable_roots_are_named, tc)
{
	check_bad("{\"type\":\"workspace-write\",\"writable_roots\":[\"/ok\",\"relative/dir\"]}",
	    "writable_roots[1]", "not absolute", NULL);
	check_bad("{\"type\":\"workspace-write\",\"writable_roots\":\"/data\"}",
	    "\"writable_roots\"", "array", NULL);
	check_bad("{\"type\":\"workspace-write\",\"writable_roots\":[42]}",
	    "writable_roots[0]", NULL);
}

ATF_TC_WITHOUT_HEAD(unknown_field_is_named);
ATF_TC_BODY(unknown_field_is_named, tc)
{
	check_bad("{\"type\":\"read-only\",\"writable_roots\":[]}",
	    "unknown field", "\"writable_roots\"", NULL);
	check_bad("{\"type\":\"workspace-write\",\"exclude_tmp\":true}",
	    "unknown field", "\"exclude_tmp\"", NULL);
	check_bad("{\"type\":\"danger-full-access\",\"network_access\":false}",
	    "unknown field", "\"network_access\"", NULL);
}

/* --policy FILE: the type tells a SandboxPolicy from a permission profile. */
ATF_TC_WITHOUT_HEAD(either_form_is_told_apart_by_its_type);
ATF_TC_BODY(either_form_is_told_apart_by_its_type, tc)
{
	struct policy p;
	char err[512];

	ATF_REQUIRE_EQ(policy_parse_any("{\"type\":\"danger-full-access\"}", &p, err,
	    sizeof(err)), 0);
	ATF_CHECK(p.fs == FS_UNRESTRICTED && p.network);
	policy_free(&p);
	ATF_REQUIRE_EQ(policy_parse_any("{\"type\":\"disabled\"}", &p, err, sizeof(err)), 0);
	ATF_CHECK(p.fs == FS_UNRESTRICTED);
	policy_free(&p);
	ATF_CHECK_EQ(policy_parse_any("{\"type\":\"bogus\"}", &p, err, sizeof(err)), -1);
	ATF_CHECK_MSG(strstr(err, "profile.type") != NULL, "%s", err);
	ATF_CHECK_EQ(policy_parse_any("[1]", &p, err, sizeof(err)), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, either_form_is_told_apart_by_its_type);
	ATF_TP_ADD_TC(tp, read_only_grants_root_read_without_network);
	ATF_TP_ADD_TC(tp, read_only_network_access_enables_network);
	ATF_TP_ADD_TC(tp, workspace_write_defaults_to_cwd_and_both_tmps);
	ATF_TP_ADD_TC(tp, workspace_write_adds_each_writable_root);
	ATF_TP_ADD_TC(tp, workspace_write_exclusions_drop_tmp_entries);
	ATF_TP_ADD_TC(tp, danger_full_access_is_unrestricted_with_network);
	ATF_TP_ADD_TC(tp, external_sandbox_takes_network_access_string);
	ATF_TP_ADD_TC(tp, bad_or_missing_type_is_named);
	ATF_TP_ADD_TC(tp, bad_writable_roots_are_named);
	ATF_TP_ADD_TC(tp, unknown_field_is_named);
	return atf_no_error();
}
