/*
 * The inner stage.  bwrap starts it inside the new namespaces; it checks
 * that no capability survived, sets NO_NEW_PRIVS, installs the seccomp
 * filter, then, as PID 1 of the sandbox, forks the command, forwards
 * signals, reaps orphans and exits with the command's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "filter.h"
#include "inner.h"
#include "landlock.h"
#include "mutant.h"
#include "path.h"
#include "proxy.h"
#include "tcp_redirect.h"
#include "util.h"

/*
 * Any effective or permitted capability left?  One capget(2): this runs
 * on every launch, and libcap's cap_get_proc() allocates and asks again.
 * Inheritable alone grants nothing, so it is not looked at.
 */
static bool
has_any_capability(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (mutant("capability-check"))
		return false;
	if (syscall(SYS_capget, &h, d) < 0)
		return true;	/* cannot tell: assume the worst */
	for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective != 0 || d[i].permitted != 0)
			return true;
	return false;
}

void
inner_confine(enum seccomp_mode mode, bool require_no_caps)
{
	char err[256];

	if (require_no_caps && has_any_capability())
		errx_(EXIT_POLICY, "the sandbox kept effective or permitted capabilities; refusing to run");
	if (filter_install(mode, err, sizeof(err)) < 0)
		errx_(EXIT_POLICY, "cannot confine the command: %s", err);
}

void
close_inherited_fds(void)
{
	if (mutant("close-inherited-fds"))
		return;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0) == 0)
		return;
#endif
	for (long fd = sysconf(_SC_OPEN_MAX) - 1; fd > 2; fd--)
		close((int)fd);
}

void
exit_like(int wstatus)
{
	if (WIFEXITED(wstatus))
		exit(WEXITSTATUS(wstatus));
	if (WIFSIGNALED(wstatus))
		exit(128 + WTERMSIG(wstatus));
	exit(EXIT_POLICY);
}

/* Run path; a file the kernel cannot execute (no #! line) is a shell script, as POSIX says. */
static void
exec_file(const char *path, char *const *cmd)
{
	size_t n = 0;
	char **argv;

	execv(path, cmd);
	if (errno != ENOEXEC)
		return;
	while (cmd[n] != NULL)
		n++;
	argv = xcalloc(n + 2, sizeof(char *));
	argv[0] = (char *)"sh";
	argv[1] = (char *)path;
	memcpy(&argv[2], &cmd[1], n * sizeof(char *));
	execv("/bin/sh", argv);
	free(argv);
	errno = ENOEXEC;
}

static void __attribute__((noreturn))
cannot_exec(const char *name, int e)
{
	fprintf(stderr, "%s: cannot execute %s: %s\n", cordon_progname(), name, strerror(e));
	_exit(EXIT_NOEXEC);
}

/*
 * execvp, spelled out: musl's leaves out the shell fallback above, which
 * glibc's has (and so bwrap, on a direct launch).  A candidate that fails
 * for another reason is skipped; EACCES is kept if nothing else runs.
 */
void
exec_command(char *const *cmd)
{
	struct strv cands = { 0 };
	bool denied = false;
	int e;

	/*
	 * A name with a slash is its own one candidate: no list, and so no
	 * first malloc (its system calls and page faults) in the inner stage.
	 */
	if (strchr(cmd[0], '/') != NULL) {
		exec_file(cmd[0], cmd);
		cannot_exec(cmd[0], errno);
	}
	errno = ENOENT;		/* an empty name has no candidate */
	path_exec_candidates(cmd[0], getenv("PATH"), NULL, &cands);
	for (size_t i = 0; i < cands.n; i++) {
		exec_file(cands.v[i], cmd);
		denied = denied || errno == EACCES;
		if (errno != ENOENT && errno != ENOTDIR && errno != EACCES)
			break;
	}
	e = errno;
	strv_free(&cands);
	if (denied && (e == ENOENT || e == ENOTDIR))
		e = EACCES;
	cannot_exec(cmd[0], e);
}

static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
	SIGWINCH, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU };

static void
init_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
}

void
init_block(sigset_t *old)
{
	sigset_t set;

	init_signals(&set);
	sigprocmask(SIG_BLOCK, &set, old);
}

void
init_supervise(pid_t child)
{
	sigset_t set;

	init_signals(&set);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si), st;
		pid_t pid;

		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == child)
				exit_like(st);
	}
}

void
init_command(char *const *cmd, const sigset_t *mask)
{
	pid_t child = fork();

	if (child < 0)
		err_(EXIT_POLICY, "fork");
	if (child == 0) {
		sigprocmask(SIG_SETMASK, mask, NULL);
		exec_command(cmd);
	}
	init_supervise(child);
}

/*
 * PID 1: fork the command, pass signals on, reap everything, exit like the
 * command.  old: the signal mask from before init_block, for the command.
 */
static void __attribute__((noreturn))
be_init(char *const *cmd, const sigset_t *old)
{
	init_command(cmd, old);
}

static int
parse_fd(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 3 || v > 65535)
		errx_(EXIT_USAGE, "inner stage: bad descriptor \"%s\"", s);
	return (int)v;
}

static enum seccomp_mode
parse_mode(const char *s)
{
	if (strcmp(s, "restricted") == 0)
		return SECCOMP_RESTRICTED;
	if (strcmp(s, "vsock") == 0)
		return SECCOMP_DENY_VSOCK;
	if (strcmp(s, "proxy") == 0)
		return SECCOMP_PROXY;
	if (strcmp(s, "none") == 0)
		return SECCOMP_NONE;
	errx_(EXIT_USAGE, "inner stage: unknown seccomp mode %s", s);
}

struct inner_opts {
	enum seccomp_mode mode;
	const char *route_spec;
	bool transparent_tcp;
	int stderr_fd, ready_fd;
	struct landlock_stage ll;
	struct strv ll_write;
};

/* One option at argv[i]; returns how many words it took. */
static int
parse_opt(struct inner_opts *o, int argc, char **argv, int i)
{
	const char *opt = argv[i];

	if (strcmp(opt, "--ll-proc") == 0) {
		o->ll.proc = true;
		return 1;
	}
	if (strcmp(opt, "--ll-scope-abstract") == 0) {
		o->ll.scope_abstract = true;
		return 1;
	}
	if (strcmp(opt, "--transparent-tcp") == 0) {
		o->transparent_tcp = true;
		return 1;
	}
	if (i + 1 >= argc)
		errx_(EXIT_USAGE, "inner stage: %s needs a value", opt);
	if (strcmp(opt, "--seccomp") == 0)
		o->mode = parse_mode(argv[i + 1]);
	else if (strcmp(opt, "--stderr-fd") == 0)
		o->stderr_fd = parse_fd(argv[i + 1]);
	else if (strcmp(opt, "--ready-fd") == 0)
		o->ready_fd = parse_fd(argv[i + 1]);
	else if (strcmp(opt, "--proxy-route-spec") == 0)
		o->route_spec = argv[i + 1];
	else if (strcmp(opt, "--landlock") == 0)
		o->ll.abi = atoi(argv[i + 1]);
	else if (strcmp(opt, "--ll-write") == 0)
		strv_push(&o->ll_write, argv[i + 1]);
	else
		errx_(EXIT_USAGE, "inner stage: unknown option %s", opt);
	return 2;
}

int
inner_main(int argc, char **argv)
{
	struct inner_opts o = { SECCOMP_RESTRICTED, NULL, false, -1, -1, { 0 }, { 0 } };
	sigset_t old;
	int i;

	for (i = 2; i < argc && strcmp(argv[i], "--") != 0;)
		i += parse_opt(&o, argc, argv, i);
	if (i + 1 >= argc)
		errx_(EXIT_USAGE, "inner stage: no command");
	if ((o.route_spec != NULL) != (o.mode == SECCOMP_PROXY))
		errx_(EXIT_USAGE, "inner stage: --proxy-route-spec goes with --seccomp proxy only");
	if (o.transparent_tcp && o.route_spec == NULL)
		errx_(EXIT_USAGE, "inner stage: --transparent-tcp goes with --proxy-route-spec only");
	if (o.route_spec != NULL) {
		char err[512];
		uint16_t socks_port;

		/* Forwarders first, unfiltered, but only from a process without capabilities. */
		if (has_any_capability())
			errx_(EXIT_POLICY, "the sandbox kept effective or permitted capabilities; "
			    "refusing to run");
		/*
		 * The helpers (forwarders, the redirector) are born undumpable:
		 * fork copies the flag, and only the command's exec resets it.
		 * Set here, not by each helper once it runs, there is no moment
		 * in which a command that runs first could write one through
		 * /proc/PID/mem, with or without Landlock's ptrace scoping.
		 */
		if (!mutant("proxy-helpers-undumpable") && prctl(PR_SET_DUMPABLE, 0) < 0)
			err_(EXIT_POLICY, "prctl(PR_SET_DUMPABLE)");
		if (proxy_inner_start(o.route_spec, &socks_port, err, sizeof(err)) < 0 ||
		    (o.transparent_tcp && tcp_redirect_start(socks_port, err, sizeof(err)) < 0))
			errx_(EXIT_POLICY, "managed proxy mode: %s; refusing to run the command", err);
	}
	inner_confine(o.mode, true);
	if (o.ll.abi > 0 && !mutant("landlock-layer")) {
		char err[512];

		o.ll.write = o.ll_write.v;
		o.ll.nwrite = o.ll_write.n;
		if (landlock_stage_confine(&o.ll, err, sizeof(err)) < 0)
			errx_(EXIT_POLICY, "cannot confine the command: %s", err);
	}
	/* From here on the command's stderr is the caller's, not bwrap's pipe. */
	if (o.stderr_fd >= 0 && dup2(o.stderr_fd, STDERR_FILENO) < 0)
		err_(EXIT_POLICY, "restoring stderr");
	/*
	 * As PID 1 a signal left at its default is dropped: blocked first, it
	 * waits for init_supervise, so what cordon sends once it reads ready
	 * reaches the command.
	 */
	if (getpid() == 1)
		init_block(&old);
	if (o.ready_fd >= 0 && write(o.ready_fd, "1", 1) != 1)
		err_(EXIT_POLICY, "signalling start-up");
	close_inherited_fds();
	if (getpid() == 1)
		be_init(argv + i + 1, &old);
	exec_command(argv + i + 1);
}
