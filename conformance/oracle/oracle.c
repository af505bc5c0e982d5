/* Nested-policy generator and reference evaluator; see oracle.h. */
#include <stdio.h>
#include <string.h>

#include "oracle.h"

uint64_t
oracle_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
pick(uint64_t *s, unsigned n)
{
	return (unsigned)(oracle_next(s) % n);
}

/* A path of depth 1..4 over a tiny alphabet, so entries overlap often. */
static void
random_path(uint64_t *s, char *buf, size_t len)
{
	static const char *const names[] = { "a", "b", "c" };
	unsigned depth = 1 + pick(s, 4);

	buf[0] = '\0';
	for (unsigned i = 0; i < depth; i++) {
		size_t used = strlen(buf);

		snprintf(buf + used, len - used, "%s%s", i ? "/" : "", names[pick(s, 3)]);
	}
}

void
oracle_generate(uint64_t seed, struct oracle_policy *p)
{
	static const enum oracle_access ws_choice[] = { OR_WRITE, OR_WRITE, OR_WRITE, OR_READ, OR_DENY };
	uint64_t s = seed;

	memset(p, 0, sizeof(*p));
	p->access[0] = ws_choice[pick(&s, 5)];
	p->n = 1;
	for (unsigned k = 2 + pick(&s, 5); p->n < k && p->n < ORACLE_MAX_ENTRIES; p->n++) {
		random_path(&s, p->entries[p->n], sizeof(p->entries[p->n]));
		p->access[p->n] = (enum oracle_access)(1 + pick(&s, 3));
	}
	/* .git directories next to some entries: protected only under a writable entry. */
	for (unsigned k = pick(&s, ORACLE_MAX_GIT + 1); p->ngit < k; p->ngit++)
		memcpy(p->git[p->ngit], p->entries[pick(&s, (unsigned)p->n)], sizeof(p->git[0]));
}

/* Is rel equal to dir or below it?  "" (the workspace) contains everything. */
static bool
within(const char *rel, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 0)
		return true;
	return strncmp(rel, dir, n) == 0 && (rel[n] == '\0' || rel[n] == '/');
}

static size_t
depth(const char *rel)
{
	size_t d = rel[0] != '\0';

	for (const char *c = rel; *c != '\0'; c++)
		d += *c == '/';
	return d;
}

static enum oracle_access
entry_access(const struct oracle_policy *p, const char *rel, long *best_depth)
{
	enum oracle_access a = OR_READ;	/* "/" is readable in every generated profile */
	long best = -1;

	for (size_t i = 0; i < p->n; i++) {
		long d = (long)depth(p->entries[i]);

		if (!within(rel, p->entries[i]))
			continue;
		if (d > best || (d == best && p->access[i] > a)) {
			best = d;
			a = p->access[i];
		}
	}
	*best_depth = best;
	return a;
}

static bool
is_write_entry(const struct oracle_policy *p, const char *rel)
{
	enum oracle_access strongest = 0;

	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->entries[i], rel) == 0 && p->access[i] > strongest)
			strongest = p->access[i];
	return strongest == OR_WRITE;
}

enum oracle_access
oracle_expect(const struct oracle_policy *p, const char *rel)
{
	long d;
	enum oracle_access a = entry_access(p, rel, &d);

	/* Inside G/.git where G is a writable entry and nothing deeper names the path. */
	for (size_t i = 0; i < p->ngit; i++) {
		char git[80];

		snprintf(git, sizeof(git), "%s%s.git", p->git[i], p->git[i][0] ? "/" : "");
		if (within(rel, git) && is_write_entry(p, p->git[i]) && d <= (long)depth(p->git[i]) &&
		    a == OR_WRITE)
			return OR_READ;
	}
	return a;
}

const char *
oracle_access_name(enum oracle_access a)
{
	return a == OR_READ ? "read" : a == OR_WRITE ? "write" : "deny";
}

/* rel with each "/" replaced by sep ("//" or "/./"). */
static void
respell(const char *rel, const char *sep, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const char *c = rel; *c != '\0' && used + 4 < len; c++) {
		if (*c == '/')
			used += (size_t)snprintf(buf + used, len - used, "%s", sep);
		else
			buf[used++] = *c, buf[used] = '\0';
	}
}

/* One spelling of ws/rel (rel "" is the workspace itself). */
static void
spell(const char *ws, const char *links, const char *rel, unsigned how, char *buf, size_t len)
{
	char first[64], alt[160];

	snprintf(first, sizeof(first), "%.*s", (int)strcspn(rel, "/"), rel);
	/* The workspace itself: plain, a trailing slash or the link; any other path: 0-6. */
	switch (rel[0] == '\0' ? (how % 3 == 0 ? 0 : how % 3 + 6) : how % 7) {
	case 1:
		respell(rel, "//", alt, sizeof(alt));
		snprintf(buf, len, "%s//%s", ws, alt);
		return;
	case 2:
		respell(rel, "/./", alt, sizeof(alt));
		snprintf(buf, len, "%s/./%s", ws, alt);
		return;
	case 3:
		snprintf(buf, len, "%s/%s/", ws, rel);
		return;
	case 4:
		snprintf(buf, len, "%s/%s/../%s", ws, first, rel);
		return;
	case 5:
		snprintf(buf, len, "%s/lnk/%s", links, rel);
		return;
	case 6:
		snprintf(buf, len, "%s/up-%s/../%s", links, first, rel);
		return;
	case 7:
		snprintf(buf, len, "%s/", ws);
		return;
	case 8:
		snprintf(buf, len, "%s/lnk", links);
		return;
	default:
		snprintf(buf, len, "%s%s%s", ws, rel[0] ? "/" : "", rel);
		return;
	}
}

int
oracle_profile_spelled(const struct oracle_policy *p, const char *ws, const char *links,
    uint64_t seed, char *buf, size_t len)
{
	uint64_t s = seed ^ 0x5be11edULL;	/* its own stream: the policy stays the same */
	size_t used;

	used = (size_t)snprintf(buf, len, "{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"}");
	for (size_t i = 0; i < p->n && used < len; i++) {
		char path[512];

		spell(ws, links, p->entries[i], pick(&s, 9), path, sizeof(path));
		used += (size_t)snprintf(buf + used, len - used,
		    ",{\"path\":{\"type\":\"path\",\"path\":\"%s\"},\"access\":\"%s\"}", path,
		    oracle_access_name(p->access[i]));
	}
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "]},\"network\":\"restricted\"}");
	return used < len ? 0 : -1;
}

int
oracle_profile(const struct oracle_policy *p, const char *ws, char *buf, size_t len)
{
	size_t used;

	used = (size_t)snprintf(buf, len, "{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\","
	    "\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"}");
	for (size_t i = 0; i < p->n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used,
		    ",{\"path\":{\"type\":\"path\",\"path\":\"%s%s%s\"},\"access\":\"%s\"}", ws,
		    p->entries[i][0] ? "/" : "", p->entries[i], oracle_access_name(p->access[i]));
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "]},\"network\":\"restricted\"}");
	return used < len ? 0 : -1;
}
