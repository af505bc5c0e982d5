#!/usr/bin/env bats
# End-to-end: cordon run with the real system bwrap; the sandboxed command
# runs as the unprivileged test user.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	cd "$WS" || return 1
}

teardown() {
	common_teardown
}

@test "read-only: writing in the workspace fails with Read-only file system" {
	run as_user "$CORDON" run --read-only -- touch "$WS/x"
	assert_failure
	assert_output --partial "Read-only file system"
	[ ! -e "$WS/x" ]
}

@test "read-only: reading files still works" {
	ws_write "$WS/hello.txt" "hi there"
	run as_user "$CORDON" run --read-only -- cat "$WS/hello.txt"
	assert_success
	assert_output "hi there"
}

@test "workspace-write: the workspace is writable" {
	run as_user "$CORDON" run --workspace-write -- sh -c "echo data > $WS/new.txt"
	assert_success
	[ "$(cat "$WS/new.txt")" = "data" ]
}

@test "workspace-write: outside the workspace stays read-only" {
	# /tmp is writable in workspace-write mode (as in Codex); /var/tmp is not.
	run as_user "$CORDON" run --workspace-write -- touch "/var/tmp/cordon-outside-$$"
	assert_failure
	assert_output --partial "Read-only file system"
	[ ! -e "/var/tmp/cordon-outside-$$" ]
}

@test "workspace-write: .git cannot be written" {
	as_user git init -q "$WS"
	run as_user "$CORDON" run --workspace-write -- sh -c "echo x >> $WS/.git/config"
	assert_failure
	assert_output --partial "Read-only file system"
}

@test "workspace-write: a hook cannot be planted in .git/hooks" {
	as_user git init -q "$WS"
	run as_user "$CORDON" run --workspace-write -- sh -c "echo evil > $WS/.git/hooks/pre-commit"
	assert_failure
	[ ! -e "$WS/.git/hooks/pre-commit" ]
}

@test "workspace-write: the target of a gitdir pointer is read-only" {
	ws_mkdir "$WS/realgit/hooks"
	ws_write "$WS/.git" "gitdir: realgit"
	run as_user "$CORDON" run --workspace-write -- touch "$WS/realgit/hooks/x"
	assert_failure
	assert_output --partial "Read-only file system"
	run as_user "$CORDON" run --workspace-write -- sh -c "echo 'gitdir: /tmp/evil' > $WS/.git"
	assert_failure
	[ "$(cat "$WS/.git")" = "gitdir: realgit" ]
}

@test "workspace-write: an existing .codex cannot be written" {
	ws_mkdir "$WS/.codex"
	ws_write "$WS/.codex/config.toml" "model = 'x'"
	run as_user "$CORDON" run --workspace-write -- sh -c "echo evil >> $WS/.codex/config.toml"
	assert_failure
	[ "$(cat "$WS/.codex/config.toml")" = "model = 'x'" ]
}

@test "workspace-write: a missing .codex cannot be created" {
	run as_user "$CORDON" run --workspace-write -- sh -c "mkdir -p $WS/.codex/x || echo blocked; echo y > $WS/.codex/config.toml || echo blocked2"
	assert_output --partial "blocked"
	assert_output --partial "blocked2"
	[ ! -e "$WS/.codex/x" ]
	[ ! -e "$WS/.codex/config.toml" ]
}

@test "workspace-write: a missing .agents cannot be created" {
	run as_user "$CORDON" run --workspace-write -- sh -c "mkdir $WS/.agents/skills"
	assert_failure
	[ ! -e "$WS/.agents/skills" ]
}

@test "workspace-write: mount points made for masks are removed afterwards" {
	run as_user "$CORDON" run --workspace-write -- true
	assert_success
	[ ! -e "$WS/.codex" ]
	[ ! -e "$WS/.agents" ]
	[ ! -e "$WS/.git" ]
}

@test "workspace-write: a concurrent run does not remove another run's mask" {
	# Run A keeps going while run B starts and ends; A's .codex mask must hold.
	as_user "$CORDON" run --workspace-write -- sh -c "sleep 2; mkdir $WS/.codex/evil 2>/dev/null && echo CREATED; true" >"$BASE/a.out" 2>&1 &
	local a=$!
	sleep 0.7
	run as_user "$CORDON" run --workspace-write -- true
	assert_success
	wait "$a"
	run cat "$BASE/a.out"
	refute_output --partial "CREATED"
	[ ! -e "$WS/.codex/evil" ]
	[ ! -e "$WS/.codex" ]
}

@test "workspace-write: a workspace the user cannot write still runs, unmasked" {
	mkdir -p "$BASE/rootowned"
	chown root: "$BASE/rootowned" 2>/dev/null || skip "needs root to make a directory the test user cannot write"
	run as_user "$CORDON" run --workspace-write --cwd "$BASE/rootowned" -- echo ran
	assert_success
	assert_output "ran"
}

@test "workspace-write: a symlinked .codex is refused, the command never runs" {
	ws_mkdir "$WS/decoy"
	as_user ln -s decoy "$WS/.codex"
	run as_user "$CORDON" run --workspace-write -- touch "$WS/ran"
	assert_failure 1
	assert_output --partial "symlink $WS/.codex"
	[ ! -e "$WS/ran" ]
}

@test "specificity: /repo=write, /repo/a=none, /repo/a/b=write" {
	ws_mkdir "$WS/a/b"
	ws_write "$WS/a/s.txt" secret
	run as_user "$CORDON" run -w "$WS" --deny "$WS/a" -w "$WS/a/b" -- sh -c "
		touch $WS/top && echo top-ok
		touch $WS/a/new 2>/dev/null || echo a-readonly
		cat $WS/a/s.txt 2>/dev/null || echo a-hidden
		ls $WS/a 2>/dev/null || echo a-unlistable
		touch $WS/a/b/deep && echo b-ok"
	assert_success
	assert_output --partial "top-ok"
	assert_output --partial "a-readonly"
	assert_output --partial "a-hidden"
	assert_output --partial "a-unlistable"
	assert_output --partial "b-ok"
	[ -e "$WS/a/b/deep" ]
	[ "$(cat "$WS/a/s.txt")" = secret ]
}

@test "deny: a denied file cannot be read" {
	ws_write "$WS/.env" "TOKEN=1"
	run as_user "$CORDON" run --workspace-write --deny "$WS/.env" -- cat "$WS/.env"
	assert_failure
	refute_output --partial "TOKEN"
}

@test "read: a read-only path inside a writable root stays read-only" {
	ws_mkdir "$WS/vendor"
	run as_user "$CORDON" run --workspace-write --read "$WS/vendor" -- touch "$WS/vendor/x"
	assert_failure
	assert_output --partial "Read-only file system"
}

@test "status: NoNewPrivs is 1 and Seccomp is 2 inside" {
	run as_user "$CORDON" run --read-only -- cat /proc/self/status
	assert_success
	assert_output --partial $'NoNewPrivs:\t1'
	assert_output --partial $'Seccomp:\t2'
}

@test "status: NoNewPrivs and Seccomp also hold with the network on" {
	run as_user "$CORDON" run --workspace-write --network on -- cat /proc/self/status
	assert_success
	assert_output --partial $'NoNewPrivs:\t1'
	assert_output --partial $'Seccomp:\t2'
}

@test "status: no capabilities survive inside" {
	run as_user "$CORDON" run --read-only -- grep -E '^Cap(Eff|Prm):' /proc/self/status
	assert_success
	assert_output --partial $'CapEff:\t0000000000000000'
	assert_output --partial $'CapPrm:\t0000000000000000'
}

@test "network off: a TCP connect to a loopback listener fails" {
	start_listener
	# The listener is real: the same connect works outside the sandbox.
	run as_user python3 -c "import socket; s=socket.create_connection(('127.0.0.1', $PORT)); print(s.recv(6))"
	assert_output --partial "hello"
	run as_user "$CORDON" run --read-only -- python3 -c "
import socket
try:
    socket.create_connection(('127.0.0.1', $PORT), timeout=2); print('CONNECTED')
except OSError as e:
    print('errno', e.errno)"
	refute_output --partial "CONNECTED"
	assert_output --partial "errno 1"
}

@test "network off: only loopback exists in the network namespace" {
	run as_user "$CORDON" run --read-only -- cat /proc/net/dev
	assert_success
	[ "$(printf '%s\n' "$output" | grep -c ':')" -eq 1 ]
	assert_output --partial "lo:"
}

@test "network off: Unix sockets can still be created" {
	run as_user "$CORDON" run --read-only -- python3 -c "import socket; socket.socket(socket.AF_UNIX); print('unix-ok')"
	assert_success
	assert_output "unix-ok"
}

@test "network off: ptrace is denied" {
	run as_user "$CORDON" run --read-only -- python3 -c "
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
r = libc.ptrace(0, 0, 0, 0)
print('ptrace', r, ctypes.get_errno())"
	[[ "$output" == "ptrace -1 1" ]]
}

@test "network on: a TCP connect to a loopback listener works" {
	start_listener
	run as_user "$CORDON" run --workspace-write --network on -- python3 -c "
import socket; s=socket.create_connection(('127.0.0.1', $PORT), timeout=5); print(s.recv(6))"
	assert_success
	assert_output --partial "hello"
}

@test "network on: creating an AF_VSOCK socket is denied" {
	run as_user "$CORDON" run --workspace-write --network on -- python3 -c "
import socket
try:
    socket.socket(40, socket.SOCK_STREAM); print('CREATED')
except OSError as e:
    print('errno', e.errno)"
	assert_output "errno 1"
}

@test "tty: TIOCSTI is denied by the filter, not merely unsupported" {
	# Outside a filter the ioctl on a non-terminal fails with ENOTTY (25); the filter says EPERM (1).
	run as_user "$CORDON" run --read-only -- python3 -c "
import fcntl, termios, errno
try:
    fcntl.ioctl(0, termios.TIOCSTI, b'x')
except OSError as e:
    print('errno', e.errno)" </dev/null
	assert_output "errno 1"
	run as_user python3 -c "
import fcntl, termios
try:
    fcntl.ioctl(0, termios.TIOCSTI, b'x')
except OSError as e:
    print('errno', e.errno)" </dev/null
	assert_output "errno 25"
}

@test "namespaces: the command is PID 2 under the sandbox's own init" {
	run as_user "$CORDON" run --read-only -- sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
	assert_success
	[ "${lines[0]}" = 2 ]
	# cordon's inner stage on a careful launch, bwrap's init on a direct one (launch.bats).
	[[ "${lines[1]}" == *--cordon-inner* || "${lines[1]}" == bwrap\ * ]]
}

@test "namespaces: the user keeps its own uid inside" {
	run as_user "$CORDON" run --read-only -- id -u
	assert_success
	assert_output -- "$(as_user id -u)"
}

@test "namespaces: a nested user namespace cannot be created" {
	run as_user "$CORDON" run --read-only -- unshare -U true
	assert_failure
}

@test "proc: a fresh /proc shows only the sandbox's processes" {
	# PID 1 is cordon's init, PID 2 the shell expanding the glob itself: nothing from the host.
	run as_user "$CORDON" run --read-only -- sh -c 'echo /proc/[0-9]*'
	assert_success
	assert_output "/proc/1 /proc/2"
}

@test "proc: --no-proc mounts no fresh /proc" {
	run as_user "$CORDON" explain --no-proc --read-only -- true
	refute_output --partial $'\n--proc\n'
	run as_user "$CORDON" run --no-proc --read-only -- sh -c 'ls /proc | grep -c "^[0-9]"'
	assert_success
	[ "$output" -gt 3 ]
}

@test "proc: when bwrap cannot mount /proc, cordon retries without it and says so" {
	[ -e /proc/keys ] || skip "no /proc/keys to mask"
	# Masking part of /proc, as container runtimes do, makes the kernel refuse a fresh proc mount.
	run as_user unshare --user --map-root-user --mount sh -c \
		'mount --bind /dev/null /proc/keys && exec "$1" run --read-only -- sh -c "echo ran; grep ^Seccomp: /proc/self/status"' sh "$CORDON"
	assert_success
	assert_output --partial "cannot mount a fresh /proc"
	assert_output --partial "ran"
	assert_output --partial $'Seccomp:\t2'
}

@test "exit status: the command's status passes through" {
	run as_user "$CORDON" run --read-only -- sh -c 'exit 42'
	assert_failure 42
}

@test "exit status: a command killed by a signal gives 128+signal" {
	run as_user "$CORDON" run --read-only -- sh -c 'kill -TERM $$'
	assert_failure 143
}

@test "exit status: a command that cannot be executed gives 127" {
	run -127 as_user "$CORDON" run --read-only -- /nonexistent/program
	assert_failure 127
	assert_output --partial "cannot execute /nonexistent/program"
}

@test "descriptors: inherited descriptors above 2 are closed" {
	run as_user bash -c "exec 7</etc/hostname 9</etc/passwd; '$CORDON' run --read-only -- ls /proc/self/fd"
	assert_success
	# ls itself opens one descriptor for the directory it lists.
	[ "$(printf '%s\n' "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
}

@test "descriptors: the command's stderr is the caller's stderr" {
	run as_user sh -c "'$CORDON' run --read-only -- sh -c 'echo to-stderr >&2' 2>$BASE/err.txt"
	assert_success
	[ "$(cat "$BASE/err.txt")" = to-stderr ]
}

@test "orphans: processes left behind by the command are reaped, the run ends" {
	run timeout 20 sh -c "setpriv --reuid=$TEST_USER --regid=$TEST_USER --init-groups -- '$CORDON' run --read-only -- sh -c '(sleep 1 &) ; echo parent-done'"
	assert_success
	assert_output "parent-done"
}

@test "bwrap: a bwrap planted in the working directory is never used" {
	mkdir -p "$WS/bin"
	printf '#!/bin/sh\ntouch %s/planted-ran\nexec /usr/bin/bwrap "$@"\n' "$BASE" >"$WS/bin/bwrap"
	chmod 755 "$WS/bin/bwrap"
	chown -R "$TEST_USER:" "$WS/bin" 2>/dev/null || true
	run as_user env PATH="$WS/bin:/usr/bin:/bin" "$CORDON" run --read-only -- true
	assert_success
	[ ! -e "$BASE/planted-ran" ]
}

@test "bwrap: with no bwrap on PATH and the bundled one off, the command is refused" {
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 PATH="$BASE/empty" "$CORDON" run --read-only -- /bin/touch "$WS/ran"
	assert_failure 1
	assert_output --partial "bubblewrap was not found on PATH"
	[ ! -e "$WS/ran" ]
}

@test "bwrap: a bwrap lacking required options is refused when the bundled one is off" {
	mkdir -p "$BASE/oldbin"
	printf '#!/bin/sh\necho "usage: bwrap --bind SRC DEST --tmpfs DEST"\n' >"$BASE/oldbin/bwrap"
	chmod 755 "$BASE/oldbin/bwrap"
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 PATH="$BASE/oldbin" "$CORDON" run --read-only -- /bin/touch "$WS/ran"
	assert_failure 1
	assert_output --partial "unusable"
	[ ! -e "$WS/ran" ]
}

@test "argv: a command named like a bwrap option is run as a command" {
	mkdir -p "$BASE/cmds"
	printf '#!/bin/sh\necho i-am-bind "$@"\n' >"$BASE/cmds/--bind"
	chmod 755 "$BASE/cmds/--bind"
	run as_user "$CORDON" run --read-only -- "$BASE/cmds/--bind" / /
	assert_success
	assert_output "i-am-bind / /"
}

@test "danger: a full-write, network-on profile runs the command directly" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile '{"type":"disabled"}' -- sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	assert_success
	assert_output --partial $'NoNewPrivs:\t0'
	assert_output --partial $'Seccomp:\t0'
}

@test "danger: full write with the network off still filters the network" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile '{"type":"external","network":"restricted"}' -- python3 -c "
import socket
try:
    socket.socket(socket.AF_INET); print('CREATED')
except OSError as e:
    print('errno', e.errno)"
	assert_output "errno 1"
}

@test "bwrap: the --help probe is cached, and a changed bwrap is probed again" {
	mkdir -p "$BASE/run" "$BASE/bw"
	chown "$TEST_USER:" "$BASE/run"
	chmod 700 "$BASE/run"
	cp /usr/bin/bwrap "$BASE/bw/bwrap"
	run as_user env XDG_RUNTIME_DIR="$BASE/run" PATH="$BASE/bw:/usr/bin:/bin" "$CORDON" run --read-only -- true
	assert_success
	run sh -c "cat $BASE/run/cordon-targets/bwrap-*"
	[[ "$output" == "$BASE/bw/bwrap "* ]]
	# Same path, different file: the cached answer must not be trusted.
	printf '#!/bin/sh\necho "usage: bwrap --bind SRC DEST"\n' >"$BASE/bw/bwrap"
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 XDG_RUNTIME_DIR="$BASE/run" PATH="$BASE/bw" "$CORDON" run --read-only -- /bin/touch "$WS/ran"
	assert_failure 1
	assert_output --partial "unusable"
	[ ! -e "$WS/ran" ]
}
