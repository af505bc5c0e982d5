/* Host-side mount points and their registry; see targets.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "mutant.h"
#include "nofollow.h"
#include "path.h"
#include "targets.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994	/* <linux/magic.h> */
#endif
#define RECORDS		"mounts"	/* the registry's directory of records */
#define RECORD_PREFIX	"t-"
#define RECORD_MAGIC	"cordon-target 1"

/*
 * What a record says: the target's path, whether cordon made it a
 * directory or a file, and the identities of its directory and of the
 * entry made (zero until made).
 */
struct record {
	char path[4096];
	char kind;		/* 'd' or 'f' */
	dev_t pdev, dev;
	ino_t pino, ino;
};

static bool
on_tmpfs(const char *dir)
{
	struct statfs sf;

	return statfs(dir, &sf) == 0 && sf.f_type == TMPFS_MAGIC;
}

char *
targets_registry(void)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	uid_t uid = geteuid();
	char *dir;

	/*
	 * A memory file system where there is one: every run makes and
	 * removes records here, which costs a journal commit and an inode
	 * release each on a disk file system (most of a millisecond here).
	 */
	if (base != NULL && base[0] == '/' && stat(base, &st) == 0 && st.st_uid == uid)
		dir = xasprintf("%s/cordon-targets", base);
	else if (on_tmpfs("/dev/shm"))
		dir = xasprintf("/dev/shm/cordon-targets-%u", (unsigned)uid);
	else
		dir = xasprintf("/tmp/cordon-targets-%u", (unsigned)uid);
	/* Made on first use; refuse one someone else owns or has swapped for a symlink. */
	if (lstat(dir, &st) < 0 && (errno != ENOENT || mkdir(dir, 0700) < 0 ||
	    lstat(dir, &st) < 0))
		goto bad;
	if (!S_ISDIR(st.st_mode) || st.st_uid != uid || (st.st_mode & 077) != 0)
		goto bad;
	return dir;
bad:
	free(dir);
	return NULL;
}

/* The registry, opened without following symlinks and checked again through the descriptor. */
static int
open_registry(const char *registry)
{
	struct stat st;
	int fd;

	if (registry == NULL || (fd = nofollow_opendir(registry)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The directory of records in the registry, made on first use (make).  A
 * directory of its own keeps the sweep every run does to one short read.
 */
static int
open_records(const char *registry, bool make)
{
	int reg = open_registry(registry), fd;

	if (reg < 0)
		return -1;
	fd = openat(reg, RECORDS, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && make && mkdirat(reg, RECORDS, 0700) == 0)
		fd = openat(reg, RECORDS, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(reg);
	return fd;
}

static char *
record_name(const char *path)
{
	return xasprintf(RECORD_PREFIX "%016" PRIx64, fnv1a64(path, strlen(path)));
}

static int
record_read(int fd, struct record *r)
{
	char buf[4096 + 128], kind;
	unsigned long long pdev, pino, dev, ino;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int used = 0;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, RECORD_MAGIC "\n%c %llu %llu %llu %llu\n%n", &kind, &pdev, &pino, &dev,
	    &ino, &used) != 5 || used == 0 || (kind != 'd' && kind != 'f'))
		return -1;
	snprintf(r->path, sizeof(r->path), "%.*s", (int)strcspn(buf + used, "\n"), buf + used);
	r->kind = kind;
	r->pdev = (dev_t)pdev;
	r->pino = (ino_t)pino;
	r->dev = (dev_t)dev;
	r->ino = (ino_t)ino;
	return r->path[0] == '/' ? 0 : -1;
}

static void
record_write(int fd, const struct record *r)
{
	char *s = xasprintf(RECORD_MAGIC "\n%c %llu %llu %llu %llu\n%s\n", r->kind,
	    (unsigned long long)r->pdev, (unsigned long long)r->pino,
	    (unsigned long long)r->dev, (unsigned long long)r->ino, r->path);

	if (ftruncate(fd, 0) == 0)
		(void)!pwrite(fd, s, strlen(s), 0);
	free(s);
}

/*
 * The record of path, locked shared.  A record can be removed by the run
 * that holds it last between our open and our lock: then take a new one.
 */
static int
record_hold(int reg, const char *name)
{
	for (int tries = 0; tries < 8; tries++) {
		struct stat a;
		int fd = openat(reg, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd < 0)
			return -1;
		/* Unlinked since we opened it (by its last holder): take a new one. */
		if (flock(fd, LOCK_SH) == 0 && fstat(fd, &a) == 0 && a.st_nlink > 0)
			return fd;
		close(fd);
	}
	return -1;
}

/* Make the target (absent when planned) relative to dir; its kind decides how. */
static int
make_target(int dir, const char *name, bool is_dir)
{
	int fd;

	if (is_dir)
		return mkdirat(dir, name, 0755);
	fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int
acquire_one(int reg, const struct mount_target *mt, struct held_target *ht,
    char *err, size_t errlen)
{
	char *dirpath = path_parent(mt->path);
	struct record rec;
	struct stat ds, st;
	int r = -1;

	ht->rname = record_name(mt->path);
	ht->record = reg < 0 ? -1 : record_hold(reg, ht->rname);
	ht->name = xstrdup(path_base(mt->path));
	/* The mutant leaves the mount point to bwrap, which makes it by path. */
	if (mutant("mount-point-precreate")) {
		r = 0;
		goto out;
	}
	ht->dir = nofollow_opendir(dirpath);
	if (ht->dir < 0 || fstat(ht->dir, &ds) < 0) {
		snprintf(err, errlen, "cannot make mount point %s: %s%s", mt->path, strerror(errno),
		    errno == ELOOP || errno == ENOTDIR ? " (a symlink is on the way)" : "");
		goto out;
	}
	if (fstatat(ht->dir, ht->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		/* Another run made it, or it was there; bwrap would follow a link here. */
		if (S_ISLNK(st.st_mode)) {
			snprintf(err, errlen, "cannot make mount point %s: it is now a symlink, "
			    "which bubblewrap would follow", mt->path);
			goto out;
		}
		r = 0;
		goto out;
	}
	if (errno != ENOENT || (make_target(ht->dir, ht->name, mt->dir) < 0 && errno != EEXIST) ||
	    fstatat(ht->dir, ht->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(err, errlen, "cannot make mount point %s: %s", mt->path, strerror(errno));
		goto out;
	}
	if (ht->record >= 0) {
		memset(&rec, 0, sizeof(rec));
		snprintf(rec.path, sizeof(rec.path), "%s", mt->path);
		rec.kind = mt->dir ? 'd' : 'f';
		rec.pdev = ds.st_dev;
		rec.pino = ds.st_ino;
		rec.dev = st.st_dev;
		rec.ino = st.st_ino;
		record_write(ht->record, &rec);
	}
	r = 0;
out:
	free(dirpath);
	return r;
}

int
targets_acquire(const char *registry, const struct plan *p, struct held_targets *h,
    char *err, size_t errlen)
{
	int reg = p->ntargets > 0 ? open_records(registry, true) : -1;
	int r = 0;

	h->n = p->ntargets;
	h->t = xcalloc(h->n + 1, sizeof(*h->t));
	for (size_t i = 0; i < h->n; i++)
		h->t[i].record = h->t[i].dir = -1;
	for (size_t i = 0; i < h->n && r == 0; i++)
		r = acquire_one(reg, &p->targets[i], &h->t[i], err, errlen);
	if (reg >= 0)
		close(reg);
	return r;
}

/*
 * Remove dir/name if it is still the entry the record says cordon made
 * and still empty.  Never through a symlink: unlinkat on one removes the
 * link itself, and rmdir of anything but an empty directory fails.
 */
static void
remove_made(int dir, const char *name, const struct record *rec)
{
	struct stat st;

	/* The mutant removes by path, after the run, the way a naive clean-up would. */
	if (mutant("cleanup-by-descriptor")) {
		if (rec->kind == 'd')
			(void)rmdir(rec->path);
		else if (stat(rec->path, &st) == 0 && st.st_size == 0)
			(void)unlink(rec->path);
		return;
	}

	if (rec->ino == 0 || fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    st.st_dev != rec->dev || st.st_ino != rec->ino)
		return;
	if (rec->kind == 'd' && S_ISDIR(st.st_mode))
		(void)unlinkat(dir, name, AT_REMOVEDIR);
	else if (rec->kind == 'f' && S_ISREG(st.st_mode) && st.st_size == 0)
		(void)unlinkat(dir, name, 0);
}

void
targets_release(const char *registry, struct held_targets *h)
{
	int reg = h->n > 0 ? open_records(registry, false) : -1;

	for (size_t i = 0; i < h->n; i++) {
		struct held_target *t = &h->t[i];
		struct record rec;

		/* The last run holding it removes it, and the record with it. */
		if (t->record >= 0 && flock(t->record, LOCK_EX | LOCK_NB) == 0) {
			if ((t->dir >= 0 || mutant("cleanup-by-descriptor")) &&
			    record_read(t->record, &rec) == 0)
				remove_made(t->dir, t->name, &rec);
			if (reg >= 0)
				(void)unlinkat(reg, t->rname, 0);
		}
		if (t->record >= 0)
			close(t->record);
		if (t->dir >= 0)
			close(t->dir);
		free(t->name);
		free(t->rname);
	}
	if (reg >= 0)
		close(reg);
	free(h->t);
	memset(h, 0, sizeof(*h));
}

/* A record nobody holds: its run was killed.  Check the directory is the one it was made in. */
static void
sweep_one(int reg, const char *rname)
{
	int rfd = openat(reg, rname, O_RDWR | O_NOFOLLOW | O_CLOEXEC), dir = -1;
	struct record rec;
	struct stat ds;

	memset(&rec, 0, sizeof(rec));
	if (rfd < 0)
		return;
	if (flock(rfd, LOCK_EX | LOCK_NB) < 0) {
		close(rfd);
		return;		/* a live run holds it */
	}
	if (record_read(rfd, &rec) == 0) {
		char *dirpath = path_parent(rec.path);

		dir = nofollow_opendir(dirpath);
		free(dirpath);
		if (dir >= 0 && (fstat(dir, &ds) < 0 || ds.st_dev != rec.pdev ||
		    ds.st_ino != rec.pino)) {
			close(dir);
			dir = -1;
		}
	}
	if (dir >= 0 || (mutant("cleanup-by-descriptor") && rec.path[0] == '/'))
		remove_made(dir, path_base(rec.path), &rec);
	(void)unlinkat(reg, rname, 0);
	if (dir >= 0)
		close(dir);
	close(rfd);
}

/*
 * Lock files of cordon before the records ("<16 hex>.lock") name no path
 * and no identity, so nothing they stood for can be removed safely: only
 * the files go, once nobody holds them.
 */
static bool
old_lock(const char *name)
{
	return strlen(name) == 21 && strspn(name, "0123456789abcdef") == 16 &&
	    strcmp(name + 16, ".lock") == 0;
}

static void
drop_old_lock(int reg, const char *name)
{
	int fd = openat(reg, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		(void)unlinkat(reg, name, 0);
	close(fd);
}

/* The kernel's directory entry, as getdents64(2) returns it. */
struct dirent64_ {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Every entry of dir (an O_RDONLY directory descriptor) to fn, which may
 * remove entries.  getdents64 on a stack buffer: every run sweeps, and
 * opendir's copy of the descriptor and its buffer cost eight calls more.
 */
static void
each_entry(int dir, void (*fn)(int, const char *), int arg)
{
	char buf[4096] __attribute__((aligned(8)));
	long n;

	while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n;) {
			const struct dirent64_ *e = (const void *)(buf + off);

			off += e->d_reclen;
			if (e->d_name[0] != '.')
				fn(arg, e->d_name);
		}
}

static void
sweep_entry(int recs, const char *name)
{
	if (strncmp(name, RECORD_PREFIX, strlen(RECORD_PREFIX)) == 0)
		sweep_one(recs, name);
}

static void
old_entry(int reg, const char *name)
{
	if (old_lock(name))
		drop_old_lock(reg, name);
}

void
targets_sweep(const char *registry)
{
	int recs = open_records(registry, false), reg, top;

	if (recs >= 0) {
		each_entry(recs, sweep_entry, recs);
		close(recs);
		return;
	}
	/* No records yet: the first run of this version drops the old lock files. */
	if ((reg = open_registry(registry)) < 0)
		return;
	if ((top = openat(reg, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		each_entry(top, old_entry, reg);
		close(top);
	}
	(void)mkdirat(reg, RECORDS, 0700);
	close(reg);
}
