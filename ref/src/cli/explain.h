/* cordon explain: the plan sandbox_prepare made, printed; nothing runs. */
#ifndef CORDON_EXPLAIN_H
#define CORDON_EXPLAIN_H

#include <stdio.h>

#include "cli.h"
#include "sandbox.h"

/* Print the plan, as text or as JSON. */
void explain_print(const struct invocation *inv, const struct prepared *pr, FILE *out);
void explain_print_json(const struct invocation *inv, const struct prepared *pr, FILE *out);
/* explain --argv-line: the bwrap command line as one line for a shell; 0 or an exit status. */
int explain_print_argv_line(const struct invocation *inv, const struct prepared *pr, FILE *out);
/* A plan sandbox_prepare refused: what was made of it up to the refusal, and why. */
void explain_print_refused(const struct invocation *inv, const struct prepared *pr,
    const char *why, FILE *out);
void explain_print_refused_json(const struct invocation *inv, const struct prepared *pr,
    const char *why, FILE *out);

#endif
