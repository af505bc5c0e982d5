#!/usr/bin/env bats
# End-to-end: make install puts cordon and its man page under PREFIX (and
# DESTDIR), and with CODEX_LINK=1 the link that makes it Codex's helper.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	# Set up first: teardown runs after a skip too.
	common_setup
	[ "${CORDON_BUILD:-build}" = build ] || skip "installs the release build, not ${CORDON_BUILD}"
}

teardown() {
	common_teardown
}

@test "install: PREFIX gets bin/cordon and share/man/man1/cordon.1" {
	run make -s -C "$CORDON_TOP" install PREFIX="$BASE/usr"
	assert_success
	[ -x "$BASE/usr/bin/cordon" ]
	[ "$(stat -c %a "$BASE/usr/bin/cordon")" = 755 ]
	[ "$(stat -c %a "$BASE/usr/share/man/man1/cordon.1")" = 644 ]
	[ ! -e "$BASE/usr/bin/codex-linux-sandbox" ]
	run "$BASE/usr/bin/cordon" --version
	assert_success
	[[ "$output" == "cordon "* ]]
}

@test "install: the installed man page is the one man finds" {
	make -s -C "$CORDON_TOP" install PREFIX="$BASE/usr"
	cmp "$BASE/usr/share/man/man1/cordon.1" "$CORDON_TOP/ref/cordon.1"
	command -v man >/dev/null || skip "no man here"
	run env MANPATH="$BASE/usr/share/man" man -w cordon
	assert_success
	assert_output -- "$BASE/usr/share/man/man1/cordon.1"
}

@test "install: DESTDIR is put in front of PREFIX" {
	run make -s -C "$CORDON_TOP" install DESTDIR="$BASE/stage" PREFIX=/opt/cordon
	assert_success
	[ -x "$BASE/stage/opt/cordon/bin/cordon" ]
	[ -f "$BASE/stage/opt/cordon/share/man/man1/cordon.1" ]
}

@test "install: CODEX_LINK=1 adds codex-linux-sandbox, which is the helper" {
	run make -s -C "$CORDON_TOP" install PREFIX="$BASE/usr" CODEX_LINK=1
	assert_success
	[ "$(readlink "$BASE/usr/bin/codex-linux-sandbox")" = cordon ]
	run "$BASE/usr/bin/codex-linux-sandbox" --help
	assert_success
	[[ "$output" == "usage: codex-linux-sandbox"* ]]
}

@test "install: uninstall removes what install put there" {
	make -s -C "$CORDON_TOP" install PREFIX="$BASE/usr" CODEX_LINK=1
	run make -s -C "$CORDON_TOP" uninstall PREFIX="$BASE/usr"
	assert_success
	[ ! -e "$BASE/usr/bin/cordon" ]
	[ ! -L "$BASE/usr/bin/codex-linux-sandbox" ]
	[ ! -e "$BASE/usr/share/man/man1/cordon.1" ]
}
