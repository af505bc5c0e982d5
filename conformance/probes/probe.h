/*
 * cordon-probe: one attempted operation per subcommand, one line of
 * output each (see conformance/README.md, "Probe protocol").
 */
#ifndef PROBE_H
#define PROBE_H

#include <stddef.h>

#define PROBE_USAGE	2

struct probe {
	const char	*name;
	int		 minargs;
	int		 maxargs;
	void		(*run)(char **);
	const char	*hint;
};

/* Each table ends with a NULL name. */
extern const struct probe fs_probes[];
extern const struct probe net_probes[];
extern const struct probe sys_probes[];
extern const struct probe proc_probes[];
extern const struct probe io_probes[];
extern const struct probe key_probes[];

/* Output: exactly one of these per probe. */
void	 report(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 outcome(int);
void	 oracle(int);
void	 usage(const char *);
void	 say(const char *);

const char	*errname(int);
char		*clean(char *, size_t, const char *);
int		 parse_long(const char *, int, long *);

/* Shared by fs and proc: open a file, read one byte. */
void	 read_path(const char *);

/* Shared by net and sys: a family name to AF_* and its default type. */
int	 family_lookup(const char *, int *, int *, int *);

#endif
