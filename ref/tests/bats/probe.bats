#!/usr/bin/env bats
# The conformance probe's line protocol, on the host with no sandbox around it.

load helpers

setup() {
	common_setup
	PROBE=$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon-probe
}

teardown() { common_teardown; }

# One well-formed result line: PROBE NAME ok|errno:ENAME [key=value...]
wellformed() {
	[[ "$1" =~ ^PROBE\ [a-z0-9-]+\ (ok|errno:E[A-Z0-9]+)(\ [a-z]+=[^\ ]*)*$ ]]
}

@test "probe: the binary is statically linked" {
	[ "${CORDON_BUILD:-build}" = build ] || skip "sanitizer builds are dynamic: the sanitizer runtimes cannot be linked statically"
	run file -L "$PROBE"
	assert_output --partial "statically linked"
	run ldd "$PROBE"
	assert_output --partial "not a dynamic executable"
}

@test "probe: write to a missing file fails with ENOENT and creates nothing" {
	run "$PROBE" write "$BASE/missing"
	assert_success
	assert_output "PROBE write errno:ENOENT"
	[ ! -e "$BASE/missing" ]
}

@test "probe: create then read, and a second create says EEXIST" {
	run "$PROBE" create "$BASE/new"
	assert_output "PROBE create ok"
	run "$PROBE" read "$BASE/new"
	assert_output "PROBE read ok bytes=0"
	run "$PROBE" create "$BASE/new"
	assert_output "PROBE create errno:EEXIST"
}

@test "probe: stat and list report type, octal mode and entry count" {
	mkdir "$BASE/d"
	touch "$BASE/d/a" "$BASE/d/b"
	chmod 750 "$BASE/d"
	run "$PROBE" stat "$BASE/d"
	assert_output "PROBE stat ok type=dir mode=0750"
	run "$PROBE" list "$BASE/d"
	assert_output "PROBE list ok entries=2"
}

@test "probe: sys connect reaches the kernel and fails with EBADF" {
	run "$PROBE" sys connect
	assert_success
	assert_output "PROBE sys ok reached=EBADF"
}

@test "probe: socket vsock prints a well-formed line" {
	run "$PROBE" socket vsock
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	wellformed "$output"
}

@test "probe: an unknown probe or a wrong argument count exits 2 with one usage line" {
	run "$PROBE" frobnicate
	assert_failure 2
	assert_output "PROBE frobnicate usage unknown-probe"
	run "$PROBE" read
	assert_failure 2
	[[ "$output" == "PROBE read usage "* ]]
}

@test "probe: multi prints one line per probe, in order" {
	run "$PROBE" multi 'pid' "write $BASE/missing" 'sys bind' 'uid'
	assert_success
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" =~ ^PROBE\ pid\ ok\ value=[0-9]+$ ]]
	assert_line --index 1 "PROBE write errno:ENOENT"
	assert_line --index 2 "PROBE sys ok reached=EBADF"
	assert_line --index 3 "PROBE uid ok value=$(id -u)"
}

@test "probe: status NoNewPrivs is 0 outside a sandbox" {
	run "$PROBE" status NoNewPrivs
	assert_output "PROBE status ok value=0"
	run "$PROBE" status NoSuchField
	assert_output "PROBE status errno:ENOENT"
}

@test "probe: fds lists an inherited descriptor" {
	run bash -c 'exec 7</dev/null; exec "$0" fds' "$PROBE"
	[[ "$output" =~ ^PROBE\ fds\ ok\ value=[0-9]+\ list=([0-9]+,)*7(,[0-9]+)*$ ]]
}

@test "probe: tcp-connect to a closed loopback port is refused" {
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	run "$PROBE" tcp-connect 127.0.0.1 "$port"
	assert_output "PROBE tcp-connect errno:ECONNREFUSED"
}

@test "probe: env replaces blanks so values stay one token" {
	run env PROBE_T='a b	c' "$PROBE" env PROBE_T
	assert_output "PROBE env ok value=a_b_c"
	run env -u PROBE_T "$PROBE" env PROBE_T
	assert_output "PROBE env errno:ENOENT"
}

@test "probe: tiocsti on a non-terminal is not refused and reaches the kernel" {
	run "$PROBE" tiocsti </dev/null
	assert_success
	assert_output "PROBE tiocsti ok reached=ENOTTY"
}
