# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: policy scale: launch and explain against the number of entries.

# --- 6: policy scale
# Two groups: the requested sizes, and the largest size that launches (if
# one was searched for), whose launches take seconds: BENCH_BIG_RUNS runs.
names=() cmds=() preps=() lnames=() lcmds=() lpreps=()
add() { names+=("$1") cmds+=("$2") preps+=("$3"); }
addl() { lnames+=("$1") lcmds+=("$2") lpreps+=("$3"); }
# run_group NAME DIR NAMES CMDS PREPS: hyperfine over parallel arrays.
run_group() {
	local -n gn=$3 gc=$4 gp=$5
	local i a=()
	for i in "${!gn[@]}"; do
		a+=(--prepare "${gp[i]}")
	done
	for i in "${!gn[@]}"; do
		a+=(-n "${gn[i]}" "${gc[i]}")
	done
	hf "$1" "$2" "${a[@]}"
}
add "cordon, read-only (0 entries)" \
	"$(cmdline "$link" --sandbox-policy-cwd "$ro" --command-cwd "$ro" --permission-profile "$prof" -- /bin/true)" true
add "cordon explain, read-only (0 entries)" \
	"$(cmdline "$cordon" explain --json --sandbox-policy-cwd "$ro" --command-cwd "$ro" --permission-profile "$prof" -- /bin/true)" true
add "bare bwrap (sh + --args), read-only (0 entries)" "$("${py[@]}" get "$data/bare-ro.json" args_command)" true
add "sh + exec /bin/true (wrapper cost)" "$(cmdline sh -c 'exec /bin/true')" true
scale_skip=()
for n in "${sizes[@]}"; do
	d=${base[$n]}
	p=$(cat "$data/s$n.profile")
	c=$(cmdline "$link" --sandbox-policy-cwd "$d" --command-cwd "$d" --permission-profile "$p" -- /bin/true)
	if [ "$((${#c} + 1))" -gt 131072 ]; then
		scale_skip+=("scale_skip_$n=the profile (${#p} bytes) does not fit one argument (128 KiB)")
		say "scale $n: skipped, the profile does not fit one argument"
		continue
	fi
	# Every row of a size first removes what bare bwrap left behind.
	prep="sh $data/prepare-s$n.sh"
	to=add
	[ "$n" != "$largest" ] || to=addl
	if [ -n "${launch_ok[$n]:-}" ]; then
		$to "cordon, $n entries" "$c" "$prep"
		$to "bare bwrap (sh + --args), $n entries" "$("${py[@]}" get "$data/bare-s$n.json" args_command)" "$prep"
	fi
	add "cordon explain, $n entries" \
		"$(cmdline "$cordon" explain --json --sandbox-policy-cwd "$d" --command-cwd "$d" --permission-profile "$p" -- /bin/true)" "$prep"
done
run_group scale "$tmp" names cmds preps
if [ "${#lnames[@]}" -gt 0 ]; then
	runs=$big_runs warmup=0 run_group scale-largest "$tmp" lnames lcmds lpreps
fi
for n in "${sizes[@]}"; do
	as_user sh "$data/prepare-s$n.sh"
done
