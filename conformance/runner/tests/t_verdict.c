/* The conformance runner's verdicts, checks and the oracle: pure functions, judged here. */
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "oracle.h"
#include "runner.h"

static int
judge(const char *expect, int is_probe, const char *text, int status, char *why)
{
	struct conf_output o = { .status = status, .text = (char *)text };

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

ATF_TC_WITHOUT_HEAD(expect_any_shows_the_result_without_judging_it);
ATF_TC_BODY(expect_any_shows_the_result_without_judging_it, tc)
{
	char why[256];

	ATF_CHECK_EQ(1, judge("any", 1, "PROBE fd-chmod ok\n", EXITED(0), why));
	ATF_CHECK_STREQ("not judged: PROBE fd-chmod ok", why);
	ATF_CHECK_EQ(1, judge("any", 0, "", EXITED(3), why));
	ATF_CHECK_STREQ("not judged: exit 3; output: ", why);
	/* An adapter that cannot express the case still skips it. */
	ATF_CHECK_EQ(-1, judge("any", 1, "SKIP: no tty\n", EXITED(77), why));
}

static int
check(const char *line, const struct conf_snap *b, const struct conf_snap *a, char *why)
{
	struct conf_check c;
	char err[256];

	ATF_REQUIRE_EQ_MSG(0, conf_check_parse(line, &c, err, sizeof(err)), "%s", err);
	return conf_check_judge(&c, b, a, why, 512);
}

static struct conf_snap
file_snap(mode_t mode, const char *data)
{
	struct conf_snap s;

	memset(&s, 0, sizeof(s));
	s.mode = mode;
	s.data = (char *)data;
	s.len = strlen(data);
	s.size = (off_t)s.len;
	return s;
}

ATF_TC_WITHOUT_HEAD(check_lines_parse_or_say_why_not);
ATF_TC_BODY(check_lines_parse_or_say_why_not, tc)
{
	static const char *const bad[] = {
		"unchanged", "appended ", "tty now", "fifo-empty x", "key NAME", "key",
		"changed @OUT@/log", "",
	};
	struct conf_check c;
	char err[256];

	ATF_REQUIRE_EQ(0, conf_check_parse("unchanged @OUT@/my log", &c, err, sizeof(err)));
	ATF_CHECK_EQ(CONF_CHECK_UNCHANGED, c.kind);
	ATF_CHECK_STREQ("@OUT@/my log", c.arg);
	ATF_REQUIRE_EQ(0, conf_check_parse("key secret two words", &c, err, sizeof(err)));
	ATF_CHECK_EQ(CONF_CHECK_KEY, c.kind);
	ATF_CHECK_STREQ("secret", c.arg);
	ATF_CHECK_STREQ("two words", c.value);
	ATF_REQUIRE_EQ(0, conf_check_parse("fifo-empty", &c, err, sizeof(err)));
	ATF_CHECK_EQ(CONF_CHECK_FIFO_EMPTY, c.kind);
	ATF_REQUIRE_EQ(0, conf_check_parse("tty", &c, err, sizeof(err)));
	ATF_CHECK_EQ(CONF_CHECK_TTY, c.kind);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ATF_CHECK_EQ_MSG(-1, conf_check_parse(bad[i], &c, err, sizeof(err)), "%s", bad[i]);
		ATF_CHECK_MSG(strncmp(err, "check \"", 7) == 0, "%s: %s", bad[i], err);
	}
}

ATF_TC_WITHOUT_HEAD(stdio_lines_parse_or_say_why_not);
ATF_TC_BODY(stdio_lines_parse_or_say_why_not, tc)
{
	static const char *const good[] = { "1 file @OUT@/log", "0 tty", "2 tty", "3 dir d",
		"9 fifo f", NULL };
	static const char *const bad[][3] = {
		{ "10 file x", NULL }, { "1 tty x", NULL }, { "1 file", NULL }, { "1 pipe x", NULL },
		{ "x file y", NULL }, { "1 file a", "1 dir b", NULL },
	};
	struct conf_stdio s;
	char err[256];

	ATF_REQUIRE_EQ(0, conf_stdio_parse(good, &s, err, sizeof(err)));
	ATF_CHECK_EQ(CONF_IO_FILE, s.kind[1]);
	ATF_CHECK_STREQ("@OUT@/log", s.path[1]);
	ATF_CHECK_EQ(CONF_IO_TTY, s.kind[0]);
	ATF_CHECK_EQ(CONF_IO_DIR, s.kind[3]);
	ATF_CHECK_EQ(CONF_IO_FIFO, s.kind[9]);
	ATF_CHECK_EQ(CONF_IO_DEFAULT, s.kind[4]);
	ATF_CHECK(s.tty);
	ATF_REQUIRE_EQ(0, conf_stdio_parse(NULL, &s, err, sizeof(err)));
	ATF_CHECK(!s.tty);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_EQ_MSG(-1, conf_stdio_parse(bad[i], &s, err, sizeof(err)), "%s", bad[i][0]);
}

ATF_TC_WITHOUT_HEAD(unchanged_compares_type_mode_size_content_entries);
ATF_TC_BODY(unchanged_compares_type_mode_size_content_entries, tc)
{
	struct conf_snap b = file_snap(S_IFREG | 0644, "hello\n"), a = b, gone;
	char why[512];

	ATF_CHECK_EQ(1, check("unchanged @OUT@/log", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged @OUT@/log: holds", why);
	a.mode = S_IFREG | 0777;
	ATF_CHECK_EQ(0, check("unchanged @OUT@/log", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged @OUT@/log: mode 0644 -> 0777", why);
	a = file_snap(S_IFREG | 0644, "");
	ATF_CHECK_EQ(0, check("unchanged f", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged f: size 6 -> 0", why);
	a = file_snap(S_IFREG | 0644, "hellO\n");
	ATF_CHECK_EQ(0, check("unchanged f", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged f: content changed at byte 4", why);
	a = file_snap(S_IFLNK | 0777, "/etc/passwd");
	ATF_CHECK_EQ(0, check("unchanged f", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged f: type file -> symlink", why);
	gone = file_snap(0, "");
	gone.err = ENOENT;
	ATF_CHECK_EQ(0, check("unchanged f", &b, &gone, why));
	ATF_CHECK_STREQ("check unchanged f: removed (ENOENT)", why);
	ATF_CHECK_EQ(0, check("unchanged f", &gone, &b, why));
	ATF_CHECK_STREQ("check unchanged f: created (file 0644)", why);
	ATF_CHECK_EQ(1, check("unchanged f", &gone, &gone, why));

	b = file_snap(S_IFDIR | 0755, "a\nc\n");
	a = file_snap(S_IFDIR | 0755, "a\nb\nc\n");
	ATF_CHECK_EQ(1, check("unchanged d", &b, &b, why));
	ATF_CHECK_EQ(0, check("unchanged d", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged d: entries changed (+b)", why);
	a = file_snap(S_IFDIR | 0700, "c\nevil\n");
	ATF_CHECK_EQ(0, check("unchanged d", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged d: mode 0755 -> 0700; entries changed (-a +evil)", why);

	/* A FIFO: type and mode only. */
	b = file_snap(S_IFIFO | 0644, "");
	a = b;
	a.size = 3;
	ATF_CHECK_EQ(1, check("unchanged p", &b, &a, why));
	a.mode = S_IFIFO | 0666;
	ATF_CHECK_EQ(0, check("unchanged p", &b, &a, why));
	ATF_CHECK_STREQ("check unchanged p: mode 0644 -> 0666", why);
}

ATF_TC_WITHOUT_HEAD(appended_allows_growth_at_the_end_only);
ATF_TC_BODY(appended_allows_growth_at_the_end_only, tc)
{
	struct conf_snap b = file_snap(S_IFREG | 0644, "line 1\n"), a, none;
	char why[512];

	a = file_snap(S_IFREG | 0644, "line 1\nline 2\n");
	ATF_CHECK_EQ(1, check("appended log", &b, &a, why));
	ATF_CHECK_EQ(1, check("appended log", &b, &b, why));
	a = file_snap(S_IFREG | 0644, "X");
	ATF_CHECK_EQ(0, check("appended log", &b, &a, why));
	ATF_CHECK_STREQ("check appended log: size 7 -> 1 (shrank)", why);
	a = file_snap(S_IFREG | 0644, "Xine 1\n");
	ATF_CHECK_EQ(0, check("appended log", &b, &a, why));
	ATF_CHECK_STREQ("check appended log: old content rewritten at byte 0", why);
	a = file_snap(S_IFREG | 0600, "line 1\nmore\n");
	ATF_CHECK_EQ(0, check("appended log", &b, &a, why));
	ATF_CHECK_STREQ("check appended log: mode 0644 -> 0600", why);
	/* Created during the run: it grew from nothing. */
	none = file_snap(0, "");
	none.err = ENOENT;
	ATF_CHECK_EQ(1, check("appended log", &none, &a, why));
	a = file_snap(S_IFLNK | 0777, "/etc/shadow");
	ATF_CHECK_EQ(0, check("appended log", &none, &a, why));
	ATF_CHECK_EQ(0, check("appended log", &b, &none, why));
	ATF_CHECK_STREQ("check appended log: removed (ENOENT)", why);
}

ATF_TC_WITHOUT_HEAD(exists_and_missing_look_at_the_end_only);
ATF_TC_BODY(exists_and_missing_look_at_the_end_only, tc)
{
	struct conf_snap there = file_snap(S_IFLNK | 0777, "dangling"), gone = file_snap(0, "");
	char why[512];

	gone.err = ENOENT;
	ATF_CHECK_EQ(1, check("exists l", &gone, &there, why));
	ATF_CHECK_EQ(0, check("exists l", &there, &gone, why));
	ATF_CHECK_STREQ("check exists l: missing (ENOENT)", why);
	ATF_CHECK_EQ(1, check("missing l", &there, &gone, why));
	ATF_CHECK_EQ(0, check("missing l", &gone, &there, why));
	ATF_CHECK_STREQ("check missing l: exists (symlink 0777)", why);
	gone.err = EACCES;
	ATF_CHECK_EQ(0, check("missing l", &there, &gone, why));
	ATF_CHECK_STREQ("check missing l: cannot tell (EACCES)", why);
}

static struct conf_snap
tty_snap(void)
{
	struct conf_snap s;

	memset(&s, 0, sizeof(s));
	s.tio.c_iflag = ICRNL | IXON;
	s.tio.c_oflag = OPOST | ONLCR;
	s.tio.c_cflag = CS8 | CREAD | B38400;
	s.tio.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN;
	s.tio.c_cc[VMIN] = 1;
	s.ws.ws_row = 24;
	s.ws.ws_col = 80;
	return s;
}

ATF_TC_WITHOUT_HEAD(tty_names_flags_window_and_signals);
ATF_TC_BODY(tty_names_flags_window_and_signals, tc)
{
	struct conf_snap b = tty_snap(), a = tty_snap();
	char why[512];

	ATF_CHECK_EQ(1, check("tty", &b, &a, why));
	a.tio.c_lflag &= ~(tcflag_t)ECHO;
	strcpy(a.signals, "SIGWINCH\n");
	ATF_CHECK_EQ(0, check("tty", &b, &a, why));
	ATF_CHECK_STREQ("check tty: lflag changed (ECHO cleared); victim got SIGWINCH", why);

	a = tty_snap();
	cfmakeraw(&a.tio);
	a.tio.c_lflag |= TOSTOP;
	a.ws.ws_row = 10;
	a.tio.c_cc[VMIN] = 0;
	a.excl = 1;
	strcpy(a.signals, "SIGWINCH\nSIGTTOU\nSIGWINCH\n");
	ATF_CHECK_EQ(0, check("tty", &b, &a, why));
	ATF_CHECK_STREQ("check tty: iflag changed (ICRNL IXON cleared); oflag changed (OPOST "
	    "cleared); lflag changed (ISIG ICANON ECHO IEXTEN cleared, TOSTOP set); "
	    "c_cc changed (VMIN 1 -> 0); window 24x80 -> 10x80; made exclusive (TIOCEXCL); "
	    "victim got SIGWINCH, SIGTTOU", why);

	/* A signal alone fails too: the victim's terminal is its job control. */
	a = tty_snap();
	strcpy(a.signals, "SIGINT\n");
	ATF_CHECK_EQ(0, check("tty", &b, &a, why));
	ATF_CHECK_STREQ("check tty: victim got SIGINT", why);
	a = tty_snap();
	a.tty_err = EIO;
	ATF_CHECK_EQ(0, check("tty", &b, &a, why));
	ATF_CHECK_STREQ("check tty: cannot read the terminal (EIO)", why);
}

ATF_TC_WITHOUT_HEAD(key_holds_its_value_and_the_keyring_its_keys);
ATF_TC_BODY(key_holds_its_value_and_the_keyring_its_keys, tc)
{
	struct conf_snap b, a;
	char why[512];

	memset(&b, 0, sizeof(b));
	strcpy(b.key, "hunter2");
	b.key_len = 7;
	b.keys[0] = 100;
	b.nkeys = 1;
	a = b;
	ATF_CHECK_EQ(1, check("key secret hunter2", &b, &a, why));
	ATF_CHECK_EQ(0, check("key secret hunter3", &b, &a, why));
	ATF_CHECK_STREQ("check key secret hunter3: value \"hunter3\" -> \"hunter2\"", why);
	strcpy(a.key, "pwned");
	a.key_len = 5;
	ATF_CHECK_EQ(0, check("key secret hunter2", &b, &a, why));
	ATF_CHECK_STREQ("check key secret hunter2: value \"hunter2\" -> \"pwned\"", why);
	a = b;
	a.keys[1] = 200;
	a.nkeys = 2;
	ATF_CHECK_EQ(0, check("key secret hunter2", &b, &a, why));
	ATF_CHECK_STREQ("check key secret hunter2: keyring 1 -> 2 keys (+200)", why);
	a.key_err = ENOKEY;
	a.keys[0] = 200;
	a.nkeys = 1;
	ATF_CHECK_EQ(0, check("key secret hunter2", &b, &a, why));
	ATF_CHECK_STREQ("check key secret hunter2: key secret not found (ENOKEY); "
	    "keyring 1 -> 1 keys (+200 -100)", why);
}

ATF_TC_WITHOUT_HEAD(fifo_empty_counts_what_arrived);
ATF_TC_BODY(fifo_empty_counts_what_arrived, tc)
{
	struct conf_snap b, a;
	char why[512];

	memset(&b, 0, sizeof(b));
	a = b;
	ATF_CHECK_EQ(1, check("fifo-empty", &b, &a, why));
	a.fifo_bytes = 1;
	ATF_CHECK_EQ(0, check("fifo-empty", &b, &a, why));
	ATF_CHECK_STREQ("check fifo-empty: 1 byte arrived", why);
}

ATF_TC_WITHOUT_HEAD(verdict_needs_the_expectation_and_every_check);
ATF_TC_BODY(verdict_needs_the_expectation_and_every_check, tc)
{
	const char *chk = "check tty: victim got SIGWINCH";
	char why[512];

	/* No checks: exactly the expectation's verdict and evidence, as before. */
	ATF_CHECK_EQ(1, conf_verdict(1, "PROBE a ok", NULL, 0, why, sizeof(why)));
	ATF_CHECK_STREQ("PROBE a ok", why);
	ATF_CHECK_EQ(0, conf_verdict(0, "PROBE a ok", NULL, 0, why, sizeof(why)));
	ATF_CHECK_EQ(1, conf_verdict(1, "PROBE a ok", NULL, 2, why, sizeof(why)));
	ATF_CHECK_STREQ("PROBE a ok; 2 checks hold", why);
	/* The failing check comes first: it is the news. */
	ATF_CHECK_EQ(0, conf_verdict(1, "PROBE a ok", chk, 2, why, sizeof(why)));
	ATF_CHECK_STREQ("check tty: victim got SIGWINCH; PROBE a ok", why);
	ATF_CHECK_EQ(0, conf_verdict(0, "PROBE a ok", chk, 2, why, sizeof(why)));
	ATF_CHECK_STREQ("PROBE a ok; and check tty: victim got SIGWINCH", why);
	ATF_CHECK_EQ(-1, conf_verdict(-1, "cannot", NULL, 0, why, sizeof(why)));
	ATF_CHECK_STREQ("cannot", why);
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
	ATF_TP_ADD_TC(tp, expect_any_shows_the_result_without_judging_it);
	ATF_TP_ADD_TC(tp, check_lines_parse_or_say_why_not);
	ATF_TP_ADD_TC(tp, stdio_lines_parse_or_say_why_not);
	ATF_TP_ADD_TC(tp, unchanged_compares_type_mode_size_content_entries);
	ATF_TP_ADD_TC(tp, appended_allows_growth_at_the_end_only);
	ATF_TP_ADD_TC(tp, exists_and_missing_look_at_the_end_only);
	ATF_TP_ADD_TC(tp, tty_names_flags_window_and_signals);
	ATF_TP_ADD_TC(tp, key_holds_its_value_and_the_keyring_its_keys);
	ATF_TP_ADD_TC(tp, fifo_empty_counts_what_arrived);
	ATF_TP_ADD_TC(tp, verdict_needs_the_expectation_and_every_check);
	ATF_TP_ADD_TC(tp, oracle_most_specific_entry_wins);
	ATF_TP_ADD_TC(tp, oracle_ties_go_deny_write_read);
	ATF_TP_ADD_TC(tp, oracle_git_under_a_writable_entry_is_read_only);
	ATF_TP_ADD_TC(tp, oracle_generation_is_reproducible);
	return atf_no_error();
}
