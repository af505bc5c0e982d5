/* Entry points: arg0 dispatch, the Codex helper, and the people's subcommands. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bwrap_vendored.h"
#include "cordon.h"
#include "doctor.h"
#include "explain.h"
#include "filter.h"
#include "inner.h"
#include "path.h"
#include "sandbox.h"
#include "util.h"

int
cordon_should_dispatch(int argc, char **argv)
{
	if (argc < 1 || argv[0] == NULL)
		return 0;
	if (strcmp(path_base(argv[0]), CORDON_HELPER_ARG0) == 0)
		return 1;
	return argc > 1 && (strcmp(argv[1], CORDON_INNER_FLAG) == 0 ||
	    strcmp(argv[1], CORDON_BWRAP_FLAG) == 0);
}

/* Run the bundled bwrap with argv[1] (a marker or "bwrap") dropped. */
static int
bundled_bwrap_main(int argc, char **argv)
{
	argv[1] = (char *)"bwrap";
	return bwrap_vendored_main(argc - 1, argv + 1);
}

/*
 * cli_parse with --help answered: true when *inv is parsed (the caller
 * frees it), else false with the status to exit with in *status.
 */
static bool
parsed(int argc, char **argv, enum cli_mode mode, struct invocation *inv, int *status)
{
	char err[1024];

	switch (cli_parse(argc, argv, mode, inv, err, sizeof(err))) {
	case 0:
		return true;
	case CLI_HELP:
		cli_usage(mode, stdout);
		*status = 0;
		return false;
	default:
		warnx_("%s", err);
		*status = EXIT_USAGE;
		return false;
	}
}

/* Codex's --apply-seccomp-then-exec: confine this process and exec the command. */
static void __attribute__((noreturn))
seccomp_then_exec(const struct invocation *inv)
{
	struct resolve_ctx rc = { inv->policy_cwd, NULL, fsview_host(), NULL };
	struct rules rs;
	char err[1024];

	if (rules_resolve(&inv->policy, &rc, &rs, err, sizeof(err)) < 0)
		errx_(EXIT_POLICY, "%s", err);
	inner_confine(plan_seccomp_mode(&rs), true);
	rules_free(&rs);
	exec_command(inv->command);
}

/* Parse, prepare and run; the shared body of the helper and `cordon run`. */
static int
run_sandbox(int argc, char **argv, enum cli_mode mode)
{
	struct invocation inv;
	struct prepared pr;
	char err[1024];
	int r;

	if (!parsed(argc, argv, mode, &inv, &r))
		return r;
	if (inv.seccomp_then_exec)
		seccomp_then_exec(&inv);
	r = sandbox_prepare(&inv, &pr, false, err, sizeof(err));
	if (r != 0)
		warnx_("%s", err);
	/* The helper stays quiet: its host program asks cordon_startup_warnings(). */
	else if (pr.warning != NULL && mode == CLI_RUN)
		warnx_("warning: %s", pr.warning);
	if (r == 0)
		r = sandbox_execute(&inv, &pr);
	prepared_free(&pr);
	invocation_free(&inv);
	return r;
}

int
cordon_run_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], CORDON_INNER_FLAG) == 0) {
		cordon_setprogname("cordon");
		inner_main(argc, argv);
	}
	/* Chosen and opened by the outer cordon: run it even if turned off since. */
	if (argc > 1 && strcmp(argv[1], CORDON_BWRAP_FLAG) == 0)
		return bundled_bwrap_main(argc, argv);
	cordon_setprogname(CORDON_HELPER_ARG0);
	return run_sandbox(argc, argv, CLI_HELPER);
}

static int
explain_main(int argc, char **argv)
{
	struct invocation inv;
	struct prepared pr;
	char err[1024];
	int r;

	if (!parsed(argc, argv, CLI_EXPLAIN, &inv, &r))
		return r;
	r = sandbox_prepare(&inv, &pr, true, err, sizeof(err));
	if (r != 0) {
		/* What run would refuse is shown as far as it was planned, and why. */
		if (r != EXIT_USAGE && inv.json)
			explain_print_refused_json(&inv, &pr, err, stdout);
		else if (r != EXIT_USAGE)
			explain_print_refused(&inv, &pr, err, stdout);
		fflush(stdout);
		warnx_("%s", err);
	} else if (inv.argv_line) {
		r = explain_print_argv_line(&inv, &pr, stdout);
	} else if (inv.json) {
		explain_print_json(&inv, &pr, stdout);
	} else {
		explain_print(&inv, &pr, stdout);
	}
	prepared_free(&pr);
	invocation_free(&inv);
	return r;
}

/* cordon version [--json], cordon --version, cordon -V */
static int
version_main(int argc, char **argv)
{
	const char *bundled = bwrap_vendored_version();
	json_t *o;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json") != 0)) {
		warnx_("usage: cordon version [--json]");
		return EXIT_USAGE;
	}
	if (argc == 1) {
		printf("cordon %s\n", cordon_version());
		return 0;
	}
	o = json_pack("{s:s, s:s, s:o}", "name", "cordon", "version", cordon_version(),
	    "bundled_bwrap", bundled != NULL ? json_string(bundled) : json_null());
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
	return 0;
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: cordon COMMAND [ARGS...]\n"
	    "  run      run a command in the sandbox (cordon run --help)\n"
	    "  explain  print the sandbox plan for a command without running it\n"
	    "  doctor   check this machine: kernel, user namespaces, Landlock, seccomp, bwrap\n"
	    "  bwrap    run cordon's bundled bubblewrap (cordon bwrap --version)\n"
	    "  version  print cordon's version (--json: as JSON; also cordon --version, -V)\n"
	    "Called as codex-linux-sandbox, cordon takes the flags of Codex's sandbox helper.\n");
}

int
cordon_main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	cordon_setprogname("cordon");
	if (cmd == NULL) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "run") == 0)
		return run_sandbox(argc - 1, argv + 1, CLI_RUN);
	if (strcmp(cmd, "explain") == 0)
		return explain_main(argc - 1, argv + 1);
	if (strcmp(cmd, "doctor") == 0)
		return doctor_main(argc - 1, argv + 1);
	if (strcmp(cmd, "bwrap") == 0) {
		if (bwrap_vendored_version() == NULL)
			errx_(EXIT_POLICY, "no bundled bubblewrap: %s", bwrap_vendored_missing());
		return bundled_bwrap_main(argc, argv);
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
		return version_main(argc - 1, argv + 1);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	warnx_("unknown command \"%s\" (try: cordon help)", cmd);
	return EXIT_USAGE;
}
