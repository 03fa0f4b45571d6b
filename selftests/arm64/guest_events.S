/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_arm64_events_test's guest: exceptions the VMM injects
 * (VCPU_SET_EVENTS), UNDEF for SVE/SME/PAC, and the GIC virtual CPU
 * interface carried into a new VM.  AArch64 EL1h, MMU off, at
 * VCPU_TEST_CODE_GPA; x0 (SETUP's arg) picks the part.
 *
 * The snippet starts 2 KiB aligned (so is its copy at GPA 0x1000),
 * branches over the padding, and has its vector table at offset 0x800
 * (GPA 0x1800).  Every entry but the IRQ ones goes to one handler that
 * reports, each by HVC: 0xe0000000 + the entry's offset in the table,
 * then ESR_EL1, FAR_EL1, ELR_EL1 and SPSR_EL1; a last HVC 0xe1000000
 * returns the number of bytes to add to ELR_EL1 (the VMM's
 * hypercall.ret: 0 to retry or resume, 4 to step over) before the ERET.
 * The IRQ entries go to the vGIC part's handler.
 */
#include "guest_asm.h"

#define DATA		VCPU_TEST_DATA_GPA

#define ICC_PMR_EL1	s3_0_c4_c6_0
#define ICC_IAR1_EL1	s3_0_c12_c12_0
#define ICC_EOIR1_EL1	s3_0_c12_c12_1
#define ICC_RPR_EL1	s3_0_c12_c11_3
#define ICC_IGRPEN1_EL1	s3_0_c12_c12_7

	.section .rodata.guest_events, "a"

	.balign	2048
GUEST_BEGIN(guest_events)
	b	guest_events_main
	.balign	2048
guest_events_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	(\n % 4) == 1
	b	guest_events_irq
	.else
	mov	x9, #(\n * 0x80)
	b	guest_events_exc
	.endif
	.endr

guest_events_exc:
	movz	x0, #0xe000, lsl #16
	orr	x0, x0, x9
	hvc	#0
	mrs	x0, esr_el1
	hvc	#0
	mrs	x0, far_el1
	hvc	#0
	mrs	x0, elr_el1
	hvc	#0
	mrs	x0, spsr_el1
	hvc	#0
	movz	x0, #0xe100, lsl #16
	hvc	#0
	mrs	x1, elr_el1
	add	x1, x1, x0
	msr	elr_el1, x1
	eret

/*
 * The vGIC part's handler: acknowledge, report 0x66000000 + the INTID;
 * report 0x66100000 + the running priority; end it (EOImode 0: also
 * deactivates); report the running priority again (0x66200000 + it) and
 * the priority mask (0x66300000 + it).
 */
guest_events_irq:
	mrs	x1, ICC_IAR1_EL1
	movz	x0, #0x6600, lsl #16
	orr	x0, x0, x1
	hvc	#0
	mrs	x2, ICC_RPR_EL1
	movz	x0, #0x6610, lsl #16
	orr	x0, x0, x2
	hvc	#0
	msr	ICC_EOIR1_EL1, x1
	isb
	mrs	x2, ICC_RPR_EL1
	movz	x0, #0x6620, lsl #16
	orr	x0, x0, x2
	hvc	#0
	mrs	x2, ICC_PMR_EL1
	movz	x0, #0x6630, lsl #16
	orr	x0, x0, x2
	hvc	#0
	eret

guest_events_main:
	adr	x1, guest_events_vectors
	msr	vbar_el1, x1
	isb
	cmp	x0, #1
	b.eq	guest_events_el1
	cmp	x0, #2
	b.eq	guest_events_el0
	cmp	x0, #3
	b.eq	guest_events_serror
	cmp	x0, #4
	b.eq	guest_events_undef
	cmp	x0, #5
	b.eq	guest_events_emulated
	cmp	x0, #6
	b.eq	guest_events_vgic
	report	0xbad
	b	.

/* 1: at EL1h with Z and C set and D clear, report 0x1111; then 0x1112. */
guest_events_el1:
	movz	x1, #0x6000, lsl #16
	msr	nzcv, x1
	msr	daifclr, #8
	movq	x0, 0x1111
GUEST_LABEL(guest_events_el1_hvc)
	hvc	#0
	report	0x1112
	b	.

/*
 * 2: SCTLR_EL1.nTWI (EL0's WFI is not trapped to EL1, so it reaches EL2
 * as a HALT), SPAN (PAN kept by an exception) and DSSBS (SSBS set by
 * one); then ERET to EL0t with everything unmasked, which halts forever.
 */
guest_events_el0:
	mrs	x1, sctlr_el1
	orr	x1, x1, #(1 << 16)
	orr	x1, x1, #(1 << 23)
	orr	x1, x1, #(1 << 44)
	msr	sctlr_el1, x1
	adr	x1, guest_events_el0_loop
	msr	elr_el1, x1
	msr	spsr_el1, xzr
	isb
	eret
GUEST_LABEL(guest_events_el0_loop)
	wfi
	b	guest_events_el0_loop

/*
 * 3: with PSTATE.A masked (as SETUP left it) report 0x3330 until the
 * VMM's answer is non-zero, then unmask it and report 0x3331.
 */
guest_events_serror:
	msr	nzcv, xzr			/* the dispatch's CMP set Z, C */
1:	report	0x3330
	cbz	x0, 1b
	msr	daifclr, #4
GUEST_LABEL(guest_events_serror_unmasked)
	report	0x3331
	b	.

/*
 * 4: enable SVE, SME and FP/SIMD in its own CPACR_EL1 (ZEN, SMEN, FPEN),
 * so that their traps go to EL2; then RDVL, SMSTART and PACGA, each
 * followed by a report (0x4441, 0x4442, 0x4443).
 */
guest_events_undef:
	msr	nzcv, xzr
	mrs	x1, cpacr_el1
	orr	x1, x1, #(3 << 16)
	orr	x1, x1, #(3 << 20)
	orr	x1, x1, #(3 << 24)
	msr	cpacr_el1, x1
	isb
GUEST_LABEL(guest_events_sve)
	.inst	0x04bf5020		/* rdvl x0, #1 */
	report	0x4441
GUEST_LABEL(guest_events_sme)
	.inst	0xd503477f		/* smstart */
	report	0x4442
GUEST_LABEL(guest_events_pac)
	.inst	0x9ac23020		/* pacga x0, x1, x2 */
	report	0x4443
	b	.

/*
 * 5: an MMIO load into x3 (0x5555 before), then report x3; HVC 0x5550,
 * then report 0x5551.
 */
guest_events_emulated:
	msr	nzcv, xzr
	movq	x3, 0x5555
	movq	x1, VCPU_TEST_MMIO_GPA
GUEST_LABEL(guest_events_mmio_ldr)
	ldr	x3, [x1]
	mov	x0, x3
	hvc	#0
	movq	x0, 0x5550
GUEST_LABEL(guest_events_hvc)
	hvc	#0
	report	0x5551
	b	.

/* 6: group 1 on, priority mask 0xf0, IRQs unmasked, WFI forever. */
guest_events_vgic:
	mov	x1, #0xf0
	msr	ICC_PMR_EL1, x1
	mov	x1, #1
	msr	ICC_IGRPEN1_EL1, x1
	isb
	msr	daifclr, #2
1:	wfi
	b	1b
GUEST_END(guest_events)
