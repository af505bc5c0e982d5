/*
 * Copying between the command's pipes (or pseudo-terminal) and the
 * caller's descriptors: one thread per direction, each with every signal
 * blocked.  So a write to a reader that left fails with EPIPE instead of
 * killing cordon (SIGPIPE is directed at the writing thread, which blocks
 * it), cordon's main thread goes on waiting for bwrap and passing signals,
 * and a slow reader on one side holds up only its own direction, as it
 * would have held up only the command's write.  SIGPIPE's disposition is
 * left alone: bwrap and the command inherit it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "stdio_relay.h"
#include "util.h"

#define CHUNK 65536

enum step {
	STEP_MOVED,	/* some bytes, or nothing yet (EINTR): go on */
	STEP_END,	/* the source is at its end, or cannot be read */
	STEP_FAILED,	/* the destination cannot be written */
	STEP_WAIT_SRC,
	STEP_WAIT_DST,
};

static int
mode_of(const struct stdio_guard *g)
{
	return __atomic_load_n(&g->mode, __ATOMIC_ACQUIRE);
}

static enum step
copy(struct stdio_chan *c)
{
	ssize_t n;

	if (c->pos == c->len) {
		n = c->seek ? pread(c->src, c->buf, CHUNK, c->off) : read(c->src, c->buf, CHUNK);
		if (n < 0 && errno == EINTR)
			return STEP_MOVED;
		if (n < 0 && errno == EAGAIN)
			return STEP_WAIT_SRC;
		/* The terminal in the background (SIGTTIN is blocked here): until SIGCONT. */
		if (n < 0 && errno == EIO && c->tty_in && !stdio_pty_foreground(c->g))
			return STEP_WAIT_SRC;
		/* EOF; or EIO from a master whose slave is closed everywhere. */
		if (n <= 0)
			return STEP_END;
		c->len = (size_t)n;
		c->pos = 0;
		if (c->seek)
			c->off += n;
	}
	if (c->dst < 0) {
		c->pos = c->len;
		return STEP_MOVED;
	}
	n = write(c->dst, c->buf + c->pos, c->len - c->pos);
	if (n < 0 && errno == EINTR)
		return STEP_MOVED;
	if (n < 0)
		return errno == EAGAIN ? STEP_WAIT_DST : STEP_FAILED;
	c->pos += (size_t)n;
	c->moved += (uint64_t)n;
	return STEP_MOVED;
}

/* Whether src has something to read (or its end) now. */
static bool
readable(const struct stdio_chan *c)
{
	struct pollfd p = { c->src, POLLIN, 0 };

	return poll(&p, 1, 0) == 1;
}

/* splice's EAGAIN does not say which end: a readable source means the other one. */
static enum step
blocked_end(const struct stdio_chan *c)
{
	return readable(c) ? STEP_WAIT_DST : STEP_WAIT_SRC;
}

static enum step
move(struct stdio_chan *c)
{
	ssize_t n;

	/* A read that blocks could not be told to stop: the sandbox gone, the channel waits. */
	if (c->poll_src && c->pos == c->len && !readable(c))
		return STEP_WAIT_SRC;
	if (!c->splice)
		return copy(c);
	n = splice(c->src, c->seek ? &c->off : NULL, c->dst, NULL, CHUNK,
	    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	if (n > 0) {
		c->moved += (uint64_t)n;
		return STEP_MOVED;
	}
	if (n == 0)
		return STEP_END;
	if (errno == EINTR)
		return STEP_MOVED;
	if (errno == EAGAIN)
		return blocked_end(c);
	/* This pair cannot splice (O_APPEND, devices), or an end failed: read and write tell. */
	c->splice = false;
	return copy(c);
}

/*
 * Wait for fd to be ready; false when the channel should end instead.
 * Input ends as soon as the sandbox is gone; outputs go on to their end
 * (STDIO_END_EOF) or, waiting for more to read, end (STDIO_END_NOW).
 */
static bool
await(struct stdio_chan *c, int fd, short events)
{
	struct stdio_guard *g = c->g;
	char drain[16];

	for (;;) {
		int mode = mode_of(g);
		bool end = mode != STDIO_RUN &&
		    (c->input || (mode == STDIO_END_NOW && events == POLLIN));
		struct pollfd p[3] = {
			{ fd, events, 0 },
			{ mode == STDIO_RUN ? g->stop[0] : -1, POLLIN, 0 },
			{ c->tty_in ? g->wake[0] : -1, POLLIN, 0 },
		};

		if (end && c->input)
			return false;
		if (c->tty_in && !stdio_pty_foreground(g))
			p[0].fd = -1;
		/* Ending: only what is there already. */
		if (poll(p, 3, end ? 0 : -1) < 0 && errno != EINTR)
			return false;
		if (p[2].revents != 0)
			while (read(g->wake[0], drain, sizeof(drain)) > 0)
				continue;
		if (p[0].revents != 0)
			return true;
		if (end)
			return false;
	}
}

static void *
run(void *arg)
{
	struct stdio_chan *c = arg;
	bool go = true;

	while (go) {
		switch (move(c)) {
		case STEP_MOVED:
			break;
		case STEP_WAIT_SRC:
			go = await(c, c->src, POLLIN);
			break;
		case STEP_WAIT_DST:
			go = await(c, c->dst, POLLOUT);
			break;
		case STEP_FAILED:
			/* The command gets EPIPE, as it would have; terminal output is dropped. */
			go = c->own < 0;
			c->dst = -1;
			break;
		case STEP_END:
			go = false;
			break;
		}
		if (c->input && mode_of(c->g) != STDIO_RUN)
			go = false;
	}
	if (c->own >= 0)
		close(c->own);
	c->own = -1;
	return NULL;
}

void
stdio_pump_start(struct stdio_guard *g)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; i < g->nchan; i++) {
		int r = pthread_create(&g->chan[i].thread, NULL, run, &g->chan[i]);

		if (r != 0) {
			errno = r;
			err_(EXIT_POLICY, "stdio: starting a relay");
		}
		g->chan[i].running = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
stdio_pump_end(struct stdio_guard *g, enum stdio_mode how)
{
	__atomic_store_n(&g->mode, (int)how, __ATOMIC_RELEASE);
	close(g->stop[1]);
	g->stop[1] = -1;
	for (int i = 0; i < g->nchan; i++)
		if (g->chan[i].running)
			pthread_join(g->chan[i].thread, NULL);
}
