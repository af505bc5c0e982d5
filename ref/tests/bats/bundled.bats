#!/usr/bin/env bats
# cordon's bundled bubblewrap: built from Debian's pinned source tarball,
# used only when PATH offers no usable bwrap, run through cordon's own image.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	common_setup
	cp "$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon-multitool" "$BASE/bin/multitool"
	mkdir -p "$BASE/nobwrap" "$BASE/mt"
	ln -s ../bin/multitool "$BASE/mt/codex-linux-sandbox"
	[ "$(id -u)" -ne 0 ] || chown -R "$TEST_USER:" "$BASE"
	status_file=$CORDON_TOP/${CORDON_BUILD:-build}/vendor/status
	if ! grep -q '^built ' "$status_file" 2>/dev/null; then
		skip "this build has no bundled bubblewrap: $(cat "$status_file" 2>/dev/null || echo 'no vendor status')"
	fi
	BUNDLED_VERSION=$(sed -n 's/^built //p' "$status_file")
}

teardown() {
	common_teardown
}

# PATH without any bwrap (the sandboxed command gets its own PATH back).
nobwrap() { as_user env PATH="$BASE/nobwrap" "$@"; }

@test "bundled: cordon bwrap --version names cordon's build and the upstream version" {
	run "$CORDON" bwrap --version
	assert_success
	assert_output "bubblewrap $BUNDLED_VERSION (cordon's build of bubblewrap)"
}

@test "bundled: the version is the one pinned in ref/vendor/bubblewrap.pin" {
	pinned=$(sed -n 's/^VERSION=//p' "$CORDON_TOP/ref/vendor/bubblewrap.pin")
	[ "$BUNDLED_VERSION" = "$pinned" ]
}

@test "bundled: with no bwrap on PATH, cordon run works and warns once on stderr" {
	run --separate-stderr nobwrap "$CORDON" run --read-only -- /bin/echo confined
	assert_success
	assert_output "confined"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "${stderr_lines[0]}" == "cordon: warning: bubblewrap was not found on PATH"* ]]
	[[ "${stderr_lines[0]}" == *"apt-get install bubblewrap"* ]]
	[[ "${stderr_lines[0]}" == *"using cordon's bundled bubblewrap $BUNDLED_VERSION instead" ]]
}

@test "bundled: the command is confined: no writes outside the workspace, seccomp on" {
	run nobwrap "$CORDON" run -w "$WS" -- /bin/sh -c \
		"/bin/touch $WS/inside && ! /bin/touch /tmp/cordon-bundled-escape-$$ 2>/dev/null && /bin/grep ^Seccomp: /proc/self/status"
	assert_success
	assert_output --partial $'Seccomp:\t2'
	[ -e "$WS/inside" ]
	[ ! -e "/tmp/cordon-bundled-escape-$$" ]
}

@test "bundled: the network is off and the command is PID 2 under its own init" {
	run --separate-stderr nobwrap "$CORDON" run --read-only -- /bin/sh -c 'echo $$; /bin/cat /proc/net/dev | /usr/bin/wc -l'
	assert_success
	[ "${lines[0]}" = 2 ]
	[ "${lines[1]}" = 3 ]	# two header lines and lo
}

@test "bundled: it is executed through a descriptor of cordon's own image (execveat)" {
	strace=$(command -v strace) || skip "strace is not installed"
	run nobwrap "$strace" -f -qq -e trace=execve,execveat -o "$BASE/trace" "$CORDON" run --read-only -- /bin/true
	assert_success
	run grep -E 'execveat\([0-9]+, "", \["bwrap", "--cordon-bwrap"' "$BASE/trace"
	assert_success
	# No bwrap was looked up by name.
	run grep -E 'exec(ve|veat)\([^,]*"[^"]*/bwrap"' "$BASE/trace"
	assert_failure 1
}

@test "bundled: a bwrap on PATH that fails the probe is replaced by the bundled one, with the reason" {
	mkdir -p "$BASE/oldbin"
	printf '#!/bin/sh\necho "usage: bwrap --bind SRC DEST --tmpfs DEST"\n' >"$BASE/oldbin/bwrap"
	chmod 755 "$BASE/oldbin/bwrap"
	run --separate-stderr as_user env PATH="$BASE/oldbin" "$CORDON" run --read-only -- /bin/echo ok
	assert_success
	assert_output "ok"
	[[ "$stderr" == *"$BASE/oldbin/bwrap is unusable"*"using cordon's bundled bubblewrap"* ]]
}

@test "bundled: a bwrap inside the working directory is never run; the bundled one is" {
	mkdir -p "$WS/bin"
	printf '#!/bin/sh\ntouch %s/planted-ran\nexec /usr/bin/bwrap "$@"\n' "$BASE" >"$WS/bin/bwrap"
	chmod 755 "$WS/bin/bwrap"
	chown -R "$TEST_USER:" "$WS/bin" 2>/dev/null || true
	cd "$WS"
	run as_user env PATH="$WS/bin" "$CORDON" run --read-only -- /bin/echo ok
	assert_success
	assert_output --partial "ok"
	[ ! -e "$BASE/planted-ran" ]
}

@test "bundled: a system bwrap on PATH is preferred, with no warning" {
	run --separate-stderr as_user "$CORDON" run --read-only -- /bin/echo ok
	assert_success
	[ -z "$stderr" ]
	run as_user "$CORDON" explain --read-only -- true
	assert_output --partial "bwrap: /usr/bin/bwrap"
}

@test "bundled: explain names the bundled bwrap when it would be used" {
	run --separate-stderr nobwrap "$CORDON" explain --read-only -- true
	assert_success
	assert_output --partial "bwrap: (bundled in cordon) (bubblewrap $BUNDLED_VERSION (cordon's build of bubblewrap))"
}

@test "bundled: helper mode prints nothing itself and runs the command" {
	run --separate-stderr nobwrap "$HELPER" --sandbox-policy-cwd "$WS" \
		--permission-profile "$ro_profile" -- /bin/echo helper-ok
	assert_success
	assert_output "helper-ok"
	[ -z "$stderr" ]
}

@test "bundled: the multitool prints the start-up warning from cordon_startup_warnings()" {
	run --separate-stderr nobwrap "$BASE/bin/multitool" hello
	assert_success
	[[ "$output" == "hello from a multitool"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "${stderr_lines[0]}" == *"multitool: warning: bubblewrap was not found on PATH"*"bundled bubblewrap $BUNDLED_VERSION"* ]]
	# With bwrap on PATH there is nothing to say.
	run --separate-stderr as_user "$BASE/bin/multitool" hello
	[ -z "$stderr" ]
}

@test "bundled: the multitool as codex-linux-sandbox runs through its own bundled bwrap" {
	run --separate-stderr nobwrap "$BASE/mt/codex-linux-sandbox" --sandbox-policy-cwd "$WS" \
		--permission-profile "$ro_profile" -- /bin/echo mt-ok
	assert_success
	assert_output "mt-ok"
	[ -z "$stderr" ]
}

@test "bundled: doctor warns, names the bundled bwrap, checks /proc with it and prints the one line" {
	run --separate-stderr nobwrap "$CORDON" doctor
	assert_success
	assert_output --partial "warn  bwrap: no bwrap on PATH; cordon uses its bundled bubblewrap $BUNDLED_VERSION"
	assert_output --partial "ok    bundled: bubblewrap $BUNDLED_VERSION (cordon's build), in use"
	assert_output --partial "ok    proc: bwrap mounts a fresh /proc"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "${stderr_lines[0]}" == *"using cordon's bundled bubblewrap $BUNDLED_VERSION instead"*"apt-get install bubblewrap"* ]]
}

@test "bundled: CORDON_NO_BUNDLED_BWRAP=1 turns the fallback off: refused, never unconfined" {
	run as_user env PATH="$BASE/nobwrap" CORDON_NO_BUNDLED_BWRAP=1 "$CORDON" run --read-only -- /bin/touch "$WS/ran"
	assert_failure 1
	assert_output --partial "no bundled bubblewrap: turned off by CORDON_NO_BUNDLED_BWRAP"
	[ ! -e "$WS/ran" ]
}

@test "vendor-bwrap: without the source, cordon still builds and carries the reason" {
	CORDON_NO_VENDOR=1 run "$CORDON_TOP/scripts/vendor-bwrap" "$BASE/vendor"
	assert_success
	[[ "$(cat "$BASE/vendor/status")" == "missing CORDON_NO_VENDOR=1 was set at build time" ]]
	run nm "$BASE/vendor/bwrap.o"
	assert_output --partial " T cordon_vendored_bwrap_main"
	assert_output --partial " R cordon_vendored_bwrap_missing"
	refute_output --partial "cordon_bwrap_upstream_main"
}

@test "vendor-bwrap: a tarball that does not match the pinned SHA-256 is never compiled" {
	. "$CORDON_TOP/ref/vendor/bubblewrap.pin"
	mkdir -p "$BASE/cache/vendor"
	echo tampered >"$BASE/cache/vendor/$FILE"
	CORDON_CACHE=$BASE/cache CORDON_DEBIAN_MIRROR=http://127.0.0.1:9 \
		run "$CORDON_TOP/scripts/vendor-bwrap" "$BASE/vendor"
	assert_success
	[[ "$(cat "$BASE/vendor/status")" == "missing $FILE did not match its pinned SHA-256" ]]
	[ ! -e "$BASE/cache/vendor/$FILE" ]
	[ ! -d "$BASE/vendor/src" ]
}

@test "vendor-bwrap: with the tarball cached, a build needs no network" {
	. "$CORDON_TOP/ref/vendor/bubblewrap.pin"
	cached=$(ls /var/cache/cordon/vendor/"$FILE" "${XDG_CACHE_HOME:-$HOME/.cache}"/cordon/vendor/"$FILE" 2>/dev/null | head -1)
	[ -n "$cached" ] || skip "no cached $FILE"
	mkdir -p "$BASE/cache/vendor"
	cp "$cached" "$BASE/cache/vendor/"
	# An unreachable mirror: any download attempt would fail the build of the real thing.
	CORDON_CACHE=$BASE/cache CORDON_DEBIAN_MIRROR=http://127.0.0.1:9 \
		run "$CORDON_TOP/scripts/vendor-bwrap" "$BASE/vendor"
	assert_success
	[ "$(cat "$BASE/vendor/status")" = "built $VERSION" ]
}
