#!/usr/bin/env bats
# End-to-end: managed proxy mode against a real HTTP proxy (tinyproxy) and
# a local HTTP server, both on loopback and started here as the test user.
# The sandboxed command must reach the server through the proxy only.
# shellcheck disable=SC2016,SC2154 # sandboxed scripts expand inside; ro_profile is in helpers

load helpers
bats_require_minimum_version 1.5.0

# A port nobody listens on now (the kernel's pick; released at once).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Wait, at most 10 seconds, until something accepts on 127.0.0.1:$1.
wait_port() {
	local _
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "nothing listens on 127.0.0.1:$1" >&2
	return 1
}

# Start "$@" in the background as the test user; BG_PID is its own pid (setpriv
# execs), so teardown kills exactly it.  Descriptor 3 is closed: bats waits
# for every holder of it before it ends.
start_bg() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- "$@" >/dev/null 2>&1 3>&- &
	else
		"$@" >/dev/null 2>&1 3>&- &
	fi
	BG_PID=$!
}

setup() {
	command -v tinyproxy >/dev/null || skip "tinyproxy is not installed (package tinyproxy-bin)"
	common_setup
	mkdir -p "$BASE/www" "$BASE/tmpd"
	echo "through the proxy" >"$BASE/www/file.txt"
	PPORT=$(free_port)
	HPORT=$(free_port)
	cat >"$BASE/tinyproxy.conf" <<-EOF
		Port $PPORT
		Listen 127.0.0.1
		Allow 127.0.0.1
		Timeout 60
		MaxClients 16
		PidFile "$BASE/tinyproxy.pid"
		LogFile "$BASE/tinyproxy.log"
		LogLevel Info
	EOF
	[ "$(id -u)" -eq 0 ] && chown -R "$TEST_USER:" "$BASE"
	start_bg tinyproxy -d -c "$BASE/tinyproxy.conf"
	PROXY_PID=$BG_PID
	start_bg python3 -m http.server --directory "$BASE/www" --bind 127.0.0.1 "$HPORT"
	HTTP_PID=$BG_PID
	wait_port "$PPORT"
	wait_port "$HPORT"
	cd "$WS" || return 1
}

teardown() {
	local pid
	for pid in ${PROXY_PID:-} ${HTTP_PID:-}; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	common_teardown
}

# Fetch a URL with Python's urllib, which honours the proxy variables.
fetch='import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode(), end="")'

# Try socket operations inside; one line each: ok or the errno name.
sockets='import errno, socket
def t(name, f):
    try:
        f()
        print(name, "ok")
    except OSError as e:
        print(name, errno.errorcode.get(e.errno, e.errno))
t("unix", lambda: socket.socket(socket.AF_UNIX))
t("socketpair", lambda: socket.socketpair())
t("netlink", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
t("inet", lambda: socket.socket(socket.AF_INET))
t("inet6", lambda: socket.socket(socket.AF_INET6))'

helper_proxy() {
	as_user env TMPDIR="$BASE/tmpd" "$@"
}

@test "proxy: cordon run --proxy fetches a file through tinyproxy" {
	run as_user "$CORDON" run --proxy "127.0.0.1:$PPORT" -- \
		python3 -c "$fetch" "http://127.0.0.1:$HPORT/file.txt"
	assert_success
	assert_output "through the proxy"
	grep -q "file.txt" "$BASE/tinyproxy.log"
}

@test "proxy: the helper routes HTTP_PROXY through the bridge" {
	run helper_proxy HTTP_PROXY="http://127.0.0.1:$PPORT" "$HELPER" --sandbox-policy-cwd "$WS" \
		--permission-profile "$ro_profile" --allow-network-for-proxy -- \
		python3 -c "$fetch" "http://127.0.0.1:$HPORT/file.txt"
	assert_success
	assert_output "through the proxy"
}

@test "proxy: --managed-network JSON is the same mode" {
	run helper_proxy http_proxy="localhost:$PPORT" "$HELPER" --sandbox-policy-cwd "$WS" \
		--permission-profile "$ro_profile" --managed-network '{}' -- \
		python3 -c "$fetch" "http://127.0.0.1:$HPORT/file.txt"
	assert_success
	assert_output "through the proxy"
}

@test "proxy: a direct connection to the server fails" {
	run as_user "$CORDON" run --proxy "127.0.0.1:$PPORT" -- \
		bash -c "exec 3<>/dev/tcp/127.0.0.1/$HPORT && echo CONNECTED"
	assert_failure
	refute_output --partial "CONNECTED"
	run as_user "$CORDON" run --proxy "127.0.0.1:$PPORT" -- \
		bash -c "exec 3<>/dev/tcp/192.0.2.1/80 && echo CONNECTED"
	assert_failure
	refute_output --partial "CONNECTED"
}

@test "proxy: AF_UNIX sockets and socketpairs are denied, IP sockets are not" {
	run as_user "$CORDON" run --proxy "127.0.0.1:$PPORT" -- python3 -c "$sockets"
	assert_success
	assert_output --partial "unix EPERM"
	assert_output --partial "socketpair EPERM"
	assert_output --partial "netlink EPERM"
	assert_output --partial "inet ok"
	assert_output --partial "inet6 ok"
}

@test "proxy: variables are rewritten, keeping the scheme-less form and the trailing slash" {
	run helper_proxy HTTP_PROXY="http://localhost:$PPORT/" https_proxy="127.0.0.1:$PPORT" \
		npm_config_proxy="http://127.0.0.1:$PPORT" NO_PROXY=example.org "$HELPER" \
		--sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" --allow-network-for-proxy -- \
		sh -c 'echo "H=$HTTP_PROXY"; echo "h=$https_proxy"; echo "n=$npm_config_proxy"; echo "no=$NO_PROXY"'
	assert_success
	[[ "$output" =~ H=http://127\.0\.0\.1:[0-9]+/ ]]
	[[ "$output" =~ h=127\.0\.0\.1:[0-9]+($|[[:space:]]) ]]
	[[ "$output" =~ n=http://127\.0\.0\.1:[0-9]+($|[[:space:]]) ]]
	assert_output --partial "no=example.org"
}

@test "proxy: cordon run --proxy sets the usual variables in both cases" {
	run as_user "$CORDON" run --proxy "localhost:$PPORT" -- \
		sh -c 'for v in HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy; do eval "echo \$v=\$$v"; done'
	assert_success
	[ "$(grep -c -E '^[A-Za-z_]+=http://127\.0\.0\.1:[0-9]+$' <<<"$output")" -eq 6 ]
}

@test "proxy: no reachable endpoint fails closed and the command does not run" {
	dead=$(free_port)
	run as_user "$CORDON" run --proxy "127.0.0.1:$dead" -- echo RAN
	assert_failure 1
	refute_output --partial "RAN"
	assert_output --partial "no proxy endpoint is reachable"
	[ "$(wc -l <<<"$output")" -eq 1 ]
}

@test "proxy: the helper without proxy variables fails with a clear error" {
	run helper_proxy "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" \
		--allow-network-for-proxy -- echo RAN
	assert_failure
	refute_output --partial "RAN"
	assert_output --partial "managed proxy mode requires proxy environment variables"
	run helper_proxy HTTP_PROXY=http://example.org:3128 "$HELPER" --sandbox-policy-cwd "$WS" \
		--permission-profile "$ro_profile" --allow-network-for-proxy -- echo RAN
	assert_failure
	assert_output --partial "requires parseable loopback proxy endpoints"
}

@test "proxy: the socket directory is private, visible inside, and gone after the run" {
	run helper_proxy HTTP_PROXY="http://127.0.0.1:$PPORT" "$HELPER" --sandbox-policy-cwd "$WS" \
		--permission-profile "$ro_profile" --allow-network-for-proxy -- \
		sh -c 'stat -c "%a %n" "$TMPDIR"/cordon-proxy-*; ls "$TMPDIR"/cordon-proxy-*'
	assert_success
	assert_output --partial "700 $BASE/tmpd/cordon-proxy-"
	assert_output --partial "route-0.sock"
	[ -z "$(ls -A "$BASE/tmpd")" ]
}

@test "proxy: a stale socket directory of a dead run is removed" {
	start_bg true
	dead=$BG_PID
	wait "$dead" || true
	stale="$BASE/tmpd/cordon-proxy-$dead-$(id -u "$TEST_USER")"
	as_user mkdir -m 700 "$stale"
	as_user touch "$stale/route-0.sock"
	run helper_proxy HTTP_PROXY="http://127.0.0.1:$PPORT" "$HELPER" --sandbox-policy-cwd "$WS" \
		--permission-profile "$ro_profile" --allow-network-for-proxy -- true
	assert_success
	[ ! -e "$stale" ]
}

@test "proxy: explain shows the endpoints and the private network namespace" {
	run as_user "$CORDON" explain --proxy "127.0.0.1:$PPORT" -- true
	assert_success
	assert_output --partial "network: proxy only (a private network namespace"
	assert_output --partial "proxy endpoint 0: 127.0.0.1:$PPORT"
	assert_output --partial "seccomp: proxy"
	assert_output --partial -- "--unshare-net"
}

@test "proxy: a fully writable policy still gets the private network namespace" {
	run helper_proxy HTTP_PROXY="http://127.0.0.1:$PPORT" "$HELPER" --sandbox-policy-cwd "$WS" \
		--sandbox-policy '{"type":"danger-full-access"}' --allow-network-for-proxy -- \
		sh -c "python3 -c '$fetch' http://127.0.0.1:$HPORT/file.txt; echo; exec 3<>/dev/tcp/127.0.0.1/$HPORT && echo CONNECTED"
	assert_output --partial "through the proxy"
	refute_output --partial "CONNECTED"
}

@test "proxy: --proxy with --network on is refused" {
	run as_user "$CORDON" run --network on --proxy "127.0.0.1:$PPORT" -- echo RAN
	assert_failure 2
	refute_output --partial "RAN"
	assert_output --partial "contradict"
}

@test "proxy: the i386 and x32 entry points cannot make AF_UNIX sockets either" {
	cp "$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon-probe" "$BASE/bin/cordon-probe"
	run as_user "$CORDON" run --proxy "127.0.0.1:$PPORT" -- "$BASE/bin/cordon-probe" multi \
		'sys-i386 socket unix' 'sys-i386 socketcall unix' 'sys-x32 socket unix' 'socket inet'
	assert_success
	assert_line --index 0 "PROBE sys-i386 errno:EPERM"
	assert_line --index 1 "PROBE sys-i386 errno:EPERM"
	# The filter answers before the kernel looks for x32 support.
	assert_line --index 2 "PROBE sys-x32 errno:EPERM"
	assert_line --index 3 "PROBE socket ok"
}

@test "proxy: a large file comes through both bridges intact" {
	head -c 3000000 /dev/urandom >"$BASE/www/big.bin"
	want=$(sha256sum <"$BASE/www/big.bin" | cut -d' ' -f1)
	run as_user "$CORDON" run --proxy "127.0.0.1:$PPORT" -- python3 -c '
import hashlib, sys, urllib.request
print(hashlib.sha256(urllib.request.urlopen(sys.argv[1], timeout=60).read()).hexdigest())' \
		"http://127.0.0.1:$HPORT/big.bin"
	assert_success
	assert_output -- "$want"
}

@test "proxy: a half-close crosses both bridges and the answer still comes back" {
	# An endpoint that answers only once the client has finished sending.
	EPORT=$(free_port)
	start_bg python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(4)
s.settimeout(1.0)
deadline = time.time() + 120
while time.time() < deadline:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    data = b""
    while True:
        b = c.recv(4096)
        if not b:
            break
        data += b
    c.sendall(data[::-1])
    c.close()' "$EPORT"
	ECHO_PID=$BG_PID
	wait_port "$EPORT"
	run as_user "$CORDON" run --proxy "127.0.0.1:$EPORT" -- python3 -c '
import os, socket
port = int(os.environ["HTTP_PROXY"].rsplit(":", 1)[1])
c = socket.create_connection(("127.0.0.1", port), timeout=30)
c.sendall(b"hello, bridge")
c.shutdown(socket.SHUT_WR)
out = b""
while True:
    b = c.recv(4096)
    if not b:
        break
    out += b
print(out.decode())'
	kill "$ECHO_PID" 2>/dev/null || true
	wait "$ECHO_PID" 2>/dev/null || true
	assert_success
	assert_output "egdirb ,olleh"
}

@test "proxy: no bridge outlives the run" {
	run as_user "$CORDON" run --proxy "127.0.0.1:$PPORT" -- \
		python3 -c "$fetch" "http://127.0.0.1:$HPORT/file.txt"
	assert_success
	run pgrep -f "^$BASE/bin/cordon"
	assert_failure 1
}

@test "proxy: SIGTERM to cordon reaches the command, and the socket directory is removed" {
	start_bg env TMPDIR="$BASE/tmpd" HTTP_PROXY="http://127.0.0.1:$PPORT" "$HELPER" \
		--sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" --allow-network-for-proxy -- \
		sleep 121.5
	pid=$BG_PID
	# Wait (at most 20 s) until the command runs: then bwrap is up and cordon relays signals.
	for _ in $(seq 200); do
		pgrep -x -f "sleep 121.5" >/dev/null && break
		sleep 0.1
	done
	pgrep -x -f "sleep 121.5" >/dev/null
	compgen -G "$BASE/tmpd/cordon-proxy-*/route-0.sock" >/dev/null
	kill -TERM "$pid"
	# Not "run wait": run's subshell is not the job's parent, and would not wait.
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	[ -z "$(ls -A "$BASE/tmpd")" ]
	run pgrep -f "^$BASE/bin/"
	assert_failure 1
}
