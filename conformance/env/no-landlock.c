/*
 * cordon-no-landlock: run a command as on a kernel without Landlock.
 *
 * The landlock_* calls answer ENOSYS, which is what Linux 5.10 (Debian
 * 11) answers, and what a container whose seccomp profile predates
 * Landlock answers.  Everything else is the host's: the same kernel, the
 * same bubblewrap.  make mutants runs the suite this way too, so that a
 * defence that matters only where Landlock is missing (E72) can be
 * judged on a host that has it.
 *
 * usage: cordon-no-landlock COMMAND [ARG...]
 */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <seccomp.h>

static const char *const landlock_calls[] = {
	"landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", NULL,
};

static const uint32_t arches[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };

int
main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int r;

	if (argc < 2)
		errx(2, "usage: cordon-no-landlock COMMAND [ARG...]");
	/* An unprivileged filter needs no_new_privs; cordon sets it anyway. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		err(1, "no_new_privs");
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		errx(1, "seccomp_init failed");
	/* Every entry point answers the same; a call from one not listed passes (no kill). */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW)) < 0)
		errx(1, "seccomp_attr_set: %d", r);
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if ((r = seccomp_arch_add(ctx, arches[i])) < 0 && r != -EEXIST)
			errx(1, "seccomp_arch_add: %d", r);
	for (size_t i = 0; landlock_calls[i] != NULL; i++) {
		int nr = seccomp_syscall_resolve_name(landlock_calls[i]);

		/* A libseccomp too old to know the call: the kernel's own ENOSYS stands. */
		if (nr == __NR_SCMP_ERROR)
			continue;
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0)) < 0)
			errx(1, "seccomp_rule_add %s: %d", landlock_calls[i], r);
	}
	if ((r = seccomp_load(ctx)) < 0)
		errx(1, "seccomp_load: %d", r);
	seccomp_release(ctx);
	execvp(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
