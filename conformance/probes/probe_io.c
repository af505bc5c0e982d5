/*
 * Descriptor and terminal probes: what a sandboxed process can do to the
 * host objects behind the descriptors it was started with (a log it may
 * only append to, a directory, the agent's terminal), plus the helpers of
 * multi-launch cases (ready-sleep, fifo-write).
 */
#include <sys/ioctl.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

static int
parse_fd(const char *s, int *fd)
{
	long n;

	if (parse_long(s, 10, &n) == -1 || n < 0 || n > INT_MAX)
		return -1;
	*fd = (int)n;
	return 0;
}

/* One byte "X" at offset 0; a stream (pipe, terminal) has no offset. */
static int
write_at_start(int fd)
{
	if (pwrite(fd, "X", 1, 0) == 1)
		return 0;
	if (errno != ESPIPE)
		return errno;
	return write(fd, "X", 1) == 1 ? 0 : errno;
}

/* open("/proc/self/fd/N"): a new open file, not bound by the old one's mode. */
static void
p_fd_reopen(char **av)
{
	static const struct {
		const char *mode;
		int flags;
	} modes[] = {
		{ "w", O_WRONLY }, { "wt", O_WRONLY | O_TRUNC }, { "rw", O_RDWR },
	};
	char path[64];
	size_t i;
	int n, fd, e;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(modes[i].mode, av[1]) == 0)
			break;
	if (parse_fd(av[0], &n) == -1 || i == sizeof(modes) / sizeof(modes[0])) {
		usage("N w|wt|rw");
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", n);
	if ((fd = open(path, modes[i].flags | O_CLOEXEC | O_NOCTTY)) == -1) {
		report(errno, NULL);
		return;
	}
	e = write_at_start(fd);
	close(fd);
	report(e, NULL);
}

static void
p_fd_chmod(char **av)
{
	long mode;
	int n;

	if (parse_fd(av[0], &n) == -1 || parse_long(av[1], 8, &mode) == -1 || mode < 0 ||
	    mode > 07777) {
		usage("N OCTAL");
		return;
	}
	outcome(fchmod(n, (mode_t)mode));
}

static void
p_fd_truncate(char **av)
{
	int n;

	if (parse_fd(av[0], &n) == -1) {
		usage("N");
		return;
	}
	outcome(ftruncate(n, 0));
}

/* An append-only log loses its guarantee if O_APPEND can simply be cleared. */
static void
p_fd_noappend(char **av)
{
	int n, fl;

	if (parse_fd(av[0], &n) == -1) {
		usage("N");
		return;
	}
	if ((fl = fcntl(n, F_GETFL)) == -1 || fcntl(n, F_SETFL, fl & ~O_APPEND) == -1) {
		report(errno, NULL);
		return;
	}
	if (pwrite(n, "X", 1, 0) == 1) {
		report(0, NULL);
		return;
	}
	if (errno != ESPIPE) {
		report(errno, NULL);
		return;
	}
	if (lseek(n, 0, SEEK_SET) == -1 && errno != ESPIPE) {
		report(errno, NULL);
		return;
	}
	outcome(write(n, "X", 1) == 1 ? 0 : -1);
}

static void
p_fd_create(char **av)
{
	int n, fd;

	if (parse_fd(av[0], &n) == -1) {
		usage("N NAME");
		return;
	}
	fd = openat(n, av[1], O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd != -1)
		close(fd);
	outcome(fd);
}

static void
p_fd_mkdir(char **av)
{
	int n;

	if (parse_fd(av[0], &n) == -1) {
		usage("N NAME");
		return;
	}
	outcome(mkdirat(n, av[1], 0755));
}

/* tcgetattr, change, tcsetattr: the first failing call's errno. */
static void
tty_change(char **av, int raw)
{
	struct termios t;
	int n;

	if (parse_fd(av[0], &n) == -1) {
		usage("N");
		return;
	}
	if (tcgetattr(n, &t) == -1) {
		report(errno, NULL);
		return;
	}
	if (raw)
		cfmakeraw(&t);
	else
		t.c_lflag &= ~(tcflag_t)ECHO;
	outcome(tcsetattr(n, TCSANOW, &t));
}

static void
p_tty_echo_off(char **av)
{
	tty_change(av, 0);
}

/*
 * The controlling terminal, by its name: without a session of its own the
 * command still has the caller's, whatever its stdio is.
 */
static void
p_ctty_echo_off(char **av)
{
	struct termios t;
	int fd, r;

	(void)av;
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		report(errno, NULL);
		return;
	}
	if ((r = tcgetattr(fd, &t)) == 0) {
		t.c_lflag &= ~(tcflag_t)ECHO;
		r = tcsetattr(fd, TCSANOW, &t);
	}
	close(fd);
	outcome(r);
}

static void
p_tty_raw(char **av)
{
	tty_change(av, 1);
}

/* The kernel sends SIGWINCH to the terminal's foreground group: the agent's. */
static void
p_tty_winsize(char **av)
{
	struct winsize ws = { 0 };
	long rows, cols;
	int n;

	if (parse_fd(av[0], &n) == -1 || parse_long(av[1], 10, &rows) == -1 ||
	    parse_long(av[2], 10, &cols) == -1 || rows < 0 || rows > USHRT_MAX || cols < 0 ||
	    cols > USHRT_MAX) {
		usage("N ROWS COLS");
		return;
	}
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	outcome(ioctl(n, TIOCSWINSZ, &ws));
}

/* Exclusive mode: the agent's own later opens of its terminal fail. */
static void
p_tty_excl(char **av)
{
	int n;

	if (parse_fd(av[0], &n) == -1) {
		usage("N");
		return;
	}
	outcome(ioctl(n, TIOCEXCL));
}

/* For "step kill": READY tells the runner when to kill the supervisor. */
static void
p_ready_sleep(char **av)
{
	struct timespec ts;
	long secs;

	if (parse_long(av[0], 10, &secs) == -1 || secs < 0 || secs > 3600) {
		usage("SECONDS");
		return;
	}
	say("READY");
	ts.tv_sec = secs;
	ts.tv_nsec = 0;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	report(0, NULL);
}

/* Non-blocking: with no reader the open fails (ENXIO) instead of waiting. */
static void
p_fifo_write(char **av)
{
	int fd, e = 0;

	if ((fd = open(av[0], O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) == -1) {
		report(errno, NULL);
		return;
	}
	if (write(fd, "X", 1) != 1)
		e = errno;
	close(fd);
	report(e, NULL);
}

/*
 * A read lease on a file this user owns: host processes that open it for
 * writing then stall until the lease breaks.  Taken and dropped at once.
 */
static void
p_lease(char **av)
{
	int fd, e = 0;

	if ((fd = open(av[0], O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		report(errno, NULL);
		return;
	}
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == -1)
		e = errno;
	else
		(void)fcntl(fd, F_SETLEASE, F_UNLCK);
	close(fd);
	report(e, NULL);
}

/* A SysV shared memory segment by key: found only in the same IPC namespace. */
static void
p_shm_get(char **av)
{
	long key;

	if (parse_long(av[0], 0, &key) == -1) {
		usage("KEY");
		return;
	}
	outcome(shmget((key_t)key, 0, 0) < 0 ? -1 : 0);
}

/* Is st's device one of the terminals the command was given (fds 0-2)? */
static int
own_terminal(const struct stat *st)
{
	struct stat o;

	for (int fd = 0; fd < 3; fd++)
		if (fstat(fd, &o) == 0 && S_ISCHR(o.st_mode) && o.st_rdev == st->st_rdev)
			return 1;
	return 0;
}

/*
 * Open, by name, a terminal in /dev/pts that the command was not given:
 * with the host's devpts in view, the caller's own terminal is one, and
 * reading it takes the user's keystrokes.  ENOENT when there is none.
 */
static void
p_pts_scan(char **av)
{
	char path[300];
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int first = ENOENT, fd;

	(void)av;
	if ((dir = opendir("/dev/pts")) == NULL) {
		report(errno, NULL);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/dev/pts/%s", d->d_name);
		/* Reading alone is enough to take keystrokes. */
		if ((fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) == -1 &&
		    (fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) == -1) {
			if (first == ENOENT)
				first = errno;
			continue;
		}
		if (fstat(fd, &st) == 0 && !own_terminal(&st)) {
			int rw = fcntl(fd, F_GETFL) & O_ACCMODE;

			close(fd);
			closedir(dir);
			report(0, "path=%s mode=%s", path, rw == O_RDWR ? "rw" : "r");
			return;
		}
		close(fd);
	}
	closedir(dir);
	report(first, NULL);
}

const struct probe io_probes[] = {
	{ "fd-reopen", 2, 2, p_fd_reopen, "N w|wt|rw" },
	{ "fd-chmod", 2, 2, p_fd_chmod, "N OCTAL" },
	{ "fd-truncate", 1, 1, p_fd_truncate, "N" },
	{ "fd-noappend", 1, 1, p_fd_noappend, "N" },
	{ "fd-create", 2, 2, p_fd_create, "N NAME" },
	{ "fd-mkdir", 2, 2, p_fd_mkdir, "N NAME" },
	{ "tty-echo-off", 1, 1, p_tty_echo_off, "N" },
	{ "ctty-echo-off", 0, 0, p_ctty_echo_off, "" },
	{ "tty-raw", 1, 1, p_tty_raw, "N" },
	{ "tty-winsize", 3, 3, p_tty_winsize, "N ROWS COLS" },
	{ "tty-excl", 1, 1, p_tty_excl, "N" },
	{ "ready-sleep", 1, 1, p_ready_sleep, "SECONDS" },
	{ "fifo-write", 1, 1, p_fifo_write, "PATH" },
	{ "lease", 1, 1, p_lease, "PATH" },
	{ "shm-get", 1, 1, p_shm_get, "KEY" },
	{ "pts-scan", 0, 0, p_pts_scan, "(no arguments)" },
	{ NULL, 0, 0, NULL, NULL },
};
