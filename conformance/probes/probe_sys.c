/*
 * System call probes.  "sys NAME" is the errno oracle: each call gets
 * arguments the kernel rejects without side effects (fd -1, NULL, pid -1,
 * invalid flags), so EPERM/ENOSYS can only come from a filter or a
 * missing capability.  The x32 and i386 probes try socket(2) through the
 * other entry points a filter must also cover.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <linux/bpf.h>

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup	425
#endif
#ifndef SYS_io_uring_enter
#define SYS_io_uring_enter	426
#endif
#ifndef SYS_io_uring_register
#define SYS_io_uring_register	427
#endif

#define KEYCTL_BOGUS		0x7fff	/* no such command: EOPNOTSUPP */
#define X32_BIT			0x40000000L
#define X86_64_SOCKET		41
#define I386_SOCKET		359
#define I386_SOCKETCALL		102
#define SYS_SOCKET_		1	/* socketcall's sub-call */

enum fixup { PLAIN, IOVEC };

struct sysent {
	const char	*name;
	long		 nr;
	long		 a[6];
	int		 fd;		/* returns a descriptor on success */
	enum fixup	 fix;
};

static const struct sysent sysents[] = {
	{ "connect", SYS_connect, { -1, 0, 0 }, 0, PLAIN },
	{ "bind", SYS_bind, { -1, 0, 0 }, 0, PLAIN },
	{ "listen", SYS_listen, { -1, 0 }, 0, PLAIN },
	{ "accept", SYS_accept, { -1, 0, 0 }, 1, PLAIN },
	{ "accept4", SYS_accept4, { -1, 0, 0, 0 }, 1, PLAIN },
	{ "sendto", SYS_sendto, { -1, 0, 0, 0, 0, 0 }, 0, PLAIN },
	{ "recvfrom", SYS_recvfrom, { -1, 0, 0, 0, 0, 0 }, 0, PLAIN },
	{ "sendmsg", SYS_sendmsg, { -1, 0, 0 }, 0, PLAIN },
	{ "recvmsg", SYS_recvmsg, { -1, 0, 0 }, 0, PLAIN },
	{ "sendmmsg", SYS_sendmmsg, { -1, 0, 0, 0 }, 0, PLAIN },
	{ "recvmmsg", SYS_recvmmsg, { -1, 0, 0, 0, 0 }, 0, PLAIN },
	{ "getsockopt", SYS_getsockopt, { -1, 0, 0, 0, 0 }, 0, PLAIN },
	{ "setsockopt", SYS_setsockopt, { -1, 0, 0, 0, 0 }, 0, PLAIN },
	{ "getsockname", SYS_getsockname, { -1, 0, 0 }, 0, PLAIN },
	{ "getpeername", SYS_getpeername, { -1, 0, 0 }, 0, PLAIN },
	{ "shutdown", SYS_shutdown, { -1, 0 }, 0, PLAIN },
	{ "ptrace", SYS_ptrace, { PTRACE_PEEKDATA, -1, 0, 0 }, 0, PLAIN },
	/* Empty iovecs return 0 before the pid lookup: give both one byte. */
	{ "process_vm_readv", SYS_process_vm_readv, { -1, 0, 1, 0, 1, 0 }, 0,
	    IOVEC },
	{ "process_vm_writev", SYS_process_vm_writev, { -1, 0, 1, 0, 1, 0 }, 0,
	    IOVEC },
	{ "io_uring_setup", SYS_io_uring_setup, { 0, 0 }, 1, PLAIN },
	{ "io_uring_enter", SYS_io_uring_enter, { -1 }, 0, PLAIN },
	{ "io_uring_register", SYS_io_uring_register, { -1 }, 0, PLAIN },
	{ "bpf", SYS_bpf, { BPF_MAP_CREATE, 0, 0 }, 1, PLAIN },
	{ "perf_event_open", SYS_perf_event_open, { 0, 0, -1, -1 }, 1, PLAIN },
	/* All flags: includes UFFD_USER_MODE_ONLY, so no sysctl EPERM. */
	{ "userfaultfd", SYS_userfaultfd, { -1 }, 1, PLAIN },
	{ "keyctl", SYS_keyctl, { KEYCTL_BOGUS, 0, 0, 0, 0 }, 0, PLAIN },
	{ "add_key", SYS_add_key, { 0, 0, 0, 0, 0 }, 0, PLAIN },
	{ "setns", SYS_setns, { -1, 0 }, 0, PLAIN },
	/* Invalid flags: with none, zero segments would unload a kernel. */
	{ "kexec_load", SYS_kexec_load, { 0, 0, 0, -1 }, 0, PLAIN },
	{ "init_module", SYS_init_module, { 0, 0, 0 }, 0, PLAIN },
	{ "open_by_handle_at", SYS_open_by_handle_at, { -1, 0, 0 }, 1, PLAIN },
};

static void
p_sys(char **av)
{
	static char buf[1];
	struct iovec local = { buf, 1 }, remote = { NULL, 1 };
	const struct sysent *s = NULL;
	long a[6], rc;

	for (size_t i = 0; i < sizeof(sysents) / sizeof(sysents[0]); i++)
		if (strcmp(sysents[i].name, av[0]) == 0)
			s = &sysents[i];
	if (s == NULL) {
		usage("NAME (a call listed in conformance/README.md)");
		return;
	}
	memcpy(a, s->a, sizeof(a));
	if (s->fix == IOVEC) {
		a[1] = (long)&local;
		a[3] = (long)&remote;
	}
	rc = syscall(s->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (rc == -1) {
		oracle(errno);
		return;
	}
	if (s->fd)
		close((int)rc);
	oracle(0);
}

enum abi { X32, I386, I386_SOCKETCALL_ };

#if defined(__x86_64__)
/*
 * A 32-bit system call from 64-bit code.  Only the low halves of the
 * registers reach the kernel, and the result is -errno in eax.
 */
static long
int80(long nr, long b, long c, long d)
{
	long a = nr;

	__asm__ volatile ("int $0x80"
	    : "+a" (a), "+b" (b), "+c" (c), "+d" (d)
	    :
	    : "memory", "cc", "r8", "r9", "r10", "r11");
	return (int)a;
}

/* socketcall takes its arguments through a pointer below 4 GiB. */
static long
i386_socketcall(int af, int type, int proto)
{
	uint32_t *args;

	args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_32BIT | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (args == MAP_FAILED)
		return -errno;
	args[0] = (uint32_t)af;
	args[1] = (uint32_t)type;
	args[2] = (uint32_t)proto;
	return int80(I386_SOCKETCALL, SYS_SOCKET_, (long)(uintptr_t)args, 0);
}

/* socket(2) through another ABI's entry point: a descriptor or -errno. */
static long
abi_socket(enum abi abi, int af, int type, int proto)
{
	long rc;

	switch (abi) {
	case X32:
		rc = syscall(X32_BIT | X86_64_SOCKET, af, type, proto);
		return rc == -1 ? -errno : rc;
	case I386:
		return int80(I386_SOCKET, af, type, proto);
	default:
		return i386_socketcall(af, type, proto);
	}
}

/*
 * Make the call in a child: a filter may kill the caller outright
 * (seccomp's kill on a foreign architecture) and a kernel without IA32
 * emulation faults on int 0x80.  Either death is reported as ENOSYS,
 * since the call never reached socket(2).
 */
static void
in_child(enum abi abi, int af, int type, int proto)
{
	struct rlimit nocore = { 0, 0 };
	long rc = -EIO;
	ssize_t n;
	pid_t pid;
	int p[2], st;

	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		report(errno, NULL);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		setrlimit(RLIMIT_CORE, &nocore);
		rc = abi_socket(abi, af, type, proto);
		_exit(write(p[1], &rc, sizeof(rc)) == sizeof(rc) ? 0 : 1);
	}
	close(p[1]);
	while ((n = read(p[0], &rc, sizeof(rc))) == -1 && errno == EINTR)
		;
	close(p[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		report(ENOSYS, "detail=%s", WTERMSIG(st) == SIGSYS ? "sigsys" :
		    WTERMSIG(st) == SIGSEGV ? "sigsegv" : "signal");
	else if (n != sizeof(rc))
		report(EIO, "detail=no-result");
	else
		report(rc < 0 && rc > -4096 ? (int)-rc : 0, NULL);
}
#endif

static void
abi_probe(enum abi abi, const char *family, const char *hint)
{
	int af, type, proto;

	if (family_lookup(family, &af, &type, &proto) == -1) {
		usage(hint);
		return;
	}
#if defined(__x86_64__)
	in_child(abi, af, type, proto);
#else
	report(ENOSYS, "detail=not-x86_64");
#endif
}

/* The family's default type, as in the socket probe. */
static void
p_sys_x32(char **av)
{
	if (strcmp(av[0], "socket") != 0)
		usage("socket FAMILY");
	else
		abi_probe(X32, av[1], "socket FAMILY");
}

static void
p_sys_i386(char **av)
{
	const char *hint = "socket|socketcall FAMILY";

	if (strcmp(av[0], "socket") == 0)
		abi_probe(I386, av[1], hint);
	else if (strcmp(av[0], "socketcall") == 0)
		abi_probe(I386_SOCKETCALL_, av[1], hint);
	else
		usage(hint);
}

/* Never push input into a terminal someone is using. */
static int
refuse_tty(void)
{
	if (!isatty(0))
		return 0;
	usage("refusing-on-a-real-tty");
	return 1;
}

static void
p_tiocsti(char **av)
{
	if (refuse_tty())
		return;
	oracle(ioctl(0, TIOCSTI, "x") == -1 ? errno : 0);
}

/* The kernel truncates the request to 32 bits; a filter must too. */
static void
p_tiocsti_hibit(char **av)
{
	if (refuse_tty())
		return;
	oracle(syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1UL << 32),
	    "x") == -1 ? errno : 0);
}

/* Subcode 0 is no operation at all: EINVAL on a console, ENOTTY elsewhere. */
static void
p_tioclinux(char **av)
{
	char subcode = 0;

	oracle(ioctl(0, TIOCLINUX, &subcode) == -1 ? errno : 0);
}

static void
p_unshare(char **av)
{
	static const struct {
		const char	*name;
		int		 flag;
	} ns[] = {
		{ "user", CLONE_NEWUSER }, { "net", CLONE_NEWNET },
		{ "mount", CLONE_NEWNS }, { "pid", CLONE_NEWPID },
		{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },
	};

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		if (strcmp(ns[i].name, av[0]) == 0) {
			outcome(unshare(ns[i].flag));
			return;
		}
	}
	usage("user|net|mount|pid|ipc|uts");
}

const struct probe sys_probes[] = {
	{ "sys", 1, 1, p_sys, "NAME" },
	{ "sys-x32", 2, 2, p_sys_x32, "socket FAMILY" },
	{ "sys-i386", 2, 2, p_sys_i386, "socket|socketcall FAMILY" },
	{ "tiocsti", 0, 0, p_tiocsti, "(no arguments)" },
	{ "tiocsti-hibit", 0, 0, p_tiocsti_hibit, "(no arguments)" },
	{ "tioclinux", 0, 0, p_tioclinux, "(no arguments)" },
	{ "unshare", 1, 1, p_unshare, "user|net|mount|pid|ipc|uts" },
	{ NULL, 0, 0, NULL, NULL },
};
