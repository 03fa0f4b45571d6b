// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's extended state (x87, SSE, AVX and whatever else XSAVE
 * holds), XCR0 and PKRU: the x86 policy, whichever the vendor.
 *
 * The registers are kept in a guest fpstate of the kernel's
 * (fpu_alloc_guest_fpstate()), the one KVM uses: for the length of a RUN
 * (vcpu_arch_run_begin() to vcpu_arch_run_end()) it is the task's
 * fpstate, so that a context switch, a migration of the task or a
 * softirq's kernel_fpu_begin() saves the guest's registers into it and
 * the next entry loads them back (vcpu_x86_fpu_enter()).  Outside a RUN
 * the task's own state is back in the registers and the guest's is in
 * memory, where GET_XSAVE/SET_XSAVE read and write it, from whichever
 * thread or process holds the vCPU fd.  Nothing of one guest, task or
 * VM stays in the registers for another: each swap saves one and loads
 * the other, whole.
 *
 * XCR0 and PKRU are switched around every world switch with interrupts
 * off (vcpu_x86.h), and only when the guest's differ from the host's.
 */
#include <linux/string.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/xstate.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "arch.h"
#include "vcpu_x86.h"
#include "xcr0.h"

/* The host's XCR0, read at module load (the same on every CPU). */
u64 vcpu_x86_host_xcr0 = VCPU_XCR0_RESET;

void vcpu_x86_fpu_init(void)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		vcpu_x86_host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
}

int vcpu_x86_fpu_create(struct vcpu_x86 *x86)
{
	/* The architectural reset state: FCW 0x37f, MXCSR 0x1f80, zeros. */
	if (!fpu_alloc_guest_fpstate(&x86->gfpu))
		return -ENOMEM;
	x86->xcr0 = VCPU_XCR0_RESET;
	x86->pkru = 0;
	return 0;
}

/*
 * What the host saves for every task, without the components that need a
 * permission and a larger buffer (AMX tile data and its configuration):
 * neither AMX nor XFD is offered.  A host without XSAVE: the reset value.
 * The CPUID table narrows it (vcpu_x86_cpuid_xcr0_max()).
 */
u64 vcpu_x86_fpu_xcr0_supported(struct vcpu_x86 *x86)
{
	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return VCPU_XCR0_RESET;
	return x86->gfpu.fpstate->user_xfeatures & vcpu_x86_host_xcr0 &
	       ~XFEATURE_MASK_XTILE;
}

/* Never while in use: the vCPU is destroyed with no ioctl in progress. */
void vcpu_x86_fpu_free(struct vcpu_x86 *x86)
{
	fpu_free_guest_fpstate(&x86->gfpu);
}

/*
 * Around a RUN (or a bench floor), preemptible, after the task was pinned
 * to the bound CPU: the task's registers saved and the guest's loaded,
 * and back.  Every path out of the run loop goes through the end, so the
 * task never returns to user mode with the guest's fpstate.
 */
void vcpu_arch_run_begin(struct vcpu *vcpu)
{
	fpu_swap_kvm_fpstate(&to_x86(vcpu)->gfpu, true);
}

void vcpu_arch_run_end(struct vcpu *vcpu)
{
	fpu_swap_kvm_fpstate(&to_x86(vcpu)->gfpu, false);
}


/*
 * XSETBV (SDM Vol. 2): #UD with the guest's CR4.OSXSAVE clear; #GP(0) at
 * CPL > 0, for an XCR other than XCR0 (ECX), or a value XCR0 may not hold
 * (xcr0.h).  VMX checks the #UD and the CPL before its exit, SVM's
 * intercept may come first: both are checked here.  The new XCR0 reaches
 * the CPU at the next entry.
 */
void vcpu_x86_exit_xsetbv(struct vcpu *vcpu, unsigned int len,
			  struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_sregs s;
	u64 value = (u32)x86->gprs[VCPU_REG_RAX] |
		    ((u64)(u32)x86->gprs[VCPU_REG_RDX] << 32);

	exit->exit_reason = VCPU_EXIT_NOTHING;
	vcpu_x86_call(vcpu, get_sregs, &s);
	if (!(s.cr4 & X86_CR4_OSXSAVE)) {
		vcpu_x86_call(vcpu, inject_exception, X86_TRAP_UD, false, 0);
		return;
	}
	if (vcpu_x86_call(vcpu, cpl) || (u32)x86->gprs[VCPU_REG_RCX] ||
	    !vcpu_x86_xcr0_valid(value, x86->xcr0_max)) {
		vcpu_x86_call(vcpu, inject_exception, X86_TRAP_GP, true, 0);
		return;
	}
	x86->xcr0 = value;
	vcpu_x86_skip(vcpu, len);
}

int vcpu_x86_get_xcr0(struct vcpu *vcpu, u64 *value)
{
	*value = to_x86(vcpu)->xcr0;
	return 0;
}

/* As XSETBV would take it, whatever the guest's CR4 and CPL. */
int vcpu_x86_set_xcr0(struct vcpu *vcpu, u64 value)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);

	if (!vcpu_x86_xcr0_valid(value, x86->xcr0_max))
		return -EINVAL;
	x86->xcr0 = value;
	return 0;
}

/* The components a save may hold: x87 and SSE always (KVM's rule too). */
static u64 vcpu_x86_xsave_features(struct vcpu_x86 *x86)
{
	return x86->xcr0_max | XFEATURE_MASK_FPSSE;
}

/*
 * The standard (non-compacted) layout of XSAVE, as KVM_GET_XSAVE has it:
 * the legacy area, the header with XSTATE_BV, every component at its
 * CPUID offset.  Outside a RUN the fpstate is up to date (the swap at its
 * end saved it).
 */
int vcpu_x86_get_xsave(struct vcpu *vcpu, struct vcpu_xsave *xsave)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);

	memset(xsave, 0, sizeof(*xsave));
	fpu_copy_guest_fpstate_to_uabi(&x86->gfpu, xsave->region,
				       sizeof(xsave->region),
				       vcpu_x86_xsave_features(x86), x86->pkru);
	return 0;
}

/* MXCSR, in the legacy area; bits 31:16 are reserved on every CPU. */
#define VCPU_XSAVE_MXCSR	6	/* byte 24, in 32-bit words */
#define VCPU_MXCSR_RESERVED	0xffff0000U

/*
 * The kernel checks the header (XSTATE_BV within what the vCPU may hold,
 * XCOMP_BV and the reserved bytes zero) and MXCSR against the CPU's mask
 * when a component that uses it is present; MXCSR's always-reserved bits
 * are checked here whatever XSTATE_BV says.  Nothing changes on EINVAL.
 */
int vcpu_x86_set_xsave(struct vcpu *vcpu, const struct vcpu_xsave *xsave)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	u32 pkru = x86->pkru;
	int ret;

	if (xsave->region[VCPU_XSAVE_MXCSR] & VCPU_MXCSR_RESERVED)
		return -EINVAL;
	ret = fpu_copy_uabi_to_guest_fpstate(&x86->gfpu, xsave->region,
					     vcpu_x86_xsave_features(x86),
					     &pkru);
	if (ret)
		return ret;
	x86->pkru = pkru;
	return 0;
}
