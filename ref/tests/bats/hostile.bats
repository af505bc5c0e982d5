#!/usr/bin/env bats
# Hostile and odd input: each gives one clear line and exit 1 or 2, or runs
# correctly confined.  Never an unconfined command.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	cd "$WS" || return 1
}

teardown() {
	common_teardown
}

@test "hostile: truncated profile JSON exits 2 with one line" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile '{"type":"managed","file_system":{"type":"restr' -- touch "$WS/ran"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$WS/ran" ]
}

@test "hostile: invalid UTF-8 in the profile JSON exits 2" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile \
		"$(printf '{"type":"managed","file_system":{"type":"restricted","entries":[{"path":{"type":"path","path":"/x\377"},"access":"read"}]}}')" -- touch "$WS/ran"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$WS/ran" ]
}

@test "hostile: a writable directory with a non-UTF-8 name works, confined" {
	name=$(printf 'd\377ir')
	ws_mkdir "$WS/$name"
	run as_user "$CORDON" run -w "$WS/$name" -- sh -c "touch '$WS/$name/ok' && touch '$WS/other'"
	assert_failure
	[ -e "$WS/$name/ok" ]
	[ ! -e "$WS/other" ]
}

@test "hostile: a writable directory with a newline and spaces in its name works" {
	name=$(printf 'a b\nc')
	ws_mkdir "$WS/$name"
	run as_user "$CORDON" run -w "$WS/$name" -- touch "$WS/$name/ok"
	assert_success
	[ -e "$WS/$name/ok" ]
}

@test "hostile: a writable directory named like an option stays a path" {
	ws_mkdir "$WS/--bind"
	run as_user "$CORDON" run -w ./--bind -- touch "$WS/--bind/ok"
	assert_success
	[ -e "$WS/--bind/ok" ]
}

@test "hostile: 10,000 deny entries are accepted and the command runs confined" {
	args=()
	for i in $(seq 10000); do args+=(--deny "$BASE/nope/$i"); done
	run as_user "$CORDON" run "${args[@]}" -- sh -c "echo ran; touch $WS/x"
	assert_failure
	assert_output --partial "ran"
	assert_output --partial "Read-only file system"
}

@test "hostile: a working directory deleted before the run is refused with one line" {
	ws_mkdir "$WS/gone"
	run as_user sh -c "cd '$WS/gone' && rmdir '$WS/gone' && exec '$CORDON' run --read-only -- touch '$BASE/ran'"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "current directory"
	[ ! -e "$BASE/ran" ]
}

@test "hostile: a command cwd that does not exist is refused" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS/none" --permission-profile "$ro_profile" -- touch "$BASE/ran"
	assert_failure 1
	assert_output --partial "does not exist"
	[ ! -e "$BASE/ran" ]
}

@test "hostile: a writable root the user cannot read fails closed" {
	mkdir -p "$BASE/locked"
	chmod 000 "$BASE/locked"
	chown root: "$BASE/locked" 2>/dev/null || skip "needs root to make a directory the test user cannot enter"
	run as_user "$CORDON" run -w "$BASE/locked" -- touch "$WS/ran"
	assert_failure
	[ ! -e "$WS/ran" ]
}

@test "hostile: a bwrap that prints garbage is refused when it is the only one" {
	mkdir -p "$BASE/garbage"
	printf '#!/bin/sh\nhead -c 4096 /dev/urandom\n' >"$BASE/garbage/bwrap"
	chmod 755 "$BASE/garbage/bwrap"
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 PATH="$BASE/garbage" "$CORDON" run --read-only -- /bin/touch "$WS/ran"
	assert_failure 1
	assert_output --partial "unusable"
	[ ! -e "$WS/ran" ]
}

@test "hostile: a bwrap that hangs on --help is given up after the time-out" {
	# The only bwrap on PATH: garbage printf's, hangs, nothing else to fall back on.
	mkdir -p "$BASE/hang"
	printf '#!/bin/sh\nexec /bin/sleep 60\n' >"$BASE/hang/bwrap"
	chmod 755 "$BASE/hang/bwrap"
	SECONDS=0
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 PATH="$BASE/hang" "$CORDON" run --read-only -- /bin/touch "$WS/ran"
	assert_failure 1
	[ "$SECONDS" -lt 15 ]
	assert_output --partial "did not answer"
	[ ! -e "$WS/ran" ]
}

@test "hostile: a PATH of 1,000 entries still finds bwrap" {
	path=$(for i in $(seq 1000); do printf '/nonexistent/%d:' "$i"; done)/usr/bin:/bin
	run as_user env PATH="$path" "$CORDON" run --read-only -- sh -c 'grep ^Seccomp: /proc/self/status'
	assert_success
	assert_output --partial $'Seccomp:\t2'
}

@test "hostile: an empty command name is refused" {
	run -127 as_user "$CORDON" run --read-only -- ""
	assert_failure 127
}

@test "hostile: a plan past bwrap's 9000 arguments is refused by run, and shown marked by explain" {
	mkdir -p "$BASE/many"
	for i in $(seq 0 399); do mkdir -p "$BASE/many/$i/d"; done
	chown -R "$TEST_USER:" "$BASE/many" 2>/dev/null || true
	/usr/bin/python3 - "$BASE/many" >"$BASE/many.json" <<'PY'
import json, sys
e = [{"path": {"type": "special", "value": {"kind": "root"}}, "access": "read"}]
for i in range(400):
    e.append({"path": {"type": "path", "path": f"{sys.argv[1]}/{i}"}, "access": "write"})
    e.append({"path": {"type": "path", "path": f"{sys.argv[1]}/{i}/d"}, "access": "none"})
print(json.dumps({"type": "managed", "file_system": {"type": "restricted", "entries": e}, "network": "restricted"}))
PY
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$(cat "$BASE/many.json")" -- touch "$WS/ran"
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"this policy needs "*" bwrap arguments (and the command 2); bubblewrap accepts at most 9000 in all: use fewer writable roots or deny entries" ]]
	[ ! -e "$WS/ran" ]
	run --separate-stderr as_user "$CORDON" explain --sandbox-policy-cwd "$WS" --permission-profile "$(cat "$BASE/many.json")" -- true
	assert_success
	[[ "${lines[1]}" == "refused: this policy needs "*" bwrap arguments (and the command 1); bubblewrap accepts at most 9000 in all: use fewer writable roots or deny entries; cordon run and the helper refuse it" ]]
}

@test "hostile: a command with more arguments than bwrap takes is blamed, not the policy" {
	run as_user "$CORDON" run --read-only -- true $(seq 9000)
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"the command has 9001 arguments"*"give the command fewer arguments"* ]]
	refute_output --partial "deny entries"
}
