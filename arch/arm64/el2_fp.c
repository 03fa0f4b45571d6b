// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's FP/SIMD registers (V0-V31, FPSR, FPCR): per vCPU, zero after
 * SETUP, offered through ONE_REG, and switched lazily.
 *
 * Ownership.  The CPU's FP/SIMD registers belong to the task that runs
 * there; the kernel saves them only at a context switch or for
 * kernel-mode NEON.  The guest borrows them with kernel_neon_begin(),
 * taken at vcpu_arch_entry_begin() (module/entry.h: interrupts still on,
 * as its BUG_ON(!may_use_simd()) requires; the vCPU task is in process
 * context and holds no FP/SIMD context of its own there) and given back
 * at vcpu_arch_entry_end().  kernel_neon_begin() saves the task's live
 * state to its thread struct once (marking it foreign,
 * TIF_FOREIGN_FPSTATE; later calls in the same RUN find nothing to save)
 * and the task gets it back at its return to user space, never from us.
 * The guest's registers are in the CPU only from vcpu_el2_fp_load() to
 * vcpu_el2_fp_save(), both with interrupts (DAIF) masked in the world
 * switch, and the save zeroes them: no interrupt handler, softirq,
 * context switch or other task can find them in the CPU, and whatever
 * copies the CPU's registers while we hold it copies zeros.
 *
 * The task's SVE and SME state survives this on both kernel lines.
 * 6.1: kernel_neon_begin() disables bottom halves and preemption,
 * fpsimd_save() stores the whole live state in the task's format (Z, P
 * and FFR when TIF_SVE or streaming mode is live, ZA when SVCR.ZA is set,
 * SVCR itself), then fpsimd_flush_cpu_state() leaves streaming mode and
 * turns ZA off (SMSTOP) and marks the CPU's state foreign.  6.12: the same
 * through fpsimd_save_user_state(); kernel-mode NEON is preemptible there
 * (TIF_KERNEL_FPSTATE: a context switch saves the CPU's registers as the
 * task's kernel state, a softirq's NEON saves and restores around itself),
 * which is why the guest's registers must not outlive the save with
 * interrupts on.  Either way the guest starts with PSTATE.SM and ZA off,
 * and its V writes, which zero the Z bits above 128 in the CPU, touch
 * nothing the task will see.  SVE and SME stay trapped for the guest (ZEN
 * and SMEN 0: an UNDEF, el2_inject.c).
 *
 * Laziness.  Until the guest's first FP/SIMD instruction of a RUN,
 * CPTR_EL2.FPEN (CPACR_EL1 under E2H) traps it to EL2 (EC 0x07): the exit
 * marks the vCPU a user and re-enters at the same instruction
 * (VCPU_EXIT_NOTHING).  Only a user pays kernel_neon_begin()/end() and
 * the load and save per entry.  The mark is dropped at the end of each
 * RUN (vcpu_arch_run_end()): the return to the VMM reloads the task's own
 * state anyway, so a guest that keeps using FP/SIMD pays one trap more
 * per RUN, small next to the round trip through user space it comes
 * with, while a guest that stopped using it (an OS that touches it in
 * rare tasks) stops paying at the next RUN.  The guest's own CPACR_EL1
 * (FPEN) traps to its EL1 first: a guest that disabled FP/SIMD for itself
 * is never marked.
 *
 * What QEMU TCG cannot show: the cost of the trap and of FPCR writes (a
 * trapped instruction is nearly free under TCG, a round trip through EL2
 * on hardware); a VMM task with live SVE or ZA state, or in streaming
 * mode, at VCPU_RUN (the selftests' VMM holds only V registers, so the
 * paths that save Z/P/ZA for it run only on such hardware and VMMs).
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/neon.h>
#include <asm/sysreg.h>

#include "arch.h"
#include "el2.h"

static_assert(offsetof(struct vcpu_el2_fp_regs, v) == EL2_FP_V(0));
static_assert(offsetof(struct vcpu_el2_fp_regs, fpsr) == EL2_FP_FPSR);
static_assert(offsetof(struct vcpu_el2_fp_regs, fpcr) == EL2_FP_FPCR);

#define EL2_FP_ID_FPCR		VCPU_REG_ARM64_FPCR
#define EL2_FP_ID_FPSR		VCPU_REG_ARM64_FPSR
#define EL2_FP_NR_V_IDS		64	/* V0..V31, two halves each */

/*
 * The bits an AArch64 FPSR/FPCR may hold (the rest is RES0): FPSR N, Z, C,
 * V, QC, IDC, IXC, UFC, OFC, DZC, IOC; FPCR AHP, DN, FZ, RMode, Stride,
 * FZ16, Len, IDE, EBF, IXE, UFE, OFE, DZE, IOE, NEP, AH, FIZ.  A bit of a
 * feature the CPU lacks is ignored by it (reads back as zero).
 */
#define EL2_FP_FPSR_MASK	0xf800009fULL
#define EL2_FP_FPCR_MASK	0x07ffbf07ULL

void vcpu_el2_fp_reset(struct vcpu_el2_fp *fp)
{
	memset(fp, 0, sizeof(*fp));
}

/* Interrupts on, preemptible: see above. */
void vcpu_el2_fp_entry_begin(struct vcpu *vcpu)
{
	struct vcpu_el2_fp *fp = &to_el2(vcpu)->fp;

	fp->held = fp->user;
	if (fp->held)
		kernel_neon_begin();
}

void vcpu_el2_fp_entry_end(struct vcpu *vcpu)
{
	struct vcpu_el2_fp *fp = &to_el2(vcpu)->fp;

	if (!fp->held)
		return;
	fp->held = false;
	kernel_neon_end();
}

void vcpu_el2_fp_run_end(struct vcpu *vcpu)
{
	to_el2(vcpu)->fp.user = false;
}

/*
 * The guest's first FP/SIMD instruction of this RUN (EC 0x07): from the
 * next entry on it holds the registers; ELR_EL2 is at the instruction,
 * which runs again.  A CPU without FP/SIMD (kernel_neon_begin() would
 * warn) has none to offer: UNDEF.
 */
void vcpu_el2_exit_fp(struct vcpu *vcpu, const struct vcpu_el2_exit_info *ei,
		      struct vcpu_run *exit)
{
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	int fp = cpuid_feature_extract_signed_field(pfr0,
						    ID_AA64PFR0_EL1_FP_SHIFT);
	int simd = cpuid_feature_extract_signed_field(pfr0,
					ID_AA64PFR0_EL1_AdvSIMD_SHIFT);

	if (fp < 0 || simd < 0) {
		vcpu_el2_exit_undef(vcpu, ei, exit);
		return;
	}
	to_el2(vcpu)->fp.user = true;
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/* ONE_REG: V(n, half), FPSR and FPCR are this file's. */
bool vcpu_el2_fp_owns_reg(u64 id)
{
	if ((id & ~0xffffULL) ==
	    (VCPU_REG_ARCH_ARM64 | VCPU_REG_ARM64_CLASS(1)))
		return (id & 0xffff) < EL2_FP_NR_V_IDS;
	return id == EL2_FP_ID_FPSR || id == EL2_FP_ID_FPCR;
}

int vcpu_el2_fp_get_reg(struct vcpu *vcpu, u64 id, u64 *value)
{
	const struct vcpu_el2_fp_regs *r = &to_el2(vcpu)->fp.regs;
	unsigned int i = id & 0xffff;

	switch (id) {
	case EL2_FP_ID_FPSR:
		*value = r->fpsr;
		return 0;
	case EL2_FP_ID_FPCR:
		*value = r->fpcr;
		return 0;
	}
	if (!vcpu_el2_fp_owns_reg(id))
		return -ENOENT;
	*value = (u64)(r->v[i >> 1] >> ((i & 1) * 64));
	return 0;
}

int vcpu_el2_fp_set_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	struct vcpu_el2_fp_regs *r = &to_el2(vcpu)->fp.regs;
	unsigned int i = id & 0xffff, shift = (i & 1) * 64;

	switch (id) {
	case EL2_FP_ID_FPSR:
		if (value & ~EL2_FP_FPSR_MASK)
			return -EINVAL;
		r->fpsr = value;
		return 0;
	case EL2_FP_ID_FPCR:
		if (value & ~EL2_FP_FPCR_MASK)
			return -EINVAL;
		r->fpcr = value;
		return 0;
	}
	if (!vcpu_el2_fp_owns_reg(id))
		return -ENOENT;
	r->v[i >> 1] &= ~((__uint128_t)U64_MAX << shift);
	r->v[i >> 1] |= (__uint128_t)value << shift;
	return 0;
}

unsigned int vcpu_el2_fp_reg_list(u64 *ids, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < EL2_FP_NR_V_IDS; i++, n++)
		if (n < max)
			ids[n] = VCPU_REG_ARM64_V(i >> 1, i & 1);
	if (n < max)
		ids[n] = EL2_FP_ID_FPSR;
	if (++n < max)
		ids[n] = EL2_FP_ID_FPCR;
	return n + 1;
}
