/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AArch64 EL1 guests (VCPU_MODE_ARM64_EL1, MMU off, PC 0x1000).  A
 * "report" is HVC #0 with the value in x0: a HYPERCALL exit whose nr is
 * the value.
 */
#include "guest_asm.h"


	.section .rodata.guest_el1, "a"
	.balign	4

/* WFI three times. */
GUEST_BEGIN(guest_el1_hlt)
	wfi
	wfi
	wfi
GUEST_END(guest_el1_hlt)

/* Report 0x11, 0x2233, 0x44556677, 0x99, then WFI. */
GUEST_BEGIN(guest_el1_out)
	report	0x11
	report	0x2233
	report	0x44556677
	report	0x99
GUEST_LABEL(guest_el1_out_hlt)
	wfi
GUEST_END(guest_el1_out)

/* Spin counting in DATA+0 until the host writes DATA+4; report it; WFI. */
GUEST_BEGIN(guest_el1_spin)
	movq	x1, VCPU_TEST_DATA_GPA
1:	ldr	w2, [x1]
	add	w2, w2, #1
	str	w2, [x1]
	ldr	w3, [x1, #4]
	cbz	w3, 1b
	mov	x0, x3
	hvc	#0
	wfi
GUEST_END(guest_el1_spin)

/* Report DATA+4, write 0xdeadbeef to DATA+8, WFI. */
GUEST_BEGIN(guest_el1_shared)
	movq	x1, VCPU_TEST_DATA_GPA
	ldr	w0, [x1, #4]
	hvc	#0
	movq	x2, 0xdeadbeef
	str	w2, [x1, #8]
	wfi
GUEST_END(guest_el1_shared)

/* Read 0x200000 (read-only region) and report it; store there (faults). */
GUEST_BEGIN(guest_el1_readonly)
	movq	x1, 0x200000
	ldr	w0, [x1]
	hvc	#0
	movq	x2, 0x55555555
GUEST_LABEL(guest_el1_readonly_store)
	str	w2, [x1, #0x10]
	wfi
GUEST_END(guest_el1_readonly)

/* Read 0x200000 (no region: MMIO into w0), report; then 0x400000. */
GUEST_BEGIN(guest_el1_read_gap)
	movq	x1, 0x200000
	ldr	w0, [x1]
	hvc	#0
	movq	x1, 0x400000
	ldr	w0, [x1]
	hvc	#0
	wfi
GUEST_END(guest_el1_read_gap)

/*
 * The canary scan: count the words equal to 0x5ca1ab1e in [0x400000,
 * 0x800000) (a region), then read one word every 2 MiB from 0x800000 up
 * to 4 GiB (no region: each read exits) and count those too; report the
 * count, halt.
 */
GUEST_BEGIN(guest_el1_scan)
	mov	w7, #0
	movz	w3, #0xab1e
	movk	w3, #0x5ca1, lsl #16
	movq	x1, 0x400000
	movq	x4, 0x800000
1:	ldr	w2, [x1]
	cmp	w2, w3
	cinc	w7, w7, eq
	add	x1, x1, #4
	cmp	x1, x4
	b.lo	1b
	movq	x5, 0x100000000
2:	ldr	w2, [x1]
	cmp	w2, w3
	cinc	w7, w7, eq
	add	x1, x1, #0x200000
	cmp	x1, x5
	b.lo	2b
	mov	x0, x7
	hvc	#0
	wfi
GUEST_END(guest_el1_scan)

/* Hypercall nr 0x1234, args 1..6; then report the returned x0 + 1. */
GUEST_BEGIN(guest_el1_hypercall)
	movq	x0, 0x1234
	mov	x1, #1
	mov	x2, #2
	mov	x3, #3
	mov	x4, #4
	mov	x5, #5
	mov	x6, #6
	hvc	#0
	add	x0, x0, #1
	hvc	#0
	wfi
GUEST_END(guest_el1_hypercall)

/* SMC (trapped, HCR_EL2.TSC) as a hypercall: nr 0x77, report x0 + 1. */
GUEST_BEGIN(guest_el1_smc)
	mov	x0, #0x77
	mov	x1, #0x42
	smc	#0
	add	x0, x0, #1
	hvc	#0
	wfi
GUEST_END(guest_el1_smc)

/* Hypercall with the vCPU's SETUP arg (x0) as nr. */
GUEST_BEGIN(guest_el1_hypercall_arg)
	hvc	#0
	wfi
GUEST_END(guest_el1_hypercall_arg)

/*
 * MMIO stores at 0xC0000000 + off: STR Wn (+0x00, w4), STRB (+0x10, w1),
 * STRH (+0x20, w2), STR Xn (+0x30, w8), STR XZR (+0x40, w8).
 */
GUEST_BEGIN(guest_el1_mmio_write)
	movq	x1, VCPU_TEST_MMIO_GPA
	movq	x2, 0x1122334455667788
	str	w2, [x1]
	strb	w2, [x1, #0x10]
	strh	w2, [x1, #0x20]
	str	x2, [x1, #0x30]
	str	xzr, [x1, #0x40]
GUEST_LABEL(guest_el1_mmio_write_hlt)
	wfi
GUEST_END(guest_el1_mmio_write)

/*
 * MMIO loads: LDRSB x3 (+0x00), LDRB w4 (+0x10), LDRSH w5 (+0x20),
 * LDR w6 (+0x30), LDRSW x7 (+0x40), LDR x8 (+0x50), LDR xzr (+0x60).
 * Every register starts as all ones.
 */
GUEST_BEGIN(guest_el1_mmio_read)
	movq	x1, VCPU_TEST_MMIO_GPA
	mov	x3, #-1
	mov	x4, #-1
	mov	x5, #-1
	mov	x6, #-1
	mov	x7, #-1
	mov	x8, #-1
	ldrsb	x3, [x1]
	ldrb	w4, [x1, #0x10]
	ldrsh	w5, [x1, #0x20]
	ldr	w6, [x1, #0x30]
	ldrsw	x7, [x1, #0x40]
	ldr	x8, [x1, #0x50]
	ldr	xzr, [x1, #0x60]
GUEST_LABEL(guest_el1_mmio_read_hlt)
	wfi
GUEST_END(guest_el1_mmio_read)

/* LDP from MMIO: no valid syndrome, a nested page fault. */
GUEST_BEGIN(guest_el1_mmio_ldp)
	movq	x1, VCPU_TEST_MMIO_GPA
GUEST_LABEL(guest_el1_mmio_ldp_insn)
	ldp	x2, x3, [x1, #0x80]
	wfi
GUEST_END(guest_el1_mmio_ldp)

/*
 * PSCI: VERSION and FEATURES(CPU_ON) are answered in the kernel (reported
 * here), then CPU_ON (SMC64 via HVC), CPU_ON (SMC32 via SMC), CPU_OFF,
 * SYSTEM_RESET, SYSTEM_OFF, each an exit.
 */
GUEST_BEGIN(guest_el1_psci)
	movq	x0, 0x84000000			/* PSCI_VERSION */
	hvc	#0
	hvc	#0				/* report it */
	movq	x0, 0x8400000a			/* PSCI_FEATURES */
	movq	x1, 0xc4000003			/*   (CPU_ON, 64-bit) */
	hvc	#0
	add	x0, x0, #0x100			/* report 0x100 + result */
	hvc	#0
	movq	x0, 0x84000006			/* MIGRATE_INFO_TYPE */
	hvc	#0
	add	x0, x0, #0x300			/* report 0x300 + result */
	hvc	#0
	movq	x0, 0xc4000004			/* AFFINITY_INFO of itself */
	mrs	x1, mpidr_el1
	movq	x2, 0xff00ffffff		/*   its Aff3..Aff0 */
	and	x1, x1, x2
	mov	x2, #0				/*   level 0 */
	hvc	#0
	add	x0, x0, #0x400			/* report 0x400 + result */
	hvc	#0
	movq	x0, 0xc4000003			/* CPU_ON */
	movq	x1, 0x0000000100000203		/*   target MPIDR */
	movq	x2, 0x1000			/*   entry */
	movq	x3, 0xabcdef0123		/*   context id */
	hvc	#0
	add	x0, x0, #0x200			/* report 0x200 + result */
	hvc	#0
	movq	x0, 0x84000003			/* CPU_ON, 32-bit, by SMC */
	movq	x1, 0xffffffff00000001
	movq	x2, 0xffffffff00002000
	movq	x3, 0xffffffff00000042
	smc	#0
	movq	x0, 0x84000002			/* CPU_OFF */
	hvc	#0
	movq	x0, 0x84000009			/* SYSTEM_RESET */
	hvc	#0
	movq	x0, 0x84000008			/* SYSTEM_OFF */
	hvc	#0
	wfi
GUEST_END(guest_el1_psci)

/*
 * ICC_SGI1R_EL1 writes: IRM=1 SGI 3; then SGI 5 to Aff3.Aff2.Aff1 =
 * 1.2.3, RS 1, target list 0b101.
 */
GUEST_BEGIN(guest_el1_sgi)
	movq	x1, (1 << 40) | (3 << 24)
	msr	s3_0_c12_c11_5, x1
	movq	x2, (1 << 48) | (2 << 32) | (1 << 44) | (5 << 24) | (3 << 16) | 0x5
	msr	s3_0_c12_c11_5, x2
	wfi
GUEST_END(guest_el1_sgi)

/* ACTLR_EL1 (HCR_EL2.TACR): read into x5, write x6; report x5. */
GUEST_BEGIN(guest_el1_sysreg)
	mov	x6, #0x5a
	mrs	x5, actlr_el1
	msr	actlr_el1, x6
	mov	x0, x5
	hvc	#0
	wfi
GUEST_END(guest_el1_sysreg)

/* WFE is a hint (no exit), then WFI. */
GUEST_BEGIN(guest_el1_wfe)
	wfe
GUEST_LABEL(guest_el1_wfe_wfi)
	wfi
	wfi
GUEST_END(guest_el1_wfe)

/* Store to 0x200000 + 0x10 only (for a read-only region). */
GUEST_BEGIN(guest_el1_ro_store)
	movq	x1, 0x200010
	movq	x2, 0x55555555
GUEST_LABEL(guest_el1_ro_store_insn)
	str	w2, [x1]
	wfi
GUEST_END(guest_el1_ro_store)

/* Hypercall nr 0x77 with args[0] = x1 = the SETUP arg (x0); WFI. */
GUEST_BEGIN(guest_el1_hypercall_arg1)
	mov	x1, x0
	mov	x0, #0x77
	hvc	#0
	wfi
GUEST_END(guest_el1_hypercall_arg1)

/* The shared tests' names (lib/guest.h): GUEST_MODE = GUEST_MODE_64 = EL1. */
GUEST_ALIAS(guest_hlt, guest_el1_hlt)
GUEST_ALIAS(guest_out, guest_el1_out)
GUEST_ALIAS(guest_spin, guest_el1_spin)
GUEST_ALIAS(guest_shared, guest_el1_shared)
GUEST_ALIAS(guest_readonly, guest_el1_readonly)
GUEST_LABEL_ALIAS(guest_readonly_store, guest_el1_readonly_store)
GUEST_ALIAS(guest_read_gap, guest_el1_read_gap)
GUEST_ALIAS(guest_hypercall_arg, guest_el1_hypercall_arg1)
GUEST_ALIAS(guest_scan, guest_el1_scan)

	.section .note.GNU-stack, "", @progbits
