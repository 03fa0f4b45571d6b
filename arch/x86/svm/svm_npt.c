// SPDX-License-Identifier: GPL-2.0
/*
 * AMD nested page tables: the host's own x86-64 page-table format, with
 * as many levels as the host uses (5 with LA57).  Nested walks are user
 * accesses, so every entry carries U/S.  Leaf PAT/PCD/PWT bits are zero:
 * write-back, combined with the guest's own PAT.
 */
#include <asm/pgtable.h>
#include <asm/pgtable_types.h>

#include "svm.h"

#define SVM_NPT_ADDR_MASK	GENMASK_ULL(51, 12)

static u64 vcpu_svm_npt_table_entry(u64 pa)
{
	return pa | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
}

static u64 vcpu_svm_npt_leaf_entry(u64 pa, unsigned int prot)
{
	u64 e = pa | _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED |
		_PAGE_DIRTY;

	if (prot & VCPU_PT_WRITE)
		e |= _PAGE_RW;
	if (!(prot & VCPU_PT_EXEC))
		e |= _PAGE_NX;
	return e;
}

static bool vcpu_svm_npt_present(u64 e)
{
	return e & _PAGE_PRESENT;
}

static unsigned int vcpu_svm_npt_leaf_prot(u64 e)
{
	unsigned int prot = VCPU_PT_READ;

	if (e & _PAGE_RW)
		prot |= VCPU_PT_WRITE;
	if (!(e & _PAGE_NX))
		prot |= VCPU_PT_EXEC;
	return prot;
}

static struct vcpu_pt_format vcpu_svm_npt = {
	.addr_mask = SVM_NPT_ADDR_MASK,
	.table_entry = vcpu_svm_npt_table_entry,
	.leaf_entry = vcpu_svm_npt_leaf_entry,
	.present = vcpu_svm_npt_present,
	.leaf_prot = vcpu_svm_npt_leaf_prot,
};

const struct vcpu_pt_format *vcpu_svm_npt_format(void)
{
	/* The nested walk uses the host's paging mode. */
	vcpu_svm_npt.levels = pgtable_l5_enabled() ? 5 : 4;
	return &vcpu_svm_npt;
}

u64 vcpu_svm_npt_max_gpa(void)
{
	return min(1ULL << boot_cpu_data.x86_phys_bits,
		   vcpu_pt_limit(vcpu_svm_npt_format()));
}
