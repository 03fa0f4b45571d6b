/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rule a VMM's value of a guest ID register must follow: a safe
 * downgrade of the kernel's default, field by field (4-bit fields, the
 * Arm ARM's "ID register fields" rules).  Pure logic, also built into the
 * host unit tests.
 *
 * Every field is one of:
 *   unsigned  a higher value means more: the VMM may lower it (0 = none)
 *   signed    a 4-bit two's complement value, 0xf (-1) "not implemented"
 *             (for instance ID_AA64PFR0_EL1.FP, ID_AA64MMFR0_EL1.TGran4):
 *             the VMM may lower it in that order, down to 0xf
 *   fixed     the value must stay the default (a field whose lower values
 *             are no subset of the higher, or one the kernel relies on)
 */
#ifndef VCPU_ARM64_IDREG_RULES_H
#define VCPU_ARM64_IDREG_RULES_H

#include <linux/types.h>

/* The nibble of every field a mask names, for the masks below. */
#define EL2_IDF(shift)		(0xfULL << (shift))

struct vcpu_el2_idreg_rule {
	u64 signed_fields;	/* EL2_IDF() of each signed field */
	u64 fixed_fields;	/* EL2_IDF() of each fixed field */
};

/* 0 when @val is a safe downgrade of @def under @rule, else -EINVAL. */
int vcpu_el2_idreg_check(const struct vcpu_el2_idreg_rule *rule, u64 def,
			 u64 val);

#endif /* VCPU_ARM64_IDREG_RULES_H */
