/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Extended-state guests (vcpu_x86_fpu_test), 64-bit at VCPU_TEST_CODE_GPA.
 * Reports are OUT to port 0x80.  The data page holds, at FPU_PATTERN, the
 * 512 bytes the host wants in YMM0-15 (32 bytes each; XMM: the low 16),
 * at FPU_MXCSR and FPU_FCW the MXCSR and x87 control word to load.
 * Registers are compared by storing them to FPU_SCRATCH and comparing
 * memory with general registers, so that no vector register is written.
 */
#include "guest_asm.h"

#define DATA		VCPU_TEST_DATA_GPA
#define FPU_PATTERN	(DATA + 0x000)
#define FPU_SCRATCH	(DATA + 0x200)
#define FPU_MXCSR	(DATA + 0x400)
#define FPU_FCW		(DATA + 0x404)
#define FPU_MXCSR_NOW	(DATA + 0x410)
#define FPU_FCW_NOW	(DATA + 0x414)
#define GDT_GPA		(DATA + 0x800)
#define DESC_GPA	(DATA + 0x900)	/* GDTR/IDTR pseudo-descriptors */
#define IDT_GPA		0x5000

#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define CR4_OSXSAVE	(1 << 18)

#define REPORT_OK	1
#define REPORT_BAD	0xbad
#define REPORT_UD	0xe06
#define REPORT_GP	0xe0d
#define REPORT_DONE	0x600d

	.section .rodata.guestfpu, "a"
	.code64

.macro REPORT v
	movl	$\v, %eax
	outl	%eax, $0x80
.endm

/* CR4.OSFXSR and OSXMMEXCPT: SSE instructions and FXSAVE. */
.macro ENABLE_SSE
	movq	%cr4, %rax
	orq	$(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
	movq	%rax, %cr4
.endm

/* SSE, CR4.OSXSAVE, then XCR0 = x87 | SSE | AVX. */
.macro ENABLE_AVX
	movq	%cr4, %rax
	orq	$(CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE), %rax
	movq	%rax, %cr4
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	movl	$7, %eax
	xsetbv
.endm

/* YMM0-15 (or XMM0-15) from, or to, 32 (16) bytes apart at addr. */
.macro LOAD_YMM addr
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	\addr + 32 * \i, %ymm\i
	.endr
.endm
.macro STORE_YMM addr
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vmovdqu	%ymm\i, \addr + 32 * \i
	.endr
.endm
.macro LOAD_XMM addr
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	\addr + 16 * \i, %xmm\i
	.endr
.endm
.macro STORE_XMM addr
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	%xmm\i, \addr + 16 * \i
	.endr
.endm

/* ZF set when @len bytes at FPU_SCRATCH equal those at FPU_PATTERN. */
.macro SAME len
	movl	$FPU_PATTERN, %esi
	movl	$FPU_SCRATCH, %edi
	movl	$\len / 8, %ecx
	cld
	repe cmpsq
.endm

/* MXCSR and FCW as loaded: jump to \bad if not. */
.macro CHECK_CONTROL bad
	stmxcsr	FPU_MXCSR_NOW
	fnstcw	FPU_FCW_NOW
	movl	FPU_MXCSR_NOW, %eax
	cmpl	FPU_MXCSR, %eax
	jne	\bad
	movw	FPU_FCW_NOW, %ax
	cmpw	FPU_FCW, %ax
	jne	\bad
.endm

/*
 * Reads every YMM register first, with VPTEST (which writes none): all
 * must be zero, the state of a new vCPU.  Reports OK and checks again,
 * forever; on a non-zero register stores them all to FPU_SCRATCH and
 * reports BAD.
 */
GUEST_BEGIN(guest64_fpu_zero)
	ENABLE_AVX
1:
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vptest	%ymm\i, %ymm\i
	jnz	2f
	.endr
	REPORT	REPORT_OK
	jmp	1b
2:	STORE_YMM FPU_SCRATCH
	REPORT	REPORT_BAD
	hlt
GUEST_END(guest64_fpu_zero)

/* Loads FPU_PATTERN into YMM0-15, reports OK, halts. */
GUEST_BEGIN(guest64_fpu_fill)
	ENABLE_AVX
	LOAD_YMM FPU_PATTERN
	REPORT	REPORT_OK
1:	hlt
	jmp	1b
GUEST_END(guest64_fpu_fill)

/*
 * Loads FPU_PATTERN into YMM0-15, FPU_MXCSR and FPU_FCW, then forever:
 * report OK (the VMM runs meanwhile), check that all of them are still
 * what was loaded; BAD (and halt) if not.
 */
GUEST_BEGIN(guest64_fpu_own)
	ENABLE_AVX
	LOAD_YMM FPU_PATTERN
	ldmxcsr	FPU_MXCSR
	fldcw	FPU_FCW
1:	REPORT	REPORT_OK
	STORE_YMM FPU_SCRATCH
	SAME	512
	jne	2f
	CHECK_CONTROL 2f
	jmp	1b
2:	REPORT	REPORT_BAD
	hlt
GUEST_END(guest64_fpu_own)

/* The same with XMM0-15 and no XSAVE: the SSE state alone. */
GUEST_BEGIN(guest64_fpu_sse)
	ENABLE_SSE
	LOAD_XMM FPU_PATTERN
	ldmxcsr	FPU_MXCSR
	fldcw	FPU_FCW
1:	REPORT	REPORT_OK
	STORE_XMM FPU_SCRATCH
	SAME	256
	jne	2f
	CHECK_CONTROL 2f
	jmp	1b
2:	REPORT	REPORT_BAD
	hlt
GUEST_END(guest64_fpu_sse)

/* An interrupt gate for \vec to \handler of guest64_xsetbv. */
.macro GATE vec, handler
	movl	$VCPU_TEST_CODE_GPA + (\handler - guest64_xsetbv_start), %eax
	movl	%eax, %edx
	andl	$0xffff, %edx
	orl	$0x00080000, %edx		/* selector 0x08 */
	movl	%edx, IDT_GPA + 16 * \vec
	andl	$0xffff0000, %eax
	orl	$0x8e00, %eax			/* present, DPL 0, 64-bit gate */
	movl	%eax, IDT_GPA + 16 * \vec + 4
	movl	$0, IDT_GPA + 16 * \vec + 8
	movl	$0, IDT_GPA + 16 * \vec + 12
.endm

/* XSETBV of XCR[ecx] = hi:lo, then report XCR0 as XGETBV reads it. */
.macro XTRY ecx, lo, hi
	movl	$\ecx, %ecx
	movl	$\lo, %eax
	movl	$\hi, %edx
	xsetbv
	xorl	%ecx, %ecx
	xgetbv
	outl	%eax, $0x80
.endm

/* Report CPUID leaf 0xD index 0 EBX: the XSAVE size for XCR0 now. */
.macro XSIZE
	movl	$0xd, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%ebx, %eax
	outl	%eax, $0x80
.endm

/*
 * XSETBV: a flat GDT (64-bit code 0x08, data 0x10) and an IDT whose #UD
 * and #GP handlers report the vector (REPORT_UD, REPORT_GP) and step
 * over the 3-byte XSETBV.  With CR4.OSXSAVE clear: #UD.  Then the valid
 * values x87|SSE, x87|SSE|AVX (when arg, EDI, is non-zero: the host has
 * AVX), x87, x87|SSE, each read back (the first two also followed by
 * CPUID.(0xD,0):EBX, the area size for that XCR0); then each invalid class, #GP and
 * XCR0 unchanged (x87|SSE); then REPORT_DONE.
 */
GUEST_BEGIN(guest64_xsetbv)
	movl	%edi, %esi
	movq	$0, GDT_GPA
	movq	$0x00af9a000000ffff, %rax
	movq	%rax, GDT_GPA + 8
	movq	$0x00cf92000000ffff, %rax
	movq	%rax, GDT_GPA + 16
	movw	$23, DESC_GPA
	movq	$GDT_GPA, DESC_GPA + 2
	lgdt	DESC_GPA
	GATE	6, 8f
	GATE	13, 9f
	movw	$16 * 32 - 1, DESC_GPA + 16
	movq	$IDT_GPA, DESC_GPA + 18
	lidt	DESC_GPA + 16

	xorl	%ecx, %ecx
	xorl	%edx, %edx
	movl	$1, %eax
	xsetbv				/* CR4.OSXSAVE clear: #UD */

	movq	%cr4, %rax
	orq	$(CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE), %rax
	movq	%rax, %cr4
	XTRY	0, 3, 0
	XSIZE
	testl	%esi, %esi
	jz	1f
	XTRY	0, 7, 0
	XSIZE
1:	XTRY	0, 1, 0
	XTRY	0, 3, 0

	XTRY	1, 3, 0			/* XCR1 */
	XTRY	0, 0, 0			/* x87 clear */
	XTRY	0, 2, 0			/* x87 clear, SSE set */
	XTRY	0, 5, 0			/* AVX without SSE */
	XTRY	0, 0x27, 0		/* AVX-512: opmask alone */
	XTRY	0, 0xe3, 0		/* AVX-512 without AVX */
	XTRY	0, 0x0b, 0		/* MPX: BNDREGS alone */
	XTRY	0, 0x40003, 0		/* AMX tile data: not offered */
	XTRY	0, 3, 0x40000000	/* bit 62: reserved */
	REPORT	REPORT_DONE
2:	hlt
	jmp	2b

8:	addq	$3, (%rsp)		/* #UD: RIP past XSETBV */
	pushq	%rax
	REPORT	REPORT_UD
	popq	%rax
	iretq
9:	addq	$8, %rsp		/* #GP: the error code */
	addq	$3, (%rsp)
	pushq	%rax
	REPORT	REPORT_GP
	popq	%rax
	iretq
GUEST_END(guest64_xsetbv)

	.section .note.GNU-stack, "", @progbits
