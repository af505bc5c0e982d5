/* The stdio guard's decisions: which descriptors are passed, relayed or given a terminal. */
#include <atf-c.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "stdio_guard.h"

#define EXT4 0xEF53L
/* makedev() for small numbers, as a constant (glibc's is a function). */
#define DEV(major, minor) ((dev_t)((major) << 8 | (minor)))

static const struct stdio_fact closed = { .open = false };
static const struct stdio_fact pipe_rd = { .open = true, .type = S_IFIFO,
	.fs_type = PIPEFS_MAGIC, .accmode = O_RDONLY };
static const struct stdio_fact pipe_wr = { .open = true, .type = S_IFIFO,
	.fs_type = PIPEFS_MAGIC, .accmode = O_WRONLY };
static const struct stdio_fact fifo = { .open = true, .type = S_IFIFO, .fs_type = EXT4,
	.accmode = O_WRONLY };
static const struct stdio_fact devnull = { .open = true, .type = S_IFCHR,
	.rdev = DEV(1, 3), .accmode = O_RDWR };
static const struct stdio_fact devzero = { .open = true, .type = S_IFCHR,
	.rdev = DEV(1, 5), .accmode = O_RDONLY };
static const struct stdio_fact devfull = { .open = true, .type = S_IFCHR,
	.rdev = DEV(1, 7), .accmode = O_WRONLY };
static const struct stdio_fact file_rd = { .open = true, .type = S_IFREG, .accmode = O_RDONLY };
static const struct stdio_fact file_wr = { .open = true, .type = S_IFREG, .accmode = O_WRONLY };
static const struct stdio_fact file_rw = { .open = true, .type = S_IFREG, .accmode = O_RDWR };
static const struct stdio_fact log_a = { .open = true, .type = S_IFREG, .accmode = O_WRONLY,
	.append = true, .dev = DEV(8, 1), .ino = 12 };
static const struct stdio_fact other_a = { .open = true, .type = S_IFREG, .accmode = O_WRONLY,
	.append = true, .dev = DEV(8, 1), .ino = 13 };
static const struct stdio_fact file_path = { .open = true, .type = S_IFREG, .accmode = -1 };
static const struct stdio_fact dir = { .open = true, .type = S_IFDIR, .accmode = O_RDONLY };
static const struct stdio_fact blk = { .open = true, .type = S_IFBLK, .accmode = O_RDWR };
static const struct stdio_fact pts0 = { .open = true, .type = S_IFCHR,
	.rdev = DEV(136, 0), .accmode = O_RDWR, .tty = true };
static const struct stdio_fact pts1 = { .open = true, .type = S_IFCHR,
	.rdev = DEV(136, 1), .accmode = O_RDWR, .tty = true };
static const struct stdio_fact pts0_wr = { .open = true, .type = S_IFCHR,
	.rdev = DEV(136, 0), .accmode = O_WRONLY, .tty = true };
static const struct stdio_fact pts0_rd = { .open = true, .type = S_IFCHR,
	.rdev = DEV(136, 0), .accmode = O_RDONLY, .tty = true };
/* What libuv and Node give a child: socketpair(AF_UNIX, SOCK_STREAM). */
static const struct stdio_fact sockpair = { .open = true, .type = S_IFSOCK, .accmode = O_RDWR,
	.sock_family = AF_UNIX, .sock_type = SOCK_STREAM, .sock_connected = true };
static const struct stdio_fact sock_dgram_pair = { .open = true, .type = S_IFSOCK,
	.accmode = O_RDWR, .sock_family = AF_UNIX, .sock_type = SOCK_DGRAM,
	.sock_connected = true };
static const struct stdio_fact sock_to_server = { .open = true, .type = S_IFSOCK,
	.accmode = O_RDWR, .sock_family = AF_UNIX, .sock_type = SOCK_STREAM,
	.sock_connected = true, .sock_peer_named = true };
static const struct stdio_fact sock_bound = { .open = true, .type = S_IFSOCK,
	.accmode = O_RDWR, .sock_family = AF_UNIX, .sock_type = SOCK_STREAM,
	.sock_named = true, .sock_connected = true };
static const struct stdio_fact sock_listen = { .open = true, .type = S_IFSOCK,
	.accmode = O_RDWR, .sock_family = AF_UNIX, .sock_type = SOCK_STREAM,
	.sock_named = true, .sock_listening = true, .sock_peer_named = true };
static const struct stdio_fact sock_unconnected = { .open = true, .type = S_IFSOCK,
	.accmode = O_RDWR, .sock_family = AF_UNIX, .sock_type = SOCK_STREAM,
	.sock_peer_named = true };
static const struct stdio_fact sock_tcp = { .open = true, .type = S_IFSOCK, .accmode = O_RDWR,
	.sock_family = AF_INET, .sock_type = SOCK_STREAM, .sock_named = true,
	.sock_connected = true, .sock_peer_named = true };

struct row {
	const char *name;
	const struct stdio_fact *f;
	enum stdio_kind in, out;	/* as fd 0, as fd 1 or 2 */
	const char *why;		/* a part of the reason */
};

static const struct row golden[] = {
	{ "closed", &closed, STDIO_PASS, STDIO_PASS, "closed" },
	{ "anonymous pipe, read end", &pipe_rd, STDIO_PASS, STDIO_PASS, "anonymous pipe" },
	{ "anonymous pipe, write end", &pipe_wr, STDIO_PASS, STDIO_PASS, "anonymous pipe" },
	{ "named FIFO", &fifo, STDIO_EMPTY, STDIO_RELAY, "named FIFO" },
	{ "/dev/null", &devnull, STDIO_PASS, STDIO_PASS, "/dev/null" },
	{ "/dev/zero, read-only", &devzero, STDIO_RELAY, STDIO_EMPTY, "character device" },
	{ "/dev/full, write-only", &devfull, STDIO_EMPTY, STDIO_RELAY, "character device" },
	{ "regular file, read-only", &file_rd, STDIO_RELAY, STDIO_EMPTY, "regular file" },
	{ "regular file, write-only", &file_wr, STDIO_EMPTY, STDIO_RELAY, "regular file" },
	{ "regular file, read-write", &file_rw, STDIO_RELAY, STDIO_RELAY, "reopen, truncate" },
	{ "regular file, O_PATH", &file_path, STDIO_EMPTY, STDIO_EMPTY, "regular file" },
	{ "directory", &dir, STDIO_EMPTY, STDIO_EMPTY, "create or change files" },
	{ "block device", &blk, STDIO_RELAY, STDIO_RELAY, "block device" },
	{ "terminal", &pts0, STDIO_PTY, STDIO_PTY, "change its settings" },
	{ "socket pair", &sockpair, STDIO_PASS, STDIO_PASS, "socket pair" },
	{ "datagram socket pair", &sock_dgram_pair, STDIO_RELAY, STDIO_RELAY, "socket" },
	{ "socket connected to a named one", &sock_to_server, STDIO_RELAY, STDIO_RELAY,
	    "what it names" },
	{ "bound socket", &sock_bound, STDIO_RELAY, STDIO_RELAY, "what it names" },
	{ "listening socket", &sock_listen, STDIO_EMPTY, STDIO_EMPTY, "accept connections" },
	{ "unconnected socket", &sock_unconnected, STDIO_RELAY, STDIO_RELAY, "socket" },
	{ "TCP socket", &sock_tcp, STDIO_RELAY, STDIO_RELAY, "what it names" },
};

ATF_TC_WITHOUT_HEAD(classify_golden);
ATF_TC_BODY(classify_golden, tc)
{
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		const struct row *r = &golden[i];

		for (int fd = 0; fd < 3; fd++) {
			const char *why = NULL;
			enum stdio_kind want = fd == 0 ? r->in : r->out;
			enum stdio_kind got = stdio_classify(fd, r->f, &why);

			ATF_CHECK_MSG(got == want, "%s as fd %d: kind %d, want %d", r->name, fd,
			    got, want);
			ATF_CHECK_MSG(why != NULL && strstr(why, r->why) != NULL,
			    "%s as fd %d: reason \"%s\" lacks \"%s\"", r->name, fd,
			    why ? why : "(none)", r->why);
		}
	}
}

static void
plan3(const struct stdio_fact *a, const struct stdio_fact *b, const struct stdio_fact *c,
    bool same12, struct stdio_plan *p)
{
	struct stdio_fact f[3] = { *a, *b, *c };

	stdio_plan(f, same12, p);
}

ATF_TC_WITHOUT_HEAD(plan_pipes_need_nothing);
ATF_TC_BODY(plan_pipes_need_nothing, tc)
{
	struct stdio_plan p;

	plan3(&devnull, &pipe_wr, &pipe_wr, true, &p);
	ATF_CHECK(!stdio_plan_needed(&p));
	plan3(&closed, &sockpair, &sockpair, false, &p);
	ATF_CHECK(!stdio_plan_needed(&p));
	plan3(&pipe_rd, &pipe_wr, &file_wr, false, &p);
	ATF_CHECK(stdio_plan_needed(&p));
	ATF_CHECK_EQ(STDIO_PASS, p.kind[0]);
	ATF_CHECK_EQ(STDIO_PASS, p.kind[1]);
	ATF_CHECK_EQ(STDIO_RELAY, p.kind[2]);
}

ATF_TC_WITHOUT_HEAD(plan_one_pipe_for_one_open_file);
ATF_TC_BODY(plan_one_pipe_for_one_open_file, tc)
{
	struct stdio_plan p;

	/* >log 2>&1: one pipe keeps the order of stdout and stderr. */
	plan3(&devnull, &file_wr, &file_wr, true, &p);
	ATF_CHECK_EQ(STDIO_RELAY, p.kind[1]);
	ATF_CHECK_EQ(STDIO_RELAY, p.kind[2]);
	ATF_CHECK_EQ(1, p.with[1]);
	ATF_CHECK_EQ(1, p.with[2]);
	/* >log 2>log: two open files, each with its own offset: two pipes. */
	plan3(&devnull, &file_wr, &file_wr, false, &p);
	ATF_CHECK_EQ(2, p.with[2]);
	/* >>log 2>>log: two open files, but both append to one file: one stream. */
	plan3(&devnull, &log_a, &log_a, false, &p);
	ATF_CHECK_EQ(1, p.with[2]);
	plan3(&devnull, &log_a, &other_a, false, &p);
	ATF_CHECK_EQ(2, p.with[2]);
	plan3(&devnull, &log_a, &file_wr, false, &p);
	ATF_CHECK_EQ(2, p.with[2]);
	/* fd 0 never shares: it goes the other way. */
	plan3(&file_rw, &file_rw, &file_rw, true, &p);
	ATF_CHECK_EQ(0, p.with[0]);
	ATF_CHECK_EQ(1, p.with[2]);
}

ATF_TC_WITHOUT_HEAD(plan_one_pseudo_terminal);
ATF_TC_BODY(plan_one_pseudo_terminal, tc)
{
	struct stdio_fact f[3] = { pts0, pts0, pts0 };
	struct stdio_plan p;

	stdio_plan(f, true, &p);
	for (int fd = 0; fd < 3; fd++) {
		ATF_CHECK_EQ(STDIO_PTY, p.kind[fd]);
		ATF_CHECK_EQ(0, p.with[fd]);
	}
	ATF_CHECK_EQ(1, stdio_pty_output(&p, f));
	ATF_CHECK(stdio_pty_input(&p, f));

	/* cmd <file 2>/dev/pts/0: the terminal's output through fd 1 still; not read. */
	f[0] = file_rd;
	stdio_plan(f, true, &p);
	ATF_CHECK_EQ(STDIO_RELAY, p.kind[0]);
	ATF_CHECK_EQ(1, p.with[2]);
	ATF_CHECK_EQ(1, stdio_pty_output(&p, f));
	ATF_CHECK(!stdio_pty_input(&p, f));

	/* Output only through a descriptor that can be written. */
	f[0] = pts0;
	f[1] = pipe_wr;
	f[2] = pts0_rd;
	stdio_plan(f, false, &p);
	ATF_CHECK_EQ(0, stdio_pty_output(&p, f));
	f[0] = pts0_rd;
	stdio_plan(f, false, &p);
	ATF_CHECK_EQ(-1, stdio_pty_output(&p, f));
	ATF_CHECK(stdio_pty_input(&p, f));
	f[0] = pts0_wr;
	stdio_plan(f, false, &p);
	ATF_CHECK(!stdio_pty_input(&p, f));
}

ATF_TC_WITHOUT_HEAD(plan_second_terminal_is_a_device);
ATF_TC_BODY(plan_second_terminal_is_a_device, tc)
{
	struct stdio_plan p;

	plan3(&pts0, &pts0, &pts1, false, &p);
	ATF_CHECK_EQ(STDIO_PTY, p.kind[0]);
	ATF_CHECK_EQ(STDIO_PTY, p.kind[1]);
	ATF_CHECK_EQ(0, p.with[1]);
	ATF_CHECK_EQ(STDIO_RELAY, p.kind[2]);
	ATF_CHECK_EQ(2, p.with[2]);
	ATF_CHECK(strstr(p.why[2], "second terminal") != NULL);
	/* Whichever fd it is on. */
	plan3(&pts1, &pts0, &pts0, true, &p);
	ATF_CHECK_EQ(STDIO_PTY, p.kind[0]);
	ATF_CHECK_EQ(STDIO_RELAY, p.kind[1]);
	ATF_CHECK_EQ(STDIO_RELAY, p.kind[2]);
	ATF_CHECK_EQ(1, p.with[2]);
}

ATF_TC_WITHOUT_HEAD(relay_termios_keeps_signals);
ATF_TC_BODY(relay_termios_keeps_signals, tc)
{
	struct termios in, out;

	memset(&in, 0, sizeof(in));
	in.c_iflag = ICRNL | IXON | BRKINT | IUTF8;
	in.c_oflag = OPOST | ONLCR;
	in.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN | ECHOCTL;
	in.c_cflag = CS8 | CREAD;
	in.c_cc[VINTR] = 3;
	in.c_cc[VMIN] = 0;
	in.c_cc[VTIME] = 5;
	stdio_relay_termios(&in, &out);
	ATF_CHECK_EQ(0, out.c_lflag & (ICANON | ECHO | IEXTEN));
	ATF_CHECK(out.c_lflag & ISIG);
	ATF_CHECK_EQ(0, out.c_oflag & OPOST);
	ATF_CHECK_EQ(0, out.c_iflag & (ICRNL | IXON));
	ATF_CHECK(out.c_iflag & BRKINT);
	ATF_CHECK(out.c_iflag & IUTF8);
	ATF_CHECK_EQ(in.c_cflag, out.c_cflag);
	ATF_CHECK_EQ(3, out.c_cc[VINTR]);
	ATF_CHECK_EQ(1, out.c_cc[VMIN]);
	ATF_CHECK_EQ(0, out.c_cc[VTIME]);
	/* Already in relay mode: unchanged. */
	in = out;
	stdio_relay_termios(&in, &out);
	ATF_CHECK(memcmp(&in, &out, sizeof(in)) == 0);
}

ATF_TC_WITHOUT_HEAD(input_offset);
ATF_TC_BODY(input_offset, tc)
{
	/* head -c 5 on a 100 KiB file from offset 10: 64 KiB in the pipe, all but 5 left. */
	ATF_CHECK_EQ(15, stdio_input_offset(10, 65536, 65531));
	ATF_CHECK_EQ(10 + 102400, stdio_input_offset(10, 102400, 0));
	ATF_CHECK_EQ(10, stdio_input_offset(10, 0, 0));
	ATF_CHECK_EQ(10, stdio_input_offset(10, 4096, 4096));
	/* FIONREAD cannot say more than was written; a bad answer changes nothing. */
	ATF_CHECK_EQ(10 + 4096, stdio_input_offset(10, 4096, 8192));
	ATF_CHECK_EQ(10 + 4096, stdio_input_offset(10, 4096, -1));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, classify_golden);
	ATF_TP_ADD_TC(tp, plan_pipes_need_nothing);
	ATF_TP_ADD_TC(tp, plan_one_pipe_for_one_open_file);
	ATF_TP_ADD_TC(tp, plan_one_pseudo_terminal);
	ATF_TP_ADD_TC(tp, plan_second_terminal_is_a_device);
	ATF_TP_ADD_TC(tp, relay_termios_keeps_signals);
	ATF_TP_ADD_TC(tp, input_offset);
	return atf_no_error();
}
