/* See legacy_ns.h. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "landlock.h"
#include "legacy_ns.h"
#include "legacy_summary.h"
#include "mutant.h"

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), e;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Which namespaces; a mutant build can leave one out (ref/mutants). */
static int
ns_flags(bool network)
{
	int f = CLONE_NEWUSER | CLONE_NEWNS;

	if (!mutant("legacy-pid-namespace"))
		f |= CLONE_NEWPID;
	if (!mutant("legacy-ipc-namespace"))
		f |= CLONE_NEWIPC;
	if (!network && !mutant("legacy-net-namespace"))
		f |= CLONE_NEWNET;
	return f;
}

int
legacy_unshare(bool network, char *err, size_t errlen)
{
	/* Asked first: once unshared, they read as the overflow ids until mapped. */
	unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();
	const char *step = "unshare";
	char map[64];
	int e;

	if (unshare(ns_flags(network)) < 0)
		goto fail;
	/* Only the caller's own ids: nobody else's files become the command's. */
	snprintf(map, sizeof(map), "%u %u 1\n", uid, uid);
	step = "writing /proc/self/uid_map";
	if (write_file("/proc/self/uid_map", map) < 0)
		goto fail;
	step = "writing /proc/self/setgroups";
	if (write_file("/proc/self/setgroups", "deny") < 0)
		goto fail;
	snprintf(map, sizeof(map), "%u %u 1\n", gid, gid);
	step = "writing /proc/self/gid_map";
	if (write_file("/proc/self/gid_map", map) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	snprintf(err, errlen, "%s: %s", step, strerror(e));
	errno = e;
	return -1;
}

/* PID 1 of the probe's namespaces: can it mount a fresh /proc?  Its exit status says. */
static int
try_proc(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return errno & 0xff;
	return 0;
}

static void __attribute__((noreturn))
probe_child(int out)
{
	int res[2] = { 0, -1 }, st;
	char err[256];
	pid_t pid;

	if (legacy_unshare(false, err, sizeof(err)) < 0) {
		res[0] = errno != 0 ? errno : EPERM;
	} else if ((pid = fork()) == 0) {
		_exit(try_proc());
	} else if (pid > 0 && waitpid(pid, &st, 0) == pid) {
		res[1] = WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
	}
	(void)!write(out, res, sizeof(res));
	_exit(0);
}

void
legacy_probe(struct legacy_probe *p)
{
	int fd[2], res[2];
	pid_t pid;

	p->userns_errno = EIO;
	p->proc_errno = -1;
	if (pipe2(fd, O_CLOEXEC) < 0)
		return;
	if ((pid = fork()) == 0) {
		close(fd[0]);
		probe_child(fd[1]);
	}
	close(fd[1]);
	if (pid > 0 && read(fd[0], res, sizeof(res)) == (ssize_t)sizeof(res)) {
		p->userns_errno = res[0];
		p->proc_errno = res[1];
	}
	close(fd[0]);
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

void
legacy_env_here(struct legacy_env *e)
{
	struct legacy_probe p;

	legacy_probe(&p);
	e->abi = landlock_abi();
	e->userns = p.userns_errno == 0;
	e->proc = p.proc_errno == 0;
}
