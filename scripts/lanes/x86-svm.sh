# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Lane x86-svm: AMD SVM under QEMU TCG (-cpu EPYC), booting Debian's stock
# 6.1 amd64 kernel through the PVH entry of its decompressed vmlinux.
#
# A lane file sets LANE_* data and defines two functions:
#   lane_prepare          fetch what the lane boots (after kernel_abi) from
#                         the flavour's kernel line ($KLINE, flavour_vars);
#                         sets LANE_KERNEL
#   lane_boot MODE INITRD CONSOLE_LOG TAP_LOG
#                         boot once under `timeout $LANE_TIMEOUT`; MODE is
#                         "check" (console and TAP to the two log files) or
#                         "interactive" (console on the terminal, TAP_LOG
#                         unused); returns the emulator's status.

LANE_FLAVOUR=x86_64                 # build flavour (scripts/lib.sh)
LANE_PKGS="qemu-system-x86 xz-utils zstd"
LANE_CPU=${LANE_CPU:-EPYC}          # e.g. LANE_CPU=qemu64,+svm,+npt
LANE_APPEND="console=ttyS0 panic=-1 quiet"
LANE_TAP_DEV=/dev/ttyS1
# make bench's path-length boot: QEMU's guest clock counts instructions
# (1 ns each, idle time skipped).  Under icount the x86 kernel hangs while
# bringing up a second CPU, so that boot has one CPU.
LANE_ICOUNT_ARGS="-icount shift=0,sleep=off"
LANE_INSN_NS=1
LANE_INSN_SMP=1
# What this emulated CPU is known to get wrong (selftests say what they
# skip): entering a guest with EFER.LME=1 and CR0.PG=0 hangs QEMU 7.2's
# emulated CPU, under Debian's KVM as under this module.  QEMU 7.2's VMRUN
# stores the guest's DR7 without arming its breakpoints (it arms them only
# on a MOV to DR7), so a guest's data and execution breakpoints never fire.
# Its TCG never raises #AC (CR0.AM and RFLAGS.AC are not checked).
# sti-shadow-lost-at-reentry: after an NPF exit in STI's shadow (the
# VMCB's int_state shows it), QEMU 7.2 takes the virtual interrupt at the
# re-entry before the shadowed instruction; with STI before VMRUN (no
# longer done: svm_vmenter.S) its leaked host shadow hid this.
LANE_QUIRKS="svm-lme-without-pg-hangs svm-vmrun-dr7-unarmed no-alignment-check sti-shadow-lost-at-reentry"
# Debian's own KVM, loaded in this order before the selftests: the peer
# hypervisor of the coexistence tests (paths under lib/modules/<release>/).
LANE_PEER_MODULES="kernel/virt/lib/irqbypass.ko kernel/arch/x86/kvm/kvm.ko
kernel/drivers/crypto/ccp/ccp.ko kernel/arch/x86/kvm/kvm-amd.ko"

lane_prepare() {
	fetch_kernel "$KFLAVOUR" "$KLINE"
	LANE_KERNEL=$KIMG_DIR/vmlinux
	extract_vmlinux "$KVMLINUZ" "$LANE_KERNEL"
}

lane_boot() {
	x86_qemu_boot "$1" "$2" "$3" "$4" "$MEM"
}
