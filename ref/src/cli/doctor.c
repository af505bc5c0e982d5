/*
 * cordon doctor: what cordon needs from this machine, one check at a time,
 * each problem with a hint saying what to do.  The probing lives in
 * sysprobe.c; this file judges the answers and prints them.
 */
#include <errno.h>
#include <jansson.h>
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bwrap_vendored.h"
#include "cordon.h"
#include "doctor.h"
#include "landlock.h"
#include "launch.h"
#include "legacy_ns.h"
#include "legacy_summary.h"
#include "sysprobe.h"
#include "targets.h"
#include "util.h"

#define MAX_USERNS "/proc/sys/user/max_user_namespaces"
#define USERNS_CLONE "/proc/sys/kernel/unprivileged_userns_clone"
#define AA_USERNS "/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
#define PROC_TIMEOUT_MS 5000
#define MAX_CHECKS 24
#define MAX_FEATURES 32

#define HINT_USERNS "bwrap needs unprivileged user namespaces: see the userns lines " \
	"above (sysctl, AppArmor); in a container, allow them (docker: " \
	"--security-opt seccomp=unconfined --security-opt apparmor=unconfined)"

enum status { ST_OK, ST_WARN, ST_FAIL };

static const char *const status_names[] = { "ok", "warn", "fail" };

struct check {
	const char *name;
	enum status status;
	char *detail;
	const char *hint;	/* what to do about it; NULL when ok */
};

/* What the real probes found, for doctor --json's "environment". */
struct environment {
	const char *user_namespaces;	/* ok, off, refused-by-seccomp, refused */
	int fresh_proc;			/* 1 yes, 0 no, -1 not known */
	bool seccomp_filtered;		/* cordon itself runs under a seccomp filter */
};

struct report {
	struct environment env;
	struct check checks[MAX_CHECKS];
	size_t nchecks;
	struct bwrap_info *bwraps;	/* every candidate on PATH, probed */
	size_t nbwraps;
	int chosen;			/* the one cordon would use, or -1 */
	bool bundled;			/* none usable: cordon's bundled bwrap is used */
	struct strv ignored;		/* candidates inside the cwd: never run */
	struct strv legacy_gives;	/* what --legacy-landlock gives here */
	struct strv legacy_lacks;	/* and what it does not */
};

static void
add(struct report *rep, const char *name, enum status st, const char *hint, char *detail)
{
	struct check *c = &rep->checks[rep->nchecks++];

	c->name = name;
	c->status = st;
	c->detail = detail;
	c->hint = st == ST_OK ? NULL : hint;
}

static void
check_kernel(struct report *rep)
{
	struct utsname u;

	if (uname(&u) < 0)
		add(rep, "kernel", ST_FAIL, "uname(2) is blocked: is cordon itself inside a "
		    "sandbox that forbids it?", xasprintf("uname: %s", strerror(errno)));
	else
		add(rep, "kernel", ST_OK, NULL, xstrdup(u.release));
}

/* An absent knob does not apply here; one we cannot read is worth a warning. */
static bool
knob(struct report *rep, const char *name, const char *path, long *v)
{
	if (sysprobe_read_long(path, v) == 0)
		return true;
	if (errno == ENOENT)
		add(rep, name, ST_OK, NULL, xasprintf("not applicable (no %s)", path));
	else
		add(rep, name, ST_WARN, "the proc line below shows whether bwrap works anyway",
		    xasprintf("cannot read %s: %s", path, strerror(errno)));
	return false;
}

/* The knobs that switch unprivileged user namespaces off, and what to do about each. */
static const struct userns_knob {
	const char *check, *path, *sysctl;
	long bad;		/* the value at which bwrap cannot start */
	enum status st;		/* what that value makes the check */
	const char *hint, *off;	/* what to do; what the value means */
} userns_knobs[] = {
	{ "userns", MAX_USERNS, "user.max_user_namespaces", 0, ST_FAIL,
	  "as root: sysctl -w user.max_user_namespaces=10000 (and keep it in /etc/sysctl.d/)",
	  "user namespaces are disabled" },
	{ "userns-clone", USERNS_CLONE, "kernel.unprivileged_userns_clone", 0, ST_FAIL,
	  "as root: sysctl -w kernel.unprivileged_userns_clone=1 (and keep it in /etc/sysctl.d/)",
	  "unprivileged user namespaces are disabled" },
	{ "apparmor-userns", AA_USERNS, "kernel.apparmor_restrict_unprivileged_userns", 1, ST_WARN,
	  "give bwrap an AppArmor profile that allows user namespaces (Ubuntu ships "
	  "/etc/apparmor.d/bwrap-userns-restrict), or as root: "
	  "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
	  "AppArmor restricts unprivileged user namespaces" },
};
enum { KNOB_MAX, KNOB_CLONE, KNOB_APPARMOR };	/* userns_knobs[], in its order */

static void
check_userns(struct report *rep)
{
	for (size_t i = 0; i < sizeof(userns_knobs) / sizeof(userns_knobs[0]); i++) {
		const struct userns_knob *k = &userns_knobs[i];
		long v;

		if (!knob(rep, k->check, k->path, &v))
			continue;
		if (v == k->bad)
			add(rep, k->check, k->st, k->hint, xasprintf("%s (%s = %ld)", k->off,
			    k->sysctl, v));
		else
			add(rep, k->check, ST_OK, k->hint, xasprintf("%s = %ld", k->sysctl, v));
	}
}

/* Is this process under a seccomp filter already (a container's, a sandbox's)? */
static bool
seccomp_filtered(void)
{
	char line[128];
	bool on = false;
	FILE *f = fopen("/proc/self/status", "re");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Seccomp:", 8) == 0)
			on = atoi(line + 8) == 2;
	if (f != NULL)
		fclose(f);
	return on;
}

/* A child tries what bwrap does first: 0, or the errno of unshare(2). */
static int
try_userns(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 ? 0 : errno & 0xff);
	if (waitpid(pid, &st, 0) < 0)
		return errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
}

/*
 * The real probe behind the knobs above: can this user make a user and a
 * mount namespace, as bwrap will?  The errno and the process's own seccomp
 * state say which of the usual causes it is.
 */
static void
check_namespaces(struct report *rep)
{
	long clone = 1, aa = 0;
	int e = try_userns();

	rep->env.seccomp_filtered = seccomp_filtered();
	sysprobe_read_long(userns_knobs[KNOB_CLONE].path, &clone);
	sysprobe_read_long(userns_knobs[KNOB_APPARMOR].path, &aa);
	rep->env.user_namespaces = e == 0 ? "ok" : e == ENOSPC ? "off" :
	    e == EPERM && rep->env.seccomp_filtered ? "refused-by-seccomp" : "refused";
	if (e == 0)
		add(rep, "namespaces", ST_OK, NULL, xstrdup("this user can create a user and a "
		    "mount namespace (tried)"));
	else if (e == ENOSPC)
		add(rep, "namespaces", ST_FAIL, userns_knobs[KNOB_MAX].hint, xstrdup("user "
		    "namespaces are off: unshare(CLONE_NEWUSER) fails with ENOSPC, the limit is 0"));
	else if (e == EPERM && rep->env.seccomp_filtered)
		add(rep, "namespaces", ST_FAIL, "cordon runs under a seccomp filter that refuses "
		    "new namespaces, as a container's default profile does: run the container with "
		    "--security-opt seccomp=unconfined (Docker, Podman) or a profile that allows "
		    "unshare, clone with CLONE_NEWUSER and mount, or run cordon outside it",
		    xstrdup("a seccomp filter refuses new namespaces (unshare: EPERM, and this "
		    "process is filtered): inside a container or another sandbox"));
	else if (e == EPERM && clone == 0)
		add(rep, "namespaces", ST_FAIL, userns_knobs[KNOB_CLONE].hint,
		    xstrdup("unshare(CLONE_NEWUSER) fails with EPERM: "
		    "kernel.unprivileged_userns_clone = 0"));
	else if (e == EPERM && aa == 1)
		add(rep, "namespaces", ST_FAIL, userns_knobs[KNOB_APPARMOR].hint,
		    xstrdup("unshare(CLONE_NEWUSER) fails with EPERM: AppArmor restricts "
		    "unprivileged user namespaces"));
	else
		add(rep, "namespaces", ST_FAIL, HINT_USERNS,
		    xasprintf("unshare(CLONE_NEWUSER): %s", strerror(e)));
}

static void
check_landlock(struct report *rep)
{
	int abi = sysprobe_landlock_abi(), e = errno;

	if (abi >= 0) {
		add(rep, "landlock", ST_OK, NULL, xasprintf("ABI %d: %s", abi,
		    landlock_layer_summary(abi)));
	} else if (e == ENOSYS) {
		add(rep, "landlock", ST_WARN, "without it, FIFOs outside the writable roots stay "
		    "writable and the legacy Landlock pipeline is refused; "
		    "that takes a kernel built with CONFIG_SECURITY_LANDLOCK (Linux 5.13+)",
		    xstrdup("not available (ENOSYS: the kernel was built without it)"));
	} else if (e == EOPNOTSUPP) {
		add(rep, "landlock", ST_WARN, "without it, FIFOs outside the writable roots stay "
		    "writable and the legacy Landlock pipeline is refused; "
		    "add landlock to the lsm= kernel parameter to turn it on",
		    xstrdup("not available (EOPNOTSUPP: disabled at boot)"));
	} else {
		add(rep, "landlock", ST_WARN, "without it, FIFOs outside the writable roots stay "
		    "writable and the legacy Landlock pipeline is refused; "
		    "something (a container's seccomp profile?) blocks landlock_create_ruleset",
		    xasprintf("not available (%s)", strerror(e)));
	}
}

/*
 * What --legacy-landlock gives here: it needs Landlock and the namespaces
 * its init makes; a /proc it cannot mount fresh is the proc line's warning.
 */
static void
check_legacy(struct report *rep)
{
	struct legacy_env e = { 0 };
	const char *no;

	legacy_env_here(&e);
	e.any_policy = true;
	legacy_summary(&e, &rep->legacy_gives, &rep->legacy_lacks);
	if ((no = legacy_refusal(&e)) != NULL)
		add(rep, "legacy", ST_WARN, "see the landlock and userns lines above; without "
		    "--legacy-landlock cordon uses bubblewrap", xasprintf("--legacy-landlock is "
		    "refused here: %s", no));
	else
		add(rep, "legacy", ST_OK, NULL, xasprintf("--legacy-landlock: Landlock ABI %d, "
		    "user namespaces, %s", e.abi, e.proc ? "a fresh /proc" :
		    "the enclosing /proc, read-only (a fresh one cannot be mounted here)"));
}

static void
check_seccomp(struct report *rep)
{
	const char *kernel = "use a kernel built with CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER";
	struct seccomp_probe sp;

	sysprobe_seccomp(&sp);
	if (sp.mode < 0)
		add(rep, "seccomp", ST_FAIL, kernel,
		    xasprintf("not available (prctl(PR_GET_SECCOMP): %s)",
		    strerror(sp.mode_errno)));
	else if (!sp.filters)
		add(rep, "seccomp", ST_FAIL, kernel, xstrdup("seccomp filters are not available"));
	else if (!sp.act_errno || !sp.act_kill_process)
		add(rep, "seccomp", ST_FAIL, "cordon's filter needs the errno and kill_process "
		    "actions: use Linux 4.14 or later",
		    xasprintf("filters lack the %s action",
		    !sp.act_errno ? "errno" : "kill_process"));
	else
		add(rep, "seccomp", ST_OK, NULL,
		    xasprintf("filters with errno and kill_process (from %s)%s",
		    sp.from_proc ? "actions_avail" : "seccomp(2)",
		    sp.mode == 2 ? "; cordon itself already runs under a filter" : ""));
}

static bool
probed(const struct report *rep, const char *path)
{
	for (size_t i = 0; i < rep->nbwraps; i++)
		if (strcmp(rep->bwraps[i].path, path) == 0)
			return true;
	return false;
}

/* Probe what cordon would consider; list, but never run, what it would ignore. */
static void
probe_bwraps(struct report *rep)
{
	char cwd[PATH_MAX], **cands, **all;
	const char *search = getenv("PATH"), *here = getcwd(cwd, sizeof(cwd));
	size_t n = bwrap_candidates(search, here, &cands);
	/* With "/" as the cwd nothing is excluded: every bwrap on PATH. */
	size_t nall = bwrap_candidates(search, "/", &all);

	rep->chosen = -1;
	rep->bwraps = xcalloc(n, sizeof(*rep->bwraps));
	for (size_t i = 0; i < n; i++) {
		if (bwrap_probe(cands[i], true, &rep->bwraps[i]) == 0 && rep->chosen < 0)
			rep->chosen = (int)i;
		rep->nbwraps++;
		free(cands[i]);
	}
	free(cands);
	for (size_t i = 0; i < nall; i++) {
		if (!probed(rep, all[i]))
			strv_push(&rep->ignored, all[i]);
		free(all[i]);
	}
	free(all);
}

static void
check_bwrap(struct report *rep)
{
	const char *install = "install bubblewrap: apt-get install bubblewrap";
	const char *why;
	char *line;

	probe_bwraps(rep);
	if (rep->chosen >= 0) {
		const struct bwrap_info *b = &rep->bwraps[rep->chosen];

		add(rep, "bwrap", ST_OK, NULL, xasprintf("%s (%s)", b->path,
		    b->version ? b->version : "version unknown"));
		return;
	}
	if (rep->nbwraps == 0)
		why = rep->ignored.n == 0 ? "no bwrap on PATH" :
		    "no bwrap on PATH outside the current directory";
	else
		why = "no usable bwrap on PATH";
	if (bwrap_vendored_version() != NULL) {
		rep->bundled = true;
		add(rep, "bwrap", ST_WARN, install, rep->nbwraps == 0 ? xasprintf("%s; cordon "
		    "uses its bundled bubblewrap %s", why, bwrap_vendored_version()) :
		    xasprintf("%s (%zu found, none usable); cordon uses its bundled bubblewrap %s",
		    why, rep->nbwraps, bwrap_vendored_version()));
		/* The one line `cordon run` prints, on stderr, with how to install bwrap. */
		line = bwrap_vendored_warning(why);
		warnx_("warning: %s (install bubblewrap with your package manager: "
		    "apt-get install bubblewrap)", line);
		free(line);
	} else if (rep->nbwraps == 0) {
		add(rep, "bwrap", ST_FAIL, install, xstrdup(why));
	} else {
		add(rep, "bwrap", ST_FAIL, install,
		    xasprintf("%s (%zu found, none usable)", why, rep->nbwraps));
	}
}

/* What the bundled bubblewrap is, or why this build has none. */
static void
check_bundled(struct report *rep)
{
	const char *v = bwrap_vendored_version();

	if (v != NULL)
		add(rep, "bundled", ST_OK, NULL, xasprintf("bubblewrap %s (cordon's build), %s", v,
		    rep->bundled ? "in use" : "used only when PATH has no usable bwrap"));
	else if (rep->chosen >= 0)
		add(rep, "bundled", ST_OK, NULL, xasprintf("none (%s); the bwrap on PATH is used",
		    bwrap_vendored_missing()));
	else
		add(rep, "bundled", ST_FAIL, "rebuild cordon where Debian's archive is reachable "
		    "(scripts/vendor-bwrap), or install bubblewrap",
		    xasprintf("none (%s)", bwrap_vendored_missing()));
}

/* bwrap's first line of complaint, or how it ended. */
static char *
first_complaint(const struct run_result *r)
{
	const char *s = r->output + strspn(r->output, " \t\n");

	if (*s != '\0')
		return xasprintf("bwrap cannot set up its sandbox: %.*s", (int)strcspn(s, "\n"), s);
	if (WIFSIGNALED(r->wstatus))
		return xasprintf("bwrap was killed by signal %d", WTERMSIG(r->wstatus));
	return xasprintf("bwrap failed with exit status %d", WEXITSTATUS(r->wstatus));
}

/* Which C library cordon was linked with: glibc's start-up is the slower one (scripts/musl-cordon). */
static void
check_build(struct report *rep)
{
#ifdef __GLIBC__
	add(rep, "build", ST_OK, "make prints why musl was not used: see scripts/musl-cordon",
	    xstrdup("static, glibc: each launch starts about 0.4 ms slower under virtualisation "
	    "than a musl build"));
#else
	add(rep, "build", ST_OK, NULL, xstrdup("static, musl"));
#endif
}

/*
 * How the next launch will go: direct once a careful launch has checked
 * this bwrap here.  What cordon remembers is dropped if the /proc check
 * above now says otherwise, so the next launch is careful again.
 */
static void
check_launch(struct report *rep, const char *bw, bool mounts, bool fails)
{
	char *registry = targets_registry();
	enum proc_outcome known = bwrap_proc_get(registry, bw);
	bool stale = (known == PROC_MOUNTS && fails) || (known == PROC_FAILS && mounts);

	if (stale) {
		bwrap_proc_forget(registry, bw);
		known = PROC_UNKNOWN;
	}
	if (known == PROC_UNKNOWN)
		add(rep, "launch", ST_OK, NULL, xasprintf("careful next: %s", stale ?
		    "what cordon remembered about /proc here no longer holds, so it was dropped" :
		    "no launch with this bwrap here yet (the first one checks it)"));
	else
		add(rep, "launch", ST_OK, NULL, xstrdup("direct: a careful launch here has "
		    "checked this bwrap; bwrap gets the filter on a descriptor (the helper "
		    "becomes bwrap, cordon run starts it and stays to pass signals on)"));
	free(registry);
}

static void
check_proc(struct report *rep)
{
	const char *bw = rep->bundled ? "/proc/self/exe" : rep->bwraps[rep->chosen].path;
	const char *truth = access("/bin/true", X_OK) == 0 ? "/bin/true" : "/usr/bin/true";
	char *argv[] = { (char *)bw, CORDON_BWRAP_FLAG, "--unshare-user", "--unshare-pid",
		"--unshare-net", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--",
		(char *)truth, NULL };
	struct run_result r;

	/* A system bwrap gets no marker: the marker is for cordon's own image. */
	if (!rep->bundled)
		memmove(&argv[1], &argv[2], sizeof(argv) - 2 * sizeof(argv[0]));
	if (sysprobe_run(argv, PROC_TIMEOUT_MS, &r) < 0) {
		add(rep, "proc", ST_FAIL, "cordon could not start a process: check ulimit -u",
		    xasprintf("cannot run %s: %s", bw, strerror(errno)));
		return;
	}
	if (!r.timed_out && WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0)
		rep->env.fresh_proc = 1;
	else if (!r.timed_out && proc_mount_failed(r.output))
		rep->env.fresh_proc = 0;
	if (r.timed_out)
		add(rep, "proc", ST_FAIL, "try it by hand: bwrap --unshare-user --unshare-pid "
		    "--unshare-net --ro-bind / / --dev /dev --proc /proc -- /bin/true",
		    xasprintf("bwrap did not finish within %d seconds", PROC_TIMEOUT_MS / 1000));
	else if (WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0)
		add(rep, "proc", ST_OK, NULL, xstrdup("bwrap mounts a fresh /proc in new user, "
		    "PID and network namespaces"));
	else if (proc_mount_failed(r.output))
		add(rep, "proc", ST_WARN, "usual in a container that masks parts of /proc; "
		    "docker: --security-opt systempaths=unconfined",
		    xstrdup("bwrap cannot mount a fresh /proc here; cordon runs commands "
		    "without one and says so"));
	else
		add(rep, "proc", ST_FAIL, HINT_USERNS, first_complaint(&r));
	check_launch(rep, bw, WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0 && !r.timed_out,
	    proc_mount_failed(r.output));
	run_result_free(&r);
}

static void
print_bwraps(const struct report *rep)
{
	for (size_t i = 0; i < rep->nbwraps; i++) {
		const struct bwrap_info *b = &rep->bwraps[i];
		const char *names[MAX_FEATURES];
		bool vals[MAX_FEATURES];
		size_t n = bwrap_feature_list(&b->feat, names, vals, MAX_FEATURES);

		printf("      %s: %s, ", b->path, b->version ? b->version : "version unknown");
		if (b->unusable != NULL)
			printf("unusable: %s\n", b->unusable);
		else
			printf("usable%s\n", (int)i == rep->chosen ? ", used by cordon" : "");
		printf("        features:");
		for (size_t k = 0; k < n; k++)
			printf(" %s%s", vals[k] ? "+" : "-", names[k]);
		putchar('\n');
	}
	for (size_t i = 0; i < rep->ignored.n; i++)
		printf("      %s: ignored, inside the current directory (not run)\n",
		    rep->ignored.v[i]);
}

static void
print_legacy(const struct report *rep)
{
	for (size_t i = 0; i < rep->legacy_gives.n; i++)
		printf("      gives: %s\n", rep->legacy_gives.v[i]);
	for (size_t i = 0; i < rep->legacy_lacks.n; i++)
		printf("      does not give: %s\n", rep->legacy_lacks.v[i]);
}

static size_t
count(const struct report *rep, enum status st)
{
	size_t n = 0;

	for (size_t i = 0; i < rep->nchecks; i++)
		n += rep->checks[i].status == st;
	return n;
}

static void
print_text(const struct report *rep)
{
	size_t problems = count(rep, ST_WARN) + count(rep, ST_FAIL);

	for (size_t i = 0; i < rep->nchecks; i++) {
		const struct check *c = &rep->checks[i];

		printf("%-6s%s: %s\n", status_names[c->status], c->name, c->detail);
		if (strcmp(c->name, "bwrap") == 0)
			print_bwraps(rep);
		if (strcmp(c->name, "legacy") == 0)
			print_legacy(rep);
		if (c->hint != NULL)
			printf("  hint: %s\n", c->hint);
	}
	if (problems == 0)
		printf("doctor: all good\n");
	else
		printf("doctor: %zu problem(s)\n", problems);
}

static json_t *
string_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
bwrap_json(const struct bwrap_info *b, bool used)
{
	const char *names[MAX_FEATURES];
	bool vals[MAX_FEATURES];
	size_t n = bwrap_feature_list(&b->feat, names, vals, MAX_FEATURES);
	json_t *feat = json_object();

	for (size_t i = 0; i < n; i++)
		json_object_set_new(feat, names[i], json_boolean(vals[i]));
	return json_pack("{s:s, s:o, s:b, s:b, s:o, s:o}", "path", b->path,
	    "version", string_or_null(b->version), "usable", b->unusable == NULL,
	    "used", used, "unusable_reason", string_or_null(b->unusable), "features", feat);
}

static void
print_json(const struct report *rep)
{
	json_t *o = json_object(), *checks = json_array(), *bwraps = json_array();
	json_t *ignored = json_array(), *gives = json_array(), *lacks = json_array();

	for (size_t i = 0; i < rep->nchecks; i++) {
		const struct check *c = &rep->checks[i];

		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:o}", "name", c->name,
		    "status", status_names[c->status], "detail", c->detail,
		    "hint", string_or_null(c->hint)));
	}
	for (size_t i = 0; i < rep->nbwraps; i++)
		json_array_append_new(bwraps, bwrap_json(&rep->bwraps[i], (int)i == rep->chosen));
	for (size_t i = 0; i < rep->ignored.n; i++)
		json_array_append_new(ignored, json_string(rep->ignored.v[i]));
	for (size_t i = 0; i < rep->legacy_gives.n; i++)
		json_array_append_new(gives, json_string(rep->legacy_gives.v[i]));
	for (size_t i = 0; i < rep->legacy_lacks.n; i++)
		json_array_append_new(lacks, json_string(rep->legacy_lacks.v[i]));
	json_object_set_new(o, "cordon_version", json_string(cordon_version()));
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "bwraps", bwraps);
	json_object_set_new(o, "ignored_bwraps", ignored);
	json_object_set_new(o, "legacy", json_pack("{s:o, s:o}", "gives", gives, "lacks", lacks));
	json_object_set_new(o, "bundled_bwrap", json_pack("{s:o, s:o, s:b}",
	    "version", string_or_null(bwrap_vendored_version()),
	    "missing", string_or_null(bwrap_vendored_missing()), "used", rep->bundled));
	json_object_set_new(o, "environment", json_pack("{s:s, s:o, s:s, s:b}",
	    "user_namespaces", rep->env.user_namespaces,
	    "fresh_proc", rep->env.fresh_proc < 0 ? json_null() : json_boolean(rep->env.fresh_proc),
	    "bwrap", rep->bundled ? "bundled" : rep->chosen >= 0 ? "system" : "none",
	    "seccomp_filtered", rep->env.seccomp_filtered));
	json_object_set_new(o, "ok", json_boolean(count(rep, ST_FAIL) == 0));
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(o);
}

/*
 * Root is no superuser in the sandbox's user namespace, which maps only
 * root: other users' files are what their modes give anyone.  Nothing to
 * fix, but cordon run refuses a workspace it could not write, so say it.
 */
static void
check_caller(struct report *rep)
{
	if (geteuid() != 0)
		return;
	add(rep, "caller", ST_OK, NULL, xstrdup("root: in the sandbox's user namespace root has "
	    "no power over other users' files, so cordon run refuses a workspace of another "
	    "user that the modes do not let it write; run cordon as the workspace's owner"));
}

static void
report_free(struct report *rep)
{
	for (size_t i = 0; i < rep->nchecks; i++)
		free(rep->checks[i].detail);
	for (size_t i = 0; i < rep->nbwraps; i++)
		bwrap_info_free(&rep->bwraps[i]);
	free(rep->bwraps);
	strv_free(&rep->ignored);
	strv_free(&rep->legacy_gives);
	strv_free(&rep->legacy_lacks);
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: cordon doctor [--json]\n"
	    "Check what cordon needs from this machine: kernel, user namespaces, Landlock\n"
	    "(and what --legacy-landlock gives with it), seccomp, the bwrap binaries on PATH\n"
	    "and whether bwrap can mount a fresh /proc.\n"
	    "Every problem comes with a hint.  Exit status 1 if a check failed; warnings\n"
	    "alone leave it 0.\n");
}

int
doctor_main(int argc, char **argv)
{
	struct report rep = { .env = { "ok", -1, false } };
	bool json = false;
	int r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			warnx_("doctor: unknown %s %s (try: cordon doctor --help)",
			    argv[i][0] == '-' ? "option" : "argument", argv[i]);
			return EXIT_USAGE;
		}
	}
	check_build(&rep);
	check_kernel(&rep);
	check_userns(&rep);
	check_namespaces(&rep);
	check_landlock(&rep);
	check_legacy(&rep);
	check_seccomp(&rep);
	check_bwrap(&rep);
	check_bundled(&rep);
	/* Without a usable bwrap there is nothing to try; the bwrap line says why. */
	if (rep.chosen >= 0 || rep.bundled)
		check_proc(&rep);
	check_caller(&rep);
	if (json)
		print_json(&rep);
	else
		print_text(&rep);
	r = count(&rep, ST_FAIL) > 0 ? 1 : 0;
	report_free(&rep);
	return r;
}
