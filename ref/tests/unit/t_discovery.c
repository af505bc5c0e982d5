/* Finding bubblewrap: --help parsing, PATH candidates and the probe. */
#include <atf-c.h>
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bwrap.h"
#include "bwrap_vendored.h"

static char *fmt(const char *, ...) __attribute__((format(printf, 1, 2)));
static char *vfmt(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* The option lines of a recent `bwrap --help`, minus --argv0 and --perms. */
static const char *const help_lines[] = {
	"    --help                       Show this text",
	"    --version                    Show the version",
	"    --unshare-all                Unshare every supported namespace",
	"    --share-net                  Keep the network (with --unshare-all)",
	"    --unshare-ipc                New ipc namespace",
	"    --unshare-pid                New pid namespace",
	"    --unshare-net                New network namespace",
	"    --disable-userns             No user namespaces inside the sandbox",
	"    --chdir DIR                  Change directory to DIR",
	"    --bind SRC DEST              Bind SRC on DEST",
	"    --dev-bind SRC DEST          Bind SRC on DEST with device access",
	"    --ro-bind SRC DEST           Bind SRC read-only on DEST",
	"    --remount-ro DEST            Remount DEST read-only",
	"    --proc DEST                  New procfs on DEST",
	"    --dev DEST                   New /dev on DEST",
	"    --tmpfs DEST                 New tmpfs on DEST",
	"    --ro-bind-data FD DEST       Copy FD to a read-only file on DEST",
	"    --seccomp FD                 Load seccomp rules from FD",
	"    --new-session                New terminal session",
	"    --die-with-parent            Kill the command when the parent dies",
	"    --as-pid-1                   No reaper as PID 1",
	"    --cap-drop CAP               Drop CAP",
	NULL,
};

#define LINE_ARGV0 "    --argv0 VALUE                Set argv[0] to VALUE\n"
#define LINE_PERMS "    --perms OCTAL                Permissions of the next file\n"

static char *
vfmt(const char *f, va_list ap)
{
	char *s;

	if (vasprintf(&s, f, ap) < 0)
		atf_tc_fail("vasprintf");
	return s;
}

static char *
fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	s = vfmt(f, ap);
	va_end(ap);
	return s;
}

/* A help text without the line for option omit (NULL: keep all), plus extra. */
static char *
make_help(const char *omit, const char *extra)
{
	char *s = fmt("usage: bwrap [OPTIONS...] [--] COMMAND [ARGS...]\n\n");

	for (size_t i = 0; help_lines[i] != NULL; i++) {
		const char *opt = help_lines[i] + strspn(help_lines[i], " ");
		char *t;

		if (omit != NULL && strncmp(opt, omit, strlen(omit)) == 0 &&
		    opt[strlen(omit)] == ' ')
			continue;
		t = fmt("%s%s\n", s, help_lines[i]);
		free(s);
		s = t;
	}
	if (extra != NULL) {
		char *t = fmt("%s%s", s, extra);

		free(s);
		s = t;
	}
	return s;
}

static char *
make_tmpdir(void)
{
	char tmpl[] = "/tmp/cordon-t_discovery.XXXXXX";
	char *dir;

	ATF_REQUIRE(mkdtemp(tmpl) != NULL);
	dir = realpath(tmpl, NULL);
	ATF_REQUIRE(dir != NULL);
	return dir;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
remove_tmpdir(char *dir)
{
	ATF_CHECK_MSG(nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0,
	    "cannot remove %s", dir);
	free(dir);
}

/* mkdir -p for dir/sub. */
static char *
make_dirs(const char *dir, const char *sub)
{
	char *path = fmt("%s/%s", dir, sub);

	for (char *p = path + strlen(dir) + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			ATF_REQUIRE_MSG(mkdir(path, 0755) == 0 || access(path, F_OK) == 0,
			    "mkdir %s", path);
			*p = c;
			if (c == '\0')
				break;
		}
	}
	return path;
}

/* Write dir/sub/bwrap, a shell script running body, with the given mode. */
static char *
put_bwrap(const char *dir, const char *sub, const char *body, mode_t mode)
{
	char *d = make_dirs(dir, sub);
	char *path = fmt("%s/bwrap", d);
	FILE *f = fopen(path, "w");

	ATF_REQUIRE_MSG(f != NULL, "cannot create %s", path);
	fprintf(f, "#!/bin/sh\n%s", body);
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE(chmod(path, mode) == 0);
	free(d);
	return path;
}

/* A fake bwrap that answers --version and prints help for anything else. */
static char *
put_helpful_bwrap(const char *dir, const char *sub, const char *help)
{
	char *body = fmt("if [ \"$1\" = --version ]; then echo 'bubblewrap 9.9.9'; exit 0; fi\n"
	    "cat <<'EOF'\n%sEOF\n", help);
	char *path = put_bwrap(dir, sub, body, 0755);

	free(body);
	return path;
}

static void
free_cands(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The fixture of the tests that put fake bwraps on disk (kselftest's
 * FIXTURE shape by hand, as ATF has none): fx_setup makes a fresh
 * temporary directory; the fx_* makers put files in it and keep what they
 * allocate; fx_teardown frees all of it and removes the directory.
 */
#define FX_MAX 16
struct fx {
	char *dir;
	char *kept[FX_MAX];
	size_t n;
};

static void
fx_setup(struct fx *fx)
{
	fx->dir = make_tmpdir();
	fx->n = 0;
}

static void
fx_teardown(struct fx *fx)
{
	for (size_t i = 0; i < fx->n; i++)
		free(fx->kept[i]);
	remove_tmpdir(fx->dir);
}

/* Keep s (malloc'd) until fx_teardown; returns s. */
static char *
fx_keep(struct fx *fx, char *s)
{
	ATF_REQUIRE(fx->n < FX_MAX);
	fx->kept[fx->n++] = s;
	return s;
}

/* dir/sub/bwrap, a shell script running body, with the given mode. */
static const char *
fx_bwrap(struct fx *fx, const char *sub, const char *body, mode_t mode)
{
	return fx_keep(fx, put_bwrap(fx->dir, sub, body, mode));
}

/* dir/sub/bwrap answering --version and printing help for anything else. */
static const char *
fx_helpful_bwrap(struct fx *fx, const char *sub, const char *help)
{
	return fx_keep(fx, put_helpful_bwrap(fx->dir, sub, help));
}

/* fmt's string, kept until fx_teardown. */
static const char *fx_fmt(struct fx *, const char *, ...) __attribute__((format(printf, 2, 3)));

static const char *
fx_fmt(struct fx *fx, const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	s = vfmt(f, ap);
	va_end(ap);
	return fx_keep(fx, s);
}

/* bwrap_candidates(path, cwd) must give exactly want, in order (NULL-terminated). */
static void
check_candidates(const char *path, const char *cwd, const char *const *want)
{
	char **v = NULL;
	size_t n = bwrap_candidates(path, cwd, &v), nw = 0;

	while (want[nw] != NULL)
		nw++;
	ATF_CHECK_EQ_MSG(nw, n, "PATH %s from %s: %zu candidates, want %zu", path, cwd, n, nw);
	for (size_t i = 0; i < n && i < nw; i++)
		ATF_CHECK_STREQ(want[i], v[i]);
	free_cands(v, n);
}
#define CHECK_CANDIDATES(path, cwd, ...) \
	check_candidates((path), (cwd), (const char *const[]){ __VA_ARGS__, NULL })

ATF_TC_WITHOUT_HEAD(help_with_argv0_and_perms_sets_both);
ATF_TC_BODY(help_with_argv0_and_perms_sets_both, tc)
{
	char *help = make_help(NULL, LINE_ARGV0 LINE_PERMS);
	struct bwrap_features f;

	bwrap_parse_help(help, &f);
	ATF_CHECK(f.argv0);
	ATF_CHECK(f.perms);
	ATF_CHECK(f.new_session && f.die_with_parent && f.remount_ro && f.ro_bind_data);
	ATF_CHECK(f.chdir && f.dev && f.proc && f.tmpfs && f.unshare_ipc);
	ATF_CHECK(f.as_pid_1 && f.cap_drop && f.disable_userns);
	ATF_CHECK(bwrap_missing_required(&f) == NULL);
	free(help);
}

ATF_TC_WITHOUT_HEAD(help_without_argv0_or_perms_clears_both);
ATF_TC_BODY(help_without_argv0_or_perms_clears_both, tc)
{
	char *help = make_help(NULL, NULL);
	struct bwrap_features f;

	f = bwrap_features_0_12_0;	/* every flag set: the parse must clear them */
	bwrap_parse_help(help, &f);
	ATF_CHECK(!f.argv0);
	ATF_CHECK(!f.perms);
	ATF_CHECK(f.new_session);
	ATF_CHECK(bwrap_missing_required(&f) == NULL);
	free(help);
}

ATF_TC_WITHOUT_HEAD(option_as_prefix_of_a_longer_word_does_not_count);
ATF_TC_BODY(option_as_prefix_of_a_longer_word_does_not_count, tc)
{
	char *help = make_help("--dev",
	    "    --permsx OCTAL               Not the real option\n"
	    "    --argv0-list                 Not the real option either\n"
	    "    x--perms                     Glued to a word\n");
	struct bwrap_features f;

	bwrap_parse_help(help, &f);
	ATF_CHECK(!f.perms);
	ATF_CHECK(!f.argv0);
	/* --dev-bind remains, but it is not --dev. */
	ATF_CHECK(strstr(help, "--dev-bind") != NULL);
	ATF_CHECK(!f.dev);
	ATF_CHECK_STREQ("--dev", bwrap_missing_required(&f));
	free(help);
}

ATF_TC_WITHOUT_HEAD(missing_new_session_is_reported);
ATF_TC_BODY(missing_new_session_is_reported, tc)
{
	char *help = make_help("--new-session", LINE_ARGV0);
	struct bwrap_features f;
	const char *miss;

	bwrap_parse_help(help, &f);
	ATF_CHECK(!f.new_session);
	miss = bwrap_missing_required(&f);
	ATF_CHECK_STREQ("--new-session", miss == NULL ? "(null)" : miss);
	free(help);
}

ATF_TC_WITHOUT_HEAD(builtin_feature_sets_are_usable);
ATF_TC_BODY(builtin_feature_sets_are_usable, tc)
{
	ATF_CHECK(bwrap_missing_required(&bwrap_features_0_4_1) == NULL);
	ATF_CHECK(!bwrap_features_0_4_1.perms);
	ATF_CHECK(!bwrap_features_0_4_1.argv0);

	ATF_CHECK(bwrap_missing_required(&bwrap_features_0_8_0) == NULL);
	ATF_CHECK(bwrap_features_0_8_0.perms);
	ATF_CHECK(!bwrap_features_0_8_0.argv0);

	ATF_CHECK(bwrap_missing_required(&bwrap_features_0_12_0) == NULL);
	ATF_CHECK(bwrap_features_0_12_0.perms);
	ATF_CHECK(bwrap_features_0_12_0.argv0);
}

ATF_TC_WITHOUT_HEAD(known_releases_map_to_their_feature_sets);
ATF_TC_BODY(known_releases_map_to_their_feature_sets, tc)
{
	ATF_CHECK(bwrap_features_for_version("0.4.1") == &bwrap_features_0_4_1);
	ATF_CHECK(bwrap_features_for_version("0.8.0") == &bwrap_features_0_8_0);
	ATF_CHECK(bwrap_features_for_version("0.12.0") == &bwrap_features_0_12_0);
	ATF_CHECK(bwrap_features_for_version("") == NULL);
}

/* The versions kernels/bwraps names, and releases between the known ones. */
ATF_TC_WITHOUT_HEAD(other_releases_plan_with_the_newest_set_they_include);
ATF_TC_BODY(other_releases_plan_with_the_newest_set_they_include, tc)
{
	ATF_CHECK(bwrap_features_for_version("0.12") == &bwrap_features_0_12_0);
	ATF_CHECK(bwrap_features_for_version("0.13") == &bwrap_features_0_12_0);
	ATF_CHECK(bwrap_features_for_version("0.13.1") == &bwrap_features_0_12_0);
	ATF_CHECK(bwrap_features_for_version("0.11.2") == &bwrap_features_0_8_0);
	ATF_CHECK(bwrap_features_for_version("0.6.3") == &bwrap_features_0_4_1);
	ATF_CHECK(bwrap_features_for_version("0.4.0") == NULL);
	ATF_CHECK(bwrap_features_for_version("9.9") == NULL);
	ATF_CHECK(bwrap_features_for_version("1.0") == NULL);
	ATF_CHECK(bwrap_features_for_version("0.12.") == NULL);
	ATF_CHECK(bwrap_features_for_version("0.12.0-rc1") == NULL);
	ATF_CHECK(bwrap_features_for_version("v0.12") == NULL);
}

/* The pinned tarball must be a release whose options cordon knows: it is never probed. */
ATF_TC_WITHOUT_HEAD(bundled_bwrap_has_a_known_usable_feature_set);
ATF_TC_BODY(bundled_bwrap_has_a_known_usable_feature_set, tc)
{
	const struct bwrap_features *f;
	const char *v;

	unsetenv("CORDON_NO_BUNDLED_BWRAP");
	if ((v = bwrap_vendored_version()) == NULL)
		atf_tc_skip("this build has no bundled bubblewrap: %s", bwrap_vendored_missing());
	ATF_CHECK(bwrap_vendored_missing() == NULL);
	f = bwrap_features_for_version(v);
	ATF_REQUIRE_MSG(f != NULL, "bundled bubblewrap %s has no known feature set", v);
	ATF_CHECK(bwrap_missing_required(f) == NULL);
}

ATF_TC_WITHOUT_HEAD(bundled_bwrap_can_be_turned_off);
ATF_TC_BODY(bundled_bwrap_can_be_turned_off, tc)
{
	struct bwrap_info bw;
	char err[256];

	setenv("CORDON_NO_BUNDLED_BWRAP", "1", 1);
	ATF_CHECK(bwrap_vendored_version() == NULL);
	ATF_CHECK(bwrap_vendored_missing() != NULL);
	ATF_CHECK(bwrap_vendored_select(&bw, err, sizeof(err)) < 0);
	ATF_CHECK_MSG(strstr(err, "no bundled bubblewrap") != NULL, "%s", err);
	setenv("CORDON_NO_BUNDLED_BWRAP", "0", 1);
	ATF_CHECK(bwrap_vendored_missing() == NULL || bwrap_vendored_version() == NULL);
	unsetenv("CORDON_NO_BUNDLED_BWRAP");
}

ATF_TC_WITHOUT_HEAD(candidates_follow_path_order);
ATF_TC_BODY(candidates_follow_path_order, tc)
{
	struct fx fx;

	fx_setup(&fx);
	const char *a = fx_bwrap(&fx, "a/bin", "exit 0\n", 0755);
	const char *b = fx_bwrap(&fx, "b/bin", "exit 0\n", 0755);

	CHECK_CANDIDATES(fx_fmt(&fx, "%s/b/bin:%s/a/bin", fx.dir, fx.dir), "/", b, a);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(non_executable_bwrap_is_skipped);
ATF_TC_BODY(non_executable_bwrap_is_skipped, tc)
{
	struct fx fx;

	fx_setup(&fx);
	fx_bwrap(&fx, "plain", "exit 0\n", 0644);
	const char *good = fx_bwrap(&fx, "good", "exit 0\n", 0755);

	fx_keep(&fx, make_dirs(fx.dir, "other/bwrap"));
	CHECK_CANDIDATES(fx_fmt(&fx, "%s/plain:%s/other:%s/good", fx.dir, fx.dir, fx.dir), "/",
	    good);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(bwrap_inside_cwd_is_skipped);
ATF_TC_BODY(bwrap_inside_cwd_is_skipped, tc)
{
	struct fx fx;

	fx_setup(&fx);
	fx_bwrap(&fx, "ws/node_modules/.bin", "exit 0\n", 0755);
	const char *sys = fx_bwrap(&fx, "sys/bin", "exit 0\n", 0755);

	CHECK_CANDIDATES(fx_fmt(&fx, "%s/ws/node_modules/.bin:%s/sys/bin", fx.dir, fx.dir),
	    fx_fmt(&fx, "%s/ws", fx.dir), sys);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(root_cwd_keeps_every_candidate);
ATF_TC_BODY(root_cwd_keeps_every_candidate, tc)
{
	struct fx fx;

	fx_setup(&fx);
	const char *planted = fx_bwrap(&fx, "ws/bin", "exit 0\n", 0755);

	CHECK_CANDIDATES(fx_fmt(&fx, "%s/ws/bin", fx.dir), "/", planted);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(symlinked_bwrap_is_canonicalized);
ATF_TC_BODY(symlinked_bwrap_is_canonicalized, tc)
{
	struct fx fx;

	fx_setup(&fx);
	const char *real = fx_bwrap(&fx, "libexec", "exit 0\n", 0755);
	const char *bin = fx_keep(&fx, make_dirs(fx.dir, "bin"));

	ATF_REQUIRE(symlink("../libexec/bwrap", fx_fmt(&fx, "%s/bwrap", bin)) == 0);
	CHECK_CANDIDATES(bin, "/", real);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(same_bwrap_twice_on_path_is_listed_once);
ATF_TC_BODY(same_bwrap_twice_on_path_is_listed_once, tc)
{
	struct fx fx;

	fx_setup(&fx);
	const char *real = fx_bwrap(&fx, "bin", "exit 0\n", 0755);
	const char *alias = fx_fmt(&fx, "%s/alias", fx.dir);

	ATF_REQUIRE(symlink("bin", alias) == 0);
	CHECK_CANDIDATES(fx_fmt(&fx, "%s/bin:%s:%s/bin/", fx.dir, alias, fx.dir), "/", real);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(empty_or_relative_path_gives_no_candidate);
ATF_TC_BODY(empty_or_relative_path_gives_no_candidate, tc)
{
	struct fx fx;
	char **v = NULL;
	size_t n;

	fx_setup(&fx);
	fx_bwrap(&fx, "rel", "exit 0\n", 0755);
	ATF_CHECK_EQ(0, bwrap_candidates("", "/", &v));
	ATF_CHECK(v == NULL);
	ATF_CHECK_EQ(0, bwrap_candidates(NULL, "/", &v));
	/* rel/bwrap exists relative to the current directory, yet must not count. */
	ATF_REQUIRE(chdir(fx.dir) == 0);
	n = bwrap_candidates("rel:./rel::.", "/", &v);
	ATF_CHECK_EQ(0, n);
	free_cands(v, n);
	ATF_REQUIRE(chdir("/") == 0);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(probe_accepts_a_full_help);
ATF_TC_BODY(probe_accepts_a_full_help, tc)
{
	struct fx fx;
	struct bwrap_info info;

	fx_setup(&fx);
	const char *bw = fx_helpful_bwrap(&fx, "bin", fx_keep(&fx, make_help(NULL, LINE_ARGV0 LINE_PERMS)));

	ATF_CHECK_EQ(0, bwrap_probe(bw, true, &info));
	ATF_CHECK_MSG(info.unusable == NULL, "unusable: %s", info.unusable);
	ATF_CHECK_STREQ(bw, info.path);
	ATF_CHECK(info.feat.argv0);
	ATF_CHECK(info.feat.perms);
	ATF_CHECK(info.feat.new_session);
	ATF_CHECK_STREQ("bubblewrap 9.9.9", info.version == NULL ? "(null)" : info.version);
	bwrap_info_free(&info);
	fx_teardown(&fx);
}

/* bwrap_probe(bw) must fail, its reason naming why (NULL: any reason), within secs seconds. */
static void
check_probe_fails(const char *bw, const char *why, double secs)
{
	struct bwrap_info info;
	double t0 = now(), elapsed;

	ATF_CHECK_EQ(-1, bwrap_probe(bw, false, &info));
	elapsed = now() - t0;
	/* Loose bound: it must not have waited for a sleep to end. */
	ATF_CHECK_MSG(elapsed < secs, "probe took %.1f s", elapsed);
	if (why != NULL) {
		ATF_CHECK(info.unusable != NULL);
		if (info.unusable != NULL)
			ATF_CHECK_MSG(strstr(info.unusable, why) != NULL, "unusable: %s",
			    info.unusable);
	}
	bwrap_info_free(&info);
}

ATF_TC_WITHOUT_HEAD(probe_rejects_help_without_new_session);
ATF_TC_BODY(probe_rejects_help_without_new_session, tc)
{
	struct fx fx;

	fx_setup(&fx);
	check_probe_fails(fx_helpful_bwrap(&fx, "bin", fx_keep(&fx, make_help("--new-session", NULL))),
	    "--new-session", 60.0);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(probe_gives_up_on_a_silent_bwrap);
ATF_TC_BODY(probe_gives_up_on_a_silent_bwrap, tc)
{
	struct fx fx;

	fx_setup(&fx);
	check_probe_fails(fx_bwrap(&fx, "bin", "exec sleep 10\n", 0755), "did not answer", 9.0);
	fx_teardown(&fx);
}

ATF_TC_WITHOUT_HEAD(probe_gives_up_on_a_bwrap_that_hangs_after_closing_output);
ATF_TC_BODY(probe_gives_up_on_a_bwrap_that_hangs_after_closing_output, tc)
{
	struct fx fx;

	fx_setup(&fx);
	/* Past its 3 s time-out, well before the sleep ends. */
	check_probe_fails(fx_bwrap(&fx, "bin", "exec >/dev/null 2>&1\nexec sleep 8\n", 0755), NULL,
	    6.0);
	fx_teardown(&fx);
}

/* What a careful launch learned is found again, for the same file only. */
ATF_TC_WITHOUT_HEAD(proc_outcome_is_kept_per_bwrap_file);
ATF_TC_BODY(proc_outcome_is_kept_per_bwrap_file, tc)
{
	struct fx fx;

	fx_setup(&fx);
	const char *dir = fx.dir;
	const char *a = fx_bwrap(&fx, "a", "exit 0", 0755), *b = fx_bwrap(&fx, "b", "exit 0", 0755);

	ATF_CHECK_EQ(PROC_UNKNOWN, bwrap_proc_get(dir, a));
	bwrap_proc_put(dir, a, PROC_MOUNTS);
	ATF_CHECK_EQ(PROC_MOUNTS, bwrap_proc_get(dir, a));
	ATF_CHECK_EQ(PROC_UNKNOWN, bwrap_proc_get(dir, b));
	bwrap_proc_put(dir, b, PROC_FAILS);
	ATF_CHECK_EQ(PROC_FAILS, bwrap_proc_get(dir, b));
	bwrap_proc_forget(dir, b);
	ATF_CHECK_EQ(PROC_UNKNOWN, bwrap_proc_get(dir, b));
	ATF_CHECK_EQ(PROC_UNKNOWN, bwrap_proc_get(NULL, a));
	fx_teardown(&fx);
}

/* A run with --no-proc says nothing about /proc, so it never overwrites what is known. */
ATF_TC_WITHOUT_HEAD(no_proc_run_keeps_a_known_outcome);
ATF_TC_BODY(no_proc_run_keeps_a_known_outcome, tc)
{
	struct fx fx;

	fx_setup(&fx);
	const char *dir = fx.dir, *a = fx_bwrap(&fx, "a", "exit 0", 0755);

	bwrap_proc_put(dir, a, PROC_NOT_TRIED);
	ATF_CHECK_EQ(PROC_NOT_TRIED, bwrap_proc_get(dir, a));
	bwrap_proc_put(dir, a, PROC_FAILS);
	bwrap_proc_put(dir, a, PROC_NOT_TRIED);
	ATF_CHECK_EQ(PROC_FAILS, bwrap_proc_get(dir, a));
	fx_teardown(&fx);
}

/* A replaced bwrap (new inode, size or times) is a stranger: its outcome is unknown. */
ATF_TC_WITHOUT_HEAD(replaced_bwrap_loses_its_proc_outcome);
ATF_TC_BODY(replaced_bwrap_loses_its_proc_outcome, tc)
{
	struct fx fx;

	fx_setup(&fx);
	const char *dir = fx.dir, *a = fx_bwrap(&fx, "a", "exit 0", 0755);

	bwrap_proc_put(dir, a, PROC_MOUNTS);
	ATF_REQUIRE(unlink(a) == 0);
	fx_bwrap(&fx, "a", "exit 0 # a longer body", 0755);
	ATF_CHECK_EQ(PROC_UNKNOWN, bwrap_proc_get(dir, a));
	fx_teardown(&fx);
}

/* An entry whose key line does not match (a hash collision, a forged file) is ignored. */
ATF_TC_WITHOUT_HEAD(proc_entry_with_another_key_is_ignored);
ATF_TC_BODY(proc_entry_with_another_key_is_ignored, tc)
{
	struct fx fx;
	struct dirent *e;
	DIR *d;

	fx_setup(&fx);
	const char *dir = fx.dir, *a = fx_bwrap(&fx, "a", "exit 0", 0755);

	bwrap_proc_put(dir, a, PROC_FAILS);
	ATF_REQUIRE((d = opendir(dir)) != NULL);
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "proc-", 5) == 0) {
			char *path = fmt("%s/%s", dir, e->d_name);
			FILE *f = fopen(path, "w");

			ATF_REQUIRE(f != NULL);
			fputs("/usr/bin/bwrap 1 2 3 4.0 5.0 | mnt:[1] user:[2] pid:[3] x\nmounts\n", f);
			fclose(f);
			free(path);
		}
	}
	closedir(d);
	ATF_CHECK_EQ(PROC_UNKNOWN, bwrap_proc_get(dir, a));
	fx_teardown(&fx);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, help_with_argv0_and_perms_sets_both);
	ATF_TP_ADD_TC(tp, proc_outcome_is_kept_per_bwrap_file);
	ATF_TP_ADD_TC(tp, no_proc_run_keeps_a_known_outcome);
	ATF_TP_ADD_TC(tp, replaced_bwrap_loses_its_proc_outcome);
	ATF_TP_ADD_TC(tp, proc_entry_with_another_key_is_ignored);
	ATF_TP_ADD_TC(tp, help_without_argv0_or_perms_clears_both);
	ATF_TP_ADD_TC(tp, option_as_prefix_of_a_longer_word_does_not_count);
	ATF_TP_ADD_TC(tp, missing_new_session_is_reported);
	ATF_TP_ADD_TC(tp, builtin_feature_sets_are_usable);
	ATF_TP_ADD_TC(tp, known_releases_map_to_their_feature_sets);
	ATF_TP_ADD_TC(tp, other_releases_plan_with_the_newest_set_they_include);
	ATF_TP_ADD_TC(tp, bundled_bwrap_has_a_known_usable_feature_set);
	ATF_TP_ADD_TC(tp, bundled_bwrap_can_be_turned_off);
	ATF_TP_ADD_TC(tp, candidates_follow_path_order);
	ATF_TP_ADD_TC(tp, non_executable_bwrap_is_skipped);
	ATF_TP_ADD_TC(tp, bwrap_inside_cwd_is_skipped);
	ATF_TP_ADD_TC(tp, root_cwd_keeps_every_candidate);
	ATF_TP_ADD_TC(tp, symlinked_bwrap_is_canonicalized);
	ATF_TP_ADD_TC(tp, same_bwrap_twice_on_path_is_listed_once);
	ATF_TP_ADD_TC(tp, empty_or_relative_path_gives_no_candidate);
	ATF_TP_ADD_TC(tp, probe_accepts_a_full_help);
	ATF_TP_ADD_TC(tp, probe_rejects_help_without_new_session);
	ATF_TP_ADD_TC(tp, probe_gives_up_on_a_silent_bwrap);
	ATF_TP_ADD_TC(tp, probe_gives_up_on_a_bwrap_that_hangs_after_closing_output);
	return atf_no_error();
}
