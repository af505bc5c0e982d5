/*
 * What scripts/vendor-bwrap built, under names cordon links against either
 * way.  vendor.h (generated) defines VENDOR_VERSION when bubblewrap's
 * sources were compiled in (their main renamed), else VENDOR_MISSING with
 * the reason.  Every other symbol of the bundle is made local afterwards,
 * so bubblewrap's helpers cannot collide with cordon's.
 */
#include <stdio.h>

#include "vendor.h"

int cordon_vendored_bwrap_main(int, char **);
extern const char cordon_vendored_bwrap_version[];
extern const char cordon_vendored_bwrap_missing[];

#ifdef VENDOR_VERSION
int cordon_bwrap_upstream_main(int, char **);

const char cordon_vendored_bwrap_version[] = VENDOR_VERSION;
const char cordon_vendored_bwrap_missing[] = "";

int
cordon_vendored_bwrap_main(int argc, char **argv)
{
	return cordon_bwrap_upstream_main(argc, argv);
}
#else
const char cordon_vendored_bwrap_version[] = "";
const char cordon_vendored_bwrap_missing[] = VENDOR_MISSING;

int
cordon_vendored_bwrap_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cordon: this build has no bundled bubblewrap: %s\n", VENDOR_MISSING);
	return 1;
}
#endif
