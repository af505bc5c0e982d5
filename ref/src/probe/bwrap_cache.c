/*
 * What cordon has learned about a bwrap, so a command does not pay for it
 * again each time: its `bwrap --help` probe, and what a careful launch
 * found out here (see bwrap_proc_get).  An entry is valid only for the
 * same file: path, device, inode, size, modification and change times.
 * Entries live in cordon's private registry directory (mode 0700, kept
 * read-only inside any sandbox that could reach it), so a sandboxed
 * command cannot forge one to make cordon drop an option.
 */
#include <errno.h>
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

/*
 * An entry's two lines (the key, then the value), without their newlines.
 * read(2) into a buffer, not stdio: this runs on every launch, and a FILE
 * costs allocations, which musl's allocator maps and unmaps.
 */
static bool
read_entry(const char *file, char *key, size_t klen, char *val, size_t vlen)
{
	char buf[2048], *nl, *end;
	ssize_t n;
	int fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if ((nl = strchr(buf, '\n')) == NULL || (end = strchr(nl + 1, '\n')) == NULL)
		return false;
	*nl = *end = '\0';
	if ((size_t)(nl - buf) >= klen || (size_t)(end - nl - 1) >= vlen)
		return false;
	memcpy(key, buf, (size_t)(nl - buf) + 1);
	memcpy(val, nl + 1, (size_t)(end - nl));
	return true;
}

/* Write an entry's two lines; readers see the old entry or the new one, never half of one. */
static void
write_entry(const char *file, const char *key, const char *val)
{
	char *tmp = xasprintf("%s.%ld", file, (long)getpid());
	FILE *fp = fopen(tmp, "wxe");

	if (fp != NULL) {
		fprintf(fp, "%s\n%s\n", key, val);
		if (fclose(fp) == 0 && rename(tmp, file) == 0) {
			free(tmp);
			return;
		}
	}
	unlink(tmp);
	free(tmp);
}

bool
bwrap_cache_get(const char *dir, const char *path, struct bwrap_features *f)
{
	char want[1024], line[1200], bits[40], *e;
	struct bwrap_features probe;
	bool hit = false, got;

	if (dir == NULL || identity(path, want, sizeof(want)) < 0)
		return false;
	e = entry_path(dir, path);
	got = read_entry(e, line, sizeof(line), bits, sizeof(bits));
	free(e);
	if (got) {
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
	return hit;
}

void
bwrap_cache_put(const char *dir, const char *path, const struct bwrap_features *f)
{
	char id[1024], bits[40], *e;

	if (dir == NULL || identity(path, id, sizeof(id)) < 0)
		return;
	encode(f, bits, sizeof(bits));
	e = entry_path(dir, path);
	write_entry(e, id, bits);
	free(e);
}

/*
 * Where this process stands: its mount, user and PID namespaces and the
 * boot.  Whether bwrap can mount a fresh /proc depends on the mounts of
 * the caller's namespace (a container's masked /proc is the usual no).
 */
static int
place(char *buf, size_t len)
{
	static const char *const ns[] = { "mnt", "user", "pid" };
	/*
	 * One lookup of /proc/self/ns, not one per link: each makes /proc
	 * inodes.  openat, not open: musl's open adds an F_SETFD call.
	 */
	int dir = openat(AT_FDCWD, "/proc/self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC), fd;
	size_t off = 0;
	ssize_t n;

	if (dir < 0)
		return -1;
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		if (off + 2 >= len || (n = readlinkat(dir, ns[i], buf + off, len - off - 2)) <= 0) {
			close(dir);
			return -1;
		}
		off += (size_t)n;
		buf[off++] = ' ';
	}
	close(dir);
	fd = openat(AT_FDCWD, "/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf + off, len - off - 1);
	close(fd);
	if (n <= 0)
		return -1;
	off += (size_t)n;
	buf[off] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The key line of a /proc entry for the bwrap at path, here. */
static int
proc_key(const char *path, char *buf, size_t len)
{
	char id[1024], where[512];

	if (identity(path, id, sizeof(id)) < 0 || place(where, sizeof(where)) < 0)
		return -1;
	if ((size_t)snprintf(buf, len, "%s | %s", id, where) >= len)
		return -1;
	return 0;
}

static char *
proc_entry_path(const char *dir, const char *key)
{
	return xasprintf("%s/proc-%016llx", dir, (unsigned long long)fnv1a64(key, strlen(key)));
}

const char *
bwrap_file(const struct bwrap_info *bw)
{
	return bw->vendored ? "/proc/self/exe" : bw->path;
}

enum proc_outcome
bwrap_proc_get(const char *dir, const char *path)
{
	char key[1600], line[1700], val[8];
	enum proc_outcome r = PROC_UNKNOWN;
	char *e;
	bool got;

	if (dir == NULL || proc_key(path, key, sizeof(key)) < 0)
		return PROC_UNKNOWN;
	e = proc_entry_path(dir, key);
	got = read_entry(e, line, sizeof(line), val, sizeof(val));
	free(e);
	if (got && strcmp(line, key) == 0) {
		if (strcmp(val, "mounts") == 0)
			r = PROC_MOUNTS;
		else if (strcmp(val, "fails") == 0)
			r = PROC_FAILS;
		else if (strcmp(val, "none") == 0)
			r = PROC_NOT_TRIED;
	}
	return r;
}

void
bwrap_proc_put(const char *dir, const char *path, enum proc_outcome o)
{
	static const char *const words[] = { "none", "fails", "mounts" };
	char key[1600], *e;

	if (dir == NULL || o == PROC_UNKNOWN || proc_key(path, key, sizeof(key)) < 0)
		return;
	/* A run without --proc learns nothing about /proc: keep what is known. */
	if (o == PROC_NOT_TRIED && bwrap_proc_get(dir, path) != PROC_UNKNOWN)
		return;
	e = proc_entry_path(dir, key);
	write_entry(e, key, words[o]);
	free(e);
}

void
bwrap_proc_forget(const char *dir, const char *path)
{
	char key[1600], *e;

	if (dir == NULL || proc_key(path, key, sizeof(key)) < 0)
		return;
	e = proc_entry_path(dir, key);
	if (unlink(e) < 0 && errno != ENOENT)
		warnx_("cannot remove %s: %s", e, strerror(errno));
	free(e);
}
