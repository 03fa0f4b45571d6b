// SPDX-License-Identifier: GPL-2.0
/* The XCR0 rules of XSETBV and the XCR0 ONE_REG. */
#include "unit.h"
#include "arch/x86/xcr0.h"

/* x87, SSE, AVX, MPX, AVX-512, PKRU: what an AVX-512 server offers. */
#define MAX_ALL		0x2ffULL

UNIT_TEST(xcr0_valid)
{
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x1, MAX_ALL), true);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x3, MAX_ALL), true);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x7, MAX_ALL), true);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0xe7, MAX_ALL), true);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x1f, MAX_ALL), true);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x2ff, MAX_ALL), true);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x203, MAX_ALL), true);
}

UNIT_TEST(xcr0_invalid)
{
	/* x87 clear */
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x0, MAX_ALL), false);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x6, MAX_ALL), false);
	/* outside max */
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x7, 0x3), false);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x1ULL << 63 | 1, MAX_ALL), false);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x40003, MAX_ALL), false);
	/* AVX without SSE */
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x5, MAX_ALL), false);
	/* AVX-512 partly, or without AVX */
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x27, MAX_ALL), false);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x67, MAX_ALL), false);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0xa7, MAX_ALL), false);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0xe3, MAX_ALL), false);
	/* one MPX component */
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0xb, MAX_ALL), false);
	UNIT_EXPECT_EQ(vcpu_x86_xcr0_valid(0x13, MAX_ALL), false);
}
