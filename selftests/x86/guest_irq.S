/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt guests of the shared tests (lib/guest.h), 32-bit protected
 * mode at VCPU_TEST_CODE_GPA.  They build a flat GDT (the CPU reads the
 * code descriptor when it delivers an interrupt and at IRET) and an IDT
 * whose vectors 32..255 each point at an 8-byte stub "call irq_common":
 * the return address the call pushes tells the common handler which stub,
 * hence which vector, it came from.
 */
#include "guest_asm.h"

#define IDT_GPA		0x5000
#define GDT_GPA		0x5800
#define DATA		VCPU_TEST_DATA_GPA
#define IRQ_COUNT	(DATA + 0x100)
#define IRQ_LAST	(DATA + 0x104)
#define PP_ROUNDS	(DATA + 0x200)
#define PP_COUNT	(DATA + 0x210)
#define IPI_VECTOR	0x40
#define MSR_X2APIC_ICR	0x830
#define HC_PING		0x56430000
#define HC_UNKNOWN	0x56430005

	.section .rodata.guestirq, "a"
	.code32

/*
 * Install the GDT and the IDT of snippet s (whose stubs are at s_stubs),
 * each gate a 32-bit interrupt gate (IF cleared on entry).
 */
.macro IRQ_TABLES s
	GUEST32_FLAT_GDT GDT_GPA, DATA + 0x80, %edi
	movl	$IDT_GPA + 32 * 8, %edi
	movl	$VCPU_TEST_CODE_GPA + (\s\()_stubs - \s\()_start), %eax
	movl	$224, %ecx
1:	movl	%eax, %edx
	andl	$0xffff, %edx
	orl	$0x00080000, %edx		/* selector 0x08, offset 15:0 */
	movl	%edx, 0(%edi)
	movl	%eax, %edx
	andl	$0xffff0000, %edx
	orl	$0x8e00, %edx			/* present, DPL 0, 32-bit gate */
	movl	%edx, 4(%edi)
	addl	$8, %eax
	addl	$8, %edi
	loop	1b
	movw	$256 * 8 - 1, DATA + 0x88
	movl	$IDT_GPA, DATA + 0x8a
	lidt	DATA + 0x88
.endm

/*
 * The common handler of snippet s: count, record and report the vector
 * (OUT to port 0x80), then IRET.  Saves what it uses.
 */
.macro IRQ_HANDLER s
\s\()_common:
	pushl	%eax
	pushl	%edx
	movl	8(%esp), %eax			/* return address of the stub */
	subl	$VCPU_TEST_CODE_GPA + (\s\()_stubs - \s\()_start) + 5, %eax
	shrl	$3, %eax
	addl	$32, %eax
	incl	IRQ_COUNT
	movl	%eax, IRQ_LAST
	outl	%eax, $0x80
	popl	%edx
	popl	%eax
	addl	$4, %esp			/* the stub's return address */
	iret
\s\()_stubs:
	.rept	224
	call	\s\()_common
	nop
	nop
	nop
	.endr
.endm

/* arg (EDI) 0: halt forever; 1: busy loop forever.  Interrupts on. */
GUEST_BEGIN(guest32_irq_wait)
	cli				/* SETUP leaves IF set: no IDT yet */
	movl	%edi, %esi
	IRQ_TABLES guest32_irq_wait
	sti
	testl	%esi, %esi
	jnz	2f
1:	hlt
	jmp	1b
2:	pause
	jmp	2b
	IRQ_HANDLER guest32_irq_wait
GUEST_END(guest32_irq_wait)

/* Interrupts off: report 1, report 2, STI; NOP (window), halt forever. */
GUEST_BEGIN(guest32_irq_masked)
	cli
	IRQ_TABLES guest32_irq_masked
	movl	$1, %eax
	outl	%eax, $0x80
	movl	$2, %eax
	outl	%eax, $0x80
	sti
	nop
1:	hlt
	jmp	1b
	IRQ_HANDLER guest32_irq_masked
GUEST_END(guest32_irq_masked)

/* The kernel's hypercalls: PING(41) -> 42, an unknown one -> ENOSYS. */
GUEST_BEGIN(guest32_hc_ping)
	movl	$HC_PING, %eax
	movl	$41, %edi
	vmmcall
	outl	%eax, $0x80
	movl	$HC_UNKNOWN, %eax
	xorl	%edi, %edi
	vmmcall
	outl	%eax, $0x80
	hlt
GUEST_END(guest32_hc_ping)

/*
 * IPI ping-pong, arg (EDI) = this vCPU's index (its x2APIC ID), the peer's
 * is 1 - index.  ESI holds the index throughout, EBX the peer.
 */
GUEST_BEGIN(guest32_ipi_pingpong)
	cli				/* the peer may send before our IDT */
	movl	%edi, %esi
	movl	$1, %ebx
	subl	%esi, %ebx
	IRQ_TABLES guest32_ipi_pingpong
	testl	%esi, %esi
	jnz	1f
	call	3f				/* vCPU 0 serves first */
1:	sti
2:	hlt
	testl	%esi, %esi
	jnz	2b
	movl	PP_COUNT, %eax
	cmpl	PP_ROUNDS, %eax
	jb	2b
	outl	%eax, $0x80			/* report the rounds */
	jmp	2b
	/* Send the peer IPI_VECTOR: fixed, physical, x2APIC ICR. */
3:	pushl	%eax
	pushl	%ecx
	pushl	%edx
	movl	$MSR_X2APIC_ICR, %ecx
	movl	$IPI_VECTOR, %eax
	movl	%ebx, %edx
	wrmsr
	popl	%edx
	popl	%ecx
	popl	%eax
	ret
guest32_ipi_pingpong_common:
	pushl	%eax
	incl	PP_COUNT(, %esi, 4)
	testl	%esi, %esi
	jnz	4f
	movl	PP_COUNT, %eax
	cmpl	PP_ROUNDS, %eax
	jae	5f
4:	call	3b
5:	popl	%eax
	addl	$4, %esp			/* the stub's return address */
	iret
guest32_ipi_pingpong_stubs:
	.rept	224
	call	guest32_ipi_pingpong_common
	nop
	nop
	nop
	.endr
GUEST_END(guest32_ipi_pingpong)

GUEST_ALIAS(guest_irq_wait, guest32_irq_wait)
GUEST_ALIAS(guest_irq_masked, guest32_irq_masked)
GUEST_ALIAS(guest_hc_ping, guest32_hc_ping)
GUEST_ALIAS(guest_ipi_pingpong, guest32_ipi_pingpong)

	.section .note.GNU-stack, "", @progbits
