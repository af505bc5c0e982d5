/* Snapshots of what a check looks at, before the first launch and after the judged one. */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

/* At most CONF_SNAP_MAX bytes of a file; NULL when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	char *buf = malloc(CONF_SNAP_MAX + 1);
	ssize_t n;
	int fd;

	*len = 0;
	if (buf == NULL)
		return NULL;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
		free(buf);
		return NULL;
	}
	while (*len < CONF_SNAP_MAX) {
		n = read(fd, buf + *len, CONF_SNAP_MAX - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	buf[*len] = '\0';
	return buf;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entry names, sorted, one a line. */
static char *
dir_names(const char *path, size_t *len)
{
	char **names = NULL, *out;
	size_t n = 0, total = 1;
	struct dirent *de;
	DIR *d;

	*len = 0;
	if ((d = opendir(path)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((names = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (names[n] = strdup(de->d_name)) == NULL)
			atf_tc_fail("out of memory");
		total += strlen(names[n++]) + 1;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmpstr);
	if ((out = malloc(total)) == NULL)
		atf_tc_fail("out of memory");
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		*len += (size_t)sprintf(out + *len, "%s\n", names[i]);
		free(names[i]);
	}
	free(names);
	return out;
}

static void
snap_path(const char *path, struct conf_snap *s)
{
	struct stat st;
	char target[4096];
	ssize_t n;

	if (lstat(path, &st) < 0) {
		s->err = errno;
		return;
	}
	s->mode = st.st_mode;
	s->size = st.st_size;
	if (S_ISREG(st.st_mode))
		s->data = slurp(path, &s->len);
	else if (S_ISDIR(st.st_mode))
		s->data = dir_names(path, &s->len);
	else if (S_ISLNK(st.st_mode) && (n = readlink(path, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		s->data = strdup(target);
		s->len = (size_t)n;
	}
}

static void
snap_tty(const struct conf_tty *t, struct conf_snap *s)
{
	char *log;
	size_t len;

	if (t == NULL || t->slave < 0) {
		s->tty_err = EBADF;
		return;
	}
	if (tcgetattr(t->slave, &s->tio) < 0 || ioctl(t->slave, TIOCGWINSZ, &s->ws) < 0) {
		s->tty_err = errno;
		return;
	}
#ifdef TIOCGEXCL
	if (ioctl(t->slave, TIOCGEXCL, &s->excl) < 0)
		s->excl = 0;
#endif
	if ((log = slurp(t->log, &len)) != NULL) {
		snprintf(s->signals, sizeof(s->signals), "%s", log);
		free(log);
	}
}

void
conf_snap_take(const struct conf_check *c, const char *path, const struct conf_host *h,
    struct conf_snap *s)
{
	memset(s, 0, sizeof(*s));
	switch (c->kind) {
	case CONF_CHECK_UNCHANGED:
	case CONF_CHECK_APPENDED:
	case CONF_CHECK_EXISTS:
	case CONF_CHECK_MISSING:
	case CONF_CHECK_CONTAINS:
		snap_path(path, s);
		break;
	case CONF_CHECK_TTY:
		snap_tty(h->tty, s);
		break;
	case CONF_CHECK_KEY:
		conf_key_snap(c->arg, s);
		break;
	case CONF_CHECK_FIFO_EMPTY:
		s->fifo_bytes = h->fifo_bytes;
		break;
	}
}

void
conf_snap_free(struct conf_snap *s)
{
	free(s->data);
	s->data = NULL;
}
