// SPDX-License-Identifier: GPL-2.0
/*
 * ASIDs tag guest translations in the TLB.  Each physical CPU hands them
 * out in generations: when it runs out, a new generation starts, every
 * ASID of the CPU is flushed once, and each vCPU takes a fresh one at its
 * next entry.  Real hardware keeps translations per ASID across VMRUN,
 * so a recycled ASID must never be used without that flush; QEMU's TCG
 * flushes on every VMRUN and would hide the bug.
 */
#include "svm.h"

void vcpu_svm_asid_cpu_enable(struct vcpu_svm_cpu_data *sd)
{
	/*
	 * Another hypervisor may have used this CPU's ASIDs before us: start
	 * a new generation whose first assignment flushes them all.
	 */
	sd->asid_gen++;
	sd->next_asid = vcpu_svm_max_asid + 1;
}

/*
 * Called with interrupts disabled on @cpu before VMRUN.  @flush: this
 * vCPU's second-stage translations changed since its last entry.
 */
void vcpu_svm_asid_prepare(struct vcpu_svm_vcpu *svm,
			   struct vcpu_svm_cpu_data *sd, int cpu, bool flush)
{
	struct vmcb_control_area *c = &svm->vmcb->control;
	u8 tlb = TLB_CONTROL_DO_NOTHING;

	if (svm->asid_cpu != cpu || svm->asid_gen != sd->asid_gen) {
		if (sd->next_asid > vcpu_svm_max_asid) {
			sd->asid_gen++;
			sd->next_asid = 1;
			tlb = TLB_CONTROL_FLUSH_ALL_ASID;
		}
		svm->asid = sd->next_asid++;
		svm->asid_gen = sd->asid_gen;
		svm->asid_cpu = cpu;
		c->asid = svm->asid;
	} else if (flush) {
		/* Without FlushByAsid only the flush of everything exists. */
		tlb = vcpu_svm_flush_by_asid ? TLB_CONTROL_FLUSH_ASID :
					       TLB_CONTROL_FLUSH_ALL_ASID;
	}
	c->tlb_ctl = tlb;
}
