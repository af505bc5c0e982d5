/* The one decision: pipeline, seccomp mode and launch mode, and why (decide.h). */
#include <string.h>

#include "decide.h"
#include "mutant.h"
#include "landlock.h"

enum pipeline
decide_pipeline_for(const struct rules *rs, bool proxy)
{
	return proxy ? PIPELINE_BWRAP : plan_pipeline(rs);
}

enum seccomp_mode
decide_seccomp_for(const struct rules *rs, bool proxy)
{
	return proxy ? SECCOMP_PROXY : plan_seccomp_mode(rs);
}

static const char *
reason_for(bool proxy, enum pipeline p)
{
	if (proxy)
		return "managed proxy mode: bubblewrap builds the view and a private network "
		    "namespace whose only way out is the proxy endpoints";
	switch (p) {
	case PIPELINE_UNCONFINED:
		return "the whole filesystem is writable and the network is on: nothing to confine";
	case PIPELINE_SECCOMP:
		return "the whole filesystem is writable: only the network is confined, in-process";
	case PIPELINE_BWRAP:
	case PIPELINE_LANDLOCK:
		break;
	}
	return "the filesystem is restricted: bubblewrap builds the view, seccomp confines the command";
}

void
decide_pipeline(const struct asked *a, const struct rules *rs, int landlock_abi,
    struct decision *d)
{
	memset(d, 0, sizeof(*d));
	d->pipeline = decide_pipeline_for(rs, a->proxy);
	d->seccomp = decide_seccomp_for(rs, a->proxy);
	d->reason = reason_for(a->proxy, d->pipeline);
	/*
	 * A writable disk needs no Landlock: the seccomp-only path is the
	 * legacy one too.  As in Codex, proxy mode wins over the legacy
	 * pipeline, which cannot route.
	 */
	if (!a->legacy_landlock || a->proxy || d->pipeline != PIPELINE_BWRAP)
		return;
	switch (landlock_decide(rs, landlock_abi, &d->reason)) {
	case LANDLOCK_REFUSE:
		d->refuse = true;
		break;
	case LANDLOCK_APPLY:
		d->pipeline = PIPELINE_LANDLOCK;
		break;
	case LANDLOCK_BWRAP:
		break;
	}
}

/*
 * A careful launch here already showed what this bwrap does (bwrap.h):
 * cordon may hand over to it, with /proc or, where it cannot be mounted,
 * without.  CORDON_CAREFUL=1 always takes the careful way.
 */
static void
known_outcome(const struct facts *f, struct decision *d)
{
	d->launch_why = "the first launch with this bwrap here: cordon watches bwrap start "
	    "(to retry without /proc if it cannot mount one) and the inner stage checks that "
	    "no capability is left before it confines the command";
	if (f->careful) {
		d->launch_why = "CORDON_CAREFUL=1 asks for it";
		return;
	}
	switch (f->proc) {
	case PROC_UNKNOWN:
		return;
	case PROC_NOT_TRIED:
		if (d->mount_proc)
			return;
		break;
	case PROC_FAILS:
		if (d->mount_proc)
			d->proc_fails = true;
		d->mount_proc = false;
		break;
	case PROC_MOUNTS:
		break;
	}
	d->direct_ok = true;
}

void
decide_launch(const struct asked *a, const struct facts *f, struct decision *d)
{
	d->mount_proc = !a->no_proc;
	d->proc_fails = false;
	d->direct_ok = false;
	d->launch_why = NULL;
	if (a->bwrap_found)
		known_outcome(f, d);
	if (a->argv_line) {
		/* The inner stage loads the filter itself: no descriptor of cordon's to hand over. */
		d->direct_ok = false;
		d->launch_why = "explain --argv-line plans a careful launch, whose inner stage "
		    "loads the filter: the line needs no descriptor of cordon's";
	}
	/*
	 * Without Landlock, bwrap's own init, PID 1 of a direct launch, loads
	 * the filter only after it forks the command: until it does, the
	 * command can open /proc/1/mem for writing (E72; seen under load on
	 * 5.10).  The careful launch's PID 1 is the inner stage, which confines
	 * itself before it forks.  With Landlock, the command's stage cannot
	 * reach bwrap's init at all.
	 */
	if (d->direct_ok && f->landlock_abi == 0 && !mutant("careful-without-landlock")) {
		d->direct_ok = false;
		d->launch_why = "no Landlock here: bwrap's own init would load the filter only "
		    "after it forks the command, so cordon's inner stage is PID 1 and confines "
		    "itself first";
	}
	/*
	 * bwrap answers a command it cannot execute with status 1; the inner
	 * stage says so in one line and exits 127, as a shell does.  With
	 * Landlock the direct launch has a stage too, which says so itself.
	 */
	if (d->direct_ok && f->landlock_abi == 0 && !f->command_runnable) {
		d->direct_ok = false;
		d->launch_why = "the command is no executable file here: the inner stage says so "
		    "and exits 127, as a shell does (bwrap would exit 1)";
	}
}

const char *
decide_launch_why(const struct asked *a, const struct decision *d, const struct plan *p)
{
	if (a->proxy)
		return "managed proxy mode: the inner stage starts the routes";
	if (p->launch == LAUNCH_EXEC)
		return "cordon becomes bwrap, which loads the seccomp filter and runs the "
		    "command under its own init; a careful launch here already checked this bwrap";
	if (p->launch == LAUNCH_SPAWN && p->ntargets > 0)
		return "bwrap loads the seccomp filter and runs the command under its own "
		    "init; cordon waits, to pass signals on and remove the mount targets afterwards";
	if (p->launch == LAUNCH_SPAWN)
		return "bwrap loads the seccomp filter and runs the command under its own "
		    "init; cordon waits, to pass signals on (bwrap's launcher passes none)";
	if (d->launch_why == NULL)
		return "planned for a bwrap release, not one found here";
	return d->launch_why;
}
