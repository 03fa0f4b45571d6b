// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM world switch, in the steps of module/entry.h's sequence (which
 * has interrupts off around them):
 *   vcpu_svm_enter()        the queued interrupt (vcpu_x86_inject_irq()),
 *                           the ASID and TLB decisions
 *                           (vcpu_svm_prepare_entry()), the guest's
 *                           FPU registers (if the host took them), XCR0
 *                           and PKRU in, CLGI, IF set, VMRUN (an
 *                           interrupt arriving meanwhile exits and waits
 *                           under GIF=0), IF clear, STGI (it still
 *                           waits), the host's XCR0 and PKRU back
 *   vcpu_svm_handle_exit()  svm_exit.c, interrupts on
 */
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/svm.h>

#include "backend.h"
#include "svm.h"

/* The save area as userspace left it, from an entry to its exit. */
static DEFINE_PER_CPU(struct vmcb_save_area, vcpu_svm_snapshot);

static inline void vcpu_svm_clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

static inline void vcpu_svm_stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

/*
 * The interrupt primitives of vcpu_x86_inject_irq(), with interrupts off
 * after vcpu_guest_enter().  An interrupt is injected through EVENTINJ;
 * the window is a virtual interrupt request (V_IRQ, ignoring the virtual
 * TPR) with the VINTR intercept, which makes the guest exit exactly when
 * it could take an interrupt.  The VMCB is rewritten at every entry
 * (clean bits are never used).
 */
bool vcpu_svm_x86_irq_allowed(struct vcpu *vcpu)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	/* EVENTINJ may hold a re-injection or an exception. */
	return !(vmcb->control.event_inj & SVM_EVTINJ_VALID) &&
	       (vmcb->save.rflags & X86_EFLAGS_IF) &&
	       !(vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK);
}

void vcpu_svm_x86_inject_irq(struct vcpu *vcpu, u8 vector)
{
	to_svm(vcpu)->vmcb->control.event_inj = vector | SVM_EVTINJ_VALID |
						SVM_EVTINJ_TYPE_INTR;
}

void vcpu_svm_x86_irq_window(struct vcpu *vcpu, bool open)
{
	struct vmcb_control_area *c = &to_svm(vcpu)->vmcb->control;

	c->int_ctl &= ~(V_IRQ_MASK | V_INTR_PRIO_MASK | V_IGN_TPR_MASK);
	vcpu_svm_clr_intercept(c, INTERCEPT_VINTR);
	if (open) {
		c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK |
			      (0xf << V_INTR_PRIO_SHIFT);
		vcpu_svm_set_intercept(c, INTERCEPT_VINTR);
	}
}

/*
 * Interrupts off, on the bound CPU (module/entry.h): the queued interrupt,
 * the ASID and its TLB flush, RAX and RSP into the VMCB.
 */
static void vcpu_svm_prepare_entry(struct vcpu *vcpu, int cpu)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;

	vcpu_x86_inject_irq(vcpu);
	vcpu_svm_asid_prepare(svm, this_cpu_ptr(&vcpu_svm_cpu_data), cpu,
			      vcpu_x86_tlb_stale(vcpu));

	vmcb->save.rax = svm->x86.gprs[VCPU_REG_RAX];
	vmcb->save.rsp = svm->x86.gprs[VCPU_REG_RSP];
}

/* The VMCB is rewritten at every entry: the offset takes effect then. */
void vcpu_svm_x86_set_tsc_offset(struct vcpu *vcpu, u64 offset)
{
	to_svm(vcpu)->vmcb->control.tsc_offset = offset;
}

u32 vcpu_svm_enter(struct vcpu *vcpu, int cpu)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	bool snapshot, faulted;
	u32 host_pkru = 0;

	vcpu_svm_prepare_entry(vcpu, cpu);

	/*
	 * Only state userspace wrote can fail the consistency checks (the
	 * hardware itself never leaves an invalid state at an exit), so the
	 * save area is copied aside only at the first entry after such a
	 * write, into this CPU's buffer: it is needed only until the exit.
	 */
	snapshot = svm->user_dirty;
	if (snapshot) {
		memcpy(this_cpu_ptr(&vcpu_svm_snapshot), &vmcb->save,
		       sizeof(vmcb->save));
		svm->user_dirty = false;
	}
	vcpu_x86_fpu_enter(&svm->x86, &host_pkru);
	vcpu_x86_tsc_aux_enter(&svm->x86, cpu);
	vcpu_x86_debug_enter(&svm->x86);

	vcpu_svm_clgi();
	/*
	 * RFLAGS.IF is set for VMRUN here, in C, with GIF clear: no
	 * interrupt is taken in the host until STGI, and VMRUN does not
	 * execute in an STI shadow (see svm_vmenter.S).
	 */
	raw_local_irq_enable();
	faulted = vcpu_svm_vmenter(svm->x86.gprs, svm->vmcb_pa,
				   this_cpu_ptr(&vcpu_svm_cpu_data)->host_vmsave_pa);
	raw_local_irq_disable();
	vcpu_svm_stgi();
	vcpu_x86_debug_exit(&svm->x86);

	vcpu_x86_tsc_aux_exit(&svm->x86);
	vcpu_x86_fpu_exit(&svm->x86, host_pkru);
	vcpu_x86_guest_ran();
	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	svm->entry_faulted = faulted;
	if (unlikely(faulted))
		vmcb->control.exit_code = SVM_EXIT_ERR;
	if (vmcb->control.exit_code == (u32)SVM_EXIT_ERR) {
		/*
		 * The guest never ran.  Implementations differ in what they
		 * leave in the save area after VMEXIT_INVALID (QEMU writes
		 * host values): give GET_REGS the state the VMM set.
		 */
		if (snapshot)
			memcpy(&vmcb->save, this_cpu_ptr(&vcpu_svm_snapshot),
			       sizeof(vmcb->save));
		return 0;
	}
	svm->x86.gprs[VCPU_REG_RAX] = vmcb->save.rax;
	svm->x86.gprs[VCPU_REG_RSP] = vmcb->save.rsp;
	/*
	 * An interrupt that arrived while the guest ran made it exit and
	 * waits in the local APIC (GIF was 0, then IF is): the core names it
	 * and lets the host take it.
	 */
	return vmcb->control.exit_code == SVM_EXIT_INTR ?
	       VCPU_ENTER_HOST_IRQ : 0;
}
