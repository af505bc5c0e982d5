/* The first line of a .git pointer file: gitdir_parse. */
#include <atf-c.h>
#include <stdlib.h>

#include "rules.h"

static void
check_gitdir(const char *line, const char *want)
{
	char *got = gitdir_parse(line);

	if (want == NULL)
		ATF_CHECK_MSG(got == NULL, "gitdir_parse(\"%s\") = \"%s\", want NULL", line, got);
	else
		ATF_CHECK_STREQ_MSG(want, got == NULL ? "(null)" : got, "gitdir_parse(\"%s\")", line);
	free(got);
}

ATF_TC_WITHOUT_HEAD(absolute_gitdir_is_returned);
ATF_TC_BODY(absolute_gitdir_is_returned, tc)
{
	check_gitdir("gitdir: /x/y", "/x/y");
	check_gitdir("gitdir:/x/y", "/x/y");
}

ATF_TC_WITHOUT_HEAD(spaces_and_carriage_return_are_trimmed);
ATF_TC_BODY(spaces_and_carriage_return_are_trimmed, tc)
{
	check_gitdir("  gitdir:   /repo/.git/worktrees/a  ", "/repo/.git/worktrees/a");
	check_gitdir("gitdir: /x/y\r", "/x/y");
	check_gitdir("\tgitdir:\t/x/y \t\r", "/x/y");
}

ATF_TC_WITHOUT_HEAD(empty_gitdir_gives_null);
ATF_TC_BODY(empty_gitdir_gives_null, tc)
{
	check_gitdir("gitdir:", NULL);
	check_gitdir("gitdir:   \r", NULL);
}

ATF_TC_WITHOUT_HEAD(line_not_starting_with_gitdir_gives_null);
ATF_TC_BODY(line_not_starting_with_gitdir_gives_null, tc)
{
	check_gitdir("", NULL);
	check_gitdir("ref: refs/heads/main", NULL);
	check_gitdir("gitdir /x/y", NULL);
	check_gitdir("# gitdir: /x/y", NULL);
	check_gitdir("GITDIR: /x/y", NULL);
}

ATF_TC_WITHOUT_HEAD(relative_gitdir_stays_relative);
ATF_TC_BODY(relative_gitdir_stays_relative, tc)
{
	check_gitdir("gitdir: ../real.git", "../real.git");
	check_gitdir("gitdir: .git/modules/sub", ".git/modules/sub");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, absolute_gitdir_is_returned);
	ATF_TP_ADD_TC(tp, spaces_and_carriage_return_are_trimmed);
	ATF_TP_ADD_TC(tp, empty_gitdir_gives_null);
	ATF_TP_ADD_TC(tp, line_not_starting_with_gitdir_gives_null);
	ATF_TP_ADD_TC(tp, relative_gitdir_stays_relative);
	return atf_no_error();
}
