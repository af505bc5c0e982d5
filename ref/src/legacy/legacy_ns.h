/*
 * The legacy pipeline's namespaces: made for a run, or tried in a
 * throw-away child for explain and doctor (can they be made here, and a
 * fresh /proc be mounted in them?).
 */
#ifndef CORDON_LEGACY_NS_H
#define CORDON_LEGACY_NS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * New user, mount, PID (for the next child), IPC and, unless network,
 * network namespaces for the calling process, mapping only its own uid
 * and gid.  -1 with the reason in err: the run must then be refused.
 */
int legacy_unshare(bool network, char *err, size_t errlen);

struct legacy_probe {
	int userns_errno;	/* 0: the namespaces were made */
	int proc_errno;		/* 0: a fresh /proc mounted in them; -1: not tried */
};

void legacy_probe(struct legacy_probe *p);

struct legacy_env;
/* The kernel's Landlock ABI and the probe's answers into e (legacy_summary.h). */
void legacy_env_here(struct legacy_env *e);

#endif
