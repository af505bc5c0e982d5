"""hyperfine's --export-json files: rounds merged into one file, and each row's statistics."""
import json
import os
import statistics


def cmd_merge(a):
    """Rounds of one group (hyperfine --export-json each) -> one file: every
    row's times and exit codes in one list, rows in the first round's order."""
    out, parts = a.out, a.rounds
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
