/* bubblewrap feature sets: parsed from --help, or known per release. */
#include <stdlib.h>
#include <string.h>

#include "bwrap.h"

/* 0.4.1 (Debian bullseye) predates --perms (0.5.0) and --argv0 (0.9.0). */
const struct bwrap_features bwrap_features_0_4_1 = {
	.as_pid_1 = true, .ro_bind_data = true, .cap_drop = true, .unshare_ipc = true,
	.new_session = true, .die_with_parent = true, .remount_ro = true, .chdir = true,
	.dev = true, .proc = true, .tmpfs = true,
};

/* 0.8.0 (Debian bookworm) has --perms and --disable-userns but no --argv0. */
const struct bwrap_features bwrap_features_0_8_0 = {
	.as_pid_1 = true, .perms = true, .ro_bind_data = true, .cap_drop = true,
	.disable_userns = true, .unshare_ipc = true, .new_session = true,
	.die_with_parent = true, .remount_ro = true, .chdir = true, .dev = true,
	.proc = true, .tmpfs = true,
};

/* 0.12.0 (Debian trixie) has everything cordon uses. */
const struct bwrap_features bwrap_features_0_12_0 = {
	.as_pid_1 = true, .argv0 = true, .perms = true, .ro_bind_data = true,
	.cap_drop = true, .disable_userns = true, .unshare_ipc = true,
	.new_session = true, .die_with_parent = true, .remount_ro = true, .chdir = true,
	.dev = true, .proc = true, .tmpfs = true,
};

/* "0.MINOR" or "0.MINOR.PATCH", numbers only: MINOR * 1000 + PATCH, or -1. */
static long
release_number(const char *v)
{
	unsigned long minor, patch = 0;
	char *end;

	if (strncmp(v, "0.", 2) != 0 || v[2] < '0' || v[2] > '9')
		return -1;
	minor = strtoul(v + 2, &end, 10);
	if (*end == '.') {
		if (end[1] < '0' || end[1] > '9')
			return -1;
		patch = strtoul(end + 1, &end, 10);
	}
	if (*end != '\0' || minor > 999 || patch > 999)
		return -1;
	return (long)(minor * 1000 + patch);
}

/*
 * The newest known feature set no newer than v: every option in it is in
 * v too (bubblewrap adds options, it has not removed one), so a plan for
 * it runs there.  0.13 and 0.13.1 get 0.12.0's, which has all cordon uses.
 */
const struct bwrap_features *
bwrap_features_for_version(const char *v)
{
	long n = release_number(v);

	if (n >= 12000)
		return &bwrap_features_0_12_0;
	if (n >= 8000)
		return &bwrap_features_0_8_0;
	if (n >= 4001)
		return &bwrap_features_0_4_1;
	return NULL;
}

/* An option counts only as a whole word: "--perms" must not match "--permsx". */
static bool
has_option(const char *help, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = strstr(help, opt); p != NULL; p = strstr(p + 1, opt)) {
		char after = p[n];
		char before = p == help ? ' ' : p[-1];

		if ((before == ' ' || before == '\t' || before == '\n' || before == ',' ||
		    before == '[') &&
		    (after == '\0' || after == ' ' || after == '\t' || after == '\n' ||
		    after == '=' || after == ',' || after == ']'))
			return true;
	}
	return false;
}

void
bwrap_parse_help(const char *help, struct bwrap_features *f)
{
	memset(f, 0, sizeof(*f));
	f->as_pid_1 = has_option(help, "--as-pid-1");
	f->argv0 = has_option(help, "--argv0");
	f->perms = has_option(help, "--perms");
	f->ro_bind_data = has_option(help, "--ro-bind-data");
	f->cap_drop = has_option(help, "--cap-drop");
	f->disable_userns = has_option(help, "--disable-userns");
	f->unshare_ipc = has_option(help, "--unshare-ipc");
	f->new_session = has_option(help, "--new-session");
	f->die_with_parent = has_option(help, "--die-with-parent");
	f->remount_ro = has_option(help, "--remount-ro");
	f->chdir = has_option(help, "--chdir");
	f->dev = has_option(help, "--dev");
	f->proc = has_option(help, "--proc");
	f->tmpfs = has_option(help, "--tmpfs");
}

const char *
bwrap_missing_required(const struct bwrap_features *f)
{
	/* Without these cordon cannot build a sandbox that holds. */
	if (!f->new_session)
		return "--new-session";
	if (!f->die_with_parent)
		return "--die-with-parent";
	if (!f->remount_ro)
		return "--remount-ro";
	if (!f->ro_bind_data)
		return "--ro-bind-data";
	if (!f->chdir)
		return "--chdir";
	if (!f->dev)
		return "--dev";
	if (!f->proc)
		return "--proc";
	if (!f->tmpfs)
		return "--tmpfs";
	if (!f->unshare_ipc)
		return "--unshare-ipc";
	return NULL;
}

size_t
bwrap_feature_list(const struct bwrap_features *f, const char **names, bool *vals, size_t max)
{
	const char *n[] = { "as-pid-1", "argv0", "perms", "ro-bind-data", "cap-drop",
		"disable-userns", "unshare-ipc", "new-session", "die-with-parent",
		"remount-ro", "chdir", "dev", "proc", "tmpfs" };
	bool v[] = { f->as_pid_1, f->argv0, f->perms, f->ro_bind_data, f->cap_drop,
		f->disable_userns, f->unshare_ipc, f->new_session, f->die_with_parent,
		f->remount_ro, f->chdir, f->dev, f->proc, f->tmpfs };
	size_t k = sizeof(n) / sizeof(n[0]);

	if (k > max)
		k = max;
	for (size_t i = 0; i < k; i++) {
		names[i] = n[i];
		vals[i] = v[i];
	}
	return k;
}
