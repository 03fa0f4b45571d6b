// SPDX-License-Identifier: GPL-2.0
/*
 * One SVM guest entry and exit.
 *
 * Order of events, all on the bound CPU:
 *   kernel_fpu_begin()     the host task's FPU state is saved; the guest's
 *                          is loaded with interrupts off and saved again
 *                          after the exit
 *   local_irq_disable()    the ASID and TLB decisions below must not be
 *                          interrupted by a migration or a TLB kick
 *   CLGI ... STGI          svm_vmenter() runs the guest with the host's
 *                          IF set; an interrupt arriving meanwhile exits
 *                          and waits under GIF=0 until STGI
 *   irq_fetch/irq_handler  the vector is read from the local APIC, then
 *                          the host services the interrupt at once
 */
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/fpu/api.h>
#include <asm/svm.h>

#include "hal.h"
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

int svm_vcpu_run(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb *vmcb = svm->vmcb;
	struct svm_cpu_data *sd;
	u32 vector = 0;
	bool snapshot;
	s64 gen;
	int cpu;

	kernel_fpu_begin();
	cpu = smp_processor_id();
	if (cpu != vcpu->cpu) {
		kernel_fpu_end();
		return -EAGAIN;
	}
	local_irq_disable();
	if (!vcpu_guest_enter(vcpu)) {
		local_irq_enable();
		kernel_fpu_end();
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return 0;
	}
	svm_inject_irq(vcpu, svm);

	sd = this_cpu_ptr(&svm_cpu_data);
	/* Pairs with the increment in vcpu_vm_flush_tlb(): see there. */
	gen = atomic64_read(&vcpu->vm->tlb_gen);
	svm_asid_prepare(svm, sd, cpu, gen != svm->tlb_gen);
	svm->tlb_gen = gen;

	vmcb->save.rax = svm->gprs[VCPU_REG_RAX];
	vmcb->save.rsp = svm->gprs[VCPU_REG_RSP];
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
	svm_vmenter(svm->gprs, svm->vmcb_pa, sd->host_vmsave_pa);
	if (vmcb->control.exit_code == SVM_EXIT_INTR)
		vector = vcpu_hal->irq_fetch();
	svm_stgi();
	/*
	 * The guest never ran.  Implementations differ in what they leave
	 * in the save area after VMEXIT_INVALID (QEMU writes host values):
	 * give GET_REGS the state the VMM set.
	 */
	if (snapshot && vmcb->control.exit_code == (u32)SVM_EXIT_ERR)
		memcpy(&vmcb->save, this_cpu_ptr(&svm_snapshot),
		       sizeof(vmcb->save));

	svm_fxsave(&svm->fpu);
	if (vmcb->control.exit_code == SVM_EXIT_INTR)
		vcpu_hal->irq_handler();
	vcpu_guest_exit(vcpu);
	local_irq_enable();
	kernel_fpu_end();

	if (vmcb->control.exit_code != (u32)SVM_EXIT_ERR) {
		svm->gprs[VCPU_REG_RAX] = vmcb->save.rax;
		svm->gprs[VCPU_REG_RSP] = vmcb->save.rsp;
	}
	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;

	svm_handle_exit(vcpu, vector, exit);
	return 0;
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
