/* Field access on jansson objects with errors that name the field. */
#ifndef CORDON_JSONFIELD_H
#define CORDON_JSONFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct jerr {
	char *buf;
	size_t len;
};

int jerr_set(struct jerr *e, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parse text into an object; -1 with a message on malformed JSON. */
json_t *jfield_load(const char *text, const char *what, struct jerr *e);
/* -1 if obj has a key not in the NULL-terminated list. */
int jfield_only(json_t *obj, const char *where, const char *const *allowed, struct jerr *e);
/* A required (or optional, when *out may stay NULL) string member. */
int jfield_string(json_t *obj, const char *where, const char *key, bool required,
    const char **out, struct jerr *e);
/* An optional boolean member; *out keeps its value when absent. */
int jfield_bool(json_t *obj, const char *where, const char *key, bool *out, struct jerr *e);

#endif
