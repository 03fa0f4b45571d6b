// SPDX-License-Identifier: GPL-2.0
/*
 * The stage-2 translation of a VM: 4 KiB granule, a 39-bit IPA space
 * walked from level 1 (three levels of 512 entries, so the generic builder
 * in module/pgtable.c fits it as is), inner-shareable write-back walks.
 *
 * Memory attributes: with FEAT_S2FWB (HCR_EL2.FWB) a leaf forces Normal
 * write-back whatever the guest's stage 1 says, so the guest's view stays
 * coherent with the VMM's cacheable mapping of the same pages.  Without it
 * the guest runs with HCR_EL2.DC, which makes its MMU-off accesses (the
 * only mode the ABI offers) Normal write-back as well; see el2.c.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <asm/cpufeature.h>
#include <asm/kvm_arm.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>

#include "el2.h"

#define EL2_S2_IPA_BITS		39
#define EL2_S2_LEVELS		3

/* Stage-2 leaf permissions: S2AP[1:0] (bits 7:6) and XN[1] (bit 54). */
#define EL2_S2_AP_R		BIT_ULL(6)
#define EL2_S2_AP_W		BIT_ULL(7)
#define EL2_S2_XN		BIT_ULL(54)

static bool vcpu_el2_s2_fwb;
static unsigned int vcpu_el2_pa_bits;

static u64 vcpu_el2_s2_table_entry(u64 pa)
{
	return pa | PMD_TYPE_TABLE;
}

static u64 vcpu_el2_s2_leaf_entry(u64 pa, unsigned int prot)
{
	u64 e = pa | PTE_TYPE_PAGE | PTE_AF | PTE_SHARED | EL2_S2_AP_R;

	e |= vcpu_el2_s2_fwb ? PTE_S2_MEMATTR(MT_S2_FWB_NORMAL) :
			       PTE_S2_MEMATTR(MT_S2_NORMAL);
	if (prot & VCPU_PT_WRITE)
		e |= EL2_S2_AP_W;
	if (!(prot & VCPU_PT_EXEC))
		e |= EL2_S2_XN;
	return e;
}

static bool vcpu_el2_s2_present(u64 e)
{
	return e & PTE_VALID;
}

static unsigned int vcpu_el2_s2_leaf_prot(u64 e)
{
	unsigned int prot = VCPU_PT_READ;

	if (e & EL2_S2_AP_W)
		prot |= VCPU_PT_WRITE;
	if (!(e & EL2_S2_XN))
		prot |= VCPU_PT_EXEC;
	return prot;
}

static const struct vcpu_pt_format vcpu_el2_s2 = {
	.levels = EL2_S2_LEVELS,
	.addr_mask = GENMASK_ULL(47, 12),
	.table_entry = vcpu_el2_s2_table_entry,
	.leaf_entry = vcpu_el2_s2_leaf_entry,
	.present = vcpu_el2_s2_present,
	.leaf_prot = vcpu_el2_s2_leaf_prot,
};

const struct vcpu_pt_format *vcpu_el2_s2_format(void)
{
	return &vcpu_el2_s2;
}

u64 vcpu_el2_s2_max_gpa(void)
{
	return min(BIT_ULL(EL2_S2_IPA_BITS), BIT_ULL(vcpu_el2_pa_bits));
}

/* PARange encodings of ID_AA64MMFR0_EL1 and VTCR_EL2.PS. */
static const u8 vcpu_el2_parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

/* Read the CPU's limits; compute VTCR_EL2 and the HCR_EL2 memory bits. */
int vcpu_el2_s2_init(void)
{
	u64 mmfr0 = read_sysreg_s(SYS_ID_AA64MMFR0_EL1);
	u64 mmfr1 = read_sysreg_s(SYS_ID_AA64MMFR1_EL1);
	u64 mmfr2 = read_sysreg_s(SYS_ID_AA64MMFR2_EL1);
	unsigned int parange = (mmfr0 >> ID_AA64MMFR0_EL1_PARANGE_SHIFT) & 0xf;
	unsigned int vmidbits;

	/* Our stage-2 output addresses stop at 48 bits (no LPA). */
	if (parange > 5)
		parange = 5;
	if (parange < 2) {
		pr_err("the CPU's physical address range (%u bits) is below the 40 bits stage 2 needs here\n",
		       vcpu_el2_parange_bits[parange]);
		return -ENODEV;
	}
	vcpu_el2_pa_bits = vcpu_el2_parange_bits[parange];

	vmidbits = (mmfr1 & ID_AA64MMFR1_EL1_VMIDBits_MASK) >>
		   ID_AA64MMFR1_EL1_VMIDBits_SHIFT;
	vcpu_el2_max_vmid = vmidbits == ID_AA64MMFR1_EL1_VMIDBits_16 ? 0xffff :
								       0xff;

	/* SL0 = 1: with a 4 KiB granule, the walk starts at level 1. */
	vcpu_el2_vtcr = VTCR_EL2_RES1 | VTCR_EL2_T0SZ(EL2_S2_IPA_BITS) |
			(1 << VTCR_EL2_SL0_SHIFT) | VTCR_EL2_IRGN0_WBWA |
			VTCR_EL2_ORGN0_WBWA | VTCR_EL2_SH0_INNER |
			VTCR_EL2_TG0_4K | ((u64)parange << VTCR_EL2_PS_SHIFT) |
			(vcpu_el2_max_vmid == 0xffff ? VTCR_EL2_VS_16BIT : 0);

	vcpu_el2_s2_fwb = (mmfr2 & ID_AA64MMFR2_EL1_FWB_MASK) != 0;
	vcpu_el2_hcr_guest |= vcpu_el2_s2_fwb ? HCR_FWB : HCR_DC;
	return 0;
}
