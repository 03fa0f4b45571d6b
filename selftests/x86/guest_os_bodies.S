/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test bodies of the OS-like guest (guest_os.S, lib/guest_os.h): 64-bit
 * code at GUEST_OS_BODY_GPA, entered after the guest put itself in long
 * mode.  Reports are OUTL to port 0x80; exceptions report on
 * GUEST_OS_EXC_PORT.
 */
#include "guest_asm.h"
#include "guest_os.h"

#define MSR_EFER	0xc0000080
#define MSR_TSC_AUX	0xc0000103

	.section .rodata.guestosbodies, "a"
	.code64

/*
 * The guest is up: a report, #BP (a trap) and #PF (a fault, which its
 * handler returns to again) through its own IDT.
 */
GUEST_BEGIN(guest_os_hello)
	movl	$0x05, %eax
	outl	%eax, $0x80
	int3
GUEST_LABEL(guest_os_hello_bp)
	movl	$0x06, %eax
	outl	%eax, $0x80
	movabsq	$0x100000010, %rbx	/* beyond the 4 GiB mapped */
GUEST_LABEL(guest_os_hello_pf)
	movl	(%rbx), %eax
	hlt
GUEST_END(guest_os_hello)

/* A 4-byte MMIO load (reported) and a 4-byte MMIO store. */
GUEST_BEGIN(guest_os_mmio)
	movl	$VCPU_TEST_MMIO_GPA, %ebx
	movl	(%rbx), %eax
	outl	%eax, $0x80
	movl	$0xcafef00d, %ecx
	movl	%ecx, 8(%rbx)
	movl	$0x77, %eax
	outl	%eax, $0x80
	hlt
GUEST_END(guest_os_mmio)

/*
 * RFLAGS.TF set (POPF: the trap follows the instruction after it) over
 * one instruction the kernel or the VMM completes; the #DB handler
 * reports and clears TF again.
 */
.macro STEP label, insn:vararg
	pushfq
	orq	$0x100, (%rsp)
	popfq
	\insn
GUEST_LABEL(\label)
.endm

GUEST_BEGIN(guest_os_step)
	movl	$0x11, %eax
	STEP	guest_os_step_out, outl %eax, $0x80
	movl	$VCPU_TEST_MMIO_GPA, %ebx
	STEP	guest_os_step_load, movl (%rbx), %eax
	STEP	guest_os_step_store, movl %eax, 8(%rbx)
	movl	$MSR_EFER, %ecx
	rdmsr
	STEP	guest_os_step_wrmsr_kernel, wrmsr
	movl	$VCPU_TEST_MSR, %ecx
	movl	$0x1234, %eax
	xorl	%edx, %edx
	STEP	guest_os_step_wrmsr_vmm, wrmsr
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	STEP	guest_os_step_cpuid, cpuid
	STEP	guest_os_step_in, inl $0x60, %eax
	outl	%eax, $0x80
	sti
	nop
	STEP	guest_os_step_hlt, hlt
	cli
	movl	$0x22, %eax
	outl	%eax, $0x80
	hlt
GUEST_END(guest_os_step)

/*
 * The TSC: RDTSC (EDX:EAX reported as two words); TSC_AUX written and
 * read by the guest (no exit) and seen by RDTSCP, then the VMM's value
 * (ONE_REG) by RDTSCP and, with ESI = 1, RDPID; a WRMSR with bits 63:32
 * set is #GP.
 */
GUEST_BEGIN(guest_os_tsc)
	rdtsc
	outl	%eax, $0x80
	movl	%edx, %eax
	outl	%eax, $0x80
	movl	$MSR_TSC_AUX, %ecx
	movl	$0x1234, %eax
	xorl	%edx, %edx
	wrmsr
	rdtscp
	movl	%ecx, %eax
	outl	%eax, $0x80
	movl	$MSR_TSC_AUX, %ecx
	rdmsr
	outl	%eax, $0x80
	rdtscp
	movl	%ecx, %eax
	outl	%eax, $0x80
	testl	%esi, %esi
	jz	1f
	rdpid	%rax
	outl	%eax, $0x80
1:	movl	$MSR_TSC_AUX, %ecx
	xorl	%eax, %eax
	movl	$1, %edx
GUEST_LABEL(guest_os_tsc_gp)
	wrmsr
	hlt
GUEST_END(guest_os_tsc)

/*
 * Interrupt shadows ended by an instruction the VMM completes: STI; OUT
 * (the VMM queues an interrupt at the OUT's exit, in the STI's shadow):
 * the interrupt is taken right after the OUT, not later (the completed
 * OUT ended the shadow, as it would on hardware).  The same for MOV SS
 * with IF already on.
 */
GUEST_BEGIN(guest_os_shadow)
	movl	$0x31, %eax
	outl	%eax, $0x80
	sti
	outl	%eax, $0x81
GUEST_LABEL(guest_os_shadow_sti)
	nop
	cli
	movl	$0x32, %eax
	outl	%eax, $0x80
	movw	%ss, %bx
	sti
	nop
	movw	%bx, %ss
	outl	%eax, $0x81
GUEST_LABEL(guest_os_shadow_movss)
	nop
	cli
	movl	$0x33, %eax
	outl	%eax, $0x80
	hlt
GUEST_END(guest_os_shadow)

	.section .note.GNU-stack, "", @progbits
