#!/usr/bin/env bats
# Where sandboxes break, on this host where it can be reproduced: a
# container-like confinement (build/bin/cordon-container: Docker's
# capabilities and seccomp refusals) and a read-only /proc/sys.  The other
# environments (user namespaces off, no bwrap, a /proc that cannot be
# mounted fresh) are matrix lanes (kernels/lanes), where the guest's init
# also checks doctor's diagnosis.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	[ "$(id -u)" -eq 0 ] || skip "setting up a container or a mount namespace needs root"
	common_setup
	CONTAINER=$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon-container
	[ -x "$CONTAINER" ] || skip "no $CONTAINER (make conformance-build)"
	cp "$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon-probe" "$BASE/bin/probe"
	chmod 755 "$BASE/bin/probe"
}

teardown() {
	common_teardown
}

# in_container CMD...: CMD as the test user, inside the container-like confinement.
in_container() {
	"$CONTAINER" -- setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups -- "$@"
}

@test "container: cordon-container leaves Docker's capabilities and refuses new namespaces" {
	run "$CONTAINER" -- sh -c 'grep CapBnd /proc/self/status; unshare -U true'
	assert_failure
	assert_line --index 0 --regexp $'^CapBnd:\t00000000a80425fb$'
	assert_output --partial "Operation not permitted"
}

@test "container: cordon refuses to run, says so, and the command never runs" {
	cd "$WS"
	run in_container "$CORDON" run --read-only -w "$WS" -- touch "$WS/ran"
	assert_failure
	assert_output --partial "bwrap: "
	assert_output --partial "namespace"
	[ ! -e "$WS/ran" ]
}

@test "container: doctor names the seccomp filter that refuses namespaces, with the fix" {
	run in_container "$CORDON" doctor
	assert_failure 1
	assert_output --partial "fail  namespaces: a seccomp filter refuses new namespaces"
	assert_output --partial "--security-opt seccomp=unconfined"
}

@test "container: doctor --json says user_namespaces refused-by-seccomp and seccomp_filtered" {
	run --separate-stderr in_container "$CORDON" doctor --json
	assert_failure 1
	run python3 -c 'import json, sys; e = json.loads(sys.argv[1])["environment"]; print(e["user_namespaces"], e["seccomp_filtered"], e["fresh_proc"])' "$output"
	assert_output "refused-by-seccomp True None"
}

@test "doctor --json here: the environment of a machine where everything works" {
	run --separate-stderr as_user "$CORDON" doctor --json
	assert_success
	run python3 -c 'import json, sys; e = json.loads(sys.argv[1])["environment"]; print(sorted(e), e["user_namespaces"], e["bwrap"])' "$output"
	assert_output "['bwrap', 'fresh_proc', 'seccomp_filtered', 'user_namespaces'] ok system"
}

@test "read-only /proc/sys: cordon runs the command confined, nested user namespaces still denied" {
	cd "$WS"
	# Docker mounts /proc/sys read-only: bwrap's --disable-userns cannot write
	# max_user_namespaces there, so cordon goes without it; the filter still refuses.
	run unshare --mount sh -c 'mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys &&
		exec setpriv --reuid="$1" --regid="$1" --init-groups -- "$2" run --read-only -- "$3" unshare user' \
		sh "$TEST_USER" "$CORDON" "$BASE/bin/probe"
	assert_success
	assert_output --partial "PROBE unshare errno:EPERM"
}

@test "read-only /proc/sys: cordon explain plans without --disable-userns there, with it elsewhere" {
	cd "$WS"
	run as_user "$CORDON" explain --argv-line --read-only -- true
	assert_success
	assert_output --partial -- "--disable-userns"
	run unshare --mount sh -c 'mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys &&
		exec setpriv --reuid="$1" --regid="$1" --init-groups -- "$2" explain --argv-line --read-only -- true' \
		sh "$TEST_USER" "$CORDON"
	assert_success
	refute_output --partial -- "--disable-userns"
}

@test "no fresh /proc, no bwrap on PATH: the bundled bwrap (0.12's words) also gets the retry without /proc" {
	cd "$WS"
	# Masking part of /proc forbids a fresh proc mount; bwrap 0.12 says
	# "Can't mount proc on /proc", older ones "on /newroot/proc".
	[ -e /proc/keys ] || skip "no /proc/keys to mask"
	run unshare --mount sh -c 'mount --bind /dev/null /proc/keys &&
		exec setpriv --reuid="$1" --regid="$1" --init-groups -- env PATH=/nonexistent "$2" run --read-only -- "$3" unshare user' \
		sh "$TEST_USER" "$CORDON" "$BASE/bin/probe"
	assert_success
	assert_output --partial "bwrap cannot mount a fresh /proc here"
	assert_output --partial "PROBE unshare errno:EPERM"
}
