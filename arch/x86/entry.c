// SPDX-License-Identifier: GPL-2.0
/*
 * What x86 does around every guest entry, whichever the vendor
 * (module/entry.c calls it): the FPU.  kernel_fpu_begin() saves the
 * task's FPU state (restored on its way back to user mode) and disables
 * preemption; from then until kernel_fpu_end() the FPU registers are this
 * module's, interrupt handlers included (irq_fpu_usable() is false), so
 * the vendor loads the guest's state into them for the world switch.
 */
#include <asm/fpu/api.h>

#include "arch.h"

void vcpu_arch_entry_begin(void)
{
	kernel_fpu_begin();
}

void vcpu_arch_entry_end(void)
{
	kernel_fpu_end();
}
