/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What x86 does around every guest entry, whichever the vendor
 * (module/entry.h), inline on the hot path: the FPU.  kernel_fpu_begin()
 * saves the task's FPU state (restored on its way back to user mode) and
 * disables preemption; from then until kernel_fpu_end() the FPU registers
 * are this module's, interrupt handlers included (irq_fpu_usable() is
 * false), so the vendor loads the guest's state into them for the world
 * switch.
 */
#ifndef VCPU_X86_ARCH_ENTRY_H
#define VCPU_X86_ARCH_ENTRY_H

#include <asm/fpu/api.h>

static __always_inline void vcpu_arch_entry_begin(void)
{
	kernel_fpu_begin();
}

static __always_inline void vcpu_arch_entry_end(void)
{
	kernel_fpu_end();
}

#endif /* VCPU_X86_ARCH_ENTRY_H */
