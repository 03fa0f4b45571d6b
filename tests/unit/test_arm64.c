// SPDX-License-Identifier: GPL-2.0
/* arch/arm64: data-abort syndromes, ICC_SGI1R_EL1, PSCI dispatch. */
#include <linux/types.h>
#include <linux/errno.h>

#include "unit.h"
#include "arch/arm64/dabt.h"
#include "arch/arm64/psci.h"
#include "arch/arm64/sgi.h"

/* ESR_EL2 of a data abort: EC 0x24, IL, and the given ISS bits. */
#define DABT(isv, sas, sse, srt, sf, wnr)				\
	((0x24ULL << 26) | (1ULL << 25) | ((u64)(isv) << 24) |		\
	 ((u64)(sas) << 22) | ((u64)(sse) << 21) | ((u64)(srt) << 16) |	\
	 ((u64)(sf) << 15) | ((u64)(wnr) << 6) | 0x6)

UNIT_TEST(arm64_dabt_observed_ldr_x2)
{
	struct vcpu_el2_dabt d;

	/* Measured under QEMU: ldr x2, [x1] at an unmapped IPA. */
	UNIT_ASSERT(vcpu_el2_dabt_decode(0x93c28006, &d) == 0);
	UNIT_EXPECT_EQ(d.write, 0);
	UNIT_EXPECT_EQ(d.width, 8);
	UNIT_EXPECT_EQ(d.reg, 2);
	UNIT_EXPECT_EQ(d.reg_width, 8);
	UNIT_EXPECT_EQ(d.sign_extend, 0);
}

UNIT_TEST(arm64_dabt_no_isv)
{
	struct vcpu_el2_dabt d;

	UNIT_EXPECT_EQ(vcpu_el2_dabt_decode(DABT(0, 3, 0, 2, 1, 0), &d),
		       -EINVAL);
}

UNIT_TEST(arm64_dabt_ldrsb_x)
{
	struct vcpu_el2_dabt d;

	UNIT_ASSERT(vcpu_el2_dabt_decode(DABT(1, 0, 1, 3, 1, 0), &d) == 0);
	UNIT_EXPECT_EQ(d.sign_extend, 1);
	UNIT_EXPECT_EQ(vcpu_el2_dabt_load_value(&d, 0x80),
		       0xffffffffffffff80ULL);
	UNIT_EXPECT_EQ(vcpu_el2_dabt_load_value(&d, 0x17f), 0x7f);
}

UNIT_TEST(arm64_dabt_ldrsh_w_zeroes_top)
{
	struct vcpu_el2_dabt d;

	UNIT_ASSERT(vcpu_el2_dabt_decode(DABT(1, 1, 1, 5, 0, 0), &d) == 0);
	UNIT_EXPECT_EQ(d.reg_width, 4);
	UNIT_EXPECT_EQ(vcpu_el2_dabt_load_value(&d, 0x8001), 0xffff8001ULL);
}

UNIT_TEST(arm64_dabt_ldrb_w_and_ldr_w)
{
	struct vcpu_el2_dabt d;

	UNIT_ASSERT(vcpu_el2_dabt_decode(DABT(1, 0, 0, 4, 0, 0), &d) == 0);
	UNIT_EXPECT_EQ(vcpu_el2_dabt_load_value(&d, 0xfff), 0xff);
	UNIT_ASSERT(vcpu_el2_dabt_decode(DABT(1, 2, 0, 6, 0, 0), &d) == 0);
	UNIT_EXPECT_EQ(vcpu_el2_dabt_load_value(&d, 0x1deadbeefULL),
		       0xdeadbeef);
}

UNIT_TEST(arm64_dabt_str_w_and_xzr)
{
	struct vcpu_el2_dabt d;

	UNIT_ASSERT(vcpu_el2_dabt_decode(DABT(1, 2, 0, 2, 0, 1), &d) == 0);
	UNIT_EXPECT_EQ(d.write, 1);
	UNIT_EXPECT_EQ(d.width, 4);
	UNIT_EXPECT_EQ(d.sign_extend, 0);
	UNIT_EXPECT_EQ(vcpu_el2_dabt_store_value(&d, 0x1122334455667788ULL),
		       0x55667788);
	UNIT_ASSERT(vcpu_el2_dabt_decode(DABT(1, 3, 0, 31, 1, 1), &d) == 0);
	UNIT_EXPECT_EQ(d.reg, EL2_REG_XZR);
	UNIT_EXPECT_EQ(vcpu_el2_dabt_store_value(&d, 0x1234), 0);
}

UNIT_TEST(arm64_sgi_irm)
{
	struct vcpu_exit_send_ipi ipi;

	vcpu_el2_sgi_decode((1ULL << 40) | (3ULL << 24) | 0xffff, &ipi);
	UNIT_EXPECT_EQ(ipi.vector, 3);
	UNIT_EXPECT_EQ(ipi.send_to_all, 1);
	UNIT_EXPECT_EQ(ipi.target_cpu, 0);
	UNIT_EXPECT_EQ(ipi.target_cpu_aux, 0);
}

UNIT_TEST(arm64_sgi_target_list)
{
	struct vcpu_exit_send_ipi ipi;

	vcpu_el2_sgi_decode((7ULL << 48) | (6ULL << 32) | (2ULL << 44) |
				    (15ULL << 24) | (5ULL << 16) | 0x8001,
			    &ipi);
	UNIT_EXPECT_EQ(ipi.vector, 15);
	UNIT_EXPECT_EQ(ipi.send_to_all, 0);
	UNIT_EXPECT_EQ(ipi.target_cpu,
		       (7ULL << 32) | (6ULL << 16) | (5ULL << 8) | 32);
	UNIT_EXPECT_EQ(ipi.target_cpu_aux, 0x8001);
}

static void psci(u64 x0, u64 x1, u64 x2, u64 x3, struct vcpu_el2_psci *p)
{
	const u64 x[4] = { x0, x1, x2, x3 };

	vcpu_el2_psci_dispatch(x, p);
}

UNIT_TEST(arm64_psci_answers)
{
	struct vcpu_el2_psci p;

	psci(0x84000000, 0, 0, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_ANSWER);
	UNIT_EXPECT_EQ(p.ret, 0x10000);
	psci(0x8400000a, 0xc4000003, 0, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_ANSWER);
	UNIT_EXPECT_EQ(p.ret, 0);
	psci(0x8400000a, 0x84000001, 0, 0, &p);	/* CPU_SUSPEND */
	UNIT_EXPECT_EQ(p.ret, (u64)-1);
	psci(0x8400000a, 0xc4000004, 0, 0, &p);	/* AFFINITY_INFO */
	UNIT_EXPECT_EQ(p.ret, 0);
	psci(0x8400000a, 0x84000004, 0, 0, &p);
	UNIT_EXPECT_EQ(p.ret, 0);
	psci(0x8400000a, 0x84000006, 0, 0, &p);	/* MIGRATE_INFO_TYPE */
	UNIT_EXPECT_EQ(p.ret, 0);
	psci(0x8400000a, 0x80000000, 0, 0, &p);	/* SMCCC_VERSION */
	UNIT_EXPECT_EQ(p.ret, (u64)-1);
	psci(0x8400000a, 0xc400000e, 0, 0, &p);	/* SYSTEM_SUSPEND */
	UNIT_EXPECT_EQ(p.ret, (u64)-1);
	psci(0x84000006, 0, 0, 0, &p);		/* MIGRATE_INFO_TYPE */
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_ANSWER);
	UNIT_EXPECT_EQ(p.ret, 2);
	psci(0xc4000007, 0, 0, 0, &p);		/* MIGRATE_INFO_UP_CPU */
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_ANSWER);
	UNIT_EXPECT_EQ(p.ret, (u64)-1);
	psci(0xc4000004, 0x80000102ULL, 0, 0, &p);	/* AFFINITY_INFO */
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_AFFINITY_INFO);
	UNIT_EXPECT_EQ(p.target, 0x80000102ULL);
	UNIT_EXPECT_EQ(p.level, 0);
	/* SMC32: 32-bit arguments */
	psci(0x84000004, 0xffffffff00000001ULL, 0xffffffff00000001ULL, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_AFFINITY_INFO);
	UNIT_EXPECT_EQ(p.target, 1);
	UNIT_EXPECT_EQ(p.level, 1);
}

UNIT_TEST(arm64_psci_exits)
{
	struct vcpu_el2_psci p;

	psci(0xc4000003, 0x100000203ULL, 0x1000, 0xabcdef0123ULL, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_CPU_ON);
	UNIT_EXPECT_EQ(p.target, 0x100000203ULL);
	UNIT_EXPECT_EQ(p.entry, 0x1000);
	UNIT_EXPECT_EQ(p.context, 0xabcdef0123ULL);
	psci(0x84000003, 0xffffffff00000001ULL, 0xffffffff00002000ULL, 7, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_CPU_ON);
	UNIT_EXPECT_EQ(p.target, 1);
	UNIT_EXPECT_EQ(p.entry, 0x2000);
	psci(0x84000002, 0, 0, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_CPU_OFF);
	psci(0x84000008, 0, 0, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_SYSTEM_OFF);
	psci(0x84000009, 0, 0, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_SYSTEM_RESET);
	/* Not PSCI: a hypercall, the upper half of x0 ignored for the id. */
	psci(0x1234, 0, 0, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_NONE);
	psci(0x86000000, 0, 0, 0, &p);
	UNIT_EXPECT_EQ(p.kind, EL2_PSCI_NONE);
}
