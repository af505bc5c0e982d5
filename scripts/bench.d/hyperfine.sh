# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: how a group of rows is timed: hf, hf_rounds, commands_json.

# hyperfine NAME DIR ARGS...: one group, run in DIR as the test user.
hf() {
	local name=$1 dir=$2
	shift 2
	say "$name: hyperfine, $runs runs after $warmup warm-up runs"
	(cd "$dir" && as_user hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
		--export-json "$tmp/hf/$name.json" "$@")
	cp "$tmp/hf/$name.json" "$data/$name.json"
}
# hf_rounds NAME DIR [--prepare CMD] -n NAME CMD...: the same group in
# BENCH_ROUNDS hyperfine invocations, every other one in reverse row order,
# with the runs spread over them (at least $runs in all per row).  A slow
# spell of the machine then falls on every row alike, not on whichever row
# hyperfine happened to be timing; the times are merged into NAME.json.
# Standard output is a pipe, as an agent's is (hyperfine's default is
# /dev/null); standard input and error stay /dev/null.
hf_rounds() {
	local name=$1 dir=$2 before=() rows=() i r per parts=()
	shift 2
	if [ "$1" = --prepare ]; then
		before=(--prepare "$2")
		shift 2
	fi
	rows=("$@")
	per=$(((side_runs + rounds - 1) / rounds))
	[ "$per" -ge 2 ] || per=2
	say "$name: hyperfine, $rounds rounds of $per runs per row, each after $round_warmup warm-up run(s)"
	for ((r = 0; r < rounds; r++)); do
		local order=()
		if ((r % 2 == 0)); then
			order=("${rows[@]}")
		else
			for ((i = ${#rows[@]} - 3; i >= 0; i -= 3)); do
				order+=("${rows[i]}" "${rows[i + 1]}" "${rows[i + 2]}")
			done
		fi
		(cd "$dir" && as_user hyperfine -N --style none --output=pipe --warmup "$round_warmup" --runs "$per" \
			"${before[@]}" --export-json "$tmp/hf/$name.$r.json" "${order[@]}") >/dev/null
		parts+=("$tmp/hf/$name.$r.json")
	done
	"${py[@]}" merge "$data/$name.json" "${parts[@]}"
}
# commands-file NAME: the rows of a group, for the report.
commands_json() {
	python3 -c 'import json, sys; a = sys.argv[2:]; json.dump(dict(zip(a[0::2], a[1::2])), open(sys.argv[1], "w"), indent=1)' "$@"
}
