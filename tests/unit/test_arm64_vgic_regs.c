// SPDX-License-Identifier: GPL-2.0
/* arch/arm64/vgic_regs.c: list register and VMCR values from the VMM. */
#include <linux/types.h>
#include <linux/errno.h>

#include "unit.h"
#include "arch/arm64/vgic_regs.h"

/* GICv3 ICH_LR<n>_EL2 fields, written out from the GIC architecture. */
#define ACTIVE		(1ULL << 63)
#define PENDING		(1ULL << 62)
#define HW		(1ULL << 61)
#define GROUP1		(1ULL << 60)
#define PRIO(p)		((u64)(p) << 48)
#define LR(intid)	(PENDING | GROUP1 | PRIO(0xa0) | (intid))

UNIT_TEST(arm64_vgic_lr_fields)
{
	u64 lr[4] = { 0 };

	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40)), 0);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40) | ACTIVE), 0);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(0)), 0);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(1019)), 0);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(1020)), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(8192)), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40) | HW), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40) & ~GROUP1),
		       -EINVAL);
	/* EOI maintenance (41), pINTID (40:32), RES0 (59:56). */
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40) | 1ULL << 41),
		       -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40) | 1ULL << 32),
		       -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40) | 1ULL << 56),
		       -EINVAL);
	/* Invalid (state 0): anything goes, it is stored as 0. */
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, HW | 1020), 0);
}

UNIT_TEST(arm64_vgic_lr_same_intid_twice)
{
	u64 lr[4] = { LR(40) | ACTIVE, 0, LR(41), 0 };

	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 1, LR(40)), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 3, LR(41)), -EINVAL);
	/* The LR being replaced does not count. */
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 0, LR(40)), 0);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 1, LR(42)), 0);
	/* An invalid LR holding the INTID's number does not count either. */
	lr[3] = 42;
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 4, 1, LR(42)), 0);
	/* Only the first @nr LRs exist. */
	UNIT_EXPECT_EQ(vcpu_el2_vgic_lr_check(lr, 2, 1, LR(41)), 0);
}

UNIT_TEST(arm64_vgic_vmcr)
{
	/* VPMR 0xf0, VBPR0 2, VBPR1 3, VENG1. */
	u64 vmcr = (0xf0ULL << 24) | (2 << 21) | (3 << 18) | (1 << 1);

	UNIT_EXPECT_EQ(vcpu_el2_vgic_vmcr_check(vmcr), vmcr | (1 << 3));
	UNIT_EXPECT_EQ(vcpu_el2_vgic_vmcr_check(vmcr | 1 << 9 | 1 << 4 |
						1 << 2 | 1 << 0),
		       vmcr | 1 << 9 | 1 << 4 | 1 << 3 | 1 << 2 | 1 << 0);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_vmcr_check(vmcr | 1 << 5), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_vmcr_check(vmcr | 1 << 10), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_vgic_vmcr_check(vmcr | 1ULL << 32), -EINVAL);
}
