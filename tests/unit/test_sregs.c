// SPDX-License-Identifier: GPL-2.0
/* x86 initial state per setup mode and the ONE_REG id mapping. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "arch/x86/sregs.h"

UNIT_TEST(sregs_check_setup)
{
	struct vcpu_setup s = { .mode = VCPU_MODE_X86_REAL, .entry = 0xfffff };

	UNIT_EXPECT_EQ(vcpu_x86_check_setup(&s), 0);
	s.entry = 0x100000;
	UNIT_EXPECT_EQ(vcpu_x86_check_setup(&s), -EINVAL);
	s.mode = VCPU_MODE_X86_PROT32;
	UNIT_EXPECT_EQ(vcpu_x86_check_setup(&s), 0);
	s.stack = 0x100000000ULL;
	UNIT_EXPECT_EQ(vcpu_x86_check_setup(&s), -EINVAL);
	s.mode = VCPU_MODE_X86_LONG64;
	s.page_table = 0x10000;
	UNIT_EXPECT_EQ(vcpu_x86_check_setup(&s), 0);
	s.page_table = 0x10008;
	UNIT_EXPECT_EQ(vcpu_x86_check_setup(&s), -EINVAL);
	s.mode = VCPU_MODE_ARM64_EL1;
	UNIT_EXPECT_EQ(vcpu_x86_check_setup(&s), -EINVAL);
}

UNIT_TEST(sregs_real_mode)
{
	struct vcpu_setup s = { .mode = VCPU_MODE_X86_REAL, .entry = 0x12345,
				.stack = 0x18000, .arg = 7 };
	struct vcpu_x86_sregs r;
	u64 gprs[16];

	vcpu_x86_initial_state(&s, &r, gprs);
	UNIT_EXPECT_EQ(r.seg[VCPU_SEG_CS].base, 0x10000);
	UNIT_EXPECT_EQ(r.seg[VCPU_SEG_CS].selector, 0x1000);
	UNIT_EXPECT_EQ(r.seg[VCPU_SEG_CS].limit, 0xffff);
	UNIT_EXPECT_EQ(r.rip, 0x2345);
	UNIT_EXPECT_EQ(r.seg[VCPU_SEG_SS].base, 0x10000);
	UNIT_EXPECT_EQ(gprs[VCPU_REG_RSP], 0x8000);
	UNIT_EXPECT_EQ(gprs[VCPU_REG_RDI], 7);
	UNIT_EXPECT_EQ(r.cr0 & 1, 0);
	UNIT_EXPECT_EQ(r.seg[VCPU_SEG_ES].attrib, VCPU_X86_ATTR_DATA16);
	UNIT_EXPECT_EQ(r.seg[VCPU_SEG_TR].attrib, VCPU_X86_ATTR_TSS);
	UNIT_EXPECT_EQ(r.rflags, 0x202);
}

UNIT_TEST(sregs_long_mode)
{
	struct vcpu_setup s = { .mode = VCPU_MODE_X86_LONG64, .entry = 0x1000,
				.stack = 0x8000, .page_table = 0x10000 };
	struct vcpu_x86_sregs r;
	u64 gprs[16];

	vcpu_x86_initial_state(&s, &r, gprs);
	UNIT_EXPECT_EQ(r.cr0 & 0x80000001ULL, 0x80000001ULL);
	UNIT_EXPECT_EQ(r.cr3, 0x10000);
	UNIT_EXPECT_EQ(r.cr4 & 0x20, 0x20);
	UNIT_EXPECT_EQ(r.efer, 0x500);
	UNIT_EXPECT(r.seg[VCPU_SEG_CS].attrib & VCPU_X86_ATTR_L);
	UNIT_EXPECT(!(r.seg[VCPU_SEG_CS].attrib & VCPU_X86_ATTR_DB));
	UNIT_EXPECT_EQ(r.seg[VCPU_SEG_GS].attrib, VCPU_X86_ATTR_DATA32);
}

UNIT_TEST(sregs_one_reg_ids)
{
	struct vcpu_x86_sregs r = { .cr4 = 0x20 };
	unsigned int size = 0;
	void *p;

	p = vcpu_x86_one_reg(&r, VCPU_REG_X86_CR4, &size);
	UNIT_ASSERT(p == &r.cr4);
	UNIT_EXPECT_EQ(size, 8);
	p = vcpu_x86_one_reg(&r, VCPU_REG_X86_SEG(VCPU_SEG_TR, VCPU_SEG_ATTRIB),
			     &size);
	UNIT_ASSERT(p == &r.seg[VCPU_SEG_TR].attrib);
	UNIT_EXPECT_EQ(size, 2);
	p = vcpu_x86_one_reg(&r, VCPU_REG_X86_SEG(VCPU_SEG_FS, VCPU_SEG_BASE),
			     &size);
	UNIT_ASSERT(p == &r.seg[VCPU_SEG_FS].base);
	UNIT_EXPECT(vcpu_x86_one_reg(&r, VCPU_REG_X86_SEG(VCPU_SEG_NR, 0),
				     &size) == NULL);
	UNIT_EXPECT(vcpu_x86_one_reg(&r, VCPU_REG_X86_SEG(0, 4), &size) == NULL);
	UNIT_EXPECT(vcpu_x86_one_reg(&r, VCPU_REG_ARCH_ARM64 | 1, &size) == NULL);
	UNIT_EXPECT_EQ(vcpu_x86_one_reg(&r, VCPU_REG_X86_GDTR_LIMIT, &size) ==
		       &r.gdtr.limit, 1);
	UNIT_EXPECT_EQ(size, 4);
}
