/* Lexical path helpers: no system calls, so they are easy to test. */
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "util.h"

char *
path_normalize(const char *path)
{
	size_t len = strlen(path);
	char *out, *seg;
	size_t o = 0;
	const char *p = path;

	if (path[0] != '/')
		return NULL;
	out = xmalloc(len + 2);
	out[o++] = '/';
	while (*p != '\0') {
		const char *start;
		size_t n;

		while (*p == '/')
			p++;
		start = p;
		while (*p != '\0' && *p != '/')
			p++;
		n = (size_t)(p - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.') {
			/* Drop the last component, never above the root. */
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		seg = out + o;
		memcpy(seg, start, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

char *
path_tidy(const char *path)
{
	size_t o = 0;
	char *out = xmalloc(strlen(path) + 2);

	for (const char *p = path; *p != '\0';) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

bool
path_has_dotdot(const char *path)
{
	for (const char *p = path; *p != '\0';) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
	}
	return false;
}

char *
path_concat(const char *base, const char *rel)
{
	if (rel[0] == '/')
		return xstrdup(rel);
	return xjoin(base, "/", rel, strlen(rel));
}

char *
path_join(const char *base, const char *rel)
{
	char *tmp = path_concat(base, rel), *res = path_normalize(tmp);

	free(tmp);
	return res;
}

size_t
path_depth(const char *path)
{
	size_t d = 0;

	for (const char *p = path; *p != '\0'; p++)
		if (*p == '/' && p[1] != '\0')
			d++;
	return d;
}

bool
path_is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	if (strncmp(path, dir, n) != 0)
		return false;
	return path[n] == '\0' || path[n] == '/';
}

char *
path_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *res;

	if (slash == NULL || slash == path)
		return xstrdup("/");
	res = xmalloc((size_t)(slash - path) + 1);
	memcpy(res, path, (size_t)(slash - path));
	res[slash - path] = '\0';
	return res;
}

const char *
path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void
push_under(struct strv *out, const char *cwd, const char *dir, const char *name)
{
	if (dir[0] != '\0')
		strv_pushf(out, "%s/%s", dir, name);
	else if (name[0] == '/' || cwd == NULL)
		strv_push(out, name);
	else
		strv_pushf(out, "%s/%s", cwd, name);
}

void
path_exec_candidates(const char *name, const char *search, const char *cwd, struct strv *out)
{
	char *copy, *next;

	if (name[0] == '\0')
		return;
	if (strchr(name, '/') != NULL) {
		push_under(out, cwd, "", name);
		return;
	}
	copy = xstrdup(search != NULL ? search : "/bin:/usr/bin");
	/* Not strtok_r: it skips empty entries, which execvp takes as the cwd. */
	for (char *dir = copy; dir != NULL; dir = next) {
		if ((next = strchr(dir, ':')) != NULL)
			*next++ = '\0';
		push_under(out, cwd, dir, name);
	}
	free(copy);
}
