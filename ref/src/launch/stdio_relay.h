/* Inside the stdio guard: shared by stdio_guard.c, stdio_pump.c and stdio_pty.c. */
#ifndef CORDON_STDIO_RELAY_H
#define CORDON_STDIO_RELAY_H

#include <pthread.h>

#include "stdio_guard.h"

#define STDIO_CHANS 4		/* at most: a terminal's two ways, fd 1 and fd 2 */

/* One direction of copying, run by a thread of its own. */
struct stdio_chan {
	struct stdio_guard *g;
	int src, dst;		/* dst -1: read and throw away */
	int own;		/* the pipe end it closes at its end (command: EOF, EPIPE), or -1 */
	bool input;		/* towards the command: stops as soon as the sandbox is gone */
	bool tty_in;		/* reads the caller's terminal: only in its foreground */
	bool poll_src;		/* src may block: read only what poll says is there */
	bool splice;		/* try splice(2) until it says this pair cannot */
	bool seek;		/* a regular file, read at off; the caller's offset set last */
	off_t off;
	uint64_t moved;		/* bytes written to dst */
	char *buf;		/* for read and write, when splice cannot */
	size_t len, pos;
	pthread_t thread;
	bool running;
};

enum stdio_mode {
	STDIO_RUN,
	STDIO_END_EOF,		/* the sandbox is gone: outputs to their end */
	STDIO_END_NOW,		/* its main process is gone: outputs to what they hold */
};

struct stdio_guard {
	struct stdio_plan plan;
	struct stdio_fact fact[3];
	int orig[3];		/* the caller's descriptors, parked; -1 where passed */
	int side[3];		/* the sandbox's ends, parked; -1 where passed */
	struct stdio_chan chan[STDIO_CHANS];
	int nchan;
	int stop[2];		/* closing stop[1] tells every channel the sandbox is gone */
	int mode;		/* enum stdio_mode, read by the channels */
	bool started;
	struct stdio_chan *in;	/* a regular-file stdin's channel, or NULL */
	off_t in_start;		/* ... and the caller's offset in it at the start */
	int master;		/* the pseudo-terminal, or -1 */
	int tty;		/* the caller's terminal (one of orig[]), or -1 */
	int wake[2];		/* SIGCONT: the terminal's reader looks at the foreground */
};

/* A descriptor of fd's open file, close-on-exec, above 2; exits on failure. */
int stdio_park(int fd);

/* Channels: start every one (signals blocked in their threads); end them all. */
void stdio_pump_start(struct stdio_guard *g);
void stdio_pump_end(struct stdio_guard *g, enum stdio_mode how);

/* A pseudo-terminal like the caller's terminal tty: the master; *slave its other end. */
int stdio_pty_open(int tty, int *slave);
/* The caller's terminal into relay mode (in its foreground), signals watched. */
void stdio_pty_start(struct stdio_guard *g);
/* The caller's terminal as it was. */
void stdio_pty_end(struct stdio_guard *g);
/* Whether cordon may read the caller's terminal now: its foreground process group. */
bool stdio_pty_foreground(const struct stdio_guard *g);

#endif
