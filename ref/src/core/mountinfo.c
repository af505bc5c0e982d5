/* See mountinfo.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "mountinfo.h"
#include "path.h"
#include "util.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static bool
octal(char c)
{
	return c >= '0' && c <= '7';
}

char *
mountinfo_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r != '\0';) {
		if (r[0] == '\\' && octal(r[1]) && octal(r[2]) && octal(r[3])) {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

unsigned long
mountinfo_flags(const char *opts)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} known[] = {
		{ "ro", MS_RDONLY }, { "nosuid", MS_NOSUID }, { "nodev", MS_NODEV },
		{ "noexec", MS_NOEXEC }, { "noatime", MS_NOATIME },
		{ "nodiratime", MS_NODIRATIME }, { "relatime", MS_RELATIME },
		{ "nosymfollow", MS_NOSYMFOLLOW },
	};
	unsigned long f = 0;

	for (const char *p = opts; *p != '\0';) {
		size_t n = strcspn(p, ",");

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strlen(known[i].name) == n && strncmp(p, known[i].name, n) == 0)
				f |= known[i].flag;
		p += n;
		p += *p == ',';
	}
	return f;
}

/* The next space-separated field of *p, NUL-terminated in place; NULL at the end. */
static char *
field(char **p)
{
	char *s = *p + strspn(*p, " "), *end;

	if (*s == '\0')
		return NULL;
	end = s + strcspn(s, " ");
	if (*end != '\0')
		*end++ = '\0';
	*p = end;
	return s;
}

/* "ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER" */
int
mountinfo_parse_line(const char *line, struct mount_entry *e)
{
	char *copy = xstrdup(line), *p = copy, *f[6], *end, *sep;
	int r = -1;
	long id, parent;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < 6; i++)
		if ((f[i] = field(&p)) == NULL)
			goto out;
	id = strtol(f[0], &end, 10);
	if (*end != '\0' || id < 0)
		goto out;
	parent = strtol(f[1], &end, 10);
	if (*end != '\0' || parent < 0 || strchr(f[2], ':') == NULL)
		goto out;
	/* The optional fields end with a lone "-": without it the line is not mountinfo's. */
	while ((sep = field(&p)) != NULL && strcmp(sep, "-") != 0)
		;
	if (sep == NULL || mountinfo_unescape(f[4])[0] != '/')
		goto out;
	e->id = (int)id;
	e->parent = (int)parent;
	e->point = xstrdup(f[4]);
	e->flags = mountinfo_flags(f[5]);
	r = 0;
out:
	free(copy);
	return r;
}

int
mountinfo_parse(const char *text, struct mount_table *t)
{
	memset(t, 0, sizeof(*t));
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		struct mount_entry e;
		int r = mountinfo_parse_line(line, &e);

		free(line);
		p += n;
		p += *p == '\n';
		if (n == 0)
			continue;
		if (r < 0) {
			mount_table_free(t);
			return -1;
		}
		t->e = xrealloc(t->e, (t->n + 1) * sizeof(*t->e));
		t->e[t->n++] = e;
	}
	return 0;
}

void
mount_table_free(struct mount_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].point);
	free(t->e);
	memset(t, 0, sizeof(*t));
}

/* The tree being built: children as linked lists of indexes, -1 ending them. */
struct tree {
	const struct mount_table *t;
	long *child, *next;
	bool *covered, *seen;
	size_t *out, nout;
};

/* The entry with this id; the last one if there are several (there are not). */
static long
by_id(const struct mount_table *t, int id)
{
	for (size_t i = t->n; i > 0; i--)
		if (t->e[i - 1].id == id)
			return (long)(i - 1);
	return -1;
}

/*
 * Mount i into its parent's list, as bubblewrap's parse_mountinfo does:
 * on the parent's own point it covers the parent and all the parent had;
 * below a sibling's point it is covered; over a sibling's it drops it.
 */
static void
attach(struct tree *tr, size_t i)
{
	const struct mount_entry *e = tr->t->e;
	long p = by_id(tr->t, e[i].parent), *link;

	if (p < 0 || (size_t)p == i)
		return;
	if (strcmp(e[p].point, e[i].point) == 0) {
		tr->covered[p] = true;
		tr->child[p] = -1;
	}
	for (link = &tr->child[p]; *link >= 0;) {
		if (path_is_under(e[i].point, e[*link].point))
			return;
		if (path_is_under(e[*link].point, e[i].point))
			*link = tr->next[*link];
		else
			link = &tr->next[*link];
	}
	tr->next[i] = -1;
	*link = (long)i;
}

static void
collect(struct tree *tr, long i)
{
	if (tr->seen[i])
		return;		/* a loop in a malformed table */
	tr->seen[i] = true;
	if (!tr->covered[i])
		tr->out[tr->nout++] = (size_t)i;
	for (long c = tr->child[i]; c >= 0; c = tr->next[c])
		collect(tr, c);
}

size_t
mountinfo_reachable(const struct mount_table *t, size_t **out)
{
	struct tree tr = { t, NULL, NULL, NULL, NULL, NULL, 0 };
	long root = -1;

	*out = xcalloc(t->n + 1, sizeof(**out));
	if (t->n == 0)
		return 0;
	tr.child = xcalloc(t->n, sizeof(long));
	tr.next = xcalloc(t->n, sizeof(long));
	tr.covered = xcalloc(t->n, sizeof(bool));
	tr.seen = xcalloc(t->n, sizeof(bool));
	tr.out = *out;
	for (size_t i = 0; i < t->n; i++) {
		tr.child[i] = tr.next[i] = -1;
		if (strcmp(t->e[i].point, "/") == 0)
			root = (long)i;
	}
	for (size_t i = 0; i < t->n; i++)
		attach(&tr, i);
	if (root >= 0)
		collect(&tr, root);
	free(tr.child);
	free(tr.next);
	free(tr.covered);
	free(tr.seen);
	return tr.nout;
}
