/* See mutant.h: only a mutant build reads CORDON_MUTANT. */
#include "mutant.h"

#ifdef CORDON_MUTANTS
#include <stdlib.h>
#include <string.h>

/* CORDON_MUTANT names one defence, or several separated by commas. */
static bool
named(const char *name, bool prefix)
{
	const char *off = getenv("CORDON_MUTANT");
	size_t n = strlen(name);

	for (const char *p = off; p != NULL && *p != '\0'; p += strcspn(p, ",")) {
		p += strspn(p, ",");
		if (strncmp(p, name, n) == 0 && (prefix || p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

bool
mutant(const char *name)
{
	return named(name, false);
}

bool
mutant_prefix(const char *prefix)
{
	return named(prefix, true);
}
#else
/* ISO C wants a translation unit to declare something. */
extern int cordon_mutant_unused;
#endif
