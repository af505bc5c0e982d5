#!/usr/bin/env bats
# End-to-end: cordon run hides the usual credential stores of the home
# directory by default (ref/src/secrets.def), --allow-secrets lets them
# through, explain lists them, and the codex-linux-sandbox helper hides
# none, as Codex's does not.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	H=$BASE/home
	mkdir -p "$H/.ssh" "$H/.config/gh"
	echo SSH-KEY >"$H/.ssh/id_ed25519"
	echo GH-TOKEN >"$H/.config/gh/hosts.yml"
	echo NETRC-PASSWORD >"$H/.netrc"
	echo harmless >"$H/.bashrc"
	[ "$(id -u)" -ne 0 ] || chown -R "$TEST_USER:" "$H"
	cd "$WS" || return 1
}

teardown() {
	common_teardown
}

# cordon as the test user with $H as its home.
in_home() {
	as_user env HOME="$H" "$@"
}

@test "secrets: cordon run hides ~/.ssh by default" {
	run in_home "$CORDON" run --read-only -- cat "$H/.ssh/id_ed25519"
	assert_failure
	refute_output --partial "SSH-KEY"
}

@test "secrets: a hidden file (~/.netrc) cannot be read either" {
	run in_home "$CORDON" run --read-only -- cat "$H/.netrc"
	assert_failure
	refute_output --partial "NETRC-PASSWORD"
}

@test "secrets: the rest of the home directory stays readable" {
	run in_home "$CORDON" run --read-only -- cat "$H/.bashrc"
	assert_success
	assert_output "harmless"
}

@test "secrets: --allow-secrets lets them through" {
	run in_home "$CORDON" run --read-only --allow-secrets -- cat "$H/.ssh/id_ed25519" "$H/.config/gh/hosts.yml"
	assert_success
	[ "$output" = $'SSH-KEY\nGH-TOKEN' ]
}

@test "secrets: hidden with --policy and with a writable home too" {
	run in_home "$CORDON" run --policy - -- cat "$H/.ssh/id_ed25519" <<<'{"type":"read-only"}'
	assert_failure
	refute_output --partial "SSH-KEY"
	run in_home "$CORDON" run -w "$H" -- sh -c "cat '$H/.ssh/id_ed25519'; rm -rf '$H/.ssh'"
	refute_output --partial "SSH-KEY"
	[ -f "$H/.ssh/id_ed25519" ]
}

@test "secrets: a store that is not there leaves nothing behind" {
	run in_home "$CORDON" run -w "$H" -- true
	assert_success
	[ ! -e "$H/.kube" ]
	[ ! -e "$H/.gnupg" ]
}

@test "secrets: hidden under legacy Landlock too" {
	[ "$(landlock_abi)" -gt 0 ] || skip "no Landlock on this kernel"
	run in_home "$CORDON" explain --legacy-landlock -- true
	assert_output --partial "pipeline: legacy-landlock"
	run in_home "$CORDON" run --legacy-landlock -- cat "$H/.ssh/id_ed25519"
	assert_failure
	refute_output --partial "SSH-KEY"
}

@test "secrets: explain lists what is hidden and how to let it through" {
	run in_home "$CORDON" explain --read-only -- true
	assert_success
	assert_output --partial "secrets: hidden (cordon run's default; --allow-secrets lets them through): "
	assert_output --partial -- "$H/.ssh"
	assert_output --partial -- "$H/.netrc"
	assert_output --partial -- "$H/.config/gh"
	assert_output --partial "deny  $H/.ssh  [secret, skip if missing]"
	run in_home "$CORDON" explain --json --read-only -- true
	printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)["secrets"]
assert not d["allowed"] and len(d["hidden"]) == 3, d
'
	run in_home "$CORDON" explain --allow-secrets --read-only -- true
	assert_output --partial "secrets: let through (--allow-secrets)"
}

@test "secrets: the helper hides none, as Codex's does not" {
	run in_home "$HELPER" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- cat "$H/.ssh/id_ed25519"
	assert_success
	assert_output "SSH-KEY"
	run in_home "$CORDON" explain --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- true
	refute_output --partial "secret"
}

@test "secrets: --allow-secrets is not a helper flag" {
	run in_home "$CORDON" explain --allow-secrets --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- true
	assert_failure 2
}

@test "secrets: the man page lists every store of ref/src/secrets.def" {
	man=$(groff -man -Tascii -P -cbou "$CORDON_TOP/ref/cordon.1" 2>/dev/null)
	while read -r path; do
		[[ "$man" == *"~/$path"* ]] || { echo "man page lacks ~/$path"; return 1; }
	done < <(sed -n 's/^SECRET("\([^"]*\)".*/\1/p' "$CORDON_TOP/ref/src/secrets.def")
}
