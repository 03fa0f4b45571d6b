// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM world switch, in the steps of module/entry.h's sequence (which
 * has the host's FPU state saved and interrupts off around them):
 *   svm_enter()            the queued interrupt, the ASID and TLB
 *                          decisions (svm_prepare_entry()), the guest's
 *                          FPU/SSE state in, CLGI, VMRUN with
 *                          the host's IF set (an interrupt arriving
 *                          meanwhile exits and waits under GIF=0), STGI
 *                          (it still waits: IF is clear), FPU state out
 *   svm_handle_exit()      svm_exit.c, interrupts on
 */
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/svm.h>

#include "backend.h"
#include "svm.h"
#include "strio.h"

/* The save area as userspace left it, from an entry to its exit. */
static DEFINE_PER_CPU(struct vmcb_save_area, svm_snapshot);

static inline void svm_clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

static inline void svm_stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

static inline void svm_fxrstor(struct fxregs_state *fx)
{
	asm volatile("fxrstorq %0" : : "m" (*fx));
}

static inline void svm_fxsave(struct fxregs_state *fx)
{
	asm volatile("fxsaveq %0" : "=m" (*fx));
}

/*
 * Queued interrupts (VCPU_INJECT_IRQ), with interrupts off after
 * vcpu_guest_enter().  The highest one is injected through EVENTINJ when
 * the guest can take it at this entry: no event already being delivered
 * (EVENTINJ holds a re-injection), RFLAGS.IF set and no interrupt shadow
 * (STI, MOV SS).  While more remain, a virtual interrupt request (V_IRQ,
 * ignoring the virtual TPR) with the VINTR intercept makes the guest exit
 * exactly when it could take the next one: the interrupt window.  The
 * VMCB is rewritten at every entry (clean bits are never used).
 */
static void svm_inject_irq(struct vcpu *vcpu, struct svm_vcpu *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;
	int vector;

	c->int_ctl &= ~(V_IRQ_MASK | V_INTR_PRIO_MASK | V_IGN_TPR_MASK);
	svm_clr_intercept(c, INTERCEPT_VINTR);
	if (!(c->event_inj & SVM_EVTINJ_VALID) &&
	    (svm->vmcb->save.rflags & X86_EFLAGS_IF) &&
	    !(c->int_state & SVM_INTERRUPT_SHADOW_MASK)) {
		vector = vcpu_irq_take(vcpu);
		if (vector >= 0)
			c->event_inj = vector | SVM_EVTINJ_VALID |
				       SVM_EVTINJ_TYPE_INTR;
	}
	if (vcpu_irq_pending(vcpu)) {
		c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK |
			      (0xf << V_INTR_PRIO_SHIFT);
		svm_set_intercept(c, INTERCEPT_VINTR);
	}
}

/*
 * Interrupts off, on the bound CPU (module/entry.h): the queued interrupt,
 * the ASID and its TLB flush, RAX and RSP into the VMCB.
 */
static void svm_prepare_entry(struct vcpu *vcpu, int cpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	s64 gen;

	svm_inject_irq(vcpu, svm);

	/* Pairs with the increment in vcpu_vm_flush_tlb(): see there. */
	gen = atomic64_read(&vcpu->vm->tlb_gen);
	svm_asid_prepare(svm, this_cpu_ptr(&svm_cpu_data), cpu,
			 gen != svm->tlb_gen);
	svm->tlb_gen = gen;

	vmcb->save.rax = svm->gprs[VCPU_REG_RAX];
	vmcb->save.rsp = svm->gprs[VCPU_REG_RSP];
}

u32 svm_enter(struct vcpu *vcpu, int cpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	bool snapshot;

	svm_prepare_entry(vcpu, cpu);

	/*
	 * Only state userspace wrote can fail the consistency checks (the
	 * hardware itself never leaves an invalid state at an exit), so the
	 * save area is copied aside only at the first entry after such a
	 * write, into this CPU's buffer: it is needed only until the exit.
	 */
	snapshot = svm->user_dirty;
	if (snapshot) {
		memcpy(this_cpu_ptr(&svm_snapshot), &vmcb->save,
		       sizeof(vmcb->save));
		svm->user_dirty = false;
	}
	svm_fxrstor(&svm->fpu);

	svm_clgi();
	svm_vmenter(svm->gprs, svm->vmcb_pa,
		    this_cpu_ptr(&svm_cpu_data)->host_vmsave_pa);
	svm_stgi();

	svm_fxsave(&svm->fpu);
	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	if (vmcb->control.exit_code == (u32)SVM_EXIT_ERR) {
		/*
		 * The guest never ran.  Implementations differ in what they
		 * leave in the save area after VMEXIT_INVALID (QEMU writes
		 * host values): give GET_REGS the state the VMM set.
		 */
		if (snapshot)
			memcpy(&vmcb->save, this_cpu_ptr(&svm_snapshot),
			       sizeof(vmcb->save));
		return 0;
	}
	svm->gprs[VCPU_REG_RAX] = vmcb->save.rax;
	svm->gprs[VCPU_REG_RSP] = vmcb->save.rsp;
	/*
	 * An interrupt that arrived while the guest ran made it exit and
	 * waits in the local APIC (GIF was 0, then IF is): the core names it
	 * and lets the host take it.
	 */
	return vmcb->control.exit_code == SVM_EXIT_INTR ?
	       VCPU_ENTER_HOST_IRQ : 0;
}

void svm_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
		       u64 value)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	/* INS: the data is in the shared page, not in value. */
	if (exit->exit_reason == VCPU_EXIT_IO_READ &&
	    (exit->io.flags & VCPU_IO_F_STRING)) {
		struct vcpu_x86_sregs sregs;
		struct vcpu_x86_fault fault;

		svm_sregs_save(&sregs, &svm->vmcb->save);
		if (vcpu_x86_strio_complete(vcpu, &sregs, svm->vmcb->save.cpl,
					    svm->gprs, &svm->mmio_insn, exit,
					    &fault))
			svm_skip(vcpu, svm->mmio_insn.len);
		/* The page became unwritable in the guest's tables: #PF. */
		svm_inject_fault(svm, &fault);
		return;
	}
	vcpu_x86_complete(svm->gprs, &svm->mmio_insn, exit, value);
}
