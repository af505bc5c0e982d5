/* Small helpers shared by every file: allocation that cannot fail, string vectors. */
#ifndef CORDON_UTIL_H
#define CORDON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit statuses shared by the helper and the CLI. */
enum {
	EXIT_POLICY = 1,	/* the policy cannot be enforced here */
	EXIT_USAGE = 2,		/* bad command line or bad policy input */
	EXIT_TIMEOUT = 124,	/* --timeout ended the sandbox, as timeout(1) */
	EXIT_NOEXEC = 127,	/* the command could not be executed */
};

/* "out of memory" and exit: what every x* helper does when malloc fails. */
void xoom(void) __attribute__((noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* a + sep + the first n bytes of b, in a new string. */
char *xjoin(const char *a, const char *sep, const char *b, size_t n);
/* A pidfd of pid (close-on-exec), or -1: kernels before 5.3 have none. */
int pidfd_of(pid_t pid);
/* FNV-1a, 64 bits, of the first n bytes of s: names and indexes, not security. */
uint64_t fnv1a64(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A NULL-terminated, growable vector of owned strings. */
struct strv {
	char **v;
	size_t n;
	size_t cap;
};

void strv_push(struct strv *sv, const char *s);
void strv_pushf(struct strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strv_free(struct strv *sv);
bool strv_contains(const struct strv *sv, const char *s);

/*
 * A set of owned strings: a hash table, so a plan with thousands of paths
 * asks "seen it?" in constant time (a strv scan made explain quadratic).
 */
struct strset {
	char **slot;		/* cap entries, NULL where empty */
	size_t n;
	size_t cap;		/* a power of two, or 0 */
};

/* Add s (copied); false if it was there already. */
bool strset_add(struct strset *ss, const char *s);
bool strset_has(const struct strset *ss, const char *s);
void strset_free(struct strset *ss);

/* s as one word for a POSIX shell: as it is when that is safe, else in single quotes. */
char *shell_quote(const char *s);

/*
 * The one error formatter.  A function that can fail takes a buffer for
 * its message (char *err, size_t errlen: the buffer and its size), puts
 * one line there and returns -1:  return seterr(err, errlen, "...", ...);
 * After a failure such a function has freed what it made for its caller,
 * so there is nothing to free, unless its header says otherwise
 * (sandbox_prepare: explain prints what was made before the refusal).
 */
int seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Messages: one line on stderr, prefixed with the program name. */
void cordon_setprogname(const char *name);
const char *cordon_progname(void);
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void errx_(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void err_(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
