/* The seccomp programs compiled at build time: the same as libseccomp's, and in force. */
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"

ATF_TC_WITHOUT_HEAD(prebuilt_programs_match_what_libseccomp_builds_now);
ATF_TC_BODY(prebuilt_programs_match_what_libseccomp_builds_now, tc)
{
	char err[256];

	ATF_REQUIRE(filter_prebuilt_n > 0);
	for (size_t m = 0; m < filter_prebuilt_n; m++) {
		struct sock_filter *insns;
		size_t n;

		ATF_REQUIRE_MSG(filter_export_bpf((enum seccomp_mode)m, &insns, &n, err,
		    sizeof(err)) == 0, "%s", err);
		ATF_CHECK_EQ_MSG(n, filter_prebuilt[m].len, "mode %s: %zu instructions now, %u built",
		    seccomp_mode_name((enum seccomp_mode)m), n, filter_prebuilt[m].len);
		if (n == filter_prebuilt[m].len && n > 0)
			ATF_CHECK_MSG(memcmp(insns, filter_prebuilt[m].insns, n * sizeof(*insns)) == 0,
			    "mode %s: the program differs", seccomp_mode_name((enum seccomp_mode)m));
		free(insns);
	}
}

/* A mode added to the enum but not to the generator would run libseccomp's slow path. */
ATF_TC_WITHOUT_HEAD(every_mode_has_a_prebuilt_program);
ATF_TC_BODY(every_mode_has_a_prebuilt_program, tc)
{
	ATF_CHECK_STREQ("?", seccomp_mode_name((enum seccomp_mode)filter_prebuilt_n));
	for (size_t m = 1; m < filter_prebuilt_n; m++)
		ATF_CHECK_MSG(filter_prebuilt[m].len > 0, "mode %s has no program",
		    seccomp_mode_name((enum seccomp_mode)m));
}

/* In a child: the restricted program, loaded as built, refuses an inet socket only. */
static int
restricted_child(void)
{
	char err[256];
	int fd;

	if (filter_install(SECCOMP_RESTRICTED, err, sizeof(err)) < 0)
		return 10;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0 || errno != EPERM)
		return 11;
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return 12;
	close(fd);
	return 0;
}

/* bwrap reads the program from a pipe cordon fills before it execs: it must never block. */
ATF_TC_WITHOUT_HEAD(every_program_fits_a_one_page_pipe);
ATF_TC_BODY(every_program_fits_a_one_page_pipe, tc)
{
	for (size_t m = 1; m < filter_prebuilt_n; m++)
		ATF_CHECK_MSG(filter_prebuilt[m].len * sizeof(struct sock_filter) <= FILTER_PIPE_MAX,
		    "mode %s: %zu bytes", seccomp_mode_name((enum seccomp_mode)m),
		    filter_prebuilt[m].len * sizeof(struct sock_filter));
}

ATF_TC_WITHOUT_HEAD(prebuilt_restricted_program_is_in_force);
ATF_TC_BODY(prebuilt_restricted_program_is_in_force, tc)
{
	pid_t pid = fork();
	int st;

	ATF_REQUIRE(pid >= 0);
	if (pid == 0)
		_exit(restricted_child());
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE(WIFEXITED(st));
	ATF_CHECK_EQ_MSG(0, WEXITSTATUS(st), "child check %d failed", WEXITSTATUS(st));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, prebuilt_programs_match_what_libseccomp_builds_now);
	ATF_TP_ADD_TC(tp, every_mode_has_a_prebuilt_program);
	ATF_TP_ADD_TC(tp, every_program_fits_a_one_page_pipe);
	ATF_TP_ADD_TC(tp, prebuilt_restricted_program_is_in_force);
	return atf_no_error();
}
