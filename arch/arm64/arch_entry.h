/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What arm64 does around every guest entry (module/entry.h), inline on the
 * hot path: preemption off, so that the CPU checks and the EL2 state
 * loaded for the guest stay on this CPU; for a vCPU that uses FP/SIMD,
 * the CPU's FP/SIMD registers taken from the task first (el2_fp.c:
 * kernel_neon_begin() needs interrupts on, so it cannot wait for the
 * world switch).
 */
#ifndef VCPU_ARM64_ARCH_ENTRY_H
#define VCPU_ARM64_ARCH_ENTRY_H

#include <linux/preempt.h>

struct vcpu;

/* el2_fp.c */
void vcpu_el2_fp_entry_begin(struct vcpu *vcpu);
void vcpu_el2_fp_entry_end(struct vcpu *vcpu);
void vcpu_el2_fp_run_end(struct vcpu *vcpu);

static __always_inline void vcpu_arch_entry_begin(struct vcpu *vcpu)
{
	vcpu_el2_fp_entry_begin(vcpu);
	preempt_disable();
}

static __always_inline void vcpu_arch_entry_end(struct vcpu *vcpu)
{
	preempt_enable();
	vcpu_el2_fp_entry_end(vcpu);
}

/*
 * Around a RUN: nothing to load (the guest's FP/SIMD registers go in and
 * out with each entry); at its end the vCPU is no longer an FP/SIMD user
 * until its next trap (el2_fp.c).
 */
static inline void vcpu_arch_run_begin(struct vcpu *vcpu)
{
}

static inline void vcpu_arch_run_end(struct vcpu *vcpu)
{
	vcpu_el2_fp_run_end(vcpu);
}

#endif /* VCPU_ARM64_ARCH_ENTRY_H */
