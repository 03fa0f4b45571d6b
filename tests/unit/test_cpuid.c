// SPDX-License-Identifier: GPL-2.0
/*
 * The CPUID table (arch/x86/cpuid.c) on a fake host: what the default
 * table hides and keeps, the vCPU's own fields, SET_CPUID's rules, the
 * CR4 bits a table reserves and the MOV to CR4 rules; and the MOV to CR
 * decoder (decode.c) the SVM path uses.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/decode.h"

/* A fake Intel-like host with everything the default table must hide. */
static void fake_cpuid(u32 fn, u32 index, u32 *r)
{
	r[0] = r[1] = r[2] = r[3] = 0;
	switch (fn) {
	case 0x0:
		r[0] = 0x20;		/* above what the module knows */
		r[1] = 0x756e6547;
		break;
	case 0x1:
		r[1] = 0x05100800;	/* APIC ID 5 */
		/* MONITOR VMX SMX PDCM PCID x2APIC TSC_DL XSAVE OSXSAVE AVX */
		r[2] = (1u << 3) | (1u << 5) | (1u << 6) | (1u << 15) |
		       (1u << 17) | (1u << 21) | (1u << 24) | (1u << 26) |
		       (1u << 27) | (1u << 28);
		r[3] = (1u << 24) | (1u << 25) | (1u << 21);	/* FXSR SSE DS */
		break;
	case 0x5:
	case 0xa:
		r[0] = 0x12345678;
		break;
	case 0x6:
		r[0] = 0xff;
		break;
	case 0x7:
		if (index == 0) {
			r[0] = 2;
			/* FSGSBASE SMEP SMAP */
			r[1] = (1u << 0) | (1u << 7) | (1u << 20);
			/* PKU OSPKE RDPID */
			r[2] = (1u << 3) | (1u << 4) | (1u << 22);
			r[3] = (1u << 24);		/* AMX-TILE */
		} else if (index == 2) {
			r[3] = 0xff;
		}
		break;
	case 0xb:
		if (index < 2) {
			r[1] = index + 1;
			r[2] = (index + 1) << 8 | index;
			r[3] = 5;
		} else {
			r[2] = index;
			r[3] = 5;
		}
		break;
	case 0xd:
		if (index == 0) {
			r[0] = 0x207;
			r[1] = r[2] = 2696;
		} else if (index == 1) {
			r[0] = 0xf;	/* XSAVEOPT XSAVEC XGETBV1 XSAVES */
			r[2] = 0x100;
		} else if (index == 2) {
			r[0] = 256;
			r[1] = 576;
		} else if (index == 9) {
			r[0] = 8;
			r[1] = 2688;
		}
		break;
	case 0x80000000:
		r[0] = 0x8000000a;
		break;
	case 0x80000001:
		r[2] = (1u << 2) | (1u << 0);	/* SVM, LAHF */
		r[3] = (1u << 27);		/* RDTSCP */
		break;
	case 0x8000000a:
		r[1] = 16;
		break;
	}
}

static const struct vcpu_x86_cpuid_host fake_host = {
	.cpuid = fake_cpuid, .xcr0 = 0x207,
};

static struct {
	struct vcpu_x86_cpuid t;
	struct vcpu_cpuid_entry e[VCPU_CPUID_MAX_ENTRIES];
} table;

static void build(u32 hide)
{
	struct vcpu_x86_cpuid_host h = fake_host;
	int n;

	h.hide = hide;
	n = vcpu_x86_cpuid_default(&h, table.e, VCPU_CPUID_MAX_ENTRIES);
	UNIT_EXPECT(n > 0);
	table.t.nent = n > 0 ? n : 0;
}

static void eval(u32 fn, u32 index, u32 *r)
{
	struct vcpu_x86_cpuid_dyn dyn = { .vcpu_id = 0x123, .xcr0 = 1 };

	vcpu_x86_cpuid_eval(&table.t, fn, index, &dyn, r);
}

UNIT_TEST(cpuid_default_hides)
{
	u32 r[4];

	build(0);
	UNIT_EXPECT_EQ(vcpu_x86_cpuid_check(table.e, table.t.nent), 0);
	eval(0, 0, r);
	UNIT_EXPECT_EQ(r[0], 0x1f);		/* clamped */
	eval(1, 0, r);
	UNIT_EXPECT_EQ(r[2] & ((1u << 3) | (1u << 5) | (1u << 6) |
			       (1u << 15) | (1u << 24) | (1u << 27)), 0);
	UNIT_EXPECT_EQ(r[2] & ((1u << 17) | (1u << 21) | (1u << 26) |
			       (1u << 28) | (1u << 31)),
		       (1u << 17) | (1u << 21) | (1u << 26) | (1u << 28) |
		       (1u << 31));
	UNIT_EXPECT_EQ(r[3], (1u << 24) | (1u << 25));	/* DS gone */
	eval(5, 0, r);
	UNIT_EXPECT_EQ(r[0] | r[1] | r[2] | r[3], 0);
	eval(0xa, 0, r);
	UNIT_EXPECT_EQ(r[0] | r[1] | r[2] | r[3], 0);
	eval(6, 0, r);
	UNIT_EXPECT_EQ(r[0], 1u << 2);		/* ARAT only */
	eval(7, 0, r);
	UNIT_EXPECT_EQ(r[0], 1);		/* index 2 is unknown */
	UNIT_EXPECT_EQ(r[1], (1u << 0) | (1u << 7) | (1u << 20));
	UNIT_EXPECT_EQ(r[2], 1u << 22);		/* PKU, OSPKE gone */
	UNIT_EXPECT_EQ(r[3], 0);		/* AMX gone */
	eval(7, 2, r);
	UNIT_EXPECT_EQ(r[3], 0);
	eval(0x80000001, 0, r);
	UNIT_EXPECT_EQ(r[2], 1);		/* SVM gone */
	UNIT_EXPECT_EQ(r[3], 1u << 27);
	eval(0x8000000a, 0, r);
	UNIT_EXPECT_EQ(r[1], 0);
	eval(0x40000000, 0, r);
	UNIT_EXPECT_EQ(r[0], 0x40000000);
	UNIT_EXPECT(!memcmp(&r[1], "VcpuVcpuVcpu", 12));
	/* Above every range: zeros. */
	eval(0x21, 0, r);
	UNIT_EXPECT_EQ(r[0] | r[1] | r[2] | r[3], 0);
	eval(0x80000020, 0, r);
	UNIT_EXPECT_EQ(r[0] | r[1] | r[2] | r[3], 0);
}

UNIT_TEST(cpuid_default_vendor_hides)
{
	u32 r[4];

	build(VCPU_X86_CPUID_HIDE_RDTSCP);
	eval(7, 0, r);
	UNIT_EXPECT_EQ(r[2] & (1u << 22), 0);
	eval(0x80000001, 0, r);
	UNIT_EXPECT_EQ(r[3] & (1u << 27), 0);
}

UNIT_TEST(cpuid_default_xsave)
{
	struct vcpu_x86_cpuid_dyn dyn = { .xcr0 = 7 };
	u32 r[4];

	build(0);
	/* PKRU is not offered: components 0-2, sized for them. */
	UNIT_EXPECT_EQ(vcpu_x86_cpuid_xcr0(&table.t), 7);
	eval(0xd, 0, r);
	UNIT_EXPECT_EQ(r[0], 7);
	UNIT_EXPECT_EQ(r[2], 832);
	UNIT_EXPECT_EQ(r[1], 576);		/* XCR0 = x87 */
	vcpu_x86_cpuid_eval(&table.t, 0xd, 0, &dyn, r);
	UNIT_EXPECT_EQ(r[1], 832);
	vcpu_x86_cpuid_eval(&table.t, 0xd, 1, &dyn, r);
	UNIT_EXPECT_EQ(r[0], 7);		/* XSAVES gone */
	UNIT_EXPECT_EQ(r[1], 832);
	UNIT_EXPECT_EQ(r[2] | r[3], 0);
	UNIT_EXPECT(vcpu_x86_cpuid_find(&table.t, 0xd, 9) == NULL);
	UNIT_EXPECT(vcpu_x86_cpuid_find(&table.t, 0xd, 2) != NULL);
}

UNIT_TEST(cpuid_default_too_many)
{
	struct vcpu_cpuid_entry e[4];

	UNIT_EXPECT_EQ(vcpu_x86_cpuid_default(&fake_host, e, 4), -E2BIG);
}

UNIT_TEST(cpuid_dynamic_fields)
{
	struct vcpu_x86_cpuid_dyn dyn = {
		.vcpu_id = 0x123, .cr4 = VCPU_CR4_OSXSAVE | VCPU_CR4_PKE,
	};
	u32 r[4];

	build(0);
	vcpu_x86_cpuid_eval(&table.t, 1, 0, &dyn, r);
	UNIT_EXPECT_EQ(r[1] >> 24, 0x23);
	UNIT_EXPECT_EQ(r[1] & 0xffffff, 0x100800);
	UNIT_EXPECT(r[2] & (1u << 27));
	/* OSPKE follows CR4.PKE only with PKU, which is hidden. */
	vcpu_x86_cpuid_eval(&table.t, 7, 0, &dyn, r);
	UNIT_EXPECT_EQ(r[2] & (1u << 4), 0);
	dyn.cr4 = 0;
	vcpu_x86_cpuid_eval(&table.t, 1, 0, &dyn, r);
	UNIT_EXPECT_EQ(r[2] & (1u << 27), 0);
	vcpu_x86_cpuid_eval(&table.t, 0xb, 1, &dyn, r);
	UNIT_EXPECT_EQ(r[3], 0x123);
	UNIT_EXPECT_EQ(r[2], 0x201);
	vcpu_x86_cpuid_eval(&table.t, 0xb, 2, &dyn, r);
	UNIT_EXPECT_EQ(r[2], 2);		/* the list's end, kept */
	UNIT_EXPECT_EQ(r[3], 0x123);
	vcpu_x86_cpuid_eval(&table.t, 0xb, 3, &dyn, r);
	UNIT_EXPECT_EQ(r[0] | r[1] | r[2] | r[3], 0);
}

UNIT_TEST(cpuid_table_lookup)
{
	static struct {
		struct vcpu_x86_cpuid t;
		struct vcpu_cpuid_entry e[3];
	} t = {
		.t.nent = 3,
		.e = {
			{ .function = 1, .index = 9, .eax = 11 },
			{ .function = 4, .index = 0, .eax = 40,
			  .flags = VCPU_CPUID_F_SIGNIFICANT_INDEX },
			{ .function = 4, .index = 1, .eax = 41,
			  .flags = VCPU_CPUID_F_SIGNIFICANT_INDEX },
		},
	};
	const struct vcpu_cpuid_entry *e;

	UNIT_EXPECT_EQ(vcpu_x86_cpuid_check(t.e, 3), 0);
	e = vcpu_x86_cpuid_find(&t.t, 1, 12345);
	UNIT_EXPECT(e && e->eax == 11);
	e = vcpu_x86_cpuid_find(&t.t, 4, 1);
	UNIT_EXPECT(e && e->eax == 41);
	UNIT_EXPECT(vcpu_x86_cpuid_find(&t.t, 4, 2) == NULL);
	UNIT_EXPECT(vcpu_x86_cpuid_find(&t.t, 2, 0) == NULL);
}

struct check_case {
	const char *name;
	struct vcpu_cpuid_entry e[2];
	u32 nent;
	int ret;
};

#define SIG	VCPU_CPUID_F_SIGNIFICANT_INDEX

static const struct check_case check_cases[] = {
	{ "empty", {}, 0, 0 },
	{ "two_leaves", { { .function = 1 }, { .function = 2 } }, 2, 0 },
	{ "two_indexes", { { .function = 4, .flags = SIG },
			   { .function = 4, .index = 1, .flags = SIG } }, 2, 0 },
	{ "bad_flags", { { .function = 1, .flags = 2 } }, 1, -EINVAL },
	{ "reserved", { { .function = 1, .reserved[2] = 1 } }, 1, -EINVAL },
	{ "duplicate", { { .function = 1 }, { .function = 1, .index = 1 } },
	  2, -EINVAL },
	{ "duplicate_index", { { .function = 4, .index = 1, .flags = SIG },
			       { .function = 4, .index = 1, .flags = SIG } },
	  2, -EINVAL },
	{ "indexed_and_not", { { .function = 4, .flags = SIG },
			       { .function = 4, .index = 1 } }, 2, -EINVAL },
	{ "too_many", {}, VCPU_CPUID_MAX_ENTRIES + 1, -E2BIG },
};

static void check_check(const struct check_case *c)
{
	UNIT_EXPECT_EQ(vcpu_x86_cpuid_check(c->e, c->nent), c->ret);
}

UNIT_TABLE(cpuid_check, check_cases, check_check);

UNIT_TEST(cpuid_cr4_reserved)
{
	u64 res;
	u32 i;

	build(0);
	res = vcpu_x86_cpuid_cr4_reserved(&table.t);
	UNIT_EXPECT(res & VCPU_CR4_VMXE);
	UNIT_EXPECT(res & VCPU_CR4_SMXE);
	UNIT_EXPECT(res & VCPU_CR4_PKE);	/* PKU hidden */
	UNIT_EXPECT(res & VCPU_CR4_UMIP);	/* the host has none */
	UNIT_EXPECT(res & VCPU_CR4_LA57);
	UNIT_EXPECT(res & (1ULL << 15));
	UNIT_EXPECT(res & (1ULL << 23));	/* CET */
	UNIT_EXPECT(res & (1ULL << 63));
	UNIT_EXPECT_EQ(res & (VCPU_X86_CR4_BASELINE | VCPU_CR4_OSXSAVE |
			      VCPU_CR4_SMEP | VCPU_CR4_SMAP |
			      VCPU_CR4_FSGSBASE | VCPU_CR4_PCIDE |
			      VCPU_CR4_OSFXSR | VCPU_CR4_OSXMMEXCPT), 0);

	/* Hide XSAVE and SMEP: their CR4 bits become reserved. */
	for (i = 0; i < table.t.nent; i++) {
		if (table.e[i].function == 1)
			table.e[i].ecx &= ~(1u << 26);
		if (table.e[i].function == 7 && table.e[i].index == 0)
			table.e[i].ebx &= ~(1u << 7);
	}
	res = vcpu_x86_cpuid_cr4_reserved(&table.t);
	UNIT_EXPECT(res & VCPU_CR4_OSXSAVE);
	UNIT_EXPECT(res & VCPU_CR4_SMEP);
	UNIT_EXPECT_EQ(res & VCPU_CR4_SMAP, 0);
	/* No leaf 1 at all: OSFXSR, OSXMMEXCPT, PCIDE and OSXSAVE too. */
	table.t.nent = 0;
	res = vcpu_x86_cpuid_cr4_reserved(&table.t);
	UNIT_EXPECT_EQ(~res, VCPU_X86_CR4_BASELINE);
}

UNIT_TEST(cpuid_cr4_check)
{
	const u64 lma = VCPU_X86_EFER_LMA, pae = VCPU_CR4_PAE;
	const u64 res = VCPU_CR4_VMXE;

	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(0, VCPU_CR4_PGE, res, 0, 0), 0);
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(0, VCPU_CR4_VMXE, res, 0, 0),
		       -EINVAL);
	/* Long mode: PAE stays, LA57 does not change. */
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(pae, 0, res, lma, 0), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(pae, pae | VCPU_CR4_LA57, 0, lma, 0),
		       -EINVAL);
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(pae, pae | VCPU_CR4_LA57, 0, 0, 0),
		       0);
	/* PCIDE: long mode and CR3[11:0] zero to set it. */
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(pae, pae | VCPU_CR4_PCIDE, res, lma,
					  0x1000), 0);
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(pae, pae | VCPU_CR4_PCIDE, res, lma,
					  0x1001), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(pae, pae | VCPU_CR4_PCIDE, res, 0,
					  0x1000), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_x86_cr4_check(pae | VCPU_CR4_PCIDE,
					  pae | VCPU_CR4_PCIDE, res, lma,
					  0x1001), 0);
}

struct mov_cr_case {
	const char *name;
	u8 bytes[8];
	unsigned int avail, bits;
	int len;
	u8 cr, gpr;
};

static const struct mov_cr_case mov_cr_cases[] = {
	{ "cr4_rax", { 0x0f, 0x22, 0xe0 }, 3, 64, 3, 4, 0 },
	{ "cr4_r15", { 0x41, 0x0f, 0x22, 0xe7 }, 4, 64, 4, 4, 15 },
	{ "cr12", { 0x44, 0x0f, 0x22, 0xe0 }, 4, 64, 4, 12, 0 },
	{ "cr4_ebx_opsize", { 0x66, 0x0f, 0x22, 0xe3 }, 4, 32, 4, 4, 3 },
	{ "cr0_mod_ignored", { 0x0f, 0x22, 0x01 }, 3, 32, 3, 0, 1 },
	{ "rex_then_prefix", { 0x41, 0x66, 0x0f, 0x22, 0xe7 }, 5, 64, 5, 4,
	  7 },
	{ "rex_is_inc_in_32", { 0x41, 0x0f, 0x22, 0xe0 }, 4, 32, -EINVAL, 0, 0 },
	{ "lock_cr8", { 0xf0, 0x0f, 0x22, 0xc0 }, 4, 32, -EINVAL, 0, 0 },
	{ "mov_from_cr", { 0x0f, 0x20, 0xe0 }, 3, 64, -EINVAL, 0, 0 },
	{ "short", { 0x0f, 0x22 }, 2, 64, -EAGAIN, 0, 0 },
};

static void check_mov_cr(const struct mov_cr_case *c)
{
	u8 cr = 0xff, gpr = 0xff;
	int len = vcpu_x86_decode_mov_to_cr(c->bytes, c->avail, c->bits, &cr,
					    &gpr);

	UNIT_EXPECT_EQ(len, c->len);
	if (c->len > 0) {
		UNIT_EXPECT_EQ(cr, c->cr);
		UNIT_EXPECT_EQ(gpr, c->gpr);
	}
}

UNIT_TABLE(mov_to_cr, mov_cr_cases, check_mov_cr);
