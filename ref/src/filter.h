/* The seccomp filter of the inner stage, built with libseccomp. */
#ifndef CORDON_FILTER_H
#define CORDON_FILTER_H

#include <stddef.h>

#include "plan.h"

/* Install NO_NEW_PRIVS and the filter for mode on the calling thread. */
int filter_install(enum seccomp_mode mode, char *err, size_t errlen);
/* Human-readable rules of mode, one per line, for explain. */
void filter_describe(enum seccomp_mode mode, struct strv *out);
/* Write the BPF program (PFC text form) of mode to fd, for debugging. */
int filter_export_pfc(enum seccomp_mode mode, int fd);

#endif
