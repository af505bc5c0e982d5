/* Permission-profile JSON: policy_parse_profile. */
#include <atf-c.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define ENT_ROOT_READ \
	"{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"}"

static const char read_only_profile[] =
    "{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\",\"entries\":["
    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"}]},"
    "\"network\":\"restricted\"}";

static void check_bad(const char *, ...) __attribute__((sentinel));
static void check_bad_entries(const char *, ...) __attribute__((sentinel));

/* A managed, restricted profile holding the given comma-separated entries. */
static char *
managed(const char *entries)
{
	char *s;

	if (asprintf(&s, "{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"entries\":[%s]},\"network\":\"restricted\"}", entries) < 0)
		atf_tc_fail("asprintf");
	return s;
}

static void
parse_ok(const char *json, struct policy *p)
{
	char err[512] = "";

	if (policy_parse_profile(json, p, err, sizeof(err)) != 0)
		atf_tc_fail("policy_parse_profile(%s) failed: %s", json, err);
}

static void
check_entry(const struct policy *p, size_t i, enum target t, enum special sp,
    const char *path, enum access a, bool skip)
{
	const struct policy_entry *e;

	if (i >= p->n) {
		atf_tc_fail_nonfatal("entry %zu missing (only %zu)", i, p->n);
		return;
	}
	e = &p->entries[i];
	ATF_CHECK_EQ_MSG(t, e->target, "entry %zu target", i);
	if (t == TARGET_SPECIAL)
		ATF_CHECK_EQ_MSG(sp, e->special, "entry %zu special", i);
	if (path == NULL)
		ATF_CHECK_MSG(e->path == NULL, "entry %zu path %s, want none", i, e->path);
	else
		ATF_CHECK_STREQ_MSG(path, e->path == NULL ? "(null)" : e->path,
		    "entry %zu path", i);
	ATF_CHECK_EQ_MSG(a, e->access, "entry %zu access", i);
	ATF_CHECK_EQ_MSG(skip, e->skip_missing, "entry %zu skip_missing", i);
}

/*
 * json must be rejected with a one-line message holding every string of
 * the NULL-terminated list ap, and the policy must be left empty.
 */
static void
vcheck_bad(const char *json, va_list ap)
{
	struct policy p;
	char err[512];
	const char *want;

	memset(err, 0, sizeof(err));
	if (policy_parse_profile(json, &p, err, sizeof(err)) != -1) {
		atf_tc_fail_nonfatal("accepted: %s", json);
		policy_free(&p);
		return;
	}
	ATF_CHECK_MSG(p.n == 0 && p.entries == NULL, "policy not emptied for %s", json);
	ATF_CHECK_MSG(strchr(err, '\n') == NULL, "error is not one line: %s", err);
	while ((want = va_arg(ap, const char *)) != NULL)
		ATF_CHECK_MSG(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\" (input %s)",
		    err, want, json);
}

static void
check_bad(const char *json, ...)
{
	va_list ap;

	va_start(ap, json);
	vcheck_bad(json, ap);
	va_end(ap);
}

/* Like check_bad, for a managed profile built from entries. */
static void
check_bad_entries(const char *entries, ...)
{
	char *json = managed(entries);
	va_list ap;

	va_start(ap, entries);
	vcheck_bad(json, ap);
	va_end(ap);
	free(json);
}

ATF_TC_WITHOUT_HEAD(read_only_profile_grants_root_read);
ATF_TC_BODY(read_only_profile_grants_root_read, tc)
{
	struct policy p;

	parse_ok(read_only_profile, &p);
	ATF_CHECK_EQ(FS_RESTRICTED, p.fs);
	ATF_CHECK(!p.network);
	ATF_CHECK_EQ(1, p.n);
	check_entry(&p, 0, TARGET_SPECIAL, SPECIAL_ROOT, NULL, ACCESS_READ, false);
	ATF_CHECK_EQ(0, p.glob_max_depth);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(workspace_write_profile_keeps_entries_in_order);
ATF_TC_BODY(workspace_write_profile_keeps_entries_in_order, tc)
{
	struct policy p;
	char *json = managed(ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"project_roots\"}},"
	    "\"access\":\"write\"},"
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws/extra\"},\"access\":\"write\"},"
	    "{\"path\":{\"type\":\"path\",\"path\":\"/opt/cache\"},\"access\":\"write\","
	    "\"missing_path_behavior\":\"skip\"},"
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"slash_tmp\"}},"
	    "\"access\":\"write\"},"
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"tmpdir\"}},"
	    "\"access\":\"write\"}");

	parse_ok(json, &p);
	ATF_CHECK_EQ(FS_RESTRICTED, p.fs);
	ATF_CHECK_EQ(6, p.n);
	check_entry(&p, 0, TARGET_SPECIAL, SPECIAL_ROOT, NULL, ACCESS_READ, false);
	check_entry(&p, 1, TARGET_SPECIAL, SPECIAL_PROJECT_ROOTS, NULL, ACCESS_WRITE, false);
	check_entry(&p, 2, TARGET_PATH, 0, "/ws/extra", ACCESS_WRITE, false);
	check_entry(&p, 3, TARGET_PATH, 0, "/opt/cache", ACCESS_WRITE, true);
	check_entry(&p, 4, TARGET_SPECIAL, SPECIAL_SLASH_TMP, NULL, ACCESS_WRITE, false);
	check_entry(&p, 5, TARGET_SPECIAL, SPECIAL_TMPDIR, NULL, ACCESS_WRITE, false);
	policy_free(&p);
	free(json);
}

ATF_TC_WITHOUT_HEAD(none_access_is_an_alias_of_deny);
ATF_TC_BODY(none_access_is_an_alias_of_deny, tc)
{
	struct policy p;
	char *json = managed(ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"path\",\"path\":\"/secret\"},\"access\":\"none\"}");

	parse_ok(json, &p);
	ATF_CHECK_EQ(2, p.n);
	check_entry(&p, 1, TARGET_PATH, 0, "/secret", ACCESS_DENY, false);
	policy_free(&p);
	free(json);
}

ATF_TC_WITHOUT_HEAD(project_roots_takes_subpath_and_cwd_alias);
ATF_TC_BODY(project_roots_takes_subpath_and_cwd_alias, tc)
{
	struct policy p;
	char *json = managed(
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"project_roots\","
	    "\"subpath\":\"docs/out\"}},\"access\":\"write\"},"
	    "{\"path\":{\"type\":\"special\",\"value\":"
	    "{\"kind\":\"current_working_directory\"}},\"access\":\"read\"}");

	parse_ok(json, &p);
	ATF_CHECK_EQ(2, p.n);
	check_entry(&p, 0, TARGET_SPECIAL, SPECIAL_PROJECT_ROOTS, "docs/out", ACCESS_WRITE, false);
	check_entry(&p, 1, TARGET_SPECIAL, SPECIAL_PROJECT_ROOTS, NULL, ACCESS_READ, false);
	policy_free(&p);
	free(json);
}

ATF_TC_WITHOUT_HEAD(deny_glob_and_scan_depth_are_kept);
ATF_TC_BODY(deny_glob_and_scan_depth_are_kept, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"glob_scan_max_depth\":4,\"entries\":[" ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"/ws/**/*.env\"},"
	    "\"access\":\"deny\"}]}}", &p);
	ATF_CHECK_EQ(4, p.glob_max_depth);
	ATF_CHECK_EQ(2, p.n);
	check_entry(&p, 1, TARGET_GLOB, 0, "/ws/**/*.env", ACCESS_DENY, false);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(disabled_and_external_profiles_are_unrestricted);
ATF_TC_BODY(disabled_and_external_profiles_are_unrestricted, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"disabled\"}", &p);
	ATF_CHECK_EQ(FS_UNRESTRICTED, p.fs);
	ATF_CHECK(p.network);
	ATF_CHECK_EQ(0, p.n);
	policy_free(&p);

	parse_ok("{\"type\":\"external\",\"network\":\"restricted\"}", &p);
	ATF_CHECK_EQ(FS_UNRESTRICTED, p.fs);
	ATF_CHECK(!p.network);
	ATF_CHECK_EQ(0, p.n);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(untagged_legacy_form_is_accepted);
ATF_TC_BODY(untagged_legacy_form_is_accepted, tc)
{
	struct policy p;

	parse_ok("{\"network\":{\"enabled\":true},\"file_system\":{\"entries\":["
	    ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\"},\"access\":\"write\"}]}}", &p);
	ATF_CHECK_EQ(FS_RESTRICTED, p.fs);
	ATF_CHECK(p.network);
	ATF_CHECK_EQ(2, p.n);
	check_entry(&p, 0, TARGET_SPECIAL, SPECIAL_ROOT, NULL, ACCESS_READ, false);
	check_entry(&p, 1, TARGET_PATH, 0, "/ws", ACCESS_WRITE, false);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(unrestricted_file_system_has_no_entries);
ATF_TC_BODY(unrestricted_file_system_has_no_entries, tc)
{
	struct policy p;

	parse_ok("{\"type\":\"managed\",\"file_system\":{\"type\":\"unrestricted\"},"
	    "\"network\":\"enabled\"}", &p);
	ATF_CHECK_EQ(FS_UNRESTRICTED, p.fs);
	ATF_CHECK(p.network);
	ATF_CHECK_EQ(0, p.n);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(input_that_is_not_a_json_object_is_rejected);
ATF_TC_BODY(input_that_is_not_a_json_object_is_rejected, tc)
{
	check_bad("{\"type\":\"managed\",,}", "invalid JSON", NULL);
	check_bad("{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\"",
	    "invalid JSON", NULL);
	check_bad("", "invalid JSON", NULL);
	check_bad("[\"managed\"]", "expected a JSON object", NULL);
	check_bad("\"managed\"", "permission profile", NULL);
}

ATF_TC_WITHOUT_HEAD(unknown_field_or_type_is_named);
ATF_TC_BODY(unknown_field_or_type_is_named, tc)
{
	check_bad("{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"entries\":[]},\"sandbox\":1}", "unknown field", "\"sandbox\"", NULL);
	check_bad("{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"entries\":[],\"extra\":true}}", "file_system", "unknown field", "\"extra\"", NULL);
	check_bad("{\"type\":\"locked\"}", "profile.type", "\"locked\"", NULL);
	check_bad("{\"type\":\"managed\",\"file_system\":{\"type\":\"sealed\","
	    "\"entries\":[]}}", "file_system", "\"sealed\"", NULL);
}

ATF_TC_WITHOUT_HEAD(bad_entry_path_is_named);
ATF_TC_BODY(bad_entry_path_is_named, tc)
{
	check_bad_entries(ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"path\",\"path\":\"ws/src\"},\"access\":\"read\"}",
	    "entries[1].path", "not absolute", NULL);
	check_bad_entries(ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"home\"}},\"access\":\"read\"}",
	    "entries[1].path", "\"home\"", NULL);
	check_bad_entries(
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"tmpdir\","
	    "\"subpath\":\"x\"}},\"access\":\"write\"}",
	    "entries[0].path", "subpath", NULL);
	check_bad_entries(
	    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"project_roots\","
	    "\"subpath\":\"/etc\"}},\"access\":\"write\"}",
	    "entries[0].path", "subpath", NULL);
	check_bad_entries(
	    "{\"path\":{\"type\":\"url\",\"path\":\"/x\"},\"access\":\"read\"}",
	    "entries[0].path", "\"url\"", NULL);
}

ATF_TC_WITHOUT_HEAD(bad_entry_access_is_named);
ATF_TC_BODY(bad_entry_access_is_named, tc)
{
	check_bad_entries(ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\"},\"access\":\"rw\"}",
	    "entries[1]", "access", "\"rw\"", NULL);
	check_bad_entries(ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"/ws/*.env\"},\"access\":\"read\"}",
	    "entries[1]", "glob_pattern", "deny", NULL);
	check_bad_entries(
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\"}}",
	    "entries[0]", "missing field \"access\"", NULL);
}

ATF_TC_WITHOUT_HEAD(missing_path_behavior_must_be_skip);
ATF_TC_BODY(missing_path_behavior_must_be_skip, tc)
{
	check_bad_entries(ENT_ROOT_READ ","
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\"},\"access\":\"write\","
	    "\"missing_path_behavior\":\"error\"}",
	    "entries[1]", "missing_path_behavior", "\"error\"", NULL);
}

ATF_TC_WITHOUT_HEAD(bad_file_system_or_network_shape_is_named);
ATF_TC_BODY(bad_file_system_or_network_shape_is_named, tc)
{
	check_bad("{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"entries\":{}}}", "file_system", "\"entries\"", "array", NULL);
	check_bad("{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"glob_scan_max_depth\":0,\"entries\":[]}}", "glob_scan_max_depth", NULL);
	check_bad("{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"entries\":[]},\"network\":\"maybe\"}", "network", "\"maybe\"", NULL);
}

ATF_TC_WITHOUT_HEAD(nul_byte_in_string_is_rejected);
ATF_TC_BODY(nul_byte_in_string_is_rejected, tc)
{
	char *json = managed(
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\\u0000/etc\"},\"access\":\"write\"}");

	check_bad(json, "\\u0000", NULL);
	free(json);
}

ATF_TC_WITHOUT_HEAD(nul_byte_in_a_string_is_rejected_with_its_position);
ATF_TC_BODY(nul_byte_in_a_string_is_rejected_with_its_position, tc)
{
	/* A NUL would cut a path short; jansson refuses it while parsing, naming the column. */
	char *json = managed(
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\\u0000/etc\"},\"access\":\"write\"}");

	check_bad(json, "invalid JSON", "column", NULL);
	free(json);
}

ATF_TC_WITHOUT_HEAD(error_message_is_one_line);
ATF_TC_BODY(error_message_is_one_line, tc)
{
	/* The JSON escape puts a real newline and carriage return into the value. */
	check_bad_entries(
	    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\"},\"access\":\"re\\nad\\r\"}",
	    "entries[0]", "access", NULL);
	check_bad("{\n\"type\":\n\"managed\",\n\"bogus\\nkey\\r\":1}", "unknown field", NULL);
	check_bad("{\n\"type\":\n", "invalid JSON", NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, read_only_profile_grants_root_read);
	ATF_TP_ADD_TC(tp, workspace_write_profile_keeps_entries_in_order);
	ATF_TP_ADD_TC(tp, none_access_is_an_alias_of_deny);
	ATF_TP_ADD_TC(tp, project_roots_takes_subpath_and_cwd_alias);
	ATF_TP_ADD_TC(tp, deny_glob_and_scan_depth_are_kept);
	ATF_TP_ADD_TC(tp, disabled_and_external_profiles_are_unrestricted);
	ATF_TP_ADD_TC(tp, untagged_legacy_form_is_accepted);
	ATF_TP_ADD_TC(tp, unrestricted_file_system_has_no_entries);
	ATF_TP_ADD_TC(tp, input_that_is_not_a_json_object_is_rejected);
	ATF_TP_ADD_TC(tp, unknown_field_or_type_is_named);
	ATF_TP_ADD_TC(tp, bad_entry_path_is_named);
	ATF_TP_ADD_TC(tp, bad_entry_access_is_named);
	ATF_TP_ADD_TC(tp, missing_path_behavior_must_be_skip);
	ATF_TP_ADD_TC(tp, bad_file_system_or_network_shape_is_named);
	ATF_TP_ADD_TC(tp, nul_byte_in_string_is_rejected);
	ATF_TP_ADD_TC(tp, nul_byte_in_a_string_is_rejected_with_its_position);
	ATF_TP_ADD_TC(tp, error_message_is_one_line);
	return atf_no_error();
}
