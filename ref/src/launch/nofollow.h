/*
 * Opening a directory by a path in which no component may be a symlink:
 * for acting on the host in a tree the sandboxed command can change.
 */
#ifndef CORDON_NOFOLLOW_H
#define CORDON_NOFOLLOW_H

/*
 * An O_PATH descriptor of the directory at path (absolute, no ".."),
 * reached without following any symlink; -1 with errno set (ELOOP or
 * ENOTDIR where a component is a symlink) otherwise.
 */
int nofollow_opendir(const char *path);

#endif
