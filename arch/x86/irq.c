// SPDX-License-Identifier: GPL-2.0
/* x86 host-interrupt services of the HAL. */
#include <asm/apic.h>

#include "arch.h"
#include "compat.h"

/*
 * After an interrupt exit the interrupt is still pending in the local
 * APIC (SVM does not acknowledge it): its vector is the highest one
 * requested in the IRR.
 */
u32 vcpu_arch_irq_fetch(void)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 irr = vcpu_apic_read(APIC_IRR + i * 0x10);

		if (irr)
			return i * 32 + fls(irr) - 1;
	}
	return 0;
}

/* Open an interrupt window: the host's own IDT handler services it. */
void vcpu_arch_irq_handler(void)
{
	local_irq_enable();
	local_irq_disable();
}
