// SPDX-License-Identifier: GPL-2.0
/*
 * arch/arm64/exception.c: vectors, the PSTATE after an exception taken to
 * EL1, the syndromes VCPU_SET_EVENTS accepts.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <string.h>
#include <uapi/linux/vcpu.h>

#include "unit.h"
#include "arch/arm64/exception.h"

/* Values written out from the Arm ARM, not from the source's macros. */
#define ESR(ec, iss)	(((u64)(ec) << 26) | (1ULL << 25) | (iss))
#define EL0T		0x0ULL
#define EL1T		0x4ULL
#define EL1H		0x5ULL
#define DAIF		0x3c0ULL
#define PAN		(1ULL << 22)
#define SSBS		(1ULL << 12)
#define NZCV		0xf0000000ULL

static const struct vcpu_el2_exc_caps all = { .pan = 1, .ssbs = 1, .ras = 1 };
static const struct vcpu_el2_exc_caps none;

UNIT_TEST(arm64_exc_vector_offsets)
{
	/* The table's low 11 bits are RES0 in VBAR_EL1: ignored. */
	UNIT_EXPECT_EQ(vcpu_el2_exc_vector(0x10000, EL1T, EL2_EXC_SYNC),
		       0x10000);
	UNIT_EXPECT_EQ(vcpu_el2_exc_vector(0x10000, EL1H | DAIF, EL2_EXC_SYNC),
		       0x10200);
	UNIT_EXPECT_EQ(vcpu_el2_exc_vector(0x107ff, EL0T, EL2_EXC_SYNC),
		       0x10400);
	UNIT_EXPECT_EQ(vcpu_el2_exc_vector(0x10000, EL1H, EL2_EXC_SERROR),
		       0x10380);
	UNIT_EXPECT_EQ(vcpu_el2_exc_vector(0x10000, EL0T, EL2_EXC_IRQ),
		       0x10480);
	UNIT_EXPECT_EQ(vcpu_el2_exc_vector(0x10000, EL1T, EL2_EXC_FIQ),
		       0x10100);
}

UNIT_TEST(arm64_exc_pstate)
{
	/* From EL0 with NZCV, SSBS, BTYPE, SS, IL, UAO, TCO set. */
	u64 old = NZCV | EL0T | SSBS | 0xc00 | (1ULL << 21) | (1ULL << 20) |
		  (1ULL << 23) | (1ULL << 25) | (1ULL << 24);

	/* SPAN 0: PAN set; DSSBS 0: SSBS clear; DIT and NZCV kept. */
	UNIT_EXPECT_EQ(vcpu_el2_exc_pstate(old, false, false, &all),
		       NZCV | (1ULL << 24) | PAN | DAIF | EL1H);
	/* SPAN 1 keeps PAN (clear here); DSSBS 1 sets SSBS. */
	UNIT_EXPECT_EQ(vcpu_el2_exc_pstate(old, true, true, &all),
		       NZCV | (1ULL << 24) | SSBS | DAIF | EL1H);
	UNIT_EXPECT_EQ(vcpu_el2_exc_pstate(EL1H | PAN, true, false, &all),
		       PAN | DAIF | EL1H);
	/* Without PAN and SSBS neither bit appears. */
	UNIT_EXPECT_EQ(vcpu_el2_exc_pstate(EL1T, false, true, &none),
		       DAIF | EL1H);
}

UNIT_TEST(arm64_exc_esr_lower_or_same_el)
{
	UNIT_EXPECT_EQ(vcpu_el2_exc_esr(ESR(0x25, 0x10), EL0T),
		       ESR(0x24, 0x10));
	UNIT_EXPECT_EQ(vcpu_el2_exc_esr(ESR(0x24, 0x10), EL1H),
		       ESR(0x25, 0x10));
	UNIT_EXPECT_EQ(vcpu_el2_exc_esr(ESR(0x21, 0), EL1T), ESR(0x21, 0));
	UNIT_EXPECT_EQ(vcpu_el2_exc_esr(ESR(0x35, 0), EL0T), ESR(0x34, 0));
	/* Unpaired classes stay. */
	UNIT_EXPECT_EQ(vcpu_el2_exc_esr(ESR(0x3c, 5), EL0T), ESR(0x3c, 5));
	UNIT_EXPECT_EQ(vcpu_el2_exc_esr(ESR(0, 0), EL0T), ESR(0, 0));
}

struct esr_case {
	const char *name;
	u64 esr;
	bool has_far;
	bool ok;
};

static const struct esr_case esr_cases[] = {
	{ "ec 0x00 nofar", ESR(0x00, 0), false, true },
	{ "ec 0x00 nofar (UNKNOWN: ISS RES0)", ESR(0x00, 1), false, false },
	{ "ec 0x00 far (no FAR with UNKNOWN)", ESR(0x00, 0), true, false },
	{ "ec 0x25 far", ESR(0x25, 0x10), true, true },
	{ "ec 0x24 nofar", ESR(0x24, 0x10), false, true },
	{ "ec 0x21 far", ESR(0x21, 0x10), true, true },
	{ "ec 0x22 far", ESR(0x22, 0), true, true },
	{ "ec 0x26 nofar", ESR(0x26, 0), false, true },
	{ "ec 0x26 far", ESR(0x26, 0), true, false },
	{ "ec 0x35 far", ESR(0x35, 0), true, true },
	{ "ec 0x31 far", ESR(0x31, 0), true, false },
	{ "ec 0x33 nofar", ESR(0x33, 0), false, true },
	{ "ec 0x3c nofar", ESR(0x3c, 0x1234), false, true },
	{ "ec 0x25 nofar (IL clear)", ESR(0x25, 0x10) & ~(1ULL << 25), false, false },
	{ "ec 0x25 nofar (ISS2)", ESR(0x25, 0x10) | (1ULL << 32), false, false },
	{ "ec 0x15 nofar (SVC)", ESR(0x15, 0), false, false },
	{ "ec 0x16 nofar (HVC)", ESR(0x16, 0), false, false },
	{ "ec 0x18 nofar (MSR/MRS trap)", ESR(0x18, 0), false, false },
	{ "ec 0x07 nofar (FP)", ESR(0x07, 0), false, false },
	{ "ec 0x19 nofar (SVE)", ESR(0x19, 0), false, false },
	{ "ec 0x2f nofar (SError: its own field)", ESR(0x2f, 0), false, false },
};

static void check_esr(const struct esr_case *c)
{
	UNIT_EXPECT_EQ(vcpu_el2_exc_esr_valid(c->esr, c->has_far), c->ok);
}

UNIT_TABLE(arm64_exc_esr_valid, esr_cases, check_esr);

UNIT_TEST(arm64_serror_esr_valid)
{
	UNIT_EXPECT(vcpu_el2_serror_esr_valid(0));
	UNIT_EXPECT(vcpu_el2_serror_esr_valid(0x11));	/* async SError */
	UNIT_EXPECT(vcpu_el2_serror_esr_valid(0x11 | (2 << 10) | (1 << 9)));
	UNIT_EXPECT(!vcpu_el2_serror_esr_valid(0x10));	/* DFSC */
	UNIT_EXPECT(!vcpu_el2_serror_esr_valid(1 << 14));	/* RES0 */
	UNIT_EXPECT(!vcpu_el2_serror_esr_valid(1 << 6));	/* RES0 */
	UNIT_EXPECT(vcpu_el2_serror_esr_valid((1 << 24) | 0xabcdef));	/* IDS */
	UNIT_EXPECT(!vcpu_el2_serror_esr_valid(1 << 25));
	UNIT_EXPECT(!vcpu_el2_serror_esr_valid(ESR(0x2f, 0x11)));
}

UNIT_TEST(arm64_events_check)
{
	struct vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	ev.flags = VCPU_ARM64_EVENTS_EXCEPTION | VCPU_ARM64_EVENTS_SERROR;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), 0);
	ev.arm64.exception_pending = 1;
	ev.arm64.exception_esr = ESR(0x25, 0x10);
	ev.arm64.exception_has_far = 1;
	ev.arm64.exception_far = 0x1234;
	ev.arm64.serror_pending = 1;
	ev.arm64.serror_has_esr = 1;
	ev.arm64.serror_esr = 0x11;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), 0);
	/* No RAS: no SError syndrome. */
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &none), -EINVAL);

	ev.flags |= 4;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.flags &= ~4U;
	ev.pad = 1;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.pad = 0;
	ev.arm64.pad0 = 1;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.arm64.pad0 = 0;
	ev.arm64.reserved[3] = 1;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.arm64.reserved[3] = 0;
	ev.arch[100] = 1;		/* beyond struct vcpu_arm64_events */
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.arch[100] = 0;
	ev.arm64.exception_pending = 2;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.arm64.exception_pending = 0;	/* fields without their flag */
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.arm64.exception_pending = 1;
	ev.arm64.exception_has_far = 0;	/* a FAR given without has_far */
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.arm64.exception_far = 0;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), 0);
	ev.arm64.serror_has_esr = 0;	/* an ESR without has_esr */
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &all), -EINVAL);
	ev.arm64.serror_esr = 0;
	UNIT_EXPECT_EQ(vcpu_el2_events_check(&ev, &none), 0);
}
