/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's V0-V31, FPSR and FPCR in and out of the CPU (el2_fp.c).  The
 * kernel's own fpsimd_save_state()/fpsimd_load_state() are not exported.
 *
 * A write to FPCR may synchronise the pipeline on some cores, so it is
 * written only when the value changes (the usual case: the guest's FPCR
 * stays what it was, and the scrubbed one is zero).
 */
#include <linux/linkage.h>
#include <asm/assembler.h>

#include "el2_fp.h"

	.text
/* void vcpu_el2_fp_load_regs(const struct vcpu_el2_fp_regs *regs) */
SYM_FUNC_START(vcpu_el2_fp_load_regs)
	ldp	q0, q1, [x0, #EL2_FP_V(0)]
	ldp	q2, q3, [x0, #EL2_FP_V(2)]
	ldp	q4, q5, [x0, #EL2_FP_V(4)]
	ldp	q6, q7, [x0, #EL2_FP_V(6)]
	ldp	q8, q9, [x0, #EL2_FP_V(8)]
	ldp	q10, q11, [x0, #EL2_FP_V(10)]
	ldp	q12, q13, [x0, #EL2_FP_V(12)]
	ldp	q14, q15, [x0, #EL2_FP_V(14)]
	ldp	q16, q17, [x0, #EL2_FP_V(16)]
	ldp	q18, q19, [x0, #EL2_FP_V(18)]
	ldp	q20, q21, [x0, #EL2_FP_V(20)]
	ldp	q22, q23, [x0, #EL2_FP_V(22)]
	ldp	q24, q25, [x0, #EL2_FP_V(24)]
	ldp	q26, q27, [x0, #EL2_FP_V(26)]
	ldp	q28, q29, [x0, #EL2_FP_V(28)]
	ldp	q30, q31, [x0, #EL2_FP_V(30)]
	ldr	w1, [x0, #EL2_FP_FPSR]
	ldr	w2, [x0, #EL2_FP_FPCR]
	msr	fpsr, x1
	mrs	x3, fpcr
	cmp	x2, x3
	b.eq	1f
	msr	fpcr, x2
1:	ret
SYM_FUNC_END(vcpu_el2_fp_load_regs)

/* void vcpu_el2_fp_save_regs(struct vcpu_el2_fp_regs *regs) */
SYM_FUNC_START(vcpu_el2_fp_save_regs)
	stp	q0, q1, [x0, #EL2_FP_V(0)]
	stp	q2, q3, [x0, #EL2_FP_V(2)]
	stp	q4, q5, [x0, #EL2_FP_V(4)]
	stp	q6, q7, [x0, #EL2_FP_V(6)]
	stp	q8, q9, [x0, #EL2_FP_V(8)]
	stp	q10, q11, [x0, #EL2_FP_V(10)]
	stp	q12, q13, [x0, #EL2_FP_V(12)]
	stp	q14, q15, [x0, #EL2_FP_V(14)]
	stp	q16, q17, [x0, #EL2_FP_V(16)]
	stp	q18, q19, [x0, #EL2_FP_V(18)]
	stp	q20, q21, [x0, #EL2_FP_V(20)]
	stp	q22, q23, [x0, #EL2_FP_V(22)]
	stp	q24, q25, [x0, #EL2_FP_V(24)]
	stp	q26, q27, [x0, #EL2_FP_V(26)]
	stp	q28, q29, [x0, #EL2_FP_V(28)]
	stp	q30, q31, [x0, #EL2_FP_V(30)]
	mrs	x1, fpsr
	mrs	x2, fpcr
	str	w1, [x0, #EL2_FP_FPSR]
	str	w2, [x0, #EL2_FP_FPCR]

	/* Nothing of the guest's stays in the CPU (see el2_fp.c). */
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	movi	v\n\().2d, #0
	.endr
	msr	fpsr, xzr
	cbz	x2, 1f
	msr	fpcr, xzr
1:	ret
SYM_FUNC_END(vcpu_el2_fp_save_regs)
