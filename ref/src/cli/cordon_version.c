/* The version cordon reports (cordon --version, doctor); cordon.h declares it. */
#include "cordon.h"

#define CORDON_VERSION "0.1.0"

const char *
cordon_version(void)
{
	return CORDON_VERSION;
}
