#!/usr/bin/env bats
# End-to-end: the command's stdio (ref/src/stdio_guard.h).  A descriptor
# that names a host object (a file, a directory, a named FIFO, the
# caller's terminal) is relayed through a pipe or a pseudo-terminal, so the
# command cannot act on that object; pipes, /dev/null and socket pairs are
# passed as they are.  The logs and files live in $BASE, outside every
# writable root, and belong to the test user, who could change them if the
# command could reach them.  Most tests run on a careful launch and on a
# direct one (the first run in a fresh registry, then CORDON_CAREFUL=0).
# The tests that show nothing is lost also check, inside, that the command
# was given a pipe (test -p): that the relay is what they measure.

# Inner scripts are single-quoted and take their values as arguments:
# shellcheck disable=SC2016

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	private_registry
	# The system's python3 (scripts/check's PATH), which the test user can run.
	export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	cat >"$BASE/pty.py" <<'PY'
# pty.py [--type TEXT | --resize ROWS COLS] -- ARGV...: run ARGV on a new
# terminal of its own (session leader, foreground); once it has printed
# "READY", type TEXT or resize the terminal (the kernel sends SIGWINCH);
# print JSON: exit status, output, the terminal's settings and size
# before and after.
import fcntl, json, os, select, struct, sys, termios, time

args = sys.argv[1:]
typed = resize = None
if args[0] == "--type":
    typed, args = args[1].encode(), args[2:]
elif args[0] == "--resize":
    resize, args = struct.pack("HHHH", int(args[1]), int(args[2]), 0, 0), args[3:]
argv = args[1:]
m, s = os.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
def size():
    return list(struct.unpack("HHHH", fcntl.ioctl(s, termios.TIOCGWINSZ, b"\0" * 8))[:2])
before, size_before = termios.tcgetattr(s), size()
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(s, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(s, fd)
    os.execvp(argv[0], argv)
out, status, deadline = b"", None, time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([m], [], [], 0.05)
    if r:
        try:
            out += os.read(m, 65536)
        except OSError:
            pass
    if typed is not None and b"READY" in out:
        os.write(m, typed)
        typed = None
    if resize is not None and b"READY" in out:
        fcntl.ioctl(m, termios.TIOCSWINSZ, resize)
        resize = None
    if status is None:
        p, st = os.waitpid(pid, os.WNOHANG)
        if p == pid:
            status = os.waitstatus_to_exitcode(st)
            deadline = time.time() + 0.5
print(json.dumps({"status": status, "output": out.decode(errors="replace"),
                  "same_termios": termios.tcgetattr(s) == before,
                  "size_before": size_before, "size_after": size()}))
PY
}

teardown() {
	common_teardown
}

# field JSON KEY: one value of pty.py's report.
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# A file of the test user's, outside the workspace: $1 name, $2 contents.
user_file() { as_user sh -c 'printf "%s" "$2" >"$1"; chmod 644 "$1"' sh "$BASE/$1" "$2"; }

# warm: the next run in this registry is a direct launch.
warm() { as_user "$CORDON" run --read-only -- true </dev/null >/dev/null 2>&1; }

@test "stdio: pipes, /dev/null and a closed descriptor are passed as they are" {
	run as_user bash -c '"$1" run --read-only -- readlink /proc/self/fd/0 /proc/self/fd/1 |
		{ read -r a; read -r b; echo "$a $b $(readlink /proc/self/fd/0)"; }' _ "$CORDON"
	assert_success
	read -r in out ours <<<"$output"
	[ "$in" = /dev/null ]
	[ "$out" = "$ours" ]
	[[ "$out" == pipe:* ]]
	run as_user "$CORDON" explain --read-only -- true <&-
	refute_output --partial "stdio:"
}

@test "stdio: a socket pair (Node's, libuv's stdio) is passed as it is" {
	run as_user python3 -c '
import socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.run([sys.argv[1], "run", "--read-only", "--", "python3", "-c",
    "import os, stat; print(stat.S_ISSOCK(os.fstat(1).st_mode))"], stdout=b)
b.close()
print(a.recv(100).decode().strip(), p.returncode)' "$CORDON"
	assert_output "True 0"
}

@test "stdio: 10 MB of output to a file outside the workspace arrive complete" {
	as_user sh -c 'head -c 10485760 /dev/urandom >"$1"' sh "$BASE/src"
	for careful in 1 0; do
		CORDON_CAREFUL=$careful as_user "$CORDON" run --read-only -- sh -c 'test -p /dev/stdout && exec cat "$1"' \
			sh "$BASE/src" >"$BASE/out"
		cmp "$BASE/src" "$BASE/out"
	done
}

@test "stdio: >log 2>&1 keeps the order of stdout and stderr" {
	prog='import os, stat
# One pipe for both: it keeps the order.
assert stat.S_ISFIFO(os.fstat(1).st_mode) and os.fstat(1).st_ino == os.fstat(2).st_ino
for i in range(3000):
    os.write(1, b"out %d\n" % i)
    os.write(2, b"err %d\n" % i)'
	python3 -c "${prog/assert/pass #}" >"$BASE/want" 2>&1
	for careful in 1 0; do
		CORDON_CAREFUL=$careful as_user "$CORDON" run --read-only -- python3 -c "$prog" >"$BASE/log" 2>&1
		cmp "$BASE/want" "$BASE/log"
	done
}

@test "stdio: >>log: appended, and a log with O_APPEND on both stdout and stderr" {
	user_file log $'before\n'
	as_user "$CORDON" run --read-only -- sh -c '
		[ "$(stat -L -c %F:%i /proc/$$/fd/1)" = "fifo:$(stat -L -c %i /proc/$$/fd/2)" ] || exit
		echo one; echo two >&2' >>"$BASE/log" 2>>"$BASE/log"
	[ "$(cat "$BASE/log")" = $'before\none\ntwo' ]
}

@test "stdio: stdin from a file is read completely" {
	as_user sh -c 'head -c 3000000 /dev/urandom >"$1"' sh "$BASE/src"
	want=$(sha256sum <"$BASE/src")
	for careful in 1 0; do
		run --separate-stderr env CORDON_CAREFUL=$careful setpriv --reuid="$TEST_USER" \
			--regid="$TEST_USER" --init-groups -- "$CORDON" run --read-only -- \
			sh -c 'test -p /dev/stdin && exec sha256sum' <"$BASE/src"
		assert_success
		assert_output -- "$want"
	done
}

@test "stdio: a partial read of stdin leaves the caller's offset after what the command read" {
	as_user sh -c 'head -c 300000 /dev/urandom >"$1"' sh "$BASE/src"
	for careful in 1 0; do
		CORDON_CAREFUL=$careful as_user sh -c '{ "$1" run --read-only -- sh -c "test -p /dev/stdin && exec head -c 5" >"$2.a"
			cat >"$2.b"; } <"$2"' sh "$CORDON" "$BASE/src"
		[ "$(stat -c %s "$BASE/src.a")" -eq 5 ]
		cat "$BASE/src.a" "$BASE/src.b" | cmp - "$BASE/src"
	done
	# A command that reads nothing leaves the offset where it was.
	as_user sh -c '{ head -c 7 >/dev/null; "$1" run --read-only -- true; cat >"$2.b"; } <"$2"' \
		sh "$CORDON" "$BASE/src"
	[ "$(stat -c %s "$BASE/src.b")" -eq $((300000 - 7)) ]
}

# attack CAREFUL OPS: run python3 OPS in the sandbox (CORDON_CAREFUL=CAREFUL),
# stdout appended to $BASE/log.
attack() {
	user_file log $'KEEP\n'
	CORDON_CAREFUL=$1 as_user "$CORDON" run --read-only -- python3 -c "
import fcntl, os
try:
$2
except OSError as e:
    print('refused:', e.strerror, flush=True)
" >>"$BASE/log"
}

@test "stdio: the command cannot reopen its stdout log for writing" {
	for careful in 1 0; do
		attack "$careful" "    fd = os.open('/proc/self/fd/1', os.O_WRONLY | os.O_TRUNC); os.write(fd, b'X')"
		[ "$(head -n 1 "$BASE/log")" = KEEP ]
	done
}

@test "stdio: the command cannot chmod its stdout log" {
	for careful in 1 0; do
		attack "$careful" "    os.fchmod(1, 0o777)"
		[ "$(stat -c %a "$BASE/log")" = 644 ]
	done
}

@test "stdio: the command cannot truncate its stdout log" {
	for careful in 1 0; do
		attack "$careful" "    os.ftruncate(1, 0)"
		[ "$(head -n 1 "$BASE/log")" = KEEP ]
	done
}

@test "stdio: the command cannot clear O_APPEND on its log and overwrite it" {
	for careful in 1 0; do
		attack "$careful" "    fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) & ~os.O_APPEND)
    os.lseek(1, 0, os.SEEK_SET)
    os.write(1, b'XXXX')"
		[ "$(head -n 1 "$BASE/log")" = KEEP ]
	done
}

@test "stdio: a directory as stdin cannot be written into" {
	as_user mkdir "$BASE/d"
	for careful in 1 0; do
		CORDON_CAREFUL=$careful as_user "$CORDON" run --read-only -- python3 -c '
import os
for op in (lambda: os.close(os.open("f", os.O_CREAT | os.O_WRONLY, dir_fd=0)),
           lambda: os.mkdir("m", dir_fd=0)):
    try:
        op()
    except OSError as e:
        print(e.strerror)
print(repr(os.read(0, 10)))' <"$BASE/d"
		[ -z "$(ls -A "$BASE/d")" ]
	done
	run as_user "$CORDON" explain --read-only -- true <"$BASE/d"
	assert_output --partial "stdio: fd 0 is /dev/null, read-only (a directory"
}

@test "stdio: explain says which descriptors are relayed, and why" {
	user_file log ''
	run as_user sh -c '"$1" explain --read-only -- true 2>>"$2"' sh "$CORDON" "$BASE/log"
	assert_output --partial "stdio: fd 2 relayed (a regular file: the command could reopen, truncate or chmod it)"
	refute_output --partial "stdio: fd 1"
}

@test "stdio: nothing of the relay reaches the command but 0, 1 and 2" {
	user_file in 'x'
	for careful in 1 0; do
		CORDON_CAREFUL=$careful as_user "$CORDON" run --read-only -- \
			sh -c 'test -p /dev/stdin && test -p /dev/stdout && ls /proc/self/fd' <"$BASE/in" >"$BASE/out" 2>&1
		# ls itself opens one descriptor for the directory it lists.
		[ "$(tr '\n' ' ' <"$BASE/out")" = "0 1 2 3 " ]
	done
}

@test "stdio: exit statuses and 128+signal pass through a relay" {
	for careful in 1 0; do
		st=0
		CORDON_CAREFUL=$careful as_user "$CORDON" run --read-only -- sh -c 'test -p /dev/stdout && exit 42' >"$BASE/out" || st=$?
		[ "$st" -eq 42 ]
		st=0
		CORDON_CAREFUL=$careful as_user "$CORDON" run --read-only -- sh -c 'test -p /dev/stdout && kill -TERM $$' >"$BASE/out" || st=$?
		[ "$st" -eq 143 ]
	done
}

@test "stdio: the helper's exit statuses pass through a relay" {
	warm
	st=0
	# shellcheck disable=SC2154 # ro_profile is helpers.bash's
	as_user "$HELPER" --sandbox-policy-cwd "$WS" --command-cwd "$WS" \
		--permission-profile "$ro_profile" -- sh -c 'test -p /dev/stdout && echo hi && exit 3' >"$BASE/out" 2>&1 || st=$?
	[ "$st" -eq 3 ]
	[ "$(cat "$BASE/out")" = hi ]
}

@test "stdio: SIGPIPE still ends a command whose stdout pipe's reader left (no relay)" {
	for careful in 1 0; do
		# SIGPIPE at its default, whatever the test's caller left it at (an ignored one is inherited).
		run as_user env --default-signal=PIPE CORDON_CAREFUL=$careful bash -c '"$1" run --read-only -- yes | head -n 1; echo "${PIPESTATUS[0]}"' _ "$CORDON"
		[ "${lines[0]}" = y ]
		[ "${lines[1]}" -eq 141 ]
	done
}

@test "stdio: a named FIFO whose reader left gives the command EPIPE and SIGPIPE, as before" {
	as_user mkfifo "$BASE/fifo"
	for careful in 1 0; do
		# The command's stdout is a pipe of cordon's, not the FIFO.
		run as_user env --default-signal=PIPE CORDON_CAREFUL=$careful bash -c 'head -c 2 <"$2" >/dev/null &
			"$1" run --read-only -- sh -c "[ \$(stat -L -c %i /proc/\$\$/fd/1) != $(stat -c %i "$2") ] && exec yes" >"$2"
			echo "$?"' _ "$CORDON" "$BASE/fifo"
		[ "$output" -eq 141 ]
	done
}

@test "stdio: SIGTERM to cordon relaying a log ends the sandbox; the log is complete" {
	warm
	marker=cordon-stdio-$$-$RANDOM
	as_user "$CORDON" run --read-only -- bash -c "echo started; exec -a $marker sleep 60" >"$BASE/out" 2>&1 &
	job=$!
	wait_for 50 pgrep -f "^$marker" >/dev/null
	# cordon stays to relay: the oldest process naming the sleep is cordon itself.
	outer=$(pgrep -o -f -- "-- bash -c echo started; exec -a $marker sleep 60")
	[[ "$(tr '\0' ' ' </proc/"$outer"/cmdline)" == *"cordon run"* ]]
	kill -TERM "$outer"
	st=0
	wait "$job" || st=$?
	[ "$st" -eq 143 ]
	# cordon waited for the sandbox to end before it exited.
	run pgrep -f "^$marker"
	assert_failure 1
	[ "$(cat "$BASE/out")" = started ]
}

@test "stdio: on a terminal, stty and TIOCSWINSZ in the sandbox leave the caller's terminal alone" {
	for careful in 1 0; do
		run python3 "$BASE/pty.py" -- env CORDON_CAREFUL=$careful setpriv --reuid="$TEST_USER" \
			--regid="$TEST_USER" --init-groups -- "$CORDON" run --read-only -- sh -c '
stty -echo -icanon
python3 -c "import fcntl, struct, termios; fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack(\"HHHH\", 5, 7, 0, 0))"
echo "inside: $(stty size) $(test -t 0 && echo tty)"'
		assert_success
		[ "$(field "$output" status)" -eq 0 ]
		[[ "$(field "$output" output)" == *"inside: 5 7 tty"* ]]
		[ "$(field "$output" same_termios)" = True ]
		[ "$(field "$output" size_after)" = "[24, 80]" ]
	done
}

@test "stdio: on a terminal, typed input reaches the command, and the terminal's size" {
	for careful in 1 0; do
		run python3 "$BASE/pty.py" --type $'hello\r' -- env CORDON_CAREFUL=$careful setpriv \
			--reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- "$CORDON" run --read-only -- \
			sh -c 'stty -echo; echo "READY $(stty size)"; read -r line; echo "got:$line"'
		[ "$(field "$output" status)" -eq 0 ]
		[[ "$(field "$output" output)" == *"READY 24 80"* ]]
		[[ "$(field "$output" output)" == *"got:hello"* ]]
		[ "$(field "$output" same_termios)" = True ]
	done
}

@test "stdio: on a terminal, a new size reaches the command's terminal (SIGWINCH)" {
	for careful in 1 0; do
		run python3 "$BASE/pty.py" --resize 30 100 -- env CORDON_CAREFUL=$careful setpriv \
			--reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- "$CORDON" run --read-only -- \
			sh -c 'stty -echo; echo "READY $(stty size)"; sleep 1; echo "now $(stty size)"'
		[ "$(field "$output" status)" -eq 0 ]
		[[ "$(field "$output" output)" == *"READY 24 80"* ]]
		[[ "$(field "$output" output)" == *"now 30 100"* ]]
		[ "$(field "$output" same_termios)" = True ]
	done
}

@test "stdio: on a terminal, a signalled command gives 128+signal and the terminal is restored" {
	run python3 "$BASE/pty.py" -- setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- \
		"$CORDON" run --read-only -- sh -c 'stty raw -echo; kill -KILL $$'
	[ "$(field "$output" status)" -eq 137 ]
	[ "$(field "$output" same_termios)" = True ]
}

@test "stdio: a careful launch that retries without /proc keeps the same pipes" {
	[ -e /proc/keys ] || skip "no /proc/keys to mask"
	as_user sh -c 'head -c 100000 /dev/urandom >"$1"' sh "$BASE/src"
	# Masking part of /proc, as container runtimes do, makes the kernel refuse a fresh proc mount.
	run as_user unshare --user --map-root-user --mount sh -c '
		mount --bind /dev/null /proc/keys || exit 99
		mkdir -m 700 "$2/rt-ns" && export XDG_RUNTIME_DIR="$2/rt-ns"
		{ "$1" run --read-only -- sh -c "test -p /dev/stdin && test -p /dev/stdout && exec head -c 5" \
			>"$2/src.a"; cat >"$2/src.b"; } <"$2/src"' sh "$CORDON" "$BASE"
	assert_success
	assert_output --partial "cannot mount a fresh /proc"
	[ "$(stat -c %s "$BASE/src.a")" -eq 5 ]
	cat "$BASE/src.a" "$BASE/src.b" | cmp - "$BASE/src"
}

landlock_or_skip() {
	if ! "$CORDON" explain --legacy-landlock --read-only -- true >/dev/null 2>&1; then
		skip "this kernel has no Landlock enabled"
	fi
}

@test "stdio: legacy Landlock: a log cannot be truncated or chmodded; output and status pass" {
	landlock_or_skip
	user_file log $'KEEP\n'
	st=0
	as_user "$CORDON" run --legacy-landlock -w "$WS" -- python3 -c '
import os
for op in (lambda: os.ftruncate(1, 0), lambda: os.fchmod(1, 0o777),
           lambda: os.open("/proc/self/fd/1", os.O_WRONLY | os.O_TRUNC)):
    try:
        op()
    except OSError as e:
        print(e.strerror, flush=True)
print("done", flush=True)
os.kill(os.getpid(), 15)' >>"$BASE/log" || st=$?
	[ "$st" -eq 143 ]
	[ "$(head -n 1 "$BASE/log")" = KEEP ]
	[ "$(tail -n 1 "$BASE/log")" = "done" ]
	[ "$(stat -c %a "$BASE/log")" = 644 ]
}

@test "stdio: legacy Landlock: stdin from a file, read in part, leaves the offset right" {
	landlock_or_skip
	as_user sh -c 'head -c 100000 /dev/urandom >"$1"' sh "$BASE/src"
	as_user sh -c '{ "$1" run --legacy-landlock -w "$3" -- sh -c "test -p /dev/stdin && exec head -c 5" >"$2.a"
		cat >"$2.b"; } <"$2"' sh "$CORDON" "$BASE/src" "$WS"
	[ "$(stat -c %s "$BASE/src.a")" -eq 5 ]
	cat "$BASE/src.a" "$BASE/src.b" | cmp - "$BASE/src"
}

@test "stdio: legacy Landlock: on a terminal, stty in the sandbox leaves the caller's terminal alone" {
	landlock_or_skip
	run python3 "$BASE/pty.py" -- setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- \
		"$CORDON" run --legacy-landlock -w "$WS" -- sh -c 'stty -echo; echo "inside $(stty size)"'
	[ "$(field "$output" status)" -eq 0 ]
	[[ "$(field "$output" output)" == *"inside 24 80"* ]]
	[ "$(field "$output" same_termios)" = True ]
}
