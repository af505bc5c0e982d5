/* cordon explain: the whole plan, as text or JSON, without running anything. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decide.h"
#include "explain.h"
#include "filter.h"
#include "landlock.h"
#include "legacy_summary.h"
#include "sandbox.h"
#include "sigpass.h"
#include "stdio_guard.h"
#include "truncate_guard.h"

static void
print_features(const struct bwrap_features *f, FILE *out)
{
	const char *names[32];
	bool vals[32];
	size_t n = bwrap_feature_list(f, names, vals, 32);

	fprintf(out, "bwrap features:");
	for (size_t i = 0; i < n; i++)
		fprintf(out, " %s%s", vals[i] ? "+" : "-", names[i]);
	fputc('\n', out);
}

static void
print_proxy(const struct proxy_plan *pp, FILE *out)
{
	fprintf(out, "network: proxy only (a private network namespace: lo and a forwarder "
	    "per endpoint, nothing else)\n");
	fprintf(out, "proxy sockets: %s (0700, made at run time with this process's pid, bound "
	    "read-only, removed afterwards)\n", pp->dir);
	for (size_t i = 0; i < pp->nep; i++) {
		const struct proxy_endpoint *ep = &pp->ep[i];

		fprintf(out, "proxy endpoint %zu: %s%s%s:%u via route-%zu.sock\n", i,
		    ep->family == AF_INET6 ? "[" : "", ep->host, ep->family == AF_INET6 ? "]" : "",
		    ep->port, i);
	}
	for (size_t i = 0; i < pp->nroutes; i++)
		fprintf(out, "proxy variable %s: %s endpoint %zu, rewritten to its listener on "
		    "127.0.0.1 inside\n", pp->routes[i].env_key, pp->set_env ? "set to" : "routed to",
		    pp->routes[i].endpoint);
}

static json_t *
proxy_json(const struct proxy_plan *pp)
{
	json_t *eps = json_array(), *vars = json_array();

	for (size_t i = 0; i < pp->nep; i++) {
		char *sock = proxy_socket_path(pp->dir, i);

		json_array_append_new(eps, json_pack("{s:s, s:i, s:s}", "host", pp->ep[i].host,
		    "port", (int)pp->ep[i].port, "socket", sock));
		free(sock);
	}
	for (size_t i = 0; i < pp->nroutes; i++)
		json_array_append_new(vars, json_pack("{s:s, s:i}", "name", pp->routes[i].env_key,
		    "endpoint", (int)pp->routes[i].endpoint));
	return json_pack("{s:s, s:s, s:b, s:o, s:o}", "network_namespace", "private",
	    "socket_dir", pp->dir, "sets_variables", pp->set_env, "endpoints", eps,
	    "variables", vars);
}

/* The legacy pipeline: what its init mounts, and what that gives on this machine. */
static void
print_legacy(const struct invocation *inv, const struct prepared *pr, FILE *out)
{
	struct strv gives = { 0 }, lacks = { 0 };
	/* Found by sandbox_prepare (legacy_env_here): printing asks the system nothing. */
	struct legacy_env e = pr->legacy_env;

	fprintf(out, "legacy view (cordon's init, in new user, mount, PID and IPC namespaces%s):\n",
	    pr->rules.network ? "" : " and a network one");
	for (size_t i = 0; i < pr->lview.n; i++) {
		const struct legacy_step *s = &pr->lview.s[i];

		fprintf(out, "  %-9s %s  [%s", legacy_op_name(s->op), s->path, s->why);
		if (s->op == LV_EMPTY_DIR)
			fprintf(out, ", mode %03o", s->mode);
		fprintf(out, "]\n");
	}
	fprintf(out, "  then every other mount read-only, nosuid, nodev; %s; a private /dev\n",
	    inv->no_proc ? "the enclosing /proc (--no-proc)" : e.proc ? "a fresh /proc" :
	    "the enclosing /proc (a fresh one cannot be mounted here)");
	fprintf(out, "legacy here: Landlock ABI %d; user namespaces: %s; a fresh /proc: %s\n",
	    e.abi, e.userns ? "yes" : "no, so cordon run refuses", !e.userns ? "not tried" :
	    e.proc ? "yes" : "no");
	legacy_summary(&e, &gives, &lacks);
	for (size_t i = 0; i < gives.n; i++)
		fprintf(out, "legacy gives: %s\n", gives.v[i]);
	for (size_t i = 0; i < lacks.n; i++)
		fprintf(out, "legacy does not give: %s\n", lacks.v[i]);
	strv_free(&gives);
	strv_free(&lacks);
}

static json_t *
strv_json(const struct strv *sv);

static json_t *
legacy_json(const struct invocation *inv, const struct prepared *pr)
{
	struct strv gives = { 0 }, lacks = { 0 };
	json_t *view = json_array(), *o;
	/* Found by sandbox_prepare (legacy_env_here): printing asks the system nothing. */
	struct legacy_env e = pr->legacy_env;

	for (size_t i = 0; i < pr->lview.n; i++) {
		const struct legacy_step *s = &pr->lview.s[i];

		json_array_append_new(view, json_pack("{s:s, s:s, s:i, s:s}", "op",
		    legacy_op_name(s->op), "path", s->path, "mode", (int)s->mode, "why", s->why));
	}
	legacy_summary(&e, &gives, &lacks);
	o = json_pack("{s:o, s:i, s:b, s:b, s:o, s:o}", "view", view, "landlock_abi", e.abi,
	    "user_namespaces", e.userns, "fresh_proc", e.proc && !inv->no_proc,
	    "gives", strv_json(&gives), "lacks", strv_json(&lacks));
	strv_free(&gives);
	strv_free(&lacks);
	return o;
}

static void
print_rules(const struct rules *rs, FILE *out)
{
	fprintf(out, "rules (most specific wins; no rule means deny):\n");
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];

		fprintf(out, "  %-5s %s  [%s%s]", access_name(r->access), r->path, r->why,
		    r->skip_missing ? ", skip if missing" : "");
		if (strcmp(r->path, r->logical) != 0)
			fprintf(out, "  (named %s)", r->logical);
		fputc('\n', out);
	}
}

/* What cordon run hides by default, and how to let it through; nothing for the helper. */
static void
print_secrets(const struct invocation *inv, const struct rules *rs, FILE *out)
{
	size_t n = 0;

	if (!inv->people)
		return;
	if (inv->allow_secrets) {
		fprintf(out, "secrets: let through (--allow-secrets)\n");
		return;
	}
	if (inv->home == NULL) {
		fprintf(out, "secrets: none hidden: no home directory ($HOME unset, none in "
		    "/etc/passwd)\n");
		return;
	}
	fprintf(out, "secrets: hidden (cordon run's default; --allow-secrets lets them through):");
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].why, "secret") == 0)
			fprintf(out, "%s %s", n++ == 0 ? "" : ",", rs->r[i].logical);
	fprintf(out, "%s\n", n == 0 ? rs->full_write ? " none: the policy confines nothing" :
	    " none of the known stores is here" : "");
}

static json_t *
secrets_json(const struct invocation *inv, const struct rules *rs)
{
	json_t *hidden = json_array();

	if (!inv->people)
		return json_null();
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].why, "secret") == 0)
			json_array_append_new(hidden, json_string(rs->r[i].logical));
	return json_pack("{s:b, s:o}", "allowed", inv->allow_secrets, "hidden", hidden);
}

void
explain_print_refused(const struct invocation *inv, const struct prepared *pr,
    const char *why, FILE *out)
{
	if (pr->have_rules)
		fprintf(out, "pipeline: %s\n", pipeline_name(
		    decide_pipeline_for(&pr->rules, inv->proxy)));
	else
		fprintf(out, "pipeline: none (the policy did not resolve)\n");
	fprintf(out, "refused: %s\n", why);
	if (pr->reason != NULL)
		fprintf(out, "why: %s\n", pr->reason);
	fprintf(out, "policy cwd: %s\n", inv->policy_cwd);
	fprintf(out, "command cwd: %s\n", inv->command_cwd);
	if (pr->have_rules) {
		fprintf(out, "network: %s\n", inv->proxy ? "proxy only" :
		    pr->rules.network ? "on" : "off");
		print_rules(&pr->rules, out);
	}
	if (pr->have_bwrap)
		fprintf(out, "bwrap: %s (%s)\n", pr->bwrap.path,
		    pr->bwrap.version ? pr->bwrap.version : "version unknown");
	fprintf(out, "argv: none: cordon run and the helper refuse this plan, and run nothing\n");
}

void
explain_print(const struct invocation *inv, const struct prepared *pr, FILE *out)
{
	struct strv rules = { 0 };

	fprintf(out, "pipeline: %s\n", pipeline_name(pr->plan.pipeline));
	if (pr->plan.oversize) {
		char why[512];

		plan_oversize_why(&pr->plan, why, sizeof(why));
		fprintf(out, "refused: %s; cordon run and the helper refuse it\n", why);
	}
	for (size_t i = 0; i < pr->cautions.n; i++)
		fprintf(out, "warning: cordon run would refuse to start this: %s\n",
		    pr->cautions.v[i]);
	fprintf(out, "why: %s\n", pr->reason);
	fprintf(out, "policy cwd: %s\n", inv->policy_cwd);
	fprintf(out, "command cwd: %s\n", inv->command_cwd);
	for (size_t i = 0; i < inv->env_ops.n; i++) {
		const char *op = inv->env_ops.v[i];

		fprintf(out, "environment: %s%s\n", op[0] == 'c' ? "cleared" : op[0] == 's' ?
		    "set " : "unset ", op + 1);
	}
	if (inv->timeout > 0)
		fprintf(out, "timeout: %g s: then SIGTERM to the command, SIGKILL to the sandbox %d s "
		    "later, and exit %d\n", inv->timeout, SIGKILL_GRACE, EXIT_TIMEOUT);
	if (pr->have_proxy)
		print_proxy(&pr->proxy, out);
	if (pr->have_proxy && inv->transparent_tcp)
		fprintf(out, "transparent TCP: every connect() to an address outside lo on a TCP "
		    "socket goes through the first SOCKS5 variable's forwarder (a CONNECT to that "
		    "address); UDP and names reach nothing\n");
	if (!pr->have_proxy)
		fprintf(out, "network: %s\n", pr->rules.network ? "on" : "off");
	if (pr->plan.pipeline == PIPELINE_BWRAP) {
		fprintf(out, "bwrap: %s (%s)\n", pr->bwrap.path,
		    pr->bwrap.version ? pr->bwrap.version : "version unknown");
		print_features(&pr->bwrap.feat, out);
		fprintf(out, "launch: %s: %s\n", launch_mode_name(pr->plan.launch), pr->launch_why);
	}
	print_rules(&pr->rules, out);
	print_secrets(inv, &pr->rules, out);
	if (pr->plan.pipeline == PIPELINE_LANDLOCK)
		print_legacy(inv, pr, out);
	for (size_t i = 0; i < pr->plan.ntargets; i++)
		fprintf(out, "mount point cordon makes if missing: %s (%s, removed afterwards)\n",
		    pr->plan.targets[i].path, pr->plan.targets[i].dir ? "directory" : "file");
	if (pr->plan.pipeline == PIPELINE_BWRAP)
		fprintf(out, "landlock: %s\n", landlock_layer_summary(pr->plan.landlock_abi));
	fprintf(out, "seccomp: %s\n", seccomp_mode_name(pr->plan.seccomp));
	filter_describe(pr->plan.seccomp, &rules);
	if (pr->plan.pipeline == PIPELINE_LANDLOCK && pr->landlock_abi < 3)
		truncate_guard_describe(&rules);
	for (size_t i = 0; i < rules.n; i++)
		fprintf(out, "  %s\n", rules.v[i]);
	strv_free(&rules);
	/* The descriptors explain was given stand in for the command's (stdio_guard.h). */
	if (pr->plan.pipeline == PIPELINE_BWRAP || pr->plan.pipeline == PIPELINE_LANDLOCK)
		stdio_guard_explain(out);
	if (pr->plan.pipeline != PIPELINE_BWRAP)
		return;
	{
		struct strv d = { 0 };

		if (pr->plan.launch != LAUNCH_CAREFUL && pr->plan.seccomp_fd >= 0)
			strv_pushf(&d, "%d seccomp program", pr->plan.seccomp_fd);
		if (pr->plan.launch == LAUNCH_CAREFUL)
			strv_pushf(&d, "%d caller's stderr, %d ready pipe", pr->plan.stderr_fd,
			    pr->plan.ready_fd);
		if (pr->plan.ndata > 0)
			strv_pushf(&d, "%d-%d /dev/null for --ro-bind-data", pr->plan.data_fd0,
			    pr->plan.data_fd0 + pr->plan.ndata - 1);
		if (pr->plan.info_fd >= 0)
			strv_pushf(&d, "%d the sandbox's pid from bwrap", pr->plan.info_fd);
		fprintf(out, "descriptors:%s", d.n == 0 ? " none of cordon's" : "");
		for (size_t i = 0; i < d.n; i++)
			fprintf(out, "%s %s", i == 0 ? "" : ",", d.v[i]);
		strv_free(&d);
	}
	fprintf(out, "\nargv:\n");
	for (size_t i = 0; i < pr->plan.argv.n; i++)
		fprintf(out, "%s\n", pr->plan.argv.v[i]);
}

static json_t *
strv_json(const struct strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static json_t *
rules_json(const struct rules *rs)
{
	json_t *a = json_array();

	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:b}",
		    "path", r->path, "named", r->logical, "access", access_name(r->access),
		    "origin", r->why, "skip_missing", r->skip_missing));
	}
	return a;
}

void
explain_print_refused_json(const struct invocation *inv, const struct prepared *pr,
    const char *why, FILE *out)
{
	json_t *o = json_object();

	json_object_set_new(o, "pipeline", pr->have_rules ? json_string(pipeline_name(
	    decide_pipeline_for(&pr->rules, inv->proxy))) : json_null());
	json_object_set_new(o, "refused", json_string(why));
	json_object_set_new(o, "why", pr->reason ? json_string(pr->reason) : json_null());
	json_object_set_new(o, "policy_cwd", json_string(inv->policy_cwd));
	json_object_set_new(o, "command_cwd", json_string(inv->command_cwd));
	if (pr->have_rules) {
		json_object_set_new(o, "network", json_boolean(pr->rules.network && !inv->proxy));
		json_object_set_new(o, "rules", rules_json(&pr->rules));
	} else {
		json_object_set_new(o, "rules", json_null());
	}
	if (pr->have_bwrap)
		json_object_set_new(o, "bwrap", json_pack("{s:s, s:o}", "path", pr->bwrap.path,
		    "version", pr->bwrap.version ? json_string(pr->bwrap.version) : json_null()));
	json_object_set_new(o, "argv", json_null());
	json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
}

void
explain_print_json(const struct invocation *inv, const struct prepared *pr, FILE *out)
{
	json_t *o = json_object(), *targets = json_array();
	struct strv srules = { 0 };

	json_object_set_new(o, "pipeline", json_string(pipeline_name(pr->plan.pipeline)));
	if (pr->plan.oversize) {
		char why[512];

		plan_oversize_why(&pr->plan, why, sizeof(why));
		json_object_set_new(o, "refused", json_string(why));
	} else {
		json_object_set_new(o, "refused", json_null());
	}
	json_object_set_new(o, "warnings", strv_json(&pr->cautions));
	json_object_set_new(o, "why", json_string(pr->reason));
	json_object_set_new(o, "policy_cwd", json_string(inv->policy_cwd));
	json_object_set_new(o, "command_cwd", json_string(inv->command_cwd));
	json_object_set_new(o, "timeout", inv->timeout > 0 ? json_real(inv->timeout) : json_null());
	{
		json_t *env = json_array();

		for (size_t i = 0; i < inv->env_ops.n; i++) {
			const char *op = inv->env_ops.v[i];

			json_array_append_new(env, op[0] == 'c' ? json_pack("{s:s}", "op", "clear") :
			    json_pack("{s:s, s:s}", "op", op[0] == 's' ? "set" : "unset", op[0] == 's' ?
			    "assignment" : "name", op + 1));
		}
		json_object_set_new(o, "environment", env);
	}
	json_object_set_new(o, "network", json_boolean(pr->rules.network && !pr->have_proxy));
	if (pr->have_proxy) {
		json_object_set_new(o, "proxy", proxy_json(&pr->proxy));
		json_object_set_new(o, "transparent_tcp", json_boolean(inv->transparent_tcp));
	}
	if (pr->plan.pipeline == PIPELINE_BWRAP) {
		json_t *b = json_object(), *feat = json_object();
		const char *names[32];
		bool vals[32];
		size_t n = bwrap_feature_list(&pr->bwrap.feat, names, vals, 32);

		for (size_t i = 0; i < n; i++)
			json_object_set_new(feat, names[i], json_boolean(vals[i]));
		json_object_set_new(b, "path", json_string(pr->bwrap.path));
		json_object_set_new(b, "version", pr->bwrap.version ?
		    json_string(pr->bwrap.version) : json_null());
		json_object_set_new(b, "features", feat);
		json_object_set_new(o, "bwrap", b);
		json_object_set_new(o, "launch", json_pack("{s:s, s:s}", "mode",
		    launch_mode_name(pr->plan.launch), "why", pr->launch_why));
		json_object_set_new(o, "argv", strv_json(&pr->plan.argv));
	}
	json_object_set_new(o, "rules", rules_json(&pr->rules));
	for (size_t i = 0; i < pr->plan.ntargets; i++)
		json_array_append_new(targets, json_pack("{s:s, s:s}", "path",
		    pr->plan.targets[i].path, "type", pr->plan.targets[i].dir ? "dir" : "file"));
	json_object_set_new(o, "mount_targets", targets);
	json_object_set_new(o, "secrets", secrets_json(inv, &pr->rules));
	if (pr->plan.pipeline == PIPELINE_LANDLOCK)
		json_object_set_new(o, "legacy", legacy_json(inv, pr));
	if (pr->plan.pipeline == PIPELINE_BWRAP)
		json_object_set_new(o, "landlock", json_pack("{s:i, s:s}", "abi",
		    pr->plan.landlock_abi, "summary", landlock_layer_summary(pr->plan.landlock_abi)));
	filter_describe(pr->plan.seccomp, &srules);
	json_object_set_new(o, "seccomp", json_pack("{s:s, s:o}", "mode",
	    seccomp_mode_name(pr->plan.seccomp), "rules", strv_json(&srules)));
	strv_free(&srules);
	json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
}

static void
put_word(FILE *out, const char *w, bool first)
{
	char *q = shell_quote(w);

	fprintf(out, "%s%s", first ? "" : " ", q);
	free(q);
}

int
explain_print_argv_line(const struct invocation *inv, const struct prepared *pr, FILE *out)
{
	const struct plan *p = &pr->plan;

	(void)inv;
	if (p->pipeline != PIPELINE_BWRAP) {
		warnx_("explain --argv-line: this plan runs no bwrap (pipeline: %s)",
		    pipeline_name(p->pipeline));
		return EXIT_POLICY;
	}
	if (p->oversize) {
		char why[512];

		plan_oversize_why(p, why, sizeof(why));
		warnx_("explain --argv-line: %s", why);
		return EXIT_POLICY;
	}
	for (size_t i = 0; i < pr->cautions.n; i++)
		warnx_("warning: cordon run would refuse to start this: %s", pr->cautions.v[i]);
	/* The bundled bwrap is cordon's own: "cordon bwrap" runs it. */
	if (pr->bwrap.vendored) {
		put_word(out, pr->self, true);
		put_word(out, "bwrap", false);
	} else {
		put_word(out, pr->bwrap.path, true);
	}
	for (size_t i = 1; i < p->argv.n; i++)
		put_word(out, p->argv.v[i], false);
	/* The descriptors the plan numbered: the caller's stderr, the ready pipe, empty files. */
	if (p->stderr_fd >= 0)
		fprintf(out, " %d>&2", p->stderr_fd);
	if (p->ready_fd >= 0)
		fprintf(out, " %d>/dev/null", p->ready_fd);
	for (int i = 0; i < p->ndata; i++)
		fprintf(out, " %d</dev/null", p->data_fd0 + i);
	if (p->info_fd >= 0)
		fprintf(out, " %d>/dev/null", p->info_fd);
	fputc('\n', out);
	return 0;
}
