/*
 * Truncation for Landlock before ABI 3: Landlock does not handle it there,
 * so a path outside every writable root could be truncated.  A second,
 * stacked filter closes that hole with the calls that truncate by path.
 */
#ifndef CORDON_TRUNCATE_GUARD_H
#define CORDON_TRUNCATE_GUARD_H

#include <stddef.h>

#include "util.h"

/*
 * truncate(2) and truncate64 fail with EPERM (ftruncate needs a descriptor
 * opened for writing, which Landlock does check); open and openat with
 * O_TRUNC but read-only access fail with EPERM; openat2, whose flags a
 * filter cannot read, fails with ENOSYS so that callers fall back to
 * openat.  NO_NEW_PRIVS must be set already.
 */
int truncate_guard_install(char *err, size_t errlen);
/* The same, one rule per line, for explain. */
void truncate_guard_describe(struct strv *out);

#endif
