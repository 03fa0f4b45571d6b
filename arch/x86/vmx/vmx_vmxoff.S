/* SPDX-License-Identifier: GPL-2.0 */
/*
 * void vcpu_vmx_vmxoff_fault_ok(void)
 *
 * VMXOFF where VMX operation is not certain (the emergency path: CR4.VMXE
 * is set a few instructions before VMXON, and cleared just after VMXOFF):
 * the #UD it raises outside VMX operation is fixed up to a plain return.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

SYM_FUNC_START(vcpu_vmx_vmxoff_fault_ok)
1:	vmxoff
2:	RET
	_ASM_EXTABLE(1b, 2b)
SYM_FUNC_END(vcpu_vmx_vmxoff_fault_ok)
