/*
 * One case, start to finish: requirements, a private directory tree, the
 * set-up, listeners, the adapter call, the verdict and its evidence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"

#define CASE_TIMEOUT 30

static const char *
config(const atf_tc_t *tc, const char *name, const char *fallback)
{
	return atf_tc_has_config_var(tc, name) ? atf_tc_get_config_var(tc, name) : fallback;
}

void
conf_case_head(atf_tc_t *tc, const struct conf_case *c)
{
	atf_tc_set_md_var(tc, "descr", "%s", c->title);
	/* Kyua drops to its unprivileged_user: sandbox tests as root prove little. */
	atf_tc_set_md_var(tc, "require.user", "unprivileged");
	atf_tc_set_md_var(tc, "timeout", "60");
}

static void
make_dirs(struct conf_vars *v, const char *probe)
{
	char cwd[256];

	/* Kyua's work directory is private to this case and owned by its user. */
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		atf_tc_fail("getcwd: %s", strerror(errno));
	if (snprintf(v->tmp, sizeof(v->tmp), "%s/case", cwd) >= (int)sizeof(v->tmp) ||
	    snprintf(v->ws, sizeof(v->ws), "%s/ws", v->tmp) >= (int)sizeof(v->ws) ||
	    snprintf(v->home, sizeof(v->home), "%s/home", v->tmp) >= (int)sizeof(v->home) ||
	    snprintf(v->out, sizeof(v->out), "%s/out", v->tmp) >= (int)sizeof(v->out) ||
	    snprintf(v->probe, sizeof(v->probe), "%s", probe) >= (int)sizeof(v->probe) ||
	    snprintf(v->probedir, sizeof(v->probedir), "%s", probe) >= (int)sizeof(v->probedir))
		atf_tc_fail("work directory path too long: %s", cwd);
	*strrchr(v->probedir, '/') = '\0';
	if (mkdir(v->tmp, 0755) < 0 || mkdir(v->ws, 0755) < 0 || mkdir(v->home, 0755) < 0 ||
	    mkdir(v->out, 0755) < 0)
		atf_tc_fail("creating the case directories: %s", strerror(errno));
}

/* adapter run --profile JSON --cwd DIR -- COMMAND... */
static char **
adapter_argv(const char *adapter, const char *profile, const char *cwd, char *const *cmd)
{
	size_t n = 0;
	char **argv;

	while (cmd[n] != NULL)
		n++;
	argv = calloc(n + 8, sizeof(char *));
	if (argv == NULL)
		atf_tc_fail("out of memory");
	argv[0] = (char *)adapter;
	argv[1] = (char *)"run";
	argv[2] = (char *)"--profile";
	argv[3] = (char *)profile;
	argv[4] = (char *)"--cwd";
	argv[5] = (char *)cwd;
	argv[6] = (char *)"--";
	for (size_t i = 0; i < n; i++)
		argv[7 + i] = cmd[i];
	return argv;
}

static void
push_env(char ***env, size_t *n, char *s)
{
	*env = realloc(*env, (*n + 2) * sizeof(char *));
	if (*env == NULL)
		atf_tc_fail("out of memory");
	(*env)[(*n)++] = s;
	(*env)[*n] = NULL;
}

static char *
dupf(const char *name, const char *val)
{
	char *s;

	if (asprintf(&s, "%s=%s", name, val) < 0)
		atf_tc_fail("out of memory");
	return s;
}

/* The adapter's environment: a fixed PATH, the simple profile form, the case's own. */
static char **
adapter_env(const atf_tc_t *tc, const char *const *case_env, const char *profile,
    const struct conf_vars *v)
{
	char **env = NULL, **simple = NULL, err[256];
	size_t n = 0;
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	bool case_path = false;

	for (size_t i = 0; case_env != NULL && case_env[i] != NULL; i++) {
		char *e = conf_subst(case_env[i], v);

		case_path = case_path || strncmp(e, "PATH=", 5) == 0;
		push_env(&env, &n, e);
	}
	if (!case_path)
		push_env(&env, &n, dupf("PATH", config(tc, "path", path)));
	push_env(&env, &n, dupf("HOME", v->home));
	push_env(&env, &n, dupf("TMPDIR", v->tmp));
	push_env(&env, &n, dupf("LANG", "C"));
	push_env(&env, &n, dupf("CONF_WS", v->ws));
	push_env(&env, &n, dupf("CORDON_BIN", config(tc, "cordon", "")));
	push_env(&env, &n, dupf("CORDON_CACHE", config(tc, "cache", "")));
	push_env(&env, &n, dupf("CORDON_BWRAP", config(tc, "bwrap", "")));
	/* CONF_CAREFUL=1 scripts/conformance: cordon launches the careful way every time. */
	if (config(tc, "careful", NULL) != NULL)
		push_env(&env, &n, dupf("CORDON_CAREFUL", "1"));
	/* scripts/repro: adapters that can print their plan write it there. */
	if (config(tc, "explain", NULL) != NULL)
		push_env(&env, &n, dupf("CONF_EXPLAIN_DIR", config(tc, "explain", NULL)));
	/* Sanitized builds of cordon and the probe need their runtime settings. */
	for (size_t i = 0; i < 2; i++) {
		const char *name = i == 0 ? "ASAN_OPTIONS" : "UBSAN_OPTIONS";

		if (getenv(name) != NULL)
			push_env(&env, &n, dupf(name, getenv(name)));
	}
	if (conf_simple_env(profile, &simple, err, sizeof(err)) < 0)
		atf_tc_fail("%s", err);
	for (size_t i = 0; simple[i] != NULL; i++)
		push_env(&env, &n, simple[i]);
	free(simple);
	return env;
}

static void
finish(const atf_tc_t *tc, const struct conf_case *c, const char *sut, const char *xfail,
    int verdict, const char *why, double seconds)
{
	const char *dir = config(tc, "results_dir", NULL);
	const char *outcome;

	if (verdict < 0)
		outcome = "skip";
	else if (xfail != NULL)
		outcome = verdict ? "fail" : "xfail";	/* an expected failure that passed is news */
	else
		outcome = verdict ? "pass" : "fail";
	conf_write_result(dir, c, sut, outcome, why, seconds);
	printf("EVIDENCE %s\n", why);
	if (verdict < 0)
		atf_tc_skip("%s", why);
	/* Under expect_fail, a body that does not fail is reported by ATF as a failure. */
	if (xfail != NULL)
		atf_tc_expect_fail("%s", xfail);
	if (!verdict)
		atf_tc_fail("%s", why);
}

const char *
conf_sut(const atf_tc_t *tc)
{
	return config(tc, "sut", "cordon");
}

int
conf_invoke(const atf_tc_t *tc, const char *profile, const char *cwd, char *const *cmd,
    const char *const *case_env, const struct conf_vars *v, struct conf_output *o)
{
	const char *adapters = config(tc, "adapters", CONF_ADAPTERS_DIR);
	char adapter[512], **argv, **env;
	int r;

	snprintf(adapter, sizeof(adapter), "%s/%s", adapters, conf_sut(tc));
	if (access(adapter, X_OK) < 0)
		atf_tc_fail("no adapter %s: %s", adapter, strerror(errno));
	argv = adapter_argv(adapter, profile, cwd, cmd);
	env = adapter_env(tc, case_env, profile, v);
	r = conf_spawn(argv, env, cwd, CASE_TIMEOUT, o);
	free(argv);
	for (size_t i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
	return r;
}

void
conf_make_dirs(const atf_tc_t *tc, struct conf_vars *v)
{
	make_dirs(v, config(tc, "probe", CONF_PROBE));
}

/* The case's command: the probe and its arguments, or the command to run. */
static char **
case_command(const struct conf_case *c, const struct conf_vars *v)
{
	size_t n = 0, k = 0;
	char **cmd;

	while (c->argv[n] != NULL)
		n++;
	cmd = calloc(n + 2, sizeof(char *));
	if (cmd == NULL)
		atf_tc_fail("out of memory");
	if (c->is_probe)
		cmd[k++] = strdup(v->probe);
	for (size_t i = 0; i < n; i++)
		cmd[k++] = conf_subst(c->argv[i], v);
	return cmd;
}

void
conf_case_body(const atf_tc_t *tc, const struct conf_case *c)
{
	const char *sut = conf_sut(tc);
	const char *unmet = conf_unmet(c->requires, sut), *xfail;
	struct conf_vars v = { 0 };
	struct conf_listeners l;
	struct conf_output o;
	char err[512], why[1024], *profile, *cwd, **cmd, *expect;
	int verdict;

	if (unmet != NULL) {
		conf_write_result(config(tc, "results_dir", NULL), c, sut, "skip", unmet, 0);
		atf_tc_skip("%s", unmet);
	}
	conf_make_dirs(tc, &v);
	if (conf_setup(c->setup, &v, err, sizeof(err)) < 0)
		atf_tc_fail("%s", err);
	if (conf_listen(c->listen, &v, &l, err, sizeof(err)) < 0)
		atf_tc_fail("%s", err);
	profile = conf_subst(c->policy, &v);
	cwd = c->cwd ? conf_subst(c->cwd, &v) : strdup(v.ws);
	if (cwd != NULL && cwd[0] != '/') {
		char *abs;

		if (asprintf(&abs, "%s/%s", v.ws, cwd) < 0)
			atf_tc_fail("out of memory");
		free(cwd);
		cwd = abs;
	}
	cmd = case_command(c, &v);
	printf("CASE %s (%s) sut=%s\nPROFILE %s\n", c->id, c->title, sut, profile);
	if (conf_invoke(tc, profile, cwd, cmd, c->env, &v, &o) < 0)
		atf_tc_fail("cannot run the adapter: %s", strerror(errno));
	conf_listeners_close(&l);
	printf("OUTPUT\n%s\n", o.text);
	expect = conf_subst(c->expect, &v);
	verdict = conf_judge(expect, c->is_probe, &o, why, sizeof(why));
	xfail = conf_xfail(c->xfail, sut);
	finish(tc, c, sut, xfail, verdict, why, o.seconds);
}
