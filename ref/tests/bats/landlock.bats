#!/usr/bin/env bats
# End-to-end: the legacy Landlock pipeline (seccomp + Landlock in-process,
# no namespaces) on this host's kernel, run as the unprivileged test user.
# A kernel without Landlock cannot be made here: that refusal is unit-tested
# (t_landlock: decide_refuses_without_landlock) and left to the QEMU
# matrix's 5.10 lane for real.

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
	common_teardown
}

@test "legacy landlock: NoNewPrivs, workspace writable, outside blocked" {
	run as_user "$CORDON" run --legacy-landlock --workspace-write -- sh -c \
		"grep NoNewPrivs /proc/self/status; echo data > $WS/in.txt; touch /var/tmp/cordon-ll-$$"
	[ "$status" -ne 0 ]
	[[ "$output" == *"NoNewPrivs:"$'\t'"1"* ]]
	[[ "$output" == *"Permission denied"* ]]
	[ "$(cat "$WS/in.txt")" = "data" ]
	[ ! -e "/var/tmp/cordon-ll-$$" ]
}

@test "legacy landlock: with no .git to protect, no mount namespace and the command is not PID 1" {
	# Not --workspace-write: a writable /tmp holds cordon's registry, which is protected.
	run as_user "$CORDON" run --legacy-landlock -w "$WS" -- sh -c 'echo $$; readlink /proc/self/ns/mnt'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" != 1 ]
	[ "${lines[1]}" = "$(readlink /proc/self/ns/mnt)" ]
}

@test "legacy landlock: the network is still off" {
	# /usr/bin/python3: a python3 earlier on root's PATH may be out of the test user's reach.
	run as_user "$CORDON" run --legacy-landlock --workspace-write -- /usr/bin/python3 -c "
import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
except OSError as e:
    print('errno', e.errno)"
	[ "$status" -eq 0 ]
	[ "$output" = "errno 1" ]
}

@test "legacy landlock: explain prints the pipeline and the .git caveat" {
	run "$CORDON" explain --legacy-landlock --workspace-write -- true
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "pipeline: legacy-landlock" ]]
	[[ "$output" == *"bind-mounted read-only in a private user and mount namespace"* ]]
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
	[ "$status" -eq 0 ]
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
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ "$(cat "$WS/realgit/HEAD")" = "ref: refs/heads/main" ]
}

@test "legacy landlock: explain lists what is bound read-only and what is absent" {
	ws_mkdir "$WS/.git"
	run "$CORDON" explain --legacy-landlock -w "$WS" -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *"bound read-only before Landlock: $WS/.git"* ]]
	[[ "$output" == *"not protected under legacy Landlock (absent, so the command could create it): $WS/.codex"* ]]
}

@test "legacy landlock: with a .git to protect and no user namespaces, the command is refused" {
	ws_mkdir "$WS/.git"
	# Our own user namespace whose limit is 0: cordon cannot make the one it needs.
	run as_user unshare --user --map-root-user sh -c \
		'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1" run --legacy-landlock -w "$2" -- touch "$2/ran"' \
		sh "$CORDON" "$WS"
	[ "$status" -eq 1 ]
	[[ "$output" == *"legacy Landlock cannot keep $WS/.git read-only"*"refusing to run the command"* ]]
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$WS/ran" ]
}

@test "legacy landlock: a deny entry stays on bubblewrap and says why" {
	run "$CORDON" explain --legacy-landlock --workspace-write --deny "$WS/secret" -- true
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "pipeline: bubblewrap" ]]
	[[ "$output" == *"legacy Landlock was requested, but the policy denies a path"* ]]
}

@test "legacy landlock: a deny entry is enforced by bubblewrap, not dropped" {
	ws_write "$WS/secret" "s3cret"
	run as_user "$CORDON" run --legacy-landlock --workspace-write --deny "$WS/secret" -- cat "$WS/secret"
	[ "$status" -ne 0 ]
	[[ "$output" != *s3cret* ]]
}

@test "legacy landlock: the helper's --use-legacy-landlock confines in-process" {
	run as_user "$HELPER" --sandbox-policy-cwd "$WS" --use-legacy-landlock \
		--permission-profile "$(ws_profile "$WS")" -- sh -c "touch $WS/ran && touch /var/tmp/cordon-ll-$$"
	[ "$status" -ne 0 ]
	[ -e "$WS/ran" ]
	[ ! -e "/var/tmp/cordon-ll-$$" ]
}

@test "legacy landlock: CORDON_CONFIG features table selects it" {
	printf '# mine\nmodel = "x"\n[features]\nuse_legacy_landlock = true  # old\n' > "$BASE/c.toml"
	CORDON_CONFIG=$BASE/c.toml run "$CORDON" explain --workspace-write -- true
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "pipeline: legacy-landlock" ]]
}

@test "legacy landlock: XDG config with a dotted key selects it; -c false beats it" {
	mkdir -p "$XDG_CONFIG_HOME/cordon"
	echo 'features.use_legacy_landlock = true' > "$XDG_CONFIG_HOME/cordon/config.toml"
	run "$CORDON" explain --workspace-write -- true
	[[ "${lines[0]}" == "pipeline: legacy-landlock" ]]
	run "$CORDON" explain -c use_legacy_landlock=false --workspace-write -- true
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "pipeline: bubblewrap" ]]
}

@test "legacy landlock: a malformed config line exits 2 naming file and line" {
	printf '[features]\nuse_legacy_landlock = yes\n' > "$BASE/c.toml"
	CORDON_CONFIG=$BASE/c.toml run "$CORDON" run --workspace-write -- touch "$WS/ran"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$BASE/c.toml:2"* ]]
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$WS/ran" ]
}

@test "legacy landlock: -c use_legacy_landlock=true selects it and confines" {
	run "$CORDON" explain -c use_legacy_landlock=true --workspace-write -- true
	[[ "${lines[0]}" == "pipeline: legacy-landlock" ]]
	run as_user "$CORDON" run -c use_legacy_landlock=true --workspace-write -- touch "/var/tmp/cordon-ll-$$"
	[ "$status" -ne 0 ]
	[ ! -e "/var/tmp/cordon-ll-$$" ]
}

@test "legacy landlock: a bad -c key exits 2 with one line" {
	run "$CORDON" run -c use_legacy_landlok=true --workspace-write -- touch "$WS/ran"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"use_legacy_landlok"* ]]
	[ ! -e "$WS/ran" ]
}
