#!/usr/bin/env bats
# End-to-end: cordon's own command line (run, explain, help, version) and the example multitool.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	cp "$CORDON_TOP/${CORDON_BUILD:-build}/bin/cordon-multitool" "$BASE/bin/multitool"
	ln -s multitool "$BASE/bin/mt-link"
	mkdir -p "$BASE/mt"
	ln -s ../bin/multitool "$BASE/mt/codex-linux-sandbox"
	chown -R "$TEST_USER:" "$BASE/bin" "$BASE/mt" 2>/dev/null || true
	cd "$WS" || return 1
}

teardown() {
	common_teardown
}

@test "cli: no arguments prints usage and exits 2" {
	run "$CORDON"
	assert_failure 2
	assert_output --partial "usage: cordon"
}

@test "cli: help lists every subcommand" {
	run "$CORDON" help
	assert_success
	for sub in run explain doctor bwrap version; do
		assert_output --partial -- "$sub"
	done
}

@test "cli: an unknown subcommand exits 2 with one line" {
	run "$CORDON" frobnicate
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "frobnicate"
}

@test "cli: version prints cordon's version" {
	run "$CORDON" version
	assert_success
	[[ "$output" =~ ^cordon\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "cli: --version and -V print what version prints" {
	run "$CORDON" version
	local want=$output
	run "$CORDON" --version
	assert_success
	assert_output -- "$want"
	run "$CORDON" -V
	assert_success
	assert_output -- "$want"
}

@test "cli: version --json gives the version as JSON" {
	run "$CORDON" version --json
	assert_success
	printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["name"] == "cordon" and d["version"].count(".") == 2
'
}

@test "cli: run -w without a value names the option" {
	run "$CORDON" run -w
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "option -w needs a value"
	refute_output --partial "(null)"
}

@test "cli: a long option without a value names the option" {
	run "$CORDON" run --deny
	assert_failure 2
	assert_output --partial "option --deny needs a value"
}

@test "cli: an unknown option points at run --help" {
	run "$CORDON" run --frobnicate -- true
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "unknown option --frobnicate (try 'cordon run --help')"
}

@test "cli: an unknown explain option points at explain --help" {
	run "$CORDON" explain -x -- true
	assert_failure 2
	assert_output --partial "unknown option -x (try 'cordon explain --help')"
}

@test "cli: --read-only and --workspace-write together are refused" {
	run "$CORDON" run --read-only --workspace-write -- true
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "exclude each other"
}

@test "cli: a --proxy that is no endpoint is a bad command line" {
	run as_user "$CORDON" run --proxy nonsense -- true
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"--proxy:"*nonsense* ]]
}

@test "cli: run --help describes the flags" {
	run "$CORDON" run --help
	assert_success
	for flag in --read-only --workspace-write --writable --read --deny --network --no-proc --cwd \
	    --proxy --policy --timeout --clearenv --setenv --unsetenv --allow-secrets \
	    --legacy-landlock "-c use_legacy_landlock"; do
		assert_output --partial -- "$flag"
	done
}

@test "cli: explain --help describes explain" {
	run "$CORDON" explain --help
	assert_success
	assert_output --partial "usage: cordon explain"
}

@test "cli: run with no command exits 2" {
	run "$CORDON" run --read-only
	assert_failure 2
	assert_output --partial "no command"
}

@test "cli: --network takes only on or off" {
	run "$CORDON" run --network maybe -- true
	assert_failure 2
	[[ "$output" == *'"maybe"'* ]]
}

@test "cli: run -w with a relative directory makes it writable" {
	ws_mkdir "$WS/out"
	run as_user "$CORDON" run -w out -- touch "$WS/out/f"
	assert_success
	[ -e "$WS/out/f" ]
}

@test "cli: run -w with a missing directory is refused, naming it" {
	run as_user "$CORDON" run -w out -- true
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial -- "-w out: no such directory"
	[ ! -e "$WS/out" ]
}

@test "cli: the README's -w out example runs once out exists" {
	ws_mkdir "$WS/out"
	run as_user "$CORDON" run -w out --deny .env -- sh -c 'echo built > out/result'
	assert_success
	[ "$(cat "$WS/out/result")" = built ]
}

@test "cli: run --deny with a glob hides the files it matches" {
	ws_write "$WS/x.env" SECRET
	ws_write "$WS/notes.txt" fine
	run as_user "$CORDON" run --deny '*.env' -- sh -c 'cat x.env; cat notes.txt'
	refute_output --partial "SECRET"
	assert_output --partial "fine"
}

@test "cli: run --deny with a glob creates nothing named after it" {
	ws_write "$WS/x.env" SECRET
	run as_user "$CORDON" run --deny '*.env' -- true
	assert_success
	[ ! -e "$WS/*.env" ]
}

@test "cli: run --deny '**/' reaches into subdirectories" {
	ws_mkdir "$WS/sub/deeper"
	ws_write "$WS/sub/deeper/y.env" SECRET
	run as_user "$CORDON" run --deny '**/*.env' -- cat sub/deeper/y.env
	assert_failure
	refute_output --partial "SECRET"
}

@test "explain: a --deny glob shows each match as a glob rule" {
	ws_write "$WS/x.env" SECRET
	run as_user "$CORDON" explain --deny '*.env' -- true
	assert_success
	assert_output --partial "deny  $WS/x.env  [glob]"
}

# A thousand --deny flags for the files f1..f1000 of the workspace.
many_denies() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	as_user sh -c 'for i in $(seq 1000); do : > "f$i"; done'
	DENIES=()
	for i in $(seq 1000); do DENIES+=(--deny "f$i"); done
}

@test "cli: a thousand --deny entries run under a soft limit of 1024 open files" {
	many_denies
	run as_user sh -c 'ulimit -Sn 1024 && exec "$@"' sh "$CORDON" run "${DENIES[@]}" -- sh -c 'cat f1 || echo hidden'
	assert_success
	assert_output --partial "hidden"
	refute_output --partial "No file descriptors"
}

@test "cli: a policy beyond the hard limit on open files is refused naming the limit" {
	many_denies
	run as_user sh -c 'ulimit -n 256 && exec "$@"' sh "$CORDON" run "${DENIES[@]}" -- touch ran
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "the hard limit here is 256"
	[ ! -e "$WS/ran" ]
}

@test "cli: run --cwd runs the command there" {
	ws_mkdir "$WS/sub"
	run as_user "$CORDON" run --cwd "$WS/sub" -- pwd
	assert_success
	assert_output -- "$WS/sub"
}

@test "cli: a missing --cwd is refused" {
	run as_user "$CORDON" run --cwd "$WS/nope" -- true
	assert_failure 1
	assert_output --partial "does not exist"
}

@test "cli: a working directory the policy hides is refused before bwrap starts" {
	ws_mkdir "$WS/secret"
	run as_user "$CORDON" run --deny "$WS/secret" --cwd "$WS/secret" -- true
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "the working directory $WS/secret is hidden in the sandbox (rule: deny $WS/secret [path])"
	refute_output --partial "bwrap"
}

@test "cli: a --cwd that is a file is refused as no directory" {
	ws_write "$WS/f" x
	run as_user "$CORDON" run --cwd "$WS/f" -- true
	assert_failure 1
	assert_output --partial -- "$WS/f is not a directory"
}

@test "cli: a command only on denied paths exits 127 naming the rule" {
	local t
	t=$(readlink -f "$(type -P true)")
	run -127 as_user "$CORDON" run --deny "$t" -- true
	assert_failure 127
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial "cannot execute true: $t is hidden in the sandbox (rule: deny $t [path])"
	refute_output --partial "bwrap"
}

@test "cli: root in a workspace only its owner can write is told to run as the owner" {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	run "$CORDON" run --workspace-write -- true
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"running as root, the sandbox cannot write to $WS: $WS is $TEST_USER's"*"sudo -u $TEST_USER"* ]]
}

@test "explain: warns of what run would refuse before launching" {
	ws_mkdir "$WS/secret"
	run as_user "$CORDON" explain --deny "$WS/secret" --cwd "$WS/secret" -- true
	assert_success
	assert_output --partial "warning: cordon run would refuse to start this: the working directory $WS/secret is hidden"
	run as_user "$CORDON" explain --json --deny "$WS/secret" --cwd "$WS/secret" -- true
	printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["warnings"]) == 1 and "is hidden" in d["warnings"][0], d["warnings"]
'
}

@test "cli: run --setenv sets a variable for the command, value as one word" {
	# shellcheck disable=SC2016 # expanded by the inner shell
	run as_user "$CORDON" run --setenv GREETING "hello there" -- sh -c 'echo "$GREETING"'
	assert_success
	assert_output "hello there"
}

@test "cli: run --unsetenv removes a variable the caller has" {
	# shellcheck disable=SC2016 # expanded by the inner shell
	run as_user env KEEP=1 DROP=2 "$CORDON" run --unsetenv DROP -- sh -c 'echo "${KEEP-unset} ${DROP-unset}"'
	assert_success
	assert_output "1 unset"
}

@test "cli: run --clearenv leaves only what --setenv sets after it, and PWD" {
	run as_user env SECRET=x "$CORDON" run --clearenv --setenv ONLY 1 -- /usr/bin/env
	assert_success
	[ "$(printf '%s\n' "$output" | sort | tr '\n' ' ')" = "ONLY=1 PWD=$WS " ]
}

@test "cli: --setenv without a value is refused" {
	run "$CORDON" run --setenv NAME
	assert_failure 2
	assert_output --partial -- "--setenv needs a NAME and a VALUE"
}

@test "cli: --setenv with a name that has '=' is refused" {
	run "$CORDON" run --setenv A=B c -- true
	assert_failure 2
	[[ "$output" == *'"A=B" is no environment variable name'* ]]
}

@test "explain: lists the environment edits in order" {
	run as_user "$CORDON" explain --clearenv --setenv A b --unsetenv C -- true
	assert_success
	assert_output --partial $'environment: cleared\nenvironment: set A=b\nenvironment: unset C\n'
}

# A permission profile too large for one argument (the kernel takes 128 KiB):
# the root readable, the workspace writable, and /usr read 4000 times over.
big_profile() {
	python3 - "$WS" <<'PY'
import json, sys
e = [{"path": {"type": "special", "value": {"kind": "root"}}, "access": "read"},
     {"path": {"type": "path", "path": sys.argv[1]}, "access": "write"}]
e += [{"path": {"type": "path", "path": "/usr"}, "access": "read"}] * 4000
print(json.dumps({"type": "managed", "file_system": {"type": "restricted", "entries": e},
                  "network": "restricted"}))
PY
}

@test "cli: run --policy FILE takes a profile too large for the command line" {
	big_profile >"$BASE/big.json"
	[ "$(stat -c %s "$BASE/big.json")" -gt 131072 ]
	run as_user "$CORDON" run --policy "$BASE/big.json" -- sh -c 'touch ok && echo wrote'
	assert_success
	assert_output "wrote"
	[ -e "$WS/ok" ]
}

@test "cli: run --policy - reads the policy from standard input" {
	# shellcheck disable=SC2016 # expanded by the inner shell
	run as_user sh -c 'printf %s "$1" | "$2" run --policy - -- sh -c "touch ro 2>/dev/null || echo refused"' sh '{"type":"read-only"}' "$CORDON"
	assert_success
	assert_output "refused"
	[ ! -e "$WS/ro" ]
}

@test "cli: run --policy with a bad policy names the field" {
	printf '%s' '{"type":"managed","file_system":{"type":"restricted","entries":[{"path":{"type":"path","path":"rel"},"access":"read"}]}}' >"$BASE/bad.json"
	run as_user "$CORDON" run --policy "$BASE/bad.json" -- true
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *'file_system.entries[0].path'*'"rel" is not absolute'* ]]
}

@test "cli: run --policy cannot be mixed with the policy flags" {
	printf '%s' '{"type":"read-only"}' >"$BASE/p.json"
	run as_user "$CORDON" run --policy "$BASE/p.json" --deny x -- true
	assert_failure 2
	assert_output --partial "cannot be mixed"
}

@test "explain: --policy shows the plan of the file's policy" {
	printf '%s' '{"type":"read-only"}' >"$BASE/p.json"
	run as_user "$CORDON" explain --policy "$BASE/p.json" -- true
	assert_success
	assert_output --partial -- $'--ro-bind\n/\n/\n'
}

@test "explain: prints the argv of the /repo worked example" {
	ws_mkdir "$WS/a/b"
	run as_user "$CORDON" explain -w "$WS" --deny "$WS/a" -w "$WS/a/b" -- true
	assert_success
	assert_output --partial $'argv:\nbwrap\n'
	[[ "$output" == *$'--bind\n'"$WS"$'\n'"$WS"$'\n'* ]]
	[[ "$output" == *$'--perms\n111\n--tmpfs\n'"$WS/a"$'\n'* ]]
	[[ "$output" == *$'--bind\n'"$WS/a/b"$'\n'"$WS/a/b"$'\n'* ]]
	[[ "$output" == *$'--remount-ro\n'"$WS/a"$'\n'* ]]
}

@test "explain: names the bwrap it found, its version and features" {
	run as_user "$CORDON" explain --read-only -- true
	assert_success
	assert_output --partial "bwrap: /usr/bin/bwrap (bubblewrap "
	[[ "$output" == *"bwrap features:"*"+as-pid-1"* ]]
	assert_output --partial "pipeline: bubblewrap"
	assert_output --partial "seccomp: restricted"
}

@test "explain: never runs the command" {
	run as_user "$CORDON" explain --workspace-write -- touch "$WS/ran"
	assert_success
	[ ! -e "$WS/ran" ]
	[ ! -e "$WS/.codex" ]
}

@test "explain: --json is valid JSON with the argv and the seccomp rules" {
	run as_user "$CORDON" explain --json --workspace-write -- true
	assert_success
	printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["pipeline"] == "bubblewrap"
assert d["argv"][0] == "bwrap" and "--unshare-net" in d["argv"]
assert d["seccomp"]["mode"] == "restricted" and d["seccomp"]["rules"]
assert any(r["origin"] == "protected" for r in d["rules"])
'
}

@test "explain: takes the helper's flags too" {
	run as_user "$CORDON" explain --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- true
	assert_success
	assert_output --partial -- $'--ro-bind\n/\n/\n'
}

@test "explain: --bwrap-version 0.4.1 plans without --perms" {
	run as_user "$CORDON" explain --bwrap-version 0.4.1 --workspace-write -- true
	assert_success
	refute_output --partial $'\n--perms\n'
	refute_output --partial $'\n--disable-userns\n'
	[[ "$output" == *$'\n--tmpfs\n'"$WS/.codex"$'\n'* ]]
}

@test "explain: --bwrap-version 0.8.0 plans with --perms" {
	run as_user "$CORDON" explain --bwrap-version 0.8.0 --workspace-write -- true
	assert_success
	[[ "$output" == *$'\n--perms\n555\n--tmpfs\n'"$WS/.codex"$'\n'* ]]
}

@test "explain: a plan run would refuse is printed up to the refusal, with why" {
	mkdir -p "$BASE/realgit"
	chown "$TEST_USER:" "$BASE/realgit"
	as_user ln -s ../realgit "$WS/.git"
	run --separate-stderr as_user "$CORDON" explain --workspace-write -- true
	assert_failure 1
	[[ "$output" == *$'\nrefused: cannot enforce protected path '"$WS"'/.git: it goes through symlink'* ]]
	assert_output --partial "write $WS  [project_roots]"
	assert_output --partial "argv: none"
	[[ "$stderr" == *"cannot enforce protected path"* ]]
}

@test "explain: --json prints a refused plan as JSON with the reason" {
	mkdir -p "$BASE/realgit"
	chown "$TEST_USER:" "$BASE/realgit"
	as_user ln -s ../realgit "$WS/.git"
	run --separate-stderr as_user "$CORDON" explain --json --workspace-write -- true
	assert_failure 1
	printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert "goes through symlink" in d["refused"], d
assert d["argv"] is None and d["pipeline"] == "bubblewrap"
assert any(r["origin"] == "project_roots" for r in d["rules"])
'
}

@test "explain: --bwrap-version takes the releases the matrix names" {
	for v in 0.12 0.13 0.13.1; do
		run as_user "$CORDON" explain --bwrap-version "$v" --workspace-write -- true
		assert_success
		assert_output --partial "bubblewrap $v (assumed)"
		assert_output --partial $'\n--disable-userns\n'
	done
}

@test "explain: --argv-line prints one line a shell runs as the same sandbox" {
	run --separate-stderr as_user "$CORDON" explain --argv-line --read-only -- sh -c "touch x 2>/dev/null || echo \"it's read-only\""
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	assert_output --partial " --ro-bind / / "
	local line=$output
	run as_user sh -c "$line"
	assert_success
	assert_output "it's read-only"
	[ ! -e "$WS/x" ]
}

@test "explain: --argv-line refuses a plan that runs no bwrap" {
	run as_user "$CORDON" explain --argv-line --allow-secrets -w / --network on -- true
	assert_failure 1
	assert_output --partial "runs no bwrap (pipeline: direct)"
}

@test "explain: an unknown --bwrap-version exits 2" {
	run as_user "$CORDON" explain --bwrap-version 9.9 --read-only -- true
	assert_failure 2
}

@test "explain: a full-disk, network-on policy explains the direct pipeline" {
	run as_user "$CORDON" explain --sandbox-policy-cwd "$WS" --sandbox-policy '{"type":"danger-full-access"}' -- true
	assert_success
	assert_output --partial "pipeline: direct"
	refute_output --partial "argv:"
}

@test "explain: mixing policy JSON and people's flags is rejected" {
	run as_user "$CORDON" explain --permission-profile "$ro_profile" --workspace-write -- true
	assert_failure 2
	assert_output --partial "cannot be mixed"
}

@test "man page: every option run and explain --help name is described there" {
	man=$(groff -man -Tascii -P -cbou "$CORDON_TOP/ref/cordon.1" 2>/dev/null)
	for sub in run explain; do
		for opt in $("$CORDON" "$sub" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			[[ "$man" == *"$opt"* ]] || { echo "man page lacks $opt ($sub)"; return 1; }
		done
	done
}

@test "man page: ref/cordon.1 renders without warnings" {
	run groff -man -Tutf8 -ww -z "$CORDON_TOP/ref/cordon.1"
	assert_success
	[ -z "$output" ]
}

@test "multitool: runs its own command under its own name" {
	run "$BASE/bin/multitool" hello
	assert_success
	assert_output --partial "hello from a multitool"
}

@test "multitool: called as codex-linux-sandbox it is the sandbox helper" {
	run as_user "$BASE/mt/codex-linux-sandbox" --sandbox-policy-cwd "$WS" --permission-profile "$ro_profile" -- touch "$WS/x"
	assert_failure
	assert_output --partial "Read-only file system"
	run as_user "$BASE/mt/codex-linux-sandbox" --sandbox-policy-cwd "$WS" --permission-profile "$(ws_profile "$WS")" -- sh -c 'touch x && grep ^Seccomp: /proc/self/status'
	assert_success
	assert_output --partial $'Seccomp:\t2'
	[ -e "$WS/x" ]
}

@test "multitool: under another name it does not act as the helper" {
	run "$BASE/bin/mt-link" --sandbox-policy-cwd "$WS" -- true
	assert_failure 2
	assert_output --partial "usage"
}
