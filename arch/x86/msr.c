// SPDX-License-Identifier: GPL-2.0
/*
 * Which guest MSR accesses exit, and to whom.  The backends build their
 * permission bitmaps (SVM MSRPM, VMX MSR bitmap; one copy for all vCPUs)
 * from vcpu_x86_msr_passthrough(); vcpu_x86_exit_msr() answers the
 * "kernel" entries (with the vendor's vcpu_svm_x86_msr()/vcpu_vmx_x86_msr() and
 * vcpu_x86_efer_write()) and sends every other intercepted access to
 * userspace.  vcpu_x86_msr_policy() states the
 * whole table, which the host unit tests pin.  Pure logic.
 *
 *   pass-through  the MSR lives in the VMCB/VMCS guest state or is
 *                 switched at every entry, so the guest owns it:
 *                 SVM: FS_BASE, GS_BASE, KERNEL_GS_BASE, STAR, LSTAR,
 *                 CSTAR, SFMASK, SYSENTER_CS/ESP/EIP (VMLOAD/VMSAVE)
 *                 VMX: FS_BASE, GS_BASE, SYSENTER_CS/ESP/EIP (VMCS),
 *                 KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK (switched
 *                 by vcpu_vmx_vcpu_load/put(): the host's SYSCALL
 *                 entry must never be the guest's)
 *   kernel        EFER (emulated: the hypervisor's bits stay hidden),
 *                 TSC_AUX (kept per vCPU, switched around the world
 *                 switch: vcpu_x86_tsc_aux_enter()),
 *                 writes to the x2APIC ICR (SEND_IPI / CPU_UP, apic.c),
 *                 DEBUGCTL (debugreg.c: VMX loads it at entry, SVM
 *                 keeps it), VMX: PAT (kept in the VMCS)
 *   exit          everything else: SYSREG_READ / SYSREG_WRITE, the VMM
 *                 decides
 */
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/array_size.h>
#include <linux/types.h>

#include "apic.h"

#define MSR_EFER_NR		0xc0000080
#define MSR_STAR_NR		0xc0000081
#define MSR_LSTAR_NR		0xc0000082
#define MSR_CSTAR_NR		0xc0000083
#define MSR_SFMASK_NR		0xc0000084
#define MSR_FS_BASE_NR		0xc0000100
#define MSR_GS_BASE_NR		0xc0000101
#define MSR_KERNEL_GS_BASE_NR	0xc0000102
#define MSR_TSC_AUX_NR		0xc0000103
#define MSR_SYSENTER_CS_NR	0x174
#define MSR_SYSENTER_ESP_NR	0x175
#define MSR_SYSENTER_EIP_NR	0x176
#define MSR_PAT_NR		0x277
#define MSR_DEBUGCTL_NR		0x1d9
#define EFER_LMA_BIT		(1ULL << 10)

static const u32 vcpu_x86_msr_pass_svm[] = {
	MSR_FS_BASE_NR, MSR_GS_BASE_NR, MSR_KERNEL_GS_BASE_NR,
	MSR_STAR_NR, MSR_LSTAR_NR, MSR_CSTAR_NR, MSR_SFMASK_NR,
	MSR_SYSENTER_CS_NR, MSR_SYSENTER_ESP_NR, MSR_SYSENTER_EIP_NR,
};

static const u32 vcpu_x86_msr_pass_vmx[] = {
	MSR_FS_BASE_NR, MSR_GS_BASE_NR, MSR_KERNEL_GS_BASE_NR,
	MSR_STAR_NR, MSR_LSTAR_NR, MSR_CSTAR_NR, MSR_SFMASK_NR,
	MSR_SYSENTER_CS_NR, MSR_SYSENTER_ESP_NR, MSR_SYSENTER_EIP_NR,
};

const u32 *vcpu_x86_msr_passthrough(enum vcpu_x86_vendor v, unsigned int *n)
{
	if (v == VCPU_X86_SVM) {
		*n = ARRAY_SIZE(vcpu_x86_msr_pass_svm);
		return vcpu_x86_msr_pass_svm;
	}
	*n = ARRAY_SIZE(vcpu_x86_msr_pass_vmx);
	return vcpu_x86_msr_pass_vmx;
}

enum vcpu_x86_msr_policy vcpu_x86_msr_policy(enum vcpu_x86_vendor v, u32 msr)
{
	const u32 *pass;
	unsigned int i, n;

	pass = vcpu_x86_msr_passthrough(v, &n);
	for (i = 0; i < n; i++)
		if (pass[i] == msr)
			return VCPU_X86_MSR_PASS;
	if (msr == MSR_EFER_NR || msr == VCPU_X86_MSR_X2APIC_ICR ||
	    msr == MSR_TSC_AUX_NR ||
	    msr == MSR_DEBUGCTL_NR ||
	    (v == VCPU_X86_VMX && msr == MSR_PAT_NR))
		return VCPU_X86_MSR_KERNEL;
	return VCPU_X86_MSR_EXIT;
}

int vcpu_x86_efer_write(u64 efer, u64 value, u64 allowed, u64 *result)
{
	if (value & ~allowed)
		return -EINVAL;
	/* LMA is the processor's: it follows LME once paging is on. */
	*result = (value & ~EFER_LMA_BIT) | (efer & EFER_LMA_BIT);
	return 0;
}
