/* SPDX-License-Identifier: GPL-2.0 */
/* 16-bit real-mode guests (VCPU_MODE_X86_REAL, CS.base 0, IP 0x1000). */
#include "guest_asm.h"

	.section .rodata.guest16, "a"
	.code16

/* OUT 1 and 2 bytes, then HLT. */
GUEST_BEGIN(guest16_out)
	movb	$0x42, %al
	outb	%al, $0x80
	movw	$0x1234, %ax
	outw	%ax, $0x80
GUEST_LABEL(guest16_out_hlt)
	hlt
GUEST_END(guest16_out)

/*
 * MMIO in real mode: DS = 0xA000, so DS:0x10 is GPA 0xA0010 (the region
 * ends at 0x80000).
 */
GUEST_BEGIN(guest16_mmio)
	movw	$0xA000, %ax
	movw	%ax, %ds
	movb	$0x5a, %bl
	movb	%bl, 0x10		/* 88 1E: width 1 */
	movw	$0xbeef, %cx
	movw	%cx, 0x20		/* 89 0E: width 2 */
	movl	$0x12345678, %edx
	movl	%edx, 0x30		/* 66 89 16: width 4 */
	movw	$0xcafe, 0x40		/* C7 06 imm16: width 2 */
	movw	0x50, %bx		/* 8B 1E: read, width 2 into BX */
GUEST_LABEL(guest16_mmio_hlt)
	hlt
GUEST_END(guest16_mmio)

/*
 * Single step over an instruction the kernel completes: with TF set by
 * POPF, the OUT after it exits to the VMM and must still raise its #DB
 * trap once completed, as the hardware would.  The handler (IVT vector 1)
 * reports DR6 on port 0x81 (BS, bit 14, set) and returns with TF clear;
 * then OUT 0x82 and HLT.
 */
GUEST_BEGIN(guest16_single_step)
	movw	$(guest16_single_step_db - guest16_single_step_start + 0x1000), 0x4
	movw	$0, 0x6
	pushfw
	movw	%sp, %bp
	orw	$0x100, (%bp)
	popfw
	outb	%al, $0x80		/* TF set: #DB right after it */
	outb	%al, $0x82
	hlt
GUEST_LABEL(guest16_single_step_db)
	movl	%dr6, %eax
	outl	%eax, $0x81
	movw	%sp, %bp
	andw	$~0x100, 4(%bp)		/* the interrupted FLAGS: TF off */
	iretw
GUEST_END(guest16_single_step)

	.section .note.GNU-stack, "", @progbits
