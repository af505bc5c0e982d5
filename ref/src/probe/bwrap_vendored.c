/*
 * cordon's bundled bubblewrap: a complete bwrap linked into cordon's own
 * image, run by re-executing that image through a descriptor opened when
 * it was chosen.  Only used when PATH offers no usable bwrap.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bwrap_vendored.h"
#include "util.h"

/* Defined by the object scripts/vendor-bwrap builds (a stub when it had no source). */
int cordon_vendored_bwrap_main(int, char **);
extern const char cordon_vendored_bwrap_version[];
extern const char cordon_vendored_bwrap_missing[];

static bool
turned_off(void)
{
	const char *v = getenv("CORDON_NO_BUNDLED_BWRAP");

	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

const char *
bwrap_vendored_version(void)
{
	if (cordon_vendored_bwrap_version[0] == '\0' || turned_off())
		return NULL;
	return cordon_vendored_bwrap_version;
}

const char *
bwrap_vendored_missing(void)
{
	if (cordon_vendored_bwrap_version[0] == '\0')
		return cordon_vendored_bwrap_missing;
	if (turned_off())
		return "turned off by CORDON_NO_BUNDLED_BWRAP";
	return NULL;
}

int
bwrap_vendored_main(int argc, char **argv)
{
	return cordon_vendored_bwrap_main(argc, argv);
}

int
bwrap_vendored_select(struct bwrap_info *info, char *err, size_t errlen)
{
	const struct bwrap_features *f;
	const char *v = bwrap_vendored_version();
	int fd;

	memset(info, 0, sizeof(*info));
	info->exec_fd = -1;
	if (v == NULL) {
		snprintf(err, errlen, "no bundled bubblewrap: %s", bwrap_vendored_missing());
		return -1;
	}
	/* The pinned release's options are known: no probe of our own image is needed. */
	if ((f = bwrap_features_for_version(v)) == NULL) {
		snprintf(err, errlen, "the bundled bubblewrap %s has no known feature set", v);
		return -1;
	}
	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot open cordon's own executable for its bundled "
		    "bubblewrap: %s", strerror(errno));
		return -1;
	}
	info->exec_fd = fd;
	info->vendored = true;
	info->feat = *f;
	info->path = xstrdup("(bundled in cordon)");
	info->version = xasprintf("bubblewrap %s (cordon's build of bubblewrap)", v);
	return 0;
}

char *
bwrap_vendored_warning(const char *why)
{
	return xasprintf("%s; using cordon's bundled bubblewrap %s instead", why,
	    bwrap_vendored_version());
}

int
bwrap_choose(struct bwrap_info *info, bool (*unsafe)(const char *, const void *),
    const void *ctx, const char *cache_dir, char **warning, char *err, size_t errlen)
{
	char why[512], verr[256];

	*warning = NULL;
	if (bwrap_discover(info, unsafe, ctx, cache_dir, why, sizeof(why)) == 0)
		return 0;
	bwrap_info_free(info);
	if (bwrap_vendored_select(info, verr, sizeof(verr)) < 0) {
		snprintf(err, errlen, "%s; %s", why, verr);
		return -1;
	}
	*warning = bwrap_vendored_warning(why);
	return 0;
}
