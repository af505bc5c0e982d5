"""bench.json from the work directory scripts/bench filled (the plot and bench.md from it)."""
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import time

from benchlib.common import STAGE_ROW, THEN_REMOVE_ROW, load_json, write
from benchlib.hyperfine import load_hf, stats_ms
from benchlib.markdown import markdown
from benchlib.plot import plot
from benchlib.profiles import MAX_ARG_STRLEN, scale_split


def read_meta(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                meta[k] = v
    return meta


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def paired(hf, a, b):
    """Median over the rounds of a's round median over b's: None without rounds."""
    ra = (hf.get(a) or {}).get("round_medians_ms")
    rb = (hf.get(b) or {}).get("round_medians_ms")
    if not ra or not rb or len(ra) != len(rb):
        return None
    return statistics.median(x / y for x, y in zip(ra, rb) if y > 0)


def stage_split(hf):
    """The read-only launch of the breakdown run, split: cordon over bare bwrap, bare bwrap
    running cordon's inner stage over bare bwrap (the stage), and cordon over that (cordon's
    own start and planning).  None when the plan had no stage."""
    if not hf or not all(k in hf for k in ("cordon", "bare bwrap", STAGE_ROW)):
        return None
    med = {k: hf[k]["median_ms"] for k in ("cordon", "bare bwrap", STAGE_ROW)}
    out = {}
    for key, a, b in (("cordon/bare-bwrap", "cordon", "bare bwrap"),
                      ("stage/bare-bwrap", STAGE_ROW, "bare bwrap"),
                      ("cordon/stage", "cordon", STAGE_ROW)):
        out[key] = ratio(med[a], med[b])
        out[key + "_by_round"] = paired(hf, a, b)
    return out


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
    # Two points of one size (the CLI's largest profile can be the big one) fit no slope.
    if len({n for n, _ in inc}) < 2:
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


def machine_info(meta):
    """The machine and what ran on it: cores, load at the start and now, the versions of meta.txt."""
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
    return {
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


def settings_info(meta, sizes, big):
    return {
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


def mode_block(data, codex_skip, mode, hf_name, bare_name):
    """One side-by-side group (read-only or workspace-write): its rows, ratios and bare bwrap argv."""
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


def load_parse_runs(data, sizes, big):
    """The harness's in-process parse runs: {entries: parse-N.json}."""
    parse_runs = {}
    for n in sizes + [big]:
        p = load_json(os.path.join(data, f"parse-{n}.json"))
        if p:
            parse_runs[n] = p
    return parse_runs


def load_callgrind(data, out):
    """callgrind.tsv's profiles: name, entries, file (relative to OUT), Ir and the top functions."""
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
    return cg


def scale_block(data, meta, sizes, parse_runs, cg):
    """Policy scale: the read-only baseline and a row per size."""
    scale_hf = load_hf(os.path.join(data, "scale.json")) or {}
    scale_hf.update(load_hf(os.path.join(data, "scale-largest.json")) or {})
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
    return {
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


def parse_block(data, meta, big, parse_runs):
    """Parsing the big profile: in-process, through the harness, and the largest the CLI takes."""
    # Parse of the big profile.
    parse_hf = load_hf(os.path.join(data, "parse.json")) or {}
    parse_hf.update(load_hf(os.path.join(data, "parse-big.json")) or {})
    fit_n = int(meta.get("fit_entries", "0"))
    return {
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


def target_checks(ro, ws, machine, codex_skip, scale, parse, parse_runs, big):
    """The targets: cordon against bare bwrap and Codex, and growth at most linear in policy entries."""
    targets = []

    # Met only if the round-by-round ratio agrees: on a shared machine the ratio
    # of medians alone has read 1.12 where round by round read 1.20.
    def within(v, by_round, limit=1.15):
        if v is None:
            return None
        return v <= limit and (by_round is None or by_round <= limit)
    for blk in (ro, ws):
        r = blk["ratios"]["cordon/bare-bwrap"]
        rr = blk["ratios"].get("cordon/bare-bwrap_by_round")
        lr = blk["ratios"].get("cordon/bare-bwrap-then-remove")
        if lr is None:
            targets.append({"name": f"{blk['mode']}: cordon median <= 1.15 x bare bwrap",
                            "value": r, "limit": 1.15, "met": within(r, rr),
                            **({"detail": f"round by round: {rr:.2f}"} if rr is not None
                               else {})})
            continue
        # bwrap leaves the mount points it made; cordon removes them, as Codex does:
        # the target is judged like for like, and the plain ratio is shown beside it.
        lrr = blk["ratios"].get("cordon/bare-bwrap-then-remove_by_round")
        targets.append({"name": f"{blk['mode']}: cordon median <= 1.15 x bare bwrap that "
                                "also removes the mount points it made",
                        "value": lr, "limit": 1.15, "met": within(lr, lrr),
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
    scale_rows = scale["sizes"]
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
    return targets


def cmd_report(a):
    data, out = a.data, a.out
    meta = read_meta(os.path.join(data, "meta.txt"))
    sizes = [int(s) for s in meta.get("scale_sizes", "").split()]
    big = int(meta["parse_entries"])
    machine = machine_info(meta)
    settings = settings_info(meta, sizes, big)
    codex_skip = meta.get("codex_skip") or None
    ro = mode_block(data, codex_skip, "read-only", "ro", "bare-ro")
    ws = mode_block(data, codex_skip, "workspace-write", "ws", "bare-ws")
    breakdown_hf = load_hf(os.path.join(data, "breakdown.json")) or {}
    stdio = stdio_block(load_hf(os.path.join(data, "stdio.json")))
    breakdown = [dict({"name": k}, **v) for k, v in breakdown_hf.items()]
    split = stage_split(breakdown_hf)
    parse_runs = load_parse_runs(data, sizes, big)
    cg = load_callgrind(data, out)
    scale = scale_block(data, meta, sizes, parse_runs, cg)
    parse = parse_block(data, meta, big, parse_runs)
    targets = target_checks(ro, ws, machine, codex_skip, scale, parse, parse_runs, big)

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
        "breakdown_split": split,
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
