/* Allocation, string vectors and err()-style messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

static const char *progname = "cordon";

int
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void
xoom(void)
{
	errx_(EXIT_POLICY, "out of memory");
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		xoom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		xoom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		xoom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		xoom();
	return d;
}

char *
xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (d == NULL)
		xoom();
	return d;
}

/*
 * a, then sep, then the first n bytes of b.  Paths are joined this way on
 * every launch, often hundreds of times: printf would be most of
 * cordon's own work before bwrap.
 */
char *
xjoin(const char *a, const char *sep, const char *b, size_t n)
{
	size_t la = strlen(a), ls = strlen(sep);
	char *d = xmalloc(la + ls + n + 1);

	memcpy(d, a, la);
	memcpy(d + la, sep, ls);
	memcpy(d + la + ls, b, n);
	d[la + ls + n] = '\0';
	return d;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int
pidfd_of(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

uint64_t
fnv1a64(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		xoom();
	return s;
}

static void
strv_grow(struct strv *sv)
{
	if (sv->n + 2 <= sv->cap)
		return;
	sv->cap = sv->cap ? sv->cap * 2 : 16;
	sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
}

void
strv_push(struct strv *sv, const char *s)
{
	strv_grow(sv);
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void
strv_pushf(struct strv *sv, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		xoom();
	strv_grow(sv);
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void
strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

bool
strv_contains(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

static size_t
strset_find(const struct strset *ss, const char *s)
{
	size_t mask = ss->cap - 1, i = (size_t)fnv1a64(s, strlen(s)) & mask;

	while (ss->slot[i] != NULL && strcmp(ss->slot[i], s) != 0)
		i = (i + 1) & mask;	/* linear probing; the table is never full */
	return i;
}

bool
strset_has(const struct strset *ss, const char *s)
{
	return ss->cap > 0 && ss->slot[strset_find(ss, s)] != NULL;
}

static void
strset_grow(struct strset *ss)
{
	struct strset big = { xcalloc(ss->cap ? ss->cap * 2 : 16, sizeof(char *)), ss->n,
		ss->cap ? ss->cap * 2 : 16 };

	for (size_t i = 0; i < ss->cap; i++)
		if (ss->slot[i] != NULL)
			big.slot[strset_find(&big, ss->slot[i])] = ss->slot[i];
	free(ss->slot);
	*ss = big;
}

bool
strset_add(struct strset *ss, const char *s)
{
	size_t i;

	/* At most half full, so probes stay short. */
	if (2 * (ss->n + 1) > ss->cap)
		strset_grow(ss);
	i = strset_find(ss, s);
	if (ss->slot[i] != NULL)
		return false;
	ss->slot[i] = xstrdup(s);
	ss->n++;
	return true;
}

void
strset_free(struct strset *ss)
{
	for (size_t i = 0; i < ss->cap; i++)
		free(ss->slot[i]);
	free(ss->slot);
	memset(ss, 0, sizeof(*ss));
}

void
cordon_setprogname(const char *name)
{
	progname = name;
}

const char *
cordon_progname(void)
{
	return progname;
}

static void
vmsg(const char *fmt, va_list ap, const char *suffix)
{
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, ": %s", suffix);
	fputc('\n', stderr);
}

void
warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
}

void
errx_(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
	exit(status);
}

void
err_(int status, const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
	exit(status);
}

char *
shell_quote(const char *s)
{
	size_t n = 2;
	char *q, *o;

	if (s[0] != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_@%+=:,./-") == strlen(s))
		return xstrdup(s);
	for (const char *p = s; *p != '\0'; p++)
		n += *p == '\'' ? 4 : 1;
	q = o = xmalloc(n + 1);
	*o++ = '\'';
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}
