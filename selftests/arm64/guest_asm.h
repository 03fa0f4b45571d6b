/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest snippets are position independent byte strings: the host copies
 * NAME_start .. NAME_end to VCPU_TEST_CODE_GPA.  GUEST_LABEL marks an
 * instruction whose guest address a test checks (VCPU_GUEST_ADDR).
 */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

#include "vcpu_util.h"

#define GUEST_BEGIN(name)	.globl name##_start; name##_start:
#define GUEST_END(name)		.globl name##_end; name##_end:
#define GUEST_LABEL(name)	.globl name; name:

/*
 * A second, arch-neutral name for a snippet (NAME_start/_end) or a label,
 * for the shared tests (lib/guest.h).  In the file that defines name.
 */
#define GUEST_ALIAS(alias, name)					\
	.globl alias##_start; .set alias##_start, name##_start;		\
	.globl alias##_end; .set alias##_end, name##_end
#define GUEST_LABEL_ALIAS(alias, name)	.globl alias; .set alias, name

/* x<reg> = 64-bit immediate */
.macro	movq reg, imm
	movz	\reg, #((\imm) & 0xffff)
	movk	\reg, #(((\imm) >> 16) & 0xffff), lsl #16
	movk	\reg, #(((\imm) >> 32) & 0xffff), lsl #32
	movk	\reg, #(((\imm) >> 48) & 0xffff), lsl #48
.endm

/* HVC #0 with x0 = imm: a HYPERCALL exit whose nr is imm. */
.macro	report imm
	movq	x0, \imm
	hvc	#0
.endm

#endif
