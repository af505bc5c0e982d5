#!/usr/bin/env bats
# The project's scripts and the reports people read: every script explains
# itself for --help and -h and does nothing else; the host summary leads
# with a verdict and groups its differences by class; the JUnit files are
# XML a CI system can read; every case's refs resolves in the catalogue.
# The reports quote evidence in backticks, which single quotes keep as they are.
# shellcheck disable=SC2016

load helpers

setup() {
	BASE=$(mktemp -d /tmp/cordon-scripts.XXXXXX)
}

teardown() {
	[ -n "${BASE:-}" ] && rm -rf "$BASE"
}

# A copy of scripts/ (and kernels/, which scripts/repro's help reads) beside
# a reports/ tree with a file in every directory the scripts write: a script
# that did anything for --help changes this tree, never the real one.
help_tree() {
	local t=$BASE/top d
	mkdir -p "$t/reports"
	cp -a "$CORDON_TOP/scripts" "$CORDON_TOP/kernels" "$t/"
	rm -rf "$t/scripts/__pycache__"
	for d in host/cordon/cases host/codex host-careful/cordon check matrix/lanes/6.1 bench mutants repro; do
		mkdir -p "$t/reports/$d"
		echo keep >"$t/reports/$d/sentinel"
	done
}

snapshot() {
	(cd "$BASE/top" && find . -path '*/__pycache__' -prune -o -printf '%p %s %T@ %m\n' | sort)
}

@test "scripts: every script answers --help and -h with what it does, its options and an example, and changes nothing" {
	help_tree
	snapshot >"$BASE/before"
	local bad=() n=0 script name opt out
	for script in "$BASE"/top/scripts/*; do
		name=${script##*/}
		case $name in
		bench.py) ;;
		*) [ -f "$script" ] && [ -x "$script" ] || continue ;;
		esac
		for opt in --help -h; do
			n=$((n + 1))
			if [ "$name" = bench.py ]; then
				out=$(timeout 30 python3 "$script" "$opt" </dev/null 2>&1) || { bad+=("$name $opt: exit $?"); continue; }
			else
				out=$(timeout 30 "$script" "$opt" </dev/null 2>&1) || { bad+=("$name $opt: exit $?"); continue; }
			fi
			[ -n "$out" ] || bad+=("$name $opt: no output")
			# Options are listed (at least the help option itself) and there is an example.
			grep -q -- '-h' <<<"$out" || bad+=("$name $opt: lists no options")
			grep -qi 'example' <<<"$out" || bad+=("$name $opt: no example")
		done
	done
	snapshot >"$BASE/after"
	diff "$BASE/before" "$BASE/after" >"$BASE/changed" || bad+=("the tree changed: $(head -5 "$BASE/changed" | tr '\n' ' ')")
	printf '%s\n' "${bad[@]}"
	[ "${#bad[@]}" -eq 0 ]
	# Every executable script, scripts/conformance and scripts/report among them.
	[ "$n" -ge 36 ]
}

@test "scripts: an argument a script does not know is refused, and nothing runs" {
	help_tree
	snapshot >"$BASE/before"
	local script
	for script in conformance check bootstrap need-deps bench install-peers fresh-check; do
		[ -x "$BASE/top/scripts/$script" ] || continue
		run timeout 30 "$BASE/top/scripts/$script" --frobnicate
		echo "$script: $status $output"
		assert_failure 2
	done
	snapshot >"$BASE/after"
	diff "$BASE/before" "$BASE/after"
}

# results SUT OUTCOME:EVIDENCE... : a results.json for SUT, one case per argument,
# each "id|outcome|evidence|refs".
results() {
	local sut=$1
	shift
	mkdir -p "$BASE/host/$sut"
	python3 - "$BASE/host/$sut/results.json" "$sut" "$@" <<'PY'
import json, sys
path, sut, rows = sys.argv[1], sys.argv[2], sys.argv[3:]
cases = []
for row in rows:
    cid, outcome, evidence, refs = row.split("|")
    cases.append({"id": cid, "category": cid.split("-")[0], "title": f"title of {cid}", "outcome": outcome,
                  "duration": 0.1, "evidence": evidence, "refs": refs.split()})
counts = {k: sum(1 for c in cases if c["outcome"] == k) for k in ("pass", "fail", "xfail", "skip", "error")}
json.dump({"schema": "cordon.host-results/1", "sut": sut, "sut_version": f"{sut} 1.0",
           "environment": {"kernel": "6.1.0", "machine": "x86_64", "bwrap_version": "bubblewrap 0.8.0",
                           "cordon_version": "cordon 0.1.0", "date": "2026-12-02T09:00:00+00:00"},
           "counts": counts, "cases": cases}, open(path, "w"))
PY
}

@test "summary: a verdict per sandbox first, then the differences by class with both evidence lines and the reason; skips one line per reason" {
	results cordon 'proc-ro-no-inherited-fds|pass|PROBE fds ok value=0|E29' \
		'net-ro-net-tcp-host-loopback|pass|PROBE tcp-connect ok|E40' \
		'net-ws-net-tcp-host-loopback|pass|PROBE tcp-connect ok|E40' \
		'fs-ws-create|pass|PROBE create ok|E25'
	results codex 'proc-ro-no-inherited-fds|fail|PROBE fds ok value=3 list=5,10,251|E29' \
		'net-ro-net-tcp-host-loopback|pass|PROBE tcp-connect ok|E40' \
		'net-ws-net-tcp-host-loopback|pass|PROBE tcp-connect ok|E40' \
		'fs-ws-create|pass|PROBE create ok|E25'
	results srt 'proc-ro-no-inherited-fds|pass|PROBE fds ok value=0|E29' \
		'net-ro-net-tcp-host-loopback|skip|srt cannot express an enabled network|E40' \
		'net-ws-net-tcp-host-loopback|skip|srt cannot express an enabled network|E40' \
		'fs-ws-create|pass|PROBE create ok|E25'
	run "$CORDON_TOP/scripts/report" summary "$BASE/host"
	assert_success
	local md=$BASE/host/summary.md
	# The first section is the verdict, one row per sandbox.
	[ "$(grep -m1 '^## ' "$md")" = "## Verdict" ]
	grep -q '^| cordon | .*\*\*holds\*\*' "$md"
	grep -q '^| codex | .*\*\*fails 1\*\*: 1 weakness | weakness: E29 |' "$md"
	# The difference, under its class with the catalogue's title, both evidence lines and the reason.
	grep -q '^### E29 — descriptors inherited from the caller (1)$' "$md"
	run grep '^| `proc-ro-no-inherited-fds`' "$md"
	[[ "$output" == *'pass: `PROBE fds ok value=0`'* ]]
	[[ "$output" == *'**fail**: `PROBE fds ok value=3 list=5,10,251` — weakness [codex-'* ]]
	grep -q '^- \[codex-[0-9]*\] weakness: Descriptors the caller leaves open' "$md"
	# Differences that are only skips: one line for the reason, none in the class tables.
	[ "$(grep -c 'srt cannot express an enabled network' "$md")" -eq 1 ]
	grep -q '^- \*\*srt\*\* skips 2 (2 only-skip differences): srt cannot express an enabled network' "$md"
	[ "$(grep -c '^### E40' "$md")" -eq 0 ]
	# A case every sandbox passes is not shown.
	[ "$(grep -c 'fs-ws-create' "$md")" -eq 0 ]
}

@test "junit: the testsuite is named and counted, and each failure says whether conformance/expectations knows it" {
	cat >"$BASE/junit.xml" <<'EOF'
<?xml version="1.0" encoding="iso-8859-1"?>
<testsuite>
<testcase classname="t_process" name="proc_ro_no_inherited_fds" time="0.100"><failure message="PROBE fds ok value=3"/></testcase>
<testcase classname="t_filesystem" name="fs_ws_create" time="0.200"><failure message="PROBE create errno:EROFS"/></testcase>
<testcase classname="t_seccomp" name="sc_ro_x32_socket_unix" time="0.050"><skipped/></testcase>
<testcase classname="t_nesting_property" name="batch_3" time="1.000"></testcase>
</testsuite>
EOF
	run python3 - "$CORDON_TOP/scripts/report" "$BASE/junit.xml" <<'PY'
import importlib.machinery, importlib.util, sys, xml.etree.ElementTree as ET
loader = importlib.machinery.SourceFileLoader("report", sys.argv[1])
spec = importlib.util.spec_from_loader("report", loader)
m = importlib.util.module_from_spec(spec)
loader.exec_module(m)
m.label_junit(sys.argv[2], {"sut": "codex", "environment": {"date": "2026-12-02T09:00:00+00:00"}})
suite = ET.parse(sys.argv[2]).getroot()
print(suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped"),
      suite.get("timestamp"))
for f in suite.iter("failure"):
    print(f.get("type"))
PY
	assert_success
	assert_line --index 0 "conformance.codex 4 2 0 1 2026-12-02T09:00:00"
	assert_line --index 1 "known-weakness"
	assert_line --index 2 "new"
}

@test "junit: every JUnit file in reports/ validates against conformance/junit.xsd, as CI systems read it" {
	command -v xmllint >/dev/null || skip "xmllint is not installed (package libxml2-utils)"
	local f found=0
	for f in "$CORDON_TOP"/reports/host/*/junit.xml "$CORDON_TOP"/reports/host-careful/*/junit.xml \
		"$CORDON_TOP"/reports/host-legacy/*/junit.xml "$CORDON_TOP"/reports/check/*-junit.xml; do
		[ -f "$f" ] || continue
		found=$((found + 1))
		run xmllint --noout --schema "$CORDON_TOP/conformance/junit.xsd" "$f"
		assert_success
		run grep -c '<testcase' "$f"
		assert [ "$output" -gt 0 ]
	done
	[ "$found" -gt 0 ] || skip "no JUnit report yet (make conformance or make check writes them)"
}

@test "junit: the schema refuses a testsuite without a name, counts or timestamp" {
	command -v xmllint >/dev/null || skip "xmllint is not installed (package libxml2-utils)"
	printf '<?xml version="1.0"?>\n<testsuite><testcase classname="a" name="b"/></testsuite>\n' >"$BASE/bare.xml"
	run xmllint --noout --schema "$CORDON_TOP/conformance/junit.xsd" "$BASE/bare.xml"
	assert_failure
	assert_output --partial "The attribute 'name' is required but missing"
	# scripts/report junit gives it what it lacks.
	run "$CORDON_TOP/scripts/report" junit "$BASE/bare.xml" cordon-unit
	assert_success
	run xmllint --noout --schema "$CORDON_TOP/conformance/junit.xsd" "$BASE/bare.xml"
	assert_success
	# bats' TAP through tap2junit.awk, as make check writes e2e-junit.xml.
	printf 'ok 1 a\nnot ok 2 b\n# why\nok 3 c # skip no tool\n' |
		awk -f "$CORDON_TOP/scripts/tap2junit.awk" cordon-e2e 2026-12-02T09:00:00 >"$BASE/e2e.xml"
	run xmllint --noout --schema "$CORDON_TOP/conformance/junit.xsd" "$BASE/e2e.xml"
	assert_success
}

@test "catalogue: every case's refs resolves, and every class has a case or says why not" {
	run "$CORDON_TOP/scripts/catalogue-check"
	assert_success
	assert_output --partial "every refs resolves"
}

@test "catalogue: an unknown class, a stray ref and a class without cases are each reported" {
	mkdir -p "$BASE/cases" "$BASE/exp"
	cat >"$BASE/cases/x.cases" <<'EOF'
case fs-one
title   one
policy  ro
probe   read /etc/passwd
expect  allowed
refs    E01 E99 README.md CVE-2001-0001
end
EOF
	cat >"$BASE/cat.md" <<'EOF'
# Escape classes

### E01 — one
*Affects:* x.
*Defence:* x.
*Sources:* x.
*Cases:* `fs-one`, `fs-gone-*`.

### E02 — two
*Affects:* x.
*Defence:* x.
*Sources:* x.
*Cases:* none yet.
EOF
	run "$CORDON_TOP/scripts/catalogue-check" --catalogue "$BASE/cat.md" --cases "$BASE/cases" --expectations "$BASE/exp"
	assert_failure 1
	assert_output --partial "refs E99, which is not a class of the catalogue"
	assert_output --partial "refs 'README.md' is neither a class"
	assert_output --partial "refs CVE-2001-0001, which the catalogue names as no class's source"
	assert_output --partial "E02: no case refs it and no '*No case:*' sentence says why"
	[[ "$output" == *'`fs-gone-*` on its Cases line matches no case'* ]]
}
