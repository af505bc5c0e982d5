/* Process state: what the sandbox lets the process see of itself and others. */
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define MAXFDS	256

/* Copy a status value: trimmed, each inner run of blanks made one '_'. */
static void
squeeze(char *out, size_t len, const char *s)
{
	const char *end;
	size_t o = 0;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	for (; s < end && o + 1 < len; s++) {
		if (!isspace((unsigned char)*s))
			out[o++] = *s;
		else if (!isspace((unsigned char)s[-1]))
			out[o++] = '_';
	}
	out[o] = '\0';
}

static void
p_status(char **av)
{
	char line[1024], val[1024];
	size_t n = strlen(av[0]);
	FILE *f;
	int found = 0;

	if ((f = fopen("/proc/self/status", "re")) == NULL) {
		report(errno, NULL);
		return;
	}
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, av[0], n) == 0 && line[n] == ':') {
			squeeze(val, sizeof(val), line + n + 1);
			found = 1;
		}
	}
	fclose(f);
	if (!found)
		report(ENOENT, NULL);
	else
		report(0, "value=%s", clean(line, sizeof(line), val));
}

static void
p_pid(char **av)
{
	report(0, "value=%ld", (long)getpid());
}

static void
p_ppid(char **av)
{
	report(0, "value=%ld", (long)getppid());
}

static void
p_uid(char **av)
{
	report(0, "value=%lu", (unsigned long)getuid());
}

static void
p_gid(char **av)
{
	report(0, "value=%lu", (unsigned long)getgid());
}

static int
numeric(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* How many processes this process can see. */
static void
p_pids(char **av)
{
	struct dirent *de;
	DIR *d;
	long n = 0;

	if ((d = opendir("/proc")) == NULL) {
		report(errno, NULL);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (numeric(de->d_name))
			n++;
	closedir(d);
	report(0, "value=%ld", n);
}

static int
cmpint(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Count descriptors above 2, leaving out the one reading the list; the
 * first max of them go into fds, sorted.
 */
static int
list_fds(int *fds, int max)
{
	struct dirent *de;
	DIR *d;
	long fd;
	int n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!numeric(de->d_name) || parse_long(de->d_name, 10, &fd) == -1)
			continue;
		if (fd > 2 && fd != dirfd(d) && n++ < max)
			fds[n - 1] = (int)fd;
	}
	closedir(d);
	qsort(fds, n < max ? n : max, sizeof(*fds), cmpint);
	return n;
}

/* Descriptors leaked in from outside the sandbox. */
static void
p_fds(char **av)
{
	int fds[MAXFDS], n;
	char list[MAXFDS * 12] = "-";
	size_t off = 0;

	if ((n = list_fds(fds, MAXFDS)) == -1) {
		report(errno, NULL);
		return;
	}
	for (int i = 0; i < n && i < MAXFDS; i++)
		off += snprintf(list + off, sizeof(list) - off, "%s%d",
		    i > 0 ? "," : "", fds[i]);
	report(0, "value=%d list=%s", n, list);
}

static void
p_env(char **av)
{
	char buf[4096];
	const char *v;

	if ((v = getenv(av[0])) == NULL)
		report(ENOENT, NULL);
	else
		report(0, "value=%s", clean(buf, sizeof(buf), v));
}

static void
p_hostname(char **av)
{
	char name[HOST_NAME_MAX + 1], buf[HOST_NAME_MAX + 1];

	if (gethostname(name, sizeof(name)) == -1) {
		report(errno, NULL);
		return;
	}
	name[sizeof(name) - 1] = '\0';
	report(0, "value=%s", clean(buf, sizeof(buf), name));
}

static int
parse_signal(const char *s)
{
	static const struct {
		const char	*name;
		int		 sig;
	} sigs[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "KILL", SIGKILL },
		{ "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		{ "STOP", SIGSTOP }, { "CONT", SIGCONT },
	};
	long n;

	if (parse_long(s, 10, &n) == 0)
		return n >= 0 && n < NSIG ? (int)n : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(sigs[i].name, s) == 0)
			return sigs[i].sig;
	return -1;
}

static void
p_kill(char **av)
{
	long pid;
	int sig;

	if (parse_long(av[0], 10, &pid) == -1 || pid > INT_MAX ||
	    pid < INT_MIN || (sig = parse_signal(av[1])) == -1) {
		usage("PID SIG (a number or HUP INT KILL TERM USR1 USR2 STOP CONT)");
		return;
	}
	outcome(kill((pid_t)pid, sig));
}

/*
 * Wait for the SIGSTOP that PTRACE_ATTACH sent.  Other stops come first
 * when the tracee was mid-exec (SIGTRAP) or had a signal pending: pass
 * those on, or detaching would leave our SIGSTOP to stop it for good.
 */
static void
await_attach_stop(pid_t pid)
{
	int st, sig;

	for (;;) {
		if (waitpid(pid, &st, __WALL) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (!WIFSTOPPED(st))
			return;
		if ((sig = WSTOPSIG(st)) == SIGSTOP)
			return;
		if (sig == SIGTRAP)
			sig = 0;
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
}

/* Attach, wait for the stop, let go: the tracee carries on unharmed. */
static void
p_ptrace_attach(char **av)
{
	long pid;

	if (parse_long(av[0], 10, &pid) == -1 || pid <= 0 || pid > INT_MAX) {
		usage("PID");
		return;
	}
	if (ptrace(PTRACE_ATTACH, (pid_t)pid, NULL, NULL) == -1) {
		report(errno, NULL);
		return;
	}
	await_attach_stop((pid_t)pid);
	ptrace(PTRACE_DETACH, (pid_t)pid, NULL, NULL);
	report(0, NULL);
}

static void
p_proc_read(char **av)
{
	read_path(av[0]);
}

/*
 * How many seccomp filters govern pid: its Seccomp_filters: line (Linux
 * 5.9+), else 1 or 0 from its Seccomp: mode; -1 if unreadable.  Counting
 * finds a process less filtered than the command even where every
 * process shares an outer filter (a container's, say).
 */
static int
seccomp_filters(const char *pid)
{
	char path[300], line[256];
	FILE *f;
	int mode = -1, n = -1;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Seccomp:", 8) == 0)
			mode = atoi(line + 8);
		else if (strncmp(line, "Seccomp_filters:", 16) == 0)
			n = atoi(line + 16);
	fclose(f);
	if (n >= 0)
		return n;
	return mode < 0 ? -1 : mode != 0;
}

/*
 * Write one byte of pid's first mapping back unchanged through
 * /proc/PID/mem: 0 if the write went through, else the errno.  Being
 * able to write there is being able to run code in that process.
 */
static int
poke_mem(const char *pid)
{
	char path[300], line[512];
	unsigned long start;
	unsigned char byte;
	FILE *f;
	int fd, e;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	if ((f = fopen(path, "re")) == NULL)
		return errno;
	e = fgets(line, sizeof(line), f) == NULL ||
	    sscanf(line, "%lx-", &start) != 1;
	fclose(f);
	if (e)
		return ESRCH;
	snprintf(path, sizeof(path), "/proc/%s/mem", pid);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		return errno;
	e = 0;
	if (pread(fd, &byte, 1, (off_t)start) != 1 ||
	    pwrite(fd, &byte, 1, (off_t)start) != 1)
		e = errno ? errno : EIO;
	close(fd);
	return e;
}

/*
 * Is there a process in view under fewer seccomp filters than the command,
 * whose memory the command can write?  Such a process runs whatever the
 * command puts there outside the command's rules (bubblewrap's own init is
 * one).
 */
static void
p_unfiltered_mem(char **av)
{
	char self[32], comm[64], path[300];
	struct dirent *d;
	DIR *dir;
	FILE *f;
	int first = ESRCH, e, mine, n;

	(void)av;
	if ((mine = seccomp_filters("self")) <= 0) {
		report(ESRCH, NULL);	/* nothing is less confined than we are */
		return;
	}
	snprintf(self, sizeof(self), "%ld", (long)getpid());
	if ((dir = opendir("/proc")) == NULL) {
		report(errno, NULL);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)d->d_name[0]) ||
		    strcmp(d->d_name, self) == 0 || (n = seccomp_filters(d->d_name)) < 0 ||
		    n >= mine)
			continue;
		if ((e = poke_mem(d->d_name)) != 0) {
			if (first == ESRCH)
				first = e;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		comm[0] = '\0';
		if ((f = fopen(path, "re")) != NULL) {
			if (fgets(comm, sizeof(comm), f) == NULL)
				comm[0] = '\0';
			fclose(f);
		}
		comm[strcspn(comm, "\n")] = '\0';
		closedir(dir);
		report(0, "pid=%s comm=%s", d->d_name, clean(path, sizeof(path), comm));
		return;
	}
	closedir(dir);
	report(first, NULL);
}

const struct probe proc_probes[] = {
	{ "status", 1, 1, p_status, "FIELD" },
	{ "pid", 0, 0, p_pid, "(no arguments)" },
	{ "ppid", 0, 0, p_ppid, "(no arguments)" },
	{ "uid", 0, 0, p_uid, "(no arguments)" },
	{ "gid", 0, 0, p_gid, "(no arguments)" },
	{ "pids", 0, 0, p_pids, "(no arguments)" },
	{ "fds", 0, 0, p_fds, "(no arguments)" },
	{ "env", 1, 1, p_env, "NAME" },
	{ "hostname", 0, 0, p_hostname, "(no arguments)" },
	{ "kill", 2, 2, p_kill, "PID SIG" },
	{ "ptrace-attach", 1, 1, p_ptrace_attach, "PID" },
	{ "proc-read", 1, 1, p_proc_read, "PATH" },
	{ "unfiltered-mem", 0, 0, p_unfiltered_mem, "(no arguments)" },
	{ NULL, 0, 0, NULL, NULL },
};
