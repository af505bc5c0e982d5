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
#include <sys/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "inner.h"
#include "path.h"
#include "proxy.h"
#include "util.h"

static bool
has_any_capability(void)
{
	cap_t caps = cap_get_proc();
	cap_t none = cap_init();
	bool any;

	if (caps == NULL || none == NULL)
		return true;	/* cannot tell: assume the worst */
	/* cap_compare ignores the inheritable set only if told; compare all. */
	any = cap_compare(caps, none) != 0;
	if (any) {
		/* Inheritable alone grants nothing; only effective/permitted matter. */
		any = false;
		for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
			cap_flag_value_t e = CAP_CLEAR, p = CAP_CLEAR;

			cap_get_flag(caps, c, CAP_EFFECTIVE, &e);
			cap_get_flag(caps, c, CAP_PERMITTED, &p);
			if (e == CAP_SET || p == CAP_SET)
				any = true;
		}
	}
	cap_free(caps);
	cap_free(none);
	return any;
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
	fprintf(stderr, "%s: cannot execute %s: %s\n", cordon_progname(), cmd[0], strerror(e));
	_exit(EXIT_NOEXEC);
}

static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
	SIGWINCH, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU };

/* PID 1: fork the command, pass signals on, reap everything, exit like the command. */
static void __attribute__((noreturn))
be_init(char *const *cmd)
{
	sigset_t set, old;
	pid_t child;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	child = fork();
	if (child < 0)
		err_(EXIT_POLICY, "fork");
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		exec_command(cmd);
	}
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

int
inner_main(int argc, char **argv)
{
	enum seccomp_mode mode = SECCOMP_RESTRICTED;
	const char *route_spec = NULL;
	int stderr_fd = -1, ready_fd = -1, i;

	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
		if (i + 1 >= argc)
			errx_(EXIT_USAGE, "inner stage: %s needs a value", argv[i]);
		if (strcmp(argv[i], "--seccomp") == 0) {
			if (strcmp(argv[i + 1], "restricted") == 0)
				mode = SECCOMP_RESTRICTED;
			else if (strcmp(argv[i + 1], "vsock") == 0)
				mode = SECCOMP_VM;
			else if (strcmp(argv[i + 1], "proxy") == 0)
				mode = SECCOMP_PROXY;
			else if (strcmp(argv[i + 1], "none") == 0)
				mode = SECCOMP_NONE;
			else
				errx_(EXIT_USAGE, "inner stage: unknown seccomp mode %s", argv[i + 1]);
		} else if (strcmp(argv[i], "--stderr-fd") == 0) {
			stderr_fd = parse_fd(argv[i + 1]);
		} else if (strcmp(argv[i], "--ready-fd") == 0) {
			ready_fd = parse_fd(argv[i + 1]);
		} else if (strcmp(argv[i], "--proxy-route-spec") == 0) {
			route_spec = argv[i + 1];
		} else {
			errx_(EXIT_USAGE, "inner stage: unknown option %s", argv[i]);
		}
	}
	if (i + 1 >= argc)
		errx_(EXIT_USAGE, "inner stage: no command");
	if ((route_spec != NULL) != (mode == SECCOMP_PROXY))
		errx_(EXIT_USAGE, "inner stage: --proxy-route-spec goes with --seccomp proxy only");
	if (route_spec != NULL) {
		char err[512];

		/* Forwarders first, unfiltered, but only from a process without capabilities. */
		if (has_any_capability())
			errx_(EXIT_POLICY, "the sandbox kept effective or permitted capabilities; "
			    "refusing to run");
		if (proxy_inner_start(route_spec, err, sizeof(err)) < 0)
			errx_(EXIT_POLICY, "managed proxy mode: %s; refusing to run the command", err);
	}
	inner_confine(mode, true);
	/* From here on the command's stderr is the caller's, not bwrap's pipe. */
	if (stderr_fd >= 0 && dup2(stderr_fd, STDERR_FILENO) < 0)
		err_(EXIT_POLICY, "restoring stderr");
	if (ready_fd >= 0 && write(ready_fd, "1", 1) != 1)
		err_(EXIT_POLICY, "signalling start-up");
	close_inherited_fds();
	if (getpid() == 1)
		be_init(argv + i + 1);
	exec_command(argv + i + 1);
}
