/* SPDX-License-Identifier: GPL-2.0 */
/* Unit-test shim: the ICC_SGI1R_EL1 fields arch/arm64/sgi.c uses (GICv3). */
#ifndef VCPU_SHIM_ARM_GIC_V3_H
#define VCPU_SHIM_ARM_GIC_V3_H

#define ICC_SGI1R_TARGET_LIST_SHIFT	0
#define ICC_SGI1R_TARGET_LIST_MASK	(0xffffULL << ICC_SGI1R_TARGET_LIST_SHIFT)
#define ICC_SGI1R_AFFINITY_1_SHIFT	16
#define ICC_SGI1R_AFFINITY_1_MASK	(0xffULL << ICC_SGI1R_AFFINITY_1_SHIFT)
#define ICC_SGI1R_SGI_ID_SHIFT		24
#define ICC_SGI1R_SGI_ID_MASK		(0xfULL << ICC_SGI1R_SGI_ID_SHIFT)
#define ICC_SGI1R_AFFINITY_2_SHIFT	32
#define ICC_SGI1R_AFFINITY_2_MASK	(0xffULL << ICC_SGI1R_AFFINITY_2_SHIFT)
#define ICC_SGI1R_IRQ_ROUTING_MODE_BIT	40
#define ICC_SGI1R_RS_SHIFT		44
#define ICC_SGI1R_RS_MASK		(0xfULL << ICC_SGI1R_RS_SHIFT)
#define ICC_SGI1R_AFFINITY_3_SHIFT	48
#define ICC_SGI1R_AFFINITY_3_MASK	(0xffULL << ICC_SGI1R_AFFINITY_3_SHIFT)

/*
 * ICH_LR<n>_EL2 and ICH_VMCR_EL2 fields arch/arm64/vgic_regs.c uses (the
 * kernel has them in asm/sysreg.h, which this header includes there).
 */
#define ICH_LR_VIRTUAL_ID_MASK	((1ULL << 32) - 1)
#define ICH_LR_EOI		(1ULL << 41)
#define ICH_LR_GROUP		(1ULL << 60)
#define ICH_LR_HW		(1ULL << 61)
#define ICH_LR_STATE		(3ULL << 62)
#define ICH_LR_PENDING_BIT	(1ULL << 62)
#define ICH_LR_ACTIVE_BIT	(1ULL << 63)
#define ICH_LR_PRIORITY_MASK	(0xffULL << 48)
#define ICH_VMCR_ENG0_MASK	(1 << 0)
#define ICH_VMCR_ENG1_MASK	(1 << 1)
#define ICH_VMCR_ACK_CTL_MASK	(1 << 2)
#define ICH_VMCR_FIQ_EN_MASK	(1 << 3)
#define ICH_VMCR_CBPR_MASK	(1 << 4)
#define ICH_VMCR_EOIM_MASK	(1 << 9)
#define ICH_VMCR_BPR1_MASK	(7 << 18)
#define ICH_VMCR_BPR0_MASK	(7 << 21)
#define ICH_VMCR_PMR_MASK	(0xffUL << 24)

#endif
