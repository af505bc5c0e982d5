/*
 * The conformance runner: what every generated ATF test case calls.  A
 * case is set up in a private directory, its probe runs inside the sandbox
 * under test through an adapter, and the probe's one line is judged
 * against the case's expectation.
 */
#ifndef CONF_RUNNER_H
#define CONF_RUNNER_H

#include <atf-c.h>
#include <stdbool.h>
#include <stddef.h>

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
	char port[16], sock[512], dsock[512], abstract[128];
};

/* Replace @WS@ and friends; the result is malloc'd. */
char *conf_subst(const char *s, const struct conf_vars *v);

/* workspace.c: build the case's directories and files. -1 with a message. */
int conf_setup(const char *const *setup, const struct conf_vars *v, char *err, size_t errlen);

/* listen.c: host-side listeners, closed by conf_listeners_close. */
struct conf_listeners {
	int fds[8];
	size_t n;
	char unix_path[512];
	char dgram_path[512];
};
int conf_listen(const char *const *kinds, struct conf_vars *v, struct conf_listeners *l,
    char *err, size_t errlen);
void conf_listeners_close(struct conf_listeners *l);

/* adapter.c: run argv with a time-out, collecting stdout and stderr together. */
struct conf_output {
	int status;		/* wait status; -1 on time-out */
	char *text;
	double seconds;
};
int conf_spawn(char *const *argv, char *const *envp, const char *cwd, int timeout_s,
    struct conf_output *out);

/* The case's private directories (Kyua's work directory holds them). */
void conf_make_dirs(const atf_tc_t *tc, struct conf_vars *v);
/* Run cmd through the adapter of the sandbox under test, with profile and cwd. */
int conf_invoke(const atf_tc_t *tc, const char *profile, const char *cwd, char *const *cmd,
    const char *const *case_env, const struct conf_vars *v, struct conf_output *o);

/* simple.c: the profile in the simple CONF_* form for adapters that cannot read JSON. */
int conf_simple_env(const char *profile_json, char ***envp, char *err, size_t errlen);

/* verdict.c: pure judgement of one run.  Returns 1 pass, 0 fail, -1 skip; why gets the evidence. */
int conf_judge(const char *expect, int is_probe, const struct conf_output *o,
    char *why, size_t whylen);
/* The first "PROBE ..." line of text, copied into buf ("" if none). */
void conf_probe_line(const char *text, char *buf, size_t len);

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
