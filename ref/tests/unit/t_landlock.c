/*
 * The legacy Landlock pipeline's pure parts: the access mask per ABI, the
 * config.toml line reader, when the pipeline fits a policy, the mount
 * steps of its init, the mount table it walks and the flags each mount
 * gets, and what explain and doctor say it gives.  A kernel without
 * Landlock is only simulated here (abi 0); the real one is the QEMU
 * matrix's 5.10 lane, since this host's kernel cannot be changed.
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
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "config.h"
#include "fsview.h"
#include "landlock.h"
#include "legacy_summary.h"
#include "legacy_view.h"
#include "mountinfo.h"
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

/* CHECK_SCAN(want, lines...): scanning these lines returns want. */
#define CHECK_SCAN(want, ...)                                                  \
	do {                                                                   \
		const char *l_[] = { __VA_ARGS__, NULL };                      \
		bool v_ = false;                                               \
		ATF_CHECK_EQ_MSG((want), scan(l_, &v_), "lines: %s", #__VA_ARGS__); \
	} while (0)

ATF_TC_WITHOUT_HEAD(config_key_in_features_table_sets_the_flag);
ATF_TC_BODY(config_key_in_features_table_sets_the_flag, tc)
{
	const char *l[] = { "[features]", "use_legacy_landlock = true", NULL };
	bool v = false;

	ATF_CHECK_EQ(1, scan(l, &v));
	ATF_CHECK(v);
}

ATF_TC_WITHOUT_HEAD(config_spaces_and_comments_around_table_and_key);
ATF_TC_BODY(config_spaces_and_comments_around_table_and_key, tc)
{
	const char *l[] = { "  [ features ]  # c", "use_legacy_landlock=false # no", NULL };
	bool v = true;

	ATF_CHECK_EQ(1, scan(l, &v));
	ATF_CHECK(!v);
}

ATF_TC_WITHOUT_HEAD(config_dotted_key_at_top_level_sets_the_flag);
ATF_TC_BODY(config_dotted_key_at_top_level_sets_the_flag, tc)
{
	const char *l[] = { "features.use_legacy_landlock = true\n", NULL };
	bool v = false;

	ATF_CHECK_EQ(1, scan(l, &v));
	ATF_CHECK(v);
}

ATF_TC_WITHOUT_HEAD(config_key_outside_features_table_is_not_ours);
ATF_TC_BODY(config_key_outside_features_table_is_not_ours, tc)
{
	/* A dotted key under another table is that table's, not ours. */
	CHECK_SCAN(0, "[profiles]", "features.use_legacy_landlock = true");
	/* At top level without the dotted table name. */
	CHECK_SCAN(0, "use_legacy_landlock = true");
	/* After the features table has ended. */
	CHECK_SCAN(0, "[features]", "[tools]", "use_legacy_landlock = true");
	/* In an array of tables of that name. */
	CHECK_SCAN(0, "[[features]]", "use_legacy_landlock = true");
}

ATF_TC_WITHOUT_HEAD(config_commented_or_longer_key_is_ignored);
ATF_TC_BODY(config_commented_or_longer_key_is_ignored, tc)
{
	CHECK_SCAN(0, "[features]", "# use_legacy_landlock = maybe", "other = 1");
	CHECK_SCAN(0, "[features]", "use_legacy_landlock_x = 1");
}

ATF_TC_WITHOUT_HEAD(config_value_other_than_a_bare_boolean_is_an_error);
ATF_TC_BODY(config_value_other_than_a_bare_boolean_is_an_error, tc)
{
	CHECK_SCAN(-1, "[features]", "use_legacy_landlock = \"true\"");
	CHECK_SCAN(-1, "[features]", "use_legacy_landlock = truely");
	CHECK_SCAN(-1, "features.use_legacy_landlock =");
}

ATF_TC_WITHOUT_HEAD(config_key_without_equals_sign_is_an_error);
ATF_TC_BODY(config_key_without_equals_sign_is_an_error, tc)
{
	CHECK_SCAN(-1, "[features]", "use_legacy_landlock true");
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
resolve_hidden(const char *desc, const char *const *spec, const char *const *hidden,
    struct policy *p, struct rules *rs)
{
	size_t bad = 0;
	struct fsview *fs = fsview_mem_new(desc, &bad);
	struct resolve_ctx c = { "/ws", NULL, fs, hidden };
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

static struct fsview *
resolve_spec(const char *desc, const char *const *spec, struct policy *p, struct rules *rs)
{
	return resolve_hidden(desc, spec, NULL, p, rs);
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
		ATF_CHECK(strstr(why, "user, mount, PID") != NULL);
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

ATF_TC_WITHOUT_HEAD(decide_legacy_view_limits);
ATF_TC_BODY(decide_legacy_view_limits, tc)
{
	const char *const hidden[] = { "/tmp/codex-daemon-7", NULL };
	const char *why;
	struct policy p;
	struct rules rs;
	struct fsview *fs;

	{
		/* A writable root inside a path cordon hides: the mask would hide it too. */
		const char *s[] = { "/", "r", "/tmp/codex-daemon-7/x", "w", NULL };

		fs = resolve_hidden("d /tmp/codex-daemon-7/x", s, hidden, &p, &rs);
		ATF_CHECK_EQ(LANDLOCK_BWRAP, landlock_decide(&rs, 7, &why));
		ATF_CHECK(strstr(why, "hides") != NULL);
		rules_free(&rs);
		policy_free(&p);
		fsview_mem_free(fs);
	}
	{
		/* The hidden path alone fits. */
		const char *s[] = { "/", "r", "/ws", "w", NULL };

		fs = resolve_hidden("d /tmp/codex-daemon-7\nd /ws", s, hidden, &p, &rs);
		ATF_CHECK_EQ(LANDLOCK_APPLY, landlock_decide(&rs, 7, &why));
		rules_free(&rs);
		policy_free(&p);
		fsview_mem_free(fs);
	}
	{
		/* The init's own /dev and /proc would hide a writable root there. */
		const char *s[] = { "/", "r", "/dev/shm", "w", NULL };

		ATF_CHECK_EQ(LANDLOCK_BWRAP, decide("d /dev/shm", s, 7, &why));
		ATF_CHECK(strstr(why, "/dev or /proc") != NULL);
	}
	{
		/* Reading there changes nothing: the root reads it already. */
		const char *s[] = { "/", "r", "/dev/shm", "r", "/ws", "w", NULL };

		ATF_CHECK_EQ(LANDLOCK_APPLY, decide("d /dev/shm\nd /ws", s, 7, &why));
	}
}

/* A view as text: one line per step, then one per mount point to make. */
static char *
view_text(const struct legacy_view *v)
{
	char *out = xstrdup(""), *next;

	for (size_t i = 0; i < v->n; i++) {
		const struct legacy_step *st = &v->s[i];

		if (st->op == LV_EMPTY_DIR)
			next = xasprintf("%s%s %04o %s\n", out, legacy_op_name(st->op), st->mode,
			    st->path);
		else
			next = xasprintf("%s%s %s\n", out, legacy_op_name(st->op), st->path);
		free(out);
		out = next;
	}
	for (size_t i = 0; i < v->ntargets; i++) {
		next = xasprintf("%starget %c %s\n", out, v->targets[i].dir ? 'd' : 'f',
		    v->targets[i].path);
		free(out);
		out = next;
	}
	return out;
}

static void
check_view(const char *desc, const char *const *spec, const char *registry, const char *want)
{
	const char *const hidden[] = { "/tmp/codex-daemon-7", "/run/WSL", NULL };
	struct legacy_view v;
	struct policy p;
	struct rules rs;
	struct fsview *fs = resolve_hidden(desc, spec, hidden, &p, &rs);
	char err[512] = "", *got;

	ATF_REQUIRE_MSG(legacy_view_build(&rs, fs, registry, &v, err, sizeof(err)) == 0,
	    "%s", err);
	got = view_text(&v);
	ATF_CHECK_MSG(strcmp(got, want) == 0, "want:\n%sgot:\n%s", want, got);
	free(got);
	legacy_view_free(&v);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

/* Golden views: each line is one mount the init makes, in order. */
ATF_TC_WITHOUT_HEAD(view_golden);
ATF_TC_BODY(view_golden, tc)
{
	{
		/* Nothing protected exists yet: every name masked on a mount point cordon makes. */
		const char *s[] = { "/", "r", "/ws", "w", NULL };

		check_view("d /ws/src\nd /tmp\nd /run", s, NULL,
		    "bind /ws\n"
		    "empty 0555 /ws/.agents\nempty 0555 /ws/.aws\n"
		    "empty 0555 /ws/.codex\nempty 0555 /ws/.git\n"
		    "target d /ws/.agents\ntarget d /ws/.aws\n"
		    "target d /ws/.codex\ntarget d /ws/.git\n");
	}
	{
		/*
		 * An existing .git read-only; an empty .codex (maybe another run's
		 * mount point) masked and held; a gitdir target deeper in a root,
		 * the directory on the way pinned.
		 */
		const char *s[] = { "/", "r", "/ws", "w", "/data", "w", NULL };

		check_view("d /ws/.git/x\nd /ws/.codex\nf /data/.git gitdir: sub/gd\n"
		    "d /data/sub/gd/x", s, NULL,
		    "bind /data\nbind /ws\n"
		    "empty 0555 /data/.agents\nempty 0555 /data/.aws\nempty 0555 /data/.codex\n"
		    "read-only /data/.git\n"
		    "empty 0555 /ws/.agents\nempty 0555 /ws/.aws\nempty 0555 /ws/.codex\n"
		    "read-only /ws/.git\n"
		    "bind /data/sub\nread-only /data/sub/gd\n"
		    "target d /data/.agents\ntarget d /data/.aws\ntarget d /data/.codex\n"
		    "target d /ws/.agents\ntarget d /ws/.aws\ntarget d /ws/.codex\n");
	}
	{
		/*
		 * Hidden paths: an existing one under a read-only parent gets an
		 * unreadable mask; a missing one the sandbox could create gets an
		 * empty read-only file.  The registry in a writable root stays
		 * read-only.
		 */
		const char *s[] = { "/", "r", "/tmp", "w", NULL };

		check_view("d /tmp/reg\nd /run/WSL/s", s, "/tmp/reg",
		    "bind /tmp\n"
		    "empty 0000 /run/WSL\n"
		    "empty 0555 /tmp/.agents\nempty 0555 /tmp/.aws\n"
		    "empty 0555 /tmp/.codex\nempty 0555 /tmp/.git\n"
		    "read-only /tmp/codex-daemon-7\n"
		    "read-only /tmp/reg\n"
		    "target d /tmp/.agents\ntarget d /tmp/.aws\n"
		    "target d /tmp/.codex\ntarget d /tmp/.git\n"
		    "target f /tmp/codex-daemon-7\n");
	}
	{
		/* Codex's daemon directory exists: hidden behind an unreadable mask. */
		const char *s[] = { "/", "r", "/ws", "w", NULL };

		check_view("d /ws/.git/x\nd /ws/.codex/x\nd /ws/.agents/x\nd /ws/.aws/x\n"
		    "d /tmp/codex-daemon-7/s", s, NULL,
		    "bind /ws\nempty 0000 /tmp/codex-daemon-7\n"
		    "read-only /ws/.agents\nread-only /ws/.aws\n"
		    "read-only /ws/.codex\nread-only /ws/.git\n");
	}
	{
		/* A root this user cannot write to: nothing missing could be created there. */
		const char *s[] = { "/", "r", "/ws", "w", NULL };

		check_view("r /ws", s, NULL, "bind /ws\n");
	}
}

ATF_TC_WITHOUT_HEAD(view_refuses_symlinks);
ATF_TC_BODY(view_refuses_symlinks, tc)
{
	const char *s[] = { "/", "r", "/ws", "w", NULL };
	struct legacy_view v;
	struct policy p;
	struct rules rs;
	struct fsview *fs = resolve_spec("d /ws/real\nl /ws/.git real", s, &p, &rs);
	char err[512] = "";

	ATF_CHECK_EQ(-1, legacy_view_build(&rs, fs, NULL, &v, err, sizeof(err)));
	ATF_CHECK_MSG(strstr(err, "symlink /ws/.git inside a writable root") != NULL, "%s", err);
	ATF_CHECK_EQ(0, v.n);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

ATF_TC_WITHOUT_HEAD(mountinfo_unescape_golden);
ATF_TC_BODY(mountinfo_unescape_golden, tc)
{
	const char *cases[][2] = {
		{ "/a\\040b", "/a b" }, { "/t\\011x", "/t\tx" }, { "/n\\012", "/n\n" },
		{ "/b\\134s", "/b\\s" }, { "/bad\\9x", "/bad\\9x" }, { "/short\\04", "/short\\04" },
		{ "/plain", "/plain" }, { "\\040\\040", "  " },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = xstrdup(cases[i][0]);

		ATF_CHECK_STREQ(cases[i][1], mountinfo_unescape(s));
		free(s);
	}
}

ATF_TC_WITHOUT_HEAD(mountinfo_flags_golden);
ATF_TC_BODY(mountinfo_flags_golden, tc)
{
	ATF_CHECK_EQ(MS_RELATIME, mountinfo_flags("rw,relatime"));
	ATF_CHECK_EQ(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME,
	    mountinfo_flags("ro,nosuid,nodev,noexec,relatime"));
	ATF_CHECK_EQ(MS_NOATIME | MS_NODIRATIME | 256, mountinfo_flags("rw,noatime,nodiratime,nosymfollow"));
	/* Whole options only: "rodata" is not "ro". */
	ATF_CHECK_EQ(0, mountinfo_flags("rw,rootcontext=x,rodata"));
	ATF_CHECK_EQ(0, mountinfo_flags(""));
}

ATF_TC_WITHOUT_HEAD(mountinfo_lines);
ATF_TC_BODY(mountinfo_lines, tc)
{
	struct mount_entry e;
	struct mount_table t;
	const char *bad[] = {
		"36 35 98:0 / /x rw master:1",			/* no "-" */
		"x 35 98:0 / /x rw - ext3 a b",			/* no id */
		"36 35 98:0 / x rw - ext3 a b",			/* relative point */
		"36 35 980 / /x rw - ext3 a b",			/* no device */
		"36 35",
	};

	ATF_REQUIRE_EQ(0, mountinfo_parse_line("36 35 98:0 /mnt1 /mnt\\0402 rw,noatime master:1 "
	    "shared:2 - ext3 /dev/root rw,errors=continue", &e));
	ATF_CHECK_EQ(36, e.id);
	ATF_CHECK_EQ(35, e.parent);
	ATF_CHECK_STREQ("/mnt 2", e.point);
	ATF_CHECK_EQ(MS_NOATIME, e.flags);
	free(e.point);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_MSG(mountinfo_parse_line(bad[i], &e) < 0, "accepted: %s", bad[i]);
	ATF_REQUIRE_EQ(0, mountinfo_parse("1 0 1:1 / / rw - a b c\n\n2 1 1:2 / /p ro - a b c", &t));
	ATF_CHECK_EQ(2, t.n);
	mount_table_free(&t);
	ATF_CHECK_EQ(-1, mountinfo_parse("1 0 1:1 / / rw - a b c\nbroken\n", &t));
	ATF_CHECK_EQ(0, t.n);
}

/* Which mounts a path reaches, on a table shaped like a small VM's. */
ATF_TC_WITHOUT_HEAD(mountinfo_reachable_golden);
ATF_TC_BODY(mountinfo_reachable_golden, tc)
{
	const char *text =
	    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
	    "24 27 0:6 / /dev rw,relatime - devtmpfs d rw\n"
	    "25 24 0:23 / /dev/shm rw - tmpfs t rw\n"
	    "26 24 0:24 / /dev/pts rw - devpts d rw\n"
	    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	    "29 26 0:26 / /dev/pts rw - devpts d rw\n"		/* covers 26 */
	    "30 25 0:27 / /dev/shm ro - tmpfs t rw\n"		/* covers 25 */
	    "40 27 0:40 / /a/b rw - tmpfs t rw\n"		/* covered by 41, mounted later */
	    "41 27 0:41 / /a rw - tmpfs t rw\n"
	    "42 41 0:42 / /a/c rw - tmpfs t rw\n"
	    "43 25 0:43 / /dev/shm/x rw - tmpfs t rw\n"		/* on the covered 25 */
	    "44 44 0:44 / /loop rw - tmpfs t rw\n";		/* its own parent: never reached */
	const int want[] = { 27, 22, 24, 30, 29, 41, 42 };
	struct mount_table t;
	size_t *reach, n;

	ATF_REQUIRE_EQ(0, mountinfo_parse(text, &t));
	n = mountinfo_reachable(&t, &reach);
	ATF_CHECK_EQ(sizeof(want) / sizeof(want[0]), n);
	for (size_t i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++)
		ATF_CHECK_EQ_MSG(want[i], t.e[reach[i]].id, "at %zu: %s", i, t.e[reach[i]].point);
	free(reach);
	mount_table_free(&t);
}

/* The flags each mount gets: read-only unless the policy writes there and no step says otherwise. */
ATF_TC_WITHOUT_HEAD(mount_flags_golden);
ATF_TC_BODY(mount_flags_golden, tc)
{
	const char *s[] = { "/", "r", "/ws", "w", "/ws/.git/hooks", "w", NULL };
	const unsigned long ns = MS_NOSUID | MS_NODEV, ro = ns | MS_RDONLY;
	const struct {
		const char *point;
		unsigned long now, want;
	} cases[] = {
		{ "/", MS_RELATIME, ro | MS_RELATIME },
		{ "/proc", MS_NOEXEC, ro | MS_NOEXEC },
		{ "/ws", 0, ns },
		{ "/ws/sub", MS_NOSUID, ns },
		{ "/ws/.git", 0, ro },
		{ "/ws/.git/objects", MS_NOATIME, ro | MS_NOATIME },
		{ "/ws/.git/hooks", 0, ns },		/* a writable root below a read-only one */
		{ "/ws/reg", 0, ro },			/* the registry, by its step */
		{ "/ws/reg/x", 0, ro },
		{ "/wsx", 0, ro },			/* a prefix of the text is not a parent */
		{ "/tmp/codex-daemon-7", 0, ro },	/* hidden */
		{ "/ws/.codex", MS_RDONLY, ro },	/* already read-only: gets the rest */
	};
	const char *const hidden[] = { "/tmp/codex-daemon-7", NULL };
	struct legacy_view v;
	struct policy p;
	struct rules rs;
	struct fsview *fs = resolve_hidden("d /ws/.git/hooks\nd /ws/reg\nd /tmp", s, hidden, &p,
	    &rs);
	char err[256];

	ATF_REQUIRE(legacy_view_build(&rs, fs, "/ws/reg", &v, err, sizeof(err)) == 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ATF_CHECK_EQ_MSG(cases[i].want, legacy_mount_flags(&rs, &v, cases[i].point,
		    cases[i].now), "%s", cases[i].point);
	legacy_view_free(&v);
	rules_free(&rs);
	policy_free(&p);
	fsview_mem_free(fs);
}

static bool
mentions(const struct strv *sv, const char *what)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strstr(sv->v[i], what) != NULL)
			return true;
	return false;
}

/* What explain and doctor say the legacy pipeline gives, per machine. */
ATF_TC_WITHOUT_HEAD(summary_per_machine);
ATF_TC_BODY(summary_per_machine, tc)
{
	const struct {
		struct legacy_env e;
		const char *gives, *lacks, *not_lacks;
	} cases[] = {
		{ { 7, true, true, false, false, false }, "Landlock ABI 7", "stays readable", "/proc" },
		{ { 7, true, true, false, false, false }, "a fresh /proc", "FIFO", "abstract" },
		{ { 2, true, true, false, false, false }, "second seccomp filter", NULL, NULL },
		{ { 7, true, false, false, false, false }, "private /dev", "a fresh one cannot be "
		    "mounted here", NULL },
		{ { 7, true, true, true, false, false }, "no host process", "--no-proc", NULL },
		{ { 5, true, true, false, true, false }, "PID and IPC namespaces:", "abstract Unix "
		    "sockets are reachable", NULL },
		{ { 6, true, true, false, false, false }, NULL, NULL, "abstract" },
		{ { 5, true, true, false, false, true }, "with the network off", "with the network "
		    "on", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strv g = { 0 }, l = { 0 };

		ATF_CHECK(legacy_refusal(&cases[i].e) == NULL);
		legacy_summary(&cases[i].e, &g, &l);
		if (cases[i].gives != NULL)
			ATF_CHECK_MSG(mentions(&g, cases[i].gives), "case %zu: %s", i, cases[i].gives);
		if (cases[i].lacks != NULL)
			ATF_CHECK_MSG(mentions(&l, cases[i].lacks), "case %zu: %s", i, cases[i].lacks);
		if (cases[i].not_lacks != NULL)
			ATF_CHECK_MSG(!mentions(&l, cases[i].not_lacks), "case %zu: %s", i,
			    cases[i].not_lacks);
		strv_free(&g);
		strv_free(&l);
	}
	{
		/* Refused: nothing given, one line why. */
		const struct legacy_env no_ns = { 7, false, false, false, false, false };
		const struct legacy_env no_ll = { 0, true, true, false, false, false };
		struct strv g = { 0 }, l = { 0 };

		legacy_summary(&no_ns, &g, &l);
		ATF_CHECK_EQ(0, g.n);
		ATF_CHECK_EQ(1, l.n);
		ATF_CHECK(mentions(&l, "user namespace"));
		ATF_CHECK(strstr(legacy_refusal(&no_ll), "no Landlock") != NULL);
		strv_free(&g);
		strv_free(&l);
	}
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
	ATF_TP_ADD_TC(tp, config_key_in_features_table_sets_the_flag);
	ATF_TP_ADD_TC(tp, config_spaces_and_comments_around_table_and_key);
	ATF_TP_ADD_TC(tp, config_dotted_key_at_top_level_sets_the_flag);
	ATF_TP_ADD_TC(tp, config_key_outside_features_table_is_not_ours);
	ATF_TP_ADD_TC(tp, config_commented_or_longer_key_is_ignored);
	ATF_TP_ADD_TC(tp, config_value_other_than_a_bare_boolean_is_an_error);
	ATF_TP_ADD_TC(tp, config_key_without_equals_sign_is_an_error);
	ATF_TP_ADD_TC(tp, config_file_names_bad_line);
	ATF_TP_ADD_TC(tp, decide_legacy_model);
	ATF_TP_ADD_TC(tp, decide_stays_on_bwrap);
	ATF_TP_ADD_TC(tp, decide_refuses_without_landlock);
	ATF_TP_ADD_TC(tp, decide_legacy_view_limits);
	ATF_TP_ADD_TC(tp, view_golden);
	ATF_TP_ADD_TC(tp, view_refuses_symlinks);
	ATF_TP_ADD_TC(tp, mountinfo_unescape_golden);
	ATF_TP_ADD_TC(tp, mountinfo_flags_golden);
	ATF_TP_ADD_TC(tp, mountinfo_lines);
	ATF_TP_ADD_TC(tp, mountinfo_reachable_golden);
	ATF_TP_ADD_TC(tp, mount_flags_golden);
	ATF_TP_ADD_TC(tp, summary_per_machine);
	ATF_TP_ADD_TC(tp, truncate_guard_blocks_truncation_by_path);
	return atf_no_error();
}
