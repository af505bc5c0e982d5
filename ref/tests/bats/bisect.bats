#!/usr/bin/env bats
# scripts/bisect: its arguments, and its search over a version list, with a
# fake list (BISECT_VERSIONS) and a fake runner (BISECT_RUNNER) that says
# which versions fail: nothing is installed, downloaded or run for real.

load helpers

setup() {
	BASE=$(mktemp -d /tmp/cordon-bisect.XXXXXX)
	BISECT=$CORDON_TOP/scripts/bisect
	printf '%s\n' 0.1.0 0.2.0 0.3.0 0.4.0 0.4.1-alpha.1 0.4.1 0.5.0-beta.2 0.5.0 0.6.0 0.10.0 \
		>"$BASE/versions"
	# The fake runner: versions from $FIRST_BAD on fail; it logs each call.
	cat >"$BASE/runner" <<'EOF'
#!/usr/bin/env python3
import json, os, sys
sut, version, case = sys.argv[1:4]
with open(os.environ["RUNS"], "a") as f:
    f.write(version + "\n")
def key(v):
    main, _, pre = v.partition("-")
    return tuple(int(x) for x in main.split(".")) + ((0, pre) if pre else (1, ""),)
bad = key(version) >= key(os.environ["FIRST_BAD"])
print(json.dumps({"outcome": "fail" if bad else "pass",
                  "evidence": f"PROBE {'ok' if bad else 'errno:EPERM'} ({sut} {version} {case})"}))
EOF
	chmod +x "$BASE/runner"
	export BISECT_VERSIONS=$BASE/versions BISECT_RUNNER=$BASE/runner RUNS=$BASE/runs
}

teardown() {
	[ -n "${BASE:-}" ] && rm -rf "$BASE"
}

@test "bisect: --help explains it, with its options and an example" {
	run "$BISECT" --help
	[ "$status" -eq 0 ]
	grep -q -- '--good' <<<"$output"
	grep -q -- '--kernel' <<<"$output"
	grep -q -- '--pre' <<<"$output"
	grep -qi 'example' <<<"$output"
	[ ! -e "$RUNS" ]
}

@test "bisect: bad arguments are refused with exit 2 and nothing runs" {
	local args
	for args in "" "c1 --sut codex --good 0.1.0" "c1 --sut foo --good 0.1.0 --bad 0.2.0" \
		"c1 --sut codex --good 0.1 --bad 0.2.0" "c1 --sut codex --good 0.2.0 --bad 0.2.0" \
		"c1 --sut codex --good 0.1.0 --bad 0.2.0 --kernel 6.1" \
		"c1 --sut srt --good 0.1.0 --bad 0.2.0 --kernel 6.1 --bwrap 0.8.0" \
		"Bad/Case --sut codex --good 0.1.0 --bad 0.2.0" "c1 --sut codex --good 0.1.0 --bad 0.2.0 --frobnicate" \
		"c1 --sut codex --good 0.1.0 --bad 9.9.9"; do
		# shellcheck disable=SC2086 # the words on purpose
		run "$BISECT" $args
		echo "$args: $status $output"
		[ "$status" -eq 2 ]
	done
	[ ! -e "$RUNS" ]
}

@test "bisect: finds the first failing release, skipping pre-releases, in few runs" {
	FIRST_BAD=0.5.0-beta.2 run "$BISECT" c1 --sut codex --good 0.1.0 --bad 0.10.0
	echo "$output"
	[ "$status" -eq 0 ]
	# Without pre-releases the beta is not a candidate: 0.5.0 is the first one.
	grep -qx 'first codex version where c1 differs from 0.1.0: 0.5.0' <<<"$output"
	grep -qx '  codex 0.4.1: pass: PROBE errno:EPERM (codex 0.4.1 c1)' <<<"$output"
	grep -qx '  codex 0.5.0: fail: PROBE ok (codex 0.5.0 c1)' <<<"$output"
	# Progress: a line per run.
	grep -q '^bisect: run 1: codex 0.1.0: pass' <<<"$output"
	# 8 candidates: both ends, then at most 3 more.
	[ "$(wc -l <"$RUNS")" -le 5 ]
	! grep -q -- '-' "$RUNS"
	# The two ends ran first.
	[ "$(sed -n 1p "$RUNS")" = 0.1.0 ]
	[ "$(sed -n 2p "$RUNS")" = 0.10.0 ]
}

@test "bisect: --pre takes pre-releases in, and versions are ordered numerically" {
	FIRST_BAD=0.5.0-beta.2 run "$BISECT" c1 --sut codex --good 0.4.0 --bad 0.10.0 --pre
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'first codex version where c1 differs from 0.4.0: 0.5.0-beta.2' <<<"$output"
	grep -qx '  codex 0.4.1: pass: PROBE errno:EPERM (codex 0.4.1 c1)' <<<"$output"
}

@test "bisect: a good side newer than the bad side finds the fix going down" {
	FIRST_BAD=0.3.0 run "$BISECT" c1 --sut srt --good 0.6.0 --bad 0.1.0
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'first srt version where c1 differs from 0.6.0: 0.2.0' <<<"$output"
	grep -qx '  srt 0.3.0: fail: PROBE ok (srt 0.3.0 c1)' <<<"$output"
}

@test "bisect: the same outcome on both ends is said, exit 1, after two runs" {
	FIRST_BAD=0.6.0 run "$BISECT" c1 --sut codex --good 0.1.0 --bad 0.5.0
	echo "$output"
	[ "$status" -eq 1 ]
	grep -q 'same outcome: nothing to bisect' <<<"$output"
	[ "$(wc -l <"$RUNS")" -eq 2 ]
}

@test "bisect: every change point in a long list is found" {
	local i n=0 first
	: >"$BASE/versions"
	for i in $(seq 0 40); do echo "1.$i.0" >>"$BASE/versions"; done
	for first in 1.1.0 1.2.0 1.17.0 1.39.0 1.40.0; do
		: >"$RUNS"
		FIRST_BAD=$first run "$BISECT" c1 --sut codex --good 1.0.0 --bad 1.40.0
		[ "$status" -eq 0 ]
		grep -qx "first codex version where c1 differs from 1.0.0: $first" <<<"$output"
		# log2(39) rounded up, plus the two ends.
		[ "$(wc -l <"$RUNS")" -le 8 ]
		n=$((n + 1))
	done
	[ "$n" -eq 5 ]
}
