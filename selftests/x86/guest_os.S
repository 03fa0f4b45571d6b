/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OS-like test guest (layout and protocol: lib/guest_os.h).  From
 * real mode to long mode by itself, as a boot loader and a kernel do:
 * nothing of this depends on what VCPU_SETUP prepares for its other
 * modes.  Loaded at VCPU_TEST_CODE_GPA; OS() is a label's guest address.
 */
#include "guest_asm.h"
#include "guest_os.h"

#define OS(x)		((x) - guest_os_start + VCPU_TEST_CODE_GPA)
#define GDT		GUEST_OS_GDT_GPA
#define TSS		GUEST_OS_TSS_GPA
#define PT		GUEST_OS_PT_GPA
#define REPORT		GUEST_OS_REPORT_GPA

#define CR0_PE		0x00000001
#define CR0_WP		0x00010000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define PTE_P_W		0x003
#define PDE_2M		0x083		/* present, writable, 2 MiB page */

	/* Its own section, page aligned: .balign here is alignment in the guest. */
	.section .rodata.guestos, "a"
	.balign 4096
	.code16
GUEST_BEGIN(guest_os)
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movl	%esi, GUEST_OS_ARG_GPA

	/* The GDT: flat 32-bit code and data, 64-bit code, the 64-bit TSS. */
	movl	$0, GDT + 0
	movl	$0, GDT + 4
	movl	$0x0000ffff, GDT + GUEST_OS_SEL_CODE32
	movl	$0x00cf9b00, GDT + GUEST_OS_SEL_CODE32 + 4
	movl	$0x0000ffff, GDT + GUEST_OS_SEL_DATA
	movl	$0x00cf9300, GDT + GUEST_OS_SEL_DATA + 4
	movl	$0x0000ffff, GDT + GUEST_OS_SEL_CODE64
	movl	$0x00af9b00, GDT + GUEST_OS_SEL_CODE64 + 4
	/* limit 0x67, base TSS (below 64 KiB), type 9 (available TSS), P */
	movl	$((TSS << 16) | 0x67), GDT + GUEST_OS_SEL_TSS
	movl	$0x00008900, GDT + GUEST_OS_SEL_TSS + 4
	movl	$0, GDT + GUEST_OS_SEL_TSS + 8
	movl	$0, GDT + GUEST_OS_SEL_TSS + 12
	movw	$(GUEST_OS_SEL_TSS + 16 - 1), GUEST_OS_DTR_GPA
	movl	$GDT, GUEST_OS_DTR_GPA + 2
	lgdtl	GUEST_OS_DTR_GPA

	/* Protected mode, then reload CS with a far jump. */
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$GUEST_OS_SEL_CODE32, $OS(os_pm32)

	.code32
os_pm32:
	movw	$GUEST_OS_SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs

	/* Identity page tables: PML4[0] -> PDPT[0..3] -> 4 x 512 PDEs. */
	cld
	movl	$PT, %edi
	movl	$(6 * 4096 / 4), %ecx
	xorl	%eax, %eax
	rep stosl
	movl	$(PT + 0x1000 + PTE_P_W), PT
	movl	$(PT + 0x1000), %edi
	movl	$(PT + 0x2000 + PTE_P_W), %eax
	movl	$4, %ecx
1:	movl	%eax, (%edi)
	addl	$0x1000, %eax
	addl	$8, %edi
	loop	1b
	movl	$(PT + 0x2000), %edi
	movl	$PDE_2M, %eax
	movl	$2048, %ecx
2:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	2b

	/* PAE, CR3, EFER.LME, then CR0.PG: long mode (compatibility). */
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PT, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmpl	$GUEST_OS_SEL_CODE64, $OS(os_lm64)

	.code64
os_lm64:
	movw	$GUEST_OS_SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs

	/* The IDT: 32 exception gates and the interrupt's, 64-bit interrupt gates. */
	movl	$GUEST_OS_IDT_GPA, %edi
	xorl	%eax, %eax
	movl	$(4096 / 4), %ecx
	rep stosl
	movl	$OS(os_stubs), %eax
	movl	$GUEST_OS_IDT_GPA, %edi
	movl	$32, %ecx
3:	call	os_gate
	addl	$16, %eax		/* the stubs are 16 bytes apart */
	addl	$16, %edi
	loop	3b
	movl	$(GUEST_OS_IDT_GPA + 16 * GUEST_OS_IRQ_VECTOR), %edi
	call	os_gate
	movw	$(4096 - 1), GUEST_OS_DTR_GPA + 16
	movq	$GUEST_OS_IDT_GPA, %rax
	movq	%rax, GUEST_OS_DTR_GPA + 18
	lidt	GUEST_OS_DTR_GPA + 16
	movw	$GUEST_OS_SEL_TSS, %ax
	ltr	%ax

	movl	GUEST_OS_ARG_GPA, %esi
	movl	$GUEST_OS_BODY_GPA, %eax
	jmp	*%rax

/* The gate at EDI for the handler at EAX (below 4 GiB): CS 64-bit, DPL 0. */
os_gate:
	movl	%eax, %edx
	andl	$0xffff, %edx
	orl	$(GUEST_OS_SEL_CODE64 << 16), %edx
	movl	%edx, (%rdi)
	movl	%eax, %edx
	andl	$0xffff0000, %edx
	orl	$0x8e00, %edx		/* P, 64-bit interrupt gate */
	movl	%edx, 4(%rdi)
	movq	$0, 8(%rdi)
	ret

/*
 * One 16-byte stub per vector: a dummy error code where the CPU pushes
 * none (all but 8, 10-14, 17, 21, 29, 30), then the vector.
 */
	.balign 16
os_stubs:
	vec = 0
	.rept 32
	.balign 16
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || \
	      vec == 21 || vec == 29 || vec == 30)
	pushq	$0
	.endif
	pushq	$vec
	jmp	os_common
	vec = vec + 1
	.endr
	.balign 16
	pushq	$0
	pushq	$GUEST_OS_IRQ_VECTOR
	jmp	os_common

/* Frame: RDX, RAX, vector, error, RIP, CS, RFLAGS, RSP, SS. */
os_common:
	pushq	%rax
	pushq	%rdx
	movq	16(%rsp), %rax
	movq	%rax, REPORT + GUEST_OS_R_VECTOR
	movq	24(%rsp), %rax
	movq	%rax, REPORT + GUEST_OS_R_ERROR
	movq	32(%rsp), %rax
	movq	%rax, REPORT + GUEST_OS_R_RIP
	movq	48(%rsp), %rax
	movq	%rax, REPORT + GUEST_OS_R_RFLAGS
	movq	%cr2, %rax
	movq	%rax, REPORT + GUEST_OS_R_CR2
	incq	REPORT + GUEST_OS_R_COUNT
	/* #DB: one report per single step turned on (TF off on return). */
	cmpq	$1, 16(%rsp)
	jne	4f
	andq	$~0x100, 48(%rsp)
4:	movq	16(%rsp), %rax
	movw	$GUEST_OS_EXC_PORT, %dx
	outl	%eax, %dx
	popq	%rdx
	popq	%rax
	addq	$16, %rsp
	iretq
GUEST_END(guest_os)

	.section .note.GNU-stack, "", @progbits
