/* Placeholder substitution. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static const char *
value_of(const char *name, size_t n, const struct conf_vars *v)
{
	static const struct { const char *name; size_t off; } tab[] = {
		{ "WS", offsetof(struct conf_vars, ws) },
		{ "HOME", offsetof(struct conf_vars, home) },
		{ "TMP", offsetof(struct conf_vars, tmp) },
		{ "OUT", offsetof(struct conf_vars, out) },
		{ "PROBE", offsetof(struct conf_vars, probe) },
		{ "PROBEDIR", offsetof(struct conf_vars, probedir) },
		{ "PORT", offsetof(struct conf_vars, port) },
		{ "SOCK", offsetof(struct conf_vars, sock) },
		{ "DSOCK", offsetof(struct conf_vars, dsock) },
		{ "ABSTRACT", offsetof(struct conf_vars, abstract) },
		{ "FIFO", offsetof(struct conf_vars, fifo) },
		{ "UID", offsetof(struct conf_vars, uid) },
		{ "SHMKEY", offsetof(struct conf_vars, shmkey) },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == n && strncmp(tab[i].name, name, n) == 0)
			return (const char *)v + tab[i].off;
	return NULL;
}

char *
conf_subst(const char *s, const struct conf_vars *v)
{
	size_t cap = strlen(s) * 2 + 64, len = 0;
	char *out = malloc(cap);

	if (out == NULL)
		return NULL;
	while (*s != '\0') {
		const char *end = s[0] == '@' ? strchr(s + 1, '@') : NULL;
		const char *val = end ? value_of(s + 1, (size_t)(end - s - 1), v) : NULL;
		const char *piece = val ? val : s;
		size_t n = val ? strlen(val) : 1;

		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			out = realloc(out, cap);
			if (out == NULL)
				return NULL;
		}
		memcpy(out + len, piece, n);
		len += n;
		s = val ? end + 1 : s + 1;
	}
	out[len] = '\0';
	return out;
}

void
conf_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		atf_tc_fail("path too long for its buffer: %.80s...", buf);
}
