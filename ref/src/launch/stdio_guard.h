/*
 * The command's stdio.  Descriptors 0-2 are the caller's open files: one
 * that names a host object (a file, a directory, a named FIFO, a bound
 * socket, a device, the caller's terminal) lets the command act on that
 * object outside the sandbox's view: reopen it for writing through
 * /proc/self/fd (through its original, writable mount), fchmod or
 * ftruncate it, clear O_APPEND, openat() in a directory, change a
 * terminal's settings for good.  Such a descriptor is relayed: the command
 * gets a pipe (or, for the caller's terminal, a pseudo-terminal) and cordon
 * copies between it and the caller's.  What names nothing (a closed
 * descriptor, an anonymous pipe, /dev/null, an anonymous socket pair) is
 * passed as it is, at no cost.
 */
#ifndef CORDON_STDIO_GUARD_H
#define CORDON_STDIO_GUARD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <termios.h>

enum stdio_kind {
	STDIO_PASS,	/* given as it is: there is nothing outside to act on */
	STDIO_RELAY,	/* a pipe; cordon copies to (fd 0) or from (fds 1, 2) the caller's */
	STDIO_EMPTY,	/* nothing to copy that way: /dev/null read-only (EOF; writes EBADF) */
	STDIO_PTY,	/* the caller's terminal: a pseudo-terminal, relayed both ways */
};

/* What cordon learns of one descriptor; all the decision looks at. */
struct stdio_fact {
	bool open;
	mode_t type;		/* st_mode & S_IFMT */
	dev_t dev, rdev;
	ino_t ino;
	long fs_type;		/* FIFOs: fstatfs' f_type (anonymous pipes: PIPEFS_MAGIC) */
	int accmode;		/* O_RDONLY, O_WRONLY, O_RDWR; -1 for O_PATH */
	bool append;		/* O_APPEND */
	bool tty;		/* a character device that is a terminal */
	int sock_family, sock_type;
	bool sock_listening;
	bool sock_named;	/* bound to a path or an abstract name */
	bool sock_connected;
	bool sock_peer_named;
};

struct stdio_plan {
	enum stdio_kind kind[3];
	int with[3];		/* the lowest descriptor whose pipe or terminal it shares */
	const char *why[3];	/* what it is, and what the command could do with it */
};

/* The decision for descriptor fd (0: input, 1 and 2: output); *why says why. */
enum stdio_kind stdio_classify(int fd, const struct stdio_fact *f, const char **why);

/*
 * The decision for 0-2 together: one pseudo-terminal for every descriptor
 * of the first terminal (a second one is relayed as a plain device), and
 * one pipe for 1 and 2 when they are one open file (one12: 2>&1) or both
 * append to one file (>>log 2>>log), so that the command's interleaving of
 * stdout and stderr is kept.
 */
void stdio_plan(const struct stdio_fact f[3], bool one12, struct stdio_plan *out);

/* Whether any descriptor needs more than passing. */
bool stdio_plan_needed(const struct stdio_plan *p);

/* Which caller's descriptor the terminal's output goes to: 1, 2 or 0, or -1. */
int stdio_pty_output(const struct stdio_plan *p, const struct stdio_fact f[3]);

/* Whether the caller's terminal is read for the command: it is fd 0, readable. */
bool stdio_pty_input(const struct stdio_plan *p, const struct stdio_fact f[3]);

/*
 * The caller's terminal while it is relayed: no line editing, echo, output
 * processing or input translation (the pseudo-terminal does all that, as
 * the command sets it), but ISIG kept, so that ^C, ^\ and ^Z still signal
 * cordon's process group, which passes them on.
 */
void stdio_relay_termios(const struct termios *caller, struct termios *relay);

/*
 * Where a regular-file stdin's offset ends: start plus what the command
 * read, which is what cordon wrote into the pipe less what is still in it.
 */
off_t stdio_input_offset(off_t start, uint64_t written, int unread);

/*
 * The guard.  NULL from begin (and everywhere after) means nothing to do.
 *
 *   g = stdio_guard_begin();	 descriptors examined, pipes and terminal made
 *   stdio_guard_enter(g);	 the sandbox's ends on 0-2, for a fork or spawn
 *   ... fork/spawn bwrap ...
 *   stdio_guard_leave(g);	 the caller's back on 0-2; the relay runs
 *   ... (enter and leave again around a retry: the same pipes) ...
 *   ... wait for the sandbox ...
 *   stdio_guard_end(g, true);	 every output drained, terminal and offset restored
 *
 * Every descriptor of the guard is close-on-exec: only 0-2 reach the sandbox.
 */
struct stdio_guard;

struct stdio_guard *stdio_guard_begin(void);
void stdio_guard_enter(struct stdio_guard *g);
void stdio_guard_leave(struct stdio_guard *g);
/*
 * wait_eof: copy every output until its end, which comes when every process
 * of the sandbox is gone (bwrap's PID namespace sees to it).  Without one
 * (legacy Landlock), copy what the outputs hold and stop: a process the
 * command left behind must not keep cordon waiting.
 */
void stdio_guard_end(struct stdio_guard *g, bool wait_eof);

/* From a signal handler (async-signal-safe): SIGWINCH resizes the command's terminal. */
void stdio_guard_signal(int sig);

/* explain: one line per descriptor that would not be passed as it is. */
void stdio_guard_explain(FILE *out);

#endif
