/*
 * The one setting cordon reads from a Codex-style config.toml:
 * features.use_legacy_landlock.  Not a TOML parser: one key, one line.
 */
#ifndef CORDON_CONFIG_H
#define CORDON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config_scan {
	bool in_table;		/* a [table] header has been seen */
	bool in_features;	/* ... and the latest one is [features] */
};

/* One line: 1 and *val when it sets the key, 0 when it does not, -1 when malformed. */
int config_line(struct config_scan *s, const char *line, bool *val);
/*
 * $CORDON_CONFIG (*required: a file named on purpose must exist), else
 * $XDG_CONFIG_HOME/cordon/config.toml, else ~/.config/cordon/config.toml.
 */
char *config_path(bool *required);
/* 1 and *val if the file sets the key, 0 if not (or no optional file), -1 with a message. */
int config_legacy_landlock(const char *path, bool required, bool *val, char *err, size_t errlen);

#endif
