# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # sourced by scripts/bench, which sets (and reads) these variables
# scripts/bench's job: which policy sizes launch at all (and the largest that does), and whether Codex's helper runs.

# --- which policy sizes launch at all (bwrap caps its arguments: 9000 in 0.8.0)
# launches N: cordon in helper mode runs /bin/true under the size-N profile.
launches() {
	local d=${base[$1]}
	(cd "$d" && as_user "$link" --sandbox-policy-cwd "$d" --command-cwd "$d" \
		--permission-profile "$(cat "$data/s$1.profile")" -- /bin/true) >/dev/null 2>"$data/launch-s$1.err"
}
declare -A launch_ok
ok_max=0 fail_min=0 largest=''
for n in "${sizes[@]}"; do
	if launches "$n"; then
		launch_ok[$n]=1
		[ "$n" -le "$ok_max" ] || ok_max=$n
	else
		say "scale $n: cordon does not launch: $(head -n 1 "$data/launch-s$n.err")"
		if [ "$fail_min" -eq 0 ] || [ "$n" -lt "$fail_min" ]; then
			fail_min=$n
		fi
	fi
done
# A size that fails: find the largest that launches below it (even sizes,
# over the same directories), and measure that one too.
if [ "$fail_min" -gt 0 ] && [ "$ok_max" -lt "$fail_min" ]; then
	lo=$ok_max hi=$fail_min
	while [ $((hi - lo)) -gt 2 ]; do
		mid=$(((lo + hi) / 2))
		mid=$((mid - mid % 2))
		[ "$mid" -gt "$lo" ] || mid=$((lo + 2))
		# shellcheck disable=SC2004 # base is associative (setup.sh): the key needs its $
		base[$mid]=${base[$fail_min]}
		"${py[@]}" profile scale "$data/s$mid.profile" "${base[$mid]}" "$mid" >"$data/s$mid.bytes"
		if launches "$mid"; then lo=$mid; else hi=$mid; fi
	done
	if [ "$lo" -gt "$ok_max" ]; then
		largest=$lo
		launch_ok[$lo]=1
		"${py[@]}" profile scale "$data/s$lo.profile" "${base[$lo]}" "$lo" >"$data/s$lo.bytes"
		say "scale: the largest size that launches is $lo entries"
		mapfile -t sizes < <(printf '%s\n' "${sizes[@]}" "$lo" | sort -n)
	fi
fi
for n in "${sizes[@]}"; do
	explain "${base[$n]}" "$data/s$n.profile" "$data/explain-s$n.json"
	"${py[@]}" bare "$data/explain-s$n.json" "$data/bare-s$n.json" "$data/bare-s$n.args" "$data/prepare-s$n.sh"
	open_fds "$data/bare-s$n.json"
done
chmod 755 "$data"/*.sh
chown -R "$user:" "$data"
# The same options through bare bwrap, where cordon failed.
bare_fail=()
for n in "${sizes[@]}"; do
	[ -z "${launch_ok[$n]:-}" ] || continue
	# shellcheck disable=SC2016 # $0 and $1 are the inner sh's
	if err=$(as_user sh -c 'exec "$0" --args 3 -- /bin/true 3<"$1"' "$("${py[@]}" get "$data/bare-s$n.json" bwrap)" \
		"$data/bare-s$n.args" 2>&1 >/dev/null); then
		bare_fail+=("bare_ok_$n=1")
	else
		bare_fail+=("bare_fail_$n=${err%%$'\n'*}")
	fi
	sh "$data/prepare-s$n.sh"
done

# Does Codex's helper run here at all?
if [ -z "$codex_skip" ]; then
	if ! err=$(cd "$ro" && as_user "$helper" --sandbox-policy-cwd "$ro" --command-cwd "$ro" \
		--permission-profile "$(cat "$data/ro.profile")" -- /bin/true 2>&1 >/dev/null); then
		codex_skip="Codex's helper failed on /bin/true: ${err%%$'\n'*}"
	fi
fi
[ -z "$codex_skip" ] || say "codex row skipped: $codex_skip"
