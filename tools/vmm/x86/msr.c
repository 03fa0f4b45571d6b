// SPDX-License-Identifier: GPL-2.0
/*
 * The MSRs that reach the VMM (the module keeps the ones the hardware
 * switches): the local APIC and kvmclock have their own files; the rest
 * is what a PC without those features answers.  A few registers keep
 * what the guest writes (Linux reads them back: MTRRdefType, Intel's
 * MISC_ENABLE, AMD's DE_CFG); any other MSR reads as zero and ignores
 * writes, counted as unclaimed (vcpuctl's summary; --trace names each).
 * Zero is what Linux expects of a model-specific register it probes, and
 * a write that does not stick is how it finds no PMU ("Broken PMU
 * hardware detected, using software events only"): a register that
 * remembered values without counting would look like a PMU that never
 * fires.
 */
#include <stdlib.h>

#include "x86.h"

#define MSR_MTRRCAP		0xfe
#define MSR_PAT			0x277
#define MSR_MISC_ENABLE		0x1a0
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MSR_AMD64_DE_CFG	0xc0011029

static const uint32_t kept_msrs[] = { MSR_MTRR_DEF_TYPE, MSR_MISC_ENABLE, MSR_AMD64_DE_CFG };
#define KEPT_NR			(sizeof(kept_msrs) / sizeof(kept_msrs[0]))

/* Per vCPU (the thread that handles its exits): no lock. */
static __thread uint64_t kept_val[KEPT_NR];
static __thread uint8_t kept_set[KEPT_NR];

static int kept(uint64_t msr)
{
	unsigned int i;

	for (i = 0; i < KEPT_NR; i++)
		if (kept_msrs[i] == msr)
			return i;
	return -1;
}

bool x86_msr_read(struct vmm_vcpu *vcpu, uint64_t msr, uint64_t *val)
{
	int k;

	if (x86_lapic_rdmsr(vcpu, msr, val) || x86_pvclock_rdmsr(vcpu, msr, val))
		return true;
	if (msr == MSR_MTRRCAP) {
		*val = 0;		/* no fixed or variable ranges, no WC */
		return true;
	}
	/*
	 * PAT: the module keeps the guest's (VCPU_REG_X86_MSR) but on SVM
	 * its accesses exit: answer from the kept one, so the guest's PAT
	 * is the one the hardware applies (Linux turns PAT off if it reads 0).
	 */
	if (msr == MSR_PAT)
		return !vmm_get_one_reg(vcpu, VCPU_REG_X86_MSR(MSR_PAT), val);
	k = kept(msr);
	if (k < 0) {
		*val = 0;
		return false;
	}
	if (kept_set[k])
		*val = kept_val[k];
	else
		*val = msr == MSR_MTRR_DEF_TYPE ? 0x806 : 0;	/* enabled, WB */
	return true;
}

bool x86_msr_write(struct vmm_vcpu *vcpu, uint64_t msr, uint64_t val)
{
	int k;

	if (x86_lapic_wrmsr(vcpu, msr, val) || x86_pvclock_wrmsr(vcpu, msr, val))
		return true;
	if (msr == MSR_PAT)	/* a value the hardware refuses: EINVAL, ignored */
		return !vmm_set_one_reg(vcpu, VCPU_REG_X86_MSR(MSR_PAT), val);
	k = kept(msr);
	if (k < 0)
		return false;
	kept_val[k] = val;
	kept_set[k] = 1;
	return true;
}
