/* See legacy_run.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "inner.h"
#include "landlock.h"
#include "legacy_mount.h"
#include "legacy_ns.h"
#include "legacy_run.h"
#include "mutant.h"
#include "sigpass.h"
#include "stdio_guard.h"
#include "targets.h"
#include "truncate_guard.h"
#include "util.h"

/* What sigpass.c catches: the child takes them back to their defaults (blocked). */
static const int relayed[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH,
	SIGALRM };
#define NRELAYED (sizeof(relayed) / sizeof(relayed[0]))

/* The bounding set first: dropping from it takes CAP_SETPCAP, which capset then drops. */
static int
drop_capabilities(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (mutant("legacy-drop-capabilities"))
		return 0;
	for (int c = 0; prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -1;
	memset(d, 0, sizeof(d));
	return (int)syscall(SYS_capset, &h, d);
}

/* cordon's init, PID 1 of the new namespaces; mask: the command's signal mask. */
static void __attribute__((noreturn))
be_init(const struct invocation *inv, struct prepared *pr, const sigset_t *mask)
{
	char err[512];
	unsigned own;
	int abi = landlock_abi();

	if (legacy_mount_view(&pr->lview, &pr->rules, !inv->no_proc, &own, err, sizeof(err)) < 0)
		errx_(EXIT_POLICY, "legacy Landlock cannot build its view: %s; refusing to run the "
		    "command", err);
	if (!inv->no_proc && !(own & LANDLOCK_OWN_PROC))
		warnx_("legacy Landlock: cannot mount a fresh /proc here (a container?); the "
		    "command sees the enclosing one, read-only, where Landlock keeps other "
		    "processes' environment, descriptors and memory out of reach, not their "
		    "command lines");
	/* No controlling terminal: /dev/tty is not the caller's, as with bwrap --new-session. */
	if (!mutant("legacy-new-session") && setsid() < 0)
		err_(EXIT_POLICY, "setsid");
	if (drop_capabilities() < 0)
		err_(EXIT_POLICY, "dropping capabilities");
	inner_confine(pr->plan.seccomp, true);
	if (abi < 3 && truncate_guard_install(err, sizeof(err)) < 0)
		errx_(EXIT_POLICY, "cannot confine the command: %s", err);
	if (!mutant("legacy-landlock") &&
	    landlock_confine(&pr->rules, abi, own, err, sizeof(err)) < 0)
		errx_(EXIT_POLICY, "cannot confine the command: %s", err);
	close_inherited_fds();
	if (chdir(inv->command_cwd) < 0)
		err_(EXIT_POLICY, "chdir %s", inv->command_cwd);
	init_command(inv->command, mask);
}

/*
 * Every descriptor above 2 but keep1 and keep2 closed: cordon's own (a
 * relay pipe's other end would hold the command's stdin open) never
 * reach this process's children, which execute nothing before the command.
 */
static void
close_all_but(int keep1, int keep2)
{
	int lo = keep1 < keep2 ? keep1 : keep2, hi = keep1 < keep2 ? keep2 : keep1;
	const unsigned from[] = { 3, (unsigned)lo + 1, (unsigned)hi + 1 };
	const unsigned to[] = { (unsigned)lo - 1, (unsigned)hi - 1, ~0U };

	for (size_t i = 0; i < 3; i++) {
		if (from[i] > to[i])
			continue;
		if (syscall(SYS_close_range, from[i], to[i], 0) < 0)
			for (long fd = from[i]; fd <= (long)to[i] && fd < sysconf(_SC_OPEN_MAX); fd++)
				close((int)fd);
	}
}

/* A close-on-exec pipe off 0-2, which may be closed and must stay so. */
static int
pipe_high(int p[2])
{
	int raw[2];

	if (pipe2(raw, O_CLOEXEC) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		p[i] = raw[i] > 2 ? raw[i] : fcntl(raw[i], F_DUPFD_CLOEXEC, 3);
		if (raw[i] <= 2)
			close(raw[i]);
	}
	return p[0] < 0 || p[1] < 0 ? -1 : 0;
}

/* Has the process holding the other end of this pipe gone? */
static bool
gone(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, 0) != 0;
}

/*
 * The child in the new namespaces: it tells cordon they are made, waits
 * for the mount points (go), then forks the init and exits as it does.
 */
static void __attribute__((noreturn))
be_namespaced(const struct invocation *inv, struct prepared *pr, pid_t parent, int ready,
    int go, const sigset_t *mask)
{
	char err[256], c;
	int alive[2];
	pid_t init;

	for (size_t i = 0; i < NRELAYED; i++)
		signal(relayed[i], SIG_DFL);
	close_all_but(ready, go);
	setpgid(0, 0);
	if ((!mutant("legacy-die-with-parent") && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) ||
	    getppid() != parent)
		_exit(EXIT_POLICY);
	if (legacy_unshare(pr->rules.network, err, sizeof(err)) < 0)
		errx_(EXIT_POLICY, "legacy Landlock needs user, mount, PID and IPC namespaces, "
		    "which cannot be made here (%s): without them modes, times and extended "
		    "attributes outside the writable roots, host processes, host IPC and the "
		    "caller's terminal would be within the command's reach; refusing to run the "
		    "command", err);
	/* No answer: cordon could not make the mount points, and says why. */
	if (write(ready, "1", 1) != 1 || read(go, &c, 1) != 1)
		_exit(EXIT_POLICY);
	close(ready);
	close(go);
	/* The init cannot see this process from its PID namespace: a pipe says it died. */
	if (pipe_high(alive) < 0 || (init = fork()) < 0)
		err_(EXIT_POLICY, "starting the sandbox's init");
	if (init == 0) {
		close(alive[1]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || gone(alive[0]))
			_exit(EXIT_POLICY);
		close(alive[0]);
		be_init(inv, pr, mask);
	}
	close(alive[0]);
	init_supervise(init);
}

/*
 * Once the namespaces exist (ready), the mount points: a run refused for
 * want of namespaces leaves nothing behind on the host.  false if they
 * cannot be made; the child then gives up without running anything.
 */
static bool
make_targets(struct prepared *pr, struct held_targets *held, int ready, int go)
{
	char err[512], c;
	bool ok = true;

	held->t = NULL;
	held->n = 0;
	if (read(ready, &c, 1) == 1) {
		if (targets_acquire(pr->registry, &pr->plan, held, err, sizeof(err)) < 0) {
			warnx_("%s; refusing to run the command", err);
			ok = false;
		} else if (write(go, "1", 1) != 1) {
			ok = false;
		}
	}
	close(ready);
	close(go);
	return ok;
}

void
legacy_run(const struct invocation *inv, struct prepared *pr)
{
	struct held_targets held;
	struct stdio_guard *g;
	sigset_t orig;
	pid_t pid, self = getpid();
	int wstatus, ready[2], go[2];
	bool ok;

	if (pipe_high(ready) < 0 || pipe_high(go) < 0)
		err_(EXIT_POLICY, "pipe");
	/*
	 * Its child has a process group of its own, so the terminal's signals
	 * come here only, and go to the child, which keeps them blocked and
	 * passes them to the init, which passes them to the command.
	 */
	sigpass_begin();
	g = stdio_guard_begin();
	/* Blocked until the child is known here; the child and its init keep them blocked. */
	init_block(&orig);
	stdio_guard_enter(g);
	if ((pid = fork()) == 0)
		be_namespaced(inv, pr, self, ready[1], go[0], &orig);
	stdio_guard_leave(g);
	if (pid < 0)
		err_(EXIT_POLICY, "fork");
	close(ready[1]);
	close(go[0]);
	setpgid(pid, pid);
	sigpass_holder(pid);
	sigpass_target(pid, false);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	ok = make_targets(pr, &held, ready[0], go[1]);
	sigpass_wait(pid, &wstatus);
	sigpass_end();
	/* The init's exit ended every process of its PID namespace: the outputs end too. */
	stdio_guard_end(g, true);
	targets_release(pr->registry, &held);
	if (!ok)
		exit(EXIT_POLICY);
	if (sigpass_timed_out())
		exit(EXIT_TIMEOUT);
	exit_like(wstatus);
}
