// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/strio_decode.c: the INS/OUTS decoder, the elements of one
 * exit (modes, address sizes, DF, wrap, page boundaries, data limit) and
 * the register updates.
 */
#include <string.h>

#include <linux/types.h>
#include <linux/errno.h>

#include "unit.h"
#include "arch/x86/strio.h"

#define PAGE		4096ULL
#define MAXB		VCPU_X86_STRIO_MAX_BYTES

/* ---- decoder ---- */

#define B(...)	.insn = { __VA_ARGS__ }, .n = sizeof((u8[]){ __VA_ARGS__ })

struct strio_decode_case {
	const char *name;
	unsigned int bits;
	u8 insn[20];
	unsigned int n;
	int ret;		/* 0, -EINVAL or -EAGAIN */
	u8 len, width, addr, op;
	bool in, rep;
	unsigned int seg;	/* effective VCPU_SEG_* */
};

#define OK(l, w, a, o)	.ret = 0, .len = l, .width = w, .addr = a, .op = o

static const struct strio_decode_case strio_decode_cases[] = {
	/* ---- 16-bit code (real mode, 16-bit protected mode) ---- */
	{ "16/6c insb", 16, B(0x6c), OK(1, 1, 2, 2), .in = 1,
	  .seg = VCPU_SEG_ES },
	{ "16/6d insw", 16, B(0x6d), OK(1, 2, 2, 2), .in = 1,
	  .seg = VCPU_SEG_ES },
	{ "16/66 6d insd", 16, B(0x66, 0x6d), OK(2, 4, 2, 4), .in = 1,
	  .seg = VCPU_SEG_ES },
	{ "16/6e outsb", 16, B(0x6e), OK(1, 1, 2, 2), .seg = VCPU_SEG_DS },
	{ "16/6f outsw", 16, B(0x6f), OK(1, 2, 2, 2), .seg = VCPU_SEG_DS },
	{ "16/66 6f outsd", 16, B(0x66, 0x6f), OK(2, 4, 2, 4),
	  .seg = VCPU_SEG_DS },
	{ "16/67 6e outsb esi", 16, B(0x67, 0x6e), OK(2, 1, 4, 2),
	  .seg = VCPU_SEG_DS },
	{ "16/f3 6c rep insb", 16, B(0xf3, 0x6c), OK(2, 1, 2, 2), .in = 1,
	  .rep = 1, .seg = VCPU_SEG_ES },
	{ "16/f2 6f repne outsw", 16, B(0xf2, 0x6f), OK(2, 2, 2, 2),
	  .rep = 1, .seg = VCPU_SEG_DS },
	{ "16/26 6e es: outsb", 16, B(0x26, 0x6e), OK(2, 1, 2, 2),
	  .seg = VCPU_SEG_ES },
	{ "16/2e 6e cs: outsb", 16, B(0x2e, 0x6e), OK(2, 1, 2, 2),
	  .seg = VCPU_SEG_CS },
	{ "16/36 6e ss: outsb", 16, B(0x36, 0x6e), OK(2, 1, 2, 2),
	  .seg = VCPU_SEG_SS },
	{ "16/3e 6e ds: outsb", 16, B(0x3e, 0x6e), OK(2, 1, 2, 2),
	  .seg = VCPU_SEG_DS },
	{ "16/64 6e fs: outsb", 16, B(0x64, 0x6e), OK(2, 1, 2, 2),
	  .seg = VCPU_SEG_FS },
	{ "16/65 6e gs: outsb", 16, B(0x65, 0x6e), OK(2, 1, 2, 2),
	  .seg = VCPU_SEG_GS },
	{ "16/2e 64 6e last override wins", 16, B(0x2e, 0x64, 0x6e),
	  OK(3, 1, 2, 2), .seg = VCPU_SEG_FS },
	{ "16/2e 6c ins ignores override", 16, B(0x2e, 0x6c),
	  OK(2, 1, 2, 2), .in = 1, .seg = VCPU_SEG_ES },
	{ "16/f3 66 67 26 6f all prefixes", 16,
	  B(0xf3, 0x66, 0x67, 0x26, 0x6f), OK(5, 4, 4, 4), .rep = 1,
	  .seg = VCPU_SEG_ES },
	{ "16/40 is inc ax, not rex", 16, B(0x40, 0x6e), .ret = -EINVAL },
	/* ---- 32-bit code ---- */
	{ "32/6c insb", 32, B(0x6c), OK(1, 1, 4, 4), .in = 1,
	  .seg = VCPU_SEG_ES },
	{ "32/6d insd", 32, B(0x6d), OK(1, 4, 4, 4), .in = 1,
	  .seg = VCPU_SEG_ES },
	{ "32/66 6d insw", 32, B(0x66, 0x6d), OK(2, 2, 4, 2), .in = 1,
	  .seg = VCPU_SEG_ES },
	{ "32/6f outsd", 32, B(0x6f), OK(1, 4, 4, 4), .seg = VCPU_SEG_DS },
	{ "32/67 6f outsd si", 32, B(0x67, 0x6f), OK(2, 4, 2, 4),
	  .seg = VCPU_SEG_DS },
	{ "32/f3 66 6f rep outsw", 32, B(0xf3, 0x66, 0x6f), OK(3, 2, 4, 2),
	  .rep = 1, .seg = VCPU_SEG_DS },
	{ "32/66 f3 6f prefix order", 32, B(0x66, 0xf3, 0x6f),
	  OK(3, 2, 4, 2), .rep = 1, .seg = VCPU_SEG_DS },
	{ "32/36 f3 6e ss: rep outsb", 32, B(0x36, 0xf3, 0x6e),
	  OK(3, 1, 4, 4), .rep = 1, .seg = VCPU_SEG_SS },
	{ "32/48 is dec eax, not rex", 32, B(0x48, 0x6f), .ret = -EINVAL },
	/* ---- 64-bit code ---- */
	{ "64/6e outsb", 64, B(0x6e), OK(1, 1, 8, 4), .seg = VCPU_SEG_DS },
	{ "64/6f outsd", 64, B(0x6f), OK(1, 4, 8, 4), .seg = VCPU_SEG_DS },
	{ "64/48 6f rex.w stays dword", 64, B(0x48, 0x6f), OK(2, 4, 8, 4),
	  .seg = VCPU_SEG_DS },
	{ "64/66 48 6d rex.w, 66: word", 64, B(0x66, 0x48, 0x6d),
	  OK(3, 2, 8, 2), .in = 1, .seg = VCPU_SEG_ES },
	{ "64/67 f3 6d rep insd edi", 64, B(0x67, 0xf3, 0x6d),
	  OK(3, 4, 4, 4), .in = 1, .rep = 1, .seg = VCPU_SEG_ES },
	{ "64/f3 41 6c rex.b names nothing", 64, B(0xf3, 0x41, 0x6c),
	  OK(3, 1, 8, 4), .in = 1, .rep = 1, .seg = VCPU_SEG_ES },
	{ "64/40 f3 6e rex then legacy", 64, B(0x40, 0xf3, 0x6e),
	  OK(3, 1, 8, 4), .rep = 1, .seg = VCPU_SEG_DS },
	{ "64/65 f3 6f gs: rep outsd", 64, B(0x65, 0xf3, 0x6f),
	  OK(3, 4, 8, 4), .rep = 1, .seg = VCPU_SEG_GS },
	{ "64/2e 6f cs: outsd", 64, B(0x2e, 0x6f), OK(2, 4, 8, 4),
	  .seg = VCPU_SEG_CS },
	/* ---- refused ---- */
	{ "32/f0 6e lock", 32, B(0xf0, 0x6e), .ret = -EINVAL },
	{ "32/ec in", 32, B(0xec), .ret = -EINVAL },
	{ "32/e6 out imm", 32, B(0xe6, 0x80), .ret = -EINVAL },
	{ "32/a4 movsb", 32, B(0xa4), .ret = -EINVAL },
	{ "32/0f 6e is movd", 32, B(0x0f, 0x6e, 0xc0), .ret = -EINVAL },
	{ "32/14 prefixes + 6e = 15 bytes", 32,
	  B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0xf3, 0x6e), OK(15, 1, 4, 2), .rep = 1,
	  .seg = VCPU_SEG_DS },
	{ "32/15 prefixes + 6e = 16 bytes", 32,
	  B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x66, 0xf3, 0x6e), .ret = -EINVAL },
	{ "32/f3 only (short)", 32, B(0xf3), .ret = -EAGAIN },
	{ "32/nothing", 32, .n = 0, .ret = -EAGAIN },
	{ "8-bit code", 8, B(0x6e), .ret = -EINVAL },
};

static void check_strio_decode(const struct strio_decode_case *c)
{
	struct vcpu_x86_insn insn;
	bool rep = true;
	int ret;

	ret = vcpu_x86_strio_decode(c->insn, c->n, c->bits, &insn, &rep);
	UNIT_ASSERT_EQ(ret, c->ret);
	if (ret)
		return;
	UNIT_EXPECT_EQ(insn.len, c->len);
	UNIT_EXPECT_EQ(insn.width, c->width);
	UNIT_EXPECT_EQ(insn.addr_bytes, c->addr);
	UNIT_EXPECT_EQ(insn.op_bytes, c->op);
	UNIT_EXPECT_EQ(insn.is_write, c->in);
	UNIT_EXPECT_EQ(insn.reg, c->in ? VCPU_REG_RDI : VCPU_REG_RSI);
	UNIT_EXPECT_EQ(insn.opcode, c->insn[c->len - 1]);
	UNIT_EXPECT_EQ(rep, c->rep);
	UNIT_EXPECT_EQ(vcpu_x86_strio_seg(&insn), c->seg);
}
UNIT_TABLE(strio_decode, strio_decode_cases, check_strio_decode);

/* Every truncation of a valid instruction asks for more bytes. */
UNIT_TEST(strio_decode_short)
{
	static const u8 insn[] = { 0xf3, 0x66, 0x67, 0x65, 0x6f };
	struct vcpu_x86_insn out;
	unsigned int n;
	bool rep;

	for (n = 0; n < sizeof(insn); n++)
		UNIT_EXPECT_EQ(vcpu_x86_strio_decode(insn, n, 32, &out, &rep),
			       -EAGAIN);
	UNIT_EXPECT_EQ(vcpu_x86_strio_decode(insn, sizeof(insn), 32, &out,
					     &rep), 0);
	/* Bytes after the opcode are not part of it. */
	UNIT_EXPECT_EQ(out.len, 5);
}

/* ---- segments and linear addresses ---- */

UNIT_TEST(strio_seg_base)
{
	struct vcpu_x86_sregs s;
	unsigned int i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < VCPU_SEG_NR; i++)
		s.seg[i].base = 0x10000ULL * (i + 1);
	for (i = VCPU_SEG_ES; i <= VCPU_SEG_GS; i++) {
		UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, i, 16),
			       0x10000ULL * (i + 1));
		UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, i, 32),
			       0x10000ULL * (i + 1));
	}
	/* 64-bit code: only FS and GS have a base. */
	UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, VCPU_SEG_ES, 64), 0);
	UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, VCPU_SEG_CS, 64), 0);
	UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, VCPU_SEG_SS, 64), 0);
	UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, VCPU_SEG_DS, 64), 0);
	UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, VCPU_SEG_FS, 64),
		       0x50000ULL);
	UNIT_EXPECT_EQ(vcpu_x86_strio_seg_base(&s, VCPU_SEG_GS, 64),
		       0x60000ULL);
}

UNIT_TEST(strio_linear)
{
	/* 16-bit offsets: SI only, upper RSI bits ignored. */
	UNIT_EXPECT_EQ(vcpu_x86_strio_linear(0x20000, 0xdead12345ULL, 2, 16),
		       0x22345);
	/* 32-bit offsets in 16-bit code (67): ESI. */
	UNIT_EXPECT_EQ(vcpu_x86_strio_linear(0x20000, 0xdead12345ULL, 4, 16),
		       (u32)(0x20000 + 0xead12345ULL));
	/* Linear addresses are 32 bits wide outside 64-bit code. */
	UNIT_EXPECT_EQ(vcpu_x86_strio_linear(0x1000, 0xfffff800, 4, 32),
		       0x800);
	UNIT_EXPECT_EQ(vcpu_x86_strio_linear(0xfffff000ULL, 0x2000, 2, 32),
		       0x1000);
	/* 64-bit code: 67 takes ESI, no 32-bit wrap of the sum. */
	UNIT_EXPECT_EQ(vcpu_x86_strio_linear(0, 0xffffffff00001000ULL, 4, 64),
		       0x1000);
	UNIT_EXPECT_EQ(vcpu_x86_strio_linear(0x100000000ULL, 0xfffff000ULL, 4,
					     64), 0x1fffff000ULL);
	UNIT_EXPECT_EQ(vcpu_x86_strio_linear(0x7f0000000000ULL, 0x1234, 8, 64),
		       0x7f0000001234ULL);
}

/* ---- plans: hand-checked cases ---- */

struct strio_plan_case {
	const char *name;
	u64 base, addr, rcx;
	bool rep, df;
	unsigned int width, addr_bytes, code_bits, max_count;
	/* expected */
	u64 total;
	unsigned int count;
	u64 first, lo;
	unsigned int split;
	u64 next;
};

#define ARGS(b, a, c, r, d, w, ab, cb, m) \
	.base = b, .addr = a, .rcx = c, .rep = r, .df = d, .width = w, \
	.addr_bytes = ab, .code_bits = cb, .max_count = m
#define WANT(t, n, f, l, s, x) \
	.total = t, .count = n, .first = f, .lo = l, .split = s, .next = x

static const struct strio_plan_case strio_plan_cases[] = {
	{ "single outsb", ARGS(0, 0x3000, 99, 0, 0, 1, 4, 32, MAXB),
	  WANT(1, 1, 0x3000, 0x3000, 1, 0x4000) },
	{ "rep rcx 0", ARGS(0, 0x3000, 0, 1, 0, 1, 4, 32, MAXB),
	  WANT(0, 0, 0x3000, 0, 0, 0) },
	{ "rep cx 0, ecx not", ARGS(0, 0x3000, 0x10000, 1, 0, 1, 2, 16, MAXB),
	  WANT(0, 0, 0x3000, 0, 0, 0) },
	{ "rep 16 bytes", ARGS(0, 0x3000, 16, 1, 0, 1, 4, 32, MAXB),
	  WANT(16, 16, 0x3000, 0x3000, 16, 0x4000) },
	{ "rep dwords df=1", ARGS(0, 0x3010, 4, 1, 1, 4, 4, 32, MAXB),
	  WANT(4, 4, 0x3010, 0x3004, 16, 0x4000) },
	{ "data limit bytes", ARGS(0, 0x3000, 5000, 1, 0, 1, 4, 32, MAXB),
	  WANT(5000, 3072, 0x3000, 0x3000, 3072, 0x4000) },
	{ "data limit dwords", ARGS(0, 0x3000, 5000, 1, 0, 4, 4, 32,
				    MAXB / 4),
	  WANT(5000, 768, 0x3000, 0x3000, 3072, 0x4000) },
	{ "page end", ARGS(0, 0x3f00, 1000, 1, 0, 1, 4, 32, MAXB),
	  WANT(1000, 256, 0x3f00, 0x3f00, 256, 0x4000) },
	{ "page end dwords aligned", ARGS(0, 0x3ff0, 1000, 1, 0, 4, 4, 32,
					  MAXB / 4),
	  WANT(1000, 4, 0x3ff0, 0x3ff0, 16, 0x4000) },
	{ "straddling dword", ARGS(0, 0x3ff2, 1000, 1, 0, 4, 4, 32, MAXB / 4),
	  WANT(1000, 4, 0x3ff2, 0x3ff2, 14, 0x4000) },
	{ "straddling word alone", ARGS(0, 0x3fff, 1000, 1, 0, 2, 4, 32,
					MAXB / 2),
	  WANT(1000, 1, 0x3fff, 0x3fff, 1, 0x4000) },
	{ "df=1 page start", ARGS(0, 0x4003, 1000, 1, 1, 1, 4, 32, MAXB),
	  WANT(1000, 4, 0x4003, 0x4000, 4, 0x5000) },
	{ "df=1 element 0 straddles", ARGS(0, 0x3ffe, 1000, 1, 1, 4, 4, 32,
					   MAXB / 4),
	  WANT(1000, 768, 0x3ffe, 0x3402, 0xbfe, 0x4000) },
	{ "df=1 page start dwords", ARGS(0, 0x4000, 1000, 1, 1, 4, 4, 32,
					 MAXB / 4),
	  WANT(1000, 1, 0x4000, 0x4000, 4, 0x5000) },
	{ "real mode ds base", ARGS(0x12340, 0x0010, 8, 1, 0, 2, 2, 16,
				    MAXB / 2),
	  WANT(8, 8, 0x12350, 0x12350, 16, 0x13000) },
	{ "16-bit si wrap", ARGS(0x20000, 0xfffc, 10, 1, 0, 1, 2, 16, MAXB),
	  WANT(10, 4, 0x2fffc, 0x2fffc, 4, 0x30000) },
	{ "16-bit si wrap, words", ARGS(0x20000, 0xfffc, 10, 1, 0, 2, 2, 16,
					MAXB / 2),
	  WANT(10, 2, 0x2fffc, 0x2fffc, 4, 0x30000) },
	{ "16-bit si wrap, straddle", ARGS(0x20000, 0xffff, 10, 1, 0, 2, 2,
					   16, MAXB / 2),
	  WANT(10, 1, 0x2ffff, 0x2ffff, 1, 0x30000) },
	{ "16-bit si wrap down", ARGS(0x20000, 0x0002, 10, 1, 1, 1, 2, 16,
				      MAXB),
	  WANT(10, 3, 0x20002, 0x20000, 3, 0x21000) },
	{ "16-bit si upper bits ignored", ARGS(0, 0xabcd0010ULL, 0x5550003,
					       1, 0, 1, 2, 16, MAXB),
	  WANT(3, 3, 0x10, 0x10, 3, 0x1000) },
	{ "32-bit esi wrap", ARGS(0, 0xfffffffe, 10, 1, 0, 1, 4, 32, MAXB),
	  WANT(10, 2, 0xfffffffe, 0xfffffffe, 2, 0) },
	{ "32-bit linear wrap, base", ARGS(0x1000, 0xffffeffe, 10, 1, 0, 4, 4,
					   32, MAXB / 4),
	  WANT(10, 1, 0xfffffffe, 0xfffffffe, 2, 0) },
	{ "64-bit 67 edi", ARGS(0, 0x1234567800001000ULL, 2, 1, 0, 4, 4, 64,
				MAXB / 4),
	  WANT(2, 2, 0x1000, 0x1000, 8, 0x2000) },
	{ "64-bit 67 ecx", ARGS(0, 0x1000, 0x100000002ULL, 1, 0, 4, 4, 64,
				MAXB / 4),
	  WANT(2, 2, 0x1000, 0x1000, 8, 0x2000) },
	{ "64-bit high", ARGS(0, 0x7ffffffffff0ULL, 100, 1, 0, 1, 8, 64, MAXB),
	  WANT(100, 16, 0x7ffffffffff0ULL, 0x7ffffffffff0ULL, 16,
	       0x800000000000ULL) },
	{ "64-bit no 4 GiB wrap", ARGS(0, 0xfffffffeULL, 10, 1, 0, 1, 8, 64,
				       MAXB),
	  WANT(10, 2, 0xfffffffeULL, 0xfffffffeULL, 2, 0x100000000ULL) },
	{ "64-bit gs base", ARGS(0xffff880000000000ULL, 0x10, 4, 1, 0, 4, 8,
				 64, MAXB / 4),
	  WANT(4, 4, 0xffff880000000010ULL, 0xffff880000000010ULL, 16,
	       0xffff880000001000ULL) },
	{ "max_count 1", ARGS(0, 0x3000, 100, 1, 0, 1, 4, 32, 1),
	  WANT(100, 1, 0x3000, 0x3000, 1, 0x4000) },
};

static void check_strio_plan(const struct strio_plan_case *c)
{
	struct vcpu_x86_strio_args a = {
		.base = c->base, .addr = c->addr, .rcx = c->rcx, .rep = c->rep,
		.df = c->df, .width = c->width, .addr_bytes = c->addr_bytes,
		.code_bits = c->code_bits, .max_count = c->max_count,
	};
	struct vcpu_x86_strio_plan p;

	vcpu_x86_strio_plan(&a, &p);
	UNIT_EXPECT_EQ(p.total, c->total);
	UNIT_EXPECT_EQ(p.count, c->count);
	UNIT_EXPECT_EQ(p.first, c->first);
	if (!c->count)
		return;
	UNIT_EXPECT_EQ(p.lo, c->lo);
	UNIT_EXPECT_EQ(p.bytes, c->count * c->width);
	UNIT_EXPECT_EQ(p.split, c->split);
	if (p.split < p.bytes || c->next)
		UNIT_EXPECT_EQ(p.next, c->next);
}
UNIT_TABLE(strio_plan, strio_plan_cases, check_strio_plan);

/* ---- plans against an element-by-element model ---- */

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u64 mask_of(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

/*
 * The reference: walk the elements one by one as the CPU would, and stop
 * at the first one that is not contiguous with element 0 (the address
 * register wrapped) or starts outside element 0's page.
 */
static unsigned int model_count(const struct vcpu_x86_strio_args *a)
{
	u64 mask = mask_of(a->addr_bytes), off = a->addr & mask;
	u64 total = a->rep ? a->rcx & mask : 1;
	u64 first = vcpu_x86_strio_linear(a->base, off, a->addr_bytes,
					  a->code_bits);
	u64 lmask = a->code_bits == 64 ? ~0ULL : 0xffffffffULL;
	unsigned int i;

	for (i = 0; i < total && i < a->max_count; i++) {
		u64 step = (u64)i * a->width;
		u64 o = a->df ? off - step : off + step;
		u64 la;

		/* The register's own wrap (no modulo: the exact value). */
		if (a->df ? step > off : step > mask - off)
			break;
		la = vcpu_x86_strio_linear(a->base, o, a->addr_bytes,
					   a->code_bits);
		if (la != ((a->df ? first - step : first + step) & lmask))
			break;
		if ((la & ~(PAGE - 1)) != (first & ~(PAGE - 1)))
			break;
	}
	return i;
}

static void random_args(struct vcpu_x86_strio_args *a)
{
	static const unsigned int widths[] = { 1, 2, 4 };
	static const unsigned int bits[] = { 16, 32, 64 };
	u64 r = rng();

	memset(a, 0, sizeof(*a));
	a->width = widths[r % 3];
	a->code_bits = bits[(r >> 2) % 3];
	/* the address sizes each mode can have (67 toggles) */
	if (a->code_bits == 64)
		a->addr_bytes = (r >> 4) & 1 ? 4 : 8;
	else
		a->addr_bytes = (r >> 4) & 1 ? 2 : 4;
	a->rep = (r >> 5) & 3;
	a->df = (r >> 7) & 1;
	switch ((r >> 8) % 4) {
	case 0:
		a->max_count = MAXB / a->width;
		break;
	case 1:
		a->max_count = 1 + rng() % 8;
		break;
	default:
		a->max_count = 1 + rng() % (MAXB / a->width);
		break;
	}
	/* addresses near the interesting edges: pages, 64 KiB, 4 GiB */
	switch ((r >> 10) % 5) {
	case 0:
		a->addr = rng();
		break;
	case 1:
		a->addr = (rng() & ~0xfffULL) + (rng() % 16) - 8;
		break;
	case 2:
		a->addr = 0x10000 + (rng() % 32) - 16 + (rng() & 1 ?
							  0xabcd0000ULL : 0);
		break;
	case 3:
		a->addr = 0x100000000ULL + (rng() % 64) - 32;
		break;
	default:
		a->addr = rng() % 0x3000;
		break;
	}
	switch ((r >> 13) % 4) {
	case 0:
		a->base = 0;
		break;
	case 1:
		a->base = (rng() % 0x10000) << 4;	/* real mode */
		break;
	case 2:
		a->base = rng() & 0xffffffffULL;
		break;
	default:
		a->base = rng();
		break;
	}
	switch ((r >> 15) % 4) {
	case 0:
		a->rcx = rng();
		break;
	case 1:
		a->rcx = rng() % 8;
		break;
	case 2:
		a->rcx = 0x10000 + rng() % 4;
		break;
	default:
		a->rcx = rng() % 10000;
		break;
	}
}

UNIT_TEST(strio_plan_model)
{
	unsigned int i, fails = 0;

	for (i = 0; i < 200000 && fails < 5; i++) {
		struct vcpu_x86_strio_args a;
		struct vcpu_x86_strio_plan p;
		u64 page, room;
		unsigned int want;
		bool ok;

		random_args(&a);
		vcpu_x86_strio_plan(&a, &p);
		want = model_count(&a);
		ok = UNIT_EXPECT_EQ(p.count, want);
		ok &= UNIT_EXPECT_EQ(p.total,
				     a.rep ? a.rcx & mask_of(a.addr_bytes) : 1);
		if (p.count) {
			u64 last = a.df ? p.first - (u64)(p.count - 1) * a.width
					: p.first + (u64)(p.count - 1) * a.width;

			page = p.lo & ~(PAGE - 1);
			room = page + PAGE - p.lo;
			ok &= UNIT_EXPECT_EQ(p.bytes, p.count * a.width);
			ok &= UNIT_EXPECT_EQ(p.lo, a.df ? last : p.first);
			ok &= UNIT_EXPECT_EQ(page, p.first & ~(PAGE - 1));
			ok &= UNIT_EXPECT_EQ(p.split, p.bytes < room ? p.bytes :
						      room);
			ok &= UNIT_EXPECT_EQ(p.next, a.code_bits == 64 ?
					     page + PAGE :
					     (u32)(page + PAGE));
			/* only one element can reach the next page */
			ok &= UNIT_EXPECT(p.bytes - p.split < a.width);
		}
		if (!ok) {
			fails++;
			fprintf(stderr, "  args: base %#llx addr %#llx rcx %#llx rep %d df %d w %u ab %u bits %u max %u\n",
				a.base, a.addr, a.rcx, a.rep, a.df, a.width,
				a.addr_bytes, a.code_bits, a.max_count);
		}
	}
}

/* A long REP, exit after exit, as the kernel runs it. */
UNIT_TEST(strio_plan_sequence)
{
	static const unsigned int want[] = { 3072, 1024, 3072, 1024, 808 };
	struct vcpu_x86_strio_args a = {
		.addr = 0x100000, .rcx = 9000, .rep = true, .width = 1,
		.addr_bytes = 4, .code_bits = 32, .max_count = MAXB,
	};
	struct vcpu_x86_insn insn = {
		.width = 1, .addr_bytes = 4, .reg = VCPU_REG_RSI,
	};
	u64 gprs[16] = { 0 };
	struct vcpu_x86_strio_plan p;
	unsigned int i;

	gprs[VCPU_REG_RSI] = a.addr;
	gprs[VCPU_REG_RCX] = a.rcx;
	for (i = 0; i < UNIT_ARRAY_SIZE(want); i++) {
		a.addr = gprs[VCPU_REG_RSI];
		a.rcx = gprs[VCPU_REG_RCX];
		vcpu_x86_strio_plan(&a, &p);
		UNIT_ASSERT_EQ(p.count, want[i]);
		UNIT_EXPECT_EQ(vcpu_x86_strio_advance(gprs, &insn, true, false,
						      p.count),
			       i == UNIT_ARRAY_SIZE(want) - 1);
	}
	UNIT_EXPECT_EQ(gprs[VCPU_REG_RSI], 0x100000 + 9000);
	UNIT_EXPECT_EQ(gprs[VCPU_REG_RCX], 0);
}

UNIT_TEST(strio_plan_drop_last)
{
	struct vcpu_x86_strio_args a = {
		.addr = 0x3ff2, .rcx = 100, .rep = true, .width = 4,
		.addr_bytes = 4, .code_bits = 32, .max_count = MAXB / 4,
	};
	struct vcpu_x86_strio_plan p;

	vcpu_x86_strio_plan(&a, &p);
	UNIT_ASSERT_EQ(p.count, 4);
	UNIT_EXPECT_EQ(p.split, 14);
	vcpu_x86_strio_plan_drop_last(&p, 4);
	UNIT_EXPECT_EQ(p.count, 3);
	UNIT_EXPECT_EQ(p.bytes, 12);
	UNIT_EXPECT_EQ(p.split, 12);	/* all in the first page now */
	UNIT_EXPECT_EQ(p.lo, 0x3ff2);
}

UNIT_TEST(strio_elem_offset_reverse)
{
	struct vcpu_x86_strio_plan p = { .count = 5, .bytes = 10 };
	u8 buf[10];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		UNIT_EXPECT_EQ(vcpu_x86_strio_elem_offset(&p, 2, false, i),
			       2 * i);
		UNIT_EXPECT_EQ(vcpu_x86_strio_elem_offset(&p, 2, true, i),
			       2 * (4 - i));
	}
	for (i = 0; i < 10; i++)
		buf[i] = i;
	vcpu_x86_strio_reverse(buf, 5, 2);
	/* elements swap, the bytes inside an element keep their order */
	for (i = 0; i < 5; i++) {
		UNIT_EXPECT_EQ(buf[2 * i], 2 * (4 - i));
		UNIT_EXPECT_EQ(buf[2 * i + 1], 2 * (4 - i) + 1);
	}
	vcpu_x86_strio_reverse(buf, 4, 1);
	UNIT_EXPECT_EQ(buf[0], 7);
	UNIT_EXPECT_EQ(buf[3], 8);
	UNIT_EXPECT_EQ(buf[4], 4);
	vcpu_x86_strio_reverse(buf, 0, 4);
	vcpu_x86_strio_reverse(buf, 1, 4);
	UNIT_EXPECT_EQ(buf[0], 7);
}

/* ---- register updates ---- */

struct strio_advance_case {
	const char *name;
	u8 reg, width, addr_bytes;
	bool rep, df;
	unsigned int n;
	u64 addr, rcx;
	/* expected */
	u64 addr_out, rcx_out;
	bool done;
};

static const struct strio_advance_case strio_advance_cases[] = {
	{ "single outsb", VCPU_REG_RSI, 1, 4, 0, 0, 1, 0x3000, 7,
	  0x3001, 7, 1 },
	{ "single insd df=1", VCPU_REG_RDI, 4, 4, 0, 1, 1, 0x3000, 7,
	  0x2ffc, 7, 1 },
	{ "rep partial", VCPU_REG_RSI, 2, 4, 1, 0, 10, 0x3000, 25,
	  0x3014, 15, 0 },
	{ "rep done", VCPU_REG_RDI, 2, 4, 1, 1, 25, 0x3100, 25,
	  0x30ce, 0, 1 },
	{ "rep rcx 0", VCPU_REG_RSI, 1, 4, 1, 0, 0, 0x3000, 0,
	  0x3000, 0, 1 },
	{ "16-bit merges, wraps", VCPU_REG_RSI, 1, 2, 1, 0, 3,
	  0xdeadbeef1234fffeULL, 0xcafe0003ULL,
	  0xdeadbeef12340001ULL, 0xcafe0000ULL, 1 },
	{ "16-bit wraps down", VCPU_REG_RDI, 4, 2, 1, 1, 1,
	  0x55550002ULL, 0x10005ULL, 0x5555fffeULL, 0x10004ULL, 0 },
	{ "16-bit cx done, ecx not 0", VCPU_REG_RDI, 1, 2, 1, 0, 1,
	  0x10, 0x70001ULL, 0x11, 0x70000ULL, 1 },
	{ "32-bit zero-extends", VCPU_REG_RSI, 4, 4, 1, 0, 2,
	  0xffffffff00001000ULL, 0x1234567800000005ULL, 0x1008, 3, 0 },
	{ "32-bit wraps", VCPU_REG_RSI, 1, 4, 1, 0, 2,
	  0xffffffffULL, 2, 0x1, 0, 1 },
	{ "64-bit", VCPU_REG_RDI, 4, 8, 1, 0, 768,
	  0x1234567800000000ULL, 0x100000000ULL,
	  0x1234567800000c00ULL, 0xfffffd00ULL, 0 },
	{ "64-bit df=1", VCPU_REG_RSI, 2, 8, 1, 1, 4, 0x1000, 4,
	  0xff8, 0, 1 },
};

static void check_strio_advance(const struct strio_advance_case *c)
{
	struct vcpu_x86_insn insn = {
		.reg = c->reg, .width = c->width, .addr_bytes = c->addr_bytes,
	};
	u64 gprs[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		gprs[i] = 0x1111111111111111ULL * i;
	gprs[c->reg] = c->addr;
	gprs[VCPU_REG_RCX] = c->rcx;
	UNIT_EXPECT_EQ(vcpu_x86_strio_advance(gprs, &insn, c->rep, c->df,
					      c->n), c->done);
	UNIT_EXPECT_EQ(gprs[c->reg], c->addr_out);
	UNIT_EXPECT_EQ(gprs[VCPU_REG_RCX], c->rcx_out);
	/* nothing else moves */
	for (i = 0; i < 16; i++)
		if (i != c->reg && i != VCPU_REG_RCX)
			UNIT_EXPECT_EQ(gprs[i], 0x1111111111111111ULL * i);
}
UNIT_TABLE(strio_advance, strio_advance_cases, check_strio_advance);
