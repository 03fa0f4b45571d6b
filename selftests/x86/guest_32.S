/* SPDX-License-Identifier: GPL-2.0 */
/* 32-bit flat protected-mode guests (VCPU_MODE_X86_PROT32, EIP 0x1000). */
#include "guest_asm.h"

	.section .rodata.guest32, "a"
	.code32

/* HLT three times. */
GUEST_BEGIN(guest32_hlt)
	hlt
	hlt
	hlt
GUEST_END(guest32_hlt)

/* OUT 1/2/4 bytes to port 0x80, 1 byte to port 0x3f8 via DX, HLT. */
GUEST_BEGIN(guest32_out)
	movb	$0x11, %al
	outb	%al, $0x80
	movw	$0x2233, %ax
	outw	%ax, $0x80
	movl	$0x44556677, %eax
	outl	%eax, $0x80
	movw	$0x3f8, %dx
	movb	$0x99, %al
	outb	%al, %dx
GUEST_LABEL(guest32_out_hlt)
	hlt
GUEST_END(guest32_out)

/* MMIO writes to 0xC0000000 + offsets: register, immediate, moffs forms. */
GUEST_BEGIN(guest32_mmio_write)
	movl	$VCPU_TEST_MMIO_GPA, %ebx
	movl	$0x11223344, %ecx
	movb	%cl, (%ebx)		/* 88 0B:     +0x00 w1 0x44 */
	movw	%cx, 0x10(%ebx)		/* 66 89 4B:  +0x10 w2 0x3344 */
	movl	%ecx, 0x20(%ebx)	/* 89 4B:     +0x20 w4 0x11223344 */
	movl	$0xdeadbeef, 0x30(%ebx)	/* C7 43:     +0x30 w4 0xdeadbeef */
	movb	$0x7f, 0x40(%ebx)	/* C6 43:     +0x40 w1 0x7f */
	movw	$0xbeef, 0x48(%ebx)	/* 66 C7 43:  +0x48 w2 0xbeef */
	movl	$0xcafef00d, %eax
	movl	%eax, VCPU_TEST_MMIO_GPA + 0x50	/* A3: +0x50 w4 0xcafef00d */
	movb	%al, VCPU_TEST_MMIO_GPA + 0x58	/* A2: +0x58 w1 0x0d */
GUEST_LABEL(guest32_mmio_write_hlt)
	hlt
GUEST_END(guest32_mmio_write)

/* MMIO reads from 0xC0000000 + offsets. */
GUEST_BEGIN(guest32_mmio_read)
	movl	$VCPU_TEST_MMIO_GPA, %ebx
	movl	(%ebx), %ecx		/* 8B 0B:    +0x00 w4 -> ECX */
	movl	VCPU_TEST_MMIO_GPA + 0x10, %eax	/* A1: +0x10 w4 -> EAX */
	movzbl	0x20(%ebx), %edx	/* 0F B6:    +0x20 w1 -> EDX zx */
	movswl	0x30(%ebx), %esi	/* 0F BF:    +0x30 w2 -> ESI sx */
	movb	0x40(%ebx), %bh		/* 8A 7B:    +0x40 w1 -> BH */
GUEST_LABEL(guest32_mmio_read_hlt)
	hlt
GUEST_END(guest32_mmio_read)

/* add %eax, (0xC0000000): 01 05 imm32, not decodable as a plain move. */
GUEST_BEGIN(guest32_mmio_undecodable)
GUEST_LABEL(guest32_mmio_undecodable_insn)
	addl	%eax, VCPU_TEST_MMIO_GPA
	hlt
GUEST_END(guest32_mmio_undecodable)

/*
 * Spin, counting in DATA+0, until the host writes non-zero to DATA+4; then
 * OUT that value to port 0x80 and HLT.
 */
GUEST_BEGIN(guest32_spin)
1:	incl	VCPU_TEST_DATA_GPA
	cmpl	$0, VCPU_TEST_DATA_GPA + 4
	je	1b
	movl	VCPU_TEST_DATA_GPA + 4, %eax
	outl	%eax, $0x80
	hlt
GUEST_END(guest32_spin)

/* Host writes DATA+4; the guest OUTs it, then writes DATA+8 and HLTs. */
GUEST_BEGIN(guest32_shared)
	movl	VCPU_TEST_DATA_GPA + 4, %eax
	outl	%eax, $0x80
	movl	$0xdeadbeef, VCPU_TEST_DATA_GPA + 8
	hlt
GUEST_END(guest32_shared)

/*
 * Read 0x200000 (a read-only region) and OUT it, then store to 0x200010
 * (must fault, the guest does not advance).
 */
GUEST_BEGIN(guest32_readonly)
	movl	0x200000, %eax
	outl	%eax, $0x80
GUEST_LABEL(guest32_readonly_store)
	movl	$0x55555555, 0x200010
	hlt
GUEST_END(guest32_readonly)

/* Read GPA 0x200000 (no region there) into EAX, OUT it, HLT. */
GUEST_BEGIN(guest32_read_gap)
	movl	0x200000, %eax
	outl	%eax, $0x80
	movl	0x400000, %eax		/* a second region, see the test */
	outl	%eax, $0x80
	hlt
GUEST_END(guest32_read_gap)

/*
 * The canary scan: count the dwords equal to 0x5ca1ab1e in [0x400000,
 * 0x800000) (a region), then read one dword every 2 MiB from 0x800000 up
 * to 4 GiB (no region: each read exits) and count those too; OUT the
 * count, HLT.
 */
GUEST_BEGIN(guest32_scan)
	xorl	%edi, %edi
	movl	$0x400000, %esi
1:	cmpl	$0x5ca1ab1e, (%esi)
	jne	2f
	incl	%edi
2:	addl	$4, %esi
	cmpl	$0x800000, %esi
	jb	1b
3:	movl	(%esi), %eax
	cmpl	$0x5ca1ab1e, %eax
	jne	4f
	incl	%edi
4:	addl	$0x200000, %esi
	jnz	3b
	movl	%edi, %eax
	outl	%eax, $0x80
	hlt
GUEST_END(guest32_scan)

/* Triple fault: an IDT of limit 0, then #UD -> #GP -> #DF -> shutdown. */
GUEST_BEGIN(guest32_triple_fault)
	pushl	$0
	pushl	$0
	lidt	(%esp)
	ud2
	hlt
GUEST_END(guest32_triple_fault)

/* The shared tests' names (lib/guest.h): 32-bit, GUEST_MODE = PROT32. */
GUEST_ALIAS(guest_hlt, guest32_hlt)
GUEST_ALIAS(guest_out, guest32_out)
GUEST_ALIAS(guest_spin, guest32_spin)
GUEST_ALIAS(guest_shared, guest32_shared)
GUEST_ALIAS(guest_readonly, guest32_readonly)
GUEST_LABEL_ALIAS(guest_readonly_store, guest32_readonly_store)
GUEST_ALIAS(guest_read_gap, guest32_read_gap)
GUEST_ALIAS(guest_scan, guest32_scan)

	.section .note.GNU-stack, "", @progbits
