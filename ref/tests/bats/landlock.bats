#!/usr/bin/env bats
# End-to-end: the legacy Landlock pipeline (cordon's init builds its view
# in new user, mount, PID, IPC and network namespaces, then seccomp and
# Landlock in-process) on this host's kernel, run as the unprivileged test
# user.  A kernel without Landlock cannot be made here: that refusal is
# unit-tested (t_landlock: decide_refuses_without_landlock) and left to the
# QEMU matrix's 5.10 lane for real.  Each test below names the defence it
# checks; CORDON_MUTANT (ref/mutants) switches that defence off in a
# mutant build, where the test fails.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	cd "$WS" || return 1
	# Hermetic: no one's own ~/.config/cordon/config.toml leaks in.
	export XDG_CONFIG_HOME=$BASE/xdg
	unset CORDON_CONFIG
	# cordon refuses (exit 1) when the kernel has no Landlock: nothing here can run.
	if ! "$CORDON" explain --legacy-landlock --read-only -- true >/dev/null 2>&1; then
		skip "this kernel has no Landlock enabled"
	fi
}

teardown() {
	if [ -n "${HOST_PID:-}" ]; then
		kill "$HOST_PID" 2>/dev/null || true
		wait "$HOST_PID" 2>/dev/null || true
	fi
	common_teardown
}

# "$@" as the test user in the background, setpriv executing it: $! is its pid.
# A host process of the test user, outside any sandbox: sets HOST_PID.
start_host_process() {
	as_user_bg sleep 120
	HOST_PID=$!
	for _ in $(seq 50); do
		[ "$(cat "/proc/$HOST_PID/comm" 2>/dev/null)" = sleep ] && return 0
		sleep 0.1
	done
	return 1
}

@test "legacy landlock: NoNewPrivs, workspace writable, outside blocked" {
	run as_user "$CORDON" run --legacy-landlock --workspace-write -- sh -c \
		"grep NoNewPrivs /proc/self/status; echo data > $WS/in.txt; touch /var/tmp/cordon-ll-$$"
	assert_failure
	[[ "$output" == *"NoNewPrivs:"$'\t'"1"* ]]
	assert_output --partial "Read-only file system"
	[ "$(cat "$WS/in.txt")" = "data" ]
	[ ! -e "/var/tmp/cordon-ll-$$" ]
}

@test "legacy landlock: a FIFO outside the writable roots cannot be opened for writing (Landlock)" {
	# A read-only mount does not stop this; Landlock does.
	as_user mkfifo "$BASE/fifo"
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c 'echo out >"$1"' sh "$BASE/fifo"
	assert_failure
	assert_output --partial "Permission denied"
}

@test "legacy landlock: the command runs under cordon's init in namespaces of its own" {
	# Not PID 1, but its parent is: cordon's init, which reaps and exits as it does.
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c \
		'echo $$ $PPID $(cat /proc/1/comm); for n in user mnt pid ipc net; do readlink /proc/self/ns/$n; done'
	assert_success
	assert_line --index 0 "2 1 cordon"
	i=1
	for n in user mnt pid ipc net; do
		[ "${lines[$i]}" != "$(readlink /proc/self/ns/$n)" ]
		i=$((i + 1))
	done
}

@test "legacy landlock: the network is still off" {
	# /usr/bin/python3: a python3 earlier on root's PATH may be out of the test user's reach.
	run as_user "$CORDON" run --legacy-landlock --workspace-write -- /usr/bin/python3 -c "
import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
except OSError as e:
    print('errno', e.errno)"
	assert_success
	assert_output "errno 1"
}

@test "legacy landlock: explain prints the pipeline, its view and what it gives here" {
	run "$CORDON" explain --legacy-landlock --workspace-write -- true
	assert_success
	assert_line --index 0 "pipeline: legacy-landlock"
	assert_output --partial "new user, mount, PID and IPC namespaces"
	assert_output --partial "legacy here: Landlock ABI $(landlock_abi); user namespaces: yes; a fresh /proc: yes"
	assert_output --partial "legacy gives: writing only beneath the writable roots"
	assert_output --partial "legacy does not give: reading: the whole filesystem stays readable"
	refute_output --partial "not protected under legacy Landlock"
	run "$CORDON" explain --json --legacy-landlock --workspace-write -- true
	assert_success
	run python3 -c 'import json, sys; l = json.loads(sys.argv[1])["legacy"]
print(l["user_namespaces"], l["fresh_proc"], len(l["gives"]) > 0, l["view"][0]["op"])' "$output"
	assert_output "True True True bind"
}

@test "legacy landlock: .git in a writable root stays read-only (write, rm, mv, umount all fail)" {
	ws_mkdir "$WS/.git" "$WS/src"
	ws_write "$WS/.git/HEAD" "ref: refs/heads/main"
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c "
		echo evil > $WS/.git/HEAD || echo write-denied
		rm -f $WS/.git/HEAD || echo rm-denied
		mv $WS/.git $WS/moved 2>/dev/null || echo mv-denied
		umount $WS/.git 2>/dev/null || echo umount-denied
		touch $WS/src/new && echo src-writable"
	assert_success
	[[ "$output" == *write-denied*rm-denied*mv-denied*umount-denied*src-writable* ]]
	[ "$(cat "$WS/.git/HEAD")" = "ref: refs/heads/main" ]
	[ ! -e "$WS/moved" ]
	[ -e "$WS/src/new" ]
}

@test "legacy landlock: a .git file's gitdir target in a writable root stays read-only" {
	ws_mkdir "$WS/realgit"
	ws_write "$WS/realgit/HEAD" "ref: refs/heads/main"
	ws_write "$WS/.git" "gitdir: realgit"
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c "echo evil > $WS/realgit/HEAD"
	assert_failure
	assert_output --partial "Read-only file system"
	[ "$(cat "$WS/realgit/HEAD")" = "ref: refs/heads/main" ]
}

@test "legacy landlock: the directories on the way to a deeper gitdir target cannot be renamed (pinned)" {
	ws_mkdir "$WS/sub/gd"
	ws_write "$WS/sub/gd/HEAD" "ref: refs/heads/main"
	ws_write "$WS/.git" "gitdir: sub/gd"
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c \
		'mv "$1/sub" "$1/moved" || echo held; mkdir -p "$1/sub2/gd" && echo evil >"$1/sub2/gd/HEAD"' sh "$WS"
	assert_output --partial "held"
	[ "$(cat "$WS/sub/gd/HEAD")" = "ref: refs/heads/main" ]
	[ ! -e "$WS/moved" ]
}

@test "legacy landlock: a protected path through a symlink in a writable root is refused" {
	ws_mkdir "$WS/real"
	as_user ln -s real "$WS/.git"
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- touch "$WS/ran"
	assert_failure 1
	assert_output --partial "cannot enforce protected path $WS/.git: it goes through symlink $WS/.git inside a writable root"
	[ ! -e "$WS/ran" ]
}

@test "legacy landlock: explain lists the view: read-only, masked and pinned paths" {
	ws_mkdir "$WS/sub/gd"
	ws_write "$WS/.git" "gitdir: sub/gd"
	run "$CORDON" explain --legacy-landlock -w "$WS" -- true
	assert_success
	assert_output --partial "  bind      $WS  [writable root]"
	assert_output --partial "  read-only $WS/.git  [protected]"
	assert_output --partial "  empty     $WS/.codex  [missing, so the command could create it, mode 555]"
	assert_output --partial "  bind      $WS/sub  [pinned: on the way to a path mounted below it]"
	assert_output --partial "  read-only $WS/sub/gd  [protected]"
	assert_output --partial "mount point cordon makes if missing: $WS/.codex (directory, removed afterwards)"
}

@test "legacy landlock: without user namespaces the command is refused, one line, nothing left behind" {
	# Our own user namespace whose limit is 0: cordon cannot make the ones it needs.
	run as_user unshare --user --map-root-user sh -c \
		'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1" run --legacy-landlock -w "$2" -- touch "$2/ran"' \
		sh "$CORDON" "$WS"
	assert_failure 1
	assert_output --partial "legacy Landlock needs user, mount, PID and IPC namespaces, which cannot be made here (unshare: "
	[[ "$output" == *"refusing to run the command" ]]
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$WS/ran" ]
	# The mount points are made only once the namespaces exist.
	[ -z "$(ls -A "$WS")" ]
}

@test "legacy landlock: a deny entry stays on bubblewrap and says why" {
	run "$CORDON" explain --legacy-landlock --workspace-write --deny "$WS/secret" -- true
	assert_success
	assert_line --index 0 "pipeline: bubblewrap"
	assert_output --partial "legacy Landlock was requested, but the policy denies a path"
}

@test "legacy landlock: a deny entry is enforced by bubblewrap, not dropped" {
	ws_write "$WS/secret" "s3cret"
	run as_user "$CORDON" run --legacy-landlock --workspace-write --deny "$WS/secret" -- cat "$WS/secret"
	assert_failure
	refute_output --partial "s3cret"
}

@test "legacy landlock: the helper's --use-legacy-landlock confines in-process" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --use-legacy-landlock \
		--permission-profile "$(ws_profile "$WS")" -- sh -c "touch $WS/ran && touch /var/tmp/cordon-ll-$$"
	assert_failure
	[ -e "$WS/ran" ]
	[ ! -e "/var/tmp/cordon-ll-$$" ]
}

@test "legacy landlock: CORDON_CONFIG features table selects it" {
	printf '# mine\nmodel = "x"\n[features]\nuse_legacy_landlock = true  # old\n' > "$BASE/c.toml"
	CORDON_CONFIG=$BASE/c.toml run "$CORDON" explain --workspace-write -- true
	assert_success
	assert_line --index 0 "pipeline: legacy-landlock"
}

@test "legacy landlock: XDG config with a dotted key selects it; -c false beats it" {
	mkdir -p "$XDG_CONFIG_HOME/cordon"
	echo 'features.use_legacy_landlock = true' > "$XDG_CONFIG_HOME/cordon/config.toml"
	run "$CORDON" explain --workspace-write -- true
	assert_line --index 0 "pipeline: legacy-landlock"
	run "$CORDON" explain -c use_legacy_landlock=false --workspace-write -- true
	assert_success
	assert_line --index 0 "pipeline: bubblewrap"
}

@test "legacy landlock: a malformed config line exits 2 naming file and line" {
	printf '[features]\nuse_legacy_landlock = yes\n' > "$BASE/c.toml"
	CORDON_CONFIG=$BASE/c.toml run "$CORDON" run --workspace-write -- touch "$WS/ran"
	assert_failure 2
	assert_output --partial -- "$BASE/c.toml:2"
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$WS/ran" ]
}

@test "legacy landlock: -c use_legacy_landlock=true selects it and confines" {
	run "$CORDON" explain -c use_legacy_landlock=true --workspace-write -- true
	assert_line --index 0 "pipeline: legacy-landlock"
	run as_user "$CORDON" run -c use_legacy_landlock=true --workspace-write -- touch "/var/tmp/cordon-ll-$$"
	assert_failure
	[ ! -e "/var/tmp/cordon-ll-$$" ]
}

@test "legacy landlock: a bad -c key exits 2 with one line" {
	run "$CORDON" run -c use_legacy_landlok=true --workspace-write -- touch "$WS/ran"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "use_legacy_landlok"
	[ ! -e "$WS/ran" ]
}

# --- what Landlock alone left open (the init's mounts and namespaces) ------------------

@test "legacy landlock: modes, times and extended attributes outside the workspace stay (read-only mounts)" {
	ws_write "$BASE/outside" "keep"
	as_user chmod 600 "$BASE/outside"
	as_user touch -d '2001-01-01 00:00:00' "$BASE/outside"
	before=$(stat -c '%a %Y' "$BASE/outside")
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- /usr/bin/python3 -c '
import os, sys
p = sys.argv[1]
for name, f in (("chmod", lambda: os.chmod(p, 0o777)), ("utime", lambda: os.utime(p, None)),
                ("setxattr", lambda: os.setxattr(p, "user.cordon", b"1"))):
    try:
        f()
        print(name, "done")
    except OSError as e:
        print(name, e.strerror)
os.chmod(sys.argv[2], 0o700)
print("inside", oct(os.stat(sys.argv[2]).st_mode & 0o777))' "$BASE/outside" "$WS"
	assert_success
	assert_output --partial "chmod Read-only file system"
	assert_output --partial "utime Read-only file system"
	assert_output --partial "setxattr Read-only file system"
	assert_output --partial "inside 0o700"
	[ "$(stat -c '%a %Y' "$BASE/outside")" = "$before" ]
	run python3 -c 'import os, sys; print(os.listxattr(sys.argv[1]))' "$BASE/outside"
	assert_output "[]"
}

@test "legacy landlock: a host process of the same user cannot be reniced, pinned or killed (PID namespace)" {
	start_host_process
	nice=$(ps -o ni= -p "$HOST_PID")
	mask=$(taskset -p "$HOST_PID")
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c \
		'renice -n 15 -p "$1" || echo renice-failed; taskset -p 1 "$1" || echo taskset-failed
		kill "$1" || echo kill-failed' sh "$HOST_PID"
	[[ "$output" == *renice-failed*taskset-failed*kill-failed* ]]
	[ "$(ps -o ni= -p "$HOST_PID")" = "$nice" ]
	[ "$(taskset -p "$HOST_PID")" = "$mask" ]
	kill -0 "$HOST_PID"
}

@test "legacy landlock: SysV shared memory, semaphores and queues made inside are not the host's (IPC namespace)" {
	key=$((0x43430000 + ($$ & 0xffff)))
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- /usr/bin/python3 -c '
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
key = int(sys.argv[1])
print(libc.shmget(key, 4096, 0o1600) >= 0, libc.semget(key, 1, 0o1600) >= 0,
      libc.msgget(key, 0o1600) >= 0)' "$key"
	assert_success
	assert_output "True True True"
	hex=$(printf '0x%08x' "$key")
	run ipcs
	if [[ "$output" == *"$hex"* ]]; then
		ipcrm -M "$key" -S "$key" -Q "$key" 2>/dev/null || true
		false
	fi
}

@test "legacy landlock: a host listener on an abstract Unix socket is out of reach with the network off" {
	name=cordon-e2e-abstract-$$
	as_user /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0" + sys.argv[1]); s.listen(1); s.settimeout(30)
try:
    s.accept(); open(sys.argv[2], "w").write("reached")
except OSError:
    pass' "$name" "$BASE/reached" &
	LISTENER_PID=$!
	sleep 0.3
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect("\0" + sys.argv[1]); print("connected")
except OSError as e:
    print("refused", e.errno)' "$name"
	[[ "$output" == "refused "* ]]
	sleep 0.2
	[ ! -e "$BASE/reached" ]
}

@test "legacy landlock: /dev/tty is not the caller's terminal, nor any of its terminals by name (new session, private /dev)" {
	run as_user script -qec "$CORDON run --legacy-landlock -w $WS -- sh -c '(exec 3</dev/tty) && echo opened-tty; ls /dev/pts; ls /dev | tr \"\\n\" \" \"'" /dev/null
	refute_output --partial "opened-tty"
	assert_output --partial "/dev/tty: No such device or address"
	[[ "$output" == *$'\nptmx\r\n'* || "$output" == *$'\nptmx\n'* ]]
	assert_output --partial "core fd full null ptmx pts random shm stderr stdin stdout tty urandom zero"
}

@test "legacy landlock: missing .git, .codex, .agents and .aws cannot be created, and are gone afterwards" {
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c \
		'for n in .git .codex .agents .aws; do mkdir "$1/$n" 2>/dev/null || touch "$1/$n/x" 2>/dev/null ||
		rmdir "$1/$n" 2>/dev/null || mv "$1/$n" "$1/moved$n" 2>/dev/null || echo "$n held"; done
		touch "$1/ok"' sh "$WS"
	assert_success
	[ "$output" = $'.git held\n.codex held\n.agents held\n.aws held' ]
	[ "$(ls -A "$WS")" = ok ]
}

@test "legacy landlock: Codex's app-server socket directory cannot be listed (hidden)" {
	daemon=/tmp/codex-daemon-$(id -u "$TEST_USER")
	as_user mkdir -p "$daemon"
	# A shared path: a plant an earlier, failed run left would fail this one.
	rm -f "$daemon/planted"
	run as_user "$CORDON" run --legacy-landlock --workspace-write -- sh -c \
		'ls "$1" && echo listed; touch "$1/planted" || echo not-planted' sh "$daemon"
	refute_output --partial "listed"
	assert_output --partial "not-planted"
	[ ! -e "$daemon/planted" ]
}

@test "legacy landlock: exit statuses, 128+signal and a forwarded SIGTERM pass through" {
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c 'exit 7'
	assert_failure 7
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c 'kill -KILL $$'
	assert_failure 137
	as_user_bg "$CORDON" run --legacy-landlock -w "$WS" -- sh -c \
		'trap "echo term >$1/got; exit 3" TERM; touch $1/up; sleep 60 & wait' sh "$WS"
	pid=$!
	for _ in $(seq 50); do [ -e "$WS/up" ] && break; sleep 0.1; done
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 3 ]
	[ "$(cat "$WS/got")" = term ]
}

@test "legacy landlock: killing cordon ends the command" {
	as_user_bg "$CORDON" run --legacy-landlock -w "$WS" -- sh -c 'touch "$1/up"; exec sleep 97' sh "$WS"
	pid=$!
	for _ in $(seq 50); do [ -e "$WS/up" ] && break; sleep 0.1; done
	kill -KILL "$pid"
	wait "$pid" || true
	for _ in $(seq 50); do pgrep -u "$TEST_USER" -f '^sleep 97$' >/dev/null || break; sleep 0.1; done
	run pgrep -u "$TEST_USER" -f '^sleep 97$'
	assert_failure 1
}

@test "legacy landlock: where /proc cannot be mounted fresh, the old one stays, read-only, and says so" {
	[ -e /proc/keys ] || skip "no /proc/keys to mask"
	start_host_process
	as_user mkdir -p "$BASE/xdg"
	# Masking part of /proc, as container runtimes do, forbids a fresh proc mount.
	run as_user env XDG_RUNTIME_DIR="$BASE/xdg" unshare --user --map-root-user --mount sh -c \
		'mount --bind /dev/null /proc/keys && exec "$1" run --legacy-landlock -w "$2" -- sh -c \
		"cat /proc/$3/cmdline | tr \"\\0\" \" \"; echo; cat /proc/$3/environ >/dev/null || echo no-environ;
		touch /proc/$3/comm 2>/dev/null || echo no-touch"' sh "$CORDON" "$WS" "$HOST_PID"
	assert_success
	assert_output --partial "cannot mount a fresh /proc here (a container?)"
	assert_output --partial "sleep 120"
	assert_output --partial "/proc/$HOST_PID/environ: Permission denied"
	assert_output --partial "no-environ"
	assert_output --partial "no-touch"
	[ -z "$(ls -A "$WS")" ]
}

@test "legacy landlock: a writable root in /dev stays on bubblewrap and says why" {
	run "$CORDON" explain --legacy-landlock -w /dev/shm -- true
	assert_success
	assert_line --index 0 "pipeline: bubblewrap"
	assert_output --partial "the policy makes a path in /dev or /proc writable"
}
