/* See nofile.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "nofile.h"

int
nofile_ensure(unsigned long need, const char *what, char *err, size_t errlen)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "cannot read the limit on open files: %s", strerror(errno));
		return -1;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		snprintf(err, errlen, "%s needs about %lu open files, and the hard limit here is "
		    "%lu: raise it (ulimit -Hn, LimitNOFILE=) or deny fewer files", what, need,
		    (unsigned long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "%s needs about %lu open files; raising the limit on open "
		    "files from %lu: %s", what, need, (unsigned long)rl.rlim_cur, strerror(errno));
		return -1;
	}
	return 0;
}
