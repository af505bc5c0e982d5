/*
 * "setup key NAME VALUE": the case process joins a session keyring of its
 * own and adds a user key to it; the adapter, and so the sandbox, inherit
 * that session keyring.  Raw keyctl(2) and add_key(2): no libkeyutils.
 */
#include <sys/syscall.h>

#include <linux/keyctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

static long
keyctl(int cmd, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	return syscall(SYS_keyctl, cmd, a2, a3, a4, a5);
}

/* Once per case: a named session keyring of this process alone. */
static int
join_session(void)
{
	static bool joined;
	char name[64];

	if (joined)
		return 0;
	/* A name in use would be joined, not created: the pid keeps it private. */
	snprintf(name, sizeof(name), "cordon-case-%ld", (long)getpid());
	if (keyctl(KEYCTL_JOIN_SESSION_KEYRING, (unsigned long)name, 0, 0, 0) < 0)
		return -1;
	joined = true;
	return 0;
}

int
conf_key_add(const char *name, const char *value)
{
	if (join_session() < 0)
		return -1;
	return syscall(SYS_add_key, "user", name, value, strlen(value),
	    KEY_SPEC_SESSION_KEYRING) < 0 ? -1 : 0;
}

static int
cmpkey(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

void
conf_key_snap(const char *name, struct conf_snap *s)
{
	long id, n;

	n = keyctl(KEYCTL_READ, (unsigned long)KEY_SPEC_SESSION_KEYRING, (unsigned long)s->keys,
	    sizeof(s->keys), 0);
	if (n >= 0) {
		s->nkeys = (size_t)n / sizeof(s->keys[0]);
		if (s->nkeys > CONF_MAX_KEYS)
			s->nkeys = CONF_MAX_KEYS;
		qsort(s->keys, s->nkeys, sizeof(s->keys[0]), cmpkey);
	}
	id = keyctl(KEYCTL_SEARCH, (unsigned long)KEY_SPEC_SESSION_KEYRING, (unsigned long)"user",
	    (unsigned long)name, 0);
	if (id < 0) {
		s->key_err = errno;
		return;
	}
	n = keyctl(KEYCTL_READ, (unsigned long)id, (unsigned long)s->key, sizeof(s->key), 0);
	if (n < 0) {
		s->key_err = errno;
		return;
	}
	s->key_len = (size_t)n < sizeof(s->key) ? (size_t)n : sizeof(s->key);
}
