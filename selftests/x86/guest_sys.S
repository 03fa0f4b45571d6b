/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 system exits (vcpu_x86_sys_test): the MSR policy, x2APIC ICR writes,
 * the CPU_DOWN and SYSTEM_DOWN conventions.  64-bit guests at
 * VCPU_TEST_CODE_GPA; reports are OUT to port 0x80.
 */
#include "guest_asm.h"

#define MSR_ICR			0x830
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SFMASK		0xc0000084
#define EFER_SCE		0x1
#define MSR_FS_BASE		0xc0000100
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_SYSENTER_ESP	0x175

	.section .rodata.guestsys, "a"
	.code64

/* WRMSR msr with EDX:EAX = 0:v, read it back, report EAX. */
.macro MSR_ROUNDTRIP msr, v
	movl	$\msr, %ecx
	movl	$\v, %eax
	xorl	%edx, %edx
	wrmsr
	xorl	%eax, %eax
	rdmsr
	outl	%eax, $0x80
.endm

/* WRMSR of EDX:EAX = hi:lo to the x2APIC ICR. */
.macro ICR lo, hi
	movl	$MSR_ICR, %ecx
	movl	$\lo, %eax
	movl	$\hi, %edx
	wrmsr
.endm

GUEST_BEGIN(guest64_sys)
	/* Pass-through on both vendors: no exit, the value sticks. */
	MSR_ROUNDTRIP MSR_KERNEL_GS_BASE, 0x11223344
	MSR_ROUNDTRIP MSR_FS_BASE, 0x55667788
	MSR_ROUNDTRIP MSR_SYSENTER_ESP, 0x99aabbcc
	/* SVM: pass-through; VMX: SYSREG_WRITE then SYSREG_READ. */
	MSR_ROUNDTRIP MSR_LSTAR, 0x12345678
	/* An MSR no CPU has: the VMM's. */
	movl	$VCPU_TEST_MSR, %ecx
	movl	$0xaabbccdd, %eax
	movl	$0x11223344, %edx
	wrmsr
	rdmsr
	outl	%eax, $0x80
	movl	%edx, %eax
	outl	%eax, $0x80
	/* EFER is emulated: read in the kernel, SVME hidden. */
	movl	$MSR_EFER, %ecx
	rdmsr
	outl	%eax, $0x80
	/* x2APIC ICR: IPIs */
	ICR	0x00045, 5		/* fixed, vector 0x45, APIC 5 */
	ICR	0x40046, 0		/* self */
	ICR	0x80047, 0		/* all including self */
	ICR	0xc0048, 0		/* all but self */
	ICR	0x00400, 2		/* NMI to APIC 2 */
	/* INIT, INIT de-assert, SIPI, SIPI again, a SIPI without INIT */
	ICR	0x04500, 3
	ICR	0x08500, 3
	ICR	0x0069a, 3		/* CPU_UP: APIC 3 at 0x9a000 */
	ICR	0x0069a, 3
	ICR	0x0069b, 4
	movl	$0x77, %eax
	outl	%eax, $0x80
	movl	$MSR_ICR, %ecx		/* reading the ICR is the VMM's */
	rdmsr
	/* CLI; HLT: this CPU is down */
	cli
	hlt
	sti
	/* reset and power-off ports; near misses are plain port writes */
	movw	$0xcf9, %dx
	movb	$0x02, %al
	outb	%al, %dx
	movb	$0x06, %al
	outb	%al, %dx		/* SYSTEM_DOWN reset */
	movb	$0xd1, %al
	outb	%al, $0x64
	movb	$0xfe, %al
	outb	%al, $0x64		/* SYSTEM_DOWN reset */
	movw	$0x604, %dx
	xorw	%ax, %ax
	outw	%ax, %dx
	movw	$0x2000, %ax
	outw	%ax, %dx		/* SYSTEM_DOWN off */
	hlt				/* IF set: a plain HALT */
GUEST_END(guest64_sys)

/* CLI; HLT; HLT */
GUEST_BEGIN(guest64_cli_hlt)
	cli
	hlt
	hlt
GUEST_END(guest64_cli_hlt)

/*
 * The boot processor wakes APIC 1 with INIT-SIPI at 0xa000 (vector 0x0a),
 * then halts; the started CPU runs guest16_ap there in real mode.
 */
GUEST_BEGIN(guest64_start_ap)
	ICR	0x04500, 1
	ICR	0x0060a, 1
	ICR	0x0060a, 1
	hlt
GUEST_END(guest64_start_ap)

	.code16
GUEST_BEGIN(guest16_ap)
	movw	$0x1234, %ax
	outw	%ax, $0x80
	hlt
GUEST_END(guest16_ap)

/*
 * The kept MSRs (VCPU_REG_X86_MSR): report the SYSENTER_EIP the VMM set,
 * then write SYSENTER_ESP for the VMM to read back.  Both pass through on
 * both vendors: no exit.
 */
	.code64
GUEST_BEGIN(guest64_kept_msrs)
	movl	$0x176, %ecx
	rdmsr
	outl	%eax, $0x80
	movl	%edx, %eax
	outl	%eax, $0x80
	movl	$MSR_SYSENTER_ESP, %ecx
	movl	$0x89abcdef, %eax
	movl	$0xffff8000, %edx
	wrmsr
	hlt
GUEST_END(guest64_kept_msrs)

/*
 * SYSCALL to the guest's own entry point: EFER.SCE, STAR (kernel CS 0x08),
 * LSTAR = the handler below, SFMASK 0; the handler reports 0x5c and jumps
 * back through RCX (the return RIP SYSCALL saved); then 0x600d and HLT.
 * Were the host's LSTAR still in the CPU (VMX does not switch it), the
 * SYSCALL would go to the host's entry point in the guest's address space.
 */
GUEST_BEGIN(guest64_syscall)
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_SCE, %eax
	wrmsr
	movl	$MSR_STAR, %ecx
	xorl	%eax, %eax
	movl	$0x00000008, %edx
	wrmsr
	movl	$MSR_LSTAR, %ecx
	movl	$VCPU_TEST_CODE_GPA + (1f - guest64_syscall_start), %eax
	xorl	%edx, %edx
	wrmsr
	movl	$MSR_SFMASK, %ecx
	xorl	%eax, %eax
	wrmsr
	syscall
	movl	$0x600d, %eax
	outl	%eax, $0x80
2:	hlt
	jmp	2b
1:	movl	$0x5c, %eax
	outl	%eax, $0x80
	jmp	*%rcx
GUEST_END(guest64_syscall)

	.section .note.GNU-stack, "", @progbits

