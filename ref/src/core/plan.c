/*
 * Rules to bwrap argv.  Rules are applied in depth order, so a narrower
 * rule is mounted after (and over) a wider one and the most specific rule
 * wins.  A denied directory becomes an empty tmpfs, remounted read-only
 * only after everything beneath it has been mounted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carveout.h"
#include "decide.h"
#include "mutant.h"
#include "path.h"
#include "plan.h"

struct builder {
	const struct rules *rs;
	const struct fsview *fs;
	const struct plan_opts *o;
	struct plan *p;
	struct strv remount;	/* deferred --remount-ro paths */
	struct strset blocked;	/* missing components already blocked */
	struct strset links;	/* symlinks recreated in an empty root */
	struct strset pinned;	/* directories bound onto themselves */
	char *err;
	size_t errlen;
};

enum pipeline
plan_pipeline(const struct rules *rs)
{
	if (!rs->full_write)
		return PIPELINE_BWRAP;
	return rs->network ? PIPELINE_UNCONFINED : PIPELINE_SECCOMP;
}

enum seccomp_mode
plan_seccomp_mode(const struct rules *rs)
{
	if (!rs->network)
		return SECCOMP_RESTRICTED;
	return rs->full_write ? SECCOMP_NONE : SECCOMP_DENY_VSOCK;
}

const char *
pipeline_name(enum pipeline p)
{
	switch (p) {
	case PIPELINE_UNCONFINED:
		return "direct";
	case PIPELINE_SECCOMP:
		return "seccomp-only";
	case PIPELINE_BWRAP:
		return "bubblewrap";
	case PIPELINE_LANDLOCK:
		return "legacy-landlock";
	}
	return "?";
}

const char *
seccomp_mode_name(enum seccomp_mode m)
{
	switch (m) {
	case SECCOMP_NONE:
		return "none";
	case SECCOMP_RESTRICTED:
		return "restricted";
	case SECCOMP_DENY_VSOCK:
		return "vsock";
	case SECCOMP_PROXY:
		return "proxy";
	}
	return "?";
}

const char *
launch_mode_name(enum launch_mode l)
{
	switch (l) {
	case LAUNCH_CAREFUL:
		return "careful";
	case LAUNCH_EXEC:
		return "exec";
	case LAUNCH_SPAWN:
		return "spawn";
	}
	return "?";
}

static void
push2(struct builder *b, const char *opt, const char *arg)
{
	strv_push(&b->p->argv, opt);
	strv_push(&b->p->argv, arg);
}

static void
push3(struct builder *b, const char *opt, const char *a1, const char *a2)
{
	strv_push(&b->p->argv, opt);
	strv_push(&b->p->argv, a1);
	strv_push(&b->p->argv, a2);
}

static void
add_target(struct builder *b, const char *path, bool dir)
{
	struct plan *p = b->p;

	p->targets = xrealloc(p->targets, (p->ntargets + 1) * sizeof(*p->targets));
	p->targets[p->ntargets].path = xstrdup(path);
	p->targets[p->ntargets].dir = dir;
	p->ntargets++;
}

/* An empty read-only file at path, from a fresh /dev/null descriptor. */
static void
push_empty_file(struct builder *b, const char *path, const char *perms)
{
	char fd[16];

	snprintf(fd, sizeof(fd), "%d", b->p->data_fd0 + b->p->ndata++);
	if (perms != NULL && b->o->feat->perms)
		push2(b, "--perms", perms);
	push3(b, "--ro-bind-data", fd, path);
}

/* An empty directory at path, read-only once everything beneath it is mounted. */
static void
push_empty_dir(struct builder *b, const char *path, const char *perms)
{
	if (b->o->feat->perms)
		push2(b, "--perms", perms);
	push2(b, "--tmpfs", path);
	strv_push(&b->remount, path);
}

static enum access
parent_access(struct builder *b, const char *path)
{
	return carveout_parent_access(b->rs, path);
}

/* A symlink on the way the sandbox could re-point: refused (carveout.c). */
static int
check_symlinks(struct builder *b, const struct rule *r)
{
	return carveout_check_links(b->rs, r, b->err, b->errlen);
}

static void
pin_bind(void *arg, const char *dir)
{
	push3(arg, "--bind", dir, dir);
}

/* Every directory on the way to path that the sandbox could rename, bound onto itself (carveout.c). */
static void
pin_ancestors(struct builder *b, const char *path)
{
	carveout_pins(b->rs, b->fs, &b->pinned, path, pin_bind, b);
}

/* A read or deny path that does not exist: stop the sandbox from creating it. */
static void
block_missing(struct builder *b, const struct rule *r)
{
	char *c, *parent;
	bool creatable;

	if (r->skip_missing || (r->protected ? mutant("mask-missing-metadata") :
	    mutant("block-missing-paths")))
		return;
	c = carveout_first_missing(b->fs, r->path);
	if (strset_has(&b->blocked, c)) {
		free(c);	/* one mount blocks it for every rule beneath */
		return;
	}
	parent = path_parent(c);
	creatable = parent_access(b, c) == ACCESS_WRITE && b->fs->can_write(b->fs, parent);
	free(parent);
	if (!creatable) {
		free(c);	/* the sandbox cannot create it there anyway */
		return;
	}
	strset_add(&b->blocked, c);
	if (r->protected && strcmp(c, r->path) == 0 && is_protected_name(path_base(c))) {
		/* An empty directory keeps git's upward repository discovery working. */
		push_empty_dir(b, c, "555");
		add_target(b, c, true);
	} else {
		push_empty_file(b, c, NULL);
		add_target(b, c, false);
	}
	free(c);
}

/* Every writable root is a mount of its own, nested ones too: it cannot be moved away. */
static void
apply_write(struct builder *b, const struct rule *r, enum fs_type t)
{
	if (t == FT_MISSING)
		return;		/* missing writable roots are skipped */
	if (mutant("nested-root-mount") && parent_access(b, r->path) == ACCESS_WRITE)
		return;
	push3(b, "--bind", r->path, r->path);
}

/* Could this existing, empty metadata path be a mount point another run created? */
static bool
maybe_synthetic(struct builder *b, const struct rule *r)
{
	char *parent;
	bool yes;

	if (!r->protected || !is_protected_name(path_base(r->path)) ||
	    parent_access(b, r->path) != ACCESS_WRITE || !b->fs->is_empty(b->fs, r->path))
		return false;
	parent = path_parent(r->path);
	yes = b->fs->can_write(b->fs, parent);
	free(parent);
	return yes;
}

static void
apply_read(struct builder *b, const struct rule *r, enum fs_type t)
{
	if (t == FT_MISSING) {
		block_missing(b, r);
		return;
	}
	if (maybe_synthetic(b, r) && !mutant("mask-empty-metadata")) {
		/*
		 * An empty metadata path may be another run's mount point:
		 * mask it the same way and register it, so neither run removes
		 * it from under the other.
		 */
		if (t == FT_DIR)
			push_empty_dir(b, r->path, "555");
		else
			push_empty_file(b, r->path, NULL);
		add_target(b, r->path, t == FT_DIR);
		return;
	}
	if (parent_access(b, r->path) != ACCESS_READ &&
	    !mutant(r->protected ? "protect-existing-metadata" : "read-only-carve-outs"))
		push3(b, "--ro-bind", r->path, r->path);
}

static void
apply_deny(struct builder *b, const struct rule *r, enum fs_type t)
{
	if (t == FT_MISSING) {
		block_missing(b, r);
		return;
	}
	if (parent_access(b, r->path) == ACCESS_DENY)
		return;		/* already hidden by an enclosing deny */
	if (mutant(r->hidden ? "hide-codex-sockets" : t == FT_DIR ? "deny-directories" :
	    "deny-files"))
		return;
	if (t == FT_DIR)
		push_empty_dir(b, r->path, rules_open_below(b->rs, r) ? "111" : "000");
	else if (b->o->feat->perms)
		push_empty_file(b, r->path, "000");
	else
		push3(b, "--ro-bind", "/dev/null", r->path);
}

/*
 * Over an empty root, a readable path named through symlinks (/bin on a
 * merged-/usr system is a link to usr/bin) is mounted at its target; the
 * links themselves are recreated so the names keep working.
 */
static void
push_links(struct builder *b, const struct rule *r)
{
	if (r->access == ACCESS_DENY)
		return;
	for (size_t i = 0; i < r->links.n; i++) {
		const char *l = r->links.v[i];
		char *target;

		if (strset_has(&b->links, l) || rules_effective(b->rs, l, NULL) != ACCESS_DENY ||
		    (target = b->fs->readlink(b->fs, l)) == NULL)
			continue;
		push3(b, "--symlink", target, l);
		strset_add(&b->links, l);
		free(target);
	}
}

static void
push_root(struct builder *b)
{
	enum access root = rules_effective(b->rs, "/", NULL);
	const struct rule *which = NULL;

	rules_effective(b->rs, "/", &which);
	if (b->rs->full_write)
		push3(b, "--bind", "/", "/");
	else if (which != NULL && root == ACCESS_READ && !mutant("root-read-only"))
		push3(b, "--ro-bind", "/", "/");
	else if (which != NULL && root == ACCESS_READ)
		push3(b, "--bind", "/", "/");
	else if (which != NULL && root == ACCESS_WRITE)
		push3(b, "--bind", "/", "/");
	else if (!mutant("empty-root"))
		push2(b, "--tmpfs", "/");
	else
		push3(b, "--ro-bind", "/", "/");
	if (!mutant("bwrap-dev"))
		push2(b, "--dev", "/dev");
	else
		push3(b, "--dev-bind", "/dev", "/dev");
	/* A writable / gives the host's shared memory too, as in Codex. */
	if (b->rs->full_write || (root == ACCESS_WRITE && which != NULL))
		push3(b, "--bind-try", "/dev/shm", "/dev/shm");
}

static int
push_filesystem(struct builder *b)
{
	push_root(b);
	for (size_t i = 0; i < b->rs->n; i++) {
		const struct rule *r = &b->rs->r[i];
		enum fs_type t;

		if (strcmp(r->path, "/") == 0)
			continue;
		if (check_symlinks(b, r) < 0)
			return -1;
		pin_ancestors(b, r->path);
		t = b->fs->lstat(b->fs, r->path);
		if (t == FT_SYMLINK)
			t = FT_MISSING;	/* canonical path ends in a dangling link */
		switch (r->access) {
		case ACCESS_WRITE:
			apply_write(b, r, t);
			break;
		case ACCESS_READ:
			apply_read(b, r, t);
			break;
		case ACCESS_DENY:
			apply_deny(b, r, t);
			break;
		}
	}
	if (rules_effective(b->rs, "/", NULL) == ACCESS_DENY)
		for (size_t i = 0; i < b->rs->n; i++)
			push_links(b, &b->rs->r[i]);
	/* The inner stage must be reachable even where the policy hides it. */
	if (rules_effective(b->rs, b->o->self_exe, NULL) == ACCESS_DENY)
		push3(b, "--ro-bind", b->o->self_exe, b->o->self_exe);
	if (b->o->registry != NULL && b->fs->lstat(b->fs, b->o->registry) == FT_DIR &&
	    rules_effective(b->rs, b->o->registry, NULL) == ACCESS_WRITE &&
	    !mutant("registry-read-only")) {
		pin_ancestors(b, b->o->registry);
		push3(b, "--ro-bind", b->o->registry, b->o->registry);
	}
	/* Read-only is enough: connect() on a socket needs only the file to be visible. */
	if (b->o->proxy_dir != NULL) {
		pin_ancestors(b, b->o->proxy_dir);
		push3(b, "--ro-bind", b->o->proxy_dir, b->o->proxy_dir);
	}
	for (size_t i = b->remount.n; i > 0 && !mutant("remount-masks-read-only"); i--)
		push2(b, "--remount-ro", b->remount.v[i - 1]);
	return 0;
}

/*
 * Landlock on top of the mounts (ABI > 0): the mounts already decide
 * what can be read and written, but a read-only mount does not stop
 * opening a FIFO (or a device) for writing, a channel to host processes.
 * The stage grants reading everywhere, everything beneath each writable
 * root (nested ones are covered by their ancestor's grant), /dev (bwrap's
 * own) and /proc; Landlock refuses every other open for writing.
 */
static void
push_landlock(struct builder *b)
{
	char abi[16];

	if (b->o->landlock_abi <= 0)
		return;
	snprintf(abi, sizeof(abi), "%d", b->o->landlock_abi);
	push2(b, "--landlock", abi);
	for (size_t i = 0; i < b->rs->n; i++) {
		const struct rule *r = &b->rs->r[i];

		if (r->access != ACCESS_WRITE || b->fs->lstat(b->fs, r->path) == FT_MISSING)
			continue;
		if (!rules_write_below_write(b->rs, r))
			push2(b, "--ll-write", r->path);
	}
	if (b->o->mount_proc)
		strv_push(&b->p->argv, "--ll-proc");
	/* Network off: the netns hides the host's abstract sockets; say so to Landlock too. */
	if (!b->rs->network || b->o->proxy)
		strv_push(&b->p->argv, "--ll-scope-abstract");
}

/*
 * bwrap loads the filter and runs the command itself, or, with Landlock,
 * a stage that loads the filter and adds Landlock (bwrap cannot: Landlock
 * forbids mounting, so it must come after bwrap's set-up) and executes the
 * command.
 */
static void
push_direct(struct builder *b)
{
	char fd[16];

	if (b->p->seccomp_fd >= 0) {
		snprintf(fd, sizeof(fd), "%d", b->p->seccomp_fd);
		push2(b, "--seccomp", fd);
	}
	strv_push(&b->p->argv, "--");
	if (b->o->landlock_abi > 0) {
		strv_push(&b->p->argv, b->o->self_exe);
		strv_push(&b->p->argv, "--cordon-inner");
		push2(b, "--seccomp", seccomp_mode_name(b->p->seccomp));
		push_landlock(b);
		strv_push(&b->p->argv, "--");
	}
	for (char *const *c = b->o->command; *c != NULL; c++)
		strv_push(&b->p->argv, *c);
}

/* An isolation option of bwrap; a mutant build can leave each one out. */
static void
isolation(struct strv *argv, const char *opt, const char *name)
{
	if (!mutant(name))
		strv_push(argv, opt);
}

static void
drop_arg(struct strv *sv, size_t i)
{
	free(sv->v[i]);
	memmove(&sv->v[i], &sv->v[i + 1], (sv->n - i) * sizeof(char *));
	sv->n--;
}

static void
push_inner(struct builder *b)
{
	char fd[16];

	strv_push(&b->p->argv, "--");
	strv_push(&b->p->argv, b->o->self_exe);
	strv_push(&b->p->argv, "--cordon-inner");
	push2(b, "--seccomp", seccomp_mode_name(b->p->seccomp));
	snprintf(fd, sizeof(fd), "%d", b->p->stderr_fd);
	push2(b, "--stderr-fd", fd);
	snprintf(fd, sizeof(fd), "%d", b->p->ready_fd);
	push2(b, "--ready-fd", fd);
	if (b->o->proxy)
		push2(b, "--proxy-route-spec", b->o->route_spec);
	if (b->o->proxy && b->o->transparent_tcp)
		strv_push(&b->p->argv, "--transparent-tcp");
	push_landlock(b);
	strv_push(&b->p->argv, "--");
	for (char *const *c = b->o->command; *c != NULL; c++)
		strv_push(&b->p->argv, *c);
}

int
plan_build(const struct rules *rs, const struct fsview *fs, const struct plan_opts *o,
    struct plan *out, char *err, size_t errlen)
{
	struct builder b = { rs, fs, o, out, { 0 }, { 0 }, { 0 }, { 0 }, err, errlen };
	const struct bwrap_features *f = o->feat;
	int r;

	memset(out, 0, sizeof(*out));
	/* Proxy mode needs its network namespace even where the disk would need no bwrap. */
	out->pipeline = decide_pipeline_for(rs, o->proxy);
	out->seccomp = decide_seccomp_for(rs, o->proxy);
	out->seccomp_fd = -1;
	out->info_fd = -1;
	out->landlock_abi = o->landlock_abi > 0 ? o->landlock_abi : 0;
	out->stderr_fd = o->first_fd;
	out->ready_fd = o->first_fd + 1;
	out->data_fd0 = o->first_fd + 2;
	if (out->pipeline != PIPELINE_BWRAP)
		return 0;
	strv_push(&out->argv, "bwrap");
	/* A placeholder, kept for the inner stage as PID 1 or dropped below. */
	strv_push(&out->argv, "--as-pid-1");
	isolation(&out->argv, "--new-session", "bwrap-new-session");
	isolation(&out->argv, "--die-with-parent", "bwrap-die-with-parent");
	r = push_filesystem(&b);
	strv_free(&b.remount);
	strset_free(&b.blocked);
	strset_free(&b.links);
	strset_free(&b.pinned);
	if (r < 0) {
		plan_free(out);
		return -1;
	}
	/* Proxy routes need the inner stage; mount targets need cordon to stay and remove them. */
	if (o->direct_ok && !o->proxy)
		out->launch = out->ntargets > 0 || o->stay ? LAUNCH_SPAWN : LAUNCH_EXEC;
	if (out->launch != LAUNCH_CAREFUL || !f->as_pid_1 || mutant("bwrap-as-pid-1"))
		drop_arg(&out->argv, 1);
	if (out->launch != LAUNCH_CAREFUL) {
		/*
		 * With Landlock the stage loads the filter too, so bwrap's own
		 * init stays unfiltered: it installs no signal handler (signals
		 * from inside its namespace cannot reach it) and Landlock keeps
		 * ptrace, process_vm_* and /proc/1/mem of it from the command.
		 * One filter load fewer per launch.
		 */
		out->seccomp_fd = out->seccomp == SECCOMP_NONE || o->landlock_abi > 0 ?
		    -1 : o->first_fd;
		out->stderr_fd = out->ready_fd = -1;
	}
	isolation(&out->argv, "--unshare-user", "bwrap-unshare-user");
	if (f->disable_userns)
		isolation(&out->argv, "--disable-userns", "bwrap-disable-userns");
	isolation(&out->argv, "--unshare-pid", "bwrap-unshare-pid");
	isolation(&out->argv, "--unshare-ipc", "bwrap-unshare-ipc");
	if (!rs->network || o->proxy)
		isolation(&out->argv, "--unshare-net", "bwrap-unshare-net");
	if (o->mount_proc && !mutant("bwrap-proc"))
		push2(&b, "--proc", "/proc");
	push2(&b, "--chdir", o->cwd);
	if (f->cap_drop && !mutant("bwrap-cap-drop"))
		push2(&b, "--cap-drop", "ALL");
	/* cordon stays: bwrap tells it the sandbox's pid, so signals can be passed on. */
	if (out->launch != LAUNCH_EXEC) {
		char fd[16];

		out->info_fd = out->data_fd0 + out->ndata;
		snprintf(fd, sizeof(fd), "%d", out->info_fd);
		push2(&b, "--info-fd", fd);
	}
	if (out->launch != LAUNCH_CAREFUL)
		push_direct(&b);
	else
		push_inner(&b);
	/* bubblewrap refuses more arguments than this: say so before anything runs. */
	for (char *const *c = o->command; *c != NULL; c++)
		out->command_args++;
	out->oversize = out->argv.n > BWRAP_MAX_ARGS;
	if (out->oversize && !o->keep_oversize) {
		plan_oversize_why(out, err, errlen);
		plan_free(out);
		return -1;
	}
	return 0;
}

void
plan_oversize_why(const struct plan *p, char *buf, size_t len)
{
	size_t own = p->argv.n - p->command_args;

	/* The command alone over the limit, or the larger share of it: the command's fault. */
	if (p->command_args >= own)
		snprintf(buf, len, "the command has %zu arguments; with the sandbox's %zu bwrap "
		    "would get %zu, and it accepts at most %d: give the command fewer arguments "
		    "(xargs, or a file list)", p->command_args, own, p->argv.n, BWRAP_MAX_ARGS);
	else
		snprintf(buf, len, "this policy needs %zu bwrap arguments (and the command %zu); "
		    "bubblewrap accepts at most %d in all: use fewer writable roots or deny "
		    "entries", own, p->command_args, BWRAP_MAX_ARGS);
}

void
plan_free(struct plan *p)
{
	strv_free(&p->argv);
	for (size_t i = 0; i < p->ntargets; i++)
		free(p->targets[i].path);
	free(p->targets);
	p->targets = NULL;
	p->ntargets = 0;
}

/* Where "--proc DIR" starts among bwrap's own options, or 0 if it has none. */
static size_t
proc_option(const struct plan *p)
{
	for (size_t i = 1; i + 1 < p->argv.n && strcmp(p->argv.v[i], "--") != 0; i++)
		if (strcmp(p->argv.v[i], "--proc") == 0)
			return i;
	return 0;
}

bool
plan_has_proc(const struct plan *p)
{
	return proc_option(p) != 0;
}

bool
plan_drop_proc(struct plan *p)
{
	size_t i = proc_option(p);

	if (i == 0)
		return false;
	free(p->argv.v[i]);
	free(p->argv.v[i + 1]);
	memmove(&p->argv.v[i], &p->argv.v[i + 2], (p->argv.n - i - 1) * sizeof(char *));
	p->argv.n -= 2;
	return true;
}
