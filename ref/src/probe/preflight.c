/* See preflight.h.  The first two are pure (rules and an fsview); preflight_root stats. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "path.h"
#include "preflight.h"
#include "util.h"

/* "(deny PATH, from ORIGIN)" for the rule that decides, or that none does. */
static void
which_rule(const struct rule *r, char *buf, size_t len)
{
	if (r == NULL)
		snprintf(buf, len, "no rule lets the sandbox see it");
	else
		snprintf(buf, len, "rule: %s %s [%s]%s", access_name(r->access), r->logical, r->why,
		    strcmp(r->why, "secret") == 0 ? ", which --allow-secrets lets through" : "");
}

int
preflight_cwd(const struct rules *rs, const char *cwd, char *msg, size_t len)
{
	const struct rule *r;
	char why[512];

	if (rules_effective(rs, cwd, &r) != ACCESS_DENY)
		return 0;
	which_rule(r, why, sizeof(why));
	snprintf(msg, len, "the working directory %s is hidden in the sandbox (%s): run from a "
	    "directory it can see (--cwd DIR), or do not deny this one", cwd, why);
	return EXIT_POLICY;
}

int
preflight_command(const struct rules *rs, const struct fsview *fs, char *const *cmd,
    const char *search, const char *cwd, char *msg, size_t len)
{
	struct strv cands = { 0 };
	char *hidden = NULL;
	const struct rule *hr = NULL;
	bool runnable = false;

	path_exec_candidates(cmd[0], search, cwd, &cands);
	for (size_t i = 0; i < cands.n && !runnable; i++) {
		char *c = fs_canonical(fs, cands.v[i]);
		const struct rule *r;

		if (c == NULL || fs->lstat(fs, c) != FT_FILE) {
			free(c);
			continue;
		}
		if (rules_effective(rs, c, &r) != ACCESS_DENY)
			runnable = true;
		else if (hidden == NULL) {
			hidden = c;
			hr = r;
			continue;
		}
		free(c);
	}
	strv_free(&cands);
	if (runnable || hidden == NULL) {
		free(hidden);
		return 0;
	}
	{
		char why[512];

		which_rule(hr, why, sizeof(why));
		snprintf(msg, len, "cannot execute %s: %s is hidden in the sandbox (%s); run one "
		    "it can see, or do not deny it", cmd[0], hidden, why);
	}
	free(hidden);
	return EXIT_NOEXEC;
}

/* May root, with no capability over st's owner, do want (R_OK, W_OK, X_OK bits) to st? */
static bool
modes_allow(const struct stat *st, int want)
{
	int bits;
	gid_t groups[256];
	int n = getgroups(256, groups);
	bool in_group = st->st_gid == getegid();

	/* Owner and group both mapped (root's own): the capabilities count. */
	if (st->st_uid == 0 && st->st_gid == 0)
		return true;
	for (int i = 0; i < n && !in_group; i++)
		in_group = groups[i] == st->st_gid;
	if (st->st_uid == 0)
		bits = (st->st_mode >> 6) & 7;
	else if (in_group)
		bits = (st->st_mode >> 3) & 7;
	else
		bits = st->st_mode & 7;
	return (bits & want) == want;
}

/* An ACL may grant what the modes do not: then cordon cannot tell, and does not refuse. */
static bool
has_acl(const char *path)
{
	return getxattr(path, "system.posix_acl_access", NULL, 0) > 0;
}

/*
 * The user's name from /etc/passwd, or the number: getpwuid(3) would tie
 * the static glibc build to the host's NSS libraries.
 */
static void
owner_name(uid_t uid, char *buf, size_t len)
{
	FILE *f = fopen("/etc/passwd", "re");
	char line[512];

	snprintf(buf, len, "uid %u", (unsigned)uid);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *name = strtok(line, ":"), *pw = strtok(NULL, ":"), *id = strtok(NULL, ":");

		if (name != NULL && pw != NULL && id != NULL && strtoul(id, NULL, 10) == uid) {
			snprintf(buf, len, "%s", name);
			break;
		}
	}
	if (f != NULL)
		fclose(f);
}

/* Check every directory above path for search, then path itself for want (0: nothing). */
static int
reach(const char *path, int want, const char *doing, char *msg, size_t len)
{
	char *p = xstrdup(path);
	int r = 0;

	for (size_t i = 1; r == 0; i++) {
		bool last = p[i] == '\0';
		struct stat st;
		char c = p[i];
		int need = last ? want : X_OK;

		if (!last && c != '/')
			continue;
		p[i] = '\0';
		if (need != 0 && stat(p, &st) == 0 && !modes_allow(&st, need) && !has_acl(p)) {
			char who[64];

			owner_name(st.st_uid, who, sizeof(who));
			if (st.st_uid == 0)
				snprintf(msg, len, "running as root, the sandbox cannot %s %s: %s is "
				    "mode %04o with group %u, and in its user namespace root has only "
				    "what the modes give it; chmod it, or run cordon as the user who "
				    "owns the workspace", last ? doing : "reach", path, p,
				    (unsigned)(st.st_mode & 07777), (unsigned)st.st_gid);
			else
				snprintf(msg, len, "running as root, the sandbox cannot %s %s: %s is "
				    "%s's, mode %04o, and in its user namespace root has no power over "
				    "other users' files; run cordon as %s (sudo -u %s cordon run ...)",
				    last ? doing : "reach", path, p, who,
				    (unsigned)(st.st_mode & 07777), who, who);
			r = EXIT_POLICY;
		}
		p[i] = c;
		if (last)
			break;
	}
	free(p);
	return r;
}

int
preflight_root(const struct rules *rs, const char *cwd, char *msg, size_t len)
{
	int r = reach(cwd, X_OK, "enter", msg, len);

	for (size_t i = 0; r == 0 && i < rs->n; i++) {
		const struct rule *ru = &rs->r[i];
		struct stat st;

		if (strcmp(ru->path, "/") == 0 || lstat(ru->path, &st) < 0)
			continue;
		if (ru->access == ACCESS_WRITE)
			r = reach(ru->path, S_ISDIR(st.st_mode) ? W_OK | X_OK : W_OK, "write to", msg,
			    len);
		else
			r = reach(ru->path, 0, "reach", msg, len);
	}
	return r;
}
