# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: instruction counts of cordon's own process (callgrind).

# --- instruction counts of cordon's own process (no --trace-children)
callgrind_skip=''
mkdir -p "$out"
rm -rf "$out/callgrind" "$out/hyperfine"
if command -v valgrind >/dev/null 2>&1; then
	mkdir -p "$out/callgrind"
	: >"$data/callgrind.tsv"
	# cg NAME ENTRIES DIR COMMAND...
	cg() {
		local name=$1 entries=$2 dir=$3 main
		shift 3
		say "callgrind: $name"
		(cd "$dir" && as_user valgrind -q --tool=callgrind --callgrind-out-file="$tmp/cg/$name.%p" "$@" >/dev/null)
		# One file per process valgrind ran; cordon's own is the one with the
		# most instructions (a forked child that only execs has next to none).
		main=$(awk '/^summary:/ { print $2, FILENAME }' "$tmp/cg/$name".* | sort -n | tail -n 1 | cut -d' ' -f2-)
		[ -n "$main" ] || die "callgrind wrote no profile for $name"
		cp "$main" "$out/callgrind/$name.out"
		printf '%s\t%s\t%s\n' "$name" "$entries" "$out/callgrind/$name.out" >>"$data/callgrind.tsv"
	}
	cg read-only 0 "$ro" "$cordon" explain --json --sandbox-policy-cwd "$ro" --command-cwd "$ro" --permission-profile "$prof" -- /bin/true
	for n in "${sizes[@]}"; do
		cg "scale-$n" "$n" "${base[$n]}" "$cordon" explain --json --sandbox-policy-cwd "${base[$n]}" \
			--command-cwd "${base[$n]}" --permission-profile "$(cat "$data/s$n.profile")" -- /bin/true
	done
else
	callgrind_skip="valgrind not installed (scripts/bootstrap installs it)"
	say "callgrind skipped: $callgrind_skip"
fi
