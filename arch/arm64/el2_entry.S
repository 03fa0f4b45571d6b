/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EL2 world switch of a VHE host.
 *
 * unsigned long vcpu_el2_enter(struct vcpu_el2_ctxt *ctxt, const void *vectors)
 *
 * Called with DAIF masked, the guest's HCR_EL2, VTTBR_EL2, ELR_EL2,
 * SPSR_EL2 and EL1 system registers already loaded.  The host's
 * callee-saved registers, x18 and sp_el0 (which holds `current`) go on the
 * stack, then the context pointer and the host's VBAR_EL2; our vectors are
 * installed only from here to the exit, so no host exception can ever
 * reach them.
 *
 * An exception from the guest is taken to EL2 on SP_EL2, which still holds
 * the stack pointer of the ERET: the vector pushes the guest's x0/x1 below
 * it and finds the context pointer just above.  An exception taken at EL2
 * itself while our vectors are live (only an illegal exception return can
 * cause one: the PE stays at EL2 with the stack pointer unchanged) leaves
 * through the same path, reported as EL2_EXIT_HYP.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>

#include "el2_ctxt.h"

#define HOST_FRAME	112	/* x29, x30, x19..x28, x18, sp_el0 */

	.text
SYM_FUNC_START(vcpu_el2_enter)
	stp	x29, x30, [sp, #-HOST_FRAME]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x2, sp_el0
	stp	x18, x2, [sp, #96]

	mrs	x3, vbar_el2
	stp	x0, x3, [sp, #-16]!	/* [sp]: ctxt, [sp + 8]: host VBAR */
	msr	vbar_el2, x1
	isb

	ldr	x2, [x0, #EL2_CTXT_SP_EL0]
	msr	sp_el0, x2
	ldp	x2, x3, [x0, #EL2_CTXT_X(2)]
	ldp	x4, x5, [x0, #EL2_CTXT_X(4)]
	ldp	x6, x7, [x0, #EL2_CTXT_X(6)]
	ldp	x8, x9, [x0, #EL2_CTXT_X(8)]
	ldp	x10, x11, [x0, #EL2_CTXT_X(10)]
	ldp	x12, x13, [x0, #EL2_CTXT_X(12)]
	ldp	x14, x15, [x0, #EL2_CTXT_X(14)]
	ldp	x16, x17, [x0, #EL2_CTXT_X(16)]
	ldp	x18, x19, [x0, #EL2_CTXT_X(18)]
	ldp	x20, x21, [x0, #EL2_CTXT_X(20)]
	ldp	x22, x23, [x0, #EL2_CTXT_X(22)]
	ldp	x24, x25, [x0, #EL2_CTXT_X(24)]
	ldp	x26, x27, [x0, #EL2_CTXT_X(26)]
	ldp	x28, x29, [x0, #EL2_CTXT_X(28)]
	ldr	x30, [x0, #EL2_CTXT_X(30)]
	ldp	x0, x1, [x0, #EL2_CTXT_X(0)]
	eret
	/* Nothing after the ERET may run, even speculatively. */
	dsb	nsh
	isb
SYM_FUNC_END(vcpu_el2_enter)

/* x1 = EL2_EXIT_*, [sp]: guest x0/x1, [sp + 16]: ctxt, [sp + 24]: VBAR. */
SYM_CODE_START_LOCAL(vcpu_el2_exit)
	ldr	x0, [sp, #16]
	stp	x2, x3, [x0, #EL2_CTXT_X(2)]
	stp	x4, x5, [x0, #EL2_CTXT_X(4)]
	stp	x6, x7, [x0, #EL2_CTXT_X(6)]
	stp	x8, x9, [x0, #EL2_CTXT_X(8)]
	stp	x10, x11, [x0, #EL2_CTXT_X(10)]
	stp	x12, x13, [x0, #EL2_CTXT_X(12)]
	stp	x14, x15, [x0, #EL2_CTXT_X(14)]
	stp	x16, x17, [x0, #EL2_CTXT_X(16)]
	stp	x18, x19, [x0, #EL2_CTXT_X(18)]
	stp	x20, x21, [x0, #EL2_CTXT_X(20)]
	stp	x22, x23, [x0, #EL2_CTXT_X(22)]
	stp	x24, x25, [x0, #EL2_CTXT_X(24)]
	stp	x26, x27, [x0, #EL2_CTXT_X(26)]
	stp	x28, x29, [x0, #EL2_CTXT_X(28)]
	str	x30, [x0, #EL2_CTXT_X(30)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #EL2_CTXT_X(0)]
	mrs	x2, sp_el0
	str	x2, [x0, #EL2_CTXT_SP_EL0]

	ldp	x0, x3, [sp], #16
	msr	vbar_el2, x3
	isb
	ldp	x18, x2, [sp, #96]
	msr	sp_el0, x2
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #HOST_FRAME
	mov	x0, x1
	ret
SYM_CODE_END(vcpu_el2_exit)

	.macro	vcpu_el2_vector type
	.align	7
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\type
	b	vcpu_el2_exit
	.endm

/* VBAR_EL2 must be 2 KiB aligned: 16 entries of 128 bytes. */
	.pushsection .text, "ax"
	.align	11
SYM_CODE_START(vcpu_el2_vectors)
	vcpu_el2_vector EL2_EXIT_HYP		/* current EL, SP_EL0: sync */
	vcpu_el2_vector EL2_EXIT_HYP		/* irq */
	vcpu_el2_vector EL2_EXIT_HYP		/* fiq */
	vcpu_el2_vector EL2_EXIT_HYP		/* serror */
	vcpu_el2_vector EL2_EXIT_HYP		/* current EL, SP_ELx: sync */
	vcpu_el2_vector EL2_EXIT_HYP		/* irq */
	vcpu_el2_vector EL2_EXIT_HYP		/* fiq */
	vcpu_el2_vector EL2_EXIT_HYP		/* serror */
	vcpu_el2_vector EL2_EXIT_SYNC	/* lower EL, AArch64: sync */
	vcpu_el2_vector EL2_EXIT_IRQ
	vcpu_el2_vector EL2_EXIT_FIQ
	vcpu_el2_vector EL2_EXIT_SERROR
	vcpu_el2_vector EL2_EXIT_HYP		/* lower EL, AArch32: never enabled */
	vcpu_el2_vector EL2_EXIT_HYP
	vcpu_el2_vector EL2_EXIT_HYP
	vcpu_el2_vector EL2_EXIT_HYP
SYM_CODE_END(vcpu_el2_vectors)
	.popsection
