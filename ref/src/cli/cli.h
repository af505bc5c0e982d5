/* Command lines: the Codex helper's flags and `cordon run`/`explain`. */
#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "policy.h"
#include "util.h"

enum cli_mode {
	CLI_HELPER,	/* codex-linux-sandbox flags */
	CLI_RUN,	/* cordon run */
	CLI_EXPLAIN,	/* cordon explain: either set of flags */
};

struct invocation {
	struct policy policy;
	char *policy_cwd;	/* absolute */
	char *command_cwd;	/* absolute */
	bool no_proc;
	bool legacy_landlock;
	bool seccomp_then_exec;	/* Codex's --apply-seccomp-then-exec */
	bool proxy;		/* managed proxy mode requested */
	bool transparent_tcp;	/* --transparent-tcp: plain TCP clients go through the SOCKS5 proxy */
	struct strv proxies;	/* cordon run --proxy HOST:PORT; empty: endpoints from the environment */
	bool json;		/* explain --json */
	bool argv_line;		/* explain --argv-line: one line to paste into a shell */
	const char *bwrap_version;	/* explain --bwrap-version: plan for a known release */
	/*
	 * cordon run's command line (or explain given no helper flag): the
	 * checks before launch and the defaults people get, which Codex's
	 * helper does not have.
	 */
	bool people;
	double timeout;		/* --timeout: seconds, 0 for none */
	struct strv env_ops;	/* --clearenv, --setenv, --unsetenv, in order (envops.h) */
	bool allow_secrets;	/* --allow-secrets: cordon run hides no credential store */
	char *home;		/* where the hidden credential stores are (NULL: none hidden) */
	char **command;
};

/* What cli_parse returns besides 0 (parsed) and -1 (bad input, the message in err). */
#define CLI_HELP 1	/* --help or -h: print cli_usage and exit 0 */

/*
 * Parse argv (argv[0] is the program or subcommand).  0: *inv is the
 * caller's to invocation_free.  -1 (bad input, a one-line message in err)
 * or CLI_HELP: nothing is left to free.
 */
int cli_parse(int argc, char **argv, enum cli_mode mode, struct invocation *inv,
    char *err, size_t errlen);
/* Free what *inv holds and zero it (so a second call does nothing). */
void invocation_free(struct invocation *inv);
void cli_usage(enum cli_mode mode, FILE *out);

#endif
