/*
 * Seccomp rules.  Default allow, matched calls fail with EPERM.  The same
 * rules are added for the x86_64, x32 and i386 entry points, so a 32-bit
 * or x32 binary cannot step around them (Codex checks the native ABI only).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include <seccomp.h>

#include "filter.h"
#include "mutant.h"
#include "util.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

/* Socket calls that a network-off sandbox never needs. */
static const char *const net_calls[] = {
	"connect", "accept", "accept4", "bind", "listen", "getpeername", "getsockname",
	"shutdown", "sendto", "sendmmsg", "recvmmsg", "getsockopt", "setsockopt", NULL,
};

/* Calls that reach into other processes or bypass syscall filtering. */
static const char *const tracing_calls[] = {
	"ptrace", "process_vm_readv", "process_vm_writev", NULL,
};

/*
 * Keyrings are not namespaced: the session keyring the caller started the
 * sandbox with stays the command's, with the caller's keys in it.
 */
static const char *const keyring_calls[] = {
	"keyctl", "add_key", "request_key", NULL,
};

static const char *const io_uring_calls[] = {
	"io_uring_setup", "io_uring_enter", "io_uring_register", NULL,
};

int
filter_rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
    const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);
	int r;

	if (nr == __NR_SCMP_ERROR)
		return 0;	/* not a call on this architecture */
	r = seccomp_rule_add_array(ctx, action, nr, n, cmp);
	return r == -EOPNOTSUPP ? 0 : r;
}

/*
 * The mask of an int argument: the kernel reads only its low 32 bits, so
 * set high bits must not hide a match (CVE-2019-10063).
 */
static scmp_datum_t
low32(void)
{
	return mutant("filter-32-bit-compares") ? ~(scmp_datum_t)0 : 0xffffffffu;
}

static int
deny(scmp_filter_ctx ctx, const char *name, unsigned n, const struct scmp_arg_cmp *cmp)
{
	return filter_rule(ctx, SCMP_ACT_ERRNO(EPERM), name, n, cmp);
}

static int
deny_all(scmp_filter_ctx ctx, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++) {
		int r = deny(ctx, names[i], 0, NULL);

		if (r < 0)
			return r;
	}
	return 0;
}

/* socket()/socketpair() with a domain other than keep fail. */
static int
deny_domains_except(scmp_filter_ctx ctx, int keep)
{
	struct scmp_arg_cmp ne = SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)keep);
	int r;

	if ((r = deny(ctx, "socket", 1, &ne)) < 0)
		return r;
	return deny(ctx, "socketpair", 1, &ne);
}

/* Compared on the low 32 bits: the kernel reads an int, so high bits must not hide a match. */
static int
deny_domain(scmp_filter_ctx ctx, int domain)
{
	struct scmp_arg_cmp eq = SCMP_A0(SCMP_CMP_MASKED_EQ, low32(), (scmp_datum_t)domain);
	int r;

	if ((r = deny(ctx, "socket", 1, &eq)) < 0)
		return r;
	return deny(ctx, "socketpair", 1, &eq);
}

/*
 * TIOCSTI pushes input into the controlling terminal, TIOCLINUX can do the
 * same on a VT.  The request is compared on its low 32 bits only, since
 * the kernel ignores the upper half (CVE-2019-10063).
 */
static int
deny_tty_injection(scmp_filter_ctx ctx)
{
	const unsigned long reqs[] = { TIOCSTI, TIOCLINUX };

	for (size_t i = 0; i < 2; i++) {
		struct scmp_arg_cmp c = SCMP_A1(SCMP_CMP_MASKED_EQ, low32(), reqs[i]);
		int r = deny(ctx, "ioctl", 1, &c);

		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * A Unix datagram socket can sendmsg() to any socket path on the host
 * (syslog, journald, notify sockets) without connect(), and sendmsg stays
 * allowed for the socketpair IPC that build tools rely on.  So with the
 * network off, AF_UNIX datagram sockets (SOCK_RAW means the same for
 * AF_UNIX) cannot be created at all; stream and seqpacket ones can.
 */
static int
deny_unix_datagrams(scmp_filter_ctx ctx)
{
	const int types[] = { SOCK_DGRAM, SOCK_RAW };
	const char *const calls[] = { "socket", "socketpair" };

	for (size_t t = 0; t < 2; t++) {
		struct scmp_arg_cmp c[2] = {
			SCMP_A0(SCMP_CMP_MASKED_EQ, low32(), AF_UNIX),
			SCMP_A1(SCMP_CMP_MASKED_EQ, 0xfu, (scmp_datum_t)types[t]),
		};

		for (size_t k = 0; k < 2; k++) {
			int r = deny(ctx, calls[k], 2, c);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

/*
 * Managed proxy mode: socket() only for AF_INET and AF_INET6, whose only
 * interface in the private network namespace is lo.  The domain's low 32
 * bits are matched for the small families; anything above AF_INET6 is
 * caught by a 64-bit comparison, so set high bits cannot hide AF_UNIX.
 * socketpair() is denied outright: stricter than Codex 0.169.0, which
 * still allows it, since a Unix socket pair can carry descriptors.
 */
static int
deny_non_ip_sockets(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp above = SCMP_A0(SCMP_CMP_GT, (scmp_datum_t)AF_INET6);
	int r;

	for (int d = 0; d < AF_INET6; d++) {
		struct scmp_arg_cmp eq = SCMP_A0(SCMP_CMP_MASKED_EQ, low32(), (scmp_datum_t)d);

		if (d != AF_INET && (r = deny(ctx, "socket", 1, &eq)) < 0)
			return r;
	}
	if ((r = deny(ctx, "socket", 1, &above)) < 0)
		return r;
	return deny(ctx, "socketpair", 0, NULL);
}

/*
 * A lease on a host file (any file the command's user owns and can open)
 * makes every host process that opens it for writing wait for the lease
 * break, up to lease-break-time (45 s), and tells the command it happened:
 * file leases are shared kernel state no namespace covers.
 */
static int
deny_leases(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp c = SCMP_A1(SCMP_CMP_MASKED_EQ, low32(), F_SETLEASE);
	int r;

	if ((r = deny(ctx, "fcntl", 1, &c)) < 0)
		return r;
	return deny(ctx, "fcntl64", 1, &c);
}

/*
 * No nested user namespaces: they hand the command a full set of
 * capabilities over new namespaces and the kernel code behind them.
 * bwrap's --disable-userns does this too where it exists (0.8.0 on); the
 * filter covers older bwraps.  clone3 passes its flags in memory a filter
 * cannot read, so it answers ENOSYS and the C library falls back to clone.
 */
static int
deny_user_namespaces(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp newuser = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER);
	int r;

	if ((r = deny(ctx, "unshare", 1, &newuser)) < 0 || (r = deny(ctx, "clone", 1, &newuser)) < 0)
		return r;
	return filter_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
}

/* A rule group, unless a mutant build left it out (ref/mutants). */
static int
group(const char *name, int (*add)(scmp_filter_ctx), scmp_filter_ctx ctx)
{
	return mutant(name) ? 0 : add(ctx);
}

static int
deny_io_uring(scmp_filter_ctx ctx)
{
	return deny_all(ctx, io_uring_calls);
}

static int
deny_keyrings(scmp_filter_ctx ctx)
{
	return deny_all(ctx, keyring_calls);
}

static int
deny_tracing(scmp_filter_ctx ctx)
{
	return deny_all(ctx, tracing_calls);
}

static int
deny_net_calls(scmp_filter_ctx ctx)
{
	return deny_all(ctx, net_calls);
}

static int
deny_vsock(scmp_filter_ctx ctx)
{
	return deny_domain(ctx, AF_VSOCK);
}

static int
deny_non_unix(scmp_filter_ctx ctx)
{
	return deny_domains_except(ctx, AF_UNIX);
}

static int
add_rules(scmp_filter_ctx ctx, enum seccomp_mode mode)
{
	int r;

	if ((r = group("filter-tty-injection", deny_tty_injection, ctx)) < 0 ||
	    (r = group("filter-io-uring", deny_io_uring, ctx)) < 0 ||
	    (r = group("filter-user-namespaces", deny_user_namespaces, ctx)) < 0 ||
	    (r = group("filter-keyrings", deny_keyrings, ctx)) < 0 ||
	    (r = group("filter-leases", deny_leases, ctx)) < 0)
		return r;
	if (mode == SECCOMP_DENY_VSOCK)
		return group("filter-vsock", deny_vsock, ctx);
	if ((r = group("filter-tracing", deny_tracing, ctx)) < 0)
		return r;
	if (mode == SECCOMP_PROXY)
		return group("filter-non-ip-sockets", deny_non_ip_sockets, ctx);
	if ((r = group("filter-net-calls", deny_net_calls, ctx)) < 0 ||
	    (r = group("filter-unix-datagrams", deny_unix_datagrams, ctx)) < 0)
		return r;
	return group("filter-socket-families", deny_non_unix, ctx);
}

scmp_filter_ctx
filter_ctx_new(char *err, size_t errlen)
{
	static const uint32_t extra[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };
	scmp_filter_ctx ctx;
	int r;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return NULL;
	}
	if (seccomp_arch_native() == SCMP_ARCH_X86_64 && !mutant("filter-x32-i386")) {
		for (size_t i = 0; i < 2; i++) {
			r = seccomp_arch_add(ctx, extra[i]);
			if (r < 0 && r != -EEXIST) {
				snprintf(err, errlen, "seccomp_arch_add: %s", strerror(-r));
				seccomp_release(ctx);
				return NULL;
			}
		}
	}
	/*
	 * An unknown architecture must not slip past the rules: libseccomp
	 * kills the thread by default; the whole process, as for any denied
	 * call that is not given an errno.
	 */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/*
	 * A binary tree over the call numbers, not a chain: loading a filter
	 * makes the kernel (5.11 on) run it for every call number to cache
	 * the always-allowed ones, and that cost follows the path length.
	 * Measured: 135 -> 77 us per load, and bwrap loads it twice.
	 */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	return ctx;
}

static scmp_filter_ctx
build(enum seccomp_mode mode, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = filter_ctx_new(err, errlen);
	int r;

	if (ctx == NULL)
		return NULL;
	r = add_rules(ctx, mode);
	if (r < 0) {
		snprintf(err, errlen, "building seccomp filter: %s", strerror(-r));
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

#ifdef CORDON_MUTANTS
/* A mutant of a filter rule: the program built now, without that rule. */
static const struct filter_prog *
mutant_prog(enum seccomp_mode mode)
{
	static struct filter_prog progs[4];
	struct sock_filter *insns;
	char err[256];
	size_t n;

	if (!mutant_prefix("filter-"))
		return NULL;
	if ((size_t)mode >= 4 || mode == SECCOMP_NONE)
		return NULL;
	if (progs[mode].len == 0) {
		if (filter_export_bpf(mode, &insns, &n, err, sizeof(err)) < 0)
			errx_(EXIT_POLICY, "%s", err);
		progs[mode].insns = insns;
		progs[mode].len = (unsigned short)n;
	}
	return &progs[mode];
}
#endif

const struct filter_prog *
filter_prebuilt_for(enum seccomp_mode mode)
{
#ifdef CORDON_MUTANTS
	const struct filter_prog *mp = mutant_prog(mode);

	if (mp != NULL)
		return mp;
#endif
	if ((size_t)mode >= filter_prebuilt_n || filter_prebuilt[mode].len == 0)
		return NULL;
	return &filter_prebuilt[mode];
}

int
filter_install(enum seccomp_mode mode, char *err, size_t errlen)
{
	const struct filter_prog *fp;
	scmp_filter_ctx ctx;
	int r;

	if (!mutant("no-new-privs") && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
	if (mode == SECCOMP_NONE)
		return 0;
	if ((fp = filter_prebuilt_for(mode)) != NULL) {
		struct sock_fprog prog = { fp->len, (struct sock_filter *)fp->insns };

		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
			snprintf(err, errlen, "loading seccomp filter: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((ctx = build(mode, err, errlen)) == NULL)
		return -1;
	r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0) {
		snprintf(err, errlen, "loading seccomp filter: %s", strerror(-r));
		return -1;
	}
	return 0;
}

int
filter_export_bpf(enum seccomp_mode mode, struct sock_filter **insns, size_t *n,
    char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	int fd, r;
	off_t size;

	*insns = NULL;
	*n = 0;
	if (mode == SECCOMP_NONE)
		return 0;
	if ((ctx = build(mode, err, errlen)) == NULL)
		return -1;
	fd = memfd_create("cordon-bpf", MFD_CLOEXEC);
	r = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (r < 0 || (size = lseek(fd, 0, SEEK_END)) <= 0 ||
	    size % (off_t)sizeof(struct sock_filter) != 0) {
		snprintf(err, errlen, "exporting the %s filter: %s", seccomp_mode_name(mode),
		    strerror(r < 0 ? -r : EINVAL));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*insns = xmalloc((size_t)size);
	if (pread(fd, *insns, (size_t)size, 0) != size) {
		snprintf(err, errlen, "reading the exported %s filter", seccomp_mode_name(mode));
		free(*insns);
		*insns = NULL;
		close(fd);
		return -1;
	}
	close(fd);
	*n = (size_t)size / sizeof(struct sock_filter);
	return 0;
}

int
filter_export_pfc(enum seccomp_mode mode, int fd)
{
	char err[256];
	scmp_filter_ctx ctx = build(mode, err, sizeof(err));
	int r;

	if (ctx == NULL)
		return -1;
	r = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	return r;
}

static void
describe_list(struct strv *out, const char *const *names, const char *why)
{
	for (size_t i = 0; names[i] != NULL; i++)
		strv_pushf(out, "%s: EPERM (%s)", names[i], why);
}

void
filter_describe(enum seccomp_mode mode, struct strv *out)
{
	if (mode == SECCOMP_NONE)
		return;
	strv_push(out, "architectures: x86_64, x32, i386 (any other: kill process)");
	strv_push(out, "default: allow");
	strv_push(out, "ioctl TIOCSTI, TIOCLINUX (low 32 bits of the request): EPERM");
	strv_push(out, "unshare, clone with CLONE_NEWUSER: EPERM; clone3: ENOSYS (flags unreadable)");
	describe_list(out, io_uring_calls, "io_uring bypasses seccomp");
	describe_list(out, keyring_calls, "the caller's session keyring is shared");
	strv_push(out, "fcntl F_SETLEASE: EPERM (a lease stalls host processes opening the file)");
	if (mode == SECCOMP_DENY_VSOCK) {
		strv_push(out, "socket, socketpair with domain AF_VSOCK (low 32 bits): EPERM");
		return;
	}
	describe_list(out, tracing_calls, "cross-process access");
	if (mode == SECCOMP_PROXY) {
		strv_push(out, "socket with any domain but AF_INET, AF_INET6: EPERM "
		    "(the private network namespace has only lo and the proxy forwarders)");
		strv_push(out, "socketpair: EPERM (stricter than Codex 0.169.0, which allows it)");
		return;
	}
	describe_list(out, net_calls, "network off");
	strv_push(out, "socket, socketpair with any domain but AF_UNIX: EPERM");
	strv_push(out, "socket, socketpair AF_UNIX with type SOCK_DGRAM or SOCK_RAW: EPERM "
	    "(sendmsg to host socket paths)");
}
