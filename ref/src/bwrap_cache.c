/*
 * A cache of `bwrap --help` probes, so a command does not pay for one more
 * fork and exec each time.  An entry is valid only for the same file: path,
 * device, inode, size, modification and change times.  Entries live in
 * cordon's private registry directory (mode 0700, kept read-only inside
 * any sandbox that could reach it), so a sandboxed command cannot forge
 * one to make cordon drop an option.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bwrap.h"
#include "util.h"

/* The identity line of path, or -1 if it cannot be stat'ed. */
static int
identity(const char *path, char *buf, size_t len)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	snprintf(buf, len, "%s %ju %ju %jd %jd.%09ld %jd.%09ld", path, (uintmax_t)st.st_dev,
	    (uintmax_t)st.st_ino, (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec, (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	return 0;
}

static char *
entry_path(const char *dir, const char *path)
{
	return xasprintf("%s/bwrap-%016llx", dir, (unsigned long long)fnv1a64(path, strlen(path)));
}

static void
encode(const struct bwrap_features *f, char *out, size_t len)
{
	const char *names[32];
	bool vals[32];
	size_t n = bwrap_feature_list(f, names, vals, 32);

	for (size_t i = 0; i < n && i + 1 < len; i++)
		out[i] = vals[i] ? '1' : '0';
	out[n < len ? n : len - 1] = '\0';
}

bool
bwrap_cache_get(const char *dir, const char *path, struct bwrap_features *f)
{
	char want[1024], line[1200], bits[40], *e;
	struct bwrap_features probe;
	FILE *fp;
	bool hit = false;

	if (dir == NULL || identity(path, want, sizeof(want)) < 0)
		return false;
	e = entry_path(dir, path);
	fp = fopen(e, "re");
	free(e);
	if (fp == NULL)
		return false;
	if (fgets(line, sizeof(line), fp) != NULL && fgets(bits, sizeof(bits), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		bits[strcspn(bits, "\n")] = '\0';
		if (strcmp(line, want) == 0) {
			/* Decode through the same list: an entry from another build fails the length check. */
			char check[40];

			memset(&probe, 0, sizeof(probe));
			encode(&probe, check, sizeof(check));
			if (strlen(bits) == strlen(check) && strspn(bits, "01") == strlen(bits)) {
				bool *fields[] = { &probe.as_pid_1, &probe.argv0, &probe.perms,
					&probe.ro_bind_data, &probe.cap_drop, &probe.disable_userns,
					&probe.unshare_ipc, &probe.new_session, &probe.die_with_parent,
					&probe.remount_ro, &probe.chdir, &probe.dev, &probe.proc, &probe.tmpfs };

				for (size_t i = 0; i < strlen(bits) && i < sizeof(fields) / sizeof(fields[0]); i++)
					*fields[i] = bits[i] == '1';
				*f = probe;
				hit = true;
			}
		}
	}
	fclose(fp);
	return hit;
}

void
bwrap_cache_put(const char *dir, const char *path, const struct bwrap_features *f)
{
	char id[1024], bits[40], *e, *tmp;
	FILE *fp;

	if (dir == NULL || identity(path, id, sizeof(id)) < 0)
		return;
	encode(f, bits, sizeof(bits));
	e = entry_path(dir, path);
	tmp = xasprintf("%s.%ld", e, (long)getpid());
	fp = fopen(tmp, "wxe");
	if (fp != NULL) {
		fprintf(fp, "%s\n%s\n", id, bits);
		/* Readers see the old entry or the new one, never half of one. */
		if (fclose(fp) == 0 && rename(tmp, e) == 0) {
			free(tmp);
			free(e);
			return;
		}
	}
	unlink(tmp);
	free(tmp);
	free(e);
}
