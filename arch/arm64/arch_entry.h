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

#endif /* VCPU_ARM64_ARCH_ENTRY_H */
