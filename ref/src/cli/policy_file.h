/* cordon run --policy FILE: a policy too large for the command line, from a file or stdin. */
#ifndef CORDON_POLICY_FILE_H
#define CORDON_POLICY_FILE_H

#include <stddef.h>

/* The whole of path ("-": standard input), malloc'd; NULL and one line in err. */
char *policy_file_read(const char *path, char *err, size_t errlen);

#endif
