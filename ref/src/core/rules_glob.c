/* Deny-glob expansion over an fsview: "**" spans directories, "*" stays within one. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutant.h"
#include "path.h"
#include "rules.h"
#include "util.h"

#define GLOB_MAX_MATCHES 8192
#define GLOB_MAX_DEPTH 64

static bool
match_segs(char **p, size_t np, char **s, size_t ns)
{
	if (np == 0)
		return ns == 0;
	if (strcmp(p[0], "**") == 0) {
		for (size_t k = 0; k <= ns; k++)
			if (match_segs(p + 1, np - 1, s + k, ns - k))
				return true;
		return false;
	}
	if (ns == 0 || fnmatch(p[0], s[0], 0) != 0)
		return false;
	return match_segs(p + 1, np - 1, s + 1, ns - 1);
}

static size_t
split(char *s, char **segs, size_t max)
{
	size_t n = 0;

	for (char *tok = strtok(s, "/"); tok != NULL && n < max; tok = strtok(NULL, "/"))
		segs[n++] = tok;
	return n;
}

bool
glob_match(const char *pattern, const char *path)
{
	char *pc = xstrdup(pattern), *sc = xstrdup(path);
	char *ps[128], *ss[128];
	size_t np = split(pc, ps, 128), ns = split(sc, ss, 128);
	bool m = match_segs(ps, np, ss, ns);

	free(pc);
	free(sc);
	return m;
}

struct walk {
	const struct fsview *fs;
	const char *pattern;
	size_t max_depth;
	struct strv *out;
	bool overflow;
};

static void
walk(struct walk *w, const char *dir, size_t depth)
{
	char **names;

	if (w->overflow || depth > GLOB_MAX_DEPTH || (w->max_depth && depth > w->max_depth))
		return;
	names = w->fs->list(w->fs, dir);
	if (names == NULL)
		return;
	for (size_t i = 0; names[i] != NULL; i++) {
		char *p = path_join(dir, names[i]);
		enum fs_type t = w->fs->lstat(w->fs, p);

		if (glob_match(w->pattern, p)) {
			if (w->out->n >= GLOB_MAX_MATCHES)
				w->overflow = true;
			else
				strv_push(w->out, p);
		} else if (t == FT_DIR) {
			walk(w, p, depth + 1);
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

int
glob_expand(const struct fsview *fs, const char *pattern, size_t max_depth,
    struct strv *out, char *err, size_t errlen)
{
	size_t meta = strcspn(pattern, "*?[]");
	char *root;
	struct walk w = { fs, pattern, max_depth, out, false };

	if (pattern[meta] == '\0') {
		/* No wildcard: the pattern is a plain path. */
		if (fs->lstat(fs, pattern) != FT_MISSING)
			strv_push(out, pattern);
		return 0;
	}
	root = xstrdup(pattern);
	root[meta] = '\0';
	*strrchr(root, '/') = '\0';	/* pattern is absolute, so there is a '/' */
	if (root[0] == '\0' && !mutant("root-glob-refusal")) {
		snprintf(err, errlen, "deny glob \"%s\" cannot be expanded safely: "
		    "give it a directory prefix other than /", pattern);
		free(root);
		return -1;
	}
	if (fs_stat(fs, root) == FT_DIR)
		walk(&w, root, 1);
	free(root);
	if (w.overflow) {
		snprintf(err, errlen, "deny glob \"%s\" matches more than %d paths", pattern,
		    GLOB_MAX_MATCHES);
		return -1;
	}
	return 0;
}

char *
gitdir_parse(const char *line)
{
	const char *p;
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "gitdir:", 7) != 0)
		return NULL;
	p = line + 7;
	while (*p == ' ' || *p == '\t')
		p++;
	/* Only the first line counts, as git reads it. */
	n = strcspn(p, "\n");
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	if (n == 0)
		return NULL;
	return xstrndup(p, n);
}
