/* See legacy_summary.h.  Each sentence names the mechanism, so a reader can check it. */
#include "legacy_summary.h"

const char *
legacy_refusal(const struct legacy_env *e)
{
	if (e->abi < 1)
		return "this kernel has no Landlock: cordon run refuses the legacy pipeline";
	if (!e->userns)
		return "no unprivileged user namespace can be made here: cordon run refuses the "
		    "legacy pipeline rather than run the command without its mounts and namespaces";
	return NULL;
}

static void
gives_files(const struct legacy_env *e, struct strv *g)
{
	strv_pushf(g, "writing only beneath the writable roots and /dev/null (Landlock ABI %d); "
	    "every other mount read-only, nosuid and nodev, so modes, owners, times, extended "
	    "attributes and ACLs outside the writable roots cannot be changed either", e->abi);
	strv_push(g, e->abi >= 3 ? "no truncation outside the writable roots (Landlock)" :
	    "no truncation outside the writable roots (a second seccomp filter: Landlock "
	    "handles it from ABI 3)");
	strv_push(g, ".git, .codex, .agents, .aws and a .git file's gitdir target in every "
	    "writable root bound read-only, missing ones masked with an empty read-only "
	    "directory, the directories on the way pinned; Codex's app-server sockets "
	    "(/tmp/codex-daemon-UID), /run/WSL and /mnt/wslg/distro hidden");
}

static void
gives_processes(const struct legacy_env *e, struct strv *g)
{
	const char *net = e->any_policy ? ", and a network one with the network off" :
	    e->network ? "" : " and a network one";

	strv_pushf(g, "new user, mount, PID and IPC namespaces%s: no host process can be "
	    "signalled, reniced, pinned, reprioritised, limited or traced; SysV IPC, POSIX "
	    "message queues and shared memory are private%s", net, e->any_policy ?
	    ", and abstract Unix sockets with the network off" : e->network ? "" :
	    ", and so are abstract Unix sockets");
	if (e->proc && !e->no_proc)
		strv_push(g, "a fresh /proc, with only the sandbox's own processes");
	strv_push(g, "a private /dev (null, zero, full, random, urandom, tty, its own pts, "
	    "shm and mqueue) and a new session: no host device, no controlling terminal "
	    "(/dev/tty fails), no terminal of the caller's by name");
	strv_push(g, "no capabilities, NO_NEW_PRIVS, the seccomp filter, no nested user "
	    "namespaces; the command runs under cordon's init, PID 1, which exits as it does");
}

void
legacy_summary(const struct legacy_env *e, struct strv *gives, struct strv *lacks)
{
	const char *no = legacy_refusal(e);

	if (no != NULL) {
		strv_push(lacks, no);
		return;
	}
	gives_files(e, gives);
	gives_processes(e, gives);
	strv_push(lacks, "reading: the whole filesystem stays readable (the legacy model; a "
	    "policy with a denied path or a read-only path inside a writable root stays on "
	    "bubblewrap)");
	if (!e->proc || e->no_proc)
		strv_pushf(lacks, "/proc is the enclosing one, read-only (%s): host processes and "
		    "their command lines are listed; Landlock still keeps their environment, "
		    "descriptors and memory out of reach", e->no_proc ? "--no-proc" :
		    "a fresh one cannot be mounted here");
	if (e->network || e->any_policy)
		strv_push(lacks, "with the network on, the host's network namespace: its abstract "
		    "Unix sockets are reachable, as any network is (as in the bubblewrap pipeline)");
	strv_push(lacks, "a FIFO inside a read-only carve-out of a writable root (.git/) can "
	    "be opened for writing, as in the bubblewrap pipeline: Landlock cannot take back "
	    "below a writable root a right it grants there");
}
