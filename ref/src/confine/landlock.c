/*
 * Legacy Landlock, spoken to through raw system calls: Debian 12's
 * headers stop at ABI 2, and the values below are the kernel's ABI, not
 * something a libc may rename.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"
#include "path.h"

/* The same numbers on every architecture: these calls came after the great unification. */
#define NR_create_ruleset	444
#define NR_add_rule		445
#define NR_restrict_self	446

#define CREATE_RULESET_VERSION	(1U << 0)
#define RULE_PATH_BENEATH	1

#define FS_EXECUTE	(1ULL << 0)
#define FS_WRITE_FILE	(1ULL << 1)
#define FS_READ_FILE	(1ULL << 2)
#define FS_READ_DIR	(1ULL << 3)
#define FS_REMOVE_DIR	(1ULL << 4)
#define FS_REMOVE_FILE	(1ULL << 5)
#define FS_MAKE_CHAR	(1ULL << 6)
#define FS_MAKE_DIR	(1ULL << 7)
#define FS_MAKE_REG	(1ULL << 8)
#define FS_MAKE_SOCK	(1ULL << 9)
#define FS_MAKE_FIFO	(1ULL << 10)
#define FS_MAKE_BLOCK	(1ULL << 11)
#define FS_MAKE_SYM	(1ULL << 12)
#define FS_REFER	(1ULL << 13)	/* ABI 2 */
#define FS_TRUNCATE	(1ULL << 14)	/* ABI 3 */
#define FS_IOCTL_DEV	(1ULL << 15)	/* ABI 5 */

#define SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)	/* ABI 6 */
#define SCOPE_SIGNAL			(1ULL << 1)	/* ABI 6 */

/* The rights that make sense on a non-directory; the kernel rejects the rest there. */
#define FS_FILE_RIGHTS	(FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)
#define FS_READ_RIGHTS	(FS_EXECUTE | FS_READ_FILE | FS_READ_DIR)

/* Our own copies of the uapi structures: the newest layout, zero where unknown. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

int
landlock_abi(void)
{
	long v = syscall(NR_create_ruleset, NULL, 0, CREATE_RULESET_VERSION);

	return v < 0 ? 0 : (int)v;
}

uint64_t
landlock_fs_handled(int abi)
{
	uint64_t m;

	if (abi < 1)
		return 0;
	m = (FS_MAKE_SYM << 1) - 1;	/* ABI 1: bits 0..12 */
	if (abi >= 2)
		m |= FS_REFER;
	if (abi >= 3)
		m |= FS_TRUNCATE;
	if (abi >= 5)
		m |= FS_IOCTL_DEV;
	return m;
}

uint64_t
landlock_scoped(int abi)
{
	return abi >= 6 ? SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL : 0;
}

/* Grant access beneath path; a missing path the policy marked optional is skipped. */
static int
allow(int ruleset, const char *path, uint64_t access, bool skip_missing,
    char *err, size_t errlen)
{
	struct ll_path_beneath pb;
	struct stat st;
	/* openat, not open: musl's open adds an F_SETFD call for O_CLOEXEC. */
	int fd = openat(AT_FDCWD, path, O_PATH | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT && skip_missing)
			return 0;
		snprintf(err, errlen, "Landlock: open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= FS_FILE_RIGHTS;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	if (syscall(NR_add_rule, ruleset, RULE_PATH_BENEATH, &pb, 0) < 0) {
		snprintf(err, errlen, "Landlock: adding a rule for %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* A ruleset handling every right of abi, with the given scopes; -1 on failure. */
static int
new_ruleset(int abi, uint64_t handled, uint64_t scoped, char *err, size_t errlen)
{
	struct ll_ruleset_attr attr = { 0 };
	int fd;

	attr.handled_access_fs = handled & landlock_fs_handled(abi);
	attr.scoped = scoped & landlock_scoped(abi);
	/* Older kernels take a shorter struct; the unknown tail must then be absent. */
	fd = (int)syscall(NR_create_ruleset, &attr,
	    abi >= 6 ? sizeof(attr) : abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t), 0);
	if (fd < 0)
		snprintf(err, errlen, "Landlock: creating the ruleset: %s", strerror(errno));
	return fd;
}

static int
restrict_self(int fd, char *err, size_t errlen)
{
	if (syscall(NR_restrict_self, fd, 0) < 0) {
		snprintf(err, errlen, "Landlock: restricting the process: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
landlock_confine(const struct rules *rs, int abi, unsigned own, char *err, size_t errlen)
{
	uint64_t all = landlock_fs_handled(abi);
	int fd, r = -1;

	/* Network on: the host's abstract sockets are reachable, as any network is (as with bwrap). */
	if ((fd = new_ruleset(abi, all, SCOPE_SIGNAL | (rs->network ? 0 :
	    SCOPE_ABSTRACT_UNIX_SOCKET), err, errlen)) < 0)
		return -1;
	if (allow(fd, "/", FS_READ_RIGHTS & all, false, err, errlen) < 0 ||
	    allow(fd, "/dev/null", (FS_READ_FILE | FS_WRITE_FILE) & all, false, err, errlen) < 0)
		goto out;
	/* The legacy init's own /dev holds only safe nodes, a private pts and shm. */
	if ((own & LANDLOCK_OWN_DEV) && allow(fd, "/dev", all, false, err, errlen) < 0)
		goto out;
	if ((own & LANDLOCK_OWN_PROC) &&
	    allow(fd, "/proc", (FS_WRITE_FILE | FS_TRUNCATE) & all, false, err, errlen) < 0)
		goto out;
	/* A missing writable root is skipped, as bwrap's plan skips it: nothing to grant. */
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].access == ACCESS_WRITE &&
		    allow(fd, rs->r[i].path, all, true, err, errlen) < 0)
			goto out;
	r = restrict_self(fd, err, errlen);
out:
	close(fd);
	return r;
}

/*
 * Reading and executing are the mounts' business: the ruleset handles
 * only the other rights, so it needs no rule for the whole tree.
 */
int
landlock_stage_confine(const struct landlock_stage *st, char *err, size_t errlen)
{
	uint64_t all = landlock_fs_handled(st->abi) & ~FS_READ_RIGHTS, scoped = SCOPE_SIGNAL;
	int fd, r = -1;

	if (st->scope_abstract)
		scoped |= SCOPE_ABSTRACT_UNIX_SOCKET;
	if ((fd = new_ruleset(st->abi, all, scoped, err, errlen)) < 0)
		return -1;
	/* bwrap's /dev holds only safe nodes, a private devpts and /dev/shm. */
	if (allow(fd, "/dev", all, false, err, errlen) < 0 ||
	    (st->proc && allow(fd, "/proc", (FS_WRITE_FILE | FS_TRUNCATE) & all,
	    false, err, errlen) < 0))
		goto out;
	for (size_t i = 0; i < st->nwrite; i++)
		if (allow(fd, st->write[i], all, false, err, errlen) < 0)
			goto out;
	r = restrict_self(fd, err, errlen);
out:
	close(fd);
	return r;
}
