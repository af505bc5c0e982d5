#!/usr/bin/env bats
# scripts/matrix's choice of accelerator: cheap checks first, one bounded
# KVM test boot, and its verdict remembered until the host boots again.

load helpers

setup() {
	common_setup
	export CORDON_CACHE=$BASE/cache
}

teardown() {
	common_teardown
}

# accel PYTHON: run PYTHON with scripts/matrix loaded as m.
accel() {
	python3 - "$CORDON_TOP/scripts/matrix" "$1" <<'PY'
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("matrix", sys.argv[1])
spec = importlib.util.spec_from_loader("matrix", loader)
m = importlib.util.module_from_spec(spec)
loader.exec_module(m)
exec(sys.argv[2])
PY
}

@test "accelerator: a verdict remembered since this boot is used without a test boot" {
	mkdir -p "$CORDON_CACHE/matrix"
	printf '{"boot_id": "%s", "accel": "tcg", "reason": "a KVM test boot hung"}' \
		"$(cat /proc/sys/kernel/random/boot_id)" >"$CORDON_CACHE/matrix/accel.json"
	run accel 'print(m.remembered_accel())'
	assert_output "('tcg', 'a KVM test boot hung (remembered since this boot)')"
}

@test "accelerator: a verdict from an earlier boot is not used" {
	mkdir -p "$CORDON_CACHE/matrix"
	echo '{"boot_id": "another-boot", "accel": "kvm", "reason": "x"}' >"$CORDON_CACHE/matrix/accel.json"
	run accel 'print(m.remembered_accel())'
	assert_output "None"
	echo 'not json' >"$CORDON_CACHE/matrix/accel.json"
	run accel 'print(m.remembered_accel())'
	assert_output "None"
}

@test "accelerator: remembering a verdict writes it for this boot" {
	run accel 'm.remember_accel("tcg", "why"); print(m.remembered_accel())'
	assert_output "('tcg', 'why (remembered since this boot)')"
}

@test "accelerator: MATRIX_ACCEL decides without looking at /dev/kvm" {
	MATRIX_ACCEL=tcg run accel 'print(m.choose_accel(None, None, None))'
	assert_output "('tcg', 'chosen by MATRIX_ACCEL')"
}

@test "accelerator: the KVM test boot is bounded well below a minute" {
	run accel 'print(m.KVM_PROBE_SECONDS)'
	[ "$output" -le 30 ]
}
