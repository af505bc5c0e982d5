#!/usr/bin/env bats
# End-to-end: cordon called as codex-linux-sandbox, Codex's helper flags and exit statuses.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
}

teardown() {
	common_teardown
}

@test "helper: read-only profile makes touch fail with Read-only file system" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- touch "$WS/x"
	assert_failure 1
	assert_output --partial "Read-only file system"
	[ ! -e "$WS/x" ]
}

@test "helper: a workspace-write profile lets the command write the workspace" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$(ws_profile "$WS")" -- touch "$WS/x"
	assert_success
	[ -e "$WS/x" ]
}

@test "helper: legacy --sandbox-policy read-only blocks writes" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --sandbox-policy '{"type":"read-only"}' -- touch "$WS/x"
	assert_failure
	[ ! -e "$WS/x" ]
}

@test "helper: legacy workspace-write makes extra writable_roots writable" {
	mkdir -p "$BASE/extra"
	chown "$TEST_USER:" "$BASE/extra"
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" \
		--sandbox-policy "{\"type\":\"workspace-write\",\"writable_roots\":[\"$BASE/extra\"],\"exclude_slash_tmp\":true}" \
		-- sh -c "touch $WS/a $BASE/extra/b"
	assert_success
	[ -e "$WS/a" ]
	[ -e "$BASE/extra/b" ]
}

@test "helper: legacy workspace-write with exclude_slash_tmp keeps /tmp read-only" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" \
		--sandbox-policy '{"type":"workspace-write","exclude_slash_tmp":true,"exclude_tmpdir_env_var":true}' \
		-- touch "/tmp/cordon-helper-$$"
	assert_failure
	[ ! -e "/tmp/cordon-helper-$$" ]
}

@test "helper: split policies with the network enabled allow a loopback connect" {
	start_listener
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" \
		--file-system-sandbox-policy "{\"kind\":\"restricted\",\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"},{\"path\":{\"type\":\"path\",\"path\":\"$WS\"},\"access\":\"write\"}]}" \
		--network-sandbox-policy '"enabled"' \
		-- python3 -c "import socket; print(socket.create_connection(('127.0.0.1', $PORT), timeout=5).recv(6))"
	assert_success
	assert_output --partial "hello"
}

@test "helper: --command-cwd sets the command's directory" {
	ws_mkdir "$WS/sub"
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --command-cwd "$WS/sub" --permission-profile "$ro_profile" -- pwd
	assert_success
	assert_output -- "$WS/sub"
}

@test "helper: --flag=value works like --flag value" {
	run as_user "$HELPER" --sandbox-policy-cwd="$WS" --permission-profile="$ro_profile" -- true
	assert_success
}

@test "helper: everything after the first positional argument belongs to the command" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" /bin/echo --no-proc -x
	assert_success
	assert_output -- "--no-proc -x"
}

@test "helper: works with a bare argv[0] and a bwrap without --argv0" {
	# bwrap 0.8.0 has no --argv0; Codex 0.169.0 fails here with "execvp codex-linux-sandbox".
	run as_user env PATH=/usr/bin:/bin bash -c "exec -a codex-linux-sandbox '$CORDON' --sandbox-policy-cwd '$WS' --permission-profile '$ro_profile' -- sh -c 'grep -E \"^(NoNewPrivs|Seccomp):\" /proc/self/status'"
	assert_success
	assert_output --partial $'NoNewPrivs:\t1'
	assert_output --partial $'Seccomp:\t2'
}

@test "helper: malformed profile JSON exits 2 with one line and runs nothing" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile '{bad' -- touch "$WS/ran"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "invalid JSON"
	[ ! -e "$WS/ran" ]
}

@test "helper: a bad access value names the field" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile \
		'{"type":"managed","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"rw"}]},"network":"restricted"}' -- true
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "file_system.entries[0]"
	[[ "$output" == *'"rw"'* ]]
}

@test "helper: a relative path in the profile is rejected" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile \
		'{"type":"managed","file_system":{"type":"restricted","entries":[{"path":{"type":"path","path":"rel/x"},"access":"write"}]},"network":"restricted"}' -- true
	assert_failure 2
	assert_output --partial "not absolute"
}

@test "helper: an unknown flag exits 2" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --bogus --permission-profile "$ro_profile" -- true
	assert_failure 2
	assert_output --partial "unknown option --bogus"
}

@test "helper: --sandbox-policy-cwd is required" {
	run as_user "$HELPER" --permission-profile "$ro_profile" -- true
	assert_failure 2
	assert_output --partial -- "--sandbox-policy-cwd is required"
}

@test "helper: a policy is required" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" -- true
	assert_failure 2
	assert_output --partial "a policy is required"
}

@test "helper: no command exits 2" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile"
	assert_failure 2
	assert_output --partial "no command"
}

@test "helper: two policy forms at once are rejected" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" --sandbox-policy '{"type":"read-only"}' -- true
	assert_failure 2
}

@test "helper: --use-legacy-landlock runs under Landlock: writing outside fails" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --use-legacy-landlock --permission-profile "$(ws_profile "$WS")" \
		-- sh -c "touch $WS/ran && touch /var/tmp/cordon-helper-ll-$$"
	assert_failure
	[ -e "$WS/ran" ]
	[ ! -e "/var/tmp/cordon-helper-ll-$$" ]
}

@test "helper: managed proxy mode is refused, not run unconfined" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --managed-network '{}' --permission-profile "$(ws_profile "$WS")" -- touch "$WS/ran"
	assert_failure 1
	[ ! -e "$WS/ran" ]
}

@test "helper: --transparent-tcp without managed networking exits 2 with one line and runs nothing" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --transparent-tcp --permission-profile "$(ws_profile "$WS")" -- touch "$WS/ran"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial -- "--transparent-tcp needs managed networking"
	[ ! -e "$WS/ran" ]
}

@test "helper: --transparent-tcp with --no-proc is refused" {
	run as_user env ALL_PROXY=socks5h://127.0.0.1:9 "$HELPER" --sandbox-policy-cwd "$WS" --managed-network '{}' --transparent-tcp --no-proc --permission-profile "$(ws_profile "$WS")" -- touch "$WS/ran"
	assert_failure 2
	assert_output --partial "drop --no-proc"
	[ ! -e "$WS/ran" ]
}

@test "helper: --transparent-tcp-fd, Codex's private hand-off, is refused from a caller" {
	run as_user env ALL_PROXY=socks5h://127.0.0.1:9 "$HELPER" --sandbox-policy-cwd "$WS" --managed-network '{}' --transparent-tcp-fd 0 --permission-profile "$(ws_profile "$WS")" -- touch "$WS/ran"
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial -- "--transparent-tcp-fd is internal"
	[ ! -e "$WS/ran" ]
}

@test "helper: --transparent-tcp with no SOCKS5 proxy variable is refused" {
	run as_user env HTTP_PROXY=http://127.0.0.1:9 "$HELPER" --sandbox-policy-cwd "$WS" --managed-network '{}' --transparent-tcp --permission-profile "$(ws_profile "$WS")" -- touch "$WS/ran"
	assert_failure
	assert_output --partial "needs a SOCKS5 proxy"
	[ ! -e "$WS/ran" ]
}

@test "helper: --no-proc is accepted and the command runs" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --no-proc --permission-profile "$ro_profile" -- sh -c 'exit 42'
	assert_failure 42
}

@test "helper: a signalled command exits 128+signal" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- sh -c 'kill -TERM $$'
	assert_failure 143
}

@test "helper: a successful run prints nothing of its own" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- true
	assert_success
	[ -z "$output" ]
}

@test "helper: --help prints usage and exits 0" {
	run as_user "$HELPER" --help
	assert_success
	assert_output --partial -- "--sandbox-policy-cwd"
}

@test "helper: Codex's --apply-seccomp-then-exec confines in-process" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" --apply-seccomp-then-exec -- sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	assert_success
	assert_output --partial $'NoNewPrivs:\t1'
	assert_output --partial $'Seccomp:\t2'
}
