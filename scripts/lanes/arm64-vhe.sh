# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Lane arm64-vhe: the arm64 EL2 backend under QEMU TCG
# (-M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on), the
# stock Debian 6.1 arm64 kernel running at EL2 in VHE mode.  See
# scripts/lanes/x86-svm.sh for the lane interface.
#
# The kernel boots with kvm-arm.mode=none: Debian's built-in KVM then
# never initialises, and the module is EL2's only user (with KVM active the
# module still loads, but flushes its VMID around every guest run, since
# KVM hands out VMIDs from its own space).
#
# After the main boot, a second short boot on -cpu cortex-a72 (no VHE: the
# kernel runs at EL1) checks that the module refuses to load and says why;
# its TAP lines join the lane's results.  QEMU's virt machine has a single
# UART, so the TAP stream shares the console.

LANE_FLAVOUR=arm64
LANE_PKGS="qemu-system-arm"
LANE_CPU=${LANE_CPU:-max,pauth-impdef=on}
LANE_APPEND="console=ttyAMA0 panic=-1 quiet kvm-arm.mode=none"
# make bench measures Debian's KVM in the same boot: KVM must initialise.
LANE_BENCH_APPEND="console=ttyAMA0 panic=-1 quiet"
LANE_TAP_DEV=
# make bench's path-length boot (see x86-svm.sh); -smp 2 works here too,
# but the figures are single-vCPU ones: one CPU keeps the other's timer
# ticks out of the count.
LANE_ICOUNT_ARGS="-icount shift=0,sleep=off"
LANE_INSN_NS=1
LANE_INSN_SMP=1
# Debian's arm64 KVM is built in: no peer modules to load.
LANE_PEER_MODULES=
LANE_EL1_CPU=cortex-a72

lane_prepare() {
	fetch_arm64	# busybox
	fetch_kernel arm64 "$KLINE"
	LANE_KERNEL=$KVMLINUZ
}

# arm64_qemu CPU INITRD APPEND SERIAL...: one boot under timeout.
arm64_qemu() {
	local cpu=$1 initrd=$2 append=$3
	shift 3
	# shellcheck disable=SC2086  # QEMU_EXTRA: options split on blanks
	timeout -k 5 "$LANE_TIMEOUT" qemu-system-aarch64 \
		-M virt,virtualization=on,gic-version=3 -accel tcg \
		-cpu "$cpu" -m "$MEM" -smp "$SMP" \
		-nodefaults -display none -no-reboot ${QEMU_EXTRA:-} "$@" \
		-kernel "$LANE_KERNEL" -initrd "$initrd" -append "$append"
}

# The EL1 boot: the same initramfs with /init and its settings replaced
# (a second cpio member overrides the first one's files).
arm64_el1_initrd() {
	local initrd=$1 out=$2 root
	root=$(dirname "$out")/el1-root
	rm -rf "$root"
	mkdir -p "$root/etc"
	initramfs_init "$root" refuse MODULE="$MODULE" KEEP=0 TAP_DEV=
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tail"
	cat "$initrd" "$out.tail" >"$out"
	rm -f "$out.tail"
}

lane_boot() {
	local mode=$1 initrd=$2 log=$3 tap=$4 errlog=${3%.log}.qemu.log fg=() rc=0
	local el1log=${3%.log}.el1.log el1initrd
	if [ "$mode" = interactive ]; then
		fg=(--foreground)
		timeout "${fg[@]}" -k 5 "$LANE_TIMEOUT" qemu-system-aarch64 \
			-M virt,virtualization=on,gic-version=3 -accel tcg \
			-cpu "$LANE_CPU" -m "$MEM" -smp "$SMP" \
			-nodefaults -display none -no-reboot -serial mon:stdio \
			-kernel "$LANE_KERNEL" -initrd "$initrd" \
			-append "$LANE_APPEND ${APPEND:-}" 2>"$errlog"
		return
	fi
	arm64_qemu "$LANE_CPU" "$initrd" "$LANE_APPEND ${APPEND:-}" \
		-serial "file:$log" 2>"$errlog" || rc=$?
	[ "${LANE_ONE_BOOT:-0}" = 1 ] && return "$rc"

	# The refusal check on a CPU without VHE, appended to the console.
	el1initrd=$(dirname "$initrd")/initrd-el1.gz
	arm64_el1_initrd "$initrd" "$el1initrd"
	: >"$el1log"
	arm64_qemu "$LANE_EL1_CPU" "$el1initrd" "console=ttyAMA0 panic=-1 quiet" \
		-serial "file:$el1log" 2>>"$errlog" || true
	grep -q 'vcpu-harness: END' "$el1log" ||
		echo "not ok - $LANE_EL1_CPU boot: no end marker" >>"$el1log"
	cat "$el1log" >>"$log"
	return "$rc"
}
