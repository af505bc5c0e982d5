/* The policy model: construction and names. */
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "util.h"

void
policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->fs = FS_RESTRICTED;
}

void
policy_add(struct policy *p, enum target t, enum special sp, const char *path,
    enum access a, bool skip_missing)
{
	struct policy_entry *e;

	p->entries = xrealloc(p->entries, (p->n + 1) * sizeof(*p->entries));
	e = &p->entries[p->n++];
	e->target = t;
	e->special = sp;
	e->path = path ? xstrdup(path) : NULL;
	e->access = a;
	e->skip_missing = skip_missing;
}

void
policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->entries[i].path);
	free(p->entries);
	policy_init(p);
}

const char *
access_name(enum access a)
{
	switch (a) {
	case ACCESS_READ:
		return "read";
	case ACCESS_WRITE:
		return "write";
	case ACCESS_DENY:
		return "deny";
	}
	return "?";
}

const char *
special_name(enum special s)
{
	switch (s) {
	case SPECIAL_ROOT:
		return "root";
	case SPECIAL_MINIMAL:
		return "minimal";
	case SPECIAL_PROJECT_ROOTS:
		return "project_roots";
	case SPECIAL_TMPDIR:
		return "tmpdir";
	case SPECIAL_SLASH_TMP:
		return "slash_tmp";
	}
	return "?";
}
