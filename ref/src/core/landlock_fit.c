/*
 * The pure half of landlock.h: whether the legacy pipeline fits a set of
 * rules, and what the bubblewrap pipeline's Landlock layer gives at an
 * ABI.  The kernel's answer (the ABI) is asked elsewhere and passed in.
 */
#include <stdlib.h>

#include "landlock.h"
#include "path.h"

const char *
landlock_layer_summary(int abi)
{
	if (abi <= 0)
		return "none (this kernel has no Landlock): a FIFO outside the writable roots can "
		    "still be opened for writing, a channel to host processes that read-only "
		    "mounts do not close";
	if (abi < 6)
		return "on top of the mounts: opening anything outside the writable roots, bwrap's "
		    "/dev and /proc for writing (FIFOs, devices) is denied; signals are not scoped "
		    "at this ABI (the PID namespace still hides host processes)";
	return "on top of the mounts: opening anything outside the writable roots, bwrap's "
	    "/dev and /proc for writing (FIFOs, devices) is denied; signals (and, network "
	    "off, abstract sockets) are scoped to the sandbox";
}

/*
 * A read rule changes nothing when its parent is already read-only: the
 * root is readable, so only carve-outs under a writable root matter.
 */
static bool
redundant_read(const struct rules *rs, const struct rule *r)
{
	char *parent = path_parent(r->path);
	bool same = rules_effective(rs, parent, NULL) == ACCESS_READ;

	free(parent);
	return same;
}

#define MISFIT(what) "legacy Landlock was requested, but " what ": using bubblewrap"

/* Why the legacy pipeline cannot express rule r (a static sentence), or NULL if it can. */
static const char *
misfit(const struct rules *rs, const struct rule *r)
{
	if (r->hidden)
		return rules_open_below(rs, r) ? MISFIT("the policy opens a path inside one "
		    "cordon hides whatever the policy says, which the legacy pipeline cannot "
		    "express") : NULL;
	if (r->access == ACCESS_WRITE && (path_is_under(r->path, "/dev") ||
	    path_is_under(r->path, "/proc")))
		return MISFIT("the policy makes a path in /dev or /proc writable, which the "
		    "legacy pipeline's own /dev and /proc would hide");
	if (r->protected || r->access == ACCESS_WRITE)
		return NULL;
	if (r->access == ACCESS_DENY)
		return MISFIT("the policy denies a path, which legacy Landlock cannot express");
	if (!redundant_read(rs, r))
		return MISFIT("the policy keeps a path read-only inside a writable root, which "
		    "legacy Landlock cannot express");
	return NULL;
}

enum landlock_fit
landlock_decide(const struct rules *rs, int abi, const char **why)
{
	const struct rule *root = rules_find(rs, "/");

	if (abi < 1) {
		*why = "legacy Landlock was requested but this kernel has no Landlock "
		    "(not built in, or not in the lsm= list); refusing to run the command";
		return LANDLOCK_REFUSE;
	}
	if (root == NULL || root->access != ACCESS_READ) {
		*why = "legacy Landlock was requested, but the policy does not read the whole "
		    "filesystem, which legacy Landlock cannot express: using bubblewrap";
		return LANDLOCK_BWRAP;
	}
	for (size_t i = 0; i < rs->n; i++) {
		const char *m = &rs->r[i] == root ? NULL : misfit(rs, &rs->r[i]);

		if (m != NULL) {
			*why = m;
			return LANDLOCK_BWRAP;
		}
	}
	*why = "legacy Landlock was requested and the policy is the legacy model (everything "
	    "readable, writable roots): cordon's init builds the view in new user, mount, PID "
	    "and IPC namespaces (and a network one with the network off), then confines itself "
	    "and the command in-process with seccomp and Landlock";
	return LANDLOCK_APPLY;
}
