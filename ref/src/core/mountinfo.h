/*
 * /proc/self/mountinfo, read as text: which mounts there are, where, with
 * which per-mount flags, and which of them a path can still reach.  Pure,
 * so the legacy pipeline's read-only walk is tested with golden tables.
 */
#ifndef CORDON_MOUNTINFO_H
#define CORDON_MOUNTINFO_H

#include <stddef.h>

struct mount_entry {
	int id, parent;
	char *point;		/* the mount point, its octal escapes decoded */
	unsigned long flags;	/* this mount's MS_RDONLY, MS_NOSUID, ... (not its superblock's) */
};

struct mount_table {
	struct mount_entry *e;
	size_t n;
};

/* Decode the kernel's \ooo escapes (space, tab, newline, backslash) in place; returns s. */
char *mountinfo_unescape(char *s);
/* The MS_* flags of a per-mount options field such as "rw,nosuid,relatime". */
unsigned long mountinfo_flags(const char *opts);
/* One line (no newline) into *e, which the caller frees with the table; -1 if malformed. */
int mountinfo_parse_line(const char *line, struct mount_entry *e);
/* Every line of text; -1 (nothing kept) on a malformed line. */
int mountinfo_parse(const char *text, struct mount_table *t);
void mount_table_free(struct mount_table *t);

/*
 * The mounts a path can reach, as indexes into t, in tree order from the
 * root mount (the last one on "/"): not a mount with another on the same
 * point, nor one below a later sibling's point, nor anything beneath such
 * a mount.  Remounting the others by path would land on a different
 * mount, or on none.  Returns how many; *out is malloc'd.
 */
size_t mountinfo_reachable(const struct mount_table *t, size_t **out);

#endif
