#!/usr/bin/env bats
# Peer releases: scripts/install-peers refuses bad names before touching the
# cache and knows the default releases; the codex and srt adapters run the
# release the runner names (CONF_SUT_VERSION), else the default one, from a
# cache laid out one directory per version.  Nothing is downloaded: the
# cache here is fake.

load helpers

setup() {
	BASE=$(mktemp -d /tmp/cordon-peers.XXXXXX)
	export CORDON_CACHE=$BASE/cache
	LOCK=$CORDON_TOP/conformance/peers.lock
}

teardown() {
	[ -n "${BASE:-}" ] && rm -rf "$BASE"
}

# A fake Codex helper for VERSION: prints its version and its arguments.
fake_codex() {
	local d=$CORDON_CACHE/peers/codex/$1
	mkdir -p "$d/bin"
	printf '#!/bin/sh\necho "helper %s: $*"\n' "$1" >"$d/bin/codex"
	chmod +x "$d/bin/codex"
	ln -s codex "$d/bin/codex-linux-sandbox"
	echo "$1" >"$d/VERSION"
}

@test "install-peers: bad peers and versions are refused with one line and exit 2, the cache untouched" {
	local a
	for a in foo codex@1.2 codex@latest srt@ "codex@0.1.0;rm" --frobnicate; do
		run "$CORDON_TOP/scripts/install-peers" "$a"
		echo "$a: $status $output"
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 1 ]
	done
	run "$CORDON_TOP/scripts/install-peers" --default
	[ "$status" -eq 2 ]
	[ ! -e "$CORDON_CACHE" ]
}

@test "install-peers: --default names the lock's default releases, one per peer" {
	local p want
	for p in codex srt node; do
		want=$(awk -v n="$p" '!/^#/ && $1 == n && $5 == "default" { print $2 }' "$LOCK")
		[ "$(wc -w <<<"$want")" -eq 1 ]
		run "$CORDON_TOP/scripts/install-peers" --default "$p"
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ]
	done
	[ ! -e "$CORDON_CACHE" ]
}

@test "peers.lock: every line is a peer, a version, its npm spec and a sha512 integrity" {
	run awk '!/^#/ && NF {
		if (NF < 4 || NF > 5 || $4 !~ /^sha512-[A-Za-z0-9+\/]+=*$/ || $2 !~ /^[0-9]+\.[0-9]+\.[0-9]+$/ \
		    || (NF == 5 && $5 != "default")) { print "bad: " $0; bad = 1 }
		if ($1 == "codex" && $3 != "@openai/codex@" $2 "-linux-x64") { print "bad spec: " $0; bad = 1 }
	} END { exit bad }' "$LOCK"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "codex adapter: runs the release CONF_SUT_VERSION names, else the default, and says which" {
	local def
	def=$("$CORDON_TOP/scripts/install-peers" --default codex)
	fake_codex 0.169.0
	fake_codex "$def"
	run env CONF_SUT_VERSION=0.169.0 "$CORDON_TOP/conformance/adapters/codex" version
	[ "$output" = "codex-linux-sandbox 0.169.0" ]
	run "$CORDON_TOP/conformance/adapters/codex" version
	[ "$output" = "codex-linux-sandbox $def" ]
	run env CONF_SUT_VERSION=0.169.0 "$CORDON_TOP/conformance/adapters/codex" run --profile '{}' --cwd "$BASE" -- /bin/true
	[ "$status" -eq 0 ]
	[[ $output == "helper 0.169.0: --sandbox-policy-cwd $BASE "* ]]
	# A release that is not installed: skipped, naming it.
	run env CONF_SUT_VERSION=0.100.0 "$CORDON_TOP/conformance/adapters/codex" run --profile '{}' --cwd "$BASE" -- /bin/true
	[ "$status" -eq 77 ]
	grep -q 'SKIP: .*0.100.0 not installed' <<<"$output"
}

@test "srt adapter: finds the release's launcher and the node it runs on" {
	local d=$CORDON_CACHE/peers/srt/0.0.78
	mkdir -p "$d/bin"
	printf '#!/bin/sh\necho srt "$@"\n' >"$d/bin/srt"
	chmod +x "$d/bin/srt"
	echo 0.0.78 >"$d/VERSION"
	echo /bin/true >"$d/NODE"
	run env CONF_SUT_VERSION=0.0.78 "$CORDON_TOP/conformance/adapters/srt" version
	[[ $output == "srt 0.0.78, node "* ]]
	run env CONF_SUT_VERSION=0.0.99 "$CORDON_TOP/conformance/adapters/srt" version
	[ "$output" = "srt 0.0.99 (not installed)" ]
}
