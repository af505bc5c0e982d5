/* See policy_file.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_file.h"
#include "util.h"

/* Far beyond any policy bwrap could take (9000 arguments); a mistake past that. */
#define POLICY_FILE_MAX (64UL << 20)

char *
policy_file_read(const char *path, char *err, size_t errlen)
{
	bool in = strcmp(path, "-") == 0;
	FILE *f = in ? stdin : fopen(path, "re");
	size_t len = 0, cap = 65536;
	char *buf;

	if (f == NULL) {
		snprintf(err, errlen, "--policy %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			if (cap > POLICY_FILE_MAX) {
				snprintf(err, errlen, "--policy %s: larger than %lu MiB", path,
				    POLICY_FILE_MAX >> 20);
				goto fail;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "--policy %s: %s", in ? "-" : path, strerror(errno));
		goto fail;
	}
	if (!in)
		fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		snprintf(err, errlen, "--policy %s: a NUL byte in the JSON", path);
		free(buf);
		return NULL;
	}
	return buf;
fail:
	if (!in)
		fclose(f);
	free(buf);
	return NULL;
}
