/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What arm64 does around every guest entry (module/entry.h), inline on the
 * hot path: preemption off, so that the CPU checks and the EL2 state
 * loaded for the guest stay on this CPU.  The guest cannot use FP/SIMD
 * (CPTR_EL2 traps it), so the task's FP state stays in place.
 */
#ifndef VCPU_ARM64_ARCH_ENTRY_H
#define VCPU_ARM64_ARCH_ENTRY_H

#include <linux/preempt.h>

static __always_inline void vcpu_arch_entry_begin(void)
{
	preempt_disable();
}

static __always_inline void vcpu_arch_entry_end(void)
{
	preempt_enable();
}

struct vcpu;

/*
 * Around a RUN: nothing: the guest's FP/SIMD use traps to EL2, which keeps
 * the host's FP state in place (el2_run.c).
 */
static inline void vcpu_arch_run_begin(struct vcpu *vcpu)
{
}

static inline void vcpu_arch_run_end(struct vcpu *vcpu)
{
}

#endif /* VCPU_ARM64_ARCH_ENTRY_H */
