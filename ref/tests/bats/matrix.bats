#!/usr/bin/env bats
# The host side of the QEMU matrix without booting anything: the result
# stream parser (truncated, corrupted and missing streams are ERROR cells,
# never passes), the reports, shard merging and the gate.

load helpers

setup() {
	common_setup
	OUT=$BASE/matrix
	mkdir -p "$OUT"
}

teardown() {
	common_teardown
}

# stream FILE [corrupt|truncate|count|nobegin]: a guest result stream for
# cells (0.8.0, cordon) and (0.4.1, cordon), optionally damaged.
stream() {
	python3 - "$@" <<'PY'
import hashlib, json, sys
path, mode = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
out = [] if mode == "nobegin" else ["CORDON-MATRIX BEGIN v1 kernel=6.1.0-50-amd64 landlock=2 x32=0"]
for bw, fail in (("0.8.0", False), ("0.4.1", True)):
    rs = [json.dumps({"id": "fs-ro-write", "category": "filesystem", "title": "t", "outcome": "pass",
                      "evidence": "PROBE write errno:EROFS", "duration": 0.2, "refs": ""}),
          json.dumps({"id": "meta-git-hook", "category": "metadata", "title": "t",
                      "outcome": "fail" if fail else "pass", "evidence": "PROBE create ok", "duration": 0.3,
                      "refs": ""})]
    body = "".join(f"R {r}\n" for r in rs)
    digest = hashlib.sha256(body.encode()).hexdigest()
    if mode == "corrupt" and bw == "0.4.1":
        body = body.replace("EROFS", "EROFX")
    count = len(rs) + (1 if mode == "count" and bw == "0.4.1" else 0)
    out.append(f"CELL-BEGIN bwrap={bw} sut=cordon bwrap_version=bubblewrap {bw}")
    out.append(body.rstrip("\n"))
    if not (mode == "truncate" and bw == "0.4.1"):
        out.append(f"CELL-END bwrap={bw} sut=cordon count={count} sha256={digest}")
if mode != "truncate":
    out.append("CORDON-MATRIX END")
open(path, "w").write("\n".join(out) + "\n")
PY
}

# parse FILE: the cells' "bwrap:status" as the matrix runner sees them.
parse() {
	python3 - "$CORDON_TOP/scripts/matrix" "$1" <<'PY'
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("matrix", sys.argv[1])
spec = importlib.util.spec_from_loader("matrix", loader)
m = importlib.util.module_from_spec(spec)
loader.exec_module(m)
begin, cells = m.parse_stream(open(sys.argv[2]).read(), [("0.8.0", "cordon"), ("0.4.1", "cordon")])
print(" ".join(f"{c['bwrap']}:{c['status']}" for c in cells))
for c in cells:
    if c["error"]:
        print(c["error"])
PY
}

# lane NAME STREAM-MODE: a lane directory as scripts/matrix leaves it.
lane() {
	local dir=$OUT/lanes/$1
	mkdir -p "$dir"
	stream "$dir/results.log" "${2:-}"
	echo "console of $1" >"$dir/console.log"
	python3 - "$CORDON_TOP/scripts/matrix" "$dir" "$1" <<'PY'
import importlib.machinery, importlib.util, json, sys
loader = importlib.machinery.SourceFileLoader("matrix", sys.argv[1])
spec = importlib.util.spec_from_loader("matrix", loader)
m = importlib.util.module_from_spec(spec)
loader.exec_module(m)
d, name = sys.argv[2], sys.argv[3]
begin, cells = m.parse_stream(open(d + "/results.log").read(), [("0.8.0", "cordon"), ("0.4.1", "cordon")])
json.dump({"lane": name, "suite": "bookworm", "boot_args": "", "accel": "tcg", "kernel": begin and begin["kernel"],
           "status": "ok" if all(c["status"] == "ok" for c in cells) else "error", "error": None,
           "boot_seconds": 8.1, "wall_seconds": 300.0, "landlock": "2", "x32": "0", "cells": cells},
          open(d + "/lane.json", "w"))
PY
}

@test "matrix: a complete stream gives verified cells" {
	stream "$BASE/r.log"
	run parse "$BASE/r.log"
	assert_success
	assert_line --index 0 "0.8.0:ok 0.4.1:ok"
}

@test "matrix: a truncated stream makes the unfinished cell an ERROR" {
	stream "$BASE/r.log" truncate
	run parse "$BASE/r.log"
	assert_success
	assert_line --index 0 "0.8.0:ok 0.4.1:error"
	assert_output --partial "no CELL-END"
}

@test "matrix: a corrupted stream fails its checksum and is an ERROR" {
	stream "$BASE/r.log" corrupt
	run parse "$BASE/r.log"
	assert_success
	assert_line --index 0 "0.8.0:ok 0.4.1:error"
	assert_output --partial "checksum mismatch"
}

@test "matrix: a wrong line count is an ERROR" {
	stream "$BASE/r.log" count
	run parse "$BASE/r.log"
	assert_success
	assert_line --index 0 "0.8.0:ok 0.4.1:error"
	assert_output --partial "count mismatch"
}

@test "matrix: a lane that never started the suite has only ERROR cells" {
	: >"$BASE/r.log"
	run parse "$BASE/r.log"
	assert_success
	assert_line --index 0 "0.8.0:error 0.4.1:error"
	assert_output --partial "never started"
}

@test "matrix: the report writes matrix.json, matrix.md and matrix.html" {
	lane 6.1
	lane 5.10 truncate
	run "$CORDON_TOP/scripts/report" matrix "$OUT"
	assert_success
	python3 - "$OUT/matrix.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["schema"] == "cordon.matrix/1"
cells = {(c["lane"], c["bwrap"], c["sut"]): c for c in m["cells"]}
assert cells[("6.1", "0.4.1", "cordon")]["counts"]["fail"] == 1
assert cells[("5.10", "0.4.1", "cordon")]["status"] == "error"
assert [l["lane"] for l in m["lanes"]] == ["5.10", "6.1"]
assert m["timing"]["boot_seconds"]["6.1"] == 8.1
PY
	grep -q 'ERROR' "$OUT/matrix.md"
	grep -q 'class="error"' "$OUT/matrix.html"
	grep -q 'href="lanes/5.10/console.log"' "$OUT/matrix.html"
	grep -q 'id="6.1-0.4.1-cordon"' "$OUT/matrix.html"
}

@test "matrix: merging shard outputs gives one report over all lanes" {
	mkdir -p "$BASE/s1" "$BASE/s2"
	OUT=$BASE/s1 lane 6.1
	OUT=$BASE/s2 lane 5.10
	echo '{"accel":"tcg","accel_reason":"test","wall_seconds":100}' >"$BASE/s1/run.json"
	echo '{"accel":"tcg","accel_reason":"test","wall_seconds":250}' >"$BASE/s2/run.json"
	run "$CORDON_TOP/scripts/report" merge "$BASE/merged" "$BASE/s1" "$BASE/s2"
	assert_success
	run python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(sorted({c["lane"] for c in m["cells"]}), m["timing"]["wall_seconds"])' "$BASE/merged/matrix.json"
	assert_output "['5.10', '6.1'] 250"
}

@test "gate: a failure no expectation explains fails the gate and is printed" {
	lane 6.1
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	: >"$BASE/expect"
	run "$CORDON_TOP/scripts/gate" "$OUT/matrix.json" --expectations "$BASE/expect"
	assert_failure 1
	assert_output --partial "FAIL   6.1 bwrap 0.4.1 cordon meta-git-hook"
}

@test "gate: a known failure with its reason passes the gate" {
	lane 6.1
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	echo '6.1 0.4.1 cordon meta-git-* | bwrap 0.4.1 lacks --perms' >"$BASE/expect"
	run "$CORDON_TOP/scripts/gate" "$OUT/matrix.json" --expectations "$BASE/expect"
	assert_success
	assert_output --partial "0 new failure"
}

@test "gate: an ERROR cell fails the gate unless it is expected" {
	lane 6.1 truncate
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	echo '6.1 0.4.1 cordon meta-git-* | known' >"$BASE/expect"
	run "$CORDON_TOP/scripts/gate" "$OUT/matrix.json" --expectations "$BASE/expect"
	assert_failure 1
	assert_output --partial "ERROR  6.1 bwrap 0.4.1 cordon"
}

@test "gate: a malformed expectation line is refused with its line number" {
	lane 6.1
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	echo 'just-a-case' >"$BASE/expect"
	run "$CORDON_TOP/scripts/gate" "$OUT/matrix.json" --expectations "$BASE/expect"
	assert_failure
	assert_output --partial "expect:1"
}

@test "matrix page: it leads with the verdict, then per sandbox the cells, each class cell by cell, and each failing case once" {
	lane 6.1
	lane 5.10 truncate
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	# The first thing said: new failures and ERROR cells, and whether the gate passes.
	assert_equal "$(grep -m1 '^\*\*' "$OUT/matrix.md")" "**1 new failure(s) and 1 ERROR cell(s) in 4 cells: scripts/gate fails.**"
	grep -q '<p class="verdict"><b>1 new failure(s) and 1 ERROR cell(s) in 4 cells: scripts/gate fails.</b>' "$OUT/matrix.html"
	grep -q 'cordon: each class, cell by cell' "$OUT/matrix.html"
	# The failing case is listed once, with the cells it fails in and an anchor the cells link to.
	grep -q 'id="case-cordon-meta-git-hook"' "$OUT/matrix.html"
	grep -q 'href="#case-cordon-meta-git-hook"' "$OUT/matrix.html"
	# shellcheck disable=SC2016 # the backticks are markdown's
	assert_equal "$(grep -c '^| `meta-git-hook` ' "$OUT/matrix.md")" 1
	# shellcheck disable=SC2016
	grep -q '^| `meta-git-hook` | - | new | 6.1: 0.4.1 | NEW' "$OUT/matrix.md"
}

@test "matrix page: --report-only rebuilds matrix.md and matrix.html from matrix.json alone, booting nothing" {
	lane 6.1
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	rm -rf "$OUT/lanes" "$OUT/matrix.md" "$OUT/matrix.html"
	cp "$OUT/matrix.json" "$BASE/before.json"
	run "$CORDON_TOP/scripts/matrix" --report-only "$OUT"
	assert_success
	assert_output --partial "rebuilt from matrix.json"
	assert [ -s "$OUT/matrix.md" ]
	assert [ -s "$OUT/matrix.html" ]
	cmp "$OUT/matrix.json" "$BASE/before.json"
	grep -q 'id="6.1-0.4.1-cordon"' "$OUT/matrix.html"
}

@test "matrix page: headless Chromium renders it to a non-blank screenshot" {
	command -v chromium >/dev/null || skip "chromium is not installed (scripts/bootstrap installs it)"
	lane 6.1
	lane 5.10 truncate
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	run timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$BASE/chrome" --window-size=1200,900 \
		--screenshot="$BASE/matrix.png" "file://$OUT/matrix.html"
	assert_success
	assert [ -s "$BASE/matrix.png" ]
	# A rendered table has many colours; a blank or failed page has one or two.
	run python3 - "$BASE/matrix.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", data[16:24])
idat, pos = b"", 8
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
print(w, h, len(set(raw[i:i + 3] for i in range(1, len(raw) - 3, 97))))
PY
	assert_success
	read -r w h colours <<<"$output"
	assert_equal "${w}x$h" 1200x900
	assert [ "$colours" -gt 20 ]
}

@test "matrix summary: wall time, boot time per lane and time per case, in matrix.md and on the console" {
	lane 6.1
	echo '{"accel":"tcg","accel_reason":"test","wall_seconds":321.5,"cases":"default","smp":2}' >"$OUT/run.json"
	run "$CORDON_TOP/scripts/report" matrix "$OUT"
	assert_success
	assert_output --partial "wall time 321.5 s"
	assert_output --partial "boot to first case: 6.1 8.1 s"
	assert_output --partial "per case: 4 case runs, mean 0.25 s, max 0.3 s"
	grep -q 'wall time 321.5 s' "$OUT/matrix.md"
	grep -q 'boot to first case: 6.1 8.1 s' "$OUT/matrix.md"
	grep -q 'per case: 4 case runs' "$OUT/matrix.html"
}

@test "case sets: every rule matches, the x32 lane has its own set, a set is a subset in suite order" {
	[ -f "$CORDON_TOP/build/conformance/cases.json" ] || skip "make conformance-build first"
	run "$CORDON_TOP/scripts/case-sets" "$BASE/sets"
	assert_success
	assert [ -s "$BASE/sets/default" ]
	assert [ -s "$BASE/sets/6.1-x32" ]
	python3 - "$CORDON_TOP/build/conformance/cases.json" "$BASE/sets/default" <<'PY'
import json, sys
order = [c["id"] for c in json.load(open(sys.argv[1]))] + [f"nest-property-batch-{b}" for b in range(10)]
got = open(sys.argv[2]).read().split()
assert got == [c for c in order if c in set(got)], "not in suite order"
assert "sc-ro-x32-socket-inet" in got and "compat-bwrap-without-argv0-seccomp" in got
assert len(got) < len(order)
PY
	# A glob that matches nothing is an error, not a silently smaller set.
	printf 'default pick no-such-case-*\n' >"$BASE/cases"
	run env CORDON_CASES_FILE="$BASE/cases" "$CORDON_TOP/scripts/case-sets" "$BASE/sets2"
	assert_failure
	assert_output --partial "matches no case"
}

@test "case sets: the runner gives each lane its own set, else default; full and a filter bypass them" {
	run python3 - "$CORDON_TOP/scripts/matrix" <<'PY'
import importlib.machinery, importlib.util, sys, types
loader = importlib.machinery.SourceFileLoader("matrix", sys.argv[1])
spec = importlib.util.spec_from_loader("matrix", loader)
m = importlib.util.module_from_spec(spec)
loader.exec_module(m)
o = types.SimpleNamespace
print(m.lane_case_set({"lane": "6.1-x32"}, o(filter="", cases="default")),
      m.lane_case_set({"lane": "6.1"}, o(filter="", cases="default")),
      m.lane_case_set({"lane": "6.1"}, o(filter="", cases="full")),
      m.lane_case_set({"lane": "6.1"}, o(filter="t_seccomp:*", cases="default")))
PY
	assert_output "6.1-x32 default None None"
}
