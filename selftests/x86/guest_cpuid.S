/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPUID guest of vcpu_x86_cpuid_test, 32-bit protected mode at
 * VCPU_TEST_CODE_GPA: a server the host drives through port I/O.  It
 * installs its own GDT and an IDT whose #GP gate reports 0xd0d and
 * resumes after the faulting 3-byte MOV to CR4.
 *
 *   IN 0x84          the command: 0 CPUID, 1 MOV to CR4, anything else HLT
 *   CPUID:           IN 0x85 leaf, IN 0x86 index, CPUID, then OUT 0x80 of
 *                    EAX, EBX, ECX, EDX
 *   MOV to CR4:      IN 0x85 the value; MOV to CR4 (a #GP reports 0xd0d
 *                    on port 0x80 first), then OUT 0x80 of CR4
 */
#include "guest_asm.h"

#define IDT_GPA		0x5000
#define GDT_GPA		0x5800
#define DATA		VCPU_TEST_DATA_GPA
#define GP_REPORT	0xd0d

	.section .rodata.guestcpuid, "a"
	.code32

GUEST_BEGIN(guest32_cpuid)
	cli
	GUEST32_FLAT_GDT GDT_GPA, DATA + 0x80, %edi
	/* Vector 13: a 32-bit interrupt gate to gp_handler. */
	GUEST32_GATE IDT_GPA, 13, VCPU_TEST_CODE_GPA + (gp_handler - guest32_cpuid_start)
	movw	$32 * 8 - 1, DATA + 0x88
	movl	$IDT_GPA, DATA + 0x8a
	lidt	DATA + 0x88
1:	inl	$0x84, %eax
	cmpl	$1, %eax
	je	3f
	testl	%eax, %eax
	jnz	4f
	inl	$0x85, %eax
	movl	%eax, %esi
	inl	$0x86, %eax
	movl	%eax, %ecx
	movl	%esi, %eax
	cpuid
	outl	%eax, $0x80
	movl	%ebx, %eax
	outl	%eax, $0x80
	movl	%ecx, %eax
	outl	%eax, $0x80
	movl	%edx, %eax
	outl	%eax, $0x80
	jmp	1b
3:	inl	$0x85, %eax
	movl	%eax, %cr4			/* 0F 22 E0: 3 bytes */
	movl	%cr4, %eax
	outl	%eax, $0x80
	jmp	1b
4:	hlt
	jmp	4b
gp_handler:
	pushl	%eax
	movl	$GP_REPORT, %eax
	outl	%eax, $0x80
	popl	%eax
	addl	$4, %esp			/* the error code */
	addl	$3, (%esp)			/* past the MOV to CR4 */
	iret
GUEST_END(guest32_cpuid)

	.section .note.GNU-stack, "", @progbits
