"""bench.md from bench.json's data."""


def fmt(x, nd=2):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


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
             "a slow spell of the machine falls on all rows alike; their standard output "
             "is a pipe (`--output=pipe`), standard input and error `/dev/null`. The other tables ran "
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
    L.append("A 1.15 target counts as met only if the round-by-round ratio is within it too.")
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
                 "first (the warm-up), so cordon execs bwrap rather than waiting for it, and "
                 "bwrap runs cordon's inner stage, which loads the filter and (where the kernel "
                 "has it) the Landlock ruleset and execs `/bin/true`. "
                 "The two `env` rows run cordon through "
                 "`env` (one more exec each, the same for both) with `CORDON_CAREFUL=0` (the "
                 "usual launch) and `=1` (the careful launch a first run in a new place takes: "
                 "cordon forks bwrap, holds its errors back until the command starts, and an "
                 "inner stage re-executes cordon to check capabilities and load the filter); "
                 "`cordon explain` does all of cordon's planning and runs nothing, but runs "
                 "`bwrap --help` and `--version` to print them; `cordon version` is the start and exit of "
                 "cordon's static binary; \"bare bwrap + cordon inner stage\" is bare bwrap "
                 "running that stage (it appears only when the plan has one): its difference "
                 "from bare bwrap is the stage, and the rest of `cordon`'s is cordon's own "
                 "start and work before bwrap.")
        L.append("")
        sp = res.get("breakdown_split")
        if sp:
            def both(k):
                r = sp[k + "_by_round"]
                return f"**{sp[k]:.2f}**" + (f" (round by round {r:.2f})" if r is not None else "")
            L.append(f"In this run: cordon / bare bwrap = {both('cordon/bare-bwrap')}, of which "
                     f"the inner stage (bare bwrap + cordon inner stage / bare bwrap) = "
                     f"{both('stage/bare-bwrap')} and cordon's own start and planning "
                     f"(cordon / bare bwrap + cordon inner stage) = {both('cordon/stage')}.")
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
