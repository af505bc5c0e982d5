/* See secrets.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secrets.h"
#include "util.h"

static const struct {
	const char *path, *what;
} secrets[] = {
#define SECRET(p, w) { p, w },
#include "secrets.def"
#undef SECRET
	{ NULL, NULL },
};

const char *
secrets_path(size_t i)
{
	return i < sizeof(secrets) / sizeof(secrets[0]) ? secrets[i].path : NULL;
}

const char *
secrets_what(size_t i)
{
	return i < sizeof(secrets) / sizeof(secrets[0]) ? secrets[i].what : NULL;
}

void
secrets_add(struct policy *p, const char *home)
{
	for (size_t i = 0; secrets[i].path != NULL; i++) {
		char *abs = xasprintf("%s/%s", strcmp(home, "/") == 0 ? "" : home, secrets[i].path);

		policy_add(p, TARGET_SECRET, 0, abs, ACCESS_DENY, true);
		free(abs);
	}
}

/* getpwuid(3) would tie the static glibc build to the host's NSS libraries. */
char *
secrets_home(void)
{
	const char *h = getenv("HOME");
	char line[1024];
	char *home = NULL;
	FILE *f;

	if (h != NULL && h[0] == '/')
		return xstrdup(h);
	if ((f = fopen("/etc/passwd", "re")) == NULL)
		return NULL;
	while (home == NULL && fgets(line, sizeof(line), f) != NULL) {
		char *fields[7], *s = line;
		size_t n = 0;

		for (; n < 7 && s != NULL; n++)
			fields[n] = strsep(&s, ":");
		if (n == 7 && strtoul(fields[2], NULL, 10) == geteuid() && fields[5][0] == '/')
			home = xstrdup(fields[5]);
	}
	fclose(f);
	return home;
}
