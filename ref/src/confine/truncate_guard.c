/* A stacked seccomp filter for legacy Landlock below ABI 3 (escape catalogue E23). */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "truncate_guard.h"

static int
rules(scmp_filter_ctx ctx)
{
	/* Read-only access plus O_TRUNC: the one open that truncates without WRITE_FILE. */
	const struct scmp_arg_cmp open_flags = SCMP_A1(SCMP_CMP_MASKED_EQ,
	    O_TRUNC | O_ACCMODE, O_TRUNC);
	const struct scmp_arg_cmp openat_flags = SCMP_A2(SCMP_CMP_MASKED_EQ,
	    O_TRUNC | O_ACCMODE, O_TRUNC);
	int r;

	if ((r = filter_rule(ctx, SCMP_ACT_ERRNO(EPERM), "truncate", 0, NULL)) < 0 ||
	    (r = filter_rule(ctx, SCMP_ACT_ERRNO(EPERM), "truncate64", 0, NULL)) < 0 ||
	    (r = filter_rule(ctx, SCMP_ACT_ERRNO(EPERM), "open", 1, &open_flags)) < 0 ||
	    (r = filter_rule(ctx, SCMP_ACT_ERRNO(EPERM), "openat", 1, &openat_flags)) < 0 ||
	    (r = filter_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0, NULL)) < 0)
		return r;
	return 0;
}

int
truncate_guard_install(char *err, size_t errlen)
{
	/* The same entry points as the main filter. */
	scmp_filter_ctx ctx = filter_ctx_new(err, errlen);
	int r;

	if (ctx == NULL)
		return -1;
	if ((r = rules(ctx)) >= 0)
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
