// SPDX-License-Identifier: GPL-2.0
/*
 * VMIDs tag stage-2 (and the guest's stage-1) translations in the TLB.
 * Each physical CPU hands them out in generations, one per vCPU that runs
 * there: when it runs out, a new generation starts, every VMID of the CPU
 * is flushed once, and each vCPU takes a fresh VMID at its next entry.
 *
 * Per-CPU allocation is sound because VTTBR_EL2.CnP stays 0: translations
 * are then private to the PE that made them, so a VMID only needs to be
 * unique per CPU, and TLB maintenance can stay local (non-broadcast).  Real
 * hardware keeps translations per VMID across entries and exits, so a
 * recycled VMID must never be used before that flush; QEMU's TCG would
 * hide the bug.
 */
#include "el2.h"

void vcpu_el2_vmid_cpu_enable(struct vcpu_el2_cpu_data *cd)
{
	/*
	 * Another hypervisor may have used this CPU's VMIDs before us: start
	 * a new generation whose first assignment flushes them all.
	 */
	cd->vmid_gen++;
	cd->next_vmid = vcpu_el2_max_vmid + 1;
}

/*
 * Called with interrupts disabled on @cpu before the entry.  @changed:
 * the VM's stage-2 mappings changed since this vCPU's last entry.
 */
enum vcpu_el2_flush vcpu_el2_vmid_prepare(struct vcpu_el2_vcpu *v,
					  struct vcpu_el2_cpu_data *cd, int cpu,
					  bool changed)
{
	enum vcpu_el2_flush flush = EL2_FLUSH_NONE;

	if (v->vmid_cpu != cpu || v->vmid_gen != cd->vmid_gen) {
		if (cd->next_vmid > vcpu_el2_max_vmid) {
			cd->vmid_gen++;
			cd->next_vmid = 1;	/* VMID 0 is the host's */
			flush = EL2_FLUSH_ALL;
		}
		v->vmid = cd->next_vmid++;
		v->vmid_gen = cd->vmid_gen;
		v->vmid_cpu = cpu;
	} else if (changed) {
		flush = EL2_FLUSH_VMID;
	}
	/*
	 * With Debian's KVM active, KVM hands out VMIDs from its own global
	 * allocator: the same VMID may tag a KVM guest's translations on
	 * this CPU.  Flush ours before every entry (and after every exit,
	 * see el2_run.c) so that neither side ever sees the other's.
	 */
	if (vcpu_el2_kvm_present && flush == EL2_FLUSH_NONE)
		flush = EL2_FLUSH_VMID;
	return flush;
}
