/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt guests (lib/guest.h: guest_irq_wait, guest_irq_masked,
 * guest_hc_ping, guest_ipi_pingpong, plus arm64-only ones for
 * vcpu_arm64_irq_test), AArch64 EL1h with the MMU off at
 * VCPU_TEST_CODE_GPA.
 *
 * Each snippet that takes interrupts carries its own vector table:
 * VBAR_EL1 needs 2 KiB alignment, so the snippet starts 2 KiB aligned in
 * this section (the copy at GPA 0x1000 keeps that), branches over the
 * padding to its code, and the table sits at offset 0x800 (GPA 0x1800,
 * 0x800 bytes; code follows, well below DATA at 0x3000).  The IRQ entries
 * (EL1t, EL1h, lower EL) go to the snippet's handler; every other entry
 * reports 0xbad0000 + its index (0xbad0004: a synchronous exception at
 * EL1h, e.g. an ICC_* access that was UNDEFINED) and halts forever.
 *
 * The GIC CPU interface is used through the ICC_* system registers, which
 * the hypervisor maps to its virtual interface: ICC_PMR_EL1 = 0xff and
 * ICC_IGRPEN1_EL1 = 1 at start, ICC_IAR1_EL1 to acknowledge (1020..1023:
 * nothing to do, 1023 is spurious), ICC_EOIR1_EL1 to end (EOImode 0: it
 * also deactivates), ICC_SGI1R_EL1 to send an SGI.  The handlers save and
 * restore every register they use (they interrupt arbitrary code); they
 * run with IRQs masked (PSTATE.I set by the exception) and on SP_EL1.
 */
#include "guest_asm.h"

#define DATA		VCPU_TEST_DATA_GPA
#define IRQ_COUNT	0x100			/* DATA offsets (lib/guest.h) */
#define IRQ_LAST	0x104
#define PP_ROUNDS	0x200
#define PP_COUNT	0x210
#define IRQ_PER_INTID	0x400			/* guest_el1_irq_count only */
#define IPI_SGI		1			/* GUEST_IPI_IRQ */
#define HC_PING		0x56430000
#define HC_UNKNOWN	0x56430005

/* GICv3 CPU interface registers by encoding (any assembler accepts it). */
#define ICC_PMR_EL1	s3_0_c4_c6_0
#define ICC_IAR1_EL1	s3_0_c12_c12_0
#define ICC_EOIR1_EL1	s3_0_c12_c12_1
#define ICC_BPR1_EL1	s3_0_c12_c12_3
#define ICC_CTLR_EL1	s3_0_c12_c12_4
#define ICC_SRE_EL1	s3_0_c12_c12_5
#define ICC_IGRPEN1_EL1	s3_0_c12_c12_7
#define ICC_RPR_EL1	s3_0_c12_c11_3
#define ICC_SGI1R_EL1	s3_0_c12_c11_5


/*
 * The start of snippet s: 2 KiB aligned, a branch over the padding, the
 * vector table at offset 0x800 with the IRQ entries going to s_irq, and
 * s_main right after it.
 */
.macro	IRQ_SNIPPET_BEGIN s
	.balign	2048
	.globl	\s\()_start			/* GUEST_BEGIN(s) */
\s\()_start:
	b	\s\()_main
	.balign	2048
\s\()_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	(\n % 4) == 1
	b	\s\()_irq
	.else
	movz	x0, #0xbad, lsl #16
	movk	x0, #\n
	hvc	#0
9:	wfi
	b	9b
	.endif
	.endr
\s\()_main:
.endm

/* VBAR_EL1 = this snippet's table. Clobbers x1. */
.macro	IRQ_VECTORS s
	adr	x1, \s\()_vectors
	msr	vbar_el1, x1
	isb
.endm

/*
 * The guest's GIC set-up: read ICC_SRE_EL1 and ICC_CTLR_EL1 (neither may
 * trap), unmask every priority, enable group 1.  Clobbers x1.
 */
.macro	GIC_ON
	mrs	x1, ICC_SRE_EL1
	mrs	x1, ICC_CTLR_EL1
	mov	x1, #0xff
	msr	ICC_PMR_EL1, x1
	mov	x1, #1
	msr	ICC_IGRPEN1_EL1, x1
	isb
.endm

/*
 * The shared handler: acknowledge; count (DATA+0x100), record (DATA+0x104);
 * with per_intid, also count in the u32 at DATA+0x400 + 4 * INTID; end
 * the interrupt; with report, report the INTID (after the EOI, so the
 * list register is free by the time the host sees the exit); return.
 */
.macro	IRQ_HANDLER s, report=1, per_intid=0
\s\()_irq:
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
	.if	\per_intid
	add	x2, x2, #IRQ_PER_INTID
	ldr	w3, [x2, x1, lsl #2]
	add	w3, w3, #1
	str	w3, [x2, x1, lsl #2]
	.endif
	msr	ICC_EOIR1_EL1, x1
	.if	\report
	mov	x0, x1
	hvc	#0
	.endif
8:	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret
.endm

	.section .rodata.guest_irq, "a"

/*
 * guest_irq_wait.  arg (x0) bit 0: 0 halt forever, 1 busy loop forever.
 * arm64 extra, bit 1: leave the GIC CPU interface as the hypervisor reset
 * it (no ICC_PMR_EL1 / ICC_IGRPEN1_EL1 writes).
 */
IRQ_SNIPPET_BEGIN guest_el1_irq_wait
	mov	x19, x0
	IRQ_VECTORS guest_el1_irq_wait
	tbnz	x19, #1, 1f
	GIC_ON
1:	msr	daifclr, #2
	tbnz	x19, #0, 3f
2:	wfi
	b	2b
3:	nop
	b	3b
	IRQ_HANDLER guest_el1_irq_wait
GUEST_END(guest_el1_irq_wait)

/* Interrupts masked: report 1, report 2, unmask, halt forever. */
IRQ_SNIPPET_BEGIN guest_el1_irq_masked
	msr	daifset, #2
	IRQ_VECTORS guest_el1_irq_masked
	GIC_ON
	report	1
	report	2
	msr	daifclr, #2
1:	wfi
	b	1b
	IRQ_HANDLER guest_el1_irq_masked
GUEST_END(guest_el1_irq_masked)

/* The kernel's hypercalls: PING(41) -> 42, an unknown one -> ENOSYS. */
GUEST_BEGIN(guest_el1_hc_ping)
	movq	x0, HC_PING
	mov	x1, #41
	hvc	#0
	hvc	#0				/* report the return value */
	movq	x0, HC_UNKNOWN
	mov	x1, #0
	hvc	#0
	hvc	#0
	wfi
GUEST_END(guest_el1_hc_ping)

/*
 * IPI ping-pong.  arg (x0) = this vCPU's index i, its MPIDR Aff0; the
 * peer's is 1 - i.  x19 = i, x20 = peer, x21 = DATA throughout (the
 * handler only reads them).  Each vCPU takes its own stack, 4 KiB apart,
 * whatever SP SETUP gave it: both run this one copy.
 */
IRQ_SNIPPET_BEGIN guest_el1_ipi_pingpong
	mov	x19, x0
	mov	x20, #1
	sub	x20, x20, x19
	movq	x21, DATA
	movq	x1, VCPU_TEST_STACK_GPA
	sub	x1, x1, x19, lsl #12
	mov	sp, x1
	msr	daifset, #2
	IRQ_VECTORS guest_el1_ipi_pingpong
	GIC_ON
	cbnz	x19, 1f
	bl	guest_el1_ipi_pingpong_send	/* vCPU 0 serves first */
	/*
	 * Wait: the check runs with IRQs masked, and WFI still wakes on a
	 * pending (masked) interrupt, so no IPI slips in between the check
	 * and the WFI.
	 */
1:	msr	daifset, #2
	cbnz	x19, 2f
	ldr	w0, [x21, #PP_COUNT]
	ldr	w1, [x21, #PP_ROUNDS]
	cmp	w0, w1
	b.hs	3f
2:	wfi
	msr	daifclr, #2
	b	1b
3:	hvc	#0				/* report vCPU 0's count */
	msr	daifclr, #2
4:	wfi
	b	4b

/* SGI IPI_SGI to the peer: target list bit (1 << peer), Aff3..1 = 0. */
guest_el1_ipi_pingpong_send:
	mov	x1, #1
	lsl	x1, x1, x20
	orr	x1, x1, #(IPI_SGI << 24)
	msr	ICC_SGI1R_EL1, x1
	ret

guest_el1_ipi_pingpong_irq:
	stp	x0, x1, [sp, #-32]!
	stp	x2, x30, [sp, #16]
	mrs	x0, ICC_IAR1_EL1
	cmp	x0, #1020
	b.hs	8f
	cmp	x0, #IPI_SGI
	b.ne	7f
	add	x2, x21, #PP_COUNT
	ldr	w1, [x2, x19, lsl #2]
	add	w1, w1, #1
	str	w1, [x2, x19, lsl #2]
	cbnz	x19, 6f
	ldr	w2, [x21, #PP_ROUNDS]
	cmp	w1, w2
	b.hs	7f				/* vCPU 0 done: no answer */
6:	bl	guest_el1_ipi_pingpong_send
7:	msr	ICC_EOIR1_EL1, x0
8:	ldp	x2, x30, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret
GUEST_END(guest_el1_ipi_pingpong)

/*
 * arm64 only: interrupts on, a busy loop (no exit of its own) until the
 * count at DATA+0x100 reaches arg (x0); then report the count, halt.  The
 * handler counts silently, also per INTID at DATA+0x400 + 4 * INTID, so
 * only host interrupts (the tick, the kick IPI, the GIC maintenance
 * interrupt) give the hypervisor a chance to refill its list registers.
 */
IRQ_SNIPPET_BEGIN guest_el1_irq_count
	mov	x19, x0
	movq	x21, DATA
	IRQ_VECTORS guest_el1_irq_count
	GIC_ON
	msr	daifclr, #2
1:	ldr	w0, [x21, #IRQ_COUNT]
	cmp	w0, w19
	b.lo	1b
	hvc	#0
2:	wfi
	b	2b
	IRQ_HANDLER guest_el1_irq_count, report=0, per_intid=1
GUEST_END(guest_el1_irq_count)

/*
 * arm64 only: ICC_PMR_EL1 masks.  PMR = 0x80 (priority 0xa0 is masked),
 * group 1 on, IRQs unmasked; report 1, report 2, halt (the masked
 * interrupt must not end the WFI), then PMR = 0xff and halt forever.
 */
IRQ_SNIPPET_BEGIN guest_el1_irq_pmr
	IRQ_VECTORS guest_el1_irq_pmr
	mov	x1, #0x80
	msr	ICC_PMR_EL1, x1
	mov	x1, #1
	msr	ICC_IGRPEN1_EL1, x1
	isb
	msr	daifclr, #2
	report	1
	report	2
GUEST_LABEL(guest_el1_irq_pmr_wfi)
	wfi
	mov	x1, #0xff
	msr	ICC_PMR_EL1, x1
	isb
1:	wfi
	b	1b
	IRQ_HANDLER guest_el1_irq_pmr
GUEST_END(guest_el1_irq_pmr)

/*
 * arm64 only: the CPU interface as the guest finds it, none of it
 * trapping.  Reports ICC_SRE_EL1, ICC_PMR_EL1, ICC_IGRPEN1_EL1,
 * ICC_CTLR_EL1, ICC_BPR1_EL1, ICC_RPR_EL1; then writes ICC_PMR_EL1 = 0xe0
 * and ICC_IGRPEN1_EL1 = 0 and reports both read back; halt.
 */
GUEST_BEGIN(guest_el1_gic_regs)
	mrs	x0, ICC_SRE_EL1
	hvc	#0
	mrs	x0, ICC_PMR_EL1
	hvc	#0
	mrs	x0, ICC_IGRPEN1_EL1
	hvc	#0
	mrs	x0, ICC_CTLR_EL1
	hvc	#0
	mrs	x0, ICC_BPR1_EL1
	hvc	#0
	mrs	x0, ICC_RPR_EL1
	hvc	#0
	mov	x1, #0xe0
	msr	ICC_PMR_EL1, x1
	msr	ICC_IGRPEN1_EL1, xzr
	isb
	mrs	x0, ICC_PMR_EL1
	hvc	#0
	mrs	x0, ICC_IGRPEN1_EL1
	hvc	#0
	wfi
GUEST_END(guest_el1_gic_regs)

/* The shared tests' names (lib/guest.h). */
GUEST_ALIAS(guest_irq_wait, guest_el1_irq_wait)
GUEST_ALIAS(guest_irq_masked, guest_el1_irq_masked)
GUEST_ALIAS(guest_hc_ping, guest_el1_hc_ping)
GUEST_ALIAS(guest_ipi_pingpong, guest_el1_ipi_pingpong)

	.section .note.GNU-stack, "", @progbits
