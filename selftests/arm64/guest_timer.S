/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EL1 virtual timer guest of vcpu_arm64_timer_test, AArch64 EL1h with
 * the MMU off at VCPU_TEST_CODE_GPA, one snippet whose SETUP arg (x0)
 * picks the part:
 *   0 RUN     CNTV_CVAL = CNTVCT + DATA[DELTA], CNTV_CTL = ENABLE; IRQs on,
 *             spin until the handler counted one; report DONE, halt.
 *   1 WFI     the same, waiting in WFI; before each WFI the counter is
 *             stored at DATA[PRE_WFI].
 *   2 COUNT   report CNTVCT_EL0 (the HVC's nr), halt.
 *   3 KEEP    IRQs masked: CSSELR_EL1 = 2, CNTV_CVAL = 0 (past),
 *             CNTV_CTL = ENABLE; report ARMED; then (run again) report
 *             CNTV_CTL, CNTV_CVAL, CSSELR_EL1, unmask IRQs, spin until the
 *             handler counted one, report DONE, halt.
 *   4 FRESH   report CNTV_CTL, CNTV_CVAL, CSSELR_EL1 as found; IRQs on
 *             for a while; report FRESH | the interrupt count, halt.
 *   5 TPIDR2  (SME only) report TPIDR2_EL0 as found, set it to 0x5a5a,
 *             report it read back, halt.
 * The handler (vector table at +0x800, as in guest_irq.S): acknowledge;
 * count at DATA+0x100, INTID at DATA+0x104; for INTID 27 set IMASK in
 * CNTV_CTL (the line drops); EOI; report the INTID.
 */
#include "guest_asm.h"

#define DATA		VCPU_TEST_DATA_GPA
#define IRQ_COUNT	0x100
#define IRQ_LAST	0x104
#define DELTA		0x20
#define PRE_WFI		0x28
#define DONE		0x600d
#define ARMED		0xa1
#define FRESH		0xb0000
#define VTIMER_INTID	27

#define ICC_PMR_EL1	s3_0_c4_c6_0
#define ICC_IAR1_EL1	s3_0_c12_c12_0
#define ICC_EOIR1_EL1	s3_0_c12_c12_1
#define ICC_IGRPEN1_EL1	s3_0_c12_c12_7
#define TPIDR2_EL0	s3_3_c13_c0_5

	.section .rodata.guest_timer, "a"
	.balign	2048
GUEST_BEGIN(guest_timer)
	b	guest_timer_main
	.balign	2048
guest_timer_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	(\n % 4) == 1
	b	guest_timer_irq
	.else
	movz	x0, #0xbad, lsl #16
	movk	x0, #\n
	hvc	#0
9:	wfi
	b	9b
	.endif
	.endr

guest_timer_main:
	mov	x19, x0
	movq	x21, DATA
	adr	x1, guest_timer_vectors
	msr	vbar_el1, x1
	mov	x1, #0xff
	msr	ICC_PMR_EL1, x1
	mov	x1, #1
	msr	ICC_IGRPEN1_EL1, x1
	isb
	cmp	x19, #2
	b.eq	guest_timer_count
	cmp	x19, #3
	b.eq	guest_timer_keep
	cmp	x19, #4
	b.eq	guest_timer_fresh
	cmp	x19, #5
	b.eq	guest_timer_tpidr2

	/* RUN and WFI: arm DATA[DELTA] ticks ahead. */
	mrs	x1, cntvct_el0
	ldr	x2, [x21, #DELTA]
	add	x1, x1, x2
	msr	cntv_cval_el0, x1
	mov	x1, #1
	msr	cntv_ctl_el0, x1
	isb
	msr	daifclr, #2
	cbnz	x19, 2f
1:	ldr	w0, [x21, #IRQ_COUNT]
	cbz	w0, 1b
	b	guest_timer_done
2:	mrs	x3, cntvct_el0
	str	x3, [x21, #PRE_WFI]
	wfi
	ldr	w0, [x21, #IRQ_COUNT]
	cbz	w0, 2b
guest_timer_done:
	report	DONE
3:	wfi
	b	3b

guest_timer_count:
	isb
	mrs	x0, cntvct_el0
	hvc	#0
4:	wfi
	b	4b

guest_timer_keep:
	mov	x1, #2
	msr	csselr_el1, x1
	msr	cntv_cval_el0, xzr
	mov	x1, #1
	msr	cntv_ctl_el0, x1
	isb
	report	ARMED
	mrs	x0, cntv_ctl_el0
	hvc	#0
	mrs	x0, cntv_cval_el0
	hvc	#0
	mrs	x0, csselr_el1
	hvc	#0
	msr	daifclr, #2
5:	ldr	w0, [x21, #IRQ_COUNT]
	cbz	w0, 5b
	b	guest_timer_done

guest_timer_fresh:
	mrs	x0, cntv_ctl_el0
	hvc	#0
	mrs	x0, cntv_cval_el0
	hvc	#0
	mrs	x0, csselr_el1
	hvc	#0
	msr	daifclr, #2
	mov	x1, #0x10000
6:	subs	x1, x1, #1
	b.ne	6b
	msr	daifset, #2
	ldr	w1, [x21, #IRQ_COUNT]
	movq	x0, FRESH
	orr	x0, x0, x1
	hvc	#0
7:	wfi
	b	7b

guest_timer_tpidr2:
	mrs	x0, TPIDR2_EL0
	hvc	#0
	mov	x1, #0x5a5a
	msr	TPIDR2_EL0, x1
	mrs	x0, TPIDR2_EL0
	hvc	#0
	b	4b

guest_timer_irq:
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	mrs	x1, ICC_IAR1_EL1
	cmp	x1, #1020
	b.hs	8f
	movq	x2, DATA
	ldr	w3, [x2, #IRQ_COUNT]
	add	w3, w3, #1
	str	w3, [x2, #IRQ_COUNT]
	str	w1, [x2, #IRQ_LAST]
	cmp	x1, #VTIMER_INTID
	b.ne	7f
	mov	x3, #3				/* ENABLE | IMASK */
	msr	cntv_ctl_el0, x3
	isb
7:	msr	ICC_EOIR1_EL1, x1
	mov	x0, x1
	hvc	#0
8:	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret
GUEST_END(guest_timer)

	.section .note.GNU-stack, "", @progbits
