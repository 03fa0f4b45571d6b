#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, run the host unit tests, build the
# module (W=1, sparse), the selftests and vcpuctl statically, then boot every
# emulated lane once with an initramfs that loads the module, runs every
# selftest and unloads the module.  The last line of output is
# "N passed, N failed"; the exit status is non-zero on any failure.
#
# Knobs (environment): LANES, V, KEEP, TESTS, TEST_ENV, FUZZ_SECONDS,
# LANE_TIMEOUT, TEST_TIMEOUT,
# SMP, MEM, APPEND, NO_SPARSE, NO_UNIT, ALLOW_WARNINGS, SKIP_APT, BUILD, JOBS
# (see scripts/README.md).

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LANES=${LANES:-$(all_lanes | tr '\n' ' ')}
LANES=${LANES//,/ }
LANE_TIMEOUT=${LANE_TIMEOUT:-900}
# Per selftest binary: the kselftest settings file's timeout by default.
TEST_TIMEOUT=${TEST_TIMEOUT:-$(sed -n 's/^timeout=//p' "$TREE/selftests/settings" 2>/dev/null)}
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
SMP=${SMP:-2}
MEM=${MEM:-512}
KEEP=${KEEP:-0}
if [ "${CI:-}" = true ]; then KEEP=0; fi
mkdir -p "$LOGDIR"

UNIT_P=0 UNIT_F=0
BUILD_FAILED=()      # "flavour: what" of every failed build step
declare -A LANE_LINE LANE_P LANE_F

# ---- 1-2. packages, kernel ABI, headers, kernel images --------------------
# shellcheck disable=SC2086
prepare_host $LANES
flavours=$FLAVOURS

# ---- 3. kselftest harness and style tools ----------------------------------
step "linux-source extract"
fetch_ksrc
step_done

# ---- 4. unit tests and builds ----------------------------------------------
if [ "${NO_UNIT:-0}" != 1 ]; then
	step "unit tests"
	snapshot_tree "$BUILD/src/host"
	if [ ! -f "$BUILD/src/host/tests/unit/Makefile" ]; then
		say "    tests/unit/Makefile does not exist (yet)"
		UNIT_F=1
	else
		rc=0
		make -s -C "$BUILD/src/host" unit >"$LOGDIR/unit.log" 2>&1 || rc=$?
		# "unit: N passed, N failed" (module logic) and "vcpuctl: ..." (the
		# CLI against a fake device), summed.
		line=$(grep -E '^(unit|vcpuctl): [0-9]+ passed, [0-9]+ failed' "$LOGDIR/unit.log" || true)
		if [ -n "$line" ]; then
			read -r UNIT_P UNIT_F < <(sed -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$line" |
				awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }')
		fi
		if [ "$rc" -ne 0 ] && [ "$UNIT_F" = 0 ]; then
			UNIT_F=1    # the build or the runner failed without counting it
		fi
		if [ "$rc" -ne 0 ] || [ "$UNIT_F" != 0 ] || [ -z "$line" ]; then
			grep -E 'FAIL|not ok|error|Error' "$LOGDIR/unit.log" | head -n 30 | sed 's/^/    | /' || true
			tail -n 15 "$LOGDIR/unit.log" | sed 's/^/    | /'
			[ -z "$line" ] && { say "    'make unit' printed no 'unit: N passed, N failed' line"; UNIT_F=$((UNIT_F > 0 ? UNIT_F : 1)); }
		fi
	fi
	note "unit: $UNIT_P passed, $UNIT_F failed (log: $LOGDIR/unit.log)"
	step_done
fi

# The selftests dropped into a kernel tree's kselftest framework, built,
# installed and run there (host side: every binary skips, no /dev/vcpu).
if [ "${NO_UNIT:-0}" != 1 ]; then
	step "kselftest drop-in"
	# The unit step's snapshot of the tree.
	if kselftest_dropin "$BUILD/src/host"; then
		UNIT_P=$((UNIT_P + 1))
	else
		UNIT_F=$((UNIT_F + 1))
	fi
	step_done
fi

# Kernel style of the kernel-side sources (checkpatch, from linux-source).
step "checkpatch"
if make -s -C "$TREE" checkpatch CHECKPATCH="$BUILD/linux-source/scripts/checkpatch.pl" \
	>"$LOGDIR/checkpatch.log" 2>&1; then
	note "checkpatch: clean"
else
	sed 's/^/    | /' "$LOGDIR/checkpatch.log" | tail -n 30
	BUILD_FAILED+=("checkpatch")
fi
rm -f "$TREE"/.checkpatch-camelcase.*
step_done

declare -A HAVE_KO USERLAND_OF
for fl in $flavours; do
	flavour_vars "$fl"
	src=$BUILD/src/$fl
	out=$BUILD/out/$fl
	kdir=$FLAVOUR_KDIR
	step "snapshot ($fl)"
	snapshot_tree "$src"
	rm -rf "$out"
	mkdir -p "$out"
	step_done

	step "module ($fl, W=1)"
	if build_module "$src" "$out" "$kdir"; then :; else BUILD_FAILED+=("$fl: module"); fi
	[ -f "$out/$MODULE.ko" ] && HAVE_KO[$fl]=1
	if [ -n "${HAVE_KO[$fl]:-}" ] &&
		! "$SCRIPTS/check_symbols.sh" --nm "${CROSS}nm" "$out/$MODULE.ko" "$kdir/Module.symvers" \
			>"$LOGDIR/symbols-$fl.log" 2>&1; then
		sed 's/^/    | /' "$LOGDIR/symbols-$fl.log"
		BUILD_FAILED+=("$fl: symbols")
	fi
	# No name of the module may also be its kernel's or KVM's.
	kimg=$(kernel_image_dir "$KFLAVOUR" "$KLINE")
	if [ -n "${HAVE_KO[$fl]:-}" ] && [ -f "$kimg/.done" ]; then
		if "$SCRIPTS/names_check.sh" "$out/$MODULE.ko" "$kimg" \
			>"$LOGDIR/names-$fl.log" 2>&1; then
			note "$(tail -n 1 "$LOGDIR/names-$fl.log")"
		else
			sed 's/^/    | /' "$LOGDIR/names-$fl.log"
			BUILD_FAILED+=("$fl: names shared with the kernel or KVM")
		fi
	fi
	step_done

	if [ "${NO_SPARSE:-0}" != 1 ] && [ -n "${HAVE_KO[$fl]:-}" ]; then
		step "sparse ($fl, C=2)"
		build_sparse "$src" "$kdir" || BUILD_FAILED+=("$fl: sparse")
		step_done
	fi

	# The static userland does not depend on the kernel line: built once
	# per architecture, copied for the other lines' flavours.
	if [ -n "${USERLAND_OF[$KARCH]:-}" ]; then
		cp -r "${USERLAND_OF[$KARCH]}/selftests" "${USERLAND_OF[$KARCH]}/vcpuctl" "$out/"
		note "selftests, vcpuctl: those of ${USERLAND_OF[$KARCH]##*/}"
		continue
	fi
	userland=ok
	step "selftests ($fl, static)"
	build_selftests "$src" "$out" || { BUILD_FAILED+=("$fl: selftests"); userland=; }
	step_done

	step "vcpuctl ($fl, static)"
	build_vcpuctl "$src" "$out" || { BUILD_FAILED+=("$fl: vcpuctl"); userland=; }
	step_done
	if [ -n "$userland" ]; then USERLAND_OF[$KARCH]=$out; fi
done

# ---- 5-7. one boot per lane ------------------------------------------------
# lane_result LANE P F S: record and print the lane's counts.
lane_result() {
	LANE_P[$1]=$2 LANE_F[$1]=$3
	LANE_LINE[$1]="$1: $2 passed, $3 failed"
	if [ "$4" -gt 0 ]; then LANE_LINE[$1]+=", $4 skipped"; fi
}

for lane in $LANES; do
	load_lane "$lane"
	out=$BUILD/out/$LANE_FLAVOUR
	dir=$BUILD/lanes/$lane
	log=$LOGDIR/$lane.log
	tap=$LOGDIR/$lane.tap
	if [ -z "${HAVE_KO[$LANE_FLAVOUR]:-}" ]; then
		say "==> $lane: not booted, no $MODULE.ko was built"
		lane_result "$lane" 0 1 0
		continue
	fi

	step "initramfs ($lane)"
	root=$dir/root
	initramfs_root "$root"
	cp "$out/$MODULE.ko" "$root/"
	if [ -d "$out/selftests" ]; then
		for f in "$out"/selftests/*; do
			[ -f "$f" ] && [ -x "$f" ] && is_elf "$f" && cp "$f" "$root/selftests/"
		done
	fi
	[ -x "$out/vcpuctl/vcpuctl" ] && cp "$out/vcpuctl/vcpuctl" "$root/bin/"
	[ -d "$out/vcpuctl/examples" ] && cp -r "$out/vcpuctl/examples/." "$root/examples/"
	initramfs_peers "$root"
	# The Linux guest (issue 17): the lane's kernel, a busybox initramfs.
	if [ "${GUEST_LINUX:-1}" = 1 ] && mkdir -p "$root/guest" &&
	   guest_kernel "$root/guest/vmlinuz"; then
		guest_initramfs "$root/guest/initrd.gz"
	fi
	# EXTRA_ROOT=DIR: more files for the lane's root (debugging aid).
	if [ -n "${EXTRA_ROOT:-}" ] && [ -d "$EXTRA_ROOT" ]; then cp -r "$EXTRA_ROOT/." "$root/"; fi
	mode=check
	if [ "$KEEP" = 1 ] && [ -t 0 ]; then mode=interactive; fi
	initramfs_init "$root" check MODULE="$MODULE" MODULE_PARAMS="${MODULE_PARAMS:-}" DEVNODE="${DEVNODE-/dev/$MODULE}" \
		PEER_MODULES="$PEERS" PEER_ARGS="$PEER_ARGS" POWEROFF_DELAY="${LANE_POWEROFF_DELAY:-1}" \
		VCPU_LANE_QUIRKS="${LANE_QUIRKS:-}" TESTS="${TESTS:-}" TEST_TIMEOUT="$TEST_TIMEOUT" KEEP="$KEEP" \
		TEST_ENV="${TEST_ENV:-}" FUZZ_SECONDS="${FUZZ_SECONDS:-0}" BOOTS="${BOOTS:-100}" \
		GUEST_APPEND="${GUEST_APPEND:-${LANE_GUEST_APPEND:-}}" \
		TAP_DEV="$([ "$mode" = check ] && echo "$LANE_TAP_DEV")"
	initramfs_pack "$root" "$dir/initrd.gz"
	note "$(du -h "$dir/initrd.gz" | cut -f1) initramfs, $(ls "$root/selftests" | wc -l) selftests"
	step_done

	step "boot ($lane)"
	boot_lane "$mode" "$dir/initrd.gz" "$log" "$tap"
	# A lane without a second port carries the TAP stream on its console.
	if [ -z "$LANE_TAP_DEV" ]; then cp "$log" "$tap"; fi
	note "emulator status $BOOT_RC, /init reached after ${BOOT_INIT_S:-never}s (host wall clock)"
	step_done

	tap_recover_tail "$tap" "$log"
	# One standard TAP stream (what prove reads) from what the lane
	# printed; the raw output stays next to it.
	mv "$tap" "${tap%.tap}.raw"
	tap_merge "${tap%.tap}.raw" "$tap"
	read -r p f s < <(tap_count "$tap")
	if ! tap_errors=$(tap_valid "$tap"); then
		f=$((f + 1))
		say "  FAILED: $tap is not valid TAP: $(head -n 3 <<<"$tap_errors" | tr '\n' ' ')"
	fi
	problems=$(console_problems "$log")
	finished=0
	grep -q 'vcpu-harness: END' "$tap" && finished=1
	[ "$finished" = 1 ] || f=$((f + 1))
	[ -z "$problems" ] || f=$((f + 1))
	lane_result "$lane" "$p" "$f" "$s"
	say "${LANE_LINE[$lane]}"
	if [ "$f" -gt 0 ]; then
		if [ "$finished" = 0 ]; then
			if [ "$BOOT_RC" = 124 ] || [ "$BOOT_RC" = 137 ]; then
				say "  FAILED: no end marker: killed after LANE_TIMEOUT=${LANE_TIMEOUT}s"
			else
				say "  FAILED: no end marker: the guest died (emulator status $BOOT_RC)"
			fi
		fi
		if [ -n "$problems" ]; then
			say "  FAILED: the kernel console shows:"
			printf '%s\n' "$problems" | head -n 20 | sed 's/^/    | /'
		fi
		grep -E '^(# )?not ok( |$)' "$tap" | sed 's/^/  /' || true
		say "  --- tail of the test output ($tap)"
		tr -d '\r' <"$tap" | tail -n 30 | sed 's/^/    | /'
		if [ -s "${log%.log}.qemu.log" ]; then
			grep -v "TCG doesn't support requested feature" "${log%.log}.qemu.log" | sed 's/^/  qemu: /' || true
		fi
		if [ -n "$problems" ]; then
			first=$(head -n 1 <<<"$problems" | cut -d: -f1)
			say "  --- kernel console around line $first ($log)"
			tr -d '\r' <"$log" | sed -n "$((first > 5 ? first - 5 : 1)),$((first + 45))p" | sed 's/^/    | /'
		fi
		say "  --- tail of the kernel console ($log)"
		tr -d '\r' <"$log" | tail -n 30 | sed 's/^/    | /'
	fi
	if [ "$s" -gt 0 ]; then
		grep -iE '^(# )?ok .*#[[:space:]]*skip' "$tap" | tr -d '\r' | sed 's/^/  /' || true
	fi
done

# ---- summary ------------------------------------------------------------------
say ""
print_timings
say ""
total_p=$UNIT_P
total_f=$((UNIT_F + ${#BUILD_FAILED[@]}))
[ "${NO_UNIT:-0}" = 1 ] || say "unit: $UNIT_P passed, $UNIT_F failed"
if [ ${#BUILD_FAILED[@]} -gt 0 ]; then
	say "build: ${#BUILD_FAILED[@]} failed ($(IFS=,; echo "${BUILD_FAILED[*]}" | sed 's/,/, /g'))"
fi
for lane in $LANES; do
	say "${LANE_LINE[$lane]}"
	total_p=$((total_p + LANE_P[$lane]))
	total_f=$((total_f + LANE_F[$lane]))
done
say "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
