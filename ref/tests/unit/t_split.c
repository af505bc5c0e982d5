/* Split policies: policy_parse_split(file-system JSON, network JSON). */
#include <atf-c.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static const char fs_kind[] =
    "{\"kind\":\"restricted\",\"entries\":["
    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"},"
    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\"},\"access\":\"write\"}]}";

static const char fs_type[] =
    "{\"type\":\"restricted\",\"entries\":["
    "{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"},"
    "{\"path\":{\"type\":\"path\",\"path\":\"/ws\"},\"access\":\"write\"}]}";

static void
parse_ok(const char *fs, const char *net, struct policy *p)
{
	char err[512] = "";

	if (policy_parse_split(fs, net, p, err, sizeof(err)) != 0)
		atf_tc_fail("policy_parse_split(%s, %s) failed: %s", fs,
		    net ? net : "NULL", err);
}

/* Both sample file-system policies hold root read and /ws write. */
static void
check_two_entries(const struct policy *p)
{
	ATF_CHECK_EQ(FS_RESTRICTED, p->fs);
	ATF_REQUIRE_EQ(2, p->n);
	ATF_CHECK_EQ(TARGET_SPECIAL, p->entries[0].target);
	ATF_CHECK_EQ(SPECIAL_ROOT, p->entries[0].special);
	ATF_CHECK_EQ(ACCESS_READ, p->entries[0].access);
	ATF_CHECK_EQ(TARGET_PATH, p->entries[1].target);
	ATF_CHECK_STREQ("/ws", p->entries[1].path);
	ATF_CHECK_EQ(ACCESS_WRITE, p->entries[1].access);
}

static void
check_bad(const char *fs, const char *net, const char *want)
{
	struct policy p;
	char err[512];

	memset(err, 0, sizeof(err));
	if (policy_parse_split(fs, net, &p, err, sizeof(err)) != -1) {
		atf_tc_fail_nonfatal("accepted: %s / %s", fs, net ? net : "NULL");
		policy_free(&p);
		return;
	}
	ATF_CHECK_MSG(p.n == 0 && p.entries == NULL, "policy not emptied");
	ATF_CHECK_MSG(strchr(err, '\n') == NULL, "error is not one line: %s", err);
	ATF_CHECK_MSG(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"", err, want);
}

ATF_TC_WITHOUT_HEAD(kind_and_type_tags_are_both_accepted);
ATF_TC_BODY(kind_and_type_tags_are_both_accepted, tc)
{
	struct policy p;

	parse_ok(fs_kind, "\"restricted\"", &p);
	check_two_entries(&p);
	ATF_CHECK(!p.network);
	policy_free(&p);

	parse_ok(fs_type, "\"restricted\"", &p);
	check_two_entries(&p);
	ATF_CHECK(!p.network);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(network_string_and_object_forms);
ATF_TC_BODY(network_string_and_object_forms, tc)
{
	struct policy p;

	parse_ok(fs_kind, "\"enabled\"", &p);
	ATF_CHECK(p.network);
	check_two_entries(&p);
	policy_free(&p);

	parse_ok(fs_kind, "{\"enabled\":false}", &p);
	ATF_CHECK(!p.network);
	policy_free(&p);

	parse_ok(fs_kind, "{\"enabled\":true}", &p);
	ATF_CHECK(p.network);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(null_network_means_restricted);
ATF_TC_BODY(null_network_means_restricted, tc)
{
	struct policy p;

	parse_ok(fs_type, NULL, &p);
	ATF_CHECK(!p.network);
	check_two_entries(&p);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(bad_network_json_is_rejected);
ATF_TC_BODY(bad_network_json_is_rejected, tc)
{
	check_bad(fs_kind, "{\"enabled\":", "network sandbox policy");
	check_bad(fs_kind, "enabled", "invalid JSON");
	check_bad(fs_kind, "\"sometimes\"", "network");
	check_bad(fs_kind, "{\"enabled\":\"yes\"}", "\"enabled\"");
	check_bad(fs_kind, "{\"allowed\":true}", "unknown field");
	check_bad(fs_kind, "3", "network");
}

ATF_TC_WITHOUT_HEAD(bad_file_system_json_is_rejected);
ATF_TC_BODY(bad_file_system_json_is_rejected, tc)
{
	check_bad("{\"kind\":\"restricted\",\"entries\":[", "\"enabled\"",
	    "file-system sandbox policy");
	check_bad("{\"kind\":\"restricted\"}", "\"enabled\"", "\"entries\"");
	check_bad("{\"kind\":\"restricted\",\"entries\":[{\"path\":{\"type\":\"path\","
	    "\"path\":\"/ws\"},\"access\":\"all\"}]}", NULL, "entries[0]");
	check_bad("{\"kind\":\"partial\",\"entries\":[]}", NULL, "\"partial\"");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, kind_and_type_tags_are_both_accepted);
	ATF_TP_ADD_TC(tp, network_string_and_object_forms);
	ATF_TP_ADD_TC(tp, null_network_means_restricted);
	ATF_TP_ADD_TC(tp, bad_network_json_is_rejected);
	ATF_TP_ADD_TC(tp, bad_file_system_json_is_rejected);
	return atf_no_error();
}
