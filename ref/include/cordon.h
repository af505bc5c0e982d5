/*
 * cordon: a reference Linux sandbox for coding agents.
 *
 * The public entry points of libcordon.  A program that bundles cordon
 * (a "multitool") dispatches on its own argv the same way the cordon
 * binary does:
 *
 *	if (cordon_should_dispatch(argc, argv))
 *		return cordon_run_main(argc, argv);
 */
#ifndef CORDON_H
#define CORDON_H

#ifdef __cplusplus
extern "C" {
#endif

/* The basename under which cordon acts as Codex's sandbox helper. */
#define CORDON_HELPER_ARG0 "codex-linux-sandbox"

/*
 * True when argv asks for the sandbox helper: basename(argv[0]) is
 * "codex-linux-sandbox", or argv is cordon's own inner-stage re-exec.
 */
int cordon_should_dispatch(int argc, char **argv);

/*
 * Run the helper: the same flags and exit statuses as Codex's
 * codex-linux-sandbox.  Returns only on error; on success the process
 * becomes (or waits for) the sandboxed command.
 */
int cordon_run_main(int argc, char **argv);

/* The people's command line: cordon run|explain|doctor|version|help. */
int cordon_main(int argc, char **argv);

/*
 * Problems a user should hear about before the first sandboxed command,
 * one line each, in a NULL-terminated list (empty when all is well): for
 * example that no bubblewrap is on PATH and the bundled one is used.  The
 * helper never prints these itself; a host program shows them at start-up.
 * The first call does the checks; call it before starting threads.
 */
const char *const *cordon_startup_warnings(void);

/* cordon's version string, e.g. "0.1.0". */
const char *cordon_version(void);

#ifdef __cplusplus
}
#endif

#endif
