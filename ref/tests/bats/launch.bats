#!/usr/bin/env bats
# End-to-end: how cordon starts bwrap.  The first launch with a bwrap in a
# place (mount, user and PID namespaces, boot) is careful: cordon watches
# bwrap start and an inner stage confines the command.  Later ones are
# direct: bwrap loads the seccomp filter and runs the command itself.
# Each test gets a fresh private registry (XDG_RUNTIME_DIR), so the first
# run in it is the first launch there.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	private_registry
}

teardown() {
	common_teardown
}

pid1='tr "\0" " " </proc/1/cmdline'

# start_sleeper MODE: cordon run MODE on a sleep with a name of its own, in
# the background (MODE --helper: codex-linux-sandbox with a read-only
# profile); sets marker, job (the background shell) and outer (the oldest
# process whose command line names the sleep: cordon, or the bwrap it
# became).
start_sleeper() {
	local how=("$CORDON" run "$1")

	[ "$1" != --helper ] || how=("$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile")
	marker=cordon-launch-$$-$RANDOM
	# Output that cordon passes as it is (a file, as bats gives, would be relayed).
	as_user "${how[@]}" -- bash -c "exec -a $marker sleep 60" >/dev/null 2>&1 &
	job=$!
	wait_for 50 pgrep -f "^$marker" >/dev/null
	outer=$(pgrep -o -f -- "-- bash -c exec -a $marker sleep 60")
	[ -n "$outer" ]
}

# sleeper_gone: the sleep of start_sleeper has ended (waits up to 5 s).
sleeper_gone() {
	for _ in $(seq 50); do
		pgrep -f "^$marker" >/dev/null || return 0
		sleep 0.1
	done
	return 1
}

@test "launch: the first run in a new place is careful: PID 1 is cordon's inner stage" {
	run as_user "$CORDON" run --read-only -- sh -c "$pid1"
	assert_success
	assert_output --partial -- "--cordon-inner"
}

@test "launch: the next run is direct: PID 1 is bwrap's own init, the command PID 2" {
	as_user "$CORDON" run --read-only -- true
	run as_user "$CORDON" run --read-only -- sh -c "echo \$\$; $pid1"
	assert_success
	[ "${lines[0]}" = 2 ]
	[[ "${lines[1]}" == bwrap* ]]
	[[ "${lines[1]}" != *--as-pid-1* ]]
}

@test "launch: explain names the launch and why, before and after the first run" {
	run as_user "$CORDON" explain --read-only -- true
	assert_output --partial "launch: careful: the first launch with this bwrap here"
	as_user "$CORDON" run --read-only -- true
	run as_user "$CORDON" explain --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- true
	assert_output --partial "launch: exec: cordon becomes bwrap"
	run as_user "$CORDON" explain --read-only -- true
	[[ "$output" == *"launch: spawn: "*"cordon waits, to pass signals on"* ]]
	# bwrap loads the filter; with Landlock a stage adds it before the command.
	if [ "$(landlock_abi)" -gt 0 ]; then
		# The stage loads the filter itself: bwrap gets none.
		refute_output --partial $'\n--seccomp\n3\n'
		[[ "$output" == *$'\n--\n'*$'\n--cordon-inner\n--seccomp\nrestricted\n--landlock\n'*$'\n--\ntrue'* ]]
	else
		assert_output --partial $'\n--seccomp\n3\n--\ntrue'
	fi
	refute_output --partial -- "--as-pid-1"
	run as_user "$CORDON" explain --json --read-only -- true
	[ "$(python3 -c 'import json, sys; print(json.load(sys.stdin)["launch"]["mode"])' <<<"$output")" = spawn ]
}

@test "launch: direct: NoNewPrivs, one seccomp filter and no capability, as under the inner stage" {
	as_user "$CORDON" run --read-only -- true
	run as_user "$CORDON" run --read-only -- grep -E '^(NoNewPrivs|Seccomp|Seccomp_filters|CapEff|CapPrm|CapBnd):' /proc/self/status
	assert_success
	assert_output --partial $'NoNewPrivs:\t1'
	assert_output --partial $'Seccomp:\t2'
	assert_output --partial $'Seccomp_filters:\t1'
	assert_output --partial $'CapEff:\t0000000000000000'
	assert_output --partial $'CapPrm:\t0000000000000000'
	assert_output --partial $'CapBnd:\t0000000000000000'
}

@test "launch: direct: the network stays off (inet socket refused, filter loaded by bwrap)" {
	as_user "$CORDON" run --read-only -- true
	run as_user "$CORDON" run --read-only -- python3 -c 'import socket; socket.socket(socket.AF_INET)'
	assert_failure
	assert_output --partial "Operation not permitted"
}

@test "launch: direct: the sandbox's init is out of the command's reach (filtered, or outside its Landlock domain)" {
	as_user "$CORDON" run --read-only -- true
	if [ "$(landlock_abi)" -gt 0 ]; then
		# The stage filters and Landlocks the command; bwrap's init has
		# neither, so the command must not be able to write its memory.
		run as_user "$CORDON" run --network on --read-only -- python3 -c '
import ctypes, os
try:
    os.open("/proc/1/mem", os.O_RDWR)
    print("mem: ok")
except OSError as e:
    print("mem:", e.errno)
libc = ctypes.CDLL(None, use_errno=True)
print("attach:", libc.ptrace(16, 1, 0, 0), ctypes.get_errno())'
		assert_success
		[[ "$output" == *"mem: 13"* || "$output" == *"mem: 1"* ]]
		[[ "$output" == *"attach: -1 1"* || "$output" == *"attach: -1 13"* ]]
	else
		run as_user "$CORDON" run --read-only -- grep -E '^Seccomp:' /proc/1/status
		assert_success
		assert_output --partial $'Seccomp:\t2'
	fi
}

@test "launch: direct: descriptors the caller left open do not reach the command" {
	as_user "$CORDON" run --read-only -- true
	run as_user bash -c "exec 7</etc/hostname 9</etc/passwd; '$CORDON' run --read-only -- ls /proc/self/fd"
	assert_success
	# ls itself opens one descriptor for the directory it lists.
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
}

@test "launch: direct: exit statuses pass through, a signalled command gives 128+signal" {
	as_user "$CORDON" run --read-only -- true
	run as_user "$CORDON" run --read-only -- sh -c 'exit 42'
	assert_failure 42
	run as_user "$CORDON" run --read-only -- sh -c 'kill -TERM $$'
	assert_failure 143
}

@test "launch: direct: a command that is not there still gives 127 and one line" {
	as_user "$CORDON" run --read-only -- true
	run -127 as_user "$CORDON" run --read-only -- /nonexistent/program
	assert_output --partial "cannot execute /nonexistent/program"
	[ "${#lines[@]}" -eq 1 ]
	run as_user "$CORDON" explain --read-only -- /nonexistent/program
	# Without Landlock bwrap would run the command itself and exit 1: careful then.
	if [ "$(landlock_abi)" -gt 0 ]; then
		assert_output --partial "launch: spawn: "
	else
		assert_output --partial "launch: careful: the command is no executable file here"
	fi
}

@test "launch: direct: SIGTERM to the helper, become bwrap, ends the sandbox and everything in it" {
	as_user "$CORDON" run --read-only -- true
	start_sleeper --helper
	# cordon has become bwrap: the same process, bwrap's command line.
	[[ "$(tr '\0' ' ' </proc/"$outer"/cmdline)" == bwrap\ * ]]
	kill -TERM "$outer"
	st=0
	wait "$job" || st=$?
	[ "$st" -eq 143 ]
	sleeper_gone
}

@test "launch: spawn: mount points for missing metadata are removed after a direct run" {
	as_user git init -q "$WS"
	as_user "$CORDON" run --workspace-write -- true
	run as_user "$CORDON" explain --workspace-write -- true
	assert_output --partial "launch: spawn: bwrap loads the seccomp filter"
	run as_user "$CORDON" run --workspace-write -- sh -c "$pid1; mkdir .codex/x"
	assert_failure
	[[ "$output" == bwrap* ]]
	[ ! -e "$WS/.codex" ]
	[ ! -e "$WS/.agents" ]
	[ -d "$WS/.git" ]
}

@test "launch: CORDON_CAREFUL=1 always takes the careful way" {
	as_user "$CORDON" run --read-only -- true
	run as_user env CORDON_CAREFUL=1 "$CORDON" run --read-only -- sh -c "$pid1"
	assert_success
	assert_output --partial -- "--cordon-inner"
	run as_user env CORDON_CAREFUL=1 "$CORDON" explain --read-only -- true
	assert_output --partial "launch: careful: CORDON_CAREFUL=1 asks for it"
}

@test "launch: on a kernel without Landlock every launch is careful, cordon's stage PID 1" {
	# landlock_* answering ENOSYS, as on Linux 5.10 (conformance/env/no-landlock.c).
	cp "$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon-no-landlock" "$BASE/bin/"
	nl=$BASE/bin/cordon-no-landlock
	as_user "$nl" "$CORDON" run --read-only -- true
	run as_user "$nl" "$CORDON" explain --read-only -- true
	assert_output --partial "launch: careful: no Landlock here"
	run as_user "$nl" "$CORDON" run --read-only -- sh -c "$pid1"
	assert_success
	assert_output --partial -- "--cordon-inner"
}

@test "launch: a forged registry entry cannot make cordon go direct" {
	as_user "$CORDON" run --read-only -- true
	for f in "$BASE"/rt/cordon-targets/proc-*; do
		as_user sh -c 'printf "%s\n%s\n" "/usr/bin/bwrap 1 2 3 4.0 5.0 | x" mounts >"$1"' sh "$f"
	done
	run as_user "$CORDON" explain --read-only -- true
	assert_output --partial "launch: careful"
}

@test "launch: where /proc cannot be mounted, later runs leave it out up front and still say so" {
	[ -e /proc/keys ] || skip "no /proc/keys to mask"
	# Masking part of /proc, as container runtimes do, makes the kernel refuse a fresh proc mount.
	# shellcheck disable=SC2016 # expanded by the inner shell
	run as_user unshare --user --map-root-user --mount sh -c '
		mount --bind /dev/null /proc/keys || exit 99
		mkdir -m 700 "$2/rt-ns" && export XDG_RUNTIME_DIR="$2/rt-ns"
		"$1" run --read-only -- sh -c "echo first \$\$"
		"$1" explain --read-only -- true | grep -E "^launch:|^/proc$|^--proc$"
		"$1" run --read-only -- sh -c "echo second \$\$; grep ^Seccomp: /proc/self/status"' sh "$CORDON" "$BASE"
	assert_success
	[ "$(grep -c "cannot mount a fresh /proc" <<<"$output")" -eq 2 ]
	assert_output --partial "first 2"
	assert_output --partial "launch: spawn"
	refute_output --partial $'\n--proc'
	assert_output --partial "second 2"
	assert_output --partial $'Seccomp:\t2'
}

@test "launch: doctor says how the next launch goes, careful in a new place, direct after a run" {
	run as_user "$CORDON" doctor
	assert_output --partial "launch: careful next: no launch with this bwrap here yet"
	as_user "$CORDON" run --read-only -- true
	run as_user "$CORDON" doctor
	assert_output --partial "launch: direct: a careful launch here has checked this bwrap"
}

@test "launch: a script without #! runs under sh, on a careful launch as on a direct one" {
	printf 'echo no-shebang "$1"\n' >"$WS/plain"
	chmod 755 "$WS/plain"
	[ "$(id -u)" -ne 0 ] || chown "$TEST_USER:" "$WS/plain"
	run as_user env CORDON_CAREFUL=1 "$CORDON" run --read-only -- "$WS/plain" careful
	assert_success
	assert_output "no-shebang careful"
	run as_user env CORDON_CAREFUL=1 PATH="$WS:/usr/bin:/bin" "$CORDON" run --read-only -- plain on-path
	assert_success
	assert_output "no-shebang on-path"
	run as_user "$CORDON" run --read-only -- "$WS/plain" direct
	assert_success
	assert_output "no-shebang direct"
}

@test "launch: spawn: SIGTERM to cordon ends the sandbox and still removes the mount points" {
	as_user git init -q "$WS"
	as_user "$CORDON" run --workspace-write -- true
	start_sleeper --workspace-write
	[[ "$(tr '\0' ' ' </proc/"$outer"/cmdline)" == *"cordon run --workspace-write"* ]]
	[ -d "$WS/.codex" ]
	kill -TERM "$outer"
	st=0
	wait "$job" || st=$?
	[ "$st" -eq 143 ]
	sleeper_gone
	[ ! -e "$WS/.codex" ]
	[ ! -e "$WS/.agents" ]
}
