/* Small string helpers: quoting a word for a shell (explain --argv-line). */
#include <atf-c.h>
#include <stdlib.h>

#include "util.h"

static void
check_quote(const char *in, const char *want)
{
	char *got = shell_quote(in);

	ATF_CHECK_STREQ_MSG(got, want, "shell_quote(%s)", in);
	free(got);
}

ATF_TC_WITHOUT_HEAD(safe_words_stay_as_they_are);
ATF_TC_BODY(safe_words_stay_as_they_are, tc)
{
	check_quote("--ro-bind", "--ro-bind");
	check_quote("/usr/bin/bwrap", "/usr/bin/bwrap");
	check_quote("a=b,c:d@e%f+g", "a=b,c:d@e%f+g");
}

ATF_TC_WITHOUT_HEAD(other_words_are_single_quoted);
ATF_TC_BODY(other_words_are_single_quoted, tc)
{
	check_quote("", "''");
	check_quote("a b", "'a b'");
	check_quote("$HOME", "'$HOME'");
	check_quote("it's", "'it'\\''s'");
	check_quote("*.env", "'*.env'");
	check_quote("x\ny", "'x\ny'");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, safe_words_stay_as_they_are);
	ATF_TP_ADD_TC(tp, other_words_are_single_quoted);
	return atf_no_error();
}
