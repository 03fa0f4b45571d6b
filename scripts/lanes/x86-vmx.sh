# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Lane x86-vmx: Intel VMX under Bochs 2.7 (a Haswell model with VMX, EPT,
# unrestricted guest and VPID), booting Debian's stock 6.1 amd64 kernel from
# an isolinux CD.  Bochs has no -kernel option; its serial ports go through
# ptys (scripts/bochs/run.py).  See scripts/lanes/x86-svm.sh for the
# interface.

LANE_FLAVOUR=x86_64
LANE_PKGS="bochs bochsbios vgabios isolinux syslinux-common xorriso python3"
LANE_CPU=${LANE_CPU_VMX:-corei7_haswell_4770}
LANE_APPEND="console=ttyS0 panic=-1 quiet cryptomgr.notests"
# Bochs's guest clock counts instructions (ips) and a VM entry or exit is
# one instruction: make bench's figures there are path lengths.
LANE_BENCH_NOTE="Bochs: the guest clock counts instructions (ips=100M: 10 ns each) and a VM entry or exit counts as one, so these figures compare path lengths, not the cost of the world switch; 1 CPU, no parallel figure."
# Its guest clock always counts instructions: the path-length boot is the
# ordinary one, and there is no separate wall-clock boot.
LANE_ICOUNT_ARGS=
LANE_INSN_NS=10
LANE_INSN_SMP=1
LANE_TAP_DEV=/dev/ttyS1
# Bochs 2.7 never exits for a host interrupt while a guest runs with IF=0
# (it masks INTR at such an entry); the backend's VMX preemption timer
# still gives the CPU back every millisecond, but external-interrupt exits
# with a vector cannot be shown here (the x86-svm lane shows them).
# It also reports no STI blocking in the interruptibility state of an
# EPT-violation exit taken right after STI (vcpu_x86_events_test
# sti_shadow; the SVM lanes show the shadow at the same exit).
LANE_QUIRKS="no-extint-exit no-sti-shadow-at-ept-exit"
# Its serial ports drain slowly: wait before powering off.
LANE_POWEROFF_DELAY=4
# Debian's own KVM as the peer hypervisor of the coexistence tests.
LANE_PEER_MODULES="kernel/virt/lib/irqbypass.ko kernel/arch/x86/kvm/kvm.ko
kernel/arch/x86/kvm/kvm-intel.ko"

# The Linux guest step (guest_linux) boots quietly here: in this slow lane
# each console line costs exits; uname, nproc, the interrupts and the
# tail of dmesg still show.
LANE_GUEST_APPEND="console=ttyS0 quiet"

lane_prepare() {
	fetch_kernel "$KFLAVOUR" "$KLINE"
	LANE_KERNEL=$KVMLINUZ
}

# x86_vmx_iso INITRD ISO: an isolinux CD booting LANE_KERNEL with INITRD.
x86_vmx_iso() {
	local initrd=$1 iso=$2 dir
	dir=$(dirname "$iso")/cd
	rm -rf "$dir"
	mkdir -p "$dir/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 \
		"$dir/isolinux/"
	cp "$LANE_KERNEL" "$dir/vmlinuz"
	cp "$initrd" "$dir/initrd.gz"
	cat >"$dir/isolinux/isolinux.cfg" <<EOC
default linux
prompt 0
timeout 0
label linux
  kernel /vmlinuz
  append initrd=/initrd.gz $LANE_APPEND ${APPEND:-}
EOC
	xorriso -as mkisofs -quiet -o "$iso" -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
		-boot-info-table "$dir" 2>/dev/null
}

lane_boot() {
	local mode=$1 initrd=$2 log=$3 tap=$4 dir iso rc
	dir=$(dirname "$initrd")
	iso=$dir/boot.iso
	x86_vmx_iso "$initrd" "$iso" || return 1
	if [ "$mode" = interactive ]; then
		log=/dev/stdout
		tap=/dev/null
	fi
	cat >"$dir/bochsrc" <<EOC
memory: guest=$MEM, host=$MEM
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
cpu: model=$LANE_CPU, count=1, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=1
clock: sync=none, time0=local
ata0-master: type=cdrom, path="$iso", status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
com1: enabled=1, mode=term, dev=@COM1@
com2: enabled=1, mode=term, dev=@COM2@
panic: action=fatal
error: action=report
log: $dir/bochs.log
EOC
	# An ACPI power-off is reported as a panic with status 1: the lane is
	# judged by its serial output (end marker), not by this status.
	rc=0
	timeout -k 5 "$LANE_TIMEOUT" python3 "$SCRIPTS/bochs/run.py" \
		"$dir/bochsrc" "$log" "$tap" || rc=$?
	[ "$rc" = 1 ] && rc=0
	return "$rc"
}
