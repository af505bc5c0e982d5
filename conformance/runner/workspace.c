/* Case set-up: directories, files, links, git metadata and keys, as the unprivileged user. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"

/* mkdir -p */
static int
mkdirs(const char *path)
{
	char buf[1024];

	if (strlen(path) >= sizeof(buf))
		return -1;
	strcpy(buf, path);
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int
parent_dirs(const char *path)
{
	char buf[1024], *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	if (slash == NULL || slash == buf)
		return 0;
	*slash = '\0';
	return mkdirs(buf);
}

int
conf_write_file(const char *path, const char *content)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fputs(content, f);
	if (content[0] != '\0')
		fputc('\n', f);
	return fclose(f);
}

static int
write_file(const char *path, const char *content)
{
	if (parent_dirs(path) < 0)
		return -1;
	return conf_write_file(path, content);
}

/* A minimal repository layout, so no git binary is needed (the VM has none). */
static int
git_init(const char *dir)
{
	const char *subdirs[] = { "objects", "refs/heads", "refs/tags", "hooks", "info" };
	char p[1024];

	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/.git/%s", dir, subdirs[i]);
		if (mkdirs(p) < 0)
			return -1;
	}
	snprintf(p, sizeof(p), "%s/.git/HEAD", dir);
	if (write_file(p, "ref: refs/heads/main") < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/.git/config", dir);
	return write_file(p, "[core]\n\trepositoryformatversion = 0\n\tbare = false");
}

/* A path from a case: placeholders substituted, relative ones under the workspace. */
char *
conf_case_path(const char *rel, const struct conf_vars *v)
{
	char *s = conf_subst(rel, v), *abs;

	if (s == NULL || s[0] == '/')
		return s;
	if (asprintf(&abs, "%s/%s", v->ws, s) < 0)
		abs = NULL;
	free(s);
	return abs;
}

static int
setup_one(const char *line, const struct conf_vars *v, char *err, size_t errlen)
{
	char verb[16], a[512] = "", *rest, *path, *arg = NULL;
	int r = -1;

	if (sscanf(line, "%15s %511s", verb, a) < 2) {
		snprintf(err, errlen, "setup \"%s\": needs a path", line);
		return -1;
	}
	/* The argument follows the verb and the path, whatever they contain. */
	rest = (char *)line + strspn(line, " \t");
	rest += strcspn(rest, " \t");
	rest += strspn(rest, " \t");
	rest += strlen(a);
	while (*rest == ' ' || *rest == '\t')
		rest++;
	/* A key's NAME is no path. */
	path = strcmp(verb, "key") == 0 ? conf_subst(a, v) : conf_case_path(a, v);
	arg = conf_subst(rest, v);
	if (path == NULL || arg == NULL)
		goto out;
	if (strcmp(verb, "key") == 0)
		r = conf_key_add(path, arg);
	else if (strcmp(verb, "dir") == 0)
		r = mkdirs(path);
	else if (strcmp(verb, "file") == 0)
		r = write_file(path, arg);
	else if (strcmp(verb, "symlink") == 0)
		r = parent_dirs(path) < 0 ? -1 : symlink(arg, path);
	else if (strcmp(verb, "gitdir") == 0) {
		char *content;

		if (asprintf(&content, "gitdir: %s", arg) >= 0) {
			r = write_file(path, content);
			free(content);
		}
	} else if (strcmp(verb, "git") == 0)
		r = git_init(path);
	else if (strcmp(verb, "chmod") == 0)
		r = chmod(path, (mode_t)strtol(arg, NULL, 8));
	else if (strcmp(verb, "hardlink") == 0) {
		char *target = conf_case_path(arg, v);

		r = target == NULL || parent_dirs(path) < 0 ? -1 : link(target, path);
		free(target);
	}
out:
	if (r < 0)
		snprintf(err, errlen, "setup \"%s\" failed: %s", line, strerror(errno));
	free(path);
	free(arg);
	return r;
}

int
conf_setup(const char *const *setup, const struct conf_vars *v, char *err, size_t errlen)
{
	for (size_t i = 0; setup[i] != NULL; i++)
		if (setup_one(setup[i], v, err, errlen) < 0)
			return -1;
	return 0;
}
