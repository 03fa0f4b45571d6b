/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_arm64_fp_test's guest: its FP/SIMD registers as it sees them.
 * AArch64 EL1h, MMU off, at VCPU_TEST_CODE_GPA; x0 (SETUP's arg) picks
 * the part.  Both parts first enable FP/SIMD at EL0 and EL1 in their own
 * CPACR_EL1 (FPEN), so that only EL2 can trap it.
 *
 * A register image is V0..V31 (16 bytes each), then FPSR and FPCR (32
 * bits each): FP_IMAGE_SIZE bytes.
 *   1: store its registers (as they are at its first FP/SIMD instruction)
 *      at FP_DUMP, report 0x1001, halt.
 *   2: load the image at FP_WANT, report 0x2000; then forever: FP_COUNT
 *      times store its registers at FP_DUMP and compare them with
 *      FP_WANT (a mismatch reports 0xbad00000 + the byte offset / 8 and
 *      stops), then report 0x2001.  Nothing in the loop writes an FP/SIMD
 *      register or FPSR/FPCR: whatever differs came from outside.
 */
#include "guest_asm.h"
#include "guest_fp.h"

	.section .rodata.guest_fp, "a"

GUEST_BEGIN(guest_fp)
	mrs	x1, cpacr_el1
	orr	x1, x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	movz	x19, #(FP_DUMP >> 16), lsl #16
	movk	x19, #(FP_DUMP & 0xffff)
	movz	x20, #(FP_WANT >> 16), lsl #16
	movk	x20, #(FP_WANT & 0xffff)
	cmp	x0, #1
	b.eq	guest_fp_dump
	cmp	x0, #2
	b.eq	guest_fp_verify
	report	0xbad
	b	.

guest_fp_dump:
	bl	guest_fp_store
	report	0x1001
1:	wfi
	b	1b

guest_fp_verify:
	ldp	q0, q1, [x20, #0]
	ldp	q2, q3, [x20, #32]
	ldp	q4, q5, [x20, #64]
	ldp	q6, q7, [x20, #96]
	ldp	q8, q9, [x20, #128]
	ldp	q10, q11, [x20, #160]
	ldp	q12, q13, [x20, #192]
	ldp	q14, q15, [x20, #224]
	ldp	q16, q17, [x20, #256]
	ldp	q18, q19, [x20, #288]
	ldp	q20, q21, [x20, #320]
	ldp	q22, q23, [x20, #352]
	ldp	q24, q25, [x20, #384]
	ldp	q26, q27, [x20, #416]
	ldp	q28, q29, [x20, #448]
	ldp	q30, q31, [x20, #480]
	ldr	w1, [x20, #512]
	msr	fpsr, x1
	ldr	w1, [x20, #516]
	msr	fpcr, x1
	report	0x2000
2:	movz	x21, #(FP_COUNT >> 16), lsl #16
	movk	x21, #(FP_COUNT & 0xffff)
	ldr	x21, [x21]
3:	bl	guest_fp_store
	mov	x1, #0
4:	ldr	x2, [x19, x1, lsl #3]
	ldr	x3, [x20, x1, lsl #3]
	cmp	x2, x3
	b.ne	5f
	add	x1, x1, #1
	cmp	x1, #(FP_IMAGE_SIZE / 8)
	b.lo	4b
	subs	x21, x21, #1
	b.hi	3b
	report	0x2001
	b	2b
5:	movz	x0, #0xbad0, lsl #16
	orr	x0, x0, x1
	hvc	#0
	b	5b

/* The registers at x19 (FP/SIMD registers and FPSR/FPCR unchanged). */
guest_fp_store:
	stp	q0, q1, [x19, #0]
	stp	q2, q3, [x19, #32]
	stp	q4, q5, [x19, #64]
	stp	q6, q7, [x19, #96]
	stp	q8, q9, [x19, #128]
	stp	q10, q11, [x19, #160]
	stp	q12, q13, [x19, #192]
	stp	q14, q15, [x19, #224]
	stp	q16, q17, [x19, #256]
	stp	q18, q19, [x19, #288]
	stp	q20, q21, [x19, #320]
	stp	q22, q23, [x19, #352]
	stp	q24, q25, [x19, #384]
	stp	q26, q27, [x19, #416]
	stp	q28, q29, [x19, #448]
	stp	q30, q31, [x19, #480]
	mrs	x2, fpsr
	str	w2, [x19, #512]
	mrs	x2, fpcr
	str	w2, [x19, #516]
	ret
GUEST_END(guest_fp)
