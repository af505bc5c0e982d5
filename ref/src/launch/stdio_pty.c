/*
 * The caller's terminal.  The command gets a pseudo-terminal with the
 * terminal's settings and size; the caller's terminal is put into relay
 * mode while cordon reads it, and put back exactly as it was afterwards,
 * before cordon stops (^Z) and at any exit.  Only in its foreground
 * process group: cordon in the background neither changes nor reads it
 * (no SIGTTIN or SIGTTOU stops), until SIGCONT says it may be in front
 * again.  A terminal that is not cordon's controlling one has no
 * foreground to respect.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "stdio_relay.h"

/* For the signal handlers: one guard per process. */
static struct {
	volatile sig_atomic_t live;	/* the pseudo-terminal is relayed: SIGWINCH resizes it */
	volatile sig_atomic_t relaying;	/* the caller's terminal is in relay mode */
	bool can_relay;			/* fd 0 is the terminal, its settings read */
	pid_t owner;			/* not a child between fork and exec */
	int tty, master, wake;
	struct termios saved, relay;
	struct sigaction old_tstp, old_cont;
} T = { .tty = -1, .master = -1, .wake = -1 };

int
stdio_pty_open(int tty, int *slave)
{
	struct termios t;
	struct winsize ws;
	int m, s = -1;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return -1;
	if (grantpt(m) == 0 && unlockpt(m) == 0) {
#ifdef TIOCGPTPEER
		s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
#endif
		if (s < 0) {
			char name[64];

			if (ptsname_r(m, name, sizeof(name)) == 0)
				s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
		}
	}
	if (s < 0) {
		close(m);
		return -1;
	}
	if (tcgetattr(tty, &t) == 0)
		(void)tcsetattr(s, TCSANOW, &t);
	if (ioctl(tty, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(m, TIOCSWINSZ, &ws);
	*slave = s;
	return m;
}

static bool
foreground(int tty)
{
	pid_t pg = tcgetpgrp(tty);

	return pg < 0 || pg == getpgrp();
}

bool
stdio_pty_foreground(const struct stdio_guard *g)
{
	return foreground(g->tty);
}

/* Relay mode, if cordon is in front.  Async-signal-safe. */
static void
relay_mode(void)
{
	if (T.can_relay && !T.relaying && foreground(T.tty) &&
	    tcsetattr(T.tty, TCSADRAIN, &T.relay) == 0)
		T.relaying = 1;
}

static void
caller_mode(int when)
{
	if (T.relaying && tcsetattr(T.tty, when, &T.saved) == 0)
		T.relaying = 0;
}

static void
on_tstp(int sig)
{
	int e = errno;

	if (getpid() == T.owner)
		caller_mode(TCSANOW);
	/* Stop as SIGTSTP's default would have; SIGCONT goes on below. */
	kill(getpid(), SIGSTOP);
	errno = e;
}

static void
on_cont(int sig)
{
	int e = errno;

	if (getpid() == T.owner) {
		relay_mode();
		(void)!write(T.wake, "c", 1);
	}
	errno = e;
}

/* Any exit of cordon's (errx_ included) leaves the terminal as it found it. */
static void
at_exit(void)
{
	if (getpid() == T.owner)
		caller_mode(TCSADRAIN);
}

void
stdio_guard_signal(int sig)
{
	struct winsize ws;
	int e = errno;

	/* The command sees the new size by the time the signal is passed on to it. */
	if (sig == SIGWINCH && T.live && getpid() == T.owner && ioctl(T.tty, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(T.master, TIOCSWINSZ, &ws);
	errno = e;
}

void
stdio_pty_start(struct stdio_guard *g)
{
	static bool registered;
	struct sigaction sa = { 0 };

	if (g->master < 0)
		return;
	T.owner = getpid();
	T.tty = g->tty;
	T.master = g->master;
	T.wake = g->wake[1];
	T.can_relay = stdio_pty_input(&g->plan, g->fact) && tcgetattr(T.tty, &T.saved) == 0;
	T.live = 1;
	if (!T.can_relay)
		return;
	stdio_relay_termios(&T.saved, &T.relay);
	if (!registered)
		registered = atexit(at_exit) == 0;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, &T.old_tstp);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, &T.old_cont);
	relay_mode();
}

void
stdio_pty_end(struct stdio_guard *g)
{
	sigset_t set, old;

	if (g->master < 0 || T.master != g->master)
		return;
	/* No handler in between; SIGTTOU blocked puts it back even from the background. */
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGCONT);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTTOU);
	sigprocmask(SIG_BLOCK, &set, &old);
	T.live = 0;
	caller_mode(TCSADRAIN);
	if (T.can_relay) {
		sigaction(SIGTSTP, &T.old_tstp, NULL);
		sigaction(SIGCONT, &T.old_cont, NULL);
	}
	T.can_relay = false;
	T.tty = T.master = T.wake = -1;
	sigprocmask(SIG_SETMASK, &old, NULL);
}
