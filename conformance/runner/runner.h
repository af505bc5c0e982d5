/*
 * The conformance runner: what every generated ATF test case calls.  A
 * case is set up in a private directory, its probe runs inside the sandbox
 * under test through an adapter, and the probe's one line is judged
 * against the case's expectation.
 */
#ifndef CONF_RUNNER_H
#define CONF_RUNNER_H

#include <sys/ioctl.h>
#include <sys/types.h>

#include <atf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

/* One "step" line: a launch before the judged one, or a host-side action. */
enum conf_step_kind {
	CONF_STEP_END, CONF_STEP_LAUNCH, CONF_STEP_KILL, CONF_STEP_HOST,
	CONF_STEP_BACKGROUND,	/* launched, not waited for: it runs beside the judged launch */
};
struct conf_step {
	enum conf_step_kind kind;
	int is_probe;			/* launch and kill: argv is a probe (1) or a command (0) */
	const char *const *argv;	/* host: the verb and its arguments */
};

struct conf_case {
	const char *id;
	const char *category;
	const char *title;
	const char *policy;		/* Codex permission profile, with placeholders */
	const char *const *setup;
	const char *const *listen;
	const char *const *env;
	int is_probe;			/* argv is a probe (1) or a command (0) */
	const char *const *argv;
	const char *cwd;		/* NULL: the workspace */
	const char *expect;
	const char *const *requires;
	const char *const *xfail;
	const char *refs;
	/* NULL when the case has none. */
	const struct conf_step *steps;	/* ends with CONF_STEP_END */
	const char *const *stdio;	/* "FD KIND [PATH]" */
	const char *const *checks;	/* "KIND [ARG...]" */
};

void conf_case_head(atf_tc_t *tc, const struct conf_case *c);
void conf_case_body(const atf_tc_t *tc, const struct conf_case *c);

/* snprintf that fails the test case instead of truncating. */
void conf_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The sandbox under test (Kyua variable "sut", default cordon). */
const char *conf_sut(const atf_tc_t *tc);

/* --- pieces, each in its own file --- */

/* Placeholder values for one case. */
struct conf_vars {
	char ws[512], home[512], tmp[512], out[512], probe[512], probedir[512];
	char port[16], sock[512], dsock[512], abstract[128], fifo[512];
	char uid[16];			/* the user the sandbox runs as */
	char shmkey[16];		/* listen shm: the host segment's key */
};

/* Replace @WS@ and friends; the result is malloc'd. */
char *conf_subst(const char *s, const struct conf_vars *v);

/* workspace.c: build the case's directories and files. -1 with a message. */
int conf_setup(const char *const *setup, const struct conf_vars *v, char *err, size_t errlen);
/* A path from a case: placeholders substituted, relative ones under @WS@; malloc'd. */
char *conf_case_path(const char *rel, const struct conf_vars *v);
/* Create or truncate path, write content and a newline (none if content is empty). */
int conf_write_file(const char *path, const char *content);

/* listen.c: host-side listeners, closed by conf_listeners_close. */
struct conf_listeners {
	int fds[8];
	size_t n;
	char unix_path[512];
	char dgram_path[512];
	int fifo;		/* listen fifo: the read end, or -1 */
	int shm;		/* listen shm: the host segment's id, or -1 */
	pid_t socks;		/* listen socks5: the proxy's process, or 0 */
};
int conf_listen(const char *const *kinds, struct conf_vars *v, struct conf_listeners *l,
    char *err, size_t errlen);
void conf_listeners_close(struct conf_listeners *l);
/* listen fifo: read and discard what arrived; the number of bytes. */
size_t conf_fifo_drain(struct conf_listeners *l);

/* spawn.c: run argv with a time-out, collecting stdout and stderr together. */
struct conf_output {
	int status;		/* wait status; -1 on time-out (kill mode: no READY in time) */
	char *text;
	double seconds;
	int ready;		/* kill mode: a READY line came before the kill */
};
int conf_spawn(char *const *argv, char *const *envp, const char *cwd, int timeout_s,
    struct conf_output *out);

/* The descriptors a launch gets, from the case's stdio lines. */
#define CONF_FDS 10
struct conf_io {
	int fd[CONF_FDS];	/* becomes fd i of the adapter; -1: 0 /dev/null, 1-2 the pipe */
	int drain;		/* a pty master read into the output while it runs, or -1 */
	bool kill;		/* step kill: SIGKILL the adapter once READY is printed */
	int ctty;		/* the adapter's controlling terminal (a new session), or -1 */
	unsigned owned;		/* bit i: fd[i] was opened for this launch (conf_io_close) */
};
#define CONF_READY_TIMEOUT 10	/* seconds for a kill step's READY */
#define CONF_KILL_GRACE 5	/* seconds for the pipe's end after the kill */
int conf_spawn_io(char *const *argv, char *const *envp, const char *cwd, int timeout_s,
    const struct conf_io *io, struct conf_output *out);

/* The case's private directories (Kyua's work directory holds them). */
void conf_make_dirs(const atf_tc_t *tc, struct conf_vars *v);
/* Run cmd through the adapter of the sandbox under test, with profile and cwd. */
int conf_invoke(const atf_tc_t *tc, const char *profile, const char *cwd, char *const *cmd,
    const char *const *case_env, const struct conf_vars *v, struct conf_output *o);
int conf_invoke_io(const atf_tc_t *tc, const char *profile, const char *cwd, char *const *cmd,
    const char *const *case_env, const struct conf_vars *v, const struct conf_io *io,
    struct conf_output *o);

/* simple.c: the profile in the simple CONF_* form for adapters that cannot read JSON. */
int conf_simple_env(const char *profile_json, char ***envp, char *err, size_t errlen);

/* verdict.c: pure judgement of one run.  Returns 1 pass, 0 fail, -1 skip; why gets the evidence. */
int conf_judge(const char *expect, int is_probe, const struct conf_output *o,
    char *why, size_t whylen);
/* The first "PROBE ..." line of text, copied into buf ("" if none). */
void conf_probe_line(const char *text, char *buf, size_t len);

/* stdio.c: the case's stdio lines (pure parse), the files and the terminal behind them. */
enum conf_io_kind { CONF_IO_DEFAULT, CONF_IO_FILE, CONF_IO_DIR, CONF_IO_FIFO, CONF_IO_TTY };
struct conf_stdio {
	enum conf_io_kind kind[CONF_FDS];
	char path[CONF_FDS][512];	/* placeholders not yet substituted */
	bool tty;			/* some fd is the terminal */
	bool ctty;			/* ... and the adapter's controlling terminal ("ctty") */
};
int conf_stdio_parse(const char *const *lines, struct conf_stdio *s, char *err, size_t errlen);
/* The pseudo-terminal of "stdio N tty" and its host-side victim session. */
struct conf_tty {
	int master, slave;		/* -1 when the case has no tty */
	pid_t victim;
	char log[512];			/* the signals the victim got, one name a line */
};
/* With ctty the adapter's session owns the terminal: there is no victim then. */
int conf_tty_open(struct conf_tty *t, const char *dir, bool ctty, char *err, size_t errlen);
void conf_tty_close(struct conf_tty *t);
/* Open one launch's descriptors (io->fd); conf_io_close closes them again. */
int conf_io_open(const struct conf_stdio *s, const struct conf_tty *t, const struct conf_vars *v,
    struct conf_io *io, char *err, size_t errlen);
void conf_io_close(struct conf_io *io);

/* check.c: host-side checks after the judged launch, judged on snapshots (pure). */
enum conf_check_kind {
	CONF_CHECK_UNCHANGED, CONF_CHECK_APPENDED, CONF_CHECK_EXISTS, CONF_CHECK_MISSING,
	CONF_CHECK_TTY, CONF_CHECK_KEY, CONF_CHECK_FIFO_EMPTY, CONF_CHECK_CONTAINS,
};
struct conf_check {
	enum conf_check_kind kind;
	char line[600];			/* as written, for the evidence */
	char arg[512];			/* PATH or key NAME */
	char value[512];		/* check key: the VALUE; check contains: the TEXT */
};
#define CONF_SNAP_MAX (1024 * 1024)	/* content compared, at most */
#define CONF_MAX_KEYS 64
struct conf_snap {
	/* unchanged, appended, exists, missing */
	int err;			/* 0, or lstat's errno */
	mode_t mode;			/* type and permission bits */
	off_t size;
	char *data;			/* file: content; dir: sorted names, one a line; link: target */
	size_t len;
	/* tty */
	int tty_err;			/* 0, or tcgetattr's errno */
	struct termios tio;
	struct winsize ws;
	int excl;			/* TIOCGEXCL */
	char signals[256];		/* recorded by the victim, one name a line */
	/* key */
	int key_err;			/* 0, or the errno of the search or read */
	char key[512];
	size_t key_len;
	int32_t keys[CONF_MAX_KEYS];	/* the session keyring's keys, sorted */
	size_t nkeys;
	/* fifo-empty */
	size_t fifo_bytes;
};
int conf_check_parse(const char *line, struct conf_check *c, char *err, size_t errlen);
/* 1 holds, 0 fails with why ("check LINE: what changed"). */
int conf_check_judge(const struct conf_check *c, const struct conf_snap *before,
    const struct conf_snap *after, char *why, size_t whylen);
/* The case's verdict from expect's (verdict, why) and the first failing check (NULL: none). */
int conf_verdict(int verdict, const char *expect_why, const char *check_why, size_t nchecks,
    char *why, size_t whylen);

/* snap.c: take one snapshot for a check (path already substituted). */
struct conf_host {
	const struct conf_tty *tty;
	size_t fifo_bytes;
};
void conf_snap_take(const struct conf_check *c, const char *path, const struct conf_host *h,
    struct conf_snap *s);
void conf_snap_free(struct conf_snap *s);

/* keys.c: the session keyring the launches inherit. */
int conf_key_add(const char *name, const char *value);
void conf_key_snap(const char *name, struct conf_snap *s);

/* steps.c: one host-side step ("rename FROM TO", ...). -1 with a message. */
int conf_host_step(const char *const *argv, const struct conf_vars *v, char *err, size_t errlen);

/* requires.c: NULL if every requirement holds, else the reason (static buffer). */
const char *conf_unmet(const char *const *requires, const char *sut);
/* The reason of the first xfail whose condition holds, or NULL. */
const char *conf_xfail(const char *const *xfail, const char *sut);
/* Kernel release as major*1000+minor, and the Landlock ABI (0 if none). */
int conf_kernel_version(void);
int conf_landlock_abi(void);

/* results.c: one JSON file per case in dir (when the results_dir variable is set). */
void conf_write_result(const char *dir, const struct conf_case *c, const char *sut,
    const char *outcome, const char *evidence, double seconds);

#endif
