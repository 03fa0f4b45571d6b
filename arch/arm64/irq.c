// SPDX-License-Identifier: GPL-2.0
/* arm64 host-interrupt services of the HAL (GICv3 system registers). */
#include <linux/irqflags.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <asm/sysreg.h>

#include "arch.h"

/*
 * After an interrupt exit the interrupt is still pending in the GIC CPU
 * interface: ICC_HPPIR1_EL1 names the highest-priority pending Group 1
 * INTID (bits 23:0) without acknowledging it (1020..1023: none, reported
 * as 0).
 */
u32 vcpu_arch_irq_fetch(void)
{
	u32 intid = read_sysreg_s(SYS_ICC_HPPIR1_EL1) & 0xffffff;

	return (intid >= 1020 && intid <= 1023) ? 0 : intid;
}

/* Unmask: the host's own vectors and GIC driver service it. */
void vcpu_arch_irq_handler(void)
{
	local_irq_enable();
	local_irq_disable();
}
