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

/*
 * For 32-bit guests that build their own descriptor tables.
 *
 * GUEST32_FLAT_GDT: null, 0x08 code and 0x10 data (flat 4 GiB) at \gdt,
 * loaded through the 6-byte pseudo-descriptor written at \desc; \reg
 * is clobbered.
 */
.macro GUEST32_FLAT_GDT gdt:req, desc:req, reg=%edi
	movl	$\gdt, \reg
	movl	$0, 0(\reg)
	movl	$0, 4(\reg)
	movl	$0x0000ffff, 8(\reg)
	movl	$0x00cf9a00, 12(\reg)
	movl	$0x0000ffff, 16(\reg)
	movl	$0x00cf9200, 20(\reg)
	movw	$23, \desc
	movl	$\gdt, \desc + 2
	lgdt	\desc
.endm

/*
 * GUEST32_GATE: IDT entry \vec of the table at \idt, a 32-bit interrupt
 * gate (IF cleared on entry, selector 0x08) to guest address \addr;
 * EAX and EDX are clobbered.
 */
.macro GUEST32_GATE idt:req, vec:req, addr:req
	movl	$\addr, %eax
	movl	%eax, %edx
	andl	$0xffff, %edx
	orl	$0x00080000, %edx
	movl	%edx, \idt + \vec * 8
	andl	$0xffff0000, %eax
	orl	$0x8e00, %eax
	movl	%eax, \idt + \vec * 8 + 4
.endm

#endif
