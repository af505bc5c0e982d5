#!/usr/bin/env bats
# End-to-end: signals to cordon run reach the command, in every launch
# mode, and cordon exits with the command's status.  bwrap's own launcher
# passes no signal on: without cordon in between, a SIGINT would kill the
# sandbox before the command's trap could run.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	private_registry
}

teardown() {
	common_teardown
}

# signalled SIG CMD...: CMD as the test user (SIGINT and SIGTERM at their
# defaults, as from a terminal), its output in $BASE/out; once it says
# ready, SIG goes to it.  Sets status and output as bats' run does.
signalled() {
	local sig=$1 pid
	shift
	as_user_bg env --default-signal=INT,TERM "$@" >"$BASE/out" 2>&1
	pid=$!
	wait_for 100 grep -q ready "$BASE/out"
	kill -"$sig" "$pid"
	status=0
	wait "$pid" || status=$?
	output=$(cat "$BASE/out")
}

# trapped SIG [cordon run flags...]: signalled SIG, on cordon run of a shell
# that traps SIGINT and SIGTERM and exits 42.
trapped() {
	local sig=$1
	shift
	signalled "$sig" "$CORDON" run "$@" -- sh -c 'trap "exit 42" INT TERM; echo ready; while :; do sleep 0.1; done'
}

@test "signals: SIGINT reaches the command on a careful launch" {
	trapped INT --read-only
	assert_failure 42
}

@test "signals: SIGINT reaches the command on a direct launch" {
	as_user "$CORDON" run --read-only -- true
	run as_user "$CORDON" explain --read-only -- true
	assert_output --partial "launch: spawn"
	trapped INT --read-only
	assert_failure 42
}

@test "signals: SIGTERM reaches the command on a direct launch with mount points to remove" {
	as_user git init -q "$WS"
	as_user "$CORDON" run --workspace-write -- true
	trapped TERM --workspace-write
	assert_failure 42
	[ ! -e "$WS/.codex" ]
}

@test "signals: SIGINT reaches the command with CORDON_CAREFUL=1" {
	as_user "$CORDON" run --read-only -- true
	export CORDON_CAREFUL=1
	trapped INT --read-only
	assert_failure 42
}

@test "signals: SIGTERM reaches the command under legacy Landlock" {
	[ "$(landlock_abi)" -gt 0 ] || skip "no Landlock on this kernel"
	trapped TERM --legacy-landlock
	assert_failure 42
}

@test "signals: SIGINT reaches the command in managed proxy mode" {
	start_listener
	trapped INT --proxy "127.0.0.1:$PORT"
	assert_failure 42
}

@test "signals: a command that does not trap SIGTERM ends with 128+15" {
	as_user "$CORDON" run --read-only -- true
	signalled TERM "$CORDON" run --read-only -- sh -c 'echo ready; exec sleep 60'
	assert_failure 143
}

@test "timeout: --timeout ends the sandbox and exits 124" {
	SECONDS=0
	run as_user "$CORDON" run --read-only --timeout 1 -- sleep 30
	assert_failure 124
	[ "$SECONDS" -lt 10 ]
}

@test "timeout: a command that finishes in time keeps its status" {
	run as_user "$CORDON" run --read-only --timeout 30 -- sh -c 'exit 3'
	assert_failure 3
}

@test "timeout: what the command left running ends with it" {
	marker=cordon-timeout-$$-$RANDOM
	run as_user "$CORDON" run --read-only --timeout 1 -- bash -c "(exec -a $marker sleep 60) & wait"
	assert_failure 124
	sleep 0.5
	run ! pgrep -f "^$marker"
}

@test "timeout: a command that ignores SIGTERM is killed after the grace period" {
	SECONDS=0
	run as_user "$CORDON" run --read-only --timeout 0.5s -- sh -c 'trap "" TERM; sleep 30'
	assert_failure 124
	[ "$SECONDS" -lt 10 ]
}

@test "timeout: --timeout ends a legacy Landlock sandbox too" {
	[ "$(landlock_abi)" -gt 0 ] || skip "no Landlock on this kernel"
	run as_user "$CORDON" run --legacy-landlock --timeout 1 -- sleep 30
	assert_failure 124
}

@test "timeout: --timeout holds where no bwrap is needed (the whole disk writable)" {
	run as_user "$CORDON" explain --allow-secrets -w / --network on -- true
	assert_output --partial "pipeline: direct"
	run as_user "$CORDON" run --allow-secrets -w / --network on --timeout 1 -- sleep 30
	assert_failure 124
}

@test "timeout: --timeout takes timeout(1)'s durations, explain shows it, and others are refused" {
	run as_user "$CORDON" explain --read-only --timeout 2m -- true
	assert_success
	assert_output --partial "timeout: 120 s:"
	run as_user "$CORDON" run --read-only --timeout 2x -- true
	assert_failure 2
	[[ "$output" == *'--timeout: "2x" is no duration'* ]]
}

@test "signals: SIGKILL to cordon run ends the sandbox; the next run of any kind cleans up after it" {
	as_user git init -q "$WS"
	as_user "$CORDON" run --workspace-write -- true
	marker=cordon-killed-$$-$RANDOM
	as_user_bg "$CORDON" run --workspace-write -- bash -c "echo ready; exec -a $marker sleep 60" >"$BASE/out" 2>&1
	pid=$!
	wait_for 100 grep -q ready "$BASE/out"
	[ -d "$WS/.codex" ]
	kill -KILL "$pid"
	wait "$pid" || true
	for _ in $(seq 50); do pgrep -f "^$marker" >/dev/null || break; sleep 0.1; done
	run ! pgrep -f "^$marker"
	# The killed run could not remove its mount points; a read-only run does.
	[ -d "$WS/.codex" ]
	run as_user "$CORDON" run --read-only -- true
	assert_success
	[ ! -e "$WS/.codex" ]
	[ ! -e "$WS/.agents" ]
}
