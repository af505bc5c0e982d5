/* The conformance runner's verdicts and the oracle: pure functions, judged here. */
#include <atf-c.h>
#include <string.h>
#include <sys/wait.h>

#include "oracle.h"
#include "runner.h"

static int
judge(const char *expect, int is_probe, const char *text, int status, char *why)
{
	struct conf_output o = { status, (char *)text, 0.0 };

	return conf_judge(expect, is_probe, &o, why, 256);
}

#define EXITED(n) ((n) << 8)

ATF_TC_WITHOUT_HEAD(blocked_matches_a_listed_errno);
ATF_TC_BODY(blocked_matches_a_listed_errno, tc)
{
	char why[256];

	ATF_CHECK_EQ(1, judge("blocked EROFS EACCES", 1, "PROBE write errno:EROFS\n", EXITED(0), why));
	ATF_CHECK_STREQ("PROBE write errno:EROFS", why);
	ATF_CHECK_EQ(0, judge("blocked EROFS EACCES", 1, "PROBE write errno:ENOENT\n", EXITED(0), why));
}

ATF_TC_WITHOUT_HEAD(blocked_never_accepts_ok);
ATF_TC_BODY(blocked_never_accepts_ok, tc)
{
	char why[256];

	ATF_CHECK_EQ(0, judge("blocked EPERM", 1, "PROBE sys ok reached=EBADF\n", EXITED(0), why));
}

ATF_TC_WITHOUT_HEAD(errno_names_match_whole_words);
ATF_TC_BODY(errno_names_match_whole_words, tc)
{
	char why[256];

	/* EPERM must not match inside EPERMX, nor EACCES match EACCESS. */
	ATF_CHECK_EQ(0, judge("blocked EPERMX", 1, "PROBE sys errno:EPERM\n", EXITED(0), why));
	ATF_CHECK_EQ(0, judge("blocked EPERM", 1, "PROBE sys errno:EPERMX\n", EXITED(0), why));
}

ATF_TC_WITHOUT_HEAD(allowed_requires_every_token);
ATF_TC_BODY(allowed_requires_every_token, tc)
{
	char why[256];

	ATF_CHECK_EQ(1, judge("allowed value=1", 1, "PROBE status ok value=1\n", EXITED(0), why));
	ATF_CHECK_EQ(0, judge("allowed value=1", 1, "PROBE status ok value=10\n", EXITED(0), why));
	ATF_CHECK_EQ(0, judge("allowed", 1, "PROBE read errno:EACCES\n", EXITED(0), why));
	ATF_CHECK_EQ(0, judge("allowed", 1, "PROBE read okay\n", EXITED(0), why));
}

ATF_TC_WITHOUT_HEAD(no_probe_line_fails_unless_refusal_is_allowed);
ATF_TC_BODY(no_probe_line_fails_unless_refusal_is_allowed, tc)
{
	char why[256];

	ATF_CHECK_EQ(0, judge("blocked EROFS", 1, "cordon: cannot enforce\n", EXITED(1), why));
	ATF_CHECK(strstr(why, "no PROBE line") != NULL);
	ATF_CHECK_EQ(1, judge("blocked EROFS refused", 1, "cordon: cannot enforce\n", EXITED(1), why));
	ATF_CHECK(strstr(why, "refused") != NULL);
	/* A refusal that exits 0 is not a refusal. */
	ATF_CHECK_EQ(0, judge("blocked EROFS refused", 1, "\n", EXITED(0), why));
}

ATF_TC_WITHOUT_HEAD(every_probe_line_of_multi_is_judged);
ATF_TC_BODY(every_probe_line_of_multi_is_judged, tc)
{
	char why[256];

	ATF_CHECK_EQ(1, judge("blocked EPERM", 1, "PROBE a errno:EPERM\nPROBE b errno:EPERM\n", EXITED(0), why));
	ATF_CHECK_EQ(0, judge("blocked EPERM", 1, "PROBE a errno:EPERM\nPROBE b ok\n", EXITED(0), why));
	ATF_CHECK_STREQ("PROBE b ok", why);
}

ATF_TC_WITHOUT_HEAD(run_cases_judge_exit_and_output);
ATF_TC_BODY(run_cases_judge_exit_and_output, tc)
{
	char why[256];

	ATF_CHECK_EQ(1, judge("exit 42", 0, "", EXITED(42), why));
	ATF_CHECK_EQ(0, judge("exit 42", 0, "", EXITED(0), why));
	ATF_CHECK_EQ(1, judge("exit nonzero", 0, "x\n", EXITED(2), why));
	ATF_CHECK_EQ(0, judge("exit nonzero", 0, "x\n", EXITED(0), why));
	ATF_CHECK_EQ(1, judge("output Read-only file system", 0, "touch: Read-only file system\n", EXITED(1), why));
	ATF_CHECK_EQ(0, judge("exit 0", 0, "", -1, why));
	ATF_CHECK(strstr(why, "timed out") != NULL);
}

ATF_TC_WITHOUT_HEAD(adapter_skip_is_a_skip_with_its_reason);
ATF_TC_BODY(adapter_skip_is_a_skip_with_its_reason, tc)
{
	char why[256];

	ATF_CHECK_EQ(-1, judge("allowed", 1, "SKIP: srt cannot express a deny root\n", EXITED(77), why));
	ATF_CHECK_STREQ(" srt cannot express a deny root", why);
	/* Exit 77 without the marker is an ordinary result. */
	ATF_CHECK_EQ(0, judge("allowed", 1, "oops\n", EXITED(77), why));
}

ATF_TC_WITHOUT_HEAD(oracle_most_specific_entry_wins);
ATF_TC_BODY(oracle_most_specific_entry_wins, tc)
{
	struct oracle_policy p;

	memset(&p, 0, sizeof(p));
	strcpy(p.entries[0], "");
	p.access[0] = OR_WRITE;
	strcpy(p.entries[1], "a");
	p.access[1] = OR_DENY;
	strcpy(p.entries[2], "a/b");
	p.access[2] = OR_WRITE;
	p.n = 3;
	ATF_CHECK_EQ(OR_WRITE, oracle_expect(&p, ""));
	ATF_CHECK_EQ(OR_DENY, oracle_expect(&p, "a"));
	ATF_CHECK_EQ(OR_DENY, oracle_expect(&p, "a/c"));
	ATF_CHECK_EQ(OR_WRITE, oracle_expect(&p, "a/b/c"));
	ATF_CHECK_EQ(OR_WRITE, oracle_expect(&p, "c"));
}

ATF_TC_WITHOUT_HEAD(oracle_ties_go_deny_write_read);
ATF_TC_BODY(oracle_ties_go_deny_write_read, tc)
{
	struct oracle_policy p;

	memset(&p, 0, sizeof(p));
	strcpy(p.entries[0], "a");
	p.access[0] = OR_READ;
	strcpy(p.entries[1], "a");
	p.access[1] = OR_WRITE;
	p.n = 2;
	ATF_CHECK_EQ(OR_WRITE, oracle_expect(&p, "a"));
	p.access[0] = OR_DENY;
	ATF_CHECK_EQ(OR_DENY, oracle_expect(&p, "a"));
}

ATF_TC_WITHOUT_HEAD(oracle_git_under_a_writable_entry_is_read_only);
ATF_TC_BODY(oracle_git_under_a_writable_entry_is_read_only, tc)
{
	struct oracle_policy p;

	memset(&p, 0, sizeof(p));
	strcpy(p.entries[0], "");
	p.access[0] = OR_WRITE;
	strcpy(p.entries[1], "a");
	p.access[1] = OR_WRITE;
	p.n = 2;
	strcpy(p.git[0], "a");
	strcpy(p.git[1], "b");	/* b has no entry of its own: its .git is not a root's */
	p.ngit = 2;
	ATF_CHECK_EQ(OR_READ, oracle_expect(&p, "a/.git"));
	ATF_CHECK_EQ(OR_WRITE, oracle_expect(&p, "b/.git"));
}

ATF_TC_WITHOUT_HEAD(oracle_generation_is_reproducible);
ATF_TC_BODY(oracle_generation_is_reproducible, tc)
{
	struct oracle_policy a, b;

	oracle_generate(42, &a);
	oracle_generate(42, &b);
	ATF_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	oracle_generate(43, &b);
	ATF_CHECK(memcmp(&a, &b, sizeof(a)) != 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, blocked_matches_a_listed_errno);
	ATF_TP_ADD_TC(tp, blocked_never_accepts_ok);
	ATF_TP_ADD_TC(tp, errno_names_match_whole_words);
	ATF_TP_ADD_TC(tp, allowed_requires_every_token);
	ATF_TP_ADD_TC(tp, no_probe_line_fails_unless_refusal_is_allowed);
	ATF_TP_ADD_TC(tp, every_probe_line_of_multi_is_judged);
	ATF_TP_ADD_TC(tp, run_cases_judge_exit_and_output);
	ATF_TP_ADD_TC(tp, adapter_skip_is_a_skip_with_its_reason);
	ATF_TP_ADD_TC(tp, oracle_most_specific_entry_wins);
	ATF_TP_ADD_TC(tp, oracle_ties_go_deny_write_read);
	ATF_TP_ADD_TC(tp, oracle_git_under_a_writable_entry_is_read_only);
	ATF_TP_ADD_TC(tp, oracle_generation_is_reproducible);
	return atf_no_error();
}
