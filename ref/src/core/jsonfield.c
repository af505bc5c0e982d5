/* Helpers so that every policy parser reports the exact field at fault. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonfield.h"

int
jerr_set(struct jerr *e, const char *where, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(e->buf, e->len, "%s: ", where);
	if (n < 0 || (size_t)n >= e->len)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->buf + n, e->len - (size_t)n, fmt, ap);
	va_end(ap);
	/* Keep the message on one line whatever the input held. */
	for (char *p = e->buf; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return -1;
}

json_t *
jfield_load(const char *text, const char *what, struct jerr *e)
{
	json_error_t je;
	json_t *root;

	root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		jerr_set(e, what, "invalid JSON at line %d column %d: %s", je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		jerr_set(e, what, "expected a JSON object");
		return NULL;
	}
	return root;
}

int
jfield_only(json_t *obj, const char *where, const char *const *allowed, struct jerr *e)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool ok = false;

		(void)v;
		for (size_t i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				ok = true;
		if (!ok)
			return jerr_set(e, where, "unknown field \"%s\"", key);
	}
	return 0;
}

int
jfield_string(json_t *obj, const char *where, const char *key, bool required,
    const char **out, struct jerr *e)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (required)
			return jerr_set(e, where, "missing field \"%s\"", key);
		return 0;
	}
	if (!json_is_string(v))
		return jerr_set(e, where, "field \"%s\" must be a string", key);
	*out = json_string_value(v);
	return 0;
}

int
jfield_bool(json_t *obj, const char *where, const char *key, bool *out, struct jerr *e)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return jerr_set(e, where, "field \"%s\" must be true or false", key);
	*out = json_is_true(v);
	return 0;
}
