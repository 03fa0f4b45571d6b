// SPDX-License-Identifier: GPL-2.0
/*
 * What arm64 does around every guest entry (module/entry.c calls it):
 * preemption off, so that the CPU checks and the EL2 state loaded for
 * the guest stay on this CPU.  The guest cannot use FP/SIMD (CPTR_EL2
 * traps it), so the task's FP state stays in place.
 */
#include <linux/preempt.h>

#include "arch.h"

void vcpu_arch_entry_begin(void)
{
	preempt_disable();
}

void vcpu_arch_entry_end(void)
{
	preempt_enable();
}
