/*
 * One case, start to finish: requirements, a private directory tree, the
 * set-up, listeners and stdio, the steps, the judged adapter call, the
 * host-side checks, the verdict and its evidence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

#define CASE_TIMEOUT 30

static const char *
config(const atf_tc_t *tc, const char *name, const char *fallback)
{
	return atf_tc_has_config_var(tc, name) ? atf_tc_get_config_var(tc, name) : fallback;
}

static size_t
count_steps(const struct conf_step *steps)
{
	size_t n = 0;

	while (steps != NULL && steps[n].kind != CONF_STEP_END)
		n++;
	return n;
}

static bool
caller_root(const char *const *requires)
{
	for (size_t i = 0; requires != NULL && requires[i] != NULL; i++)
		if (strcmp(requires[i], "caller root") == 0)
			return true;
	return false;
}

void
conf_case_head(atf_tc_t *tc, const struct conf_case *c)
{
	atf_tc_set_md_var(tc, "descr", "%s", c->title);
	/*
	 * Kyua drops to its unprivileged_user: sandbox tests as root prove
	 * little.  A case that requires "caller root" judges what a root
	 * caller (an agent in a container) hands the command.
	 */
	atf_tc_set_md_var(tc, "require.user", "%s",
	    caller_root(c->requires) ? "root" : "unprivileged");
	/* Each step may take a launch's whole time-out. */
	atf_tc_set_md_var(tc, "timeout", "%zu", 60 + count_steps(c->steps) * (CASE_TIMEOUT + 10));
}

static void
make_dirs(struct conf_vars *v, const char *probe)
{
	char cwd[256];

	snprintf(v->uid, sizeof(v->uid), "%u", (unsigned)getuid());
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
	const char *at = strchr(conf_sut(tc), '@');
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
	/* A SUT "codex@0.171.0": the adapter runs that release (a bare name: its default). */
	push_env(&env, &n, dupf("CONF_SUT", conf_sut(tc)));
	push_env(&env, &n, dupf("CONF_SUT_VERSION", at != NULL ? at + 1 : ""));
	push_env(&env, &n, dupf("CORDON_BIN", config(tc, "cordon", "")));
	push_env(&env, &n, dupf("CORDON_CACHE", config(tc, "cache", "")));
	push_env(&env, &n, dupf("CORDON_BWRAP", config(tc, "bwrap", "")));
	/* CONF_CAREFUL=1 scripts/conformance: cordon launches the careful way every time. */
	if (config(tc, "careful", NULL) != NULL)
		push_env(&env, &n, dupf("CORDON_CAREFUL", "1"));
	/* CONF_LEGACY=1 scripts/conformance: the cordon adapter asks for legacy Landlock. */
	if (config(tc, "legacy", NULL) != NULL)
		push_env(&env, &n, dupf("CORDON_LEGACY", "1"));
	/* CONF_NO_LANDLOCK=1 scripts/conformance: cordon as on a kernel without Landlock. */
	if (config(tc, "no_landlock", NULL) != NULL)
		push_env(&env, &n, dupf("CONF_NO_LANDLOCK", "1"));
	/* A mutant build of cordon (make mutants) with one defence switched off. */
	if (config(tc, "mutant", NULL) != NULL)
		push_env(&env, &n, dupf("CORDON_MUTANT", config(tc, "mutant", NULL)));
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
	return conf_invoke_io(tc, profile, cwd, cmd, case_env, v, NULL, o);
}

int
conf_invoke_io(const atf_tc_t *tc, const char *profile, const char *cwd, char *const *cmd,
    const char *const *case_env, const struct conf_vars *v, const struct conf_io *io,
    struct conf_output *o)
{
	const char *adapters = config(tc, "adapters", CONF_ADAPTERS_DIR);
	char adapter[512], **argv, **env;
	int r;

	/* A SUT "name@version" runs adapter "name", told the version in CONF_SUT_VERSION. */
	snprintf(adapter, sizeof(adapter), "%s/%.*s", adapters, (int)strcspn(conf_sut(tc), "@"),
	    conf_sut(tc));
	if (access(adapter, X_OK) < 0)
		atf_tc_fail("no adapter %s: %s", adapter, strerror(errno));
	argv = adapter_argv(adapter, profile, cwd, cmd);
	env = adapter_env(tc, case_env, profile, v);
	r = conf_spawn_io(argv, env, cwd, CASE_TIMEOUT, io, o);
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

/* A launch's command: the probe and its arguments, or the command to run. */
static char **
command(int is_probe, const char *const *argv, const struct conf_vars *v)
{
	size_t n = 0, k = 0;
	char **cmd;

	while (argv[n] != NULL)
		n++;
	cmd = calloc(n + 2, sizeof(char *));
	if (cmd == NULL)
		atf_tc_fail("out of memory");
	if (is_probe)
		cmd[k++] = strdup(v->probe);
	for (size_t i = 0; i < n; i++)
		cmd[k++] = conf_subst(argv[i], v);
	return cmd;
}

static void
free_strv(char **v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* One case's state across its launches. */
struct run {
	const atf_tc_t *tc;
	const struct conf_case *c;
	struct conf_vars v;
	struct conf_listeners l;
	struct conf_stdio stdio;
	struct conf_tty tty;
	char *profile, *cwd;
	struct conf_check *checks;
	struct conf_snap *before, *after;
	size_t nchecks;
	bool baselined;
	pid_t bg[4];		/* background steps, reaped after the judged launch */
	size_t nbg;
};

static size_t
count(const char *const *list)
{
	size_t n = 0;

	while (list != NULL && list[n] != NULL)
		n++;
	return n;
}

static void
take_snaps(struct run *r, struct conf_snap *snaps, size_t fifo_bytes)
{
	struct conf_host h = { &r->tty, fifo_bytes };

	for (size_t i = 0; i < r->nchecks; i++) {
		char *path = conf_case_path(r->checks[i].arg, &r->v);

		if (path == NULL)
			atf_tc_fail("out of memory");
		conf_snap_take(&r->checks[i], path, &h, &snaps[i]);
		free(path);
	}
}

static void
parse_checks(struct run *r)
{
	char err[512];

	r->nchecks = count(r->c->checks);
	r->checks = calloc(r->nchecks + 1, sizeof(*r->checks));
	r->before = calloc(r->nchecks + 1, sizeof(*r->before));
	r->after = calloc(r->nchecks + 1, sizeof(*r->after));
	if (r->checks == NULL || r->before == NULL || r->after == NULL)
		atf_tc_fail("out of memory");
	for (size_t i = 0; i < r->nchecks; i++)
		if (conf_check_parse(r->c->checks[i], &r->checks[i], err, sizeof(err)) < 0)
			atf_tc_fail("%s", err);
}

/* One launch through the adapter; the baselines come right before the first starts. */
static void
launch(struct run *r, int is_probe, const char *const *argv, bool kill, struct conf_output *o)
{
	struct conf_io io, *iop = NULL;
	char **cmd = command(is_probe, argv, &r->v), err[512];

	/* A case without stdio lines launches exactly as it always did. */
	if (r->c->stdio != NULL || kill) {
		if (conf_io_open(&r->stdio, &r->tty, &r->v, &io, err, sizeof(err)) < 0)
			atf_tc_fail("%s", err);
		io.kill = kill;
		iop = &io;
	}
	/* After the stdio opens, which may create a log or a FIFO to check. */
	if (!r->baselined) {
		take_snaps(r, r->before, 0);
		r->baselined = true;
	}
	if (conf_invoke_io(r->tc, r->profile, r->cwd, cmd, r->c->env, &r->v, iop, o) < 0)
		atf_tc_fail("cannot run the adapter: %s", strerror(errno));
	if (iop != NULL)
		conf_io_close(iop);
	free_strv(cmd);
}

static void
first_line(const char *text, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(text, "\n"), text);
}

/* The adapter could not express the case: "SKIP: reason" with exit 77. */
static const char *
adapter_skip(const struct conf_output *o)
{
	const char *skip = strstr(o->text, "SKIP:");

	if (o->status == -1 || !WIFEXITED(o->status) || WEXITSTATUS(o->status) != 77)
		return NULL;
	return skip;
}

/*
 * A background step: a launch in a child of this process, which the case
 * does not wait for; the sandboxes meet through files in the workspace
 * (the probes' ready-wait and go-create).  Its output is printed when it
 * is reaped, after the judged launch, within the launch's time-out.
 */
static int
background(struct run *r, size_t n, const struct conf_step *s, char *why, size_t whylen)
{
	struct conf_output o;
	pid_t pid;

	if (r->nbg == sizeof(r->bg) / sizeof(r->bg[0])) {
		snprintf(why, whylen, "step %zu background: at most %zu", n, r->nbg);
		return 0;
	}
	/* The checks' baselines come before anything the background run does. */
	if (!r->baselined) {
		take_snaps(r, r->before, 0);
		r->baselined = true;
	}
	fflush(stdout);
	if ((pid = fork()) < 0) {
		snprintf(why, whylen, "step %zu background: fork: %s", n, strerror(errno));
		return 0;
	}
	if (pid == 0) {
		launch(r, s->is_probe, s->argv, false, &o);
		printf("STEP %zu OUTPUT (background)\n%s\n", n, o.text);
		fflush(stdout);
		_exit(0);
	}
	r->bg[r->nbg++] = pid;
	return 1;
}

/* The background steps end on their own (each launch has its time-out): wait for them. */
static void
reap_background(struct run *r)
{
	for (size_t i = 0; i < r->nbg; i++)
		while (waitpid(r->bg[i], NULL, 0) < 0 && errno == EINTR)
			;
	r->nbg = 0;
}

/*
 * Run one step: 1 when the case goes on, else the verdict it ends with
 * (0 fail, -1 skip) and why.
 */
static int
step(struct run *r, size_t n, const struct conf_step *s, char *why, size_t whylen)
{
	static const char *const names[] = { "end", "launch", "kill", "host", "background" };
	struct conf_output o;
	char err[512], head[256];
	const char *skip;

	printf("STEP %zu %s%s", n, names[s->kind],
	    s->kind == CONF_STEP_HOST ? "" : s->is_probe ? " probe" : " run");
	for (size_t i = 0; s->argv[i] != NULL; i++)
		printf(strpbrk(s->argv[i], " \t") ? " '%s'" : " %s", s->argv[i]);
	putchar('\n');
	if (s->kind == CONF_STEP_HOST) {
		if (conf_host_step(s->argv, &r->v, err, sizeof(err)) == 0)
			return 1;
		snprintf(why, whylen, "step %zu %s", n, err);
		return 0;
	}
	if (s->kind == CONF_STEP_BACKGROUND)
		return background(r, n, s, why, whylen);
	launch(r, s->is_probe, s->argv, s->kind == CONF_STEP_KILL, &o);
	printf("STEP %zu OUTPUT\n%s\n", n, o.text);
	first_line(o.text, head, sizeof(head));
	if ((skip = adapter_skip(&o)) != NULL) {
		snprintf(why, whylen, "%.*s", (int)strcspn(skip + 5, "\n"), skip + 5);
		free(o.text);
		return -1;
	}
	free(o.text);
	if (s->kind != CONF_STEP_KILL || o.ready)
		return 1;
	if (o.status == -1)
		snprintf(why, whylen, "step %zu kill: no READY line within %d s; output: %s", n,
		    CONF_READY_TIMEOUT, head);
	else
		snprintf(why, whylen, "step %zu kill: ended before any READY line (%s %d); "
		    "output: %s", n, WIFSIGNALED(o.status) ? "signal" : "exit",
		    WIFSIGNALED(o.status) ? WTERMSIG(o.status) : WEXITSTATUS(o.status), head);
	return 0;
}

/* After the judged launch: every check on its snapshots; the first failure's evidence. */
static bool
run_checks(struct run *r, size_t fifo_bytes, char *why, size_t whylen)
{
	char line[1024];
	bool failed = false;

	take_snaps(r, r->after, fifo_bytes);
	for (size_t i = 0; i < r->nchecks; i++) {
		int ok = conf_check_judge(&r->checks[i], &r->before[i], &r->after[i], line,
		    sizeof(line));

		printf("%s\n", line);
		if (!ok && !failed)
			snprintf(why, whylen, "%s", line);
		failed = failed || !ok;
		conf_snap_free(&r->before[i]);
		conf_snap_free(&r->after[i]);
	}
	return failed;
}

static void
prepare(struct run *r)
{
	char err[512];

	conf_make_dirs(r->tc, &r->v);
	if (conf_setup(r->c->setup, &r->v, err, sizeof(err)) < 0)
		atf_tc_fail("%s", err);
	if (conf_listen(r->c->listen, &r->v, &r->l, err, sizeof(err)) < 0)
		atf_tc_fail("%s", err);
	r->profile = conf_subst(r->c->policy, &r->v);
	r->cwd = r->c->cwd ? conf_subst(r->c->cwd, &r->v) : strdup(r->v.ws);
	if (r->cwd != NULL && r->cwd[0] != '/') {
		char *abs;

		if (asprintf(&abs, "%s/%s", r->v.ws, r->cwd) < 0)
			atf_tc_fail("out of memory");
		free(r->cwd);
		r->cwd = abs;
	}
	if (conf_stdio_parse(r->c->stdio, &r->stdio, err, sizeof(err)) < 0)
		atf_tc_fail("%s", err);
	r->tty.master = r->tty.slave = r->tty.victim = -1;
	if (r->stdio.tty && conf_tty_open(&r->tty, r->v.tmp, r->stdio.ctty, err, sizeof(err)) < 0)
		atf_tc_fail("%s", err);
	parse_checks(r);
}

void
conf_case_body(const atf_tc_t *tc, const struct conf_case *c)
{
	const char *sut = conf_sut(tc);
	const char *unmet = conf_unmet(c->requires, sut), *xfail = conf_xfail(c->xfail, sut);
	struct run r = { .tc = tc, .c = c };
	struct conf_output o;
	char why[1024], expect_why[1024], check_why[1024], *expect;
	size_t nsteps = count_steps(c->steps), fifo_bytes;
	bool check_failed = false;
	int verdict;

	if (unmet != NULL) {
		conf_write_result(config(tc, "results_dir", NULL), c, sut, "skip", unmet, 0);
		atf_tc_skip("%s", unmet);
	}
	prepare(&r);
	printf("CASE %s (%s) sut=%s\nPROFILE %s\n", c->id, c->title, sut, r.profile);
	for (size_t i = 0; i < nsteps; i++) {
		if ((verdict = step(&r, i + 1, &c->steps[i], why, sizeof(why))) <= 0) {
			reap_background(&r);
			conf_tty_close(&r.tty);
			finish(tc, c, sut, xfail, verdict, why, 0);
		}
	}
	launch(&r, c->is_probe, c->argv, false, &o);
	/* Before the checks: what a background run's clean-up does is part of them. */
	reap_background(&r);
	fifo_bytes = conf_fifo_drain(&r.l);
	conf_listeners_close(&r.l);
	printf("OUTPUT\n%s\n", o.text);
	expect = conf_subst(c->expect, &r.v);
	verdict = conf_judge(expect, c->is_probe, &o, expect_why, sizeof(expect_why));
	if (verdict >= 0)
		check_failed = run_checks(&r, fifo_bytes, check_why, sizeof(check_why));
	/* The victim is ended only now: its signals were part of the checks. */
	conf_tty_close(&r.tty);
	verdict = conf_verdict(verdict, expect_why, check_failed ? check_why : NULL,
	    verdict >= 0 ? r.nchecks : 0, why, sizeof(why));
	finish(tc, c, sut, xfail, verdict, why, o.seconds);
}
