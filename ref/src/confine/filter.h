/* The seccomp filter of the inner stage, built with libseccomp. */
#ifndef CORDON_FILTER_H
#define CORDON_FILTER_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "plan.h"

/*
 * The programs of every mode, compiled by libseccomp when cordon was built
 * (build/gen/filter_bpf.c): the inner stage loads them as they are instead
 * of building them again on every launch.  Indexed by mode; len 0: none.
 */
struct filter_prog {
	const struct sock_filter *insns;
	unsigned short len;
};
extern const struct filter_prog filter_prebuilt[];
extern const size_t filter_prebuilt_n;
/* The prebuilt program of mode, or NULL if it has none (SECCOMP_NONE). */
const struct filter_prog *filter_prebuilt_for(enum seccomp_mode mode);
/* The most bytes a program may have to go to bwrap through a pipe: one page, never blocks. */
#define FILTER_PIPE_MAX 4096

/* The BPF program libseccomp builds for mode now (malloc'd *insns); -1 on failure. */
int filter_export_bpf(enum seccomp_mode mode, struct sock_filter **insns, size_t *n,
    char *err, size_t errlen);
/*
 * A filter context, default allow, with the x86_64, x32 and i386 entry
 * points; any other architecture kills the process.  NULL on failure.
 */
scmp_filter_ctx filter_ctx_new(char *err, size_t errlen);
/* Add action for the call name (with cmp); a call no architecture has is skipped. */
int filter_rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
    const struct scmp_arg_cmp *cmp);
/* Install NO_NEW_PRIVS and the filter for mode on the calling thread. */
int filter_install(enum seccomp_mode mode, char *err, size_t errlen);
/* Human-readable rules of mode, one per line, for explain. */
void filter_describe(enum seccomp_mode mode, struct strv *out);
/* Write the BPF program (PFC text form) of mode to fd, for debugging. */
int filter_export_pfc(enum seccomp_mode mode, int fd);

#endif
