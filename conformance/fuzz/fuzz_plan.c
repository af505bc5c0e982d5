/*
 * libFuzzer: policy resolution and the bwrap argv builder over a synthetic
 * filesystem.  Input: a feature-set selector byte, a filesystem description
 * (fsview_mem format), a line "---", then a permission profile.  Beyond
 * crashes and leaks it checks invariants of every plan: no option the
 * chosen bwrap lacks, the user command after the inner stage's "--", and
 * --ro-bind-data descriptors numbered exactly as the plan counts them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct plan *p, const struct bwrap_features *f)
{
	int data_seen = 0;
	size_t i, sep = 0;

	for (i = 0; i < p->argv.n; i++) {
		const char *a = p->argv.v[i];

		if (strcmp(a, "--") == 0) {
			sep = i;
			break;
		}
		if ((strcmp(a, "--perms") == 0 && !f->perms) ||
		    (strcmp(a, "--disable-userns") == 0 && !f->disable_userns) ||
		    (strcmp(a, "--as-pid-1") == 0 && !f->as_pid_1) ||
		    (strcmp(a, "--argv0") == 0 && !f->argv0))
			abort();
		if (strcmp(a, "--ro-bind-data") == 0) {
			if (i + 2 >= p->argv.n || atoi(p->argv.v[i + 1]) != p->data_fd0 + data_seen)
				abort();
			data_seen++;
		}
	}
	if (sep == 0 || data_seen != p->ndata)
		abort();
	/* The inner stage's own "--" comes before the user's command. */
	for (i = sep + 1; i < p->argv.n && strcmp(p->argv.v[i], "--") != 0; i++)
		;
	if (i + 1 >= p->argv.n || strcmp(p->argv.v[i + 1], "cmd") != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bwrap_features *sets[] = {
		&bwrap_features_0_4_1, &bwrap_features_0_8_0, &bwrap_features_0_12_0,
	};
	char *text, *sep, err[512], *cmd[] = { "cmd", "--bind", NULL };
	struct fsview *fs;
	struct policy pol;
	struct rules rs;
	struct plan p;
	const struct bwrap_features *f;

	if (size < 1)
		return 0;
	f = sets[data[0] % 3];
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	sep = strstr(text, "\n---\n");
	if (sep == NULL) {
		free(text);
		return 0;
	}
	*sep = '\0';
	fs = fsview_mem_new(text, NULL);
	if (fs != NULL && policy_parse_profile(sep + 5, &pol, err, sizeof(err)) == 0) {
		struct resolve_ctx rc = { "/ws", "/tmp", fs, NULL };

		if (rules_resolve(&pol, &rc, &rs, err, sizeof(err)) == 0) {
			struct plan_opts po = { f, "/ws", true, "/opt/cordon", "/tmp/reg", 3, cmd };

			if (plan_build(&rs, fs, &po, &p, err, sizeof(err)) == 0) {
				if (p.pipeline == PIPELINE_BWRAP)
					check(&p, f);
				plan_free(&p);
			}
			rules_free(&rs);
		}
		policy_free(&pol);
	}
	fsview_mem_free(fs);
	free(text);
	return 0;
}
