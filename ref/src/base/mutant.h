/*
 * Mutants: a test build (make mutants, -DCORDON_MUTANTS) in which one
 * defence at a time can be switched off at run time, CORDON_MUTANT=NAME,
 * so the suite can show that it notices (ref/mutants lists them).  In
 * every other build mutant() is false and costs nothing.
 */
#ifndef CORDON_MUTANT_H
#define CORDON_MUTANT_H

#include <stdbool.h>

#ifdef CORDON_MUTANTS
/* Is the defence NAME switched off in this run? */
bool mutant(const char *name);
/* Is some defence whose name starts with prefix switched off? */
bool mutant_prefix(const char *prefix);
#else
static inline bool
mutant(const char *name)
{
	(void)name;
	return false;
}

static inline bool
mutant_prefix(const char *prefix)
{
	(void)prefix;
	return false;
}
#endif

#endif
