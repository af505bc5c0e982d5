/*
 * The reference evaluator for nested policies, written from the policy
 * rules alone (it shares no code with cordon): the most specific entry
 * wins, ties go deny > write > read, no entry means deny, and a .git
 * directly under a writable entry stays read-only.
 */
#ifndef CONF_ORACLE_H
#define CONF_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum oracle_access { OR_READ = 1, OR_WRITE = 2, OR_DENY = 3 };

#define ORACLE_MAX_ENTRIES 8
#define ORACLE_MAX_GIT 3

struct oracle_policy {
	char entries[ORACLE_MAX_ENTRIES][64];	/* relative to the workspace; "" is the workspace */
	enum oracle_access access[ORACLE_MAX_ENTRIES];
	size_t n;
	char git[ORACLE_MAX_GIT][64];		/* directories holding a .git directory */
	size_t ngit;
};

/* A small, seedable PRNG (splitmix64), so a seed reproduces a policy anywhere. */
uint64_t oracle_next(uint64_t *state);
/* A random nested policy: depth up to 4, read / write / deny entries and .git dirs. */
void oracle_generate(uint64_t seed, struct oracle_policy *p);
/* Expected access to a file inside directory rel (relative to the workspace). */
enum oracle_access oracle_expect(const struct oracle_policy *p, const char *rel);
/* The policy as a Codex permission profile (root readable), ws substituted. */
int oracle_profile(const struct oracle_policy *p, const char *ws, char *buf, size_t len);
/*
 * The same profile with every entry spelled one of the ways that mean the
 * same path to the kernel, chosen by seed: doubled slashes, "." components,
 * a trailing slash, "first/.." before the rest, through links/lnk (a
 * symlink to ws outside it), or through links/up-<first>/.. (a symlink to
 * ws/<first>, whose ".." is ws for the kernel and links for a text
 * normaliser).  The caller makes those symlinks.
 */
int oracle_profile_spelled(const struct oracle_policy *p, const char *ws, const char *links,
    uint64_t seed, char *buf, size_t len);
const char *oracle_access_name(enum oracle_access a);

#endif
