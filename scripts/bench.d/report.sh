# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: meta.txt, the hyperfine files, and bench.py report.

# --- the report
{
	echo "runs=$runs"
	echo "warmup=$warmup"
	echo "rounds=$rounds"
	echo "round_warmup=$round_warmup"
	echo "side_runs=$side_runs"
	echo "scale_sizes=${sizes[*]}"
	echo "parse_entries=$big"
	echo "user=$user"
	echo "loadavg_start=$loadavg_start"
	echo "bwrap_path=$bwrap"
	echo "bwrap_version=$("$bwrap" --version)"
	echo "cordon_version=$("$cordon" version)"
	echo "codex_version=$codex_version"
	echo "codex_skip=$codex_skip"
	echo "hyperfine_version=$(hyperfine --version)"
	echo "valgrind_version=$(valgrind --version 2>/dev/null || :)"
	echo "callgrind_skip=$callgrind_skip"
	echo "big_runs=$big_runs"
	echo "fit_entries=$fit"
	echo "largest_launch=$largest"
	for n in "${sizes[@]}"; do
		[ -n "${launch_ok[$n]:-}" ] || echo "launch_fail_$n=$(head -n 1 "$data/launch-s$n.err")"
	done
	for s in "${bare_fail[@]}"; do
		echo "$s"
	done
	echo "fit_bytes=$fit_bytes"
	echo "note=${BENCH_NOTE:-}"
	for n in "${sizes[@]}"; do
		echo "profile_bytes_$n=$(cat "$data/s$n.bytes")"
	done
	for s in "${scale_skip[@]}"; do
		echo "$s"
	done
} >"$data/meta.txt"
mkdir -p "$out/hyperfine"
for f in ro ws breakdown stdio scale scale-largest parse parse-big; do
	[ ! -f "$data/$f.json" ] || cp "$data/$f.json" "$out/hyperfine/$f.json"
done
"${py[@]}" report "$data" "$out"
say "wrote $out/bench.json, $out/bench.md and $out/scale.png"
