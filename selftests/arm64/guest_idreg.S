/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests of vcpu_arm64_idreg_test.  Generic s3_0_c0_cM_N names: the
 * assembler need not know every ID register.
 */
#include "guest_asm.h"

/* One ID register read into x1 and reported: HVC x0 = 0x1d00 + n. */
.macro	idreg n, reg
	mrs	x1, \reg
	movq	x0, 0x1d00 + \n
	hvc	#0
.endm

/*
 * The ID registers, in the order of the test's table; no exit between
 * the reports (the reads are answered in the kernel).
 */
GUEST_BEGIN(guest_idreg_read)
	idreg	0, s3_0_c0_c4_0		/* ID_AA64PFR0_EL1 */
	idreg	1, s3_0_c0_c4_1		/* ID_AA64PFR1_EL1 */
	idreg	2, s3_0_c0_c6_1		/* ID_AA64ISAR1_EL1 */
	idreg	3, s3_0_c0_c6_2		/* ID_AA64ISAR2_EL1 */
	idreg	4, s3_0_c0_c5_0		/* ID_AA64DFR0_EL1 */
	idreg	5, s3_0_c0_c4_4		/* ID_AA64ZFR0_EL1 */
	idreg	6, s3_0_c0_c4_5		/* ID_AA64SMFR0_EL1 */
	idreg	7, s3_0_c0_c6_0		/* ID_AA64ISAR0_EL1 */
	idreg	8, s3_0_c0_c7_0		/* ID_AA64MMFR0_EL1 */
	idreg	9, s3_0_c0_c4_3		/* unallocated */
	idreg	10, s3_0_c0_c7_7	/* unallocated */
	idreg	11, s3_0_c0_c1_0	/* ID_PFR0_EL1 (AArch32) */
	wfi
GUEST_END(guest_idreg_read)

/*
 * vCPU 0: AFFINITY_INFO in a loop.  It asks the VMM for the function id
 * (HVC 0xaf00), the target MPIDR (0xaf01) and the lowest affinity level
 * (0xaf02), each the hypercall's return value, makes the call by HVC and
 * reports the result in x1 (0xaf03).
 */
GUEST_BEGIN(guest_idreg_aff)
1:	movq	x0, 0xaf00
	hvc	#0
	mov	x19, x0
	movq	x0, 0xaf01
	hvc	#0
	mov	x20, x0
	movq	x0, 0xaf02
	hvc	#0
	mov	x2, x0
	mov	x1, x20
	mov	x0, x19
	hvc	#0			/* AFFINITY_INFO */
	mov	x1, x0
	movq	x0, 0xaf03
	hvc	#0
	b	1b
/* vCPU 1: reports that it runs (0xb000), then CPU_OFF. */
GUEST_LABEL(guest_idreg_aff_second)
	movq	x0, 0xb000
	hvc	#0
	movq	x0, 0x84000002		/* CPU_OFF */
	hvc	#0
	wfi
GUEST_END(guest_idreg_aff)
