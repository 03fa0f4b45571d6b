/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_arm64_debug_test's guests (AArch64 EL1h, MMU off, at
 * VCPU_TEST_CODE_GPA), each with its own vector table at offset 0x800
 * (VBAR_EL1 needs 2 KiB alignment).  A synchronous exception at EL1h
 * (offset 0x200: a breakpoint, watchpoint or software step of the guest's
 * own debug registers) reports 0xdb with x1 = ESR_EL1, x2 = ELR_EL1,
 * x3 = FAR_EL1, then disables the breakpoint or watchpoint and returns;
 * in guest_debug_step it reports 0x55 per step instead.  Every other
 * vector reports 0xbad0000 + its index.
 */
#include "guest_asm.h"

#define DATA		VCPU_TEST_DATA_GPA
#define WATCHED		(DATA + 0x40)
#define MDSCR_SS	(1 << 0)
#define MDSCR_KDE	(1 << 13)
#define MDSCR_MDE	(1 << 15)
#define BCR_ON		0x1e7		/* E, PMC EL0+EL1, BAS 0xf */
#define WCR_ON		0x1fff		/* E, PAC EL0+EL1, LSC ld+st, BAS 0xff */

	.section .rodata.guest_debug, "a"

.macro	DBG_SNIPPET_BEGIN s, sync
	.balign	2048
	.globl	\s\()_start
\s\()_start:
	b	\s\()_main
	.balign	2048
\s\()_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	\n == 4
	b	\sync
	.else
	movz	x0, #0xbad, lsl #16
	movk	x0, #\n
	hvc	#0
9:	wfi
	b	9b
	.endif
	.endr
\s\()_main:
	adr	x1, \s\()_vectors
	msr	vbar_el1, x1
	isb
.endm

/*
 * Report the debug exception; disable watchpoint 0 after a watchpoint,
 * breakpoint 0 after anything else.
 */
.macro	DBG_REPORT_HANDLER
	mov	x0, #0xdb
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	hvc	#0
	mrs	x1, esr_el1
	lsr	x1, x1, #26
	cmp	x1, #0x35			/* watchpoint, current EL */
	b.eq	8f
	msr	dbgbcr0_el1, xzr
	b	7f
8:	msr	dbgwcr0_el1, xzr
7:	isb
	eret
.endm

/*
 * Breakpoint 0 on guest_debug_bp_target, a watchpoint on the word at
 * WATCHED, MDE|KDE with the OS lock cleared, PSTATE.D unmasked: the
 * breakpoint fires, then the load of WATCHED; report 0x600d.
 */
DBG_SNIPPET_BEGIN guest_debug_bp, dbg_bp_sync
	msr	oslar_el1, xzr
	adr	x1, guest_debug_bp_target
	msr	dbgbvr0_el1, x1
	mov	x1, #BCR_ON
	msr	dbgbcr0_el1, x1
	movq	x1, WATCHED
	msr	dbgwvr0_el1, x1
	mov	x1, #WCR_ON
	msr	dbgwcr0_el1, x1
	mov	x1, #(MDSCR_MDE | MDSCR_KDE)
	msr	mdscr_el1, x1
	isb
	msr	daifclr, #8
	isb
GUEST_LABEL(guest_debug_bp_target)
	nop
	movq	x1, WATCHED
GUEST_LABEL(guest_debug_bp_load)
	ldr	x2, [x1]
	report	0x600d
1:	wfi
	b	1b
dbg_bp_sync:
	DBG_REPORT_HANDLER
GUEST_END(guest_debug_bp)

/*
 * Software step: MDSCR.SS|KDE, then ERET with SPSR_EL1.SS set into
 * guest_debug_step_target (a NOP, an MRS the kernel emulates, a NOP): one step exception after each (0x55
 * with x1 = ELR_EL1, x2 = ESR_EL1), the handler re-arms SPSR.SS twice,
 * then clears MDSCR.SS; report 0x600d with x1 = the number of steps.
 */
DBG_SNIPPET_BEGIN guest_debug_step, dbg_step_sync
	msr	oslar_el1, xzr
	mov	x20, #0
	mov	x1, #(MDSCR_SS | MDSCR_KDE)
	msr	mdscr_el1, x1
	adr	x1, guest_debug_step_target
	msr	elr_el1, x1
	movq	x1, 0x2001c5			/* EL1h, A I F masked, SS */
	msr	spsr_el1, x1
	isb
	eret
GUEST_LABEL(guest_debug_step_target)
	nop
	mrs	x5, mdscr_el1			/* emulated by the kernel */
	nop
	nop
	mov	x0, #0x600d
	mov	x1, x20
	hvc	#0
1:	wfi
	b	1b
dbg_step_sync:
	add	x20, x20, #1
	mov	x0, #0x55
	mrs	x1, elr_el1
	mrs	x2, esr_el1
	hvc	#0
	cmp	x20, #3
	b.ge	2f
	mrs	x1, spsr_el1
	orr	x1, x1, #(1 << 21)		/* SS: step one more */
	msr	spsr_el1, x1
	eret
2:	mov	x1, #MDSCR_KDE
	msr	mdscr_el1, x1
	isb
	eret
GUEST_END(guest_debug_step)

/*
 * Isolation, VM A: breakpoint 0 on guest_debug_iso_target, watchpoint 0
 * on WATCHED, MDE|KDE, OS lock cleared, but PSTATE.D still masked:
 * report 1.  Then unmask D and run into the target (the breakpoint fires
 * when A runs again).  VM B runs the same code from guest_debug_iso_b
 * (x0 = 1 at SETUP): it reports MDSCR_EL1, DBGBVR0, DBGBCR0 (0x1b with
 * x1..x3), DBGWVR0, DBGWCR0, OSLSR (0x1c with x1..x3), then clears its
 * OS lock, sets MDE|KDE itself without programming a breakpoint, unmasks
 * D and runs the target: nothing may fire; report 0x600d.
 */
DBG_SNIPPET_BEGIN guest_debug_iso, dbg_iso_sync
	cbnz	x0, guest_debug_iso_b
	msr	oslar_el1, xzr
	adr	x1, guest_debug_iso_target
	msr	dbgbvr0_el1, x1
	mov	x1, #BCR_ON
	msr	dbgbcr0_el1, x1
	movq	x1, WATCHED
	msr	dbgwvr0_el1, x1
	mov	x1, #WCR_ON
	msr	dbgwcr0_el1, x1
	mov	x1, #(MDSCR_MDE | MDSCR_KDE)
	msr	mdscr_el1, x1
	isb
	report	1
	b	9f
GUEST_LABEL(guest_debug_iso_b)
	mov	x0, #0x1b
	mrs	x1, mdscr_el1
	mrs	x2, dbgbvr0_el1
	mrs	x3, dbgbcr0_el1
	hvc	#0
	mov	x0, #0x1c
	mrs	x1, dbgwvr0_el1
	mrs	x2, dbgwcr0_el1
	mrs	x3, oslsr_el1
	hvc	#0
	msr	oslar_el1, xzr
	mov	x1, #(MDSCR_MDE | MDSCR_KDE)
	msr	mdscr_el1, x1
	isb
9:	msr	daifclr, #8
	isb
GUEST_LABEL(guest_debug_iso_target)
	nop
	movq	x1, WATCHED
	ldr	x2, [x1]
	report	0x600d
1:	wfi
	b	1b
dbg_iso_sync:
	DBG_REPORT_HANDLER
GUEST_END(guest_debug_iso)
