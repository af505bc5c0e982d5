/*
 * cordon-probe [--out=N] NAME [ARG...]: attempt one operation and print one
 * line, "PROBE <name> ok|errno:<ENAME> [key=value...]".  The exit status is
 * 0 whatever the outcome, 2 on a usage error, so the runner judges the
 * line and never the status.  --out=N writes the lines to descriptor N
 * instead of stdout, for cases whose stdout is itself under attack.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define MAXWORDS	16

static const char *current = "-";
static int status;
static FILE *results;

static const struct {
	int		 num;
	const char	*name;
} errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
	{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
	{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" }, { EXDEV, "EXDEV" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
	{ ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
	{ ESPIPE, "ESPIPE" }, { EROFS, "EROFS" }, { EMLINK, "EMLINK" },
	{ EPIPE, "EPIPE" }, { ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" },
	{ ENOTSOCK, "ENOTSOCK" }, { EDESTADDRREQ, "EDESTADDRREQ" },
	{ EMSGSIZE, "EMSGSIZE" }, { EPROTOTYPE, "EPROTOTYPE" },
	{ ENOPROTOOPT, "ENOPROTOOPT" }, { EPROTONOSUPPORT, "EPROTONOSUPPORT" },
	{ ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ EPFNOSUPPORT, "EPFNOSUPPORT" }, { EAFNOSUPPORT, "EAFNOSUPPORT" },
	{ EADDRINUSE, "EADDRINUSE" }, { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
	{ ENETDOWN, "ENETDOWN" }, { ENETUNREACH, "ENETUNREACH" },
	{ ECONNABORTED, "ECONNABORTED" }, { ECONNRESET, "ECONNRESET" },
	{ ENOBUFS, "ENOBUFS" }, { EISCONN, "EISCONN" }, { ENOTCONN, "ENOTCONN" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { ECONNREFUSED, "ECONNREFUSED" },
	{ EHOSTDOWN, "EHOSTDOWN" }, { EHOSTUNREACH, "EHOSTUNREACH" },
	{ EALREADY, "EALREADY" }, { EINPROGRESS, "EINPROGRESS" },
	{ ESTALE, "ESTALE" }, { EDQUOT, "EDQUOT" }, { ENOKEY, "ENOKEY" },
	{ ENOMEDIUM, "ENOMEDIUM" }, { EOVERFLOW, "EOVERFLOW" },
	{ ENODATA, "ENODATA" }, { ENOTSUP, "ENOTSUP" },
};

const char *
errname(int e)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].num == e)
			return errnames[i].name;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
	if (strerrorname_np(e) != NULL)
		return strerrorname_np(e);
#endif
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* Values are single tokens: blanks and control characters become '_'. */
char *
clean(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < len && s[i] != '\0'; i++)
		buf[i] = isgraph((unsigned char)s[i]) ? s[i] : '_';
	if (len > 0)
		buf[i] = '\0';
	return buf;
}

int
parse_long(const char *s, int base, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, base);
	return s[0] != '\0' && *end == '\0' && errno == 0 ? 0 : -1;
}

/* The line goes out at once: a later probe may get the process killed. */
static void
vline(const char *what, const char *fmt, va_list ap)
{
	fprintf(results, "PROBE %s %s", current, what);
	if (fmt != NULL) {
		putc(' ', results);
		vfprintf(results, fmt, ap);
	}
	putc('\n', results);
	fflush(results);
}

/* A bare line (READY) on the same stream as the results. */
void
say(const char *line)
{
	fprintf(results, "%s\n", line);
	fflush(results);
}

/* err 0 means ok; fmt (may be NULL) adds key=value details. */
void
report(int err, const char *fmt, ...)
{
	char what[64] = "ok";
	va_list ap;

	if (err != 0)
		snprintf(what, sizeof(what), "errno:%s", errname(err));
	va_start(ap, fmt);
	vline(what, fmt, ap);
	va_end(ap);
}

/* For calls returning -1 and errno. */
void
outcome(int rc)
{
	report(rc == -1 ? errno : 0, NULL);
}

/*
 * The errno oracle: a call made with bad arguments that fails with
 * anything but EPERM, EACCES or ENOSYS reached the kernel proper.
 */
void
oracle(int err)
{
	if (err == 0)
		report(0, "reached=success");
	else if (err == EPERM || err == EACCES || err == ENOSYS)
		report(err, NULL);
	else
		report(0, "reached=%s", errname(err));
}

void
usage(const char *hint)
{
	fprintf(results, "PROBE %s usage %s\n", current, hint);
	fflush(results);
	status = PROBE_USAGE;
}

static const struct probe *
lookup(const char *name)
{
	static const struct probe *const tables[] = {
		fs_probes, net_probes, sys_probes, proc_probes, io_probes, key_probes,
	};

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct probe *p = tables[t]; p->name != NULL; p++)
			if (strcmp(p->name, name) == 0)
				return p;
	return NULL;
}

static void
run(int argc, char **argv)
{
	const struct probe *p;

	current = argv[0];
	if ((p = lookup(argv[0])) == NULL) {
		usage("unknown-probe");
		return;
	}
	if (argc - 1 < p->minargs || argc - 1 > p->maxargs) {
		usage(p->hint);
		return;
	}
	p->run(argv + 1);
}

/* multi: each argument is one probe, its words separated by blanks. */
static void
multi(int argc, char **argv)
{
	char *words[MAXWORDS + 1];
	char *w;
	int n;

	for (int i = 0; i < argc; i++) {
		n = 0;
		for (w = strtok(argv[i], " \t"); w != NULL && n < MAXWORDS;
		    w = strtok(NULL, " \t"))
			words[n++] = w;
		words[n] = NULL;
		current = n > 0 ? words[0] : "-";
		if (n == 0 || w != NULL || strcmp(words[0], "multi") == 0)
			usage("one-probe-per-argument");
		else
			run(n, words);
	}
}

/*
 * --out=N: results to descriptor N, which is used as it is (no dup), so
 * the probe holds no descriptor a probe of descriptors would see.
 */
static int
set_out(const char *arg)
{
	long fd;

	if (parse_long(arg, 10, &fd) == -1 || fd < 0 || fd > 1023 ||
	    (results = fdopen((int)fd, "w")) == NULL) {
		results = stdout;
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	results = stdout;
	if (argc >= 2 && strncmp(argv[1], "--out=", 6) == 0) {
		if (set_out(argv[1] + 6) == -1) {
			usage("--out=N: N must be an open descriptor");
			return status;
		}
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage("cordon-probe [--out=N] NAME [ARG...] | multi 'NAME ARG...'...");
		return status;
	}
	if (strcmp(argv[1], "multi") == 0) {
		current = "multi";
		if (argc < 3)
			usage("'NAME ARG...'...");
		else
			multi(argc - 2, argv + 2);
	} else
		run(argc - 1, argv + 1);
	return status;
}
