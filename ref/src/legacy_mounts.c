/* Read-only bind mounts over protected subpaths, for the legacy Landlock pipeline. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "legacy_mounts.h"

void
legacy_protected_paths(const struct rules *rs, const struct fsview *fs,
    struct strv *present, struct strv *absent)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];

		if (!r->protected || r->access == ACCESS_WRITE)
			continue;
		strv_push(fs_stat(fs, r->path) == FT_MISSING ? absent : present, r->path);
	}
}

static int
write_file(const char *path, const char *text, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = write(fd, text, strlen(text));
		close(fd);
	}
	if (n != (ssize_t)strlen(text)) {
		snprintf(err, errlen, "writing %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Flags a remount inside a user namespace must keep, or the kernel refuses it. */
static unsigned long
locked_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

static int
enter_namespaces(char *err, size_t errlen)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		snprintf(err, errlen, "unshare(CLONE_NEWUSER|CLONE_NEWNS): %s", strerror(errno));
		return -1;
	}
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	if (write_file("/proc/self/uid_map", map, err, errlen) < 0 ||
	    write_file("/proc/self/setgroups", "deny", err, errlen) < 0)
		return -1;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	if (write_file("/proc/self/gid_map", map, err, errlen) < 0)
		return -1;
	/* Nothing done here may reach the caller's mount namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		snprintf(err, errlen, "making / private: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
legacy_mounts_protect(const struct strv *paths, char *err, size_t errlen)
{
	char why[256];

	if (paths->n == 0)
		return 0;
	if (enter_namespaces(why, sizeof(why)) < 0)
		goto fail;
	for (size_t i = 0; i < paths->n; i++) {
		const char *p = paths->v[i];

		if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
			snprintf(why, sizeof(why), "bind-mounting %s: %s", p, strerror(errno));
			goto fail;
		}
		if (mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags(p),
		    NULL) < 0) {
			snprintf(why, sizeof(why), "remounting %s read-only: %s", p, strerror(errno));
			goto fail;
		}
	}
	return 0;
fail:
	snprintf(err, errlen, "legacy Landlock cannot keep %s read-only (%s); refusing to run "
	    "the command (use bubblewrap: drop --legacy-landlock)", paths->v[0], why);
	return -1;
}
