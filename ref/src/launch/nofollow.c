/* See nofollow.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nofollow.h"
#include "util.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define RESOLVE_NO_SYMLINKS_ 0x04	/* <linux/openat2.h>, absent from older headers */

struct open_how_ {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

/* Older kernels (before 5.6): one component at a time. */
static int
walk(const char *path)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	for (const char *p = path; fd >= 0 && *p != '\0';) {
		size_t n;
		char *name;
		int next, e;

		while (*p == '/')
			p++;
		if ((n = strcspn(p, "/")) == 0)
			break;
		name = xstrndup(p, n);
		p += n;
		/* On a symlink, O_NOFOLLOW with O_DIRECTORY fails with ENOTDIR. */
		next = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		e = errno;
		free(name);
		close(fd);
		fd = next;
		errno = e;
	}
	return fd;
}

int
nofollow_opendir(const char *path)
{
	struct open_how_ how = { O_PATH | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE_NO_SYMLINKS_ };
	long fd;

	if (path[0] != '/' || strstr(path, "/../") != NULL ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0)) {
		errno = EINVAL;
		return -1;
	}
	fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd >= 0 || (errno != ENOSYS && errno != EINVAL && errno != EPERM))
		return (int)fd;
	return walk(path);
}
