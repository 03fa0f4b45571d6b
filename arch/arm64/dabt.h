/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Data aborts taken to EL2 (EC 0x24): the instruction syndrome (ISV, SAS,
 * SSE, SRT, SF, WnR) turned into the shared MMIO description, and the
 * value a completed load leaves in its register.  Pure logic, also built
 * into the host unit tests.
 */
#ifndef VCPU_ARM64_DABT_H
#define VCPU_ARM64_DABT_H

#include <linux/types.h>

/* Register number 31 in a load/store is XZR: reads zero, writes vanish. */
#define EL2_REG_XZR	31

struct vcpu_el2_dabt {
	bool write;
	u8 width;		/* bytes accessed: 1, 2, 4 or 8 */
	u8 reg;			/* Rt (SRT), EL2_REG_XZR for xzr/wzr */
	u8 reg_width;		/* 8 for Xt (SF), 4 for Wt */
	bool sign_extend;	/* SSE: LDRSB/LDRSH/LDRSW */
};

/*
 * Decode the ISS of @esr.  Returns 0, or -EINVAL when the syndrome is not
 * valid (ISV clear: load pair, writeback, SIMD, atomics...).
 */
int vcpu_el2_dabt_decode(u64 esr, struct vcpu_el2_dabt *d);

/* The value a store writes: @rt_value masked to the access width. */
u64 vcpu_el2_dabt_store_value(const struct vcpu_el2_dabt *d, u64 rt_value);

/*
 * The value a load leaves in its register from @data: masked to the access
 * width, sign-extended when SSE says so, and limited to 32 bits for a Wt
 * destination (a write to Wn zeroes bits 63:32 of Xn).
 */
u64 vcpu_el2_dabt_load_value(const struct vcpu_el2_dabt *d, u64 data);

#endif /* VCPU_ARM64_DABT_H */
