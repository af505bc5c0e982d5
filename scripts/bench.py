#!/usr/bin/env python3
"""The Python half of scripts/bench (make bench): profiles, the bare-bwrap
argv, and the report (bench.json, bench.md, scale.png).  One job per module
of scripts/benchlib/: profiles, bare, hyperfine, report (with plot and
markdown); this file is their command line.

Not meant to be run by hand: scripts/bench calls each subcommand with the
files of its work directory.  Only the standard library.  Times in
bench.json are milliseconds.
"""
EPILOG = """example (rebuild bench.md from a kept work directory, BENCH_KEEP=1):
  python3 scripts/bench.py report /tmp/cb.XXXX/data reports/bench
"""
import argparse
import sys

# Running a script leaves nothing in the tree: no __pycache__ beside benchlib/.
sys.dont_write_bytecode = True

from benchlib.bare import cmd_bare  # noqa: E402
from benchlib.common import cmd_get  # noqa: E402
from benchlib.hyperfine import cmd_merge  # noqa: E402
from benchlib.profiles import cmd_fit, cmd_profile  # noqa: E402
from benchlib.report import cmd_report  # noqa: E402


def parser():
    ap = argparse.ArgumentParser(prog="bench.py", description=__doc__, epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("profile", help="write a permission profile")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    k = kinds.add_parser("ro", help="read-only: the root read entry")
    k.add_argument("out", metavar="OUT")
    k = kinds.add_parser("ws", help="workspace-write: the root read entry and WORKSPACE writable")
    k.add_argument("out", metavar="OUT")
    k.add_argument("workspace", metavar="WORKSPACE")
    k = kinds.add_parser("scale", help="ENTRIES entries under BASE (creates the directories); prints its size")
    k.add_argument("out", metavar="OUT")
    k.add_argument("base", metavar="BASE")
    k.add_argument("entries", metavar="ENTRIES", type=int)
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("fit", help="the largest profile that fits one argument; prints its entries")
    p.add_argument("out", metavar="OUT")
    p.add_argument("base", metavar="BASE")
    p.add_argument("max_entries", metavar="MAX_ENTRIES", type=int)
    p.add_argument("overhead", metavar="OVERHEAD", type=int, help="the bytes of the rest of the command line")
    p.set_defaults(func=cmd_fit)

    p = sub.add_parser("bare", help="cordon explain --json -> the bare bwrap argv, its info and its prepare step")
    p.add_argument("explain_json", metavar="EXPLAIN_JSON")
    p.add_argument("info_out", metavar="INFO_OUT")
    p.add_argument("args_out", metavar="ARGS_OUT")
    p.add_argument("prepare_out", metavar="PREPARE_OUT")
    p.add_argument("inner_bin", metavar="INNER_BIN", nargs="?")
    p.set_defaults(func=cmd_bare)

    p = sub.add_parser("get", help="print one key of an INFO file")
    p.add_argument("info", metavar="INFO")
    p.add_argument("key", metavar="KEY")
    p.set_defaults(func=cmd_get)

    p = sub.add_parser("merge", help="hyperfine rounds -> one file")
    p.add_argument("out", metavar="OUT")
    p.add_argument("rounds", metavar="ROUND.json", nargs="+")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("report", help="DATA_DIR -> OUT_DIR/bench.json, bench.md, scale.png")
    p.add_argument("data", metavar="DATA_DIR")
    p.add_argument("out", metavar="OUT_DIR")
    p.set_defaults(func=cmd_report)
    return ap


def main():
    a = parser().parse_args()
    a.func(a)


if __name__ == "__main__":
    sys.exit(main())
