/* A stacked seccomp filter for legacy Landlock below ABI 3 (escape catalogue E23). */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "truncate_guard.h"

static int
add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
    const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);
	int r;

	if (nr == __NR_SCMP_ERROR)
		return 0;	/* no such call on any architecture of the filter */
	r = seccomp_rule_add_array(ctx, action, nr, n, cmp);
	return r == -EOPNOTSUPP ? 0 : r;
}

static int
rules(scmp_filter_ctx ctx)
{
	/* Read-only access plus O_TRUNC: the one open that truncates without WRITE_FILE. */
	const struct scmp_arg_cmp open_flags = SCMP_A1(SCMP_CMP_MASKED_EQ,
	    O_TRUNC | O_ACCMODE, O_TRUNC);
	const struct scmp_arg_cmp openat_flags = SCMP_A2(SCMP_CMP_MASKED_EQ,
	    O_TRUNC | O_ACCMODE, O_TRUNC);
	int r;

	if ((r = add(ctx, SCMP_ACT_ERRNO(EPERM), "truncate", 0, NULL)) < 0 ||
	    (r = add(ctx, SCMP_ACT_ERRNO(EPERM), "truncate64", 0, NULL)) < 0 ||
	    (r = add(ctx, SCMP_ACT_ERRNO(EPERM), "open", 1, &open_flags)) < 0 ||
	    (r = add(ctx, SCMP_ACT_ERRNO(EPERM), "openat", 1, &openat_flags)) < 0 ||
	    (r = add(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0, NULL)) < 0)
		return r;
	return 0;
}

int
truncate_guard_install(char *err, size_t errlen)
{
	static const uint32_t extra[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = 0;

	if (ctx == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	/* The same entry points as the main filter, which kills any other architecture. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64)
		for (size_t i = 0; i < 2 && r >= 0; i++)
			if ((r = seccomp_arch_add(ctx, extra[i])) == -EEXIST)
				r = 0;
	if (r >= 0)
		r = rules(ctx);
	if (r >= 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0) {
		snprintf(err, errlen, "the truncation filter: %s", strerror(-r));
		return -1;
	}
	return 0;
}

void
truncate_guard_describe(struct strv *out)
{
	strv_push(out, "truncate, truncate64: EPERM (Landlock below ABI 3 does not handle "
	    "truncation)");
	strv_push(out, "open, openat with O_TRUNC and read-only access: EPERM");
	strv_push(out, "openat2: ENOSYS (its flags are out of a filter's reach; callers fall "
	    "back to openat)");
}
