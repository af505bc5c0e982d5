/* cordon run's checks before launch, over an in-memory filesystem. */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "fsview.h"
#include "policy.h"
#include "preflight.h"
#include "rules.h"
#include "util.h"

#define FS "d /ws/src\nd /ws/secret\nf /usr/bin/true\nf /opt/bin/true\nf /ws/tool\n"

static void
resolve(const char *desc, const char *deny1, const char *deny2, struct fsview **fs,
    struct rules *rs)
{
	struct policy p;
	struct resolve_ctx c = { "/ws", NULL, NULL, NULL };
	size_t bad = 0;
	char err[512];

	*fs = fsview_mem_new(desc, &bad);
	ATF_REQUIRE_MSG(*fs != NULL, "bad description at line %zu", bad);
	c.fs = *fs;
	policy_init(&p);
	policy_add(&p, TARGET_SPECIAL, SPECIAL_ROOT, NULL, ACCESS_READ, false);
	policy_add(&p, TARGET_PATH, 0, "/ws", ACCESS_WRITE, false);
	if (deny1 != NULL)
		policy_add(&p, TARGET_PATH, 0, deny1, ACCESS_DENY, false);
	if (deny2 != NULL)
		policy_add(&p, TARGET_PATH, 0, deny2, ACCESS_DENY, false);
	ATF_REQUIRE_MSG(rules_resolve(&p, &c, rs, err, sizeof(err)) == 0, "%s", err);
	policy_free(&p);
}

ATF_TC_WITHOUT_HEAD(a_denied_cwd_is_refused_naming_the_rule);
ATF_TC_BODY(a_denied_cwd_is_refused_naming_the_rule, tc)
{
	struct fsview *fs;
	struct rules rs;
	char msg[1024] = "";

	resolve(FS, "/ws/secret", NULL, &fs, &rs);
	ATF_CHECK_EQ(preflight_cwd(&rs, "/ws/src", msg, sizeof(msg)), 0);
	ATF_CHECK_EQ(preflight_cwd(&rs, "/ws/secret", msg, sizeof(msg)), EXIT_POLICY);
	ATF_CHECK_MSG(strstr(msg, "/ws/secret is hidden") && strstr(msg, "rule: deny /ws/secret"),
	    "%s", msg);
	rules_free(&rs);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(a_command_hidden_everywhere_on_path_is_refused);
ATF_TC_BODY(a_command_hidden_everywhere_on_path_is_refused, tc)
{
	char *const cmd[] = { "true", NULL };
	struct fsview *fs;
	struct rules rs;
	char msg[1024] = "";

	resolve(FS, "/usr/bin/true", NULL, &fs, &rs);
	ATF_CHECK_EQ(preflight_command(&rs, fs, cmd, "/usr/bin", "/ws", msg, sizeof(msg)),
	    EXIT_NOEXEC);
	ATF_CHECK_MSG(strstr(msg, "cannot execute true: /usr/bin/true is hidden"), "%s", msg);
	/* execvp goes on to the next directory, where one is visible. */
	ATF_CHECK_EQ(preflight_command(&rs, fs, cmd, "/usr/bin:/opt/bin", "/ws", msg,
	    sizeof(msg)), 0);
	rules_free(&rs);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(a_command_found_nowhere_is_left_to_the_launch);
ATF_TC_BODY(a_command_found_nowhere_is_left_to_the_launch, tc)
{
	char *const cmd[] = { "nonesuch", NULL };
	char *const rel[] = { "./tool", NULL };
	struct fsview *fs;
	struct rules rs;
	char msg[1024] = "";

	resolve(FS, "/ws/tool", NULL, &fs, &rs);
	ATF_CHECK_EQ(preflight_command(&rs, fs, cmd, "/usr/bin", "/ws", msg, sizeof(msg)), 0);
	/* A name with a slash is taken from the cwd. */
	ATF_CHECK_EQ(preflight_command(&rs, fs, rel, "/usr/bin", "/ws", msg, sizeof(msg)),
	    EXIT_NOEXEC);
	rules_free(&rs);
	fsview_mem_free(fs);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, a_denied_cwd_is_refused_naming_the_rule);
	ATF_TP_ADD_TC(tp, a_command_hidden_everywhere_on_path_is_refused);
	ATF_TP_ADD_TC(tp, a_command_found_nowhere_is_left_to_the_launch);
	return atf_no_error();
}
