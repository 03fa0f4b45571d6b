// SPDX-License-Identifier: GPL-2.0
/* The XCR0 rules (xcr0.h); pure logic, also built into the unit tests. */
#include "xcr0.h"

bool vcpu_x86_xcr0_valid(u64 value, u64 max)
{
	u64 avx512 = value & VCPU_XCR0_AVX512;
	u64 mpx = value & VCPU_XCR0_MPX;

	if (!(value & VCPU_XCR0_X87) || (value & ~max))
		return false;
	if ((value & VCPU_XCR0_AVX) && !(value & VCPU_XCR0_SSE))
		return false;
	if (avx512 && (avx512 != VCPU_XCR0_AVX512 || !(value & VCPU_XCR0_AVX)))
		return false;
	if (mpx && mpx != VCPU_XCR0_MPX)
		return false;
	return true;
}
