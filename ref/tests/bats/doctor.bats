#!/usr/bin/env bats
# cordon doctor: the machine checks, their hints and exit statuses.

bats_require_minimum_version 1.5.0
load helpers

setup() { common_setup; }
teardown() { common_teardown; }

# A fake bwrap in its own directory: $1 is the body of its shell script.
fake_bwrap() {
	mkdir -p "$BASE/fake"
	printf '#!/bin/sh\n%s\n' "$1" >"$BASE/fake/bwrap"
	chmod 755 "$BASE/fake" "$BASE/fake/bwrap"
}

@test "doctor reports the kernel release from uname -r and exits 0 here" {
	run as_user "$CORDON" doctor
	assert_success
	assert_output --partial "ok    kernel: $(uname -r)"
	[[ "${lines[-1]}" == "doctor: "* ]]
}

@test "doctor --json is valid JSON and lists /usr/bin/bwrap with its version" {
	run --separate-stderr as_user "$CORDON" doctor --json
	assert_success
	printf '%s\n' "$output" | python3 -m json.tool >/dev/null
	run python3 -c '
import json, sys
d = json.loads(sys.argv[1])
b = [x for x in d["bwraps"] if x["path"] == "/usr/bin/bwrap"][0]
print(d["ok"], b["usable"], b["used"], b["version"], b["features"]["new-session"])
print(" ".join(c["name"] + "=" + c["status"] for c in d["checks"]))' "$output"
	assert_success
	[[ "${lines[0]}" =~ ^True\ True\ True\ bubblewrap\ [0-9]+\.[0-9]+\.[0-9]+\ True$ ]]
	[[ "${lines[1]}" == "build=ok kernel=ok "*" bwrap=ok bundled=ok proc=ok launch=ok" ]]
}

@test "doctor marks a bwrap whose --help lacks --new-session unusable and fails" {
	fake_bwrap 'case "$1" in
--version) echo "bubblewrap 0.1.0-fake" ;;
*) echo "    --die-with-parent --remount-ro --ro-bind-data --chdir --dev --proc --tmpfs" ;;
esac'
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 PATH="$BASE/fake" "$CORDON" doctor
	assert_failure 1
	assert_output --partial "fail  bwrap: no usable bwrap on PATH (1 found, none usable)"
	assert_output --partial -- "$BASE/fake/bwrap: bubblewrap 0.1.0-fake, unusable: its --help does not offer --new-session"
	assert_output --partial "hint: install bubblewrap: apt-get install bubblewrap"
}

@test "doctor gives up on a bwrap that hangs on --help within the probe time-out" {
	fake_bwrap 'exec /bin/sleep 30'
	SECONDS=0
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 PATH="$BASE/fake" "$CORDON" doctor
	assert_failure 1
	[ "$SECONDS" -lt 10 ]
	assert_output --partial "unusable: \`bwrap --help\` did not answer within 3 seconds"
}

@test "doctor with an empty PATH finds no bwrap and says to install bubblewrap" {
	run as_user env CORDON_NO_BUNDLED_BWRAP=1 PATH= "$CORDON" doctor
	assert_failure 1
	assert_output --partial "fail  bwrap: no bwrap on PATH"
	assert_output --partial "  hint: install bubblewrap: apt-get install bubblewrap"
	assert_output --partial "fail  bundled: none (turned off by CORDON_NO_BUNDLED_BWRAP)"
	refute_output --partial "proc:"
	[ "${lines[-1]}" = "doctor: 2 problem(s)" ]
}

@test "doctor lists but never runs a bwrap inside the current directory" {
	# Were it ever run, it would leave a mark.
	as_user sh -c 'printf "#!/bin/sh\ntouch %s/ran\n" "$1" >"$1/bwrap"; chmod 755 "$1/bwrap"' \
		sh "$WS"
	cd "$WS"
	run as_user env PATH="$WS:/usr/bin:/bin" "$CORDON" doctor
	assert_success
	assert_output --partial -- "$WS/bwrap: ignored, inside the current directory (not run)"
	assert_output --partial "ok    bwrap: /usr/bin/bwrap"
	[ ! -e "$WS/ran" ]
}

@test "doctor fails the userns and proc checks when user namespaces are disabled" {
	# A user namespace of our own whose limit is 0: the real bwrap cannot nest one.
	run as_user unshare --user --map-root-user sh -c \
		'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1" doctor' sh "$CORDON"
	assert_failure 1
	assert_output --partial "fail  userns: user namespaces are disabled (user.max_user_namespaces = 0)"
	assert_output --partial "hint: as root: sysctl -w user.max_user_namespaces="
	assert_output --partial "fail  proc: bwrap cannot set up its sandbox: bwrap: "
	assert_output --partial "hint: bwrap needs unprivileged user namespaces"
}

@test "doctor only warns when bwrap cannot mount a fresh /proc" {
	[ -e /proc/keys ] || skip "no /proc/keys to mask"
	# Masking part of /proc, as container runtimes do, forbids a fresh proc mount.
	run as_user unshare --user --map-root-user --mount sh -c \
		'mount --bind /dev/null /proc/keys && exec "$1" doctor' sh "$CORDON"
	assert_success
	assert_output --partial "warn  proc: bwrap cannot mount a fresh /proc here; cordon runs commands without one"
	assert_output --partial "hint: usual in a container that masks parts of /proc"
	[ "${lines[-1]}" = "doctor: 1 problem(s)" ]
}

@test "doctor --help prints its usage on stdout and exits 0" {
	run --separate-stderr "$CORDON" doctor --help
	assert_success
	assert_line --index 0 "usage: cordon doctor [--json]"
	[ -z "$stderr" ]
}

@test "doctor rejects an unknown option with one line on stderr and status 2" {
	run --separate-stderr "$CORDON" doctor --frobnicate
	assert_failure 2
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"unknown option --frobnicate"* ]]
}

@test "doctor: run by root, it says other users' workspaces are out of the sandbox's reach" {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	run "$CORDON" doctor
	assert_output --partial "caller: root: in the sandbox's user namespace root has no power over other users' files"
	run as_user "$CORDON" doctor
	refute_output --partial "caller: root"
}
