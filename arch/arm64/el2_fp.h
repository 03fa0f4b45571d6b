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
#include <asm/sysreg.h>

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

/* CPTR_EL2 (E2H format) for an FP/SIMD user: FPEN 0b11, ZEN and SMEN 0. */
#define EL2_FP_CPTR_USER	(CPACR_EL1_FPEN_EL1EN | CPACR_EL1_FPEN_EL0EN)

/*
 * In the world switch (el2_run.c), inline: every entry asks, few pay.
 * vcpu_el2_fp_load(): DAIF masked, the host's CPTR_EL2 (FP/SIMD not
 * trapped at EL2) still in place: the guest's registers in when this
 * entry holds the CPU's; returns the guest's CPTR_EL2.
 * vcpu_el2_fp_save(): at the exit, DAIF still masked (the guest's
 * CPTR_EL2 did not trap EL2 either when it held them).
 */
static inline u64 vcpu_el2_fp_load(struct vcpu_el2_fp *fp)
{
	if (!fp->held)
		return 0;
	vcpu_el2_fp_load_regs(&fp->regs);
	return EL2_FP_CPTR_USER;
}

static inline void vcpu_el2_fp_save(struct vcpu_el2_fp *fp)
{
	if (fp->held)
		vcpu_el2_fp_save_regs(&fp->regs);
}
#endif

#endif /* VCPU_ARM64_EL2_FP_H */
