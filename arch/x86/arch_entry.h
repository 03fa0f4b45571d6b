/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What x86 does around every guest entry (module/entry.h), inline on the
 * hot path: preemption off, so that the CPU checks and the state loaded
 * for the guest stay on this CPU.  The FPU needs nothing here: the guest's
 * fpstate is the task's for the whole RUN (vcpu_arch_run_begin(), fpu.c),
 * so the kernel saves and restores it as it does any task's, and the
 * vendor's enter reloads it when that happened since the last entry
 * (vcpu_x86_fpu_enter()).
 */
#ifndef VCPU_X86_ARCH_ENTRY_H
#define VCPU_X86_ARCH_ENTRY_H

#include <linux/preempt.h>

struct vcpu;

static __always_inline void vcpu_arch_entry_begin(struct vcpu *vcpu)
{
	preempt_disable();
}

static __always_inline void vcpu_arch_entry_end(struct vcpu *vcpu)
{
	preempt_enable();
}

/* fpu.c: the guest's FPU state swapped with the task's around a RUN. */
void vcpu_arch_run_begin(struct vcpu *vcpu);
void vcpu_arch_run_end(struct vcpu *vcpu);

#endif /* VCPU_X86_ARCH_ENTRY_H */
