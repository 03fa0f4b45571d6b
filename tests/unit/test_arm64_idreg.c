// SPDX-License-Identifier: GPL-2.0
/* The guest ID register downgrade rule (arch/arm64/idreg_rules.c). */
#include <linux/types.h>
#include <linux/errno.h>
#include "unit.h"
#include "arch/arm64/idreg_rules.h"

/* ID_AA64PFR0_EL1-like: FP (19:16) signed, EL1 (7:4) fixed. */
static const struct vcpu_el2_idreg_rule rule = {
	.signed_fields = EL2_IDF(16),
	.fixed_fields = EL2_IDF(4),
};

UNIT_TEST(arm64_idreg_unsigned)
{
	u64 def = 0x0000000000001211ULL;

	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, def, def), 0);
	/* lower an unsigned field (bits 11:8 2 -> 1, 15:12 1 -> 0) */
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, def, 0x0111), 0);
	/* raise one, or set one the default has at 0 */
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, def, 0x1311), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, def, def | (1ULL << 60)),
		       -EINVAL);
	/* a fixed field must stay */
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, def, 0x1201), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, def, 0x1221), -EINVAL);
}

UNIT_TEST(arm64_idreg_signed)
{
	u64 fp16 = 1ULL << 16, fp = 0, none = 0xfULL << 16;

	/* 1 (FP16) -> 0 (FP) -> 0xf (none): each a downgrade */
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, fp16, fp), 0);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, fp16, none), 0);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, fp, none), 0);
	/* and back up is not */
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, fp, fp16), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, none, fp), -EINVAL);
	/* 7 is the largest signed value, 8 the smallest */
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, 7ULL << 16, 8ULL << 16), 0);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&rule, 8ULL << 16, 7ULL << 16),
		       -EINVAL);
}

/* An unallocated encoding: default 0, only 0 accepted. */
UNIT_TEST(arm64_idreg_zero)
{
	static const struct vcpu_el2_idreg_rule none;

	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&none, 0, 0), 0);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&none, 0, 1), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_el2_idreg_check(&none, 0, 1ULL << 63), -EINVAL);
}
