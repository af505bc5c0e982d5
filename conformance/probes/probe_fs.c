/* Filesystem probes: one path operation each, nothing beyond it. */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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
	{ "utime", 1, 1, p_utime, "PATH" },
	{ "list", 1, 1, p_list, "DIR" },
	{ "stat", 1, 1, p_stat, "PATH" },
	{ "mknod", 1, 1, p_mknod, "PATH" },
	{ "mount-tmpfs", 1, 1, p_mount_tmpfs, "DIR" },
	{ "umount", 1, 1, p_umount, "DIR" },
	{ "chroot", 1, 1, p_chroot, "DIR" },
	{ NULL, 0, 0, NULL, NULL },
};
