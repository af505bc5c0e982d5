"""From `cordon explain --json` to the bare bwrap argv with exactly cordon's mounts and namespaces."""
import json
import os
import shlex
import sys

from benchlib.common import THEN_REMOVE_ROW, write


# bwrap options whose first argument is a descriptor the caller opens.
FD_OPTS = {
    "--ro-bind-data": 2, "--bind-data": 2, "--file": 2, "--seccomp": 1,
    "--add-seccomp-fd": 1, "--sync-fd": 1, "--block-fd": 1, "--userns-block-fd": 1,
    "--info-fd": 1, "--json-status-fd": 1, "--userns": 1, "--userns2": 1,
    "--pidns": 1, "--bind-fd": 2, "--ro-bind-fd": 2, "--args": 1,
}


def cmd_bare(a):
    """From `cordon explain --json` to the bare bwrap argv with exactly
    cordon's mounts and namespaces."""
    explain_path, info_out, args_out, prepare_out = a.explain_json, a.info_out, a.args_out, a.prepare_out
    inner_bin = a.inner_bin
    with open(explain_path, encoding="utf-8") as f:
        ex = json.load(f)
    if ex.get("pipeline") != "bubblewrap":
        sys.exit(f"bench.py: {explain_path}: pipeline is {ex.get('pipeline')}, not bubblewrap")
    argv = ex["argv"]
    bwrap = ex["bwrap"]["path"]
    launch = (ex.get("launch") or {}).get("mode", "careful")
    sep = argv.index("--")
    opts, inner = argv[1:sep], argv[sep + 1:]
    # A careful plan always runs cordon's inner stage; a direct one does where Landlock is.
    staged = "--cordon-inner" in inner
    changes = [
        f"argv[0] {argv[0]!r} -> {bwrap} (the bwrap cordon chose; cordon execs that path "
        f"with argv[0] {argv[0]!r})",
    ]
    if launch == "careful":
        changes.append(
            "inner stage replaced: `-- " + " ".join(inner) + "` -> `-- /bin/true`: no cordon "
            "re-exec inside the sandbox, so no capability check, no seccomp filter, no "
            "descriptor closing, no PID-1 supervisor (bwrap --as-pid-1 makes /bin/true PID 1), "
            "and cordon's descriptors named there (--stderr-fd, --ready-fd) are not needed")
    else:
        # A direct plan: bwrap loads cordon's filter from a descriptor and runs the command.
        if "--seccomp" in opts:
            k = opts.index("--seccomp")
            changes.append(f"`--seccomp {opts[k + 1]}` dropped: bare bwrap loads no seccomp "
                           "filter (cordon hands bwrap its filter on that descriptor)")
            opts = opts[:k] + opts[k + 2:]
        if staged:
            changes.append(f"launch `{launch}`, inner stage replaced: `-- " + " ".join(inner)
                           + "` -> `-- /bin/true`: no seccomp filter, no Landlock ruleset, no "
                           "second start of cordon inside the sandbox")
        else:
            changes.append(f"launch `{launch}` (cordon execs bwrap, which runs `-- "
                           + " ".join(inner) + "` itself): the command is kept")
    # cordon reads the sandbox's pid from --info-fd to pass signals on; bare
    # bwrap has no one to tell, and writing to a read-only /dev/null kills it.
    for o in ("--info-fd", "--json-status-fd"):
        if o in opts:
            k = opts.index(o)
            changes.append(f"`{o} {opts[k + 1]}` dropped: bare bwrap has no supervisor "
                           "to report the sandbox's pid to")
            opts = opts[:k] + opts[k + 2:]
    fds = []
    i = 0
    while i < len(opts):
        o = opts[i]
        if o in FD_OPTS:
            fds.append(int(opts[i + 1]))
            changes.append(f"{o} {opts[i + 1]} kept; scripts/bench opens descriptor "
                           f"{opts[i + 1]} on /dev/null, as cordon does")
            i += 1 + FD_OPTS[o]
            continue
        i += 1
    if not fds:
        changes.append("no option takes a descriptor cordon opens (no --ro-bind-data): "
                       "nothing dropped or provided")
    targets = ex.get("mount_targets", [])
    if targets:
        changes.append(f"the {len(targets)} mount point(s) bwrap creates on the host "
                       "(cordon's mount_targets) are removed before every timed run "
                       "(hyperfine --prepare), because cordon removes them after each run: "
                       "bare bwrap creates them every time, as under cordon")
    # Inner stage without the descriptors cordon would pass (both optional).
    inner_opts, j = [], 0
    while j < len(inner) and inner[j] != "--":
        if inner[j] in ("--stderr-fd", "--ready-fd"):
            j += 2
            continue
        inner_opts.append(inner[j])
        j += 1
    inner_stage = inner_opts + inner[j:j + 1] + ["/bin/true"]
    bare = [bwrap] + opts + ["--", "/bin/true"]
    # Like for like where cordon removes what bwrap made: bare bwrap, then the same rmdirs.
    then_remove = os.environ.get("BENCH_THEN_REMOVE")
    dirs_made = [t["path"] for t in targets if t.get("type") == "dir"]
    then_remove_cmd = ""
    if then_remove and dirs_made and len(dirs_made) == len(targets):
        then_remove_cmd = shlex.join([then_remove] + dirs_made + ["--"] + bare)
    if then_remove_cmd:
        changes.append(f"one more row, `{THEN_REMOVE_ROW}`: ref/bench/then_remove.c, linked "
                       "statically like cordon, starts the same bare bwrap, waits for it and "
                       f"removes the {len(dirs_made)} directories it made, which is what "
                       "cordon does around bwrap for this plan (bare bwrap leaves them in the "
                       "workspace); the workspace-write target is judged against this row")
    with open(args_out, "wb") as f:
        f.write(b"".join(a.encode() + b"\0" for a in opts))
    lines = ["#!/bin/sh", "# Remove the mount points bare bwrap left (cordon removes its own)."]
    dirs = [t["path"] for t in targets if t.get("type") == "dir"]
    files = [t["path"] for t in targets if t.get("type") != "dir"]
    for d in dirs:
        lines.append(f"[ -d {shlex.quote(d)} ] && rmdir -- {shlex.quote(d)} 2>/dev/null")
    for p in files:
        lines.append(f"[ -f {shlex.quote(p)} ] && [ ! -s {shlex.quote(p)} ] && rm -f -- {shlex.quote(p)}")
    lines.append("exit 0")
    write(prepare_out, "\n".join(lines) + "\n")
    info = {
        "bwrap": bwrap,
        "bwrap_version": ex["bwrap"].get("version"),
        "cordon_argv": argv,
        "cordon_argv_count": len(argv),
        "cordon_argv_bytes": sum(len(a.encode()) + 1 for a in argv),
        "bare_argv": bare,
        "changes": changes,
        "fds": fds,
        "rules": len(ex.get("rules", [])),
        "mount_targets": len(targets),
        "command": shlex.join(bare),
        "then_remove_command": then_remove_cmd,
        # bwrap reads the options from descriptor 3 (--args): for argv over 128 KiB.
        "args_command": shlex.join(["sh", "-c", 'exec "$0" --args 3 -- /bin/true 3<"$1"',
                                    bwrap, args_out]),
        "inner_command": shlex.join([bwrap] + opts + ["--"] + inner_stage)
        if inner_bin and staged else "",
        "launch": launch,
    }
    with open(info_out, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
