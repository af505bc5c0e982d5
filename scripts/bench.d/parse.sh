# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: parsing: in-process parse times per size, and the big profile.

# --- parsing: in-process parse times per size, and the big profile
for n in "${sizes[@]}"; do
	as_user "$harness" parse "$data/s$n.profile" "$runs" >"$data/parse-$n.json"
done
say "parse: $runs in-process parses per size"
as_user "$harness" parse "$data/big.profile" "$runs" >"$data/parse-$big.json"
b=$tmp/b
fixed=$(cmdline "$cordon" explain --json --sandbox-policy-cwd "$b" --command-cwd "$b" --permission-profile '' -- /bin/true)
fit=$("${py[@]}" fit "$data/fit.profile" "$b" "$big" "${#fixed}")
fit_bytes=$(wc -c <"$data/fit.profile")
chown "$user:" "$data/fit.profile"
hexplain() { cmdline "$harness" explain "$1" explain --json --sandbox-policy-cwd "$b" --command-cwd "$b" --permission-profile @PROFILE -- /bin/true; }
hf parse "$b" \
	-n "cordon explain (CLI), $fit entries" "$(cmdline "$cordon" explain --json --sandbox-policy-cwd "$b" --command-cwd "$b" --permission-profile "$(cat "$data/fit.profile")" -- /bin/true)" \
	-n "explain via harness, $fit entries" "$(hexplain "$data/fit.profile")"
# Seconds per run: fewer runs, no warm-up.
runs=$big_runs warmup=0 hf parse-big "$b" -n "explain via harness, $big entries" "$(hexplain "$data/big.profile")"
