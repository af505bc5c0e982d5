#!/usr/bin/env bats
# Fault injection for the matrix harness: a stand-in for qemu-system-x86_64
# misbehaves on purpose (killed mid-lane, a kernel panic at boot, a lane that
# never finishes, a corrupted stream) next to a lane that works.  The
# harness is what is tested here: each fault must become an ERROR cell with
# its console log kept, and the good lane must be unaffected.

load helpers

setup() {
	common_setup
	export CORDON_CACHE=$BASE/cache
	export CORDON_INITRD=$BASE/initramfs.cpio
	export CORDON_LANES_FILE=$BASE/lanes
	export CORDON_BWRAPS_FILE=$BASE/bwraps
	export MATRIX_ACCEL=tcg
	: >"$CORDON_INITRD"
	printf '0.8.0 bookworm x\n' >"$CORDON_BWRAPS_FILE"
	: >"$CORDON_LANES_FILE"
	mkdir -p "$CORDON_CACHE/matrix/lanes" "$CORDON_CACHE/matrix/kernels"
	for l in good killed panic hang corrupt; do
		echo "$l" >"$CORDON_CACHE/matrix/kernels/$l"
		printf 'lane=%s\nkernel=%s\nargs=\n' "$l" "$CORDON_CACHE/matrix/kernels/$l" >"$CORDON_CACHE/matrix/lanes/$l"
		printf '%s bookworm x\n' "$l" >>"$CORDON_LANES_FILE"
	done
	mkdir -p "$BASE/fakebin"
	# The fake reads which fault to play from the "kernel" file it is given.
	cat >"$BASE/fakebin/qemu-system-x86_64" <<'SH'
#!/bin/bash
console='' results='' kernel=''
while [ $# -gt 0 ]; do
	case $1 in
	-serial) if [ -z "$console" ]; then console=${2#file:}; else results=${2#file:}; fi; shift 2 ;;
	-kernel) kernel=$2; shift 2 ;;
	*) shift ;;
	esac
done
mode=$(cat "$kernel")
echo "booting $mode" >"$console"
cell() {
	local r='R {"id":"fs-x","category":"filesystem","title":"t","outcome":"pass","evidence":"PROBE write errno:EROFS","duration":0.1,"refs":""}'
	local sum
	sum=$(printf '%s\n' "$r" | sha256sum | cut -d' ' -f1)
	[ "$1" = corrupt ] && r=${r/EROFS/EROFX}
	printf 'CELL-BEGIN bwrap=0.8.0 sut=cordon bwrap_version=bubblewrap 0.8.0\n%s\nCELL-END bwrap=0.8.0 sut=cordon count=1 sha256=%s\n' "$r" "$sum"
}
case $mode in
good | corrupt)
	{ echo "CORDON-MATRIX BEGIN v1 kernel=6.1.0-fake landlock=2 x32=0"; cell "$mode"; echo "CORDON-MATRIX END"; } >"$results" ;;
killed)
	echo "CORDON-MATRIX BEGIN v1 kernel=6.1.0-fake landlock=2 x32=0" >"$results"
	kill -9 $$ ;;
panic)
	echo "Kernel panic - not syncing: VFS: Unable to mount root fs" >>"$console"
	exit 1 ;;
hang)
	exec sleep 600 ;;
esac
SH
	chmod 755 "$BASE/fakebin/qemu-system-x86_64"
	export PATH=$BASE/fakebin:$PATH
	OUT=$BASE/out
}

teardown() {
	common_teardown
}

cell_status() {
	python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(" ".join(c["lane"]+":"+c["status"] for c in m["cells"]))' "$OUT/matrix.json"
}

@test "faults: each faulty lane is an ERROR cell, the good lane is unaffected" {
	run "$CORDON_TOP/scripts/matrix" --no-fetch --suts cordon --timeout 5 --out "$OUT"
	assert_failure 1
	run cell_status
	assert_output "corrupt:error good:ok hang:error killed:error panic:error"
}

@test "faults: every lane keeps its console log, the panic included" {
	"$CORDON_TOP/scripts/matrix" --no-fetch --suts cordon --timeout 5 --out "$OUT" || true
	for l in good killed panic hang corrupt; do
		[ -s "$OUT/lanes/$l/console.log" ]
	done
	grep -q 'Kernel panic' "$OUT/lanes/panic/console.log"
}

@test "faults: the reasons say what happened" {
	"$CORDON_TOP/scripts/matrix" --no-fetch --suts cordon --timeout 5 --out "$OUT" || true
	run python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); [print(l["lane"], l["error"]) for l in m["lanes"]]' "$OUT/matrix.json"
	assert_output --partial "hang timed out after 5 s"
	assert_output --partial "killed the result stream has no end marker"
	grep -q 'checksum mismatch' "$OUT/matrix.md"
}

@test "faults: RERUN=failed runs only the failed lanes and merges them into the report" {
	"$CORDON_TOP/scripts/matrix" --no-fetch --suts cordon --timeout 5 --out "$OUT" || true
	# The hang is fixed now: the re-run must pick it up and leave the good lane alone.
	echo good >"$CORDON_CACHE/matrix/kernels/hang"
	touch -d '2000-01-01' "$OUT/lanes/good/lane.json"
	run env RERUN=failed "$CORDON_TOP/scripts/matrix" --no-fetch --suts cordon --timeout 5 --out "$OUT"
	assert_failure 1
	assert_output --partial "re-running 4 lane(s)"
	assert [ "$(stat -c %Y "$OUT/lanes/good/lane.json")" -lt 1000000000 ]
	run cell_status
	assert_output "corrupt:error good:ok hang:ok killed:error panic:error"
}

@test "faults: no space left for the reports keeps what was written and fails clearly" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a tiny tmpfs"
	mkdir -p "$OUT"
	mount -t tmpfs -o size=64k tmpfs "$OUT" || skip "cannot mount a tmpfs here"
	"$CORDON_TOP/scripts/matrix" --no-fetch --suts cordon --lanes good --timeout 5 --out "$OUT"
	cp "$OUT/matrix.json" "$BASE/before.json"
	# Fill the disk, then run again: the old report must survive intact.
	dd if=/dev/zero of="$OUT/filler" bs=1k count=200 2>/dev/null || true
	run "$CORDON_TOP/scripts/matrix" --no-fetch --suts cordon --lanes good --timeout 5 --out "$OUT" --rerun-failed
	assert_success
	assert_output --partial "re-running 0 lane(s)"
	run "$CORDON_TOP/scripts/report" matrix "$OUT"
	assert_failure
	cmp "$OUT/matrix.json" "$BASE/before.json"
	umount "$OUT"
}

@test "flaky: a case that changes outcome between two identical runs is reported" {
	printf '{"schema":"cordon.host-results/1","sut":"cordon","cases":[{"id":"a","outcome":"pass"},{"id":"b","outcome":"pass"}]}' >"$BASE/1.json"
	printf '{"schema":"cordon.host-results/1","sut":"cordon","cases":[{"id":"a","outcome":"pass"},{"id":"b","outcome":"fail"}]}' >"$BASE/2.json"
	run "$CORDON_TOP/scripts/report" flaky "$BASE/1.json" "$BASE/2.json"
	assert_failure 1
	assert_output --partial "FLAKY  cordon b: pass then fail"
	run "$CORDON_TOP/scripts/report" flaky "$BASE/1.json" "$BASE/1.json"
	assert_success
}
