/* Lexical path helpers. */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "util.h"

static void
check_norm(const char *in, const char *want)
{
	char *got = path_normalize(in);

	ATF_CHECK_STREQ_MSG(want, got, "normalize(%s)", in);
	free(got);
}

ATF_TC_WITHOUT_HEAD(normalize_collapses_dots_and_slashes);
ATF_TC_BODY(normalize_collapses_dots_and_slashes, tc)
{
	check_norm("/", "/");
	check_norm("//a//b/", "/a/b");
	check_norm("/a/./b/../c", "/a/c");
	check_norm("/../..", "/");
	check_norm("/a/b/../../..", "/");
	ATF_CHECK(path_normalize("rel/path") == NULL);
}

ATF_TC_WITHOUT_HEAD(depth_counts_components);
ATF_TC_BODY(depth_counts_components, tc)
{
	ATF_CHECK_EQ(0, path_depth("/"));
	ATF_CHECK_EQ(1, path_depth("/a"));
	ATF_CHECK_EQ(3, path_depth("/a/b/c"));
}

ATF_TC_WITHOUT_HEAD(is_under_respects_component_boundaries);
ATF_TC_BODY(is_under_respects_component_boundaries, tc)
{
	ATF_CHECK(path_is_under("/repo/a", "/repo"));
	ATF_CHECK(path_is_under("/repo", "/repo"));
	ATF_CHECK(!path_is_under("/repository", "/repo"));
	ATF_CHECK(path_is_under("/anything", "/"));
}

ATF_TC_WITHOUT_HEAD(join_resolves_relative_against_base);
ATF_TC_BODY(join_resolves_relative_against_base, tc)
{
	char *j = path_join("/ws", "../other/./x");

	ATF_CHECK_STREQ("/other/x", j);
	free(j);
	j = path_join("/ws", "/abs");
	ATF_CHECK_STREQ("/abs", j);
	free(j);
}

/* The planner's set of paths: each kept once, all found again after the table grows. */
ATF_TC_WITHOUT_HEAD(strset_keeps_each_path_once_through_growth);
ATF_TC_BODY(strset_keeps_each_path_once_through_growth, tc)
{
	struct strset ss = { 0 };
	char p[64];

	ATF_CHECK(!strset_has(&ss, "/a"));
	for (int i = 0; i < 1000; i++) {
		snprintf(p, sizeof(p), "/ws/%d/.codex", i);
		ATF_CHECK(strset_add(&ss, p));
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(p, sizeof(p), "/ws/%d/.codex", i);
		ATF_CHECK(strset_has(&ss, p));
		ATF_CHECK(!strset_add(&ss, p));
	}
	ATF_CHECK_EQ(1000, ss.n);
	ATF_CHECK(!strset_has(&ss, "/ws/1000/.codex"));
	strset_free(&ss);
	ATF_CHECK(!strset_has(&ss, "/ws/1/.codex"));
}

static char *
joined(const char *name, const char *search, const char *cwd)
{
	struct strv sv = { 0 };
	size_t len = 1;
	char *out;

	path_exec_candidates(name, search, cwd, &sv);
	for (size_t i = 0; i < sv.n; i++)
		len += strlen(sv.v[i]) + 1;
	out = xcalloc(len, 1);
	for (size_t i = 0; i < sv.n; i++) {
		strcat(out, sv.v[i]);
		strcat(out, i + 1 < sv.n ? " " : "");
	}
	strv_free(&sv);
	return out;
}

/* The files execvp tries: every PATH entry in order, an empty one being the cwd. */
ATF_TC_WITHOUT_HEAD(exec_candidates_follow_path_as_execvp_does);
ATF_TC_BODY(exec_candidates_follow_path_as_execvp_does, tc)
{
	char *got;

	got = joined("ls", "/usr/bin::/bin", "/ws");
	ATF_CHECK_STREQ("/usr/bin/ls /ws/ls /bin/ls", got);
	free(got);
	got = joined("ls", ":/bin", NULL);
	ATF_CHECK_STREQ("ls /bin/ls", got);
	free(got);
	got = joined("ls", NULL, "/ws");
	ATF_CHECK_STREQ("/bin/ls /usr/bin/ls", got);
	free(got);
	got = joined("sub/x", "/bin", "/ws");
	ATF_CHECK_STREQ("/ws/sub/x", got);
	free(got);
	got = joined("/opt/x", "/bin", "/ws");
	ATF_CHECK_STREQ("/opt/x", got);
	free(got);
	got = joined("", "/bin", "/ws");
	ATF_CHECK_STREQ("", got);
	free(got);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, exec_candidates_follow_path_as_execvp_does);
	ATF_TP_ADD_TC(tp, strset_keeps_each_path_once_through_growth);
	ATF_TP_ADD_TC(tp, normalize_collapses_dots_and_slashes);
	ATF_TP_ADD_TC(tp, depth_counts_components);
	ATF_TP_ADD_TC(tp, is_under_respects_component_boundaries);
	ATF_TP_ADD_TC(tp, join_resolves_relative_against_base);
	return atf_no_error();
}
