/* Small string helpers: quoting a word for a shell (explain --argv-line), joining paths. */
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

static void
check_join(const char *a, const char *sep, const char *b, size_t n, const char *want)
{
	char *got = xjoin(a, sep, b, n);

	ATF_CHECK_STREQ_MSG(got, want, "xjoin(%s, %s, %s, %zu)", a, sep, b, n);
	free(got);
}

ATF_TC_WITHOUT_HEAD(join_takes_n_bytes_of_the_last_part);
ATF_TC_BODY(join_takes_n_bytes_of_the_last_part, tc)
{
	check_join("/ws", "/", "src", 3, "/ws/src");
	check_join("/ws", "/", "src/lib", 3, "/ws/src");
	check_join("/", "", "tmp", 3, "/tmp");
	check_join("", "", "", 0, "");
	check_join("/a", "/", "b", 0, "/a/");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, safe_words_stay_as_they_are);
	ATF_TP_ADD_TC(tp, other_words_are_single_quoted);
	ATF_TP_ADD_TC(tp, join_takes_n_bytes_of_the_last_part);
	return atf_no_error();
}
