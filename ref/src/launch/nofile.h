/* Descriptors for a large plan: the soft RLIMIT_NOFILE, raised toward the hard one. */
#ifndef CORDON_NOFILE_H
#define CORDON_NOFILE_H

#include <stddef.h>

/*
 * Make sure this process may have descriptors numbered up to need - 1:
 * the soft limit is raised (to need, at most the hard limit) only when it
 * is lower.  0, or -1 and one line saying what the hard limit stops.
 */
int nofile_ensure(unsigned long need, const char *what, char *err, size_t errlen);

#endif
