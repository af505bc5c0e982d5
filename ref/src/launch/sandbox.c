/* Glue: invocation -> rules -> plan -> pipeline. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bwrap_vendored.h"
#include "decide.h"
#include "envops.h"
#include "filter.h"
#include "inner.h"
#include "landlock.h"
#include "legacy_ns.h"
#include "legacy_run.h"
#include "legacy_view.h"
#include "launch.h"
#include "mutant.h"
#include "path.h"
#include "preflight.h"
#include "proxy.h"
#include "sandbox.h"
#include "sigpass.h"
#include "sysprobe.h"
#include "targets.h"
#include "util.h"

/* Descriptors the plan numbers from here: above stdio, below anything likely open. */
#define FIRST_PLAN_FD 3

static char *
self_exe(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	if (strstr(buf, " (deleted)") != NULL)
		return NULL;
	return xstrdup(buf);
}

/* A bwrap under any writable path of the policy could be the sandbox's own plant. */
static bool
bwrap_unsafe(const char *path, const void *ctx)
{
	const struct rules *rs = ctx;
	char *dir = xstrdup(path);
	bool unsafe = rules_effective(rs, path, NULL) == ACCESS_WRITE;

	if (mutant("bwrap-outside-writable-roots"))
		return false;
	while (!unsafe && strcmp(dir, "/") != 0) {
		char *parent = path_parent(dir);

		free(dir);
		dir = parent;
		unsafe = rules_effective(rs, dir, NULL) == ACCESS_WRITE;
	}
	free(dir);
	return unsafe;
}

/* Does a routed variable name a SOCKS5 proxy, the one transparent TCP speaks to? */
static bool
socks5_route(const struct proxy_plan *pp, char *const *envp)
{
	for (size_t i = 0; i < pp->nroutes; i++) {
		size_t klen = strlen(pp->routes[i].env_key);

		for (size_t j = 0; envp[j] != NULL; j++)
			if (strncmp(envp[j], pp->routes[i].env_key, klen) == 0 &&
			    envp[j][klen] == '=' && proxy_value_socks5(envp[j] + klen + 1))
				return true;
	}
	return false;
}

/* Endpoints, the socket directory and the route spec; nothing is created yet. */
static int
prepare_proxy(struct invocation *inv, struct prepared *pr, char *err, size_t errlen)
{
	extern char **environ;
	struct proxy_spec spec;
	int r;

	if (inv->proxies.n > 0)
		r = proxy_plan_from_flags(inv->proxies.v, inv->proxies.n, &pr->proxy, err, errlen);
	else
		r = proxy_plan_from_env(environ, &pr->proxy, err, errlen);
	if (r < 0)
		return -1;
	pr->have_proxy = true;
	if (inv->transparent_tcp && !socks5_route(&pr->proxy, environ) &&
	    !mutant("transparent-tcp-refusal")) {
		snprintf(err, errlen, "--transparent-tcp needs a SOCKS5 proxy among the proxy "
		    "variables (for example ALL_PROXY=socks5h://127.0.0.1:1080)");
		return -1;
	}
	if ((pr->proxy.dir = proxy_dir_choose(err, errlen)) == NULL)
		return -1;
	proxy_spec_from_plan(&pr->proxy, &spec);
	pr->route_spec = proxy_spec_encode(&spec);
	proxy_spec_free(&spec);
	return 0;
}

/*
 * bwrap answers a command it cannot execute with status 1; the inner
 * stage says so in one line and exits 127, as a shell does.  So a command
 * that is no executable file here (looked up as execvp would) keeps the
 * careful launch.  One hidden only inside the sandbox still gets bwrap's 1.
 */
static bool
command_runnable(char *const *cmd, const char *cwd)
{
	struct strv cands = { 0 };
	bool found = false;

	path_exec_candidates(cmd[0], getenv("PATH"), cwd, &cands);
	for (size_t i = 0; i < cands.n && !found; i++) {
		struct stat st;

		found = stat(cands.v[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    access(cands.v[i], X_OK) == 0;
	}
	strv_free(&cands);
	return found;
}

/*
 * cordon run's checks for what bwrap (or the legacy init) would stop on
 * with a raw error: 0, or the status run refuses with and the line in
 * err.  explain notes them instead (pr->cautions) and goes on.
 */
static int
preflight(const struct invocation *inv, struct prepared *pr, const char *ccwd, bool explain,
    char *err, size_t errlen)
{
	char msg[1024];
	int r;

	if (!inv->people)
		return 0;
	r = preflight_cwd(&pr->rules, ccwd, msg, sizeof(msg));
	if (r == 0)
		r = preflight_command(&pr->rules, fsview_host(), inv->command,
		    envops_value(&inv->env_ops, "PATH", getenv("PATH")), ccwd, msg, sizeof(msg));
	if (r == 0 && geteuid() == 0)
		r = preflight_root(&pr->rules, ccwd, msg, sizeof(msg));
	if (r == 0)
		return 0;
	if (explain) {
		strv_push(&pr->cautions, msg);
		return 0;
	}
	snprintf(err, errlen, "%s", msg);
	return r;
}

/* The command's cwd as the resolver sees it, if it is a directory; else why not in err. */
static char *
command_cwd(const struct invocation *inv, char *err, size_t errlen)
{
	char *ccwd = fs_canonical(fsview_host(), inv->command_cwd);
	enum fs_type t = ccwd != NULL ? fs_stat(fsview_host(), ccwd) : FT_MISSING;

	if (t == FT_DIR)
		return ccwd;
	free(ccwd);
	snprintf(err, errlen, "command cwd %s %s", inv->command_cwd, t == FT_MISSING ?
	    "does not exist" : "is not a directory");
	return NULL;
}

/* The policy against the policy cwd and this machine's tree. */
static int
resolve(const struct invocation *inv, struct prepared *pr, char *err, size_t errlen)
{
	char *daemon = xasprintf("/tmp/codex-daemon-%u", (unsigned)geteuid());
	/* What Codex hides in every restricted view: its app-server's sockets, WSL's. */
	const char *const hidden[] = { daemon, "/run/WSL", "/mnt/wslg/distro", NULL };
	struct resolve_ctx rc = { inv->policy_cwd, getenv("TMPDIR"), fsview_host(), hidden };
	int r = rules_resolve(&inv->policy, &rc, &pr->rules, err, errlen);

	free(daemon);
	return r;
}

/* The legacy pipeline: its init's view and cordon run's checks (explain: what it finds here). */
static int
prepare_legacy(const struct invocation *inv, struct prepared *pr, bool explain,
    char *err, size_t errlen)
{
	char *ccwd;
	int r;

	if (legacy_view_build(&pr->rules, fsview_host(), pr->registry, &pr->lview, err, errlen) < 0)
		return EXIT_POLICY;
	/* The parent makes and removes the init's mount points, as for bwrap. */
	pr->plan.targets = pr->lview.targets;
	pr->plan.ntargets = pr->lview.ntargets;
	pr->lview.targets = NULL;
	pr->lview.ntargets = 0;
	if ((ccwd = command_cwd(inv, err, errlen)) == NULL)
		return EXIT_POLICY;
	r = preflight(inv, pr, ccwd, explain, err, errlen);
	free(ccwd);
	if (r == 0 && explain) {
		legacy_env_here(&pr->legacy_env);
		pr->legacy_env.no_proc = inv->no_proc;
		pr->legacy_env.network = pr->rules.network;
	}
	return r;
}

/* The bwrap to plan for: found here, or a release named by --bwrap-version.  0 or a status. */
static int
find_bwrap(const struct invocation *inv, struct prepared *pr, bool explain,
    char *err, size_t errlen)
{
	const struct bwrap_features *f;

	if (inv->bwrap_version == NULL) {
		if (bwrap_choose(&pr->bwrap, bwrap_unsafe, &pr->rules, pr->registry, &pr->warning,
		    err, errlen) < 0)
			return EXIT_POLICY;
		pr->have_bwrap = true;
		if (explain && !pr->bwrap.vendored) {
			char *path = xstrdup(pr->bwrap.path);

			bwrap_info_free(&pr->bwrap);
			bwrap_probe(path, true, &pr->bwrap);
			free(path);
		}
		/*
		 * bwrap's --disable-userns writes max_user_namespaces under
		 * /proc/sys, which containers mount read-only: bwrap would refuse
		 * to start.  The filter denies nested user namespaces by itself.
		 */
		if (pr->bwrap.feat.disable_userns && sysprobe_proc_sys_readonly())
			pr->bwrap.feat.disable_userns = false;
		return 0;
	}
	if ((f = bwrap_features_for_version(inv->bwrap_version)) == NULL) {
		snprintf(err, errlen, "--bwrap-version: \"%s\" is no bubblewrap release "
		    "cordon can plan for (0.4.1 or later, as 0.MINOR or 0.MINOR.PATCH)",
		    inv->bwrap_version);
		return EXIT_USAGE;
	}
	pr->bwrap.feat = *f;
	pr->bwrap.path = xstrdup("bwrap");
	pr->bwrap.version = xasprintf("bubblewrap %s (assumed)", inv->bwrap_version);
	return 0;
}

/* What the launch decision needs to know of this machine (decide.h). */
static void
probe_launch(const struct invocation *inv, const struct prepared *pr, const char *ccwd,
    struct facts *f)
{
	const char *careful = getenv("CORDON_CAREFUL");

	memset(f, 0, sizeof(*f));
	f->landlock_abi = pr->landlock_abi;
	f->careful = careful != NULL && strcmp(careful, "1") == 0;
	f->proc = PROC_UNKNOWN;
	if (pr->have_bwrap && !f->careful)
		f->proc = bwrap_proc_get(pr->registry, bwrap_file(&pr->bwrap));
	/* Asked only where the answer counts: a direct launch without Landlock. */
	f->command_runnable = f->landlock_abi > 0 || f->proc == PROC_UNKNOWN ||
	    command_runnable(inv->command, ccwd);
}

/* The bubblewrap pipeline: bwrap, the launch decision, the plan, cordon run's checks. */
static int
prepare_bwrap(const struct invocation *inv, struct prepared *pr, struct asked *a,
    struct decision *d, bool explain, char *err, size_t errlen)
{
	struct plan_opts po = { 0 };
	struct facts f;
	char *ccwd;
	int r;

	if ((pr->self = self_exe()) == NULL) {
		snprintf(err, errlen, "cannot find cordon's own executable through /proc/self/exe");
		return EXIT_POLICY;
	}
	if ((r = find_bwrap(inv, pr, explain, err, errlen)) != 0)
		return r;
	/* The resolver's remembered answers, not realpath's readlink per component. */
	if ((ccwd = command_cwd(inv, err, errlen)) == NULL)
		return EXIT_POLICY;
	a->bwrap_found = pr->have_bwrap;
	probe_launch(inv, pr, ccwd, &f);
	decide_launch(a, &f, d);
	pr->proc_fails = d->proc_fails;
	pr->launch_why = d->launch_why;
	po.feat = &pr->bwrap.feat;
	po.cwd = ccwd;
	po.mount_proc = d->mount_proc;
	po.direct_ok = d->direct_ok;
	po.landlock_abi = pr->landlock_abi;
	po.self_exe = pr->self;
	/* cordon run passes signals on; the helper becomes bwrap where it can, as Codex's does. */
	po.stay = inv->people;
	po.registry = pr->registry;
	po.first_fd = FIRST_PLAN_FD;
	po.command = inv->command;
	/* explain shows such a plan, and says that it would not run. */
	po.keep_oversize = explain;
	po.proxy = a->proxy;
	if (a->proxy) {
		po.proxy_dir = pr->proxy.dir;
		po.route_spec = pr->route_spec;
		po.transparent_tcp = inv->transparent_tcp;
	}
	r = plan_build(&pr->rules, fsview_host(), &po, &pr->plan, err, errlen);
	if (r == 0)
		r = preflight(inv, pr, ccwd, explain, err, errlen);
	free(ccwd);
	if (r < 0)
		return EXIT_POLICY;
	if (r == 0)
		pr->launch_why = decide_launch_why(a, d, &pr->plan);
	return r;
}

int
sandbox_prepare(struct invocation *inv, struct prepared *pr, bool explain,
    char *err, size_t errlen)
{
	struct asked a = { inv->proxy, inv->legacy_landlock, inv->no_proc, inv->argv_line, false };
	struct decision d;

	memset(pr, 0, sizeof(*pr));
	/* One plan, one view of the tree: nothing remembered from an earlier one. */
	fsview_host_forget();
	pr->registry = targets_registry();
	/* A killed run's mount points go first (explain changes nothing). */
	if (!explain && !mutant("sweep-leftovers"))
		targets_sweep(pr->registry);
	if (inv->proxy && prepare_proxy(inv, pr, err, errlen) < 0)
		return EXIT_POLICY;
	if (resolve(inv, pr, err, errlen) < 0)
		return EXIT_POLICY;
	pr->have_rules = true;
	/* The kernel is asked only where the answer counts: Landlock on bubblewrap, or legacy. */
	if (decide_pipeline_for(&pr->rules, inv->proxy) == PIPELINE_BWRAP)
		pr->landlock_abi = landlock_abi();
	decide_pipeline(&a, &pr->rules, pr->landlock_abi, &d);
	pr->reason = d.reason;
	if (d.refuse) {
		snprintf(err, errlen, "%s", d.reason);
		return EXIT_POLICY;
	}
	switch (d.pipeline) {
	case PIPELINE_UNCONFINED:
	case PIPELINE_SECCOMP:
		pr->plan.pipeline = d.pipeline;
		pr->plan.seccomp = d.seccomp;
		return 0;
	case PIPELINE_LANDLOCK:
		pr->plan.pipeline = d.pipeline;
		pr->plan.seccomp = d.seccomp;
		return prepare_legacy(inv, pr, explain, err, errlen);
	case PIPELINE_BWRAP:
		break;
	}
	return prepare_bwrap(inv, pr, &a, &d, explain, err, errlen);
}

/* Bridges up, bwrap, bridges down; the command never runs if no endpoint answers. */
static int
execute_proxied(struct prepared *pr)
{
	const struct proxy_endpoint *ep = &pr->proxy.ep[0];
	struct proxy_host h;
	char err[512];
	int r;

	if (pr->proxy.set_env) {
		/* The inner stage points these at its listener; here they name the endpoint. */
		char *v = xasprintf("http://%s%s%s:%u", ep->family == AF_INET6 ? "[" : "", ep->host,
		    ep->family == AF_INET6 ? "]" : "", ep->port);

		for (size_t i = 0; proxy_run_keys[i] != NULL; i++)
			setenv(proxy_run_keys[i], v, 1);
		free(v);
	}
	if (proxy_reachable(&pr->proxy, err, sizeof(err)) < 0 ||
	    proxy_host_start(&pr->proxy, &h, err, sizeof(err)) < 0) {
		warnx_("%s", err);
		return EXIT_POLICY;
	}
	r = launch_bwrap(&pr->bwrap, &pr->plan, pr->registry);
	proxy_host_stop(&h);
	return r;
}

/*
 * DIRECT and SECCOMP need no stdio guard: the policy makes the whole disk
 * writable and the command stays in the caller's session, so a file,
 * directory or terminal on 0-2 is one it could open by name.
 */
static void __attribute__((noreturn))
exec_unwrapped(struct invocation *inv, struct prepared *pr)
{
	/* No new namespaces: the caller may be root, so capabilities are expected. */
	if (pr->plan.pipeline == PIPELINE_SECCOMP)
		inner_confine(pr->plan.seccomp, false);
	close_inherited_fds();
	if (chdir(inv->command_cwd) < 0)
		err_(EXIT_POLICY, "chdir %s", inv->command_cwd);
	exec_command(inv->command);
}

/*
 * With a deadline cordon stays: the command is its child (no PID
 * namespace here, so the command and what it leaves in cordon's sight:
 * SIGTERM to it, then SIGKILL).
 */
static int
run_unwrapped(struct invocation *inv, struct prepared *pr)
{
	int wstatus;
	pid_t pid = fork();

	if (pid < 0)
		err_(EXIT_POLICY, "fork");
	if (pid == 0)
		exec_unwrapped(inv, pr);
	sigpass_holder(pid);
	sigpass_target(pid, false);
	sigpass_wait(pid, &wstatus);
	sigpass_end();
	if (sigpass_timed_out())
		return EXIT_TIMEOUT;
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WIFSIGNALED(wstatus) ?
	    128 + WTERMSIG(wstatus) : EXIT_POLICY;
}

int
sandbox_execute(struct invocation *inv, struct prepared *pr)
{
	int r;

	/* The command's environment; cordon has found all it needs in the caller's. */
	envops_apply(&inv->env_ops);
	if (inv->timeout > 0) {
		sigpass_begin();
		sigpass_deadline(inv->timeout);
	}
	switch (pr->plan.pipeline) {
	case PIPELINE_UNCONFINED:
	case PIPELINE_SECCOMP:
		if (inv->timeout > 0)
			return run_unwrapped(inv, pr);
		exec_unwrapped(inv, pr);
	case PIPELINE_LANDLOCK:
		legacy_run(inv, pr);
	case PIPELINE_BWRAP:
		break;
	}
	if (pr->proc_fails)
		launch_warn_no_proc();
	if (pr->have_proxy)
		r = execute_proxied(pr);
	else
		r = launch_bwrap(&pr->bwrap, &pr->plan, pr->registry);
	return sigpass_timed_out() ? EXIT_TIMEOUT : r;
}

void
prepared_free(struct prepared *pr)
{
	rules_free(&pr->rules);
	plan_free(&pr->plan);
	bwrap_info_free(&pr->bwrap);
	free(pr->self);
	free(pr->registry);
	free(pr->warning);
	legacy_view_free(&pr->lview);
	if (pr->have_proxy)
		proxy_plan_free(&pr->proxy);
	free(pr->route_spec);
	strv_free(&pr->cautions);
	memset(pr, 0, sizeof(*pr));
}
