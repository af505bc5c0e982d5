/* See envops.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envops.h"

int
envops_check_name(const char *name, char *err, size_t errlen)
{
	if (name[0] == '\0' || strchr(name, '=') != NULL) {
		snprintf(err, errlen, "\"%s\" is no environment variable name (empty, or has "
		    "an '=')", name);
		return -1;
	}
	return 0;
}

const char *
envops_value(const struct strv *ops, const char *name, const char *before)
{
	size_t n = strlen(name);
	const char *v = before;

	for (size_t i = 0; i < ops->n; i++) {
		const char *op = ops->v[i];

		if (op[0] == 'c')
			v = NULL;
		else if (op[0] == 'u' && strcmp(op + 1, name) == 0)
			v = NULL;
		else if (op[0] == 's' && strncmp(op + 1, name, n) == 0 && op[1 + n] == '=')
			v = op + 2 + n;
	}
	return v;
}

void
envops_apply(const struct strv *ops)
{
	for (size_t i = 0; i < ops->n; i++) {
		const char *op = ops->v[i];
		char *name;

		switch (op[0]) {
		case 'c':
			clearenv();
			break;
		case 'u':
			unsetenv(op + 1);
			break;
		case 's':
			name = xstrndup(op + 1, strcspn(op + 1, "="));
			setenv(name, op + 2 + strlen(name), 1);
			free(name);
			break;
		}
	}
}
