/*
 * cordon run's default: the usual credential stores under the home
 * directory hidden (secrets.def), as deny entries that skip what is not
 * there.  Not for the helper, which does what Codex's does.
 */
#ifndef CORDON_SECRETS_H
#define CORDON_SECRETS_H

#include <stddef.h>

#include "policy.h"

/* The list: relative path and what it holds, i from 0 until NULL. */
const char *secrets_path(size_t i);
const char *secrets_what(size_t i);

/* Add a secret entry for each, under home (absolute).  Pure. */
void secrets_add(struct policy *p, const char *home);

/* $HOME, or this user's home in /etc/passwd; NULL if neither is an absolute path. */
char *secrets_home(void);

#endif
