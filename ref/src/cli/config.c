/*
 * Reading features.use_legacy_landlock, the way Codex users already
 * write it.  Everything else in the file is someone else's business, so
 * unknown keys and tables are skipped; only a broken line for our key is
 * an error, because silently ignoring it would pick the wrong sandbox.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

#define KEY		"use_legacy_landlock"
#define DOTTED_KEY	"features." KEY

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Nothing but blanks and an optional comment left, up to the end of the line. */
static bool
at_end(const char *p)
{
	p = skip_space(p);
	return *p == '\0' || *p == '#' || *p == '\n' || (*p == '\r' && p[1] == '\n');
}

static void
header(struct config_scan *s, const char *p)
{
	const char *q;
	size_t n;

	s->in_table = true;
	s->in_features = false;
	p = skip_space(p + 1);
	if (*p == '[')		/* [[array.of.tables]] is never [features] */
		return;
	for (q = p; *q != '\0' && *q != ']' && *q != ' ' && *q != '\t'; q++)
		;
	n = (size_t)(q - p);
	q = skip_space(q);
	s->in_features = *q == ']' && n == strlen("features") &&
	    strncmp(p, "features", n) == 0 && at_end(q + 1);
}

int
config_line(struct config_scan *s, const char *line, bool *val)
{
	const char *p = skip_space(line), *q;
	size_t n;

	if (at_end(p))
		return 0;
	if (*p == '[') {
		header(s, p);
		return 0;
	}
	for (q = p; *q != '\0' && *q != '=' && *q != ' ' && *q != '\t'; q++)
		;
	n = (size_t)(q - p);
	if (!((s->in_features && n == strlen(KEY) && strncmp(p, KEY, n) == 0) ||
	    (!s->in_table && n == strlen(DOTTED_KEY) && strncmp(p, DOTTED_KEY, n) == 0)))
		return 0;
	q = skip_space(q);
	if (*q != '=')
		return -1;
	q = skip_space(q + 1);
	if (strncmp(q, "true", 4) == 0 && at_end(q + 4))
		*val = true;
	else if (strncmp(q, "false", 5) == 0 && at_end(q + 5))
		*val = false;
	else
		return -1;
	return 1;
}

char *
config_path(bool *required)
{
	const char *v;

	*required = false;
	if ((v = getenv("CORDON_CONFIG")) != NULL && *v != '\0') {
		*required = true;
		return xstrdup(v);
	}
	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v == '/')
		return xasprintf("%s/cordon/config.toml", v);
	if ((v = getenv("HOME")) != NULL && *v == '/')
		return xasprintf("%s/.config/cordon/config.toml", v);
	return NULL;
}

int
config_legacy_landlock(const char *path, bool required, bool *val, char *err, size_t errlen)
{
	struct config_scan s = { 0 };
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	int found = 0, r;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		/* A default location we cannot see into (another user's HOME) is no config of ours. */
		if (!required && (errno == ENOENT || errno == ENOTDIR || errno == EACCES))
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		if ((r = config_line(&s, line, val)) < 0) {
			snprintf(err, errlen, "%s:%zu: %s takes true or false", path, lineno,
			    DOTTED_KEY);
			found = -1;
			break;
		}
		if (r > 0)
			found = 1;	/* the last assignment wins, as it would in a merge */
	}
	free(line);
	fclose(f);
	return found;
}
