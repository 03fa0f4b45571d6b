/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshot guest (vcpu_x86_snapshot_test): it fills a register of each
 * class it can (general, YMM through its own XSETBV, debug, a kept MSR),
 * installs an NMI handler in its own IDT and exits to the VMM with OUT to
 * port 0x80.  The VMM saves the vCPU, restores it into a new VM and runs
 * it there: the guest stores what its registers hold into the data page
 * and reports with OUT to port 0x81.  64-bit, identity-mapped (SETUP's
 * LONG64 mode), at VCPU_TEST_CODE_GPA.
 */
#include "guest_asm.h"

#define SNAP_IDT	0x5000
#define SNAP_GDT	0x6800
#define SNAP_RES	VCPU_TEST_DATA_GPA
#define SNAP_YMM	(SNAP_RES + 0)		/* 16 x 32 bytes */
#define SNAP_DR		(SNAP_RES + 512)	/* DR0-DR3, DR7 */
#define SNAP_SYSENTER	(SNAP_RES + 552)
#define SNAP_RBX	(SNAP_RES + 560)
#define SNAP_NMIS	(SNAP_RES + 568)

	.section .rodata.guestsnap, "a"
	.code64

GUEST_BEGIN(guest64_snapshot)
	/*
	 * Its own GDT (SETUP's selectors name no descriptor): null, 0x08
	 * 64-bit code, 0x10 data; CS reloaded through a far return.
	 */
	movq	$0x00af9a000000ffff, %rax
	movq	%rax, SNAP_GDT + 8
	movq	$0x00cf92000000ffff, %rax
	movq	%rax, SNAP_GDT + 16
	movq	$0, SNAP_GDT
	movw	$23, SNAP_GDT + 0x100
	movq	$SNAP_GDT, SNAP_GDT + 0x102
	lgdt	SNAP_GDT + 0x100
	pushq	$0x08
	lea	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss

	/* IDT vector 2: a 64-bit interrupt gate to snap_nmi. */
	lea	snap_nmi(%rip), %rax
	movl	$SNAP_IDT + 2 * 16, %edi
	movw	%ax, (%rdi)
	movw	%cs, %dx
	movw	%dx, 2(%rdi)
	movw	$0x8e00, 4(%rdi)
	shr	$16, %rax
	movw	%ax, 6(%rdi)
	shr	$16, %rax
	movl	%eax, 8(%rdi)
	movl	$0, 12(%rdi)
	movw	$0xfff, SNAP_IDT + 0x1000
	movq	$SNAP_IDT, SNAP_IDT + 0x1002
	lidt	SNAP_IDT + 0x1000

	/* XSAVE enabled by the guest itself, XCR0 = x87 | SSE | AVX. */
	mov	%cr4, %rax
	or	$(1 << 18), %rax
	mov	%rax, %cr4
	xor	%ecx, %ecx
	xor	%edx, %edx
	mov	$7, %eax
	xsetbv

	lea	snap_pattern(%rip), %rsi
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	\n * 32(%rsi), %ymm\n
	.endr

	/* Debug registers: addresses only, no breakpoint enabled. */
	mov	$0x1111000, %rax
	mov	%rax, %dr0
	mov	$0x2222000, %rax
	mov	%rax, %dr1
	mov	$0x3333000, %rax
	mov	%rax, %dr2
	mov	$0x4444000, %rax
	mov	%rax, %dr3
	mov	$0x600, %rax		/* GE and the fixed bit 10 */
	mov	%rax, %dr7

	mov	$0x176, %ecx		/* SYSENTER_EIP */
	mov	$0x12345678, %eax
	mov	$0xffffffff, %edx
	wrmsr

	mov	$0x0123456789abcdef, %rbx
	outb	%al, $0x80
GUEST_LABEL(guest64_snapshot_saved)
	/* From here on in the new VM. */
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	%ymm\n, SNAP_YMM + \n * 32
	.endr
	mov	%dr0, %rax
	mov	%rax, SNAP_DR
	mov	%dr1, %rax
	mov	%rax, SNAP_DR + 8
	mov	%dr2, %rax
	mov	%rax, SNAP_DR + 16
	mov	%dr3, %rax
	mov	%rax, SNAP_DR + 24
	mov	%dr7, %rax
	mov	%rax, SNAP_DR + 32
	mov	$0x176, %ecx
	rdmsr
	mov	%eax, SNAP_SYSENTER
	mov	%edx, SNAP_SYSENTER + 4
	mov	%rbx, SNAP_RBX
	outb	%al, $0x81
	hlt

snap_nmi:
	incl	SNAP_NMIS
	iretq

	/* 512 bytes: byte i = (7 * i + 3) mod 256 */
snap_pattern:
	.set	i, 0
	.rept	512
	.byte	(7 * i + 3) & 0xff
	.set	i, i + 1
	.endr
GUEST_END(guest64_snapshot)

	.section .note.GNU-stack, "", @progbits
