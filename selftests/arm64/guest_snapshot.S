/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpu_arm64_snapshot_test's guest (AArch64 EL1h, MMU off, at
 * VCPU_TEST_CODE_GPA).  Part one fills a register of every class the vCPU
 * owns (general, FP/SIMD V0-V31 with FPCR and FPSR, CSSELR, the virtual
 * timer, a breakpoint register and MDSCR, TPIDR_EL1, its own VBAR_EL1)
 * and reports 1 with PSTATE.A masked.  The VMM then injects an SError,
 * saves the vCPU, restores it into a new VM and runs it: part two stores
 * what it finds into the data page (layout below), reports its
 * ID_AA64ISAR0_EL1, unmasks SErrors (its handler stores ESR_EL1 and
 * reports 0x5e) and reports 0x600d.
 *
 * Data page (VCPU_TEST_DATA_GPA): 0x000 V0-V31 (16 bytes each), 0x200
 * FPCR, FPSR, CSSELR_EL1, CNTV_CVAL_EL0, CNTV_CTL_EL0, DBGBVR0_EL1,
 * DBGBCR0_EL1, MDSCR_EL1, TPIDR_EL1, 0x248 x19..x28, 0x298 ESR_EL1 of
 * the SError.
 */
#include "guest_asm.h"

#define DATA		VCPU_TEST_DATA_GPA

	.section .rodata.guest_snapshot, "a"
	.balign	2048
GUEST_BEGIN(guest_arm64_snapshot)
	b	snap_main
	.balign	2048
snap_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	\n == 7				/* current EL, SP_EL1: SError */
	b	snap_serror
	.else
	movz	x0, #0xbad, lsl #16
	movk	x0, #\n
	hvc	#0
9:	wfi
	b	9b
	.endif
	.endr

snap_serror:
	movq	x9, DATA
	mrs	x10, esr_el1
	str	x10, [x9, #0x298]
	movq	x0, 0x5e
	hvc	#0
	eret

snap_main:
	adr	x1, snap_vectors
	msr	vbar_el1, x1
	mov	x1, #(3 << 20)			/* CPACR_EL1.FPEN: no FP trap */
	msr	cpacr_el1, x1
	isb
	/* Vn = { 0x0101..01 * (n + 1), its complement } */
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	movq	x1, (0x0101010101010101 * (\n + 1))
	mvn	x2, x1
	fmov	d\n, x1
	ins	v\n\().d[1], x2
	.endr
	movq	x1, 0x03000000			/* FPCR: DN, FZ */
	msr	fpcr, x1
	mov	x1, #0x1f			/* FPSR: IOC..IXC */
	msr	fpsr, x1
	mov	x1, #2				/* CSSELR: level 2 data */
	msr	csselr_el1, x1
	movq	x1, 0xffff000000000000		/* far away: never fires */
	msr	cntv_cval_el0, x1
	mov	x1, #1				/* ENABLE */
	msr	cntv_ctl_el0, x1
	movq	x1, 0x12345678
	lsl	x1, x1, #4
	msr	dbgbvr0_el1, x1
	mov	x1, #0x1e0			/* BAS 0xf, not enabled */
	msr	dbgbcr0_el1, x1
	mov	x1, #(1 << 13)			/* MDSCR_EL1.KDE, no MDE */
	msr	mdscr_el1, x1
	movq	x1, 0xabcdef0123
	msr	tpidr_el1, x1
	movq	x19, 0x1919191919191919
	movq	x20, 0x2020202020202020
	movq	x21, 0x2121212121212121
	movq	x22, 0x2222222222222222
	movq	x23, 0x2323232323232323
	movq	x24, 0x2424242424242424
	movq	x25, 0x2525252525252525
	movq	x26, 0x2626262626262626
	movq	x27, 0x2727272727272727
	movq	x28, 0x2828282828282828
	isb
	report	1
	/* Part two, in the new VM. */
	movq	x9, DATA
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	str	q\n, [x9, #(\n * 16)]
	.endr
	add	x9, x9, #0x200
	mrs	x1, fpcr
	mrs	x2, fpsr
	stp	x1, x2, [x9], #16
	mrs	x1, csselr_el1
	mrs	x2, cntv_cval_el0
	stp	x1, x2, [x9], #16
	mrs	x1, cntv_ctl_el0
	mrs	x2, dbgbvr0_el1
	stp	x1, x2, [x9], #16
	mrs	x1, dbgbcr0_el1
	mrs	x2, mdscr_el1
	stp	x1, x2, [x9], #16
	mrs	x1, tpidr_el1
	str	x1, [x9], #8
	stp	x19, x20, [x9], #16
	stp	x21, x22, [x9], #16
	stp	x23, x24, [x9], #16
	stp	x25, x26, [x9], #16
	stp	x27, x28, [x9], #16
	mrs	x0, id_aa64isar0_el1
	hvc	#0
	msr	daifclr, #4			/* unmask SError: taken here */
	isb
	report	0x600d
1:	wfi
	b	1b
GUEST_END(guest_arm64_snapshot)
