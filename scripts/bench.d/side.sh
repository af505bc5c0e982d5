# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: the side-by-side groups: read-only and workspace-write, where cordon's time goes, stdio.

# --- 1-5: read-only and workspace-write, four rows each, side by side
for mode in ro ws; do
	d=$tmp/$mode
	prof=$(cat "$data/$mode.profile")
	rows=(
		cordon "$(cmdline "$link" --sandbox-policy-cwd "$d" --command-cwd "$d" --permission-profile "$prof" -- /bin/true)"
		"bare bwrap" "$("${py[@]}" get "$data/bare-$mode.json" command)"
	)
	then_cmd=$("${py[@]}" get "$data/bare-$mode.json" then_remove_command)
	if [ -n "$then_cmd" ]; then
		rows+=("bare bwrap, then its mount points removed" "$then_cmd")
	fi
	if [ -z "$codex_skip" ]; then
		rows+=(codex "$(cmdline "$helper" --sandbox-policy-cwd "$d" --command-cwd "$d" --permission-profile "$prof" -- /bin/true)")
	fi
	rows+=(/bin/true /bin/true)
	args=()
	for ((i = 0; i < ${#rows[@]}; i += 2)); do
		args+=(-n "${rows[i]}" "${rows[i + 1]}")
	done
	# Remove the mount points bare bwrap (or Codex) left behind, before every
	# run of every row: cordon's plan depends on what exists.  A plan with
	# none gets no prepare step: the step itself (a shell) slows the run
	# after it, and not every row alike.
	before=()
	if [ "$("${py[@]}" get "$data/bare-$mode.json" mount_targets)" != 0 ]; then
		before=(--prepare "sh $data/prepare-$mode.sh")
	fi
	hf_rounds "$mode" "$d" "${before[@]}" "${args[@]}"
	commands_json "$data/$mode.commands.json" "${rows[@]}"
done

# --- where cordon's time goes (read-only)
prof=$(cat "$data/ro.profile")
bwrap=$("${py[@]}" get "$data/bare-ro.json" bwrap)
ro_cmd=$(cmdline "$link" --sandbox-policy-cwd "$ro" --command-cwd "$ro" --permission-profile "$prof" -- /bin/true)
inner_cmd=$("${py[@]}" get "$data/bare-ro.json" inner_command)
inner_row=()
if [ -n "$inner_cmd" ]; then
	inner_row=(-n "bare bwrap + cordon inner stage" "$inner_cmd")
fi
hf_rounds breakdown "$ro" \
	-n "cordon" "$ro_cmd" \
	-n "env CORDON_CAREFUL=0 cordon (the usual launch, behind env)" "env CORDON_CAREFUL=0 $ro_cmd" \
	-n "env CORDON_CAREFUL=1 cordon (a first launch's careful way, behind env)" "env CORDON_CAREFUL=1 $ro_cmd" \
	-n "cordon explain (plan + bwrap probe, runs nothing)" "$(cmdline "$cordon" explain --json --sandbox-policy-cwd "$ro" --command-cwd "$ro" --permission-profile "$prof" -- /bin/true)" \
	-n "bwrap --help (cordon's feature probe)" "$(cmdline "$bwrap" --help)" \
	-n "cordon version (start of the static binary)" "$(cmdline "$cordon" version)" \
	"${inner_row[@]}" \
	-n "bare bwrap" "$("${py[@]}" get "$data/bare-ro.json" command)"

# --- what cordon's stdio relay costs (read-only, /bin/true): every row runs
# through the harness (one fork, drain and wait alike), only the stdio it
# gives differs; each next to /bin/true with the same stdio.
stdio_in=$data/stdin.bin
stdio_out=$data/stdout.log
head -c 65536 /dev/urandom >"$stdio_in"
: >"$stdio_out"
chown "$user:" "$stdio_in" "$stdio_out"
stdio_rows=()
for mode in pipe file out pty; do
	f=$stdio_in
	[ "$mode" != out ] || f=$stdio_out
	stdio_rows+=(-n "cordon, stdio $mode" "$(cmdline "$harness" stdio "$mode" "$f" "$link" \
		--sandbox-policy-cwd "$ro" --command-cwd "$ro" --permission-profile "$prof" -- /bin/true)")
	stdio_rows+=(-n "/bin/true, stdio $mode" "$(cmdline "$harness" stdio "$mode" "$f" /bin/true)")
done
hf_rounds stdio "$ro" "${stdio_rows[@]}"
