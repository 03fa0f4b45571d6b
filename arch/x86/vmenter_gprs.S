/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assembler macros shared by the SVM and VMX world switches (included by
 * their .S files, not assembled on its own): moving the
 * guest's general registers between gprs[] (hardware order, 8 bytes each)
 * and the CPU.  RAX, RSP and RDI are left to the callers: RSP is the
 * host's, and each switch uses RAX and RDI differently around the entry.
 */
#ifndef VCPU_X86_VMENTER_GPRS_S
#define VCPU_X86_VMENTER_GPRS_S

#define GPR(n)	((n) * 8)

/* Load RCX, RDX, RBX, RBP, RSI, R8-R15 from gprs[] at \base. */
.macro VCPU_X86_LOAD_GPRS base:req
	mov	GPR(1)(\base), %rcx
	mov	GPR(2)(\base), %rdx
	mov	GPR(3)(\base), %rbx
	mov	GPR(5)(\base), %rbp
	mov	GPR(6)(\base), %rsi
	mov	GPR(8)(\base), %r8
	mov	GPR(9)(\base), %r9
	mov	GPR(10)(\base), %r10
	mov	GPR(11)(\base), %r11
	mov	GPR(12)(\base), %r12
	mov	GPR(13)(\base), %r13
	mov	GPR(14)(\base), %r14
	mov	GPR(15)(\base), %r15
.endm

/* Store RCX, RDX, RBX, RBP, RSI, R8-R15 to gprs[] at \base. */
.macro VCPU_X86_STORE_GPRS base:req
	mov	%rcx, GPR(1)(\base)
	mov	%rdx, GPR(2)(\base)
	mov	%rbx, GPR(3)(\base)
	mov	%rbp, GPR(5)(\base)
	mov	%rsi, GPR(6)(\base)
	mov	%r8, GPR(8)(\base)
	mov	%r9, GPR(9)(\base)
	mov	%r10, GPR(10)(\base)
	mov	%r11, GPR(11)(\base)
	mov	%r12, GPR(12)(\base)
	mov	%r13, GPR(13)(\base)
	mov	%r14, GPR(14)(\base)
	mov	%r15, GPR(15)(\base)
.endm

/*
 * Leave no guest value in a caller-saved register the C code might
 * speculate on (the callee-saved ones are restored from the stack).
 */
.macro VCPU_X86_CLEAR_GPRS
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
.endm

#endif /* VCPU_X86_VMENTER_GPRS_S */
