/* SPDX-License-Identifier: GPL-2.0 */
/* 64-bit guests (VCPU_MODE_X86_LONG64, identity map, RIP 0x1000). */
#include "guest_asm.h"

	.section .rodata.guest64, "a"
	.code64

/* HLT twice. */
GUEST_BEGIN(guest64_hlt)
	hlt
	hlt
GUEST_END(guest64_hlt)

/*
 * VMMCALL nr 0x0123456789abcdef with six argument registers; then pass the
 * returned RAX back as args[0] of hypercall nr 2; HLT.
 */
GUEST_BEGIN(guest64_hypercall)
	movabsq	$0x0123456789abcdef, %rax
	movabsq	$0x1111111111111111, %rdi
	movabsq	$0x2222222222222222, %rsi
	movabsq	$0x3333333333333333, %rdx
	movabsq	$0x4444444444444444, %rcx
	movabsq	$0x5555555555555555, %r8
	movabsq	$0x6666666666666666, %r9
GUEST_LABEL(guest64_hypercall_insn)
	vmmcall
	movq	%rax, %rdi
	movl	$2, %eax
	vmmcall
	hlt
GUEST_END(guest64_hypercall)

/* VMMCALL nr 0x77, args[0] = RDI = the VCPU_SETUP arg; HLT. */
GUEST_BEGIN(guest64_hypercall_arg)
	movl	$0x77, %eax
	vmmcall
	hlt
GUEST_END(guest64_hypercall_arg)

/* Report RBX and R15 (set by VCPU_SET_REGS) through hypercall nr 3. */
GUEST_BEGIN(guest64_report_regs)
	movq	%rbx, %rdi
	movq	%r15, %rsi
	movl	$3, %eax
	vmmcall
	hlt
GUEST_END(guest64_report_regs)

/*
 * IN of each width with RAX = 0x1122334455667788 first; RAX afterwards is
 * reported as the nr of a hypercall.
 */
GUEST_BEGIN(guest64_in)
	movabsq	$0x1122334455667788, %rax
	inb	$0x60, %al
	vmmcall
	movabsq	$0x1122334455667788, %rax
	movw	$0x1f0, %dx
	inw	%dx, %ax
	vmmcall
	movabsq	$0x1122334455667788, %rax
	inl	$0x61, %eax
	vmmcall
	hlt
GUEST_END(guest64_in)

/* MMIO writes of 1/2/4/8 bytes, immediates, REX.R source, moffs64. */
GUEST_BEGIN(guest64_mmio_write)
	movl	$VCPU_TEST_MMIO_GPA, %ebx
	movabsq	$0x8877665544332211, %rax
	movb	%al, (%rbx)		/* +0x00 w1 0x11 */
	movw	%ax, 0x8(%rbx)		/* +0x08 w2 0x2211 */
	movl	%eax, 0x10(%rbx)	/* +0x10 w4 0x44332211 */
	movq	%rax, 0x18(%rbx)	/* +0x18 w8 0x8877665544332211 */
	movq	$-2, 0x20(%rbx)		/* +0x20 w8 0xfffffffffffffffe (REX.W C7) */
	movq	%rax, %r9
	movl	%r9d, 0x28(%rbx)	/* +0x28 w4 0x44332211 (REX.R) */
	movb	$0x99, 0x30(%rbx)	/* +0x30 w1 0x99 (C6) */
	movabsq	%rax, VCPU_TEST_MMIO_GPA + 0x100	/* REX.W A3: w8 */
GUEST_LABEL(guest64_mmio_write_hlt)
	hlt
GUEST_END(guest64_mmio_write)

/* MMIO reads; see the test for the expected register values. */
GUEST_BEGIN(guest64_mmio_read)
	movl	$VCPU_TEST_MMIO_GPA, %ebx
	movq	$-1, %rcx
	movq	$-1, %rdx
	movq	$-1, %rsi
	movq	$-1, %rdi
	movq	$-1, %r8
	movq	$-1, %r9
	movq	$-1, %r10
	movl	(%rbx), %eax		/*  1: +0x00 w4 -> EAX, zero-extends RAX */
	movq	0x8(%rbx), %rdx		/*  2: +0x08 w8 -> RDX */
	movw	0x10(%rbx), %si		/*  3: +0x10 w2 -> SI */
	movb	0x18(%rbx), %dil	/*  4: +0x18 w1 -> DIL (REX, not BH) */
	movb	0x20(%rbx), %ah		/*  5: +0x20 w1 -> AH */
	movzbl	0x28(%rbx), %ecx	/*  6: +0x28 w1 -> ECX zx */
	movsbq	0x30(%rbx), %r8		/*  7: +0x30 w1 -> R8 sx */
	movswl	0x38(%rbx), %r9d	/*  8: +0x38 w2 -> R9D sx */
	movzwq	0x40(%rbx), %r10	/*  9: +0x40 w2 -> R10 zx */
	movq	%rax, %r11
	movabsl	VCPU_TEST_MMIO_GPA + 0x100, %eax	/* 10: A1 moffs64 w4 */
GUEST_LABEL(guest64_mmio_read_hlt)
	hlt
GUEST_END(guest64_mmio_read)

/* MOVZX byte read into RCX = -1: completion data beyond width is ignored. */
GUEST_BEGIN(guest64_mmio_read_trunc)
	movl	$VCPU_TEST_MMIO_GPA, %ebx
	movq	$-1, %rcx
	movzbl	(%rbx), %ecx
	movq	$-1, %rdx
	movw	0x8(%rbx), %dx
	hlt
GUEST_END(guest64_mmio_read_trunc)

/* RDMSR of an unknown MSR; HLT. */
GUEST_BEGIN(guest64_rdmsr)
	movq	$-1, %rax
	movq	$-1, %rdx
	movl	$VCPU_TEST_MSR, %ecx
GUEST_LABEL(guest64_rdmsr_insn)
	rdmsr
GUEST_LABEL(guest64_rdmsr_hlt)
	hlt
GUEST_END(guest64_rdmsr)

/* WRMSR 0xfeedfacedeadbeef to an unknown MSR; HLT. */
GUEST_BEGIN(guest64_wrmsr)
	movl	$VCPU_TEST_MSR, %ecx
	movl	$0xdeadbeef, %eax
	movl	$0xfeedface, %edx
	wrmsr
GUEST_LABEL(guest64_wrmsr_hlt)
	hlt
GUEST_END(guest64_wrmsr)

/* Spin, counting in DATA+0, until DATA+4 is non-zero; then VMMCALL nr 5. */
GUEST_BEGIN(guest64_spin)
1:	incl	VCPU_TEST_DATA_GPA
	cmpl	$0, VCPU_TEST_DATA_GPA + 4
	je	1b
	movl	$5, %eax
	vmmcall
	hlt
GUEST_END(guest64_spin)

/* The shared tests' name (lib/guest.h): GUEST_MODE_64 = LONG64. */
GUEST_ALIAS(guest_hypercall_arg, guest64_hypercall_arg)

	.section .note.GNU-stack, "", @progbits
