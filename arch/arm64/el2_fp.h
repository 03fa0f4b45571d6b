/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's FP/SIMD registers as el2_fp_regs.S sees them: the offsets
 * below are used from assembly, and checked against the C layout in
 * el2_fp.c.
 */
#ifndef VCPU_ARM64_EL2_FP_H
#define VCPU_ARM64_EL2_FP_H

#define EL2_FP_V(n)		((n) * 16)	/* V0..V31 */
#define EL2_FP_FPSR		(32 * 16)
#define EL2_FP_FPCR		(EL2_FP_FPSR + 4)

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct vcpu_el2_fp_regs {
	__uint128_t v[32];
	u32 fpsr;
	u32 fpcr;
};

/*
 * @regs: in memory whenever interrupts are on; in the CPU only between
 * vcpu_el2_fp_load() and vcpu_el2_fp_save() (el2_fp.c).
 * @user: the guest used FP/SIMD during this RUN (its first use trapped).
 * @held: this entry took the CPU's FP/SIMD registers (kernel_neon_begin())
 * for the guest; from vcpu_el2_fp_entry_begin() to _end().
 */
struct vcpu_el2_fp {
	struct vcpu_el2_fp_regs regs;
	bool user;
	bool held;
};

/*
 * el2_fp_regs.S, at EL2 with FP/SIMD accesses not trapped: load all of
 * @regs into the CPU; save the CPU's into @regs and zero them.
 */
void vcpu_el2_fp_load_regs(const struct vcpu_el2_fp_regs *regs);
void vcpu_el2_fp_save_regs(struct vcpu_el2_fp_regs *regs);
#endif

#endif /* VCPU_ARM64_EL2_FP_H */
