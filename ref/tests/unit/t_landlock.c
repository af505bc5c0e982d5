/*
 * The legacy Landlock pipeline's pure parts: the access mask per ABI, the
 * config.toml line reader, and when the pipeline fits a policy.  A kernel
 * without Landlock is only simulated here (abi 0); the real one is the
 * QEMU matrix's 5.10 lane, since this host's kernel cannot be changed.
 */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fsview.h"
#include "landlock.h"
#include "legacy_mounts.h"
#include "policy.h"
#include "rules.h"
#include "truncate_guard.h"

ATF_TC_WITHOUT_HEAD(handled_mask_per_abi);
ATF_TC_BODY(handled_mask_per_abi, tc)
{
	/* The kernel's values: ABI 1 is bits 0-12, REFER 13, TRUNCATE 14, IOCTL_DEV 15. */
	ATF_CHECK_EQ(0, landlock_fs_handled(0));
	ATF_CHECK_EQ(0x1fffULL, landlock_fs_handled(1));
	ATF_CHECK_EQ(0x3fffULL, landlock_fs_handled(2));
	ATF_CHECK_EQ(0x7fffULL, landlock_fs_handled(3));
	ATF_CHECK_EQ(0x7fffULL, landlock_fs_handled(4));	/* ABI 4 added network rights only */
	ATF_CHECK_EQ(0xffffULL, landlock_fs_handled(5));
	ATF_CHECK_EQ(0xffffULL, landlock_fs_handled(6));
	ATF_CHECK_EQ(0xffffULL, landlock_fs_handled(7));
	ATF_CHECK_EQ(0, landlock_scoped(5));
	ATF_CHECK_EQ(0x3ULL, landlock_scoped(6));
	ATF_CHECK_EQ(0x3ULL, landlock_scoped(7));
}

/* Feed lines to one scan; the result of the last one. */
static int
scan(const char *const *lines, bool *val)
{
	struct config_scan s = { 0 };
	int r = 0;

	for (size_t i = 0; lines[i] != NULL; i++)
		r = config_line(&s, lines[i], val);
	return r;
}

ATF_TC_WITHOUT_HEAD(config_lines);
ATF_TC_BODY(config_lines, tc)
{
	bool v;

	{
		const char *l[] = { "[features]", "use_legacy_landlock = true", NULL };
		v = false;
		ATF_CHECK_EQ(1, scan(l, &v));
		ATF_CHECK(v);
	}
	{
		const char *l[] = { "  [ features ]  # c", "use_legacy_landlock=false # no", NULL };
		v = true;
		ATF_CHECK_EQ(1, scan(l, &v));
		ATF_CHECK(!v);
	}
	{
		const char *l[] = { "features.use_legacy_landlock = true\n", NULL };
		v = false;
		ATF_CHECK_EQ(1, scan(l, &v));
		ATF_CHECK(v);
	}
	{
		/* A dotted key under another table is that table's, not ours. */
		const char *l[] = { "[profiles]", "features.use_legacy_landlock = true", NULL };
		ATF_CHECK_EQ(0, scan(l, &v));
	}
	{
		const char *l[] = { "use_legacy_landlock = true", NULL };
		ATF_CHECK_EQ(0, scan(l, &v));
	}
	{
		const char *l[] = { "[features]", "[tools]", "use_legacy_landlock = true", NULL };
		ATF_CHECK_EQ(0, scan(l, &v));
	}
	{
		const char *l[] = { "[[features]]", "use_legacy_landlock = true", NULL };
		ATF_CHECK_EQ(0, scan(l, &v));
	}
	{
		const char *l[] = { "[features]", "# use_legacy_landlock = maybe", "other = 1", NULL };
		ATF_CHECK_EQ(0, scan(l, &v));
	}
	{
		const char *l[] = { "[features]", "use_legacy_landlock_x = 1", NULL };
		ATF_CHECK_EQ(0, scan(l, &v));
	}
	{
		const char *l[] = { "[features]", "use_legacy_landlock = \"true\"", NULL };
		ATF_CHECK_EQ(-1, scan(l, &v));
	}
	{
		const char *l[] = { "[features]", "use_legacy_landlock = truely", NULL };
		ATF_CHECK_EQ(-1, scan(l, &v));
	}
	{
		const char *l[] = { "[features]", "use_legacy_landlock true", NULL };
		ATF_CHECK_EQ(-1, scan(l, &v));
	}
	{
		const char *l[] = { "features.use_legacy_landlock =", NULL };
		ATF_CHECK_EQ(-1, scan(l, &v));
	}
}

ATF_TC_WITHOUT_HEAD(config_file_names_bad_line);
ATF_TC_BODY(config_file_names_bad_line, tc)
{
	FILE *f = fopen("c.toml", "w");
	char err[256] = "";
	bool v = false;

	ATF_REQUIRE(f != NULL);
	fputs("model = \"x\"\n[features]\nuse_legacy_landlock = yes\n", f);
	fclose(f);
	ATF_CHECK_EQ(-1, config_legacy_landlock("c.toml", false, &v, err, sizeof(err)));
	ATF_CHECK_MSG(strstr(err, "c.toml:3") != NULL, "err: %s", err);
	ATF_CHECK_EQ(0, config_legacy_landlock("missing.toml", false, &v, err, sizeof(err)));
	ATF_CHECK_EQ(-1, config_legacy_landlock("missing.toml", true, &v, err, sizeof(err)));
}

/*
 * Resolve spec (pairs of path, "/" for the root, and access letter r, w or
 * n) with cwd /ws over the filesystem desc; the caller frees all three.
 */
static struct fsview *
resolve_spec(const char *desc, const char *const *spec, struct policy *p, struct rules *rs)
{
	size_t bad = 0;
	struct fsview *fs = fsview_mem_new(desc, &bad);
	struct resolve_ctx c = { "/ws", NULL, fs, NULL };
	char err[512] = "";

	ATF_REQUIRE_MSG(fs != NULL, "bad filesystem description at line %zu", bad);
	policy_init(p);
	for (size_t i = 0; spec[i] != NULL; i += 2) {
		enum access a = spec[i + 1][0] == 'w' ? ACCESS_WRITE :
		    spec[i + 1][0] == 'r' ? ACCESS_READ : ACCESS_DENY;

		if (strcmp(spec[i], "/") == 0)
			policy_add(p, TARGET_SPECIAL, SPECIAL_ROOT, NULL, a, false);
		else
			policy_add(p, TARGET_PATH, 0, spec[i], a, false);
	}
	if (rules_resolve(p, &c, rs, err, sizeof(err)) != 0)
		atf_tc_fail("rules_resolve: %s", err);
	return fs;
}

static enum landlock_fit
decide(const char *desc, const char *const *spec, int abi, const char **why)
{
	struct policy p;
	struct rules rs;
	struct fsview *fs = resolve_spec(desc, spec, &p, &rs);
	enum landlock_fit fit = landlock_decide(&rs, abi, why);

	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
	return fit;
}

#define FS "d /ws/.git\nd /ws/src\nd /data\nd /etc"

ATF_TC_WITHOUT_HEAD(decide_legacy_model);
ATF_TC_BODY(decide_legacy_model, tc)
{
	const char *why;

	{
		/* Root readable, writable roots, cordon's own .git protection: fits. */
		const char *s[] = { "/", "r", "/ws", "w", "/data", "w", NULL };
		ATF_CHECK_EQ(LANDLOCK_APPLY, decide(FS, s, 7, &why));
		ATF_CHECK(strstr(why, ".git") != NULL);
		ATF_CHECK_EQ(LANDLOCK_APPLY, decide(FS, s, 1, &why));
	}
	{
		/* A read rule outside any writable root changes nothing. */
		const char *s[] = { "/", "r", "/ws", "w", "/etc", "r", NULL };
		ATF_CHECK_EQ(LANDLOCK_APPLY, decide(FS, s, 7, &why));
	}
	{
		const char *s[] = { "/", "r", NULL };
		ATF_CHECK_EQ(LANDLOCK_APPLY, decide(FS, s, 7, &why));
	}
}

ATF_TC_WITHOUT_HEAD(decide_stays_on_bwrap);
ATF_TC_BODY(decide_stays_on_bwrap, tc)
{
	const char *why;

	{
		const char *s[] = { "/", "r", "/ws", "w", "/etc", "n", NULL };
		ATF_CHECK_EQ(LANDLOCK_BWRAP, decide(FS, s, 7, &why));
		ATF_CHECK(strstr(why, "denies") != NULL);
	}
	{
		/* A read carve-out inside a writable root. */
		const char *s[] = { "/", "r", "/ws", "w", "/ws/src", "r", NULL };
		ATF_CHECK_EQ(LANDLOCK_BWRAP, decide(FS, s, 7, &why));
		ATF_CHECK(strstr(why, "read-only inside") != NULL);
	}
	{
		/* A denied directory nested in a writable root. */
		const char *s[] = { "/", "r", "/ws", "w", "/ws/src", "n", NULL };
		ATF_CHECK_EQ(LANDLOCK_BWRAP, decide(FS, s, 7, &why));
	}
	{
		/* Restricted reading: no root rule. */
		const char *s[] = { "/etc", "r", "/ws", "w", NULL };
		ATF_CHECK_EQ(LANDLOCK_BWRAP, decide(FS, s, 7, &why));
		ATF_CHECK(strstr(why, "whole filesystem") != NULL);
	}
}

ATF_TC_WITHOUT_HEAD(decide_refuses_without_landlock);
ATF_TC_BODY(decide_refuses_without_landlock, tc)
{
	const char *s[] = { "/", "r", "/ws", "w", NULL };
	const char *why;

	ATF_CHECK_EQ(LANDLOCK_REFUSE, decide(FS, s, 0, &why));
	ATF_CHECK(strstr(why, "refusing") != NULL);
	/* Even a policy Landlock could not express is refused, never run some other way. */
	{
		const char *d[] = { "/", "r", "/ws", "w", "/etc", "n", NULL };
		ATF_CHECK_EQ(LANDLOCK_REFUSE, decide(FS, d, 0, &why));
	}
}

/* Which protected paths legacy Landlock binds read-only, and which it cannot. */
ATF_TC_WITHOUT_HEAD(protected_paths_split_present_and_absent);
ATF_TC_BODY(protected_paths_split_present_and_absent, tc)
{
	const char *spec[] = { "/", "r", "/ws", "w", "/data", "w", NULL };
	struct strv present = { 0 }, absent = { 0 };
	struct policy p;
	struct rules rs;
	struct fsview *fs = resolve_spec("d /ws/.git\nd /ws/.codex\nd /data\n"
	    "f /data/.git gitdir: /data/gd\nd /data/gd\nd /etc/.git", spec, &p, &rs);

	legacy_protected_paths(&rs, fs, &present, &absent);
	ATF_CHECK(strv_contains(&present, "/ws/.git"));
	ATF_CHECK(strv_contains(&present, "/ws/.codex"));
	ATF_CHECK(strv_contains(&present, "/data/.git"));
	ATF_CHECK(strv_contains(&present, "/data/gd"));
	ATF_CHECK(strv_contains(&absent, "/ws/.agents"));
	ATF_CHECK(strv_contains(&absent, "/data/.codex"));
	/* Outside every writable root nothing needs protecting. */
	ATF_CHECK(!strv_contains(&present, "/etc/.git"));
	ATF_CHECK(!strv_contains(&absent, "/etc/.git"));
	ATF_CHECK_EQ(present.n + absent.n, 9);	/* .aws in both roots too */
	strv_free(&present);
	strv_free(&absent);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

/* In a child: NNP, the guard, then each call; the exit status packs what failed. */
static int
guarded_calls(const char *path)
{
	char err[256];
	int fail = 0, fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || truncate_guard_install(err, sizeof(err)) < 0)
		return 100;
	if (truncate(path, 0) == 0 || errno != EPERM)
		fail |= 1;
	if ((fd = open(path, O_RDONLY | O_TRUNC)) >= 0 || errno != EPERM)
		fail |= 2;
	if ((fd = openat(AT_FDCWD, path, O_RDONLY | O_TRUNC)) >= 0 || errno != EPERM)
		fail |= 4;
	/* Reading, and truncating through write access (which Landlock checks), still work. */
	if ((fd = open(path, O_RDONLY)) < 0)
		fail |= 8;
	else
		close(fd);
	if ((fd = open(path, O_WRONLY | O_TRUNC)) < 0 || ftruncate(fd, 0) < 0)
		fail |= 16;
	if (syscall(SYS_openat2, AT_FDCWD, path, NULL, 0) == 0 || errno != ENOSYS)
		fail |= 32;
	return fail;
}

ATF_TC_WITHOUT_HEAD(truncate_guard_blocks_truncation_by_path);
ATF_TC_BODY(truncate_guard_blocks_truncation_by_path, tc)
{
	const char *path = "victim.txt";
	int st, fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid_t pid;

	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE(write(fd, "data", 4) == 4);
	close(fd);
	pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0)
		_exit(guarded_calls(path));
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(st), "the child did not exit normally");
	ATF_CHECK_MSG(WEXITSTATUS(st) == 0, "failed checks (bits): %d", WEXITSTATUS(st));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, handled_mask_per_abi);
	ATF_TP_ADD_TC(tp, config_lines);
	ATF_TP_ADD_TC(tp, config_file_names_bad_line);
	ATF_TP_ADD_TC(tp, decide_legacy_model);
	ATF_TP_ADD_TC(tp, decide_stays_on_bwrap);
	ATF_TP_ADD_TC(tp, decide_refuses_without_landlock);
	ATF_TP_ADD_TC(tp, protected_paths_split_present_and_absent);
	ATF_TP_ADD_TC(tp, truncate_guard_blocks_truncation_by_path);
	return atf_no_error();
}
