/*
 * Start-up warnings for a program that embeds cordon as its sandbox helper.
 * The helper itself prints nothing (its stderr belongs to the command), so
 * the host program asks once and shows the user what it gets.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "bwrap_vendored.h"
#include "cordon.h"
#include "targets.h"
#include "util.h"

const char *const *
cordon_startup_warnings(void)
{
	static const char *list[2];
	static bool done;
	struct bwrap_info bw;
	char err[1024], *warning = NULL, *registry;

	if (done)
		return list;
	done = true;
	registry = targets_registry();
	if (bwrap_choose(&bw, NULL, NULL, registry, &warning, err, sizeof(err)) < 0)
		list[0] = xasprintf("cordon cannot sandbox commands here: %s", err);
	else
		list[0] = warning;
	bwrap_info_free(&bw);
	free(registry);
	return list;
}
