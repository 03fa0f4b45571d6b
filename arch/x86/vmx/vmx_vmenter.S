/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX world switch.
 *
 * int vcpu_vmx_vmenter(u64 *gprs, bool launched, unsigned long host_rsp_field)
 *
 * Called with interrupts disabled and the vCPU's VMCS current.  gprs[]
 * holds the guest's general registers in hardware order (gprs[RSP] is
 * unused: RSP lives in the VMCS).  Returns 0 after a VM exit, 1 when
 * VMLAUNCH/VMRESUME failed (VMfail: the guest never ran; the caller reads
 * VM_INSTRUCTION_ERROR) and 2 when the instruction faulted (#UD or #GP:
 * VMX was turned off under this module, which no emulator here shows;
 * the exception table turns the fault into a failed entry instead of an
 * oops).
 *
 * The entry instruction sits in a small function called from here, and
 * HOST_RSP is that function's stack pointer: a VM exit "returns" from it
 * through vcpu_vmx_vmexit (HOST_RIP) with CF and ZF clear, a VMfail returns
 * from it with CF or ZF set.  Every register but RSP holds guest values
 * after the exit, so the callee-saved ones are kept on the stack.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "../vmenter_gprs.S"

SYM_FUNC_START(vcpu_vmx_vmenter)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	/* 0(%rsp): gprs */
	push	%rdi

	/* HOST_RSP: the stack pointer inside vcpu_vmx_vmenter_insn. */
	lea	-8(%rsp), %rax
	vmwrite	%rax, %rdx

	/* Flags from here on: CF says "launched" (VERW below changes ZF). */
	bt	$0, %esi

	mov	GPR(0)(%rdi), %rax
	VCPU_X86_LOAD_GPRS %rdi
	mov	GPR(7)(%rdi), %rdi

	/*
	 * Clear the CPU's buffers (MDS, TAA, MMIO stale data, RFDS) when the
	 * host's mitigation asks for it: VERW as close to the entry as
	 * possible, as the kernel's own VMX entry does on these kernel
	 * lines.  It changes ZF only.
	 */
	CLEAR_CPU_BUFFERS

	call	vcpu_vmx_vmenter_insn
	jbe	.Lvmfail

	/* A VM exit: store the guest's registers. */
	push	%rax
	mov	8(%rsp), %rax
	VCPU_X86_STORE_GPRS %rax
	mov	%rdi, GPR(7)(%rax)
	pop	GPR(0)(%rax)
	/*
	 * Branch History Injection: clear the branch history the guest left
	 * before the host's first indirect branch, when the host's
	 * mitigation asks for it (it clobbers RAX and RCX).
	 */
	CLEAR_BRANCH_HISTORY_VMEXIT
	xor	%eax, %eax
	jmp	.Lout

.Lvmfail:
	cli
	/*
	 * Nothing of the guest ran, gprs[] is still right.  CF and ZF both
	 * set: the entry instruction faulted (vcpu_vmx_vmenter_insn);
	 * otherwise VMfail.  CLI and MOV leave the flags alone.
	 */
	mov	$1, %eax
	jnc	.Lout
	jnz	.Lout
	mov	$2, %eax

.Lout:
	VCPU_X86_CLEAR_GPRS

	add	$8, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(vcpu_vmx_vmenter)

/*
 * The RETs below must not go through a return thunk: the caller tests the
 * flags they return with.
 *
 * The entry instruction: VMLAUNCH when CF is clear (not launched yet),
 * else VMRESUME.
 *
 * STI right before the entry: its one-instruction shadow keeps the host
 * from taking an interrupt here, and an interrupt already pending is then
 * recognised at the guest's first instruction boundary, where it exits at
 * once (external-interrupt exiting) instead of waiting for the next one.
 * Emulators that only look for interrupts when one is raised (Bochs)
 * otherwise run a guest with IF=0 past an interrupt that arrived while the
 * host had interrupts off.  A VM exit clears RFLAGS.IF again; a VMfail
 * returns with it set and the caller disables interrupts first thing.
 */
SYM_FUNC_START_LOCAL(vcpu_vmx_vmenter_insn)
	jnc	1f
	sti
2:	vmresume
	ANNOTATE_UNRET_SAFE
	ret
1:	sti
3:	vmlaunch
	ANNOTATE_UNRET_SAFE
	ret
	/* A fault: CF and ZF both set, which no VMfail returns. */
4:	xor	%eax, %eax
	stc
	ANNOTATE_UNRET_SAFE
	ret
	_ASM_EXTABLE(2b, 4b)
	_ASM_EXTABLE(3b, 4b)
SYM_FUNC_END(vcpu_vmx_vmenter_insn)

/* HOST_RIP: the stack is vcpu_vmx_vmenter_insn's, its return address on top. */
SYM_FUNC_START(vcpu_vmx_vmexit)
	/*
	 * The guest may have filled the return stack buffer with its own
	 * targets: refill it before the RET below, as the kernel's own VMX
	 * entry code does (in full, or the single entry eIBRS parts need
	 * against PBRSB).  RAX is the guest's and must survive.
	 */
	push	%rax
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	/* A VM exit returns with CF and ZF clear. */
	or	$1, %rax
	pop	%rax
	ANNOTATE_UNRET_SAFE
	ret
SYM_FUNC_END(vcpu_vmx_vmexit)
