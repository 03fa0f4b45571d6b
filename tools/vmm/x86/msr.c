// SPDX-License-Identifier: GPL-2.0
/*
 * The MSRs that reach the VMM (the module keeps the ones the hardware
 * switches): the local APIC and kvmclock have their own files; the rest
 * is the small set a PC without those features answers.  An MSR nobody
 * here knows keeps what the guest last wrote (reads 0 before that) and
 * is counted as unclaimed (vcpuctl's summary; --trace names it):
 * Linux probes model-specific MSRs with rdmsr_safe() and copes with 0,
 * and a register that reads back what was written (AMD's DE_CFG, for
 * one) is what it checks.
 */
#include <stdlib.h>

#include "x86.h"

#define MSR_MTRRCAP		0xfe
#define MSR_MTRR_DEF_TYPE	0x2ff
#define STORE_SLOTS		32

struct msr_store {
	uint32_t index[STORE_SLOTS];
	uint64_t value[STORE_SLOTS];
	unsigned int n;
};

/* Per vCPU, touched only by its own thread: no lock. */
static __thread struct msr_store *store;

static uint64_t *slot(uint64_t msr, bool create)
{
	unsigned int i;

	if (!store) {
		store = calloc(1, sizeof(*store));
		if (!store)
			return NULL;
	}
	for (i = 0; i < store->n; i++)
		if (store->index[i] == msr)
			return &store->value[i];
	if (!create || store->n == STORE_SLOTS)
		return NULL;
	store->index[store->n] = msr;
	store->value[store->n] = 0;
	return &store->value[store->n++];
}

bool x86_msr_read(struct vmm_vcpu *vcpu, uint64_t msr, uint64_t *val)
{
	uint64_t *p;

	if (x86_lapic_rdmsr(vcpu, msr, val) || x86_pvclock_rdmsr(vcpu, msr, val))
		return true;
	switch (msr) {
	case MSR_MTRRCAP:
		*val = 0;		/* no fixed or variable ranges, no WC */
		return true;
	case MSR_MTRR_DEF_TYPE:
		p = slot(msr, false);
		*val = p ? *p : 0x806;	/* enabled, default write-back */
		return true;
	}
	p = slot(msr, false);
	*val = p ? *p : 0;
	return p != NULL;
}

bool x86_msr_write(struct vmm_vcpu *vcpu, uint64_t msr, uint64_t val)
{
	uint64_t *p;

	if (x86_lapic_wrmsr(vcpu, msr, val) || x86_pvclock_wrmsr(vcpu, msr, val))
		return true;
	p = slot(msr, true);
	if (p)
		*p = val;
	return msr == MSR_MTRR_DEF_TYPE;
}
