/* See legacy_mount.h.  Runs as PID 1 of the legacy namespaces, with every capability there. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "landlock.h"
#include "legacy_mount.h"
#include "mountinfo.h"
#include "mutant.h"
#include "util.h"

#define FD_PATH 32	/* "/proc/self/fd/N" */

/* The device nodes of the private /dev, as bwrap's --dev makes them. */
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
#define NDEV (sizeof(dev_nodes) / sizeof(dev_nodes[0]))

static const char *const dev_links[][2] = {
	{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	{ "core", "/proc/kcore" }, { "ptmx", "pts/ptmx" },
};

static void
fd_path(char *buf, int fd)
{
	snprintf(buf, FD_PATH, "/proc/self/fd/%d", fd);
}

/*
 * The sources, opened before any step changes what a path reaches: a
 * writable root below a read-only one is bound from its own mount, as it
 * is, not from the read-only copy above it.
 */
static int
open_sources(const struct legacy_view *v, int *src, char *err, size_t errlen)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct legacy_step *s = &v->s[i];
		const char *from = s->op == LV_NULL ? "/dev/null" : s->path;

		if (s->op == LV_EMPTY_DIR)
			continue;
		if ((src[i] = open(from, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
			return seterr(err, errlen, "cannot open %s: %s", from, strerror(errno));
	}
	return 0;
}

static int
apply(const struct legacy_step *s, int src, char *err, size_t errlen)
{
	char from[FD_PATH], opts[32];

	if (s->op == LV_EMPTY_DIR) {
		snprintf(opts, sizeof(opts), "mode=%04o,size=4k", s->mode);
		if (mount("tmpfs", s->path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0)
			return seterr(err, errlen, "cannot mask %s: %s", s->path,
			    strerror(errno));
		return 0;
	}
	fd_path(from, src);
	if (mount(from, s->path, NULL, MS_BIND | (s->op == LV_NULL ? 0 : MS_REC), NULL) < 0)
		return seterr(err, errlen, "cannot bind %s: %s", s->path, strerror(errno));
	return 0;
}

static int
apply_steps(const struct legacy_view *v, char *err, size_t errlen)
{
	int *src = xcalloc(v->n + 1, sizeof(int)), r;

	for (size_t i = 0; i < v->n; i++)
		src[i] = -1;
	r = open_sources(v, src, err, errlen);
	for (size_t i = 0; i < v->n && r == 0; i++)
		r = apply(&v->s[i], src[i], err, errlen);
	for (size_t i = 0; i < v->n; i++)
		if (src[i] >= 0)
			close(src[i]);
	free(src);
	return r;
}

static char *
slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, cap = 65536;
	char *buf;
	ssize_t k;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	while ((k = read(fd, buf + n, cap - n - 1)) > 0)
		if ((n += (size_t)k) == cap - 1)
			buf = xrealloc(buf, cap *= 2);
	close(fd);
	if (k < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * Every mount a path reaches, flagged as legacy_mount_flags says.  One
 * this process cannot reach (EACCES, ENOENT, ENOTDIR: a root-only
 * directory on the way, a point gone since) the command cannot reach
 * either, having fewer rights; any other failure refuses the run.
 */
static int
remount_all(const struct legacy_view *v, const struct rules *rs, char *err, size_t errlen)
{
	char *text = slurp("/proc/self/mountinfo");
	struct mount_table t = { 0 };
	size_t *reach = NULL, n;
	int r = -1;

	if (text == NULL || mountinfo_parse(text, &t) < 0) {
		snprintf(err, errlen, "cannot read the mount table (/proc/self/mountinfo)");
		free(text);
		return -1;
	}
	n = mountinfo_reachable(&t, &reach);
	for (size_t i = 0; i < n; i++) {
		const struct mount_entry *e = &t.e[reach[i]];
		unsigned long want = legacy_mount_flags(rs, v, e->point, e->flags);

		if (want == e->flags ||
		    mount(NULL, e->point, NULL, MS_REMOUNT | MS_BIND | want, NULL) == 0 ||
		    errno == EACCES || errno == ENOENT || errno == ENOTDIR)
			continue;
		seterr(err, errlen, "%s %s: %s", want & MS_RDONLY ? "cannot make read-only:" :
		    "cannot make nosuid,nodev:", e->point, strerror(errno));
		goto out;
	}
	r = 0;
out:
	free(reach);
	mount_table_free(&t);
	free(text);
	return r;
}

/* The mount flags of path, as statvfs reports them, as MS_* flags. */
static unsigned long
flags_of(const char *path)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			f |= map[i].ms;
	return f;
}

/* /dev/NAME: the host's node bound onto an empty file, read-only; it must open, so not nodev. */
static int
dev_node(const char *name, int src, char *err, size_t errlen)
{
	char path[32], from[FD_PATH];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444)) < 0)
		return seterr(err, errlen, "cannot create %s: %s", path, strerror(errno));
	close(fd);
	fd_path(from, src);
	if (mount(from, path, NULL, MS_BIND, NULL) < 0)
		return seterr(err, errlen, "cannot bind %s: %s", path, strerror(errno));
	/* The bind took the flags the walk gave the host's /dev, nodev among them. */
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
	    (flags_of(path) & ~(unsigned long)MS_NODEV), NULL) < 0)
		return seterr(err, errlen, "cannot make read-only: %s: %s", path,
		    strerror(errno));
	return 0;
}

static int
dev_mounts(bool mqueue, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
		char *p = xasprintf("/dev/%s", dev_links[i][0]);
		int r = symlink(dev_links[i][1], p);

		if (r < 0)
			seterr(err, errlen, "cannot make %s: %s", p, strerror(errno));
		free(p);
		if (r < 0)
			return -1;
	}
	if (mkdir("/dev/pts", 0755) < 0 || mount("devpts", "/dev/pts", "devpts",
	    MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") < 0)
		return seterr(err, errlen, "cannot mount a private /dev/pts: %s", strerror(errno));
	if (mkdir("/dev/shm", 0755) < 0 || mount("tmpfs", "/dev/shm", "tmpfs",
	    MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		return seterr(err, errlen, "cannot mount a private /dev/shm: %s", strerror(errno));
	if (mqueue && (mkdir("/dev/mqueue", 0755) < 0 || mount("mqueue", "/dev/mqueue",
	    "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0))
		return seterr(err, errlen, "cannot mount a private /dev/mqueue: %s", strerror(errno));
	return 0;
}

/*
 * A private /dev as bwrap's --dev: the harmless nodes, a devpts of its
 * own (no terminal of the caller's by name), a tmpfs on /dev/shm and,
 * where the host has one, an mqueue for this IPC namespace.
 */
static int
private_dev(char *err, size_t errlen)
{
	struct stat st;
	bool mqueue = stat("/dev/mqueue", &st) == 0 && S_ISDIR(st.st_mode);
	int src[NDEV], r = 0;

	for (size_t i = 0; i < NDEV; i++) {
		char *p = xasprintf("/dev/%s", dev_nodes[i]);

		src[i] = open(p, O_PATH | O_CLOEXEC);
		free(p);
	}
	if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		r = seterr(err, errlen, "cannot mount a private /dev: %s", strerror(errno));
	for (size_t i = 0; i < NDEV && r == 0; i++)
		if (src[i] >= 0)
			r = dev_node(dev_nodes[i], src[i], err, errlen);
	if (r == 0)
		r = dev_mounts(mqueue, err, errlen);
	for (size_t i = 0; i < NDEV; i++)
		if (src[i] >= 0)
			close(src[i]);
	return r;
}

int
legacy_mount_view(const struct legacy_view *v, const struct rules *rs, bool want_proc,
    unsigned *own, char *err, size_t errlen)
{
	*own = 0;
	/* Nothing done here may reach the caller's mount namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return seterr(err, errlen, "cannot make private: /: %s", strerror(errno));
	if (apply_steps(v, err, errlen) < 0 || remount_all(v, rs, err, errlen) < 0)
		return -1;
	/* A kernel that refuses (a container's partly masked /proc) leaves the old one, read-only. */
	if (want_proc && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) == 0)
		*own |= LANDLOCK_OWN_PROC;
	if (mutant("legacy-private-dev"))
		return 0;
	if (private_dev(err, errlen) < 0)
		return -1;
	*own |= LANDLOCK_OWN_DEV;
	return 0;
}
