/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of vcpu_x86_events_test, 32-bit protected mode at
 * VCPU_TEST_CODE_GPA.  It builds a flat GDT and an IDT with handlers for
 * NMI (2), #UD (6), #GP (13), #PF (14) and the user vector 0x40; every
 * other vector is absent (its delivery ends in a triple fault: SHUTDOWN).
 * Reports are OUTs:
 *   port 0x80  the main program's progress
 *   port 0x81  NMI handler: 0x200 | count on entry, 0x300 | count before
 *              its IRET (count: NMIs taken so far)
 *   port 0x82  exception handler: the vector; 0x83 the error code;
 *              0x84 CR2 (#PF)
 *   port 0x85  vector 0x40: the address it interrupted (the return EIP)
 *
 * arg (EDI) selects the program:
 *   0  report 1; report 0x100 | NMI count; halt
 *   1  report 1, 2, 3, 4 (the VMM injects an exception after each); halt
 *   2  STI, then a store to EVENTS_RO_GPA (the test maps it read-only:
 *      NESTED_PAGE_FAULT in the STI shadow); report 2; halt
 *   3  CLI; report 1; STI; HLT; report 2; halt
 */
#include "guest_asm.h"

#define IDT_GPA		0x5000
#define GDT_GPA		0x5800
#define DATA		VCPU_TEST_DATA_GPA
#define NMI_COUNT	(DATA + 0x100)
#define EVENTS_RO_GPA	0x200000

	.section .rodata.guestevents, "a"
	.code32

#define EV_ADDR(l)	(VCPU_TEST_CODE_GPA + ((l) - guest32_events_start))

/* A 32-bit interrupt gate (IF cleared on entry), selector 0x08. */
.macro GATE vec, handler
	GUEST32_GATE IDT_GPA, \vec, EV_ADDR(\handler)
.endm

GUEST_BEGIN(guest32_events)
	cli				/* SETUP leaves IF set: no IDT yet */
	GUEST32_FLAT_GDT GDT_GPA, DATA + 0x80, %ebx
	GATE	2, ev_nmi
	GATE	6, ev_ud
	GATE	13, ev_gp
	GATE	14, ev_pf
	GATE	0x40, ev_irq
	movw	$256 * 8 - 1, DATA + 0x88
	movl	$IDT_GPA, DATA + 0x8a
	lidt	DATA + 0x88
	sti
	cmpl	$1, %edi
	je	ev_prog_exc
	cmpl	$2, %edi
	je	ev_prog_shadow
	cmpl	$3, %edi
	je	ev_prog_sti_hlt

	/* 0: NMIs */
	movl	$1, %eax
	outl	%eax, $0x80
	movl	NMI_COUNT, %eax
	orl	$0x100, %eax
	outl	%eax, $0x80
1:	hlt
	jmp	1b

ev_prog_exc:
	movl	$1, %eax
	outl	%eax, $0x80
	movl	$2, %eax
	outl	%eax, $0x80
	movl	$3, %eax
	outl	%eax, $0x80
	movl	$4, %eax
	outl	%eax, $0x80
1:	hlt
	jmp	1b

ev_prog_shadow:
	sti
GUEST_LABEL(guest32_events_shadow_store)
	movl	$1, EVENTS_RO_GPA
GUEST_LABEL(guest32_events_shadow_after)
	movl	$2, %eax
	outl	%eax, $0x80
1:	hlt
	jmp	1b

ev_prog_sti_hlt:
	cli
	movl	$1, %eax
	outl	%eax, $0x80
	sti
	hlt
GUEST_LABEL(guest32_events_after_hlt)
	movl	$2, %eax
	outl	%eax, $0x80
1:	hlt
	jmp	1b

ev_nmi:
	pushl	%eax
	incl	NMI_COUNT
	movl	NMI_COUNT, %eax
	orl	$0x200, %eax
	outl	%eax, $0x81
	movl	NMI_COUNT, %eax
	orl	$0x300, %eax
	outl	%eax, $0x81
	popl	%eax
	iret

ev_ud:
	pushl	%eax
	movl	$6, %eax
	outl	%eax, $0x82
	popl	%eax
	iret

ev_gp:
	pushl	%eax
	movl	$13, %eax
	outl	%eax, $0x82
	movl	4(%esp), %eax			/* the error code */
	outl	%eax, $0x83
	popl	%eax
	addl	$4, %esp
	iret

ev_pf:
	pushl	%eax
	movl	$14, %eax
	outl	%eax, $0x82
	movl	4(%esp), %eax
	outl	%eax, $0x83
	movl	%cr2, %eax
	outl	%eax, $0x84
	popl	%eax
	addl	$4, %esp
	iret

ev_irq:
	pushl	%eax
	movl	4(%esp), %eax			/* the interrupted EIP */
	outl	%eax, $0x85
	popl	%eax
	iret
GUEST_END(guest32_events)

	.section .note.GNU-stack, "", @progbits
