/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM world switch.
 *
 * int vcpu_svm_vmenter(u64 *gprs, u64 vmcb_pa, u64 host_vmsave_pa)
 *
 * Called with GIF clear (CLGI) and RFLAGS.IF set by the caller, in C
 * (vcpu_svm_enter()): with GIF clear no interrupt is taken in the host,
 * and a physical interrupt arriving while the guest runs exits to the
 * host (INTR intercept) and stays pending until the caller clears IF and
 * sets GIF again.  IF is not set here with STI: VMRUN would then execute
 * in STI's interrupt shadow, which AMD processors carry into the guest
 * state (the guest's first instruction would run with interrupts
 * inhibited, and an injected event could be held back).
 *
 * gprs[] holds the guest's general registers in hardware order (RAX and
 * RSP are unused: those two live in the VMCB).  VMRUN saves the host's
 * RSP, RIP, RAX, RFLAGS, control and segment registers in the host save
 * area and restores them at #VMEXIT; everything else (the callee-saved
 * registers included) comes back holding guest values, so they are kept
 * on the stack here.  VMLOAD/VMSAVE switch the state VMRUN does not: FS,
 * GS, TR, LDTR with their hidden parts, KernelGSBase, STAR/LSTAR/CSTAR/
 * SFMASK and the SYSENTER MSRs.  Between the guest VMLOAD and the host
 * VMLOAD the kernel's GS base is the guest's: no C code, no per-CPU
 * access there.
 *
 * Returns 0 after a #VMEXIT, 1 when VMSAVE, VMLOAD or VMRUN faulted (the
 * exception table below): the guest never ran and gprs[] is unchanged.
 * These instructions fault only when EFER.SVME is clear (something turned
 * SVM off under this module) or on a bad physical address (a bug): either
 * way the caller reports a failed entry instead of the kernel oopsing.
 * No emulator here makes them fault; it is written for hardware.
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
1:	vmsave	%rax
	mov	%rsi, %rax
2:	vmload	%rax

	VCPU_X86_LOAD_GPRS %rdi
	mov	GPR(7)(%rdi), %rdi

	/*
	 * Clear the CPU's buffers when the host asks for it before a guest
	 * runs (TSA: X86_FEATURE_CLEAR_CPU_BUF_VM; VERW, no register used).
	 */
	VM_CLEAR_CPU_BUFFERS

	mov	(%rsp), %rax
3:	vmrun	%rax

	/* Host RSP and RAX are back; the other registers are the guest's. */
	push	%rdi
	mov	24(%rsp), %rdi
	VCPU_X86_STORE_GPRS %rdi
	pop	GPR(7)(%rdi)

	mov	(%rsp), %rax
4:	vmsave	%rax
	mov	8(%rsp), %rax
5:	vmload	%rax
6:

	/*
	 * The guest may have filled the return stack buffer with its own
	 * targets: refill it before the first RET, and untrain RET for
	 * RETBleed/SRSO, as the kernel's own SVM entry code does.
	 */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT
	UNTRAIN_RET
	ALTERNATIVE "", "call entry_ibpb", X86_FEATURE_IBPB_ON_VMEXIT

	VCPU_X86_CLEAR_GPRS
	xor	%eax, %eax

.Lout:
	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET

	/*
	 * VMSAVE, VMLOAD or VMRUN faulted.  Before VMRUN (1, 2) the host's
	 * state is intact but for a guest VMLOAD that did happen: load the
	 * host's again (it faults too if SVM is off; then nothing more can
	 * be done).  A faulting VMRUN (3) switched nothing, so only the
	 * general registers hold guest values: clear them.  The guest
	 * VMSAVE or host VMLOAD after a #VMEXIT (4, 5) cannot fault unless
	 * SVM was turned off while the guest ran: carry on at 6.
	 */
.Lfault:
	mov	8(%rsp), %rax
7:	vmload	%rax
8:	VCPU_X86_CLEAR_GPRS
	mov	$1, %eax
	jmp	.Lout

	_ASM_EXTABLE(1b, .Lfault)
	_ASM_EXTABLE(2b, .Lfault)
	_ASM_EXTABLE(3b, .Lfault)
	_ASM_EXTABLE(4b, 6b)
	_ASM_EXTABLE(5b, 6b)
	_ASM_EXTABLE(7b, 8b)
SYM_FUNC_END(vcpu_svm_vmenter)
