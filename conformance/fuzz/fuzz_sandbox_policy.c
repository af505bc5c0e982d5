/* libFuzzer: the legacy SandboxPolicy parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct policy p;

	memcpy(text, data, size);
	text[size] = '\0';
	if (policy_parse_sandbox_policy(text, &p, err, sizeof(err)) == 0)
		policy_free(&p);
	else if (strchr(err, '\n') != NULL || err[0] == '\0')
		abort();
	free(text);
	return 0;
}
