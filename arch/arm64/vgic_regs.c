// SPDX-License-Identifier: GPL-2.0
/* GICv3 virtual CPU interface values from the VMM, see vgic_regs.h. */
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/irqchip/arm-gic-v3.h>	/* ICH_* (asm/sysreg.h) */

#include "vgic_regs.h"

#define EL2_VGIC_LR_DEFINED	(ICH_LR_STATE | ICH_LR_GROUP | \
				 ICH_LR_PRIORITY_MASK | ICH_LR_VIRTUAL_ID_MASK)
#define EL2_VGIC_VMCR_DEFINED	(ICH_VMCR_PMR_MASK | ICH_VMCR_BPR0_MASK | \
				 ICH_VMCR_BPR1_MASK | ICH_VMCR_EOIM_MASK | \
				 ICH_VMCR_CBPR_MASK | ICH_VMCR_FIQ_EN_MASK | \
				 ICH_VMCR_ACK_CTL_MASK | ICH_VMCR_ENG0_MASK | \
				 ICH_VMCR_ENG1_MASK)

static u32 vcpu_el2_vgic_intid(u64 lr)
{
	return lr & ICH_LR_VIRTUAL_ID_MASK;
}

int vcpu_el2_vgic_lr_check(const u64 *lr, unsigned int nr, unsigned int n,
			   u64 value)
{
	unsigned int i;

	if (!(value & ICH_LR_STATE))
		return 0;
	if (value & ~EL2_VGIC_LR_DEFINED || !(value & ICH_LR_GROUP) ||
	    vcpu_el2_vgic_intid(value) > EL2_VGIC_MAX_INTID)
		return -EINVAL;
	/* Two LRs with one vINTID: UNPREDICTABLE for the GIC. */
	for (i = 0; i < nr; i++)
		if (i != n && (lr[i] & ICH_LR_STATE) &&
		    vcpu_el2_vgic_intid(lr[i]) == vcpu_el2_vgic_intid(value))
			return -EINVAL;
	return 0;
}

/*
 * VFIQEn is RES1 with the system register interface, the only one the
 * guest has (el2_vgic.c keeps ICC_SRE_EL1.SRE set): it reads as one.
 */
s64 vcpu_el2_vgic_vmcr_check(u64 value)
{
	if (value & ~(u64)EL2_VGIC_VMCR_DEFINED)
		return -EINVAL;
	return value | ICH_VMCR_FIQ_EN_MASK;
}
