# Shared set-up for cordon's end-to-end tests.
#
# Every sandboxed command runs as the unprivileged test user (cordon-test):
# a sandbox test that runs as root proves little.  Workspaces live in a
# fresh directory under /tmp that the test user owns.

# Assertions that print the command's output when they fail: bats-support
# and bats-assert (Debian's bats-support and bats-assert, which scripts/bootstrap
# installs for the e2e and check targets), from bats' library path
# (/usr/lib/bats by default).  Prefer assert_success, assert_failure N,
# assert_output [--partial], refute_output and assert_line over [ ... ] on
# $status and $output, and never join two assertions with && (bats checks
# only the last command of such a list).
bats_load_library bats-support
bats_load_library bats-assert

CORDON_TOP=${CORDON_TOP:-$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)}
TEST_USER=${CORDON_TEST_USER:-cordon-test}

common_setup() {
	BASE=$(mktemp -d /tmp/cordon-e2e.XXXXXX)
	chmod 755 "$BASE"
	mkdir -p "$BASE/bin" "$BASE/ws"
	# A copy the test user can reach whatever the checkout's permissions.
	cp "$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon" "$BASE/bin/cordon"
	ln -s cordon "$BASE/bin/codex-linux-sandbox"
	CORDON=$BASE/bin/cordon
	HELPER=$BASE/bin/codex-linux-sandbox
	WS=$BASE/ws
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$TEST_USER:" "$BASE"
	fi
}

common_teardown() {
	if [ -n "${LISTENER_PID:-}" ]; then
		kill "$LISTENER_PID" 2>/dev/null || true
		wait "$LISTENER_PID" 2>/dev/null || true
	fi
	# A test skipped before its setup made BASE has nothing to remove.
	if [ -n "${BASE:-}" ]; then
		rm -rf "$BASE"
	fi
}

# Run a command as the test user (as ourselves when not root), keeping the environment.
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- "$@"
	else
		"$@"
	fi
}

# Start a command as the test user in the background; $! is the command
# itself (setpriv execs it), so it can be signalled and waited for.
as_user_bg() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- "$@" &
	else
		"$@" &
	fi
}

# wait_for TRIES CMD...: run CMD every tenth of a second until it succeeds,
# at most TRIES times; fails (with CMD's status) if it never does.
wait_for() {
	local tries=$1 _
	shift
	for _ in $(seq "$tries"); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# private_registry: a fresh registry of launches (XDG_RUNTIME_DIR) that the
# test user owns, so the first run in it is the first launch there; then
# work in the workspace.
private_registry() {
	mkdir -m 700 "$BASE/rt"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$TEST_USER:" "$BASE/rt"
	fi
	export XDG_RUNTIME_DIR=$BASE/rt
	cd "$WS" || return 1
}

# Create files or directories in the workspace as the test user.
ws_mkdir() { as_user mkdir -p "$@"; }
ws_write() { as_user sh -c 'printf "%s\n" "$2" > "$1"' sh "$1" "$2"; }

ro_profile='{"type":"managed","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"}]},"network":"restricted"}'

# A workspace-write profile for directory $1 (network restricted unless $2 = enabled).
ws_profile() {
	local net=${2:-restricted}
	printf '{"type":"managed","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"},{"path":{"type":"path","path":"%s"},"access":"write"}]},"network":"%s"}' "$1" "$net"
}

# Start a TCP listener on a free loopback port; sets PORT and LISTENER_PID.
# It accepts connections for at most 60 seconds, then exits on its own.
start_listener() {
	local portfile=$BASE/port
	python3 - "$portfile" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(1.0)
deadline = time.time() + 60
while time.time() < deadline:
    try:
        c, _ = s.accept()
        c.sendall(b"hello\n")
        c.close()
    except socket.timeout:
        pass
PY
	LISTENER_PID=$!
	for _ in $(seq 50); do
		[ -s "$portfile" ] && break
		sleep 0.1
	done
	PORT=$(cat "$portfile")
}

# The kernel's Landlock ABI, 0 without Landlock (landlock_create_ruleset's version query).
landlock_abi() {
	python3 -c 'import ctypes; print(max(0, ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1)))'
}
