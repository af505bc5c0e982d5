/*
 * cordon run's --clearenv, --setenv NAME VALUE and --unsetenv NAME, as
 * bwrap has them: an ordered list of edits of the command's environment,
 * applied when the sandbox starts (cordon itself finds bwrap, its registry
 * and $TMPDIR with the caller's).  Each edit is one string: "c" (clear),
 * "sNAME=VALUE" or "uNAME".
 */
#ifndef CORDON_ENVOPS_H
#define CORDON_ENVOPS_H

#include <stddef.h>

#include "util.h"

/* A variable name bwrap and the C library accept: not empty, no '='.  Pure. */
int envops_check_name(const char *name, char *err, size_t errlen);
/* NAME's value after the edits, given its value before (NULL: unset).  Pure. */
const char *envops_value(const struct strv *ops, const char *name, const char *before);
/* Apply the edits to this process's environment. */
void envops_apply(const struct strv *ops);

#endif
