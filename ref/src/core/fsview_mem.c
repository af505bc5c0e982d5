/* An in-memory fsview built from a text description (for tests and fuzzers). */
#include <stdlib.h>
#include <string.h>

#include "fsview.h"
#include "path.h"
#include "util.h"

struct node {
	char *path;
	enum fs_type type;
	bool readonly;
	char *data;		/* file content or symlink target */
};

struct memfs {
	struct fsview fs;
	struct node *nodes;
	size_t n;
};

static struct node *
find(const struct fsview *fs, const char *path)
{
	const struct memfs *m = fs->ctx;

	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->nodes[i].path, path) == 0)
			return &m->nodes[i];
	return NULL;
}

/* lstat semantics: resolve every component but the last. */
static struct node *
lookup(const struct fsview *fs, const char *path)
{
	char *parent, *cparent, *full;
	struct node *nd;

	if (strcmp(path, "/") == 0)
		return find(fs, "/");
	parent = path_parent(path);
	cparent = fs_canonical(fs, parent);
	free(parent);
	if (cparent == NULL)
		return NULL;
	full = path_join(cparent, path_base(path));
	free(cparent);
	nd = find(fs, full);
	free(full);
	return nd;
}

static enum fs_type
mem_lstat(const struct fsview *fs, const char *path)
{
	struct node *nd = lookup(fs, path);

	return nd ? nd->type : FT_MISSING;
}

static char *
mem_readlink(const struct fsview *fs, const char *path)
{
	struct node *nd = lookup(fs, path);

	return nd && nd->type == FT_SYMLINK ? xstrdup(nd->data) : NULL;
}

static char *
mem_first_line(const struct fsview *fs, const char *path)
{
	char *c = fs_canonical(fs, path);
	struct node *nd = c ? find(fs, c) : NULL;

	free(c);
	return nd && nd->type == FT_FILE ? xstrdup(nd->data) : NULL;
}

static char **
mem_list(const struct fsview *fs, const char *dir)
{
	const struct memfs *m = fs->ctx;
	struct strv sv = { 0 };

	for (size_t i = 0; i < m->n; i++) {
		char *parent = path_parent(m->nodes[i].path);

		if (strcmp(parent, dir) == 0 && strcmp(m->nodes[i].path, "/") != 0)
			strv_push(&sv, path_base(m->nodes[i].path));
		free(parent);
	}
	if (sv.v == NULL)
		sv.v = xcalloc(1, sizeof(char *));
	return sv.v;
}

static bool
mem_can_write(const struct fsview *fs, const char *dir)
{
	char *c = fs_canonical(fs, dir);
	struct node *nd = c ? find(fs, c) : NULL;

	free(c);
	return nd != NULL && nd->type == FT_DIR && !nd->readonly;
}

static bool
mem_is_empty(const struct fsview *fs, const char *path)
{
	struct node *nd = lookup(fs, path);
	char **names;
	bool empty;

	if (nd == NULL)
		return false;
	if (nd->type == FT_FILE)
		return nd->data[0] == '\0';
	if (nd->type != FT_DIR)
		return false;
	names = mem_list(fs, nd->path);
	empty = names[0] == NULL;
	for (size_t i = 0; names[i] != NULL; i++)
		free(names[i]);
	free(names);
	return empty;
}

static void
add(struct memfs *m, const char *path, enum fs_type t, const char *data, bool ro)
{
	struct node *nd;

	if ((nd = find(&m->fs, path)) != NULL) {
		nd->readonly = nd->readonly || ro;
		return;
	}
	if (strcmp(path, "/") != 0) {
		char *parent = path_parent(path);

		add(m, parent, FT_DIR, "", false);
		free(parent);
	}
	m->nodes = xrealloc(m->nodes, (m->n + 1) * sizeof(*m->nodes));
	nd = &m->nodes[m->n++];
	nd->path = xstrdup(path);
	nd->type = t;
	nd->data = xstrdup(data);
	nd->readonly = ro;
}

static int
parse_line(struct memfs *m, char *line)
{
	char *path, *rest, *norm;
	enum fs_type t;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '#')
		return 0;
	if (line[1] != ' ')
		return -1;
	switch (line[0]) {
	case 'd': t = FT_DIR; break;
	case 'f': t = FT_FILE; break;
	case 'l': t = FT_SYMLINK; break;
	case 'r': t = FT_DIR; break;
	default: return -1;
	}
	path = line + 2;
	rest = strchr(path, ' ');
	if (rest != NULL)
		*rest++ = '\0';
	else
		rest = (char *)"";
	if (t == FT_SYMLINK && rest[0] == '\0')
		return -1;
	if ((norm = path_normalize(path)) == NULL)
		return -1;
	add(m, norm, t, rest, line[0] == 'r');
	free(norm);
	return 0;
}

struct fsview *
fsview_mem_new(const char *desc, size_t *bad)
{
	struct memfs *m = xcalloc(1, sizeof(*m));
	char *copy = xstrdup(desc), *save = NULL, *line;
	size_t lineno = 0;

	m->fs = (struct fsview){ mem_lstat, mem_readlink, mem_first_line, mem_is_empty,
		mem_list, mem_can_write, m };
	add(m, "/", FT_DIR, "", false);
	/* strtok_r would merge empty lines and break line numbers. */
	for (line = copy; line != NULL; line = save) {
		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		lineno++;
		if (parse_line(m, line) < 0) {
			if (bad != NULL)
				*bad = lineno;
			free(copy);
			fsview_mem_free(&m->fs);
			return NULL;
		}
	}
	free(copy);
	return &m->fs;
}

void
fsview_mem_free(struct fsview *fs)
{
	struct memfs *m;

	if (fs == NULL)
		return;
	m = fs->ctx;
	for (size_t i = 0; i < m->n; i++) {
		free(m->nodes[i].path);
		free(m->nodes[i].data);
	}
	free(m->nodes);
	free(m);
}
