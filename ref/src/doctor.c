/* cordon doctor: placeholder until the full checks land. */
#include <stdio.h>

#include "sandbox.h"

int
doctor_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("doctor: not implemented yet\n");
	return 0;
}
