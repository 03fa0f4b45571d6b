/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM world switch.
 *
 * void vcpu_svm_vmenter(u64 *gprs, u64 vmcb_pa, u64 host_vmsave_pa)
 *
 * Called with interrupts disabled and GIF clear (CLGI).  gprs[] holds the
 * guest's general registers in hardware order (RAX and RSP are unused:
 * those two live in the VMCB).  VMRUN saves the host's RSP, RIP, RAX,
 * RFLAGS, control and segment registers in the host save area and
 * restores them at #VMEXIT; everything else (the callee-saved registers
 * included) comes back holding guest values, so they are kept on the
 * stack here.  VMLOAD/VMSAVE switch the state VMRUN does not: FS, GS, TR,
 * LDTR with their hidden parts, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK and
 * the SYSENTER MSRs.  Between the guest VMLOAD and the host VMLOAD the
 * kernel's GS base is the guest's: no C code, no per-CPU access there.
 *
 * STI before VMRUN: with GIF clear no interrupt is taken in the host, but
 * a physical interrupt arriving while the guest runs then exits to the
 * host (INTR intercept) and stays pending until the caller sets GIF again
 * and enables interrupts, which services it at once, as KVM does.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "../vmenter_gprs.S"


SYM_FUNC_START(vcpu_svm_vmenter)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx

	/* 16(%rsp) gprs, 8(%rsp) host vmsave area, 0(%rsp) VMCB */
	push	%rdi
	push	%rdx
	push	%rsi

	mov	%rdx, %rax
	vmsave	%rax
	mov	%rsi, %rax
	vmload	%rax

	VCPU_X86_LOAD_GPRS %rdi
	mov	GPR(7)(%rdi), %rdi

	mov	(%rsp), %rax
	sti
	vmrun	%rax
	cli

	/* Host RSP and RAX are back; the other registers are the guest's. */
	push	%rdi
	mov	24(%rsp), %rdi
	VCPU_X86_STORE_GPRS %rdi
	pop	GPR(7)(%rdi)

	mov	(%rsp), %rax
	vmsave	%rax
	mov	8(%rsp), %rax
	vmload	%rax

	/*
	 * The guest may have filled the return stack buffer with its own
	 * targets: refill it before the first RET, and untrain RET for
	 * RETBleed/SRSO, as the kernel's own SVM entry code does.
	 */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT
	UNTRAIN_RET
	ALTERNATIVE "", "call entry_ibpb", X86_FEATURE_IBPB_ON_VMEXIT

	VCPU_X86_CLEAR_GPRS

	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(vcpu_svm_vmenter)
