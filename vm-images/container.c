/*
 * cordon-container: run a command as Docker runs a container's process by
 * default, so the matrix can judge sandboxes where users most often find
 * them broken.  Two of the three things Docker does are here:
 *
 *   - the capabilities: the bounding set, and root's own sets, cut to
 *     Docker's default list (no CAP_SYS_ADMIN, no CAP_NET_ADMIN, ...);
 *   - the calls Docker's default seccomp profile refuses a container
 *     without CAP_SYS_ADMIN: new namespaces (unshare, setns, clone with a
 *     CLONE_NEW* flag; clone3 gets ENOSYS so libcs fall back to clone),
 *     mounts of every kind, the keyrings, bpf, perf_event_open,
 *     userfaultfd, and the calls of the capabilities it lacks.
 *
 *   - the mount tree: every mount a slave of the host's, as Docker sets a
 *     container's root propagation.
 *
 * What Docker also does to /proc (parts masked, /proc/sys read-only) is
 * set up by the guest's init before it starts this (vm-images/init).  The
 * profile is written from Docker's documented defaults; it is a denylist of
 * what they leave out, not a copy of the profile's allowlist.
 *
 * usage: cordon-container -- COMMAND [ARG...]   (as root)
 */
#include <err.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/capability.h>

#include <seccomp.h>
#include <sys/capability.h>

/* Docker's default capabilities (moby's oci/caps/defaults.go, as documented). */
static const cap_value_t docker_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
	CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
	CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

/* Calls the default profile does not allow without CAP_SYS_ADMIN (or a capability Docker drops). */
static const char *const refused[] = {
	"unshare", "setns", "mount", "umount", "umount2", "pivot_root", "mount_setattr",
	"fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
	"keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
	"quotactl", "syslog", "lookup_dcookie", "vhangup", "acct", "swapon", "swapoff",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"iopl", "ioperm", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
	"name_to_handle_at", "open_by_handle_at", "nfsservctl", "reboot", "setdomainname",
	"sethostname", NULL,
};

/* CLONE_NEWNS | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWCGROUP */
#define CLONE_NAMESPACES 0x7E020000ULL

static void
drop_capabilities(void)
{
	cap_t caps = cap_init();

	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		bool keep = false;

		for (size_t i = 0; i < sizeof(docker_caps) / sizeof(docker_caps[0]); i++)
			keep = keep || docker_caps[i] == c;
		if (!keep && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			err(1, "PR_CAPBSET_DROP %d", c);
	}
	if (caps == NULL ||
	    cap_set_flag(caps, CAP_EFFECTIVE, sizeof(docker_caps) / sizeof(docker_caps[0]),
	    docker_caps, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, sizeof(docker_caps) / sizeof(docker_caps[0]),
	    docker_caps, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_INHERITABLE, sizeof(docker_caps) / sizeof(docker_caps[0]),
	    docker_caps, CAP_SET) < 0 || cap_set_proc(caps) < 0)
		err(1, "capabilities");
	cap_free(caps);
}

static void
install_profile(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = 0;

	if (ctx == NULL)
		errx(1, "seccomp_init");
	for (size_t i = 0; refused[i] != NULL && r == 0; i++) {
		int nr = seccomp_syscall_resolve_name(refused[i]);

		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	/* Any one CLONE_NEW* flag is enough to refuse: a rule per flag. */
	for (unsigned bit = 17; bit < 31 && r == 0; bit++) {
		unsigned long long f = 1ULL << bit;

		if ((CLONE_NAMESPACES & f) != 0)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
			    SCMP_A0(SCMP_CMP_MASKED_EQ, f, f));
	}
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (r == 0)
		r = seccomp_load(ctx);
	if (r < 0)
		errx(1, "seccomp: %s", strerror(-r));
	seccomp_release(ctx);
}

int
main(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "--") != 0)
		errx(2, "usage: cordon-container -- COMMAND [ARG...]");
	if (geteuid() != 0)
		errx(2, "run me as root: a container's process is root without CAP_SYS_ADMIN");
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		err(1, "making / a slave mount tree");
	/* The filter first: loading it without NO_NEW_PRIVS needs CAP_SYS_ADMIN, dropped next. */
	install_profile();
	drop_capabilities();
	execvp(argv[2], argv + 2);
	err(127, "%s", argv[2]);
}
