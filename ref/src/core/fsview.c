/*
 * Symlink resolution on top of any fsview, as the kernel resolves a path:
 * components from left to right, ".." taken from the directory reached so
 * far (never from the text: "link/../x" is a sibling of link's target),
 * each symlink replaced by its target.  Lexical normalisation first would
 * give a different answer for exactly those paths, and the policy must
 * mean what the kernel will do with it.
 */
#include <stdlib.h>
#include <string.h>

#include "fsview.h"
#include "mutant.h"
#include "path.h"
#include "util.h"

#define MAX_HOPS 40	/* the kernel's own limit on symlinks in one lookup */

/* resolved + "/" + the n bytes of name. */
static char *
child(const char *resolved, const char *name, size_t n)
{
	return xjoin(resolved, strcmp(resolved, "/") == 0 ? "" : "/", name, n);
}

char *
fs_resolve(const struct fsview *fs, const char *path, struct strv *links, enum resolve_error *why)
{
	char *resolved, *rest;
	const char *p;
	bool missing = false;	/* a component so far does not exist (or is no directory) */
	int hops = 0;

	if (why != NULL)
		*why = RESOLVE_OK;
	if (path[0] != '/') {
		if (why != NULL)
			*why = RESOLVE_RELATIVE;
		return NULL;
	}
	resolved = xstrdup("/");
	rest = xstrdup(path);
	p = rest;
	for (;;) {
		size_t n;
		char *cand;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, "/");
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *up;

			if (missing && !mutant("dotdot-refusal")) {
				/* What it names depends on what the sandbox creates there. */
				if (why != NULL)
					*why = RESOLVE_DOTDOT_MISSING;
				goto fail;
			}
			up = path_parent(resolved);
			free(resolved);
			resolved = up;
			p += n;
			continue;
		}
		cand = child(resolved, p, n);
		p += n;
		if (!missing) {
			enum fs_type t = fs->lstat(fs, cand);

			if (t == FT_SYMLINK) {
				char *target = fs->readlink(fs, cand), *next;

				if (++hops > MAX_HOPS || target == NULL) {
					free(target);
					free(cand);
					if (why != NULL)
						*why = RESOLVE_LOOP;
					goto fail;
				}
				if (links != NULL)
					strv_push(links, cand);
				free(cand);
				if (target[0] == '/') {
					free(resolved);
					resolved = xstrdup("/");
				}
				next = xjoin(target, "/", p, strlen(p));
				free(target);
				free(rest);
				rest = next;
				p = rest;
				continue;
			}
			/* Below a missing component or a file nothing exists yet. */
			missing = t != FT_DIR && *p != '\0' && p[strspn(p, "/")] != '\0';
			if (t == FT_MISSING)
				missing = true;
		}
		free(resolved);
		resolved = cand;
	}
	free(rest);
	return resolved;
fail:
	free(resolved);
	free(rest);
	return NULL;
}

char *
fs_canonical(const struct fsview *fs, const char *path)
{
	return fs_resolve(fs, path, NULL, NULL);
}

enum fs_type
fs_stat(const struct fsview *fs, const char *path)
{
	char *c = fs_canonical(fs, path);
	enum fs_type t;

	if (c == NULL)
		return FT_MISSING;
	t = fs->lstat(fs, c);
	free(c);
	return t;
}
