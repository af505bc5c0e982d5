/* The cordon binary: a sandbox helper under one name, a CLI under the other. */
#include "cordon.h"

int
main(int argc, char **argv)
{
	if (cordon_should_dispatch(argc, argv))
		return cordon_run_main(argc, argv);
	return cordon_main(argc, argv);
}
