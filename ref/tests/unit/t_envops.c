/* The command's environment edits: --clearenv, --setenv, --unsetenv in order. */
#include <atf-c.h>
#include <string.h>

#include "envops.h"

ATF_TC_WITHOUT_HEAD(edits_apply_in_order);
ATF_TC_BODY(edits_apply_in_order, tc)
{
	struct strv ops = { 0 };

	ATF_CHECK_STREQ(envops_value(&ops, "PATH", "/bin"), "/bin");
	strv_push(&ops, "sPATH=/opt/bin");
	ATF_CHECK_STREQ(envops_value(&ops, "PATH", "/bin"), "/opt/bin");
	strv_push(&ops, "c");
	ATF_CHECK(envops_value(&ops, "PATH", "/bin") == NULL);
	strv_push(&ops, "sPATHS=x");
	ATF_CHECK(envops_value(&ops, "PATH", "/bin") == NULL);
	strv_push(&ops, "sPATH=/usr/bin");
	ATF_CHECK_STREQ(envops_value(&ops, "PATH", NULL), "/usr/bin");
	strv_push(&ops, "uPATH");
	ATF_CHECK(envops_value(&ops, "PATH", "/bin") == NULL);
	strv_free(&ops);
}

ATF_TC_WITHOUT_HEAD(names_must_be_names);
ATF_TC_BODY(names_must_be_names, tc)
{
	char err[256];

	ATF_CHECK_EQ(envops_check_name("HOME", err, sizeof(err)), 0);
	ATF_CHECK_EQ(envops_check_name("", err, sizeof(err)), -1);
	ATF_CHECK_EQ(envops_check_name("A=B", err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "A=B") != NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, edits_apply_in_order);
	ATF_TP_ADD_TC(tp, names_must_be_names);
	return atf_no_error();
}
