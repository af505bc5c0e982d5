/*
 * One option table for all three command lines.  Parsing stops at the
 * first non-option or "--": everything after it is the command, even when
 * it looks like a flag, so a command named "--bind" stays a command.
 */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "envops.h"
#include "mutant.h"
#include "path.h"
#include "policy_file.h"
#include "proxy.h"
#include "secrets.h"
#include "sigpass.h"
#include "util.h"

enum {
	OPT_POLICY_CWD = 256, OPT_COMMAND_CWD, OPT_PROFILE, OPT_SANDBOX_POLICY, OPT_FS_POLICY,
	OPT_NET_POLICY, OPT_LEGACY, OPT_NO_PROC, OPT_SECCOMP_EXEC, OPT_PROXY, OPT_MANAGED_NET,
	OPT_ROUTE_SPEC, OPT_READ_ONLY, OPT_WORKSPACE_WRITE, OPT_READ, OPT_DENY, OPT_NETWORK,
	OPT_CWD, OPT_JSON, OPT_BWRAP_VERSION, OPT_HELP, OPT_LEGACY_RUN, OPT_PROXY_RUN,
	OPT_TIMEOUT, OPT_CLEARENV, OPT_SETENV, OPT_UNSETENV, OPT_POLICY_FILE, OPT_ARGV_LINE,
	OPT_ALLOW_SECRETS, OPT_TRANSPARENT_TCP, OPT_TRANSPARENT_TCP_FD,
};

/* Which command lines accept an option. */
#define H (1 << CLI_HELPER)
#define R (1 << CLI_RUN)
#define E (1 << CLI_EXPLAIN)

static const struct {
	struct option o;
	int modes;
} table[] = {
	{ { "sandbox-policy-cwd", required_argument, NULL, OPT_POLICY_CWD }, H | E },
	{ { "command-cwd", required_argument, NULL, OPT_COMMAND_CWD }, H | E },
	{ { "permission-profile", required_argument, NULL, OPT_PROFILE }, H | E },
	{ { "sandbox-policy", required_argument, NULL, OPT_SANDBOX_POLICY }, H | E },
	{ { "file-system-sandbox-policy", required_argument, NULL, OPT_FS_POLICY }, H | E },
	{ { "network-sandbox-policy", required_argument, NULL, OPT_NET_POLICY }, H | E },
	{ { "use-legacy-landlock", no_argument, NULL, OPT_LEGACY }, H | E },
	{ { "legacy-landlock", no_argument, NULL, OPT_LEGACY_RUN }, R | E },
	{ { "no-proc", no_argument, NULL, OPT_NO_PROC }, H | R | E },
	{ { "apply-seccomp-then-exec", no_argument, NULL, OPT_SECCOMP_EXEC }, H },
	{ { "allow-network-for-proxy", no_argument, NULL, OPT_PROXY }, H | E },
	{ { "managed-network", required_argument, NULL, OPT_MANAGED_NET }, H | E },
	{ { "proxy-route-spec", required_argument, NULL, OPT_ROUTE_SPEC }, H | E },
	{ { "transparent-tcp", no_argument, NULL, OPT_TRANSPARENT_TCP }, H | E },
	{ { "transparent-tcp-fd", required_argument, NULL, OPT_TRANSPARENT_TCP_FD }, H | E },
	{ { "read-only", no_argument, NULL, OPT_READ_ONLY }, R | E },
	{ { "workspace-write", no_argument, NULL, OPT_WORKSPACE_WRITE }, R | E },
	{ { "writable", required_argument, NULL, 'w' }, R | E },
	{ { "read", required_argument, NULL, OPT_READ }, R | E },
	{ { "deny", required_argument, NULL, OPT_DENY }, R | E },
	{ { "network", required_argument, NULL, OPT_NETWORK }, R | E },
	{ { "proxy", required_argument, NULL, OPT_PROXY_RUN }, R | E },
	{ { "cwd", required_argument, NULL, OPT_CWD }, R | E },
	{ { "timeout", required_argument, NULL, OPT_TIMEOUT }, R | E },
	{ { "policy", required_argument, NULL, OPT_POLICY_FILE }, R | E },
	{ { "allow-secrets", no_argument, NULL, OPT_ALLOW_SECRETS }, R | E },
	{ { "clearenv", no_argument, NULL, OPT_CLEARENV }, R | E },
	{ { "setenv", required_argument, NULL, OPT_SETENV }, R | E },
	{ { "unsetenv", required_argument, NULL, OPT_UNSETENV }, R | E },
	{ { "json", no_argument, NULL, OPT_JSON }, E },
	{ { "argv-line", no_argument, NULL, OPT_ARGV_LINE }, E },
	{ { "bwrap-version", required_argument, NULL, OPT_BWRAP_VERSION }, E },
	{ { "help", no_argument, NULL, OPT_HELP }, H | R | E },
};

#define NOPTS (sizeof(table) / sizeof(table[0]))

struct flags {
	const char *profile, *sandbox_policy, *fs_policy, *net_policy;
	const char *policy_file;	/* --policy FILE: either JSON form, read here */
	bool read_only, workspace_write, network_on, people;
	bool legacy_given;	/* the command line chose the pipeline: config.toml is not read */
	bool proxy_env;		/* helper proxy flags: endpoints from the environment */
	bool helper;		/* a flag only the helper's command line has */
	struct strv writable, read, deny;
};

/*
 * An absolute path, relative ones taken from the current directory; ".."
 * and symlinks are left for the resolver, which reads them as the kernel
 * does.
 */
static char *
absolute(const char *p)
{
	char cwd[PATH_MAX];

	if (p[0] == '/')
		return xstrdup(p);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	if (strcmp(p, ".") == 0)
		return xstrdup(cwd);
	return xasprintf("%s/%s", cwd, p);
}

static int
build_people_policy(struct flags *f, struct invocation *inv, char *err, size_t errlen)
{
	struct policy *p = &inv->policy;

	policy_init(p);
	p->network = f->network_on;
	policy_add(p, TARGET_SPECIAL, SPECIAL_ROOT, NULL, ACCESS_READ, false);
	if (f->workspace_write) {
		policy_add(p, TARGET_SPECIAL, SPECIAL_PROJECT_ROOTS, NULL, ACCESS_WRITE, false);
		policy_add(p, TARGET_SPECIAL, SPECIAL_SLASH_TMP, NULL, ACCESS_WRITE, false);
		policy_add(p, TARGET_SPECIAL, SPECIAL_TMPDIR, NULL, ACCESS_WRITE, false);
	}
	for (int k = 0; k < 3; k++) {
		struct strv *sv = k == 0 ? &f->writable : k == 1 ? &f->read : &f->deny;
		enum access a = k == 0 ? ACCESS_WRITE : k == 1 ? ACCESS_READ : ACCESS_DENY;

		for (size_t i = 0; i < sv->n; i++) {
			char *abs = absolute(sv->v[i]);

			if (abs == NULL)
				return seterr(err, errlen, "cannot make %s absolute", sv->v[i]);
			/* A writable root that is not there would be dropped without a word. */
			if (a == ACCESS_WRITE && access(abs, F_OK) < 0) {
				snprintf(err, errlen, "-w %s: no such directory; cordon does not "
				    "create it (mkdir -p %s first)", sv->v[i], sv->v[i]);
				free(abs);
				return -1;
			}
			if (a == ACCESS_DENY && strpbrk(sv->v[i], "*?[") != NULL) {
				/* A pattern, expanded as the helper's glob_pattern entries are. */
				if (path_has_dotdot(abs)) {
					snprintf(err, errlen, "--deny %s: a pattern with a \"..\" "
					    "component would not mean what the kernel makes of it",
					    sv->v[i]);
					free(abs);
					return -1;
				}
				policy_add(p, TARGET_GLOB, 0, abs, a, false);
				/* A name that really has the characters is denied too. */
				if (access(abs, F_OK) == 0)
					policy_add(p, TARGET_PATH, 0, abs, a, false);
			} else {
				policy_add(p, TARGET_PATH, 0, abs, a, false);
			}
			free(abs);
		}
	}
	return 0;
}

static int
build_policy(struct flags *f, struct invocation *inv, char *err, size_t errlen)
{
	int forms = (f->profile != NULL) + (f->sandbox_policy != NULL) + (f->fs_policy != NULL) +
	    (f->policy_file != NULL);

	if (forms > 1)
		return seterr(err, errlen, "%s", "give only one of --policy, --permission-profile, "
		    "--sandbox-policy and --file-system-sandbox-policy");
	if (forms == 1 && f->people)
		return seterr(err, errlen, "%s", "a policy in JSON (--policy, --permission-profile, ...) "
		    "cannot be mixed with --read-only, --workspace-write, -w, --read, --deny or "
		    "--network");
	if (f->net_policy != NULL && f->fs_policy == NULL)
		return seterr(err, errlen, "%s", "--network-sandbox-policy needs --file-system-sandbox-policy");
	if (f->policy_file != NULL) {
		char *json = policy_file_read(f->policy_file, err, errlen);
		int r;

		if (json == NULL)
			return -1;
		r = policy_parse_any(json, &inv->policy, err, errlen);
		free(json);
		return r;
	}
	if (f->profile != NULL)
		return policy_parse_profile(f->profile, &inv->policy, err, errlen);
	if (f->sandbox_policy != NULL)
		return policy_parse_sandbox_policy(f->sandbox_policy, &inv->policy, err, errlen);
	if (f->fs_policy != NULL)
		return policy_parse_split(f->fs_policy, f->net_policy, &inv->policy, err, errlen);
	return build_people_policy(f, inv, err, errlen);
}

static int
take(int c, const char *arg, struct flags *f, struct invocation *inv, char *err, size_t errlen)
{
	switch (c) {
	case OPT_POLICY_CWD: case OPT_COMMAND_CWD: case OPT_PROFILE: case OPT_SANDBOX_POLICY:
	case OPT_FS_POLICY: case OPT_NET_POLICY: case OPT_LEGACY: case OPT_PROXY:
	case OPT_MANAGED_NET:
		f->helper = true;
		break;
	}
	switch (c) {
	case OPT_POLICY_CWD: free(inv->policy_cwd); inv->policy_cwd = absolute(arg); break;
	case OPT_COMMAND_CWD: case OPT_CWD:
		free(inv->command_cwd);
		inv->command_cwd = absolute(arg);
		break;
	case OPT_PROFILE: f->profile = arg; break;
	case OPT_POLICY_FILE: f->policy_file = arg; break;
	case OPT_SANDBOX_POLICY: f->sandbox_policy = arg; break;
	case OPT_FS_POLICY: f->fs_policy = arg; break;
	case OPT_NET_POLICY: f->net_policy = arg; break;
	case OPT_LEGACY: case OPT_LEGACY_RUN:
		inv->legacy_landlock = f->legacy_given = true;
		break;
	case 'c':
		/* Codex's -c takes any key; cordon knows one, and a typo must not pass silently. */
		if (strcmp(arg, "use_legacy_landlock=true") == 0)
			inv->legacy_landlock = true;
		else if (strcmp(arg, "use_legacy_landlock=false") == 0)
			inv->legacy_landlock = false;
		else
			return seterr(err, errlen, "-c: only use_legacy_landlock=true or "
			    "use_legacy_landlock=false is understood, not \"%s\"", arg);
		f->legacy_given = true;
		break;
	case OPT_NO_PROC: inv->no_proc = true; break;
	case OPT_SECCOMP_EXEC: inv->seccomp_then_exec = true; break;
	case OPT_PROXY: inv->proxy = f->proxy_env = true; break;
	case OPT_MANAGED_NET: {
		json_t *o = json_loads(arg, 0, NULL);
		bool ok = json_is_object(o);

		/* Its fields tune Codex's own proxy; the mode is what matters here. */
		json_decref(o);
		if (!ok)
			return seterr(err, errlen, "invalid managed network context JSON: %s", arg);
		inv->proxy = f->proxy_env = true;
		break;
	}
	case OPT_ROUTE_SPEC:
		return seterr(err, errlen, "%s", "--proxy-route-spec is internal to cordon's inner stage; "
		    "use --allow-network-for-proxy or --managed-network");
	case OPT_TRANSPARENT_TCP: inv->transparent_tcp = true; break;
	case OPT_TRANSPARENT_TCP_FD:
		/* Codex's outer helper hands its inner one a TUN here; cordon's inner stage needs none. */
		if (mutant("transparent-tcp-refusal"))
			break;
		return seterr(err, errlen, "%s", "--transparent-tcp-fd is internal to Codex's helper; "
		    "cordon sets transparent TCP up itself: use --transparent-tcp");
	case OPT_PROXY_RUN: {
		struct proxy_endpoint ep;
		char why[256];

		/* A bad endpoint is a bad command line: said here, exit 2. */
		if (proxy_parse_endpoint(arg, false, &ep, why, sizeof(why)) < 0)
			return seterr(err, errlen, "--proxy: %s", why);
		strv_push(&inv->proxies, arg);
		inv->proxy = true;
		break;
	}
	case OPT_READ_ONLY:
	case OPT_WORKSPACE_WRITE:
		if (c == OPT_READ_ONLY ? f->workspace_write : f->read_only)
			return seterr(err, errlen, "%s", "--read-only and --workspace-write exclude each "
			    "other: give one");
		*(c == OPT_READ_ONLY ? &f->read_only : &f->workspace_write) = true;
		f->people = true;
		break;
	case 'w': strv_push(&f->writable, arg); f->people = true; break;
	case OPT_READ: strv_push(&f->read, arg); f->people = true; break;
	case OPT_DENY: strv_push(&f->deny, arg); f->people = true; break;
	case OPT_NETWORK:
		f->people = true;
		if (strcmp(arg, "on") == 0)
			f->network_on = true;
		else if (strcmp(arg, "off") == 0)
			f->network_on = false;
		else
			return seterr(err, errlen, "--network takes \"on\" or \"off\", not \"%s\"", arg);
		break;
	case OPT_TIMEOUT:
		if (sigpass_parse_duration(arg, &inv->timeout) < 0)
			return seterr(err, errlen, "--timeout: \"%s\" is no duration (seconds, or a "
			    "number with s, m, h or d: 10, 1.5s, 2m)", arg);
		break;
	case OPT_CLEARENV: strv_push(&inv->env_ops, "c"); break;
	case OPT_UNSETENV:
		if (envops_check_name(arg, err, errlen) < 0)
			return -1;
		strv_pushf(&inv->env_ops, "u%s", arg);
		break;
	case OPT_JSON: inv->json = true; break;
	case OPT_ARGV_LINE: inv->argv_line = true; break;
	case OPT_ALLOW_SECRETS: inv->allow_secrets = true; break;
	case OPT_BWRAP_VERSION: inv->bwrap_version = arg; break;
	}
	if ((c == OPT_POLICY_CWD && inv->policy_cwd == NULL) ||
	    ((c == OPT_COMMAND_CWD || c == OPT_CWD) && inv->command_cwd == NULL))
		return seterr(err, errlen, "cannot make %s absolute", arg);
	return 0;
}

/* Codex's helper gets the choice as a flag; people may keep it in config.toml. */
static int
read_config(struct invocation *inv, char *err, size_t errlen)
{
	bool required, val = false;
	char *path = config_path(&required);
	int r;

	if (path == NULL)
		return 0;
	r = config_legacy_landlock(path, required, &val, err, errlen);
	free(path);
	if (r > 0)
		inv->legacy_landlock = val;
	return r < 0 ? -1 : 0;
}

static void
flags_free(struct flags *f)
{
	strv_free(&f->writable);
	strv_free(&f->read);
	strv_free(&f->deny);
}

static const char *
mode_name(enum cli_mode mode)
{
	return mode == CLI_HELPER ? "codex-linux-sandbox" : mode == CLI_RUN ? "cordon run" :
	    "cordon explain";
}

/*
 * The option getopt just stopped at, as the user spelled it: the word
 * itself when there is one (a missing value at the end leaves none), else
 * the option named by optopt.
 */
static void
option_name(char **argv, int argc, const struct option *longopts, char *out, size_t len)
{
	const char *w = optind - 1 < argc ? argv[optind - 1] : NULL;

	if (w != NULL && w[0] == '-' && w[1] == '-') {
		snprintf(out, len, "%.*s", (int)strcspn(w, "="), w);
		return;
	}
	if (optopt > 0 && optopt < 256) {
		snprintf(out, len, "-%c", optopt);
		return;
	}
	for (size_t i = 0; longopts[i].name != NULL; i++)
		if (longopts[i].val == optopt) {
			snprintf(out, len, "--%s", longopts[i].name);
			return;
		}
	snprintf(out, len, "%s", w != NULL ? w : "?");
}

/*
 * jansson seeds its hash function on first use by opening and reading
 * /dev/urandom; one getrandom call does the same, before any JSON is read
 * (the parsers in core/ ask the system nothing).
 */
static void
seed_json(void)
{
	static bool done;
	uint32_t seed = 0;

	if (done)
		return;
	done = true;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed) && seed != 0)
		json_object_seed(seed);
}

int
cli_parse(int argc, char **argv, enum cli_mode mode, struct invocation *inv,
    char *err, size_t errlen)
{
	struct option longopts[NOPTS + 1];
	struct flags f = { 0 };
	size_t k = 0;
	int c, r = -1;

	seed_json();
	memset(inv, 0, sizeof(*inv));
	policy_init(&inv->policy);
	for (size_t i = 0; i < NOPTS; i++)
		if (table[i].modes & (1 << mode))
			longopts[k++] = table[i].o;
	memset(&longopts[k], 0, sizeof(longopts[k]));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, mode == CLI_HELPER ? "+:h" : "+:hw:c:", longopts, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			r = CLI_HELP;
			goto out;
		}
		if (c == '?' || c == ':') {
			char name[64];

			option_name(argv, argc, longopts, name, sizeof(name));
			snprintf(err, errlen, c == '?' ? "unknown option %s (try '%s --help')" :
			    "option %s needs a value (try '%s --help')", name, mode_name(mode));
			goto out;
		}
		/* bwrap's --setenv NAME VALUE: the value is the next word, whatever it is. */
		if (c == OPT_SETENV) {
			if (optind >= argc) {
				seterr(err, errlen, "%s", "--setenv needs a NAME and a VALUE "
				    "(try 'cordon run --help')");
				goto out;
			}
			if (envops_check_name(optarg, err, errlen) < 0)
				goto out;
			strv_pushf(&inv->env_ops, "s%s=%s", optarg, argv[optind++]);
			continue;
		}
		if (take(c, optarg, &f, inv, err, errlen) < 0)
			goto out;
	}
	if (optind >= argc) {
		seterr(err, errlen, "%s", "no command given (put it after --)");
		goto out;
	}
	if (mode == CLI_HELPER && inv->policy_cwd == NULL) {
		seterr(err, errlen, "%s", "--sandbox-policy-cwd is required");
		goto out;
	}
	if (mode == CLI_HELPER && f.profile == NULL && f.sandbox_policy == NULL && f.fs_policy == NULL) {
		seterr(err, errlen, "%s", "a policy is required: --permission-profile, "
		    "--sandbox-policy or --file-system-sandbox-policy");
		goto out;
	}
	if (inv->command_cwd == NULL)
		inv->command_cwd = inv->policy_cwd ? xstrdup(inv->policy_cwd) : absolute(".");
	if (inv->command_cwd == NULL) {
		seterr(err, errlen, "%s", "cannot determine the current directory (was it deleted?); "
		    "give one with --cwd");
		goto out;
	}
	if (inv->policy_cwd == NULL)
		inv->policy_cwd = xstrdup(inv->command_cwd);
	if (inv->proxies.n > 0 && f.network_on) {
		seterr(err, errlen, "%s", "--proxy and --network on contradict each other: with --proxy "
		    "the proxy is the only way out");
		goto out;
	}
	if (f.proxy_env && inv->proxies.n > 0) {
		seterr(err, errlen, "%s", "--proxy cannot be mixed with --allow-network-for-proxy "
		    "or --managed-network");
		goto out;
	}
	if (inv->transparent_tcp && !f.proxy_env && !mutant("transparent-tcp-refusal")) {
		seterr(err, errlen, "%s", "--transparent-tcp needs managed networking "
		    "(--allow-network-for-proxy or --managed-network): refusing to run");
		goto out;
	}
	if (inv->transparent_tcp && inv->no_proc) {
		seterr(err, errlen, "%s", "--transparent-tcp needs the sandbox's /proc, to read the "
		    "address each connect() names: drop --no-proc");
		goto out;
	}
	if (inv->json && inv->argv_line) {
		seterr(err, errlen, "%s", "--json and --argv-line exclude each other: give one");
		goto out;
	}
	if (build_policy(&f, inv, err, errlen) < 0)
		goto out;
	if (mode != CLI_HELPER && !f.legacy_given && read_config(inv, err, errlen) < 0)
		goto out;
	inv->command = argv + optind;
	inv->people = mode == CLI_RUN || (mode == CLI_EXPLAIN && !f.helper);
	if (inv->allow_secrets && !inv->people) {
		seterr(err, errlen, "%s", "--allow-secrets is cordon run's: the helper's flags hide no "
		    "secrets, as Codex's helper does not");
		goto out;
	}
	/* cordon run's default, not the helper's: the usual credential stores hidden. */
	if (inv->people && !inv->allow_secrets && (inv->home = secrets_home()) != NULL)
		secrets_add(&inv->policy, inv->home);
	r = 0;
out:
	flags_free(&f);
	if (r != 0)
		invocation_free(inv);
	return r;
}

void
invocation_free(struct invocation *inv)
{
	policy_free(&inv->policy);
	free(inv->policy_cwd);
	free(inv->command_cwd);
	strv_free(&inv->proxies);
	strv_free(&inv->env_ops);
	free(inv->home);
	memset(inv, 0, sizeof(*inv));
}

void
cli_usage(enum cli_mode mode, FILE *out)
{
	switch (mode) {
	case CLI_HELPER:
		fprintf(out,
		    "usage: codex-linux-sandbox --sandbox-policy-cwd DIR [--command-cwd DIR]\n"
		    "           (--permission-profile JSON | --sandbox-policy JSON |\n"
		    "            --file-system-sandbox-policy JSON [--network-sandbox-policy JSON])\n"
		    "           [--no-proc] [--use-legacy-landlock]\n"
		    "           [--allow-network-for-proxy | --managed-network JSON [--transparent-tcp]]\n"
		    "           [--] COMMAND [ARG...]\n"
		    "Run COMMAND confined by the policy; cordon's drop-in for Codex's helper.\n");
		break;
	case CLI_RUN:
		fprintf(out,
		    "usage: cordon run [--read-only | --workspace-write] [-w DIR]... [--read PATH]...\n"
		    "                  [--deny PATH|GLOB]... [--network on|off] [--policy FILE]\n"
		    "                  [--proxy HOST:PORT]...\n"
		    "                  [--no-proc] [--cwd DIR] [--timeout DURATION]\n"
		    "                  [--clearenv] [--setenv NAME VALUE]... [--unsetenv NAME]...\n"
		    "                  [--allow-secrets]\n"
		    "                  [--legacy-landlock] [-c use_legacy_landlock=true|false]\n"
		    "                  [--] COMMAND [ARG...]\n"
		    "Run COMMAND in a sandbox: the whole filesystem read-only, DIRs writable\n"
		    "(with their .git, .codex, .agents and .aws kept read-only), network off by default.\n"
		    "  --read-only        nothing writable but -w DIRs (the default)\n"
		    "  --workspace-write  the cwd, /tmp and $TMPDIR writable too\n"
		    "  -w, --writable DIR make DIR writable (it must exist)\n"
		    "  --read PATH        keep PATH read-only inside a writable DIR\n"
		    "  --deny PATH|GLOB   hide PATH entirely; a GLOB ('*.env', '**/*.pem') hides\n"
		    "                     what matches it when cordon starts\n"
		    "  --network on|off   allow or block network access (default off)\n"
		    "  --proxy HOST:PORT  managed proxy mode: a private network namespace whose only\n"
		    "                     way out is this proxy (repeatable); HTTP_PROXY, HTTPS_PROXY,\n"
		    "                     ALL_PROXY and their lowercase forms point at it inside\n"
		    "  --no-proc          do not mount a fresh /proc\n"
		    "  --cwd DIR          run in DIR, which is also the workspace\n"
		    "  --allow-secrets    do not hide ~/.ssh, ~/.aws, ~/.gnupg, ~/.config/gh, ~/.netrc,\n"
		    "                     ~/.docker/config.json, ~/.kube and the other credential\n"
		    "                     stores cordon run hides by default (man cordon)\n"
		    "  --policy FILE      the policy from FILE (- for stdin): a Codex permission\n"
		    "                     profile or SandboxPolicy as JSON, instead of the flags\n"
		    "                     above; for policies too large for the command line\n"
		    "  --timeout DURATION end the whole sandbox after DURATION (10, 1.5s, 2m, 1h)\n"
		    "                     and exit 124, as timeout(1) does\n"
		    "  --clearenv         start the command with an empty environment\n"
		    "  --setenv NAME VALUE, --unsetenv NAME\n"
		    "                     set or unset NAME for the command (in order, as bwrap)\n"
		    "  --legacy-landlock  confine in-process with seccomp and Landlock, as Codex's\n"
		    "                     legacy pipeline did (also features.use_legacy_landlock\n"
		    "                     in $XDG_CONFIG_HOME/cordon/config.toml or $CORDON_CONFIG)\n"
		    "  -c use_legacy_landlock=true|false\n"
		    "                     the same as a setting; it overrides the configuration file\n");
		break;
	case CLI_EXPLAIN:
		fprintf(out,
		    "usage: cordon explain [--json | --argv-line] [--bwrap-version V]\n"
		    "                      <cordon run flags | codex-linux-sandbox flags> [--] COMMAND...\n"
		    "Print the whole plan without running anything: the pipeline and why, the\n"
		    "bwrap chosen and its features, the rules, the bwrap argv one argument per\n"
		    "line and the seccomp rules.\n"
		    "  --json             the same as one JSON object\n"
		    "  --argv-line        only the bwrap command line, quoted for a shell, with\n"
		    "                     the descriptors it needs: a careful launch to paste\n"
		    "  --bwrap-version V  plan for bubblewrap release V (0.4.1 or later: 0.8.0,\n"
		    "                     0.12, 0.13.1, ...) instead of the bwrap found on PATH\n"
		    "  --legacy-landlock, -c use_legacy_landlock=true|false\n"
		    "                     plan the legacy Landlock pipeline, as cordon run would\n"
		    "                     (see cordon run --help)\n");
		break;
	}
}
