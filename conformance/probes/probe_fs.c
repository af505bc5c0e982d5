/* Filesystem probes: one path operation each, nothing beyond it. */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

/* Open, then do one byte of I/O, so both steps are judged. */
static void
open_io(const char *path, int flags, int writing)
{
	char c = 'x';
	ssize_t n;
	int fd, e;

	if ((fd = open(path, flags | O_CLOEXEC | O_NOCTTY)) == -1) {
		report(errno, NULL);
		return;
	}
	n = writing ? write(fd, &c, 1) : read(fd, &c, 1);
	e = errno;
	close(fd);
	if (n == -1)
		report(e, NULL);
	else
		report(0, "bytes=%zd", n);
}

void
read_path(const char *path)
{
	open_io(path, O_RDONLY, 0);
}

static void
p_read(char **av)
{
	read_path(av[0]);
}

/* No O_CREAT: a missing file must say ENOENT, not be made. */
static void
p_write(char **av)
{
	open_io(av[0], O_WRONLY | O_APPEND, 1);
}

static void
p_create(char **av)
{
	int fd;

	fd = open(av[0], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd != -1)
		close(fd);
	outcome(fd);
}

static void
p_open_trunc(char **av)
{
	int fd;

	fd = open(av[0], O_RDONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd != -1)
		close(fd);
	outcome(fd);
}

static void
p_mkdir(char **av)
{
	outcome(mkdir(av[0], 0755));
}

static void
p_rmdir(char **av)
{
	outcome(rmdir(av[0]));
}

static void
p_unlink(char **av)
{
	outcome(unlink(av[0]));
}

static void
p_rename(char **av)
{
	outcome(rename(av[0], av[1]));
}

static void
p_symlink(char **av)
{
	outcome(symlink(av[0], av[1]));
}

static void
p_link(char **av)
{
	outcome(link(av[0], av[1]));
}

static void
p_truncate(char **av)
{
	outcome(truncate(av[0], 0));
}

static void
p_chmod(char **av)
{
	long mode;

	if (parse_long(av[1], 8, &mode) == -1 || mode < 0 || mode > 07777) {
		usage("PATH OCTAL");
		return;
	}
	outcome(chmod(av[0], (mode_t)mode));
}

/*
 * Make DIR writable by its owner, then create DIR/NAME: an empty mask that
 * the command owns stops nothing unless its mount is read-only.  The
 * outcome is the creation's; a refused chmod is the usual way it fails.
 */
static void
p_chmod_create(char **av)
{
	char path[4096];
	int fd;

	if (chmod(av[0], 0700) == -1) {
		report(errno, NULL);
		return;
	}
	if (snprintf(path, sizeof(path), "%s/%s", av[0], av[1]) >= (int)sizeof(path)) {
		usage("DIR NAME (path too long)");
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd != -1)
		close(fd);
	outcome(fd);
}

/* Sleep ms milliseconds (nanosleep: the probe links no timer library). */
static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Two sandboxes side by side: this one says it is up (creates READY),
 * then waits until the other creates GO, at most SECONDS, and exits,
 * which starts its launcher's clean-up while the other still runs.
 */
static void
p_ready_wait(char **av)
{
	long secs;
	int fd;

	if (parse_long(av[2], 10, &secs) == -1 || secs < 1 || secs > 60) {
		usage("READY GO SECONDS (1-60)");
		return;
	}
	if ((fd = open(av[0], O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		report(errno, NULL);
		return;
	}
	close(fd);
	for (long i = 0; i < secs * 50; i++) {
		if (access(av[1], F_OK) == 0) {
			report(0, NULL);
			return;
		}
		nap(20);
	}
	report(ETIMEDOUT, NULL);
}

/*
 * The other side: wait for READY (the first sandbox is up), create GO,
 * then for SECONDS keep trying to create PATH, making its parent
 * directory if it has gone: a mount that the first sandbox's clean-up
 * took away from under this one shows as a success here.
 */
static void
p_go_create(char **av)
{
	char parent[4096], *slash;
	long secs;
	int fd, e = ETIMEDOUT;

	if (parse_long(av[3], 10, &secs) == -1 || secs < 1 || secs > 60 ||
	    snprintf(parent, sizeof(parent), "%s", av[2]) >= (int)sizeof(parent) ||
	    (slash = strrchr(parent, '/')) == NULL) {
		usage("READY GO PATH SECONDS (1-60)");
		return;
	}
	*slash = '\0';
	for (long i = 0; access(av[0], F_OK) != 0; i++) {
		if (i == secs * 50) {
			report(ETIMEDOUT, "stage=ready");
			return;
		}
		nap(20);
	}
	if ((fd = open(av[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		report(errno, "stage=go");
		return;
	}
	close(fd);
	for (long i = 0; i < secs * 50; i++) {
		if (mkdir(parent, 0755) == -1 && errno != EEXIST) {
			e = errno;
		} else if ((fd = open(av[2], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) != -1) {
			close(fd);
			report(0, NULL);
			return;
		} else {
			e = errno;
		}
		nap(20);
	}
	report(e, NULL);
}

static void
p_utime(char **av)
{
	outcome(utimensat(AT_FDCWD, av[0], NULL, 0));
}

static int
dotdir(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

static void
p_list(char **av)
{
	struct dirent *de;
	DIR *d;
	long n = 0;
	int e;

	if ((d = opendir(av[0])) == NULL) {
		report(errno, NULL);
		return;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL)
		if (!dotdir(de->d_name))
			n++;
	e = errno;
	closedir(d);
	if (e != 0)
		report(e, NULL);
	else
		report(0, "entries=%ld", n);
}

static const char *
typename(mode_t m)
{
	if (S_ISDIR(m))
		return "dir";
	if (S_ISREG(m))
		return "file";
	if (S_ISLNK(m))
		return "symlink";
	return "other";
}

static void
p_stat(char **av)
{
	struct stat st;

	if (lstat(av[0], &st) == -1)
		report(errno, NULL);
	else
		report(0, "type=%s mode=%04o", typename(st.st_mode),
		    (unsigned)(st.st_mode & 07777));
}

/* /dev/null's numbers: a sandbox should refuse any device node. */
static void
p_mknod(char **av)
{
	outcome(mknod(av[0], S_IFCHR | 0666, makedev(1, 3)));
}

static void
p_mount_tmpfs(char **av)
{
	outcome(mount("none", av[0], "tmpfs", 0, NULL));
}

static void
p_umount(char **av)
{
	outcome(umount2(av[0], MNT_DETACH));
}

static void
p_chroot(char **av)
{
	outcome(chroot(av[0]));
}

const struct probe fs_probes[] = {
	{ "read", 1, 1, p_read, "PATH" },
	{ "write", 1, 1, p_write, "PATH" },
	{ "create", 1, 1, p_create, "PATH" },
	{ "open-trunc", 1, 1, p_open_trunc, "PATH" },
	{ "mkdir", 1, 1, p_mkdir, "PATH" },
	{ "rmdir", 1, 1, p_rmdir, "PATH" },
	{ "unlink", 1, 1, p_unlink, "PATH" },
	{ "rename", 2, 2, p_rename, "FROM TO" },
	{ "symlink", 2, 2, p_symlink, "TARGET PATH" },
	{ "link", 2, 2, p_link, "FROM TO" },
	{ "truncate", 1, 1, p_truncate, "PATH" },
	{ "chmod", 2, 2, p_chmod, "PATH OCTAL" },
	{ "chmod-create", 2, 2, p_chmod_create, "DIR NAME" },
	{ "ready-wait", 3, 3, p_ready_wait, "READY GO SECONDS" },
	{ "go-create", 4, 4, p_go_create, "READY GO PATH SECONDS" },
	{ "utime", 1, 1, p_utime, "PATH" },
	{ "list", 1, 1, p_list, "DIR" },
	{ "stat", 1, 1, p_stat, "PATH" },
	{ "mknod", 1, 1, p_mknod, "PATH" },
	{ "mount-tmpfs", 1, 1, p_mount_tmpfs, "DIR" },
	{ "umount", 1, 1, p_umount, "DIR" },
	{ "chroot", 1, 1, p_chroot, "DIR" },
	{ NULL, 0, 0, NULL, NULL },
};
