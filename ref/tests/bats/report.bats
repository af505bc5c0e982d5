#!/usr/bin/env bats
# The reports as an adopter reads them: the matrix page's feature view and
# baseline, scripts/report diff, scripts/gate on one sandbox's host results,
# and the adapter contract with an adapter from outside the tree.

load helpers

setup() {
	common_setup
	OUT=$BASE/matrix
	mkdir -p "$OUT"
}

teardown() {
	common_teardown
}

# lane NAME [FAILING-CASE]: a lane with cells (0.8.0, cordon) and (0.4.1,
# cordon), each running two real cases; FAILING-CASE fails on 0.4.1.
lane() {
	mkdir -p "$OUT/lanes/$1"
	echo "console of $1" >"$OUT/lanes/$1/console.log"
	python3 - "$OUT/lanes/$1/lane.json" "$1" "${2:-}" <<'PY'
import json, sys
path, name, failing = sys.argv[1:4]
cells = []
for bw in ("0.8.0", "0.4.1"):
    cases = [{"id": i, "outcome": "fail" if (i == failing and bw == "0.4.1") else "pass",
              "evidence": "PROBE create ok" if i == failing else "PROBE create errno:EROFS", "duration": 0.1}
             for i in ("meta-git-hook-plant", "fs-ro-create-workspace")]
    cells.append({"bwrap": bw, "sut": "cordon", "bwrap_version": "bubblewrap " + bw, "status": "ok",
                  "error": None, "seconds": 1.0, "cases": cases})
json.dump({"lane": name, "suite": "bookworm", "boot_args": "", "accel": "tcg", "kernel": "6.1.0-50-amd64",
           "status": "ok", "error": None, "boot_seconds": 8.0, "wall_seconds": 60.0, "landlock": "2",
           "x32": "0", "case_set": "default", "cells": cells}, open(path, "w"))
PY
}

@test "feature view: a feature is held, not held or n/a per cell, from its cases through the catalogue" {
	lane 6.1 meta-git-hook-plant
	run "$CORDON_TOP/scripts/report" matrix "$OUT"
	assert_success
	# meta-git-hook-plant names E14: metadata protection fails on 0.4.1 only (the first
	# column: older bwraps first), with no expectation: new.
	run grep '^| metadata protection' "$OUT/matrix.md"
	assert_output "| metadata protection (.git, .codex, .agents) | **NOT HELD (new)** | held |"
	# fs-ro-create-workspace names E25, a filesystem carve-out: held in both cells.
	run grep '^| filesystem carve-outs' "$OUT/matrix.md"
	assert_output "| filesystem carve-outs (read-only, denied, nested roots) | held | held |"
	# No case of the x32 feature ran: not applicable, never "held".
	run grep '^| x32 entry point' "$OUT/matrix.md"
	assert_output "| x32 entry point | n/a | n/a |"
	# The kernel's Landlock ABI is a row of its own.
	grep -q '^| Landlock ABI (the kernel.s) | 2 | 2 |' "$OUT/matrix.md"
	grep -q '<h2 id="features">Does it hold here? The feature view</h2>' "$OUT/matrix.html"
	grep -q '<td class="new">NOT HELD (new)</td>' "$OUT/matrix.html"
}

@test "feature view: every feature line of conformance/features names a class or a case that exists" {
	run python3 - "$CORDON_TOP" <<'PY'
import fnmatch, json, os, re, sys
top = sys.argv[1]
cases = json.load(open(os.path.join(top, os.environ.get("CORDON_BUILD", "build"), "conformance", "cases.json")))
ids = {c["id"] for c in cases}
classes = set(re.findall(r"^### (E\d\d) ", open(os.path.join(top, "conformance", "CATALOGUE.md")).read(), re.M))
bad = []
for line in open(os.path.join(top, "conformance", "features")):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    for t in line.split("|", 1)[1].split():
        if re.fullmatch(r"E\d\d", t) and t not in classes or not re.fullmatch(r"E\d\d", t) and not fnmatch.filter(ids, t):
            bad.append(t)
print(" ".join(bad))
sys.exit(1 if bad else 0)
PY
	assert_success
}

@test "matrix page: with MATRIX_BASELINE the lead says what changed against it" {
	lane 6.1
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	cp "$OUT/matrix.json" "$BASE/baseline.json"
	rm -rf "$OUT"/lanes/6.1
	lane 6.1 meta-git-hook-plant
	MATRIX_BASELINE=$BASE/baseline.json run "$CORDON_TOP/scripts/report" matrix "$OUT"
	assert_success
	grep -q '^\*\*Against the baseline\*\* .*baseline.json (generated .*): 1 now fail, 0 now hold' "$OUT/matrix.md"
	grep -q '6.1/0.4.1/cordon meta-git-hook-plant: pass -&gt; fail' "$OUT/matrix.html"
	# A baseline that is no matrix is one clear line and a failure.
	echo '{}' >"$BASE/bad.json"
	MATRIX_BASELINE=$BASE/bad.json run "$CORDON_TOP/scripts/report" page "$OUT"
	assert_failure
	assert_output --partial "not a cordon.matrix"
}

@test "report diff: two matrices, the cases that now fail and now hold" {
	lane 6.1
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	mkdir -p "$BASE/old" && cp "$OUT/matrix.json" "$BASE/old/"
	rm -rf "$OUT"/lanes/6.1
	lane 6.1 meta-git-hook-plant
	"$CORDON_TOP/scripts/report" matrix "$OUT" >/dev/null
	run "$CORDON_TOP/scripts/report" diff "$BASE/old" "$OUT"
	assert_success
	assert_line --index 0 "1 now fail, 0 now hold, 0 appeared, 0 gone, 0 other changes, of 4 results"
	assert_line --index 2 "  6.1/0.4.1/cordon meta-git-hook-plant: pass -> fail"
	run "$CORDON_TOP/scripts/report" diff "$OUT/matrix.json" "$BASE/old/matrix.json"
	assert_line --index 0 --partial "0 now fail, 1 now hold,"
}

# results DIR SUT OUTCOME: a host report directory with one sandbox's results.json.
results() {
	mkdir -p "$1/$2"
	python3 - "$1/$2/results.json" "$2" "$3" <<'PY'
import json, sys
path, sut, outcome = sys.argv[1:4]
case = {"category": "filesystem", "title": "t", "duration": 0.1}
json.dump({"schema": "cordon.host-results/1", "sut": sut, "sut_version": f"{sut} 1.0",
           "environment": {"kernel": "k", "machine": "x86_64", "bwrap_version": "b", "cordon_version": "c",
                           "date": "2026-12-02T09:00:00+00:00"},
           "counts": {"pass": int(outcome == "pass") + 1, "fail": int(outcome == "fail"), "xfail": 0, "skip": 0,
                      "error": 0},
           "cases": [dict(case, id="fs-ro-create-workspace", outcome=outcome, evidence="PROBE create ok",
                          refs=["E25"]),
                     dict(case, id="meta-git-hook-plant", outcome="pass", evidence="PROBE create errno:EROFS",
                          refs=["E14"])]},
          open(path, "w"))
PY
}

@test "report diff: two host report directories" {
	results "$BASE/a" mysandbox pass
	results "$BASE/b" mysandbox fail
	run "$CORDON_TOP/scripts/report" diff "$BASE/a" "$BASE/b"
	assert_success
	assert_line --index 0 "1 now fail, 0 now hold, 0 appeared, 0 gone, 0 other changes, of 2 results"
	assert_line --index 2 "  mysandbox fs-ro-create-workspace: pass -> fail"
	run "$CORDON_TOP/scripts/report" diff "$BASE/a" "$BASE/nothing-here"
	assert_failure
}

@test "gate: a sandbox's host results fail on a failure nothing explains, and pass once it is explained" {
	results "$BASE/h" mysandbox fail
	run "$CORDON_TOP/scripts/gate" "$BASE/h/mysandbox/results.json"
	assert_failure 1
	[[ "${lines[0]}" == "FAIL   mysandbox fs-ro-create-workspace: PROBE create ok" ]]
	assert_output --partial "1 failing, 1 new (unexplained), 0 known"
	echo 'fs-ro-* | weakness | writes through a read-only root (E25)' >"$BASE/known"
	run "$CORDON_TOP/scripts/gate" "$BASE/h/mysandbox/results.json" --expectations "$BASE/known"
	assert_success
	assert_output --partial "1 failing, 0 new (unexplained), 1 known"
	run "$CORDON_TOP/scripts/gate" "$BASE/h/mysandbox/results.json" --expectations "$BASE/missing"
	assert_failure 1
	assert_output --partial "no expectations file"
}

# adapter NAME MODE: an adapter outside the tree, as an adopter writes it from
# conformance/adapters/README.md.  MODE "cordon" runs the command under
# `cordon run`; "none" runs it unconfined, a sandbox that holds nothing.
adapter() {
	mkdir -p "$BASE/theirs"
	cat >"$BASE/theirs/$1" <<EOF
#!/bin/sh
set -eu
case \${1:-} in
version) echo "$1 1.0"; exit 0 ;;
run) shift ;;
*) echo "usage: \$0 run --profile JSON --cwd DIR -- COMMAND... | \$0 version" >&2; exit 2 ;;
esac
[ "\$CONF_ROOT" = read ] || { echo "SKIP: only a readable root"; exit 77; }
[ -z "\$CONF_DENY\$CONF_READ" ] || { echo "SKIP: no denied or read-only carve-outs"; exit 77; }
[ -z "\${CONF_HELPER_FLAGS:-}" ] || { echo "SKIP: no Codex helper flags"; exit 77; }
while [ "\$1" != -- ]; do
	case \$1 in --cwd) cd "\$2"; shift 2 ;; *) shift 2 ;; esac
done
shift
if [ $2 = none ]; then exec "\$@"; fi
set -- --network "\$CONF_NETWORK" -- "\$@"
IFS=:
for w in \$CONF_WRITABLE; do set -- -w "\$w" "\$@"; done
exec "$CORDON" run --read-only "\$@"
EOF
	chmod 755 "$BASE/theirs" "$BASE/theirs/$1"
}

@test "adapter contract: make conformance SUT=/path/to/adapter runs it under its name and gates on its failures" {
	[ "$(id -u)" -eq 0 ] || skip "scripts/conformance runs the cases as the test user: needs root"
	adapter mysandbox cordon
	run env SUT="$BASE/theirs/mysandbox" CONF_FILTER='fs-ro-*' CONF_REPORT_DIR="$BASE/host" \
		"$CORDON_TOP/scripts/conformance"
	assert_success
	assert_output --partial "== mysandbox: mysandbox 1.0 =="
	[[ "$output" == *"gate: mysandbox:"*" 0 new (unexplained)"* ]]
	run python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["sut"], d["counts"]["pass"] > 5, d["counts"]["fail"])' \
		"$BASE/host/mysandbox/results.json"
	assert_output "mysandbox True 0"
}

@test "adapter contract: an outside adapter that holds nothing fails the job until its expectations say why" {
	[ "$(id -u)" -eq 0 ] || skip "scripts/conformance runs the cases as the test user: needs root"
	adapter nosandbox none
	run env SUT="$BASE/theirs/nosandbox" CONF_FILTER='fs-ro-create-*' CONF_REPORT_DIR="$BASE/host" \
		"$CORDON_TOP/scripts/conformance"
	assert_failure 1
	assert_output --partial "FAIL   nosandbox fs-ro-create-"
	echo 'fs-ro-create-* | weakness | it confines nothing (E25)' >"$BASE/known"
	run env SUT="$BASE/theirs/nosandbox" CONF_FILTER='fs-ro-create-*' CONF_REPORT_DIR="$BASE/host" \
		CONF_EXPECTATIONS="$BASE/known" "$CORDON_TOP/scripts/conformance"
	assert_success
	grep -q 'weakness' "$BASE/host/summary.md"
}

@test "adapter contract: a SUT path that is no executable, or shadows a built-in adapter, is one line and exit 2" {
	run env SUT="$BASE/theirs/absent" "$CORDON_TOP/scripts/conformance"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "no executable adapter there"
	adapter cordon cordon
	run env SUT="$BASE/theirs/cordon" "$CORDON_TOP/scripts/conformance"
	assert_failure 2
	assert_output --partial "rename it"
}

@test "summary: a case others fail only by failing closed is one line per sandbox, not a row of the differences" {
	results "$BASE/h" aaa pass
	results "$BASE/h" bbb fail
	echo 'fs-ro-create-* | divergence | refuses this profile: nothing runs' >"$BASE/known"
	CONF_EXPECTATIONS=$BASE/known run "$CORDON_TOP/scripts/report" summary "$BASE/h"
	assert_success
	run grep -E '^## (Where one sandbox holds|Failing closed only)' "$BASE/h/summary.md"
	assert_line --index 0 "## Where one sandbox holds and another fails (0 cases)"
	assert_line --index 1 "## Failing closed only (1 cases)"
	run grep '^- \*\*bbb\*\* fails closed on 1' "$BASE/h/summary.md"
	assert_output --partial 'refuses this profile: nothing runs (`fs-ro-create-workspace`)'
	# Called a weakness, the same failure is a row of the differences again.
	echo 'fs-ro-create-* | weakness | writes through a read-only root (E25)' >"$BASE/known"
	CONF_EXPECTATIONS=$BASE/known run "$CORDON_TOP/scripts/report" summary "$BASE/h"
	run grep '^## Where one sandbox holds' "$BASE/h/summary.md"
	assert_output "## Where one sandbox holds and another fails (1 cases)"
}
