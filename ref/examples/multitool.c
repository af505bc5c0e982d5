/*
 * A tiny multitool: one binary that is the Codex sandbox helper when
 called as codex-linux-sandbox, and something else otherwise.  It shows
 * the calls a host program needs from libcordon.
 */
#include <stdio.h>
#include <string.h>

#include "cordon.h"

int
main(int argc, char **argv)
{
	if (cordon_should_dispatch(argc, argv))
		return cordon_run_main(argc, argv);
	/* What the user should know before any sandboxed command runs. */
	for (const char *const *w = cordon_startup_warnings(); *w != NULL; w++)
		fprintf(stderr, "%s: warning: %s\n", argv[0], *w);
	if (argc > 1 && strcmp(argv[1], "hello") == 0) {
		printf("hello from a multitool with cordon %s inside\n", cordon_version());
		return 0;
	}
	fprintf(stderr, "usage: %s hello  (or call me as %s)\n", argv[0], CORDON_HELPER_ARG0);
	return 2;
}
