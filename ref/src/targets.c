/* The registry of host-side mount targets; see targets.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets.h"

char *
targets_registry(void)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	char *dir;

	if (base != NULL && base[0] == '/' && stat(base, &st) == 0 && st.st_uid == geteuid())
		dir = xasprintf("%s/cordon-targets", base);
	else
		dir = xasprintf("/tmp/cordon-targets-%u", (unsigned)geteuid());
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		goto bad;
	/* Refuse a registry someone else owns or has swapped for a symlink. */
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0)
		goto bad;
	return dir;
bad:
	free(dir);
	return NULL;
}

static char *
entry(const char *registry, const char *path, const char *suffix)
{
	return xasprintf("%s/%016llx%s", registry, (unsigned long long)fnv1a64(path, strlen(path)), suffix);
}

void
targets_acquire(const char *registry, const struct plan *p, struct held_targets *h)
{
	h->n = p->ntargets;
	h->fds = xcalloc(h->n, sizeof(int));
	h->created = xcalloc(h->n, sizeof(bool));
	for (size_t i = 0; i < h->n; i++) {
		char *lock;
		struct stat st;

		h->fds[i] = -1;
		if (registry == NULL)
			continue;
		lock = entry(registry, p->targets[i].path, ".lock");
		h->fds[i] = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		free(lock);
		if (h->fds[i] < 0 || flock(h->fds[i], LOCK_SH) < 0)
			continue;
		/*
		 * bwrap is about to create it: remember that cordon did, in the
		 * lock file's length (one byte), which whichever run is last reads.
		 */
		if (lstat(p->targets[i].path, &st) < 0 && errno == ENOENT)
			(void)!ftruncate(h->fds[i], 1);
	}
}

static void
remove_if_empty(const struct mount_target *t)
{
	struct stat st;

	if (lstat(t->path, &st) < 0)
		return;
	if (t->dir && S_ISDIR(st.st_mode))
		rmdir(t->path);		/* fails, harmlessly, unless empty */
	else if (!t->dir && S_ISREG(st.st_mode) && st.st_size == 0)
		unlink(t->path);
}

void
targets_release(const char *registry, const struct plan *p, struct held_targets *h)
{
	for (size_t i = 0; i < h->n; i++) {
		struct stat st;

		if (h->fds[i] < 0)
			continue;
		if (flock(h->fds[i], LOCK_EX | LOCK_NB) == 0 && fstat(h->fds[i], &st) == 0 &&
		    st.st_size > 0) {
			remove_if_empty(&p->targets[i]);
			(void)!ftruncate(h->fds[i], 0);
		}
		close(h->fds[i]);
	}
	free(h->fds);
	free(h->created);
	memset(h, 0, sizeof(*h));
}
