// SPDX-License-Identifier: GPL-2.0
/*
 * Intel EPT: a 4-level table whose entries carry read/write/execute
 * permissions instead of present/user bits, and a memory type in leaves
 * (write-back, combined with the guest's PAT).
 */
#include <linux/io.h>
#include <asm/mtrr.h>

#include "vmx.h"
#include "vmx_insn.h"

#define VMX_EPT_ADDR_MASK	GENMASK_ULL(51, 12)
#define VMX_EPT_LEVELS		4

static u64 vcpu_vmx_ept_table_entry(u64 pa)
{
	return pa | VMX_EPT_RWX_MASK;
}

static u64 vcpu_vmx_ept_leaf_entry(u64 pa, unsigned int prot)
{
	u64 e = pa | ((u64)MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT);

	if (prot & VCPU_PT_READ)
		e |= VMX_EPT_READABLE_MASK;
	if (prot & VCPU_PT_WRITE)
		e |= VMX_EPT_WRITABLE_MASK;
	if (prot & VCPU_PT_EXEC)
		e |= VMX_EPT_EXECUTABLE_MASK;
	return e;
}

static bool vcpu_vmx_ept_present(u64 e)
{
	return e & VMX_EPT_RWX_MASK;
}

static unsigned int vcpu_vmx_ept_leaf_prot(u64 e)
{
	unsigned int prot = 0;

	if (e & VMX_EPT_READABLE_MASK)
		prot |= VCPU_PT_READ;
	if (e & VMX_EPT_WRITABLE_MASK)
		prot |= VCPU_PT_WRITE;
	if (e & VMX_EPT_EXECUTABLE_MASK)
		prot |= VCPU_PT_EXEC;
	return prot;
}

static const struct vcpu_pt_format vcpu_vmx_ept = {
	.levels = VMX_EPT_LEVELS,
	.addr_mask = VMX_EPT_ADDR_MASK,
	.table_entry = vcpu_vmx_ept_table_entry,
	.leaf_entry = vcpu_vmx_ept_leaf_entry,
	.present = vcpu_vmx_ept_present,
	.leaf_prot = vcpu_vmx_ept_leaf_prot,
};

const struct vcpu_pt_format *vcpu_vmx_ept_format(void)
{
	return &vcpu_vmx_ept;
}

u64 vcpu_vmx_ept_max_gpa(void)
{
	return min(1ULL << boot_cpu_data.x86_phys_bits,
		   vcpu_pt_limit(&vcpu_vmx_ept));
}

u64 vcpu_vmx_eptp(struct vcpu_vm *vm)
{
	return vm->pt.root_pa | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4;
}

/*
 * Drop the guest-physical translations of @vm cached on this CPU: after a
 * mapping was removed or made read-only, and when an EPTP is first used.
 */
void vcpu_vmx_ept_flush(struct vcpu_vm *vm)
{
	if (vcpu_vmx_caps.invept_context)
		vcpu_vmx_invept(VMX_EPT_EXTENT_CONTEXT, vcpu_vmx_eptp(vm));
	else
		vcpu_vmx_invept(VMX_EPT_EXTENT_GLOBAL, 0);
}
