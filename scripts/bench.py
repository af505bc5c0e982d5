#!/usr/bin/env python3
"""The Python half of scripts/bench (make bench): profiles, the bare-bwrap
argv, and the report (bench.json, bench.md, scale.png).

    bench.py profile ro OUT
    bench.py profile ws OUT WORKSPACE
    bench.py profile scale OUT BASE ENTRIES     (creates the directories)
    bench.py fit OUT BASE MAX_ENTRIES OVERHEAD  (largest profile that fits one argument)
    bench.py bare EXPLAIN_JSON INFO_OUT ARGS_OUT PREPARE_OUT [INNER_BIN]
    bench.py get INFO KEY
    bench.py merge OUT ROUND.json...            (hyperfine rounds -> one file)
    bench.py report DATA_DIR OUT_DIR
    bench.py -h | --help

Not meant to be run by hand: scripts/bench calls each subcommand with the
files of its work directory.  Only the standard library.  Times in
bench.json are milliseconds.

Options:
  -h, --help   print this help and exit

Example (rebuild bench.md from a kept work directory, BENCH_KEEP=1):
  python3 scripts/bench.py report /tmp/cb.XXXX/data reports/bench
"""
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import textwrap
import time

# Linux: one argv or environment string, with its NUL, is at most
# MAX_ARG_STRLEN = 32 pages = 131072 bytes.
MAX_ARG_STRLEN = 131072

ROOT_READ = {"path": {"type": "special", "value": {"kind": "root"}}, "access": "read"}

# bwrap options whose first argument is a descriptor the caller opens.
FD_OPTS = {
    "--ro-bind-data": 2, "--bind-data": 2, "--file": 2, "--seccomp": 1,
    "--add-seccomp-fd": 1, "--sync-fd": 1, "--block-fd": 1, "--userns-block-fd": 1,
    "--info-fd": 1, "--json-status-fd": 1, "--userns": 1, "--userns2": 1,
    "--pidns": 1, "--bind-fd": 2, "--ro-bind-fd": 2, "--args": 1,
}


def dump(obj):
    return json.dumps(obj, separators=(",", ":"))


def managed(entries):
    return {"type": "managed",
            "file_system": {"type": "restricted", "entries": entries},
            "network": "restricted"}


def path_entry(path, access):
    return {"path": {"type": "path", "path": path}, "access": access}


def scale_split(n):
    """n policy entries besides root: ceil(n/2) writable roots, floor(n/2) deny entries."""
    roots = (n + 1) // 2
    return roots, n - roots


def scale_profile(base, n, create):
    roots, deny = scale_split(n)
    entries = [ROOT_READ]
    for i in range(roots):
        root = f"{base}/{i}"
        entries.append(path_entry(root, "write"))
        if i < deny:
            entries.append(path_entry(f"{root}/d", "deny"))
            if create:
                os.makedirs(f"{root}/d", exist_ok=True)
        elif create:
            os.makedirs(root, exist_ok=True)
    return dump(managed(entries))


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def cmd_profile(args):
    kind, out = args[0], args[1]
    if kind == "ro":
        write(out, dump(managed([ROOT_READ])))
    elif kind == "ws":
        write(out, dump(managed([ROOT_READ, path_entry(args[2], "write")])))
    elif kind == "scale":
        text = scale_profile(args[2], int(args[3]), True)
        write(out, text)
        print(len(text))
    else:
        sys.exit(f"bench.py: unknown profile {kind}")


def cmd_fit(args):
    """Largest even entry count <= max whose profile (over the same directories
    as the big one: a prefix of it) fits one argument next to OVERHEAD bytes."""
    out, base, nmax, overhead = args[0], args[1], int(args[2]), int(args[3])

    def fits(n):
        return len(scale_profile(base, n, False)) + overhead + 1 <= MAX_ARG_STRLEN

    lo, hi = 0, nmax // 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(2 * mid):
            lo = mid
        else:
            hi = mid - 1
    n = 2 * lo
    write(out, scale_profile(base, n, False))
    print(n)


def cmd_bare(args):
    """From `cordon explain --json` to the bare bwrap argv with exactly
    cordon's mounts and namespaces."""
    explain_path, info_out, args_out, prepare_out = args[:4]
    inner_bin = args[4] if len(args) > 4 else None
    with open(explain_path, encoding="utf-8") as f:
        ex = json.load(f)
    if ex.get("pipeline") != "bubblewrap":
        sys.exit(f"bench.py: {explain_path}: pipeline is {ex.get('pipeline')}, not bubblewrap")
    argv = ex["argv"]
    bwrap = ex["bwrap"]["path"]
    launch = (ex.get("launch") or {}).get("mode", "careful")
    sep = argv.index("--")
    opts, inner = argv[1:sep], argv[sep + 1:]
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
        if inner_bin and launch == "careful" else "",
        "launch": launch,
    }
    with open(info_out, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)


def cmd_merge(args):
    """Rounds of one group (hyperfine --export-json each) -> one file: every
    row's times and exit codes in one list, rows in the first round's order."""
    out, parts = args[0], args[1:]
    merged = {}
    for part in parts:
        with open(part, encoding="utf-8") as f:
            for r in json.load(f)["results"]:
                m = merged.setdefault(r["command"], {"command": r["command"], "times": [],
                                                     "exit_codes": [], "round_medians": []})
                m["times"].extend(r["times"])
                m["exit_codes"].extend(r.get("exit_codes", []))
                m["round_medians"].append(statistics.median(r["times"]))
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"results": list(merged.values()), "rounds": len(parts)}, f, indent=1)


def cmd_get(args):
    with open(args[0], encoding="utf-8") as f:
        v = json.load(f)[args[1]]
    if isinstance(v, list):
        print(" ".join(str(x) for x in v))
    else:
        print(v)


# ---------------------------------------------------------------- report

def stats_ms(times_s):
    t = [x * 1000.0 for x in times_s]
    return {
        "median_ms": statistics.median(t),
        "mean_ms": statistics.fmean(t),
        "stddev_ms": statistics.stdev(t) if len(t) > 1 else 0.0,
        "min_ms": min(t),
        "max_ms": max(t),
        "runs": len(t),
    }


def load_hf(path):
    """hyperfine --export-json: {name: stats} in the order run."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        res = json.load(f)["results"]
    out = {}
    for r in res:
        s = stats_ms(r["times"])
        if "round_medians" in r:
            s["round_medians_ms"] = [x * 1000.0 for x in r["round_medians"]]
        if any(c != 0 for c in r.get("exit_codes", [])):
            s["failed_runs"] = sum(1 for c in r["exit_codes"] if c != 0)
        out[r["command"]] = s
    return out


def read_meta(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                meta[k] = v
    return meta


def load_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


THEN_REMOVE_ROW = "bare bwrap, then its mount points removed"


def paired(hf, a, b):
    """Median over the rounds of a's round median over b's: None without rounds."""
    ra = (hf.get(a) or {}).get("round_medians_ms")
    rb = (hf.get(b) or {}).get("round_medians_ms")
    if not ra or not rb or len(ra) != len(rb):
        return None
    return statistics.median(x / y for x, y in zip(ra, rb) if y > 0)


def callgrind_totals(path):
    total = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    return total


def callgrind_top(path, inclusive, n=8):
    tool = shutil.which("callgrind_annotate")
    if tool is None:
        return []
    try:
        out = subprocess.run([tool, f"--inclusive={'yes' if inclusive else 'no'}",
                              "--threshold=100", path], capture_output=True,
                             text=True, check=True).stdout
    except subprocess.CalledProcessError:
        return []
    rows = []
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S.*)$", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        fn = m.group(3)
        fn = re.sub(r"\s+\[[^\]]*\]$", "", fn)
        rows.append({"ir": int(m.group(1).replace(",", "")), "percent": float(m.group(2)),
                     "function": fn})
        if len(rows) >= n:
            break
    return rows


STDIO_MODES = [
    ("pipe", "stdin an empty pipe, stdout and stderr a pipe: passed as they are"),
    ("file", "stdin a regular file (64 KiB): relayed through a pipe"),
    ("out", "stdout and stderr appended to a regular file: relayed through one pipe"),
    ("pty", "0-2 a terminal, cordon in its foreground: relayed through a pseudo-terminal"),
]


def stdio_block(hf):
    """cordon next to /bin/true under the same stdio, per stdio mode: what
    cordon costs over the command with that stdio, and what the relay adds
    to that over pipes (passed as they are), also round by round."""
    if not hf:
        return None
    rows = []
    for mode, what in STDIO_MODES:
        c, t = hf.get(f"cordon, stdio {mode}"), hf.get(f"/bin/true, stdio {mode}")
        if not c or not t:
            continue
        rc, rt = c.get("round_medians_ms") or [], t.get("round_medians_ms") or []
        rows.append({"mode": mode, "stdio": what, "cordon": c, "true": t,
                     "over_true_ms": c["median_ms"] - t["median_ms"],
                     "rounds_over_true_ms": [x - y for x, y in zip(rc, rt)]})
    pipe = next((r for r in rows if r["mode"] == "pipe"), None)
    pr = pipe["rounds_over_true_ms"] if pipe else []
    for r in rows:
        r["relay_ms"] = r["over_true_ms"] - pipe["over_true_ms"] if pipe else None
        by = [x - y for x, y in zip(r["rounds_over_true_ms"], pr)]
        r["relay_by_round_ms"] = statistics.median(by) if by and len(by) == len(pr) else None
    for r in rows:
        del r["rounds_over_true_ms"]
    return {"how": "bench-harness stdio MODE (ref/bench/harness.c): one fork, drain and wait for every "
                   "row; cordon in helper mode, read-only, /bin/true", "rows": rows}


def growth_check(points, label, limit=1.15):
    """points: [(entries, cost)], entries 0 being the read-only baseline.
    The exponent k of the growth over the baseline, cost(N) - cost(0) ~ N^k,
    fitted by least squares in log-log over the sizes with a positive
    increase: 1 is linear, 2 quadratic.  Met if k <= limit."""
    pts = [(n, c) for n, c in points if c is not None]
    base = [c for n, c in pts if n == 0]
    d = {"name": label, "limit": limit,
         "points": [[n, c] for n, c in pts]}
    if not base:
        d.update(met=None, detail="no read-only baseline")
        return d
    inc = [(n, c - base[0]) for n, c in pts if n > 0 and c - base[0] > 0]
    if len(inc) < 2:
        d.update(met=None, detail="fewer than two sizes above the baseline")
        return d
    xs = [math.log(n) for n, _ in inc]
    ys = [math.log(c) for _, c in inc]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    k = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    per = [(n, c / n) for n, c in inc]
    d["exponent"] = k
    d["per_entry"] = [[n, v] for n, v in per]
    d["met"] = k <= limit
    d["detail"] = (f"growth exponent k = {k:.2f} (limit {limit:g}; 1 linear, 2 quadratic); "
                   "cost per entry over the baseline: " +
                   ", ".join(f"{v:.4g} at {n}" for n, v in per))
    return d


def fmt(x, nd=2):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def cmd_report(args):
    data, out = args[0], args[1]
    meta = read_meta(os.path.join(data, "meta.txt"))
    sizes = [int(s) for s in meta.get("scale_sizes", "").split()]
    big = int(meta["parse_entries"])
    load_start = [float(x) for x in meta.get("loadavg_start", "0 0 0").split()[:3]]
    with open("/proc/loadavg", encoding="ascii") as f:
        load_end = [float(x) for x in f.read().split()[:3]]
    cores = os.cpu_count()
    cpu_model = None
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    loaded = max(load_start[0], load_end[0]) > 0.25 * (cores or 1)
    machine = {
        "cores": cores,
        "cpu_model": cpu_model,
        "kernel": platform.release(),
        "arch": platform.machine(),
        "bwrap_path": meta.get("bwrap_path"),
        "bwrap_version": meta.get("bwrap_version"),
        "cordon_version": meta.get("cordon_version"),
        "codex_version": meta.get("codex_version") or None,
        "hyperfine_version": meta.get("hyperfine_version"),
        "valgrind_version": meta.get("valgrind_version") or None,
        "user": meta.get("user"),
        "loadavg_start": load_start,
        "loadavg_end": load_end,
        "loaded": loaded,
        "note": meta.get("note") or None,
    }
    settings = {
        "runs": int(meta["runs"]),
        "warmup": int(meta["warmup"]),
        "rounds": int(meta.get("rounds", "1")),
        "side_runs": int(meta.get("side_runs", meta["runs"])),
        "scale_sizes": sizes,
        "parse_entries": big,
        "hyperfine": "hyperfine -N (no shell) --warmup W --runs N; the side-by-side groups "
                     "(read-only, workspace-write, where the time goes) in ROUNDS invocations "
                     "with the row order reversed every other one, times merged",
    }
    codex_skip = meta.get("codex_skip") or None

    def mode_block(mode, hf_name, bare_name):
        hf = load_hf(os.path.join(data, f"{hf_name}.json")) or {}
        bare = load_json(os.path.join(data, f"{bare_name}.json"), {})
        rows = []
        for name in ("cordon", "bare bwrap", THEN_REMOVE_ROW, "codex", "/bin/true"):
            if name in hf:
                r = {"name": name}
                r.update(hf[name])
                rows.append(r)
        skipped = []
        if "codex" not in hf:
            skipped.append({"name": "codex", "reason": codex_skip or "not run"})
        med = {r["name"]: r["median_ms"] for r in rows}
        return {
            "mode": mode,
            "rows": rows,
            "skipped": skipped,
            "ratios": {
                "cordon/bare-bwrap": ratio(med.get("cordon"), med.get("bare bwrap")),
                "cordon/bare-bwrap-then-remove": ratio(med.get("cordon"),
                                                       med.get(THEN_REMOVE_ROW)),
                "cordon/bare-bwrap-then-remove_by_round": paired(hf, "cordon", THEN_REMOVE_ROW),
                # Round by round (the rows ran side by side in each): drift cancels.
                "cordon/bare-bwrap_by_round": paired(hf, "cordon", "bare bwrap"),
                "codex/cordon_by_round": paired(hf, "codex", "cordon"),
                "codex/cordon": ratio(med.get("codex"), med.get("cordon")),
                "cordon-bare_bwrap_ms": (med["cordon"] - med["bare bwrap"])
                if "cordon" in med and "bare bwrap" in med else None,
            },
            "bare_bwrap": {
                "argv": bare.get("bare_argv"),
                "changes": bare.get("changes"),
                "cordon_argv_count": bare.get("cordon_argv_count"),
            },
            "commands": load_json(os.path.join(data, f"{hf_name}.commands.json"), {}),
        }

    ro = mode_block("read-only", "ro", "bare-ro")
    ws = mode_block("workspace-write", "ws", "bare-ws")
    breakdown_hf = load_hf(os.path.join(data, "breakdown.json")) or {}
    stdio = stdio_block(load_hf(os.path.join(data, "stdio.json")))
    breakdown = [dict({"name": k}, **v) for k, v in breakdown_hf.items()]

    # Scale.
    scale_hf = load_hf(os.path.join(data, "scale.json")) or {}
    scale_hf.update(load_hf(os.path.join(data, "scale-largest.json")) or {})
    parse_runs = {}
    for n in sizes + [big]:
        p = load_json(os.path.join(data, f"parse-{n}.json"))
        if p:
            parse_runs[n] = p
    cg = []
    cg_list = os.path.join(data, "callgrind.tsv")
    if os.path.exists(cg_list):
        with open(cg_list, encoding="utf-8") as f:
            for line in f:
                name, entries, path = line.rstrip("\n").split("\t")
                cg.append({"name": name, "entries": int(entries),
                           "file": os.path.relpath(path, out),
                           "ir": callgrind_totals(path),
                           "top_inclusive": callgrind_top(path, True),
                           "top_exclusive": callgrind_top(path, False)})
    cg_by_entries = {c["entries"]: c for c in cg}
    scale_rows = []
    for n in sizes:
        info = load_json(os.path.join(data, f"bare-s{n}.json"), {})
        roots, deny = scale_split(n)
        row = {
            "entries": n,
            "writable_roots": roots,
            "deny_entries": deny,
            "profile_entries": n + 1,
            "profile_bytes": int(meta.get(f"profile_bytes_{n}", "0")) or None,
            "rules": info.get("rules"),
            "mount_targets": info.get("mount_targets"),
            "bwrap_argv_count": info.get("cordon_argv_count"),
            "bwrap_argv_bytes": info.get("cordon_argv_bytes"),
            "largest_that_launches": str(n) == meta.get("largest_launch"),
            "launch_error": meta.get(f"launch_fail_{n}"),
            "bare_bwrap_error": meta.get(f"bare_fail_{n}"),
            "launch": scale_hf.get(f"cordon, {n} entries"),
            "bare_bwrap": scale_hf.get(f"bare bwrap (sh + --args), {n} entries"),
            "explain": scale_hf.get(f"cordon explain, {n} entries"),
            "parse": stats_ms(parse_runs[n]["times_s"]) if n in parse_runs else None,
            "callgrind_ir": cg_by_entries.get(n, {}).get("ir"),
        }
        if meta.get(f"scale_skip_{n}"):
            row["skipped"] = meta[f"scale_skip_{n}"]
        scale_rows.append(row)
    ro_info = load_json(os.path.join(data, "bare-ro.json"), {})
    scale = {
        "shape": "N entries besides the root read entry: ceil(N/2) writable roots "
                 "<base>/<i>, floor(N/2) deny entries <base>/<i>/d (directories created; "
                 "every writable root also gets cordon's protected .git/.codex/.agents)",
        "baseline": {
            "entries": 0, "profile_entries": 1,
            "bwrap_argv_count": ro_info.get("cordon_argv_count"),
            "bwrap_argv_bytes": ro_info.get("cordon_argv_bytes"),
            "launch": scale_hf.get("cordon, read-only (0 entries)"),
            "bare_bwrap": scale_hf.get("bare bwrap (sh + --args), read-only (0 entries)"),
            "explain": scale_hf.get("cordon explain, read-only (0 entries)"),
            "callgrind_ir": cg_by_entries.get(0, {}).get("ir"),
        },
        "wrapper": scale_hf.get("sh + exec /bin/true (wrapper cost)"),
        "sizes": scale_rows,
    }

    # Parse of the big profile.
    parse_hf = load_hf(os.path.join(data, "parse.json")) or {}
    parse_hf.update(load_hf(os.path.join(data, "parse-big.json")) or {})
    fit_n = int(meta.get("fit_entries", "0"))
    parse = {
        "entries": big,
        "profile_entries": big + 1,
        "bytes": parse_runs.get(big, {}).get("bytes"),
        "max_arg_strlen": MAX_ARG_STRLEN,
        "fits_one_argument": (parse_runs.get(big, {}).get("bytes") or 0) + 1 <= MAX_ARG_STRLEN,
        "parse_only": stats_ms(parse_runs[big]["times_s"]) if big in parse_runs else None,
        "parse_only_how": "scripts/bench-harness.c: policy_parse_profile() (the "
                          "--permission-profile parser) in a loop, in one process; "
                          "file read once, not timed",
        "explain_harness": parse_hf.get(f"explain via harness, {big} entries"),
        "explain_harness_runs_setting": int(meta.get("big_runs", "0")) or None,
        "explain_harness_how": "bench-harness explain: cordon_main(\"cordon\", \"explain\", "
                               "\"--json\", ..., \"--permission-profile\", <file contents>, "
                               "...) in one process: the CLI code path without execve's "
                               "argument limit",
        "cli_largest": {
            "entries": fit_n,
            "bytes": int(meta.get("fit_bytes", "0")) or None,
            "explain_cli": parse_hf.get(f"cordon explain (CLI), {fit_n} entries"),
            "explain_harness": parse_hf.get(f"explain via harness, {fit_n} entries"),
        },
    }

    # Targets.
    targets = []
    for blk in (ro, ws):
        r = blk["ratios"]["cordon/bare-bwrap"]
        rr = blk["ratios"].get("cordon/bare-bwrap_by_round")
        lr = blk["ratios"].get("cordon/bare-bwrap-then-remove")
        if lr is None:
            targets.append({"name": f"{blk['mode']}: cordon median <= 1.15 x bare bwrap",
                            "value": r, "limit": 1.15, "met": None if r is None else r <= 1.15,
                            **({"detail": f"round by round: {rr:.2f}"} if rr is not None
                               else {})})
            continue
        # bwrap leaves the mount points it made; cordon removes them, as Codex does:
        # the target is judged like for like, and the plain ratio is shown beside it.
        lrr = blk["ratios"].get("cordon/bare-bwrap-then-remove_by_round")
        targets.append({"name": f"{blk['mode']}: cordon median <= 1.15 x bare bwrap that "
                                "also removes the mount points it made",
                        "value": lr, "limit": 1.15, "met": lr <= 1.15,
                        "detail": (f"round by round: {lrr:.2f}; " if lrr is not None else "")
                        + (f"against bare bwrap leaving them behind: {r:.2f}"
                           if r is not None else "")})
    for blk in (ro, ws):
        r = blk["ratios"]["codex/cordon"]
        targets.append({"name": f"{blk['mode']}: cordon >= 3x faster than Codex "
                                f"{machine['codex_version'] or '(not installed)'} "
                                "(codex/cordon median)",
                        "value": r, "limit": 3.0, "met": None if r is None else r >= 3.0,
                        **({"detail": codex_skip} if r is None else {})})
    # Times: the fastest run, since load only ever adds time.

    def med(st):
        return st["min_ms"] if st else None
    b0 = scale["baseline"]
    lin = [
        growth_check([(0, b0["callgrind_ir"])] +
                     [(r["entries"], r["callgrind_ir"]) for r in scale_rows],
                     "cordon explain: instructions (callgrind Ir)"),
        growth_check(sorted([(0, med(b0["explain"]))] +
                            [(r["entries"], med(r["explain"])) for r in scale_rows] +
                            [(parse["cli_largest"]["entries"],
                              med(parse["cli_largest"]["explain_cli"])),
                             (big, med(parse["explain_harness"]))]),
                     f"cordon explain: time (min; {parse['cli_largest']['entries']} through "
                     f"the CLI, {big} through the harness)"),
        growth_check([(0, med(b0["launch"]))] +
                     [(r["entries"], med(r["launch"])) for r in scale_rows],
                     "cordon launch: time (min)"),
        growth_check([(0, med(b0["bare_bwrap"]))] +
                     [(r["entries"], med(r["bare_bwrap"])) for r in scale_rows],
                     "bare bwrap launch (same mounts): time (min)"),
    ]
    # Parsing alone: no baseline run; the smallest size stands in for it.
    pp = [(n, stats_ms(parse_runs[n]["times_s"])["min_ms"]) for n in sorted(parse_runs)]
    if pp:
        lin.append(growth_check([(0, 0.0)] + pp, "parse only (in-process): time (min)"))
    # The verdict is on cordon's own work before it execs bwrap: the
    # instruction count of explain (nearly noise-free), explain's time and
    # the parser's.  Launch times are shown, not judged: past cordon's part
    # they are bwrap's and the kernel's mount work, which grows the same way
    # for bare bwrap with the same mounts (the series beside it).
    own = [lin[0], lin[1]] + lin[4:]
    for c in lin[2:4]:
        c["judged"] = False
    verdict = [c["met"] for c in own if c["met"] is not None]
    targets.append({"name": "cost at most linear in policy entries (growth exponent <= 1.15)",
                    "met": all(verdict) if verdict else None,
                    "value": lin[0].get("exponent"),
                    "detail": "; ".join(f"{c['name']}: " + (f"k = {c['exponent']:.2f}"
                                        if "exponent" in c else c["detail"]) for c in lin),
                    "checks": lin})

    result = {
        "schema": "cordon.bench/1",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine,
        "settings": settings,
        "benchmarks": {"read-only": ro, "workspace-write": ws},
        "ratios": {
            "read-only": ro["ratios"],
            "workspace-write": ws["ratios"],
        },
        "breakdown": breakdown,
        "stdio": stdio,
        "scale": scale,
        "parse": parse,
        "callgrind": cg,
        "callgrind_skipped": meta.get("callgrind_skip") or None,
        "targets": targets,
    }
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    plot_ok = plot(data, out, scale, parse, parse_runs, big)
    write(os.path.join(out, "bench.md"), markdown(result, plot_ok))


def plot(data, out, scale, parse, parse_runs, big):
    gnuplot = shutil.which("gnuplot")
    png = os.path.join(out, "scale.png")
    if os.path.exists(png):
        os.remove(png)
    if gnuplot is None:
        return "gnuplot not installed (scripts/bootstrap installs gnuplot-nox)"
    # x: entries + 1 (the root read entry), so the read-only baseline plots at 1.
    series = {
        "launch": [(1, scale["baseline"]["launch"])] +
                  [(s["entries"] + 1, s["launch"]) for s in scale["sizes"]],
        "bare": ([(1, scale["baseline"].get("bare_bwrap"))] +
                 [(s["entries"] + 1, s["bare_bwrap"]) for s in scale["sizes"]]),
        "explain": sorted([(1, scale["baseline"]["explain"])] +
                          [(s["entries"] + 1, s["explain"]) for s in scale["sizes"]] +
                          [(parse["cli_largest"]["entries"] + 1,
                            parse["cli_largest"]["explain_cli"]),
                           (big + 1, parse["explain_harness"])],
                          key=lambda p: p[0]),
        "parse": [(n + 1, stats_ms(parse_runs[n]["times_s"])) for n in sorted(parse_runs)],
    }
    for name, pts in series.items():
        with open(os.path.join(data, f"plot-{name}.dat"), "w", encoding="ascii") as f:
            f.write("# entries median_ms min_ms max_ms\n")
            for n, s in pts:
                if s:
                    f.write(f"{n} {s['median_ms']:.6f} {s['min_ms']:.6f} {s['max_ms']:.6f}\n")
    last = [(n, s) for n, s in series["launch"] if s]
    ref = ""
    if last:
        n, s = last[-1]
        with open(os.path.join(data, "plot-ref.dat"), "w", encoding="ascii") as f:
            f.write(f"1 {s['median_ms'] / n:.6f}\n{n} {s['median_ms']:.6f}\n")
        ref = (f"'{data}/plot-ref.dat' using 1:2 with lines dashtype 2 lc rgb '#999999' "
               "title 'proportional to entries (through the largest launch)', \\\n    ")
    labels = ""
    for s in scale["sizes"]:
        if s.get("launch_error"):
            y = (s["explain"] or {}).get("median_ms", 100.0) * 4
            msg = "\\n".join(textwrap.wrap(s["launch_error"].replace('"', "'"), 26)[:4])
            x = s["entries"] + 1
            labels += (f"set label \"{x} entries: launch fails:\\n{msg}\" at "
                       f"{x * 1.15:.3f},{y / 11:.3f} left font ',9' tc rgb '#d62728'\n"
                       f"set arrow from {x * 1.12:.3f},{y / 9.5:.3f} to "
                       f"{x * 1.01:.3f},{y / 4.5:.3f} lc rgb '#d62728'\n")
    gp = f"""set terminal pngcairo size 1000,650 font 'DejaVu Sans,11'
set output '{png}'
{labels}set title 'cordon: launch time against policy size (median; bars: min..max)'
set xlabel 'permission-profile entries (root read + writable roots + deny entries)'
set ylabel 'time (ms)'
set logscale xy
set grid xtics ytics mxtics mytics lc rgb '#dddddd'
set key top left box opaque
set xrange [0.7:{(big + 1) * 1.6}]
set format y '%g'
plot {ref}'{data}/plot-launch.dat' using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#d62728' \\
        title 'cordon launch (helper mode, /bin/true)', \\
    '{data}/plot-bare.dat' using 1:2:3:4 with yerrorlines lw 2 pt 5 lc rgb '#1f77b4' \\
        title 'bare bwrap, same mounts (sh + --args)', \\
    '{data}/plot-explain.dat' using 1:2:3:4 with yerrorlines lw 2 pt 9 lc rgb '#2ca02c' \\
        title 'cordon explain (plans, runs nothing; {big + 1}: via harness)', \\
    '{data}/plot-parse.dat' using 1:2:3:4 with yerrorlines lw 2 pt 13 lc rgb '#9467bd' \\
        title 'parse only (in-process)'
"""
    gp_path = os.path.join(data, "scale.gp")
    write(gp_path, gp)
    r = subprocess.run([gnuplot, gp_path], capture_output=True, text=True, check=False)
    if r.returncode != 0 or not os.path.exists(png):
        return f"gnuplot failed: {r.stderr.strip()[:300]}"
    return None


def markdown(res, plot_err):
    m = res["machine"]
    s = res["settings"]
    L = []
    L.append("# cordon launch benchmarks (`make bench`)")
    L.append("")
    L.append(f"{res['date']}; {m['cores']} cores ({m['cpu_model']}), kernel {m['kernel']} "
             f"{m['arch']}, {m['bwrap_version']} ({m['bwrap_path']}), {m['cordon_version']}, "
             f"Codex helper {m['codex_version'] or 'not installed'}, "
             f"hyperfine {m['hyperfine_version']}; run as `{m['user']}`.")
    L.append("")
    per = -(-s["side_runs"] // s["rounds"])
    L.append(f"`hyperfine -N` (no shell), {s['warmup']} warm-up runs before each invocation. "
             f"The side-by-side tables (read-only, workspace-write, where the time goes, "
             f"stdio) ran "
             f"as {s['rounds']} hyperfine invocations of {per} runs per row, every other one "
             f"in reverse row order, their times merged ({s['rounds'] * per} runs per row): "
             "a slow spell of the machine falls on all rows alike. The other tables ran "
             f"{s['runs']} runs per row in one invocation. Times in ms.")
    L.append("")
    la = m["loadavg_start"][0], m["loadavg_end"][0]
    if m["loaded"]:
        L.append(f"**The machine was loaded** (load average {la[0]:.2f} at the start, "
                 f"{la[1]:.2f} at the end, on {m['cores']} cores): absolute numbers are "
                 "noisy; same-run ratios are more telling than times.")
    else:
        L.append(f"Load average {la[0]:.2f} at the start, {la[1]:.2f} at the end.")
    if m.get("note"):
        L.append("")
        L.append(f"Note: {m['note']}")
    L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| target | value | met |")
    L.append("|---|---|---|")
    for t in res["targets"]:
        v = t.get("value")
        if "checks" in t:
            val = (f"k = {v:.2f} (instructions); " if isinstance(v, float) else "") + \
                "see \"Linearity\" below"
        elif isinstance(v, float):
            val = f"{v:.2f}" + (f" ({t['detail']})" if t.get("detail") else "")
        else:
            val = t.get("detail") or "-"
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        L.append(f"| {t['name']} | {val} | {met} |")
    L.append("")

    def stat_row(name, st, extra=""):
        if not st:
            return f"| {name} | - | - | - | - | - | - |{extra}"
        return (f"| {name} | {st['median_ms']:.2f} | {st['mean_ms']:.2f} | "
                f"{st['stddev_ms']:.2f} | {st['min_ms']:.2f} | {st['max_ms']:.2f} | "
                f"{st['runs']} |{extra}")
    head = "| benchmark | median | mean | stddev | min | max | runs |"
    sep = "|---|---|---|---|---|---|---|"
    for key in ("read-only", "workspace-write"):
        blk = res["benchmarks"][key]
        L.append(f"## {key}")
        L.append("")
        if key == "read-only":
            L.append("Profile: root read, network restricted; `/bin/true`.")
        else:
            L.append("Profile: root read + a fresh `git init` workspace (owned by the test "
                     "user) writable, network restricted; `/bin/true` run in the workspace.")
        L.append("")
        L.append(head)
        L.append(sep)
        for r in blk["rows"]:
            L.append(stat_row(r["name"], r))
        for sk in blk["skipped"]:
            L.append(f"| {sk['name']} | skipped: {sk['reason']} | | | | | |")
        L.append("")
        r = blk["ratios"]
        L.append(f"cordon / bare bwrap = **{fmt(r['cordon/bare-bwrap'])}** "
                 f"(cordon {fmt(r['cordon-bare_bwrap_ms'])} ms slower); "
                 f"codex / cordon = **{fmt(r['codex/cordon'])}**. Round by round (the median "
                 "over the rounds of one row's median over the other's, which machine drift "
                 f"between rounds does not move): cordon / bare bwrap "
                 f"{fmt(r.get('cordon/bare-bwrap_by_round'))}, codex / cordon "
                 f"{fmt(r.get('codex/cordon_by_round'))}.")
        L.append("")
        cmds = blk.get("commands") or {}
        if cmds:
            L.append("<details><summary>commands</summary>")
            L.append("")
            for name, c in cmds.items():
                L.append(f"- {name}: `{c}`")
            L.append("")
            L.append("</details>")
            L.append("")
    L.append("### What bare bwrap changes from cordon's argv")
    L.append("")
    L.append("The bare-bwrap rows take the `argv` array of `cordon explain --json` for the "
             "same profile and directory and change only this:")
    L.append("")
    for key in ("read-only", "workspace-write"):
        bb = res["benchmarks"][key]["bare_bwrap"]
        L.append(f"- {key}:")
        for c in bb.get("changes") or []:
            L.append(f"  - {c}")
    L.append("")
    if res["breakdown"]:
        L.append("## Where cordon's time goes (read-only, one more run)")
        L.append("")
        L.append(head)
        L.append(sep)
        for r in res["breakdown"]:
            L.append(stat_row(r["name"], r))
        L.append("")
        L.append("`cordon` is the usual launch: a careful launch with this bwrap here came "
                 "first (the warm-up), so cordon execs bwrap with its filter on a descriptor "
                 "and bwrap runs `/bin/true` itself. The two `env` rows run cordon through "
                 "`env` (one more exec each, the same for both) with `CORDON_CAREFUL=0` (the "
                 "usual launch) and `=1` (the careful launch a first run in a new place takes: "
                 "cordon forks bwrap, holds its errors back until the command starts, and an "
                 "inner stage re-executes cordon to check capabilities and load the filter); "
                 "`cordon explain` does all of cordon's planning and runs nothing, but runs "
                 "`bwrap --help` and `--version` to print them; `cordon version` is the start and exit of "
                 "cordon's static binary; \"bare bwrap + cordon inner stage\" appears only "
                 "when the plan still has an inner stage.")
        L.append("")
    if res.get("stdio"):
        L.append("## stdio: what the relay costs (read-only, `/bin/true`)")
        L.append("")
        L.append("Every row runs through `bench-harness stdio MODE` (one fork, reading "
                 "everything written, one wait); only the stdio it gives differs. cordon "
                 "passes pipes as they are and execs bwrap; a file or a terminal on 0-2 "
                 "makes it stay, relay and wait (ref/src/launch/stdio_guard.h).")
        L.append("")
        L.append("| stdio | cordon median | /bin/true median | cordon over /bin/true | "
                 "relay over pipes | round by round |")
        L.append("|---|---|---|---|---|---|")
        for r in res["stdio"]["rows"]:
            L.append(f"| {r['stdio']} | {r['cordon']['median_ms']:.2f} | "
                     f"{r['true']['median_ms']:.2f} | {r['over_true_ms']:.2f} | "
                     f"{fmt(r['relay_ms'])} | {fmt(r['relay_by_round_ms'])} |")
        L.append("")
    sc = res["scale"]
    L.append("## Policy scale")
    L.append("")
    L.append(f"Shape: {sc['shape']}. Launch: cordon in helper mode, `/bin/true`. bare bwrap "
             "reads the same options from a descriptor (`sh -c 'exec bwrap --args 3 -- "
             "/bin/true 3<FILE'`: the argv is too long for one hyperfine argument), so it "
             "includes the wrapper's cost: "
             + (f"{sc['wrapper']['median_ms']:.2f} ms median for `sh` + exec `/bin/true`."
                if sc.get("wrapper") else "not measured."))
    L.append("")
    L.append("| entries | roots | deny | profile bytes | bwrap argv (args / bytes) | mount "
             "targets | launch median | bare bwrap median | explain median | parse only "
             "median | explain Ir |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    b = sc["baseline"]

    def md(st):
        return f"{st['median_ms']:.2f}" if st else "-"

    def ir(v):
        return f"{v:,}" if v is not None else "-"
    L.append(f"| 0 (read-only) | 0 | 0 | - | {b['bwrap_argv_count']} / {b['bwrap_argv_bytes']} "
             f"| 0 | {md(b['launch'])} | {md(b.get('bare_bwrap'))} | {md(b['explain'])} | - | "
             f"{ir(b['callgrind_ir'])} |")
    notes = []
    for r in sc["sizes"]:
        launch, bare = md(r["launch"]), md(r["bare_bwrap"])
        if r.get("launch_error"):
            launch = "fails"
            notes.append(f"{r['entries']} entries: cordon exits non-zero: `{r['launch_error']}`"
                         + (f"; bare bwrap with the same options: `{r['bare_bwrap_error']}`"
                            if r.get("bare_bwrap_error") else ""))
        if r.get("bare_bwrap_error"):
            bare = "fails"
        label = str(r["entries"])
        if r.get("largest_that_launches"):
            nr = (r["launch"] or r["explain"] or {}).get("runs")
            label += f" (largest that launches; {nr} runs, no warm-up)"
        L.append(f"| {label} | {r['writable_roots']} | {r['deny_entries']} | "
                 f"{r['profile_bytes']} | {r['bwrap_argv_count']} / {r['bwrap_argv_bytes']} | "
                 f"{r['mount_targets']} | {launch} | {bare} | "
                 f"{md(r['explain'])} | {md(r['parse'])} | {ir(r['callgrind_ir'])} |")
        if r.get("skipped"):
            notes.append(f"{r['entries']} entries: launch not measured: {r['skipped']}")
    L.append("")
    for n in notes:
        L.append(f"- {n}")
    if any(r.get("largest_that_launches") for r in sc["sizes"]):
        L.append("- \"largest that launches\": found by bisection (even sizes) between the "
                 "largest requested size that launched and the smallest that failed, over the "
                 "failing size's directories.")
    if notes:
        L.append("")
    L.append("Full statistics (mean, stddev, min, max, runs) are in bench.json.")
    L.append("")
    L.append("![launch time against policy size](scale.png)" if not plot_err else
             f"Plot: not drawn: {plot_err}")
    L.append("")
    p = res["parse"]
    L.append(f"## Parsing a {p['entries']}-entry profile")
    L.append("")
    L.append(f"The profile ({p['profile_entries']} entries with the root read entry, same "
             f"shape) is {p['bytes']} bytes; one argument may be at most {p['max_arg_strlen']} "
             "bytes with its NUL (MAX_ARG_STRLEN), so "
             + ("it fits one argument." if p["fits_one_argument"] else
                "**it cannot be passed as `--permission-profile` on a command line** (execve "
                "fails with E2BIG), and cordon (like Codex's helper) has no way to read a "
                "profile from a file."))
    L.append("")
    L.append(head)
    L.append(sep)
    L.append(stat_row(f"parse only, {p['entries']} entries (in-process)", p["parse_only"]))
    L.append(stat_row(f"explain via harness, {p['entries']} entries (no warm-up)",
                      p["explain_harness"]))
    cl = p["cli_largest"]
    L.append(stat_row(f"cordon explain (CLI), {cl['entries']} entries: the largest that fits",
                      cl["explain_cli"]))
    L.append(stat_row(f"explain via harness, {cl['entries']} entries", cl["explain_harness"]))
    L.append("")
    L.append(f"- parse only: {p['parse_only_how']}.")
    L.append(f"- explain via harness: {p['explain_harness_how']}.")
    L.append(f"- the largest CLI size: {cl['entries']} entries ({cl['bytes']} bytes), the most "
             "that fits in hyperfine's one command argument (itself bound by "
             "MAX_ARG_STRLEN) next to the rest of the command line.")
    L.append("")
    if res.get("callgrind_skipped"):
        L.append(f"## Instructions: skipped: {res['callgrind_skipped']}")
        L.append("")
    if res["callgrind"]:
        L.append("## Instructions (callgrind, `cordon explain`)")
        L.append("")
        L.append("`valgrind --tool=callgrind` without `--trace-children`: the count is "
                 "cordon's own process (parsing, resolution, bwrap discovery and the "
                 "`bwrap --help` probe's fork and pipe reading, planning, printing the JSON); "
                 "the probe's child (bwrap) is not counted. Printing the JSON "
                 "(jansson's `do_dump`) is explain's own work, not a launch's; "
                 "`callgrind_annotate --inclusive=yes reports/bench/callgrind/NAME.out` shows the "
                 "call tree (bench.json has the top functions, inclusive and self).")
        L.append("")
        L.append("| policy | entries | total Ir | Ir per entry over read-only | most "
                 "instructions in (self) |")
        L.append("|---|---|---|---|---|")
        base = None
        for c in res["callgrind"]:
            if c["entries"] == 0:
                base = c["ir"]
        for c in res["callgrind"]:
            per = "-" if base is None or c["entries"] == 0 else \
                f"{(c['ir'] - base) / c['entries']:.0f}"
            top = ", ".join(f"{t['function'].split(':')[-1]} {t['percent']:.0f}%"
                            for t in c.get("top_exclusive", [])[:5])
            L.append(f"| {c['name']} | {c['entries']} | {c['ir']:,} | {per} | {top} |")
        L.append("")
    lt = [t for t in res["targets"] if "checks" in t]
    if lt:
        L.append("## Linearity")
        L.append("")
        for c in lt[0]["checks"]:
            if c.get("judged", True):
                met = {True: "met", False: "**not met**", None: "inconclusive"}[c["met"]]
            else:
                met = "shown, not judged (linear: " + \
                    {True: "yes", False: "no", None: "inconclusive"}[c["met"]] + ")"
            L.append(f"- {c['name']}: {met}. {c.get('detail', '')}")
        L.append("")
        L.append("k is the least-squares slope of log(cost(N) - cost(read-only)) against log N "
                 "over the sizes measured (1 = linear, 2 = quadratic); for times, cost is the "
                 "fastest run (load only adds time), and sizes whose cost is not above the "
                 "read-only cost are left out. The target is judged on cordon's own work "
                 "before it execs bwrap: its instruction count (explain; nearly noise-free), "
                 "explain's time and the parser's. The two launch series are shown, not "
                 "judged: a launch with N entries mounts about 3N/2 paths, and the kernel's "
                 "mount work grows faster than linearly for bare bwrap with the same "
                 "mounts just as it does under cordon.")
        L.append("")
    return "\n".join(L)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    {"profile": cmd_profile, "fit": cmd_fit, "bare": cmd_bare, "get": cmd_get, "merge": cmd_merge,
     "report": cmd_report}.get(cmd, lambda a: sys.exit(__doc__))(args)


if __name__ == "__main__":
    main()
