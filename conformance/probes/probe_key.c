/*
 * Keyring probes: the session keyring a sandbox inherits holds the user's
 * secrets (and is writable by them).  Raw keyctl(2) and add_key(2), so the
 * static probe needs no libkeyutils.
 */
#include <sys/syscall.h>

#include <linux/keyctl.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define PAYLOAD_MAX	4096

static long
keyctl(int cmd, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	return syscall(SYS_keyctl, cmd, a2, a3, a4, a5);
}

/* The user key NAME in the session keyring, or -1 and errno. */
static long
search(const char *name)
{
	return keyctl(KEYCTL_SEARCH, (unsigned long)KEY_SPEC_SESSION_KEYRING,
	    (unsigned long)"user", (unsigned long)name, 0);
}

static void
p_key_read(char **av)
{
	char payload[PAYLOAD_MAX + 1], buf[PAYLOAD_MAX + 1];
	long id, n;

	if ((id = search(av[0])) == -1 ||
	    (n = keyctl(KEYCTL_READ, (unsigned long)id, (unsigned long)payload, PAYLOAD_MAX,
	    0)) == -1) {
		report(errno, NULL);
		return;
	}
	payload[n < PAYLOAD_MAX ? n : PAYLOAD_MAX] = '\0';
	report(0, "value=%s", clean(buf, sizeof(buf), payload));
}

static void
p_key_add(char **av)
{
	outcome(syscall(SYS_add_key, "user", av[0], av[1], strlen(av[1]),
	    KEY_SPEC_SESSION_KEYRING) == -1 ? -1 : 0);
}

static void
p_key_update(char **av)
{
	long id;

	if ((id = search(av[0])) == -1) {
		report(errno, NULL);
		return;
	}
	outcome(keyctl(KEYCTL_UPDATE, (unsigned long)id, (unsigned long)av[1], strlen(av[1]),
	    0) == -1 ? -1 : 0);
}

static void
p_key_unlink(char **av)
{
	long id;

	if ((id = search(av[0])) == -1) {
		report(errno, NULL);
		return;
	}
	outcome(keyctl(KEYCTL_UNLINK, (unsigned long)id,
	    (unsigned long)KEY_SPEC_SESSION_KEYRING, 0, 0) == -1 ? -1 : 0);
}

const struct probe key_probes[] = {
	{ "key-read", 1, 1, p_key_read, "NAME" },
	{ "key-add", 2, 2, p_key_add, "NAME VALUE" },
	{ "key-update", 2, 2, p_key_update, "NAME VALUE" },
	{ "key-unlink", 1, 1, p_key_unlink, "NAME" },
	{ NULL, 0, 0, NULL, NULL },
};
