/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules of an XCR0 value (SDM Vol. 1, 13.3; XSETBV in Vol. 2), pure
 * logic shared by the guest's XSETBV and the XCR0 ONE_REG.  The state
 * components by their architectural bit numbers (the kernel's
 * XFEATURE_MASK_* are the same bits).
 */
#ifndef VCPU_X86_XCR0_H
#define VCPU_X86_XCR0_H

#include <linux/types.h>

#define VCPU_XCR0_X87		(1ULL << 0)
#define VCPU_XCR0_SSE		(1ULL << 1)
#define VCPU_XCR0_AVX		(1ULL << 2)
#define VCPU_XCR0_BNDREGS	(1ULL << 3)
#define VCPU_XCR0_BNDCSR	(1ULL << 4)
#define VCPU_XCR0_OPMASK	(1ULL << 5)
#define VCPU_XCR0_ZMM_HI256	(1ULL << 6)
#define VCPU_XCR0_HI16_ZMM	(1ULL << 7)
#define VCPU_XCR0_AVX512	(VCPU_XCR0_OPMASK | VCPU_XCR0_ZMM_HI256 | \
				 VCPU_XCR0_HI16_ZMM)
#define VCPU_XCR0_MPX		(VCPU_XCR0_BNDREGS | VCPU_XCR0_BNDCSR)
#define VCPU_XCR0_PKRU		(1ULL << 9)
#define VCPU_XCR0_AMX		(3ULL << 17)	/* tile config and data */

/* The value XCR0 has after RESET and INIT: x87 only. */
#define VCPU_XCR0_RESET		VCPU_XCR0_X87

/*
 * May XCR0 become @value, on a vCPU that may enable the components in
 * @max?  False where XSETBV raises #GP: x87 cleared, a component outside
 * @max, AVX without SSE, the AVX-512 components not all set or all clear,
 * AVX-512 without AVX, the two MPX components not both set or both clear.
 */
bool vcpu_x86_xcr0_valid(u64 value, u64 max);

#endif /* VCPU_X86_XCR0_H */
