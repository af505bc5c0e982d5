/* See sigpass.h. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sigpass.h"
#include "stdio_guard.h"
#include "util.h"

static const int passed[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH };
#define NPASSED (sizeof(passed) / sizeof(passed[0]))
#define HELD_PERIOD_MS 5

static volatile sig_atomic_t target, group, group_seen, holder, timed_out, killed;
static volatile sig_atomic_t held[NPASSED];

/*
 * Send sig to the target; false if it must wait: no target yet, or its
 * group not made yet (bwrap's child calls setsid early in its set-up).
 * bwrap itself is never signalled while it sets up: killed then, it
 * leaves its child waiting for it forever.
 */
static bool
send_on(int sig)
{
	pid_t t = target;

	if (t <= 0)
		return false;
	if (!group) {
		kill(t, sig);
		return true;
	}
	if (kill(-t, sig) == 0) {
		group_seen = 1;
		return true;
	}
	/* Once seen, a group that is gone is a sandbox that has ended. */
	return !(errno == ESRCH && !group_seen);
}

static size_t
slot(int sig)
{
	for (size_t i = 0; i < NPASSED; i++)
		if (passed[i] == sig)
			return i;
	return 0;
}

static void
on_signal(int sig)
{
	int e = errno;

	stdio_guard_signal(sig);
	if (!send_on(sig))
		held[slot(sig)] = 1;
	errno = e;
}

static void
on_alarm(int sig)
{
	int e = errno;

	(void)sig;
	if (!timed_out) {
		timed_out = 1;
		if (!send_on(SIGTERM))
			held[slot(SIGTERM)] = 1;
		alarm(SIGKILL_GRACE);
	} else if (holder > 0 && !killed) {
		killed = 1;
		kill(holder, SIGKILL);
	}
	errno = e;
}

void
sigpass_begin(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < NPASSED; i++)
		sigaction(passed[i], &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

void
sigpass_holder(pid_t pid)
{
	holder = pid;
	/* The deadline passed before the sandbox was there. */
	if (timed_out && !killed && pid > 0) {
		killed = 1;
		kill(pid, SIGKILL);
	}
}

void
sigpass_target(pid_t pid, bool grp)
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	group = grp;
	group_seen = 0;
	target = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigpass_flush();
}

void
sigpass_end(void)
{
	target = 0;
	holder = 0;
	for (size_t i = 0; i < NPASSED; i++)
		held[i] = 0;
}

/*
 * Held signals, or a group not seen yet: a signal that comes now would be
 * held, and a wait restarted after its handler would not notice.
 */
bool
sigpass_held(void)
{
	if (target > 0 && group && !group_seen) {
		if (kill(-target, 0) == 0)
			group_seen = 1;
		else
			return true;
	}
	for (size_t i = 0; i < NPASSED; i++)
		if (held[i])
			return true;
	return false;
}

void
sigpass_flush(void)
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (size_t i = 0; i < NPASSED; i++)
		if (held[i] && send_on(passed[i]))
			held[i] = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
sigpass_deadline(double seconds)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

bool
sigpass_timed_out(void)
{
	return timed_out;
}

/*
 * Until the group is seen (bwrap's child makes it just before it runs the
 * command) a signal can only be held, so the wait wakes every few
 * milliseconds to pass it on.  It sleeps in poll() on a pidfd, which ends
 * the moment the child exits: a plain sleep would outlast most sandboxes
 * by a part of its period.
 */
static void
nap(int *pfd, pid_t pid)
{
	struct pollfd p = { -1, POLLIN, 0 };

	if (*pfd == -2)
		*pfd = pidfd_of(pid);
	if (*pfd >= 0) {
		p.fd = *pfd;
		poll(&p, 1, HELD_PERIOD_MS);
	} else {
		struct timespec ts = { 0, HELD_PERIOD_MS * 1000 * 1000 };

		nanosleep(&ts, NULL);	/* kernels before 5.3 have no pidfd */
	}
}

void
sigpass_wait(pid_t pid, int *wstatus)
{
	int pfd = -2;	/* not opened yet */

	for (;;) {
		pid_t r;

		if (sigpass_held()) {
			sigpass_flush();
			r = waitpid(pid, wstatus, WNOHANG);
			if (r == 0) {
				nap(&pfd, pid);
				continue;
			}
		} else {
			r = waitpid(pid, wstatus, 0);
		}
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			err_(EXIT_POLICY, "waitpid");
	}
	if (pfd >= 0)
		close(pfd);
}

int
sigpass_parse_duration(const char *s, double *seconds)
{
	char *end;
	double v, mult = 1;

	if (s[0] == '\0' || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(v) || v < 0)
		return -1;
	if (*end != '\0') {
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		default: return -1;
		}
		if (end[1] != '\0')
			return -1;
	}
	v *= mult;
	/* Past what a timer holds: as good as none, but say so rather than wrap. */
	if (v > 1e9)
		return -1;
	*seconds = v;
	return 0;
}
