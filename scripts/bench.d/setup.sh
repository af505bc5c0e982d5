# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: the harness, the sandboxes, the profiles and workspaces, and the bare bwrap argv of each plan.

# --- the harness: cordon's own functions, for profiles over 128 KiB
if [ ! -x "$harness" ] || [ "$harness" -ot "$libcordon" ] || [ "$harness" -ot "$top/ref/bench/harness.c" ]; then
	say "building $harness"
	mkdir -p "${harness%/*}"
	pkgs=(libseccomp jansson libcap)
	read -r -a cflags <<<"$(pkg-config --cflags "${pkgs[@]}")"
	read -r -a libs <<<"$(pkg-config --static --libs "${pkgs[@]}")"
	srcinc=()
	for d in "$top"/ref/src/*/; do srcinc+=(-I"${d%/}"); done
	cc -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I"$top/ref/include" "${srcinc[@]}" \
		"${cflags[@]}" -static -o "$harness" "$top/ref/bench/harness.c" "$libcordon" "${libs[@]}"
fi

# --- bare bwrap followed by removing the mount points it made (the
# workspace-write row that does what cordon does around bwrap), linked like cordon
then_remove=$tmp/bin/bench-then-remove
if command -v musl-gcc >/dev/null 2>&1; then
	musl-gcc -O2 -static -o "$then_remove" "$top/ref/bench/then_remove.c"
else
	cc -O2 -static -o "$then_remove" "$top/ref/bench/then_remove.c"
fi
export BENCH_THEN_REMOVE=$then_remove

# --- the sandboxes
link=$tmp/bin/codex-linux-sandbox
ln -s "$cordon" "$link"
if [ -z "${CORDON_CACHE:-}" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		CORDON_CACHE=/var/cache/cordon
	else
		CORDON_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/cordon
	fi
fi
# Codex's helper: CODEX_BENCH_VERSION, else the default release of conformance/peers.lock.
codex_release=${CODEX_BENCH_VERSION:-$("$top/scripts/install-peers" --default codex)}
helper=${CODEX_HELPER:-$CORDON_CACHE/peers/codex/$codex_release/bin/codex-linux-sandbox}
codex_version='' codex_skip=''
if [ "${helper##*/}" != codex-linux-sandbox ]; then
	codex_skip="CODEX_HELPER must be a path named codex-linux-sandbox (arg0 dispatch): $helper"
elif [ ! -x "$helper" ]; then
	codex_skip="Codex's helper is not installed at $helper (run scripts/install-peers)"
elif [ -r "${helper%/*}/../VERSION" ]; then
	codex_version=$(cat "${helper%/*}/../VERSION")
fi

# --- profiles and workspaces
ro=$tmp/ro
ws=$tmp/ws
"${py[@]}" profile ro "$data/ro.profile"
"${py[@]}" profile ws "$data/ws.profile" "$ws"
declare -A base
for n in "${sizes[@]}"; do
	base[$n]=$tmp/s$n
	"${py[@]}" profile scale "$data/s$n.profile" "${base[$n]}" "$n" >"$data/s$n.bytes"
done
"${py[@]}" profile scale "$data/big.profile" "$tmp/b" "$big" >"$data/big.bytes"
chown -R "$user:" "$tmp"
as_user git init -q "$ws"

# cordon explain --json for a profile: DIR PROFILE OUT.  One launch first:
# the first launch with a bwrap in a place is careful and learns what this
# bwrap does here, so explain then shows the plan every later launch runs.
explain() {
	(cd "$1" && as_user "$link" --sandbox-policy-cwd "$1" --command-cwd "$1" \
		--permission-profile "$(cat "$2")" -- /bin/true) >/dev/null 2>&1 || true
	(cd "$1" && as_user "$cordon" explain --json --sandbox-policy-cwd "$1" --command-cwd "$1" \
		--permission-profile "$(cat "$2")" -- /bin/true) >"$3"
}
# Descriptors a bare argv needs (--ro-bind-data N): open them on /dev/null
# here, as cordon does; hyperfine and bwrap inherit them.
open_fds() {
	local fd
	for fd in $("${py[@]}" get "$1" fds); do
		if ! at_least 3 "$fd" || [ "$fd" -ge 200 ]; then
			die "odd descriptor $fd in $1"
		fi
		eval "exec $fd</dev/null"
	done
}

explain "$ro" "$data/ro.profile" "$data/explain-ro.json"
"${py[@]}" bare "$data/explain-ro.json" "$data/bare-ro.json" "$data/bare-ro.args" "$data/prepare-ro.sh" "$cordon"
explain "$ws" "$data/ws.profile" "$data/explain-ws.json"
"${py[@]}" bare "$data/explain-ws.json" "$data/bare-ws.json" "$data/bare-ws.args" "$data/prepare-ws.sh"
open_fds "$data/bare-ro.json"
open_fds "$data/bare-ws.json"
