/* Finding a bubblewrap binary and learning what it supports. */
#ifndef CORDON_BWRAP_H
#define CORDON_BWRAP_H

#include <stdbool.h>
#include <stddef.h>

struct bwrap_features {
	bool as_pid_1;
	bool argv0;
	bool perms;
	bool ro_bind_data;
	bool cap_drop;
	bool disable_userns;
	bool unshare_ipc;
	bool new_session;
	bool die_with_parent;
	bool remount_ro;
	bool chdir;
	bool dev;
	bool proc;
	bool tmpfs;
};

/* Feature sets of well-known releases, for golden tests and `explain --bwrap-version`. */
extern const struct bwrap_features bwrap_features_0_4_1;
extern const struct bwrap_features bwrap_features_0_8_0;
extern const struct bwrap_features bwrap_features_0_12_0;

/*
 * The feature set to plan with for a release written 0.MINOR[.PATCH]
 * ("0.12", "0.13.1"): the newest known set no newer than it; NULL before
 * 0.4.1, for another major version or a spelling that is no version.
 */
const struct bwrap_features *bwrap_features_for_version(const char *version);
/* Parse `bwrap --help` output; pure. */
void bwrap_parse_help(const char *help, struct bwrap_features *f);
/* NULL if usable, else the name of the first missing required option. */
const char *bwrap_missing_required(const struct bwrap_features *f);
/* Feature names and values, for explain and doctor. */
size_t bwrap_feature_list(const struct bwrap_features *f, const char **names, bool *vals, size_t max);

struct bwrap_info {
	char *path;		/* canonical path */
	char *version;		/* first line of --version, or NULL */
	struct bwrap_features feat;
	char *unusable;		/* why it cannot be used (malloc'd), or NULL */
	bool vendored;		/* cordon's bundled bwrap, run through exec_fd */
	int exec_fd;		/* cordon's own image, opened when chosen; -1 if none */
};

/*
 * Every executable "bwrap" on search_path whose canonical path lies
 * outside the canonical cwd (unless cwd is "/"), in PATH order.
 * Pure except for stat/realpath; the probe runs nothing.
 */
size_t bwrap_candidates(const char *search_path, const char *cwd, char ***out);
/* Run `bwrap --help` (and --version when want_version) with a time-out. */
int bwrap_probe(const char *path, bool want_version, struct bwrap_info *info);
/*
 * The first candidate that passes the probe; -1 with a reason if none.
 * Candidates for which unsafe(path, ctx) is true (inside a writable root,
 * where the sandbox could have planted them) are never run.
 */
int bwrap_discover(struct bwrap_info *info, bool (*unsafe)(const char *, const void *),
    const void *ctx, const char *cache_dir, char *err, size_t errlen);
/* Probe results cached in cordon's private directory, keyed on the file's identity. */
bool bwrap_cache_get(const char *dir, const char *path, struct bwrap_features *f);
void bwrap_cache_put(const char *dir, const char *path, const struct bwrap_features *f);

/*
 * What a careful launch (cordon supervising bwrap, its inner stage
 * confining the command) found out about the bwrap at path, here: same
 * file, same mount, user and PID namespaces, same boot.  Any entry means
 * the command started with no capability left; the value says whether a
 * fresh /proc could be mounted.  Only then may cordon hand over to bwrap
 * without watching its start-up (plan_opts.direct_ok).
 */
enum proc_outcome {
	PROC_UNKNOWN = -1,	/* no careful launch here yet */
	PROC_NOT_TRIED = 0,	/* it ran with --no-proc */
	PROC_FAILS = 1,		/* bwrap could not mount /proc (a container?) */
	PROC_MOUNTS = 2,
};
/* The file whose identity keys those entries: bwrap's, or cordon's own for the bundled one. */
const char *bwrap_file(const struct bwrap_info *bw);
enum proc_outcome bwrap_proc_get(const char *dir, const char *path);
void bwrap_proc_put(const char *dir, const char *path, enum proc_outcome o);
void bwrap_proc_forget(const char *dir, const char *path);
void bwrap_info_free(struct bwrap_info *info);

#endif
