"""scale.png: launch time against policy size (gnuplot)."""
import os
import shutil
import subprocess
import textwrap

from benchlib.common import write
from benchlib.hyperfine import stats_ms


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
