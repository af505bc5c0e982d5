/* The bubblewrap compiled into cordon (scripts/vendor-bwrap), used when PATH has none. */
#ifndef CORDON_BWRAP_VENDORED_H
#define CORDON_BWRAP_VENDORED_H

#include <stddef.h>

#include "bwrap.h"

/* argv[1] of cordon's own image re-executed as its bundled bwrap. */
#define CORDON_BWRAP_FLAG "--cordon-bwrap"

/* The bundled upstream version ("0.12.0"), or NULL when there is none or it is turned off. */
const char *bwrap_vendored_version(void);
/* Why there is no bundled bwrap (build-time reason or CORDON_NO_BUNDLED_BWRAP), or NULL. */
const char *bwrap_vendored_missing(void);
/* Run the bundled bwrap's main: argv[0] is "bwrap". */
int bwrap_vendored_main(int argc, char **argv);
/*
 * Select the bundled bwrap: open cordon's own image now, so the file that
 * is executed later is the one opened here.  -1 with a reason if unavailable.
 */
int bwrap_vendored_select(struct bwrap_info *info, char *err, size_t errlen);
/* The one line saying why the bundled bwrap is used instead (malloc'd). */
char *bwrap_vendored_warning(const char *why);
/*
 * Find a usable bwrap on PATH, else the bundled one.  *warning (malloc'd)
 * is set when the bundled one is chosen: one line for the user.
 */
int bwrap_choose(struct bwrap_info *info, bool (*unsafe)(const char *, const void *),
    const void *ctx, const char *cache_dir, char **warning, char *err, size_t errlen);

#endif
