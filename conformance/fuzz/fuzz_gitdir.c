/* libFuzzer: the .git pointer parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *gd;

	memcpy(text, data, size);
	text[size] = '\0';
	gd = gitdir_parse(text);
	if (gd != NULL && (gd[0] == '\0' || strchr(gd, '\n') != NULL))
		abort();	/* a value is never empty and never spans lines */
	free(gd);
	free(text);
	return 0;
}
