// SPDX-License-Identifier: GPL-2.0
/*
 * x86 string port I/O: INS/OUTS with and without REP, byte/word/dword,
 * RFLAGS.DF both ways, real mode, 32-bit and 64-bit guests, the 0x67
 * address-size override, segment overrides, 16-bit SI wrap, page
 * crossings (also through non-contiguous guest pages), an MMIO hole and a
 * read-only region in the way, REPs larger than the data area, rCX = 0.
 * Every step checks the exit, the data in the shared page or in guest
 * memory, and the registers (VCPU_GET_REGS).
 */
#include <string.h>

#include "guest.h"
#include "vcpu_asserts.h"

#define STR_SNIPPET(name)						\
	VCPU_GUEST_SNIPPET(name);					\
	extern const uint8_t name##_insn[], name##_hlt[]

STR_SNIPPET(guest16_str_rep_outsb);
STR_SNIPPET(guest16_str_rep_outsd);
STR_SNIPPET(guest16_str_rep_insw);
STR_SNIPPET(guest16_str_a32_rep_outsb);
STR_SNIPPET(guest16_str_es_outsb);
STR_SNIPPET(guest32_str_rep_outsb);
STR_SNIPPET(guest32_str_rep_outsw);
STR_SNIPPET(guest32_str_rep_outsd);
STR_SNIPPET(guest32_str_rep_insb);
STR_SNIPPET(guest32_str_rep_insw);
STR_SNIPPET(guest32_str_rep_insd);
STR_SNIPPET(guest32_str_repne_outsb);
STR_SNIPPET(guest32_str_a16_rep_outsb);
STR_SNIPPET(guest32_str_fs_rep_outsb);
STR_SNIPPET(guest32_str_rep_insd_es);
STR_SNIPPET(guest64_str_rep_outsb);
STR_SNIPPET(guest64_str_rep_outsd);
STR_SNIPPET(guest64_str_rep_insb);
STR_SNIPPET(guest64_str_rep_insw);
STR_SNIPPET(guest64_str_rep_insd);
STR_SNIPPET(guest64_str_rexw_rep_outsd);
STR_SNIPPET(guest64_str_a32_rep_insb);
STR_SNIPPET(guest64_str_gs_rep_outsb);
STR_SNIPPET(guest64_str_ds_rep_outsb);
VCPU_GUEST_SNIPPET(guest32_str_outs);
VCPU_GUEST_SNIPPET(guest32_str_ins);
VCPU_GUEST_SNIPPET(guest32_str_zero);
extern const uint8_t guest32_str_outs_w[], guest32_str_outs_d[],
	guest32_str_outs_hlt[], guest32_str_ins_w[], guest32_str_ins_d[],
	guest32_str_ins_hlt[], guest32_str_zero_hlt[];

#define PORT		0x5a5
#define RFLAGS_DF	(1ULL << 10)
#define STR		VCPU_IO_F_STRING
#define REP		(VCPU_IO_F_STRING | VCPU_IO_F_REP)
#define MEM		VCPU_TEST_MEM_SIZE
#define PG		4096ULL

/* A guest snippet and where its string instruction and HLT are. */
struct snip {
	const uint8_t *start, *end, *insn, *hlt;
};

#define SNIP(name)	\
	((struct snip){ name##_start, name##_end, name##_insn, name##_hlt })

/* Guest address of a label of the loaded snippet. */
#define GADDR(s, label)	VCPU_GUEST_ADDR((s).start, (label))

/* Guest linear -> guest physical, for the tests with their own mapping. */
typedef uint64_t (*xlate_fn)(uint64_t la);

static uint64_t identity(uint64_t la)
{
	return la;
}

/* What guest memory holds at gpa before any INS wrote it. */
static uint8_t pat(uint64_t gpa)
{
	return (uint8_t)(gpa * 13 + (gpa >> 8) * 7 + 0x5b);
}

static void fill(uint8_t *mem, uint64_t gpa, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		mem[i] = pat(gpa + i);
}

static uint8_t *data_area(struct vcpu_test *t)
{
	return (uint8_t *)t->run + VCPU_RUN_DATA_OFFSET;
}

FIXTURE(strio) {
	struct vcpu_test t;
};

FIXTURE_SETUP(strio)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(strio)
{
	vcpu_test_fini(&self->t);
}

/* A fresh VM (patterned memory, the snippet at 0x1000), SETUP + BIND. */
static void start(struct __test_metadata *_metadata, struct vcpu_test *t,
		  struct snip s, uint32_t mode)
{
	vcpu_test_fini(t);
	ASSERT_OK(vcpu_test_init(t, MEM));
	ASSERT_GE(t->run_size, VCPU_RUN_DATA_OFFSET + VCPU_RUN_DATA_SIZE);
	fill(t->mem, 0, MEM);
	vcpu_test_load(t, s.start, s.end);
	ASSERT_OK(vcpu_test_start(t, mode, 0, VCPU_CPU_CURRENT));
}

/* rSI, rDI, rCX, DX = PORT and DF; real mode: DS = BX, ES = BP. */
static void set_regs(struct __test_metadata *_metadata, struct vcpu_test *t,
		     uint64_t rsi, uint64_t rdi, uint64_t rcx, int df)
{
	struct vcpu_regs r;

	ASSERT_OK(vcpu_get_regs(t->fd, &r));
	r.gpr[VCPU_REG_RSI] = rsi;
	r.gpr[VCPU_REG_RDI] = rdi;
	r.gpr[VCPU_REG_RCX] = rcx;
	r.gpr[VCPU_REG_RDX] = PORT;
	r.flags = df ? r.flags | RFLAGS_DF : r.flags & ~RFLAGS_DF;
	ASSERT_OK(vcpu_set_regs(t->fd, &r));
}

static void set_segs16(struct __test_metadata *_metadata, struct vcpu_test *t,
		       uint16_t ds, uint16_t es)
{
	struct vcpu_regs r;

	ASSERT_OK(vcpu_get_regs(t->fd, &r));
	r.gpr[VCPU_REG_RBX] = ds;
	r.gpr[VCPU_REG_RBP] = es;
	ASSERT_OK(vcpu_set_regs(t->fd, &r));
}

static void expect_regs(struct __test_metadata *_metadata, struct vcpu_test *t,
			uint64_t rsi, uint64_t rdi, uint64_t rcx, uint64_t pc)
{
	struct vcpu_regs r;

	ASSERT_OK(vcpu_get_regs(t->fd, &r));
	if (r.gpr[VCPU_REG_RSI] != rsi || r.gpr[VCPU_REG_RDI] != rdi ||
	    r.gpr[VCPU_REG_RCX] != rcx || r.pc != pc)
		TH_LOG("rsi %#llx rdi %#llx rcx %#llx pc %#llx, expected %#llx %#llx %#llx %#llx",
		       (unsigned long long)r.gpr[VCPU_REG_RSI],
		       (unsigned long long)r.gpr[VCPU_REG_RDI],
		       (unsigned long long)r.gpr[VCPU_REG_RCX],
		       (unsigned long long)r.pc, (unsigned long long)rsi,
		       (unsigned long long)rdi, (unsigned long long)rcx,
		       (unsigned long long)pc);
	ASSERT_EQ(rsi, r.gpr[VCPU_REG_RSI]);
	ASSERT_EQ(rdi, r.gpr[VCPU_REG_RDI]);
	ASSERT_EQ(rcx, r.gpr[VCPU_REG_RCX]);
	ASSERT_EQ(pc, r.pc);
	ASSERT_EQ(PORT, r.gpr[VCPU_REG_RDX]);
}

/* The next exit is a string IO exit as described. */
static void expect_io(struct __test_metadata *_metadata, struct vcpu_test *t,
		      uint32_t reason, uint8_t width, uint8_t flags,
		      uint32_t count)
{
	struct vcpu_exit_io *io = &t->run->io;

	ASSERT_RUN_EXIT(t, reason);
	if (io->port != PORT || io->width != width || io->flags != flags ||
	    io->count != count)
		TH_LOG("io port %#x width %u flags %#x count %u, expected %#x %u %#x %u",
		       io->port, io->width, io->flags, io->count, PORT, width,
		       flags, count);
	ASSERT_EQ(PORT, io->port);
	ASSERT_EQ(width, io->width);
	ASSERT_EQ(flags, io->flags);
	ASSERT_EQ(count, io->count);
	ASSERT_EQ(VCPU_RUN_DATA_OFFSET, io->data_offset);
	ASSERT_EQ(0, io->data);
}

/* Linear address of byte b of element i. */
static uint64_t elem_la(uint64_t first, unsigned int w, int df, unsigned int i,
			unsigned int b)
{
	return (df ? first - (uint64_t)i * w : first + (uint64_t)i * w) + b;
}

/* OUTS: the page holds elements 0..n-1 of guest memory, in that order. */
static void expect_outs_data(struct __test_metadata *_metadata,
			     struct vcpu_test *t, uint64_t first,
			     unsigned int w, unsigned int n, int df,
			     xlate_fn xlate)
{
	const uint8_t *d = data_area(t);
	unsigned int i, b;

	for (i = 0; i < n; i++) {
		for (b = 0; b < w; b++) {
			uint64_t gpa = xlate(elem_la(first, w, df, i, b));

			if (d[i * w + b] != pat(gpa))
				TH_LOG("element %u byte %u: %#x, expected %#x (gpa %#llx)",
				       i, b, d[i * w + b], pat(gpa),
				       (unsigned long long)gpa);
			ASSERT_EQ(pat(gpa), d[i * w + b]);
		}
	}
}

/* INS: answer an exit of @bytes bytes; @sent keeps what was given. */
static void answer_ins(struct vcpu_test *t, unsigned int bytes, uint8_t seq,
		       uint8_t *sent)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		sent[i] = (uint8_t)(0xc3 ^ (i * 29) ^ (i >> 8) ^ seq);
	memcpy(data_area(t), sent, bytes);
}

/*
 * INS, once completed: element i of @sent is in guest memory at its own
 * address and, with @guard (identity mapping, nothing written around
 * before), the bytes just outside the range are untouched.
 */
static void expect_ins_mem(struct __test_metadata *_metadata,
			   struct vcpu_test *t, uint64_t first, unsigned int w,
			   unsigned int n, int df, const uint8_t *sent,
			   xlate_fn xlate, int guard)
{
	uint64_t lo = df ? first - (uint64_t)(n - 1) * w : first;
	uint64_t hi = df ? first + w : first + (uint64_t)n * w;
	unsigned int i, b;

	for (i = 0; i < n; i++) {
		for (b = 0; b < w; b++) {
			uint64_t gpa = xlate(elem_la(first, w, df, i, b));

			if (t->mem[gpa] != sent[i * w + b])
				TH_LOG("element %u byte %u at gpa %#llx: %#x, expected %#x",
				       i, b, (unsigned long long)gpa,
				       t->mem[gpa], sent[i * w + b]);
			ASSERT_EQ(sent[i * w + b], t->mem[gpa]);
		}
	}
	if (!guard)
		return;
	ASSERT_EQ(pat(lo - 1), t->mem[lo - 1]);
	if (hi < MEM)
		ASSERT_EQ(pat(hi), t->mem[hi]);
}

/* Guest memory [gpa, gpa + n) still holds the pattern. */
static void expect_untouched(struct __test_metadata *_metadata,
			     struct vcpu_test *t, uint64_t gpa, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ASSERT_EQ(pat(gpa + i), t->mem[gpa + i]);
}

static void expect_halt(struct __test_metadata *_metadata, struct vcpu_test *t,
			struct snip s)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, GADDR(s, s.hlt) + 1);
}

/* OUTSB, OUTSW, OUTSD without REP: one element each, RIP moves. */
TEST_F(strio, outs_single)
{
	struct vcpu_test *t = &self->t;
	struct snip s = { guest32_str_outs_start, guest32_str_outs_end,
			  guest32_str_outs_start, guest32_str_outs_hlt };
	int df;

	for (df = 0; df <= 1; df++) {
		uint64_t si = 0x20000, d = df ? -1ULL : 1;

		start(_metadata, t, s, VCPU_MODE_X86_PROT32);
		set_regs(_metadata, t, si, 0x777, 0x55, df);
		expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, STR, 1);
		expect_outs_data(_metadata, t, si, 1, 1, df, identity);
		si += d;
		expect_regs(_metadata, t, si, 0x777, 0x55,
			    GADDR(s, guest32_str_outs_w));
		expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 2, STR, 1);
		expect_outs_data(_metadata, t, si, 2, 1, df, identity);
		si += 2 * d;
		expect_regs(_metadata, t, si, 0x777, 0x55,
			    GADDR(s, guest32_str_outs_d));
		expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, STR, 1);
		expect_outs_data(_metadata, t, si, 4, 1, df, identity);
		si += 4 * d;
		expect_regs(_metadata, t, si, 0x777, 0x55,
			    GADDR(s, guest32_str_outs_hlt));
		expect_halt(_metadata, t, s);
	}
}

/* INSB, INSW, INSD: memory and rDI change only at the completion. */
TEST_F(strio, ins_single)
{
	struct vcpu_test *t = &self->t;
	struct snip s = { guest32_str_ins_start, guest32_str_ins_end,
			  guest32_str_ins_start, guest32_str_ins_hlt };
	const uint8_t *labels[] = { guest32_str_ins_start, guest32_str_ins_w,
				    guest32_str_ins_d, guest32_str_ins_hlt };
	uint8_t sent[4];
	int df, i;

	for (df = 0; df <= 1; df++) {
		uint64_t di = 0x20000;

		start(_metadata, t, s, VCPU_MODE_X86_PROT32);
		set_regs(_metadata, t, 0x666, di, 0x55, df);
		expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, STR, 1);
		for (i = 0; i < 3; i++) {
			unsigned int w = 1 << i;

			/* nothing moved yet (descending, elements overlap) */
			expect_regs(_metadata, t, 0x666, di, 0x55,
				    GADDR(s, labels[i]));
			if (!df)
				expect_untouched(_metadata, t, di, w);
			answer_ins(t, w, i, sent);
			if (i < 2)
				expect_io(_metadata, t, VCPU_EXIT_IO_READ,
					  2 * w, STR, 1);
			else
				expect_halt(_metadata, t, s);
			expect_ins_mem(_metadata, t, di, w, 1, df, sent,
				       identity, 0);
			di = df ? di - w : di + w;
			expect_regs(_metadata, t, 0x666, di, 0x55,
				    GADDR(s, labels[i + 1]) + (i == 2));
		}
	}
}

/* REP OUTS of each width, both directions, and REPNE (F2). */
TEST_F(strio, rep_outs)
{
	struct vcpu_test *t = &self->t;
	struct snip snips[] = { SNIP(guest32_str_rep_outsb),
				SNIP(guest32_str_rep_outsw),
				SNIP(guest32_str_rep_outsd),
				SNIP(guest32_str_repne_outsb) };
	unsigned int widths[] = { 1, 2, 4, 1 };
	unsigned int i;
	int df;

	for (i = 0; i < 4; i++) {
		for (df = 0; df <= 1; df++) {
			unsigned int w = widths[i];
			uint64_t si = 0x20100;
			uint64_t end = df ? si - 5 * w : si + 5 * w;

			TH_LOG("width %u df %d", w, df);
			start(_metadata, t, snips[i], VCPU_MODE_X86_PROT32);
			set_regs(_metadata, t, si, 0x1234, 5, df);
			expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, w, REP, 5);
			expect_outs_data(_metadata, t, si, w, 5, df, identity);
			expect_regs(_metadata, t, end, 0x1234, 0,
				    GADDR(snips[i], snips[i].hlt));
			expect_halt(_metadata, t, snips[i]);
		}
	}
}

/* REP INS of each width, both directions. */
TEST_F(strio, rep_ins)
{
	struct vcpu_test *t = &self->t;
	struct snip snips[] = { SNIP(guest32_str_rep_insb),
				SNIP(guest32_str_rep_insw),
				SNIP(guest32_str_rep_insd) };
	uint8_t sent[20];
	unsigned int i;
	int df;

	for (i = 0; i < 3; i++) {
		for (df = 0; df <= 1; df++) {
			unsigned int w = 1 << i;
			uint64_t di = 0x20100;
			uint64_t end = df ? di - 5 * w : di + 5 * w;

			TH_LOG("width %u df %d", w, df);
			start(_metadata, t, snips[i], VCPU_MODE_X86_PROT32);
			set_regs(_metadata, t, 0x4321, di, 5, df);
			expect_io(_metadata, t, VCPU_EXIT_IO_READ, w, REP, 5);
			expect_regs(_metadata, t, 0x4321, di, 5,
				    GADDR(snips[i], snips[i].insn));
			answer_ins(t, 5 * w, i, sent);
			expect_halt(_metadata, t, snips[i]);
			expect_ins_mem(_metadata, t, di, w, 5, df, sent,
				       identity, 1);
			expect_regs(_metadata, t, 0x4321, end, 0,
				    GADDR(snips[i], snips[i].hlt) + 1);
		}
	}
}

/*
 * Real mode: DS:SI and ES:DI with their segment bases, only SI/DI/CX
 * stepped (the upper register bits stay), 66 for dwords, ES: override.
 */
TEST_F(strio, real_mode)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[8];

	s = SNIP(guest16_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x2000, 0x3000);
	set_regs(_metadata, t, 0xabcd0100, 0, 0x50003, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 3);
	expect_outs_data(_metadata, t, 0x20100, 1, 3, 0, identity);
	expect_regs(_metadata, t, 0xabcd0103, 0, 0x50000, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest16_str_rep_outsd);
	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x2000, 0x3000);
	set_regs(_metadata, t, 0x0108, 0, 2, 1);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, 2);
	expect_outs_data(_metadata, t, 0x20108, 4, 2, 1, identity);
	expect_regs(_metadata, t, 0x0100, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest16_str_rep_insw);
	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x2000, 0x3000);
	set_regs(_metadata, t, 0, 0x12340200, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 2, REP, 4);
	answer_ins(t, 8, 0x16, sent);
	expect_halt(_metadata, t, s);
	expect_ins_mem(_metadata, t, 0x30200, 2, 4, 0, sent, identity, 1);
	expect_regs(_metadata, t, 0, 0x12340208, 0, GADDR(s, s.hlt) + 1);

	s = SNIP(guest16_str_es_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x2000, 0x3000);
	set_regs(_metadata, t, 0x0010, 0, 9, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, STR, 1);
	expect_outs_data(_metadata, t, 0x30010, 1, 1, 0, identity);
	expect_regs(_metadata, t, 0x0011, 0, 9, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);
}

/*
 * 16-bit SI wraps at 64 KiB within the segment: the elements before the
 * wrap are one exit, those after it the next.  DS base 0x20800 puts the
 * wrap in the middle of a page, so the page does not end the exit.
 */
TEST_F(strio, si_wrap_16)
{
	struct vcpu_test *t = &self->t;
	struct snip s = SNIP(guest16_str_rep_outsb);

	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x2080, 0);
	set_regs(_metadata, t, 0x7777fffe, 0, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 2);
	expect_outs_data(_metadata, t, 0x307fe, 1, 2, 0, identity);
	expect_regs(_metadata, t, 0x77770000, 0, 2, GADDR(s, s.insn));
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 2);
	expect_outs_data(_metadata, t, 0x20800, 1, 2, 0, identity);
	expect_regs(_metadata, t, 0x77770002, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	/* Downwards: 0x0001, 0x0000, then 0xffff, 0xfffe. */
	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x2080, 0);
	set_regs(_metadata, t, 0x0001, 0, 4, 1);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 2);
	expect_outs_data(_metadata, t, 0x20801, 1, 2, 1, identity);
	expect_regs(_metadata, t, 0xffff, 0, 2, GADDR(s, s.insn));
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 2);
	expect_outs_data(_metadata, t, 0x307ff, 1, 2, 1, identity);
	expect_regs(_metadata, t, 0xfffd, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);
}

/* 0x67 in every mode: the other register width for rSI/rDI and rCX. */
TEST_F(strio, address_size)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[4];

	/*
	 * Real mode, 67: ECX counts (CX alone would be 2), ESI is written
	 * as a 32-bit register.
	 */
	s = SNIP(guest16_str_a32_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x1000, 0);
	set_regs(_metadata, t, 0xffffffff0000f000ULL, 0, 0x10002, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 3072);
	expect_outs_data(_metadata, t, 0x1f000, 1, 3072, 0, identity);
	expect_regs(_metadata, t, 0xfc00, 0, 0x10002 - 3072, GADDR(s, s.insn));
	/* stop it there: rCX = 0 completes it without moving anything */
	set_regs(_metadata, t, 0xfc00, 0, 0, 0);
	expect_halt(_metadata, t, s);
	expect_regs(_metadata, t, 0xfc00, 0, 0, GADDR(s, s.hlt) + 1);

	/* 32-bit code, 67: SI and CX, the upper halves stay. */
	s = SNIP(guest32_str_a16_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, 0xabcd4000, 0, 0x50003, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 3);
	expect_outs_data(_metadata, t, 0x4000, 1, 3, 0, identity);
	expect_regs(_metadata, t, 0xabcd4003, 0, 0x50000, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	/* 64-bit code, 67: EDI and ECX, zero-extended when written. */
	s = SNIP(guest64_str_a32_rep_insb);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	set_regs(_metadata, t, 0, 0xffffffff00024000ULL,
		 0xffffffff00000004ULL, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 4);
	answer_ins(t, 4, 0x67, sent);
	expect_halt(_metadata, t, s);
	expect_ins_mem(_metadata, t, 0x24000, 1, 4, 0, sent, identity, 1);
	expect_regs(_metadata, t, 0, 0x24004, 0, GADDR(s, s.hlt) + 1);
}

/* 64-bit guests: REP OUTSB/OUTSD/INSD, REX.W does not make quadwords. */
TEST_F(strio, long_mode)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[12];

	s = SNIP(guest64_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	set_regs(_metadata, t, 0x123456, 0, 7, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 7);
	expect_outs_data(_metadata, t, 0x123456, 1, 7, 0, identity);
	expect_regs(_metadata, t, 0x12345d, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest64_str_rexw_rep_outsd);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	set_regs(_metadata, t, 0x40010, 0, 2, 1);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, 2);
	expect_outs_data(_metadata, t, 0x40010, 4, 2, 1, identity);
	expect_regs(_metadata, t, 0x40008, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest64_str_rep_insd);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	set_regs(_metadata, t, 0, 0x50010, 3, 1);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 4, REP, 3);
	expect_regs(_metadata, t, 0, 0x50010, 3, GADDR(s, s.insn));
	expect_untouched(_metadata, t, 0x50008, 12);
	answer_ins(t, 12, 0x64, sent);
	expect_halt(_metadata, t, s);
	expect_ins_mem(_metadata, t, 0x50010, 4, 3, 1, sent, identity, 1);
	expect_regs(_metadata, t, 0, 0x50010 - 12, 0, GADDR(s, s.hlt) + 1);
}

/*
 * Segment overrides on OUTS (FS in 32-bit code, GS in 64-bit code);
 * in 64-bit code the DS and ES bases do not count, an override or not;
 * INS always uses ES, whatever the prefix.
 */
TEST_F(strio, segments)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[8];

	s = SNIP(guest32_str_fs_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_FS, VCPU_SEG_BASE),
				   0x10000));
	set_regs(_metadata, t, 0x14000, 0, 3, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 3);
	expect_outs_data(_metadata, t, 0x24000, 1, 3, 0, identity);
	expect_regs(_metadata, t, 0x14003, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest32_str_rep_insd_es);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_ES, VCPU_SEG_BASE),
				   0x30000));
	set_regs(_metadata, t, 0, 0x100, 2, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 4, REP, 2);
	answer_ins(t, 8, 0x2e, sent);
	expect_halt(_metadata, t, s);
	expect_ins_mem(_metadata, t, 0x30100, 4, 2, 0, sent, identity, 1);
	expect_regs(_metadata, t, 0, 0x108, 0, GADDR(s, s.hlt) + 1);

	s = SNIP(guest64_str_gs_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_GS, VCPU_SEG_BASE),
				   0x30000));
	set_regs(_metadata, t, 0x1000, 0, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 4);
	expect_outs_data(_metadata, t, 0x31000, 1, 4, 0, identity);
	expect_regs(_metadata, t, 0x1004, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest64_str_ds_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_DS, VCPU_SEG_BASE),
				   0x40000));
	set_regs(_metadata, t, 0x22000, 0, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 4);
	expect_outs_data(_metadata, t, 0x22000, 1, 4, 0, identity);
	expect_regs(_metadata, t, 0x22004, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest64_str_rep_insb);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_ES, VCPU_SEG_BASE),
				   0x40000));
	set_regs(_metadata, t, 0, 0x22000, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 4);
	answer_ins(t, 4, 0x26, sent);
	expect_halt(_metadata, t, s);
	expect_ins_mem(_metadata, t, 0x22000, 1, 4, 0, sent, identity, 1);
	expect_untouched(_metadata, t, 0x62000, 4);
}

/*
 * A REP across a page boundary: one exit per page, the data exact and in
 * order; an element that straddles the boundary goes with the page it
 * starts in.
 */
TEST_F(strio, page_cross)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[16];

	s = SNIP(guest32_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, 0x20f00, 0, 0x200, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 0x100);
	expect_outs_data(_metadata, t, 0x20f00, 1, 0x100, 0, identity);
	expect_regs(_metadata, t, 0x21000, 0, 0x100, GADDR(s, s.insn));
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 0x100);
	expect_outs_data(_metadata, t, 0x21000, 1, 0x100, 0, identity);
	expect_regs(_metadata, t, 0x21100, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	/* Downwards: 0x21010..0x21000 (17), then 0x20fff..0x20ff1 (15). */
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, 0x21010, 0, 32, 1);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 17);
	expect_outs_data(_metadata, t, 0x21010, 1, 17, 1, identity);
	expect_regs(_metadata, t, 0x20fff, 0, 15, GADDR(s, s.insn));
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 15);
	expect_outs_data(_metadata, t, 0x20fff, 1, 15, 1, identity);
	expect_regs(_metadata, t, 0x20ff0, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	/* Dwords from 0x20ffe: the first one straddles, then three. */
	s = SNIP(guest32_str_rep_outsd);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, 0x20ffe, 0, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, 1);
	expect_outs_data(_metadata, t, 0x20ffe, 4, 1, 0, identity);
	expect_regs(_metadata, t, 0x21002, 0, 3, GADDR(s, s.insn));
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, 3);
	expect_outs_data(_metadata, t, 0x21002, 4, 3, 0, identity);
	expect_regs(_metadata, t, 0x2100e, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	s = SNIP(guest32_str_rep_insd);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, 0, 0x20ff6, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 4, REP, 3);
	answer_ins(t, 12, 1, sent);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 4, REP, 1);
	expect_ins_mem(_metadata, t, 0x20ff6, 4, 3, 0, sent, identity, 1);
	expect_regs(_metadata, t, 0, 0x21002, 1, GADDR(s, s.insn));
	answer_ins(t, 4, 2, sent);
	expect_halt(_metadata, t, s);
	expect_ins_mem(_metadata, t, 0x21002, 4, 1, 0, sent, identity, 0);
	expect_regs(_metadata, t, 0, 0x21006, 0, GADDR(s, s.hlt) + 1);
}

/*
 * 64-bit guest with its own 4 KiB mapping: linear 0x400000 -> GPA 0x30000,
 * 0x401000 -> GPA 0x28000 (reversed, not contiguous), 0x402000 not
 * mapped.  A straddling element is split between the two pages.
 */
#define REMAP_PT	0x1e000ULL
#define REMAP_LA	0x400000ULL

static uint64_t remap(uint64_t la)
{
	if (la >= REMAP_LA && la < REMAP_LA + PG)
		return 0x30000 + (la - REMAP_LA);
	if (la >= REMAP_LA + PG && la < REMAP_LA + 2 * PG)
		return 0x28000 + (la - REMAP_LA - PG);
	return la;
}

static void remap_tables(struct vcpu_test *t)
{
	uint64_t *pd = (uint64_t *)(t->mem + VCPU_TEST_PT_GPA + 2 * PG);
	uint64_t *pt = (uint64_t *)(t->mem + REMAP_PT);
	unsigned int i;

	for (i = 0; i < 512; i++)
		pt[i] = (REMAP_LA + i * PG) | 0x63;	/* P RW A D */
	pt[0] = 0x30000 | 0x63;
	pt[1] = 0x28000 | 0x63;
	pt[2] = 0;
	pd[REMAP_LA >> 21] = REMAP_PT | 0x3;
}

TEST_F(strio, page_cross_remapped)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[8];

	/* Ascending dwords: 0xff6, 0xffa, 0xffe (straddles) | 0x002 ... */
	s = SNIP(guest64_str_rep_outsd);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	remap_tables(t);
	set_regs(_metadata, t, REMAP_LA + 0xff6, 0, 6, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, 3);
	expect_outs_data(_metadata, t, REMAP_LA + 0xff6, 4, 3, 0, remap);
	expect_regs(_metadata, t, REMAP_LA + PG + 2, 0, 3, GADDR(s, s.insn));
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, 3);
	expect_outs_data(_metadata, t, REMAP_LA + PG + 2, 4, 3, 0, remap);
	expect_regs(_metadata, t, REMAP_LA + PG + 14, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	/* Descending: element 0 straddles, all three start in one page. */
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	remap_tables(t);
	set_regs(_metadata, t, REMAP_LA + 0xffe, 0, 3, 1);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, 3);
	expect_outs_data(_metadata, t, REMAP_LA + 0xffe, 4, 3, 1, remap);
	expect_regs(_metadata, t, REMAP_LA + 0xff2, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);

	/* INS of a straddling dword lands in both pages. */
	s = SNIP(guest64_str_rep_insd);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	remap_tables(t);
	set_regs(_metadata, t, 0, REMAP_LA + 0xffe, 2, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 4, REP, 1);
	answer_ins(t, 4, 3, sent);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 4, REP, 1);
	expect_ins_mem(_metadata, t, REMAP_LA + 0xffe, 4, 1, 0, sent, remap, 0);
	expect_regs(_metadata, t, 0, REMAP_LA + PG + 2, 1, GADDR(s, s.insn));
	answer_ins(t, 4, 4, sent);
	expect_halt(_metadata, t, s);
	expect_ins_mem(_metadata, t, REMAP_LA + PG + 2, 4, 1, 0, sent, remap, 0);
	expect_regs(_metadata, t, 0, REMAP_LA + PG + 6, 0,
		    GADDR(s, s.hlt) + 1);

	/*
	 * Into the unmapped page: the elements before it complete, then
	 * INTERNAL_ERROR (FETCH: data[0] = RIP, data[1] = the linear
	 * address), as when the MMIO path cannot fetch; the guest stays.
	 */
	s = SNIP(guest64_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	remap_tables(t);
	set_regs(_metadata, t, REMAP_LA + 2 * PG - 4, 0, 8, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 4);
	expect_outs_data(_metadata, t, REMAP_LA + 2 * PG - 4, 1, 4, 0, remap);
	expect_regs(_metadata, t, REMAP_LA + 2 * PG, 0, 4, GADDR(s, s.insn));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_INTERNAL_ERROR);
	ASSERT_EQ(VCPU_INTERNAL_FETCH, t->run->internal.suberror);
	ASSERT_EQ(2, t->run->internal.ndata);
	ASSERT_EQ(GADDR(s, s.insn), t->run->internal.data[0]);
	ASSERT_EQ(REMAP_LA + 2 * PG, t->run->internal.data[1]);
	ASSERT_EQ(2, t->run->internal.insn_len);
	ASSERT_EQ(0xf3, t->run->internal.insn[0]);
	ASSERT_EQ(0x6e, t->run->internal.insn[1]);
	expect_regs(_metadata, t, REMAP_LA + 2 * PG, 0, 4, GADDR(s, s.insn));
}

/* NESTED_PAGE_FAULT at gpa, with the bytes of s's string instruction. */
static void expect_npf(struct __test_metadata *_metadata, struct vcpu_test *t,
		       uint64_t gpa, uint32_t access, struct snip s)
{
	unsigned int len = s.hlt - s.insn;

	ASSERT_RUN_EXIT(t, VCPU_EXIT_NESTED_PAGE_FAULT);
	if (t->run->npf.gpa != gpa || t->run->npf.access != access)
		TH_LOG("npf gpa %#llx gva %#llx access %#x, expected %#llx %#x",
		       (unsigned long long)t->run->npf.gpa,
		       (unsigned long long)t->run->npf.gva,
		       t->run->npf.access, (unsigned long long)gpa, access);
	ASSERT_EQ(gpa, t->run->npf.gpa);
	ASSERT_EQ(gpa, t->run->npf.gva);	/* flat: linear = physical */
	ASSERT_EQ(access, t->run->npf.access);
	ASSERT_EQ(len, t->run->npf.insn_len);
	ASSERT_EQ(0, memcmp(t->run->npf.insn, s.insn, len));
}

/*
 * A REP that runs into the MMIO hole at 2 MiB: the elements before it are
 * one exit (registers past exactly those), the next exit is a
 * NESTED_PAGE_FAULT at the first byte without memory, and the guest stays
 * there however often it runs.
 */
TEST_F(strio, mmio_hole)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[8];
	uint8_t *hi;

	s = SNIP(guest32_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, MEM - 16, 0, 32, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 16);
	expect_outs_data(_metadata, t, MEM - 16, 1, 16, 0, identity);
	expect_regs(_metadata, t, MEM, 0, 16, GADDR(s, s.insn));
	expect_npf(_metadata, t, MEM, VCPU_NPF_READ, s);
	expect_regs(_metadata, t, MEM, 0, 16, GADDR(s, s.insn));
	expect_npf(_metadata, t, MEM, VCPU_NPF_READ, s);
	expect_regs(_metadata, t, MEM, 0, 16, GADDR(s, s.insn));

	s = SNIP(guest32_str_rep_insw);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, 0, MEM - 8, 8, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 2, REP, 4);
	answer_ins(t, 8, 5, sent);
	expect_npf(_metadata, t, MEM, VCPU_NPF_WRITE, s);
	expect_ins_mem(_metadata, t, MEM - 8, 2, 4, 0, sent, identity, 1);
	expect_regs(_metadata, t, 0, MEM, 4, GADDR(s, s.insn));

	/* Element 0 straddles into the hole: no I/O at all. */
	s = SNIP(guest32_str_rep_outsd);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, MEM - 2, 0, 2, 0);
	expect_npf(_metadata, t, MEM, VCPU_NPF_READ, s);
	expect_regs(_metadata, t, MEM - 2, 0, 2, GADDR(s, s.insn));

	/*
	 * Downwards into a one-page hole below a second region at
	 * MEM + 4 KiB: 5 bytes, then the fault at the hole's last byte.
	 */
	s = SNIP(guest32_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	hi = vcpu_alloc_mem(PG);
	ASSERT_NE(NULL, hi);
	fill(hi, MEM + PG, PG);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, 0, MEM + PG, PG, hi));
	set_regs(_metadata, t, MEM + PG + 4, 0, 8, 1);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 5);
	/* the data: hi[4], hi[3], ... hi[0] */
	{
		unsigned int i;

		for (i = 0; i < 5; i++)
			ASSERT_EQ(hi[4 - i], data_area(t)[i]);
	}
	expect_regs(_metadata, t, MEM + PG - 1, 0, 3, GADDR(s, s.insn));
	expect_npf(_metadata, t, MEM + PG - 1, VCPU_NPF_READ, s);
	expect_regs(_metadata, t, MEM + PG - 1, 0, 3, GADDR(s, s.insn));
	vcpu_test_fini(t);
	vcpu_free_mem(hi, PG);
}

/* INS into a read-only region faults (WRITE | PRESENT); OUTS reads it. */
TEST_F(strio, readonly_region)
{
	struct vcpu_test *t = &self->t;
	struct snip s;
	uint8_t sent[4];
	uint8_t *ro;

	ro = vcpu_alloc_mem(PG);
	ASSERT_NE(NULL, ro);
	fill(ro, MEM, PG);

	s = SNIP(guest32_str_rep_insb);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, VCPU_MEM_READONLY, MEM, PG, ro));
	set_regs(_metadata, t, 0, MEM - 2, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 2);
	answer_ins(t, 2, 9, sent);
	expect_npf(_metadata, t, MEM, VCPU_NPF_WRITE | VCPU_NPF_PRESENT, s);
	expect_ins_mem(_metadata, t, MEM - 2, 1, 2, 0, sent, identity, 1);
	expect_regs(_metadata, t, 0, MEM, 2, GADDR(s, s.insn));
	ASSERT_EQ(pat(MEM), ro[0]);
	ASSERT_EQ(pat(MEM + 1), ro[1]);

	s = SNIP(guest32_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, VCPU_MEM_READONLY, MEM, PG, ro));
	set_regs(_metadata, t, MEM + 0x10, 0, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 4);
	ASSERT_EQ(0, memcmp(data_area(t), ro + 0x10, 4));
	expect_regs(_metadata, t, MEM + 0x14, 0, 0, GADDR(s, s.hlt));
	expect_halt(_metadata, t, s);
	vcpu_test_fini(t);
	vcpu_free_mem(ro, PG);
}

/*
 * REPs larger than the data area: each exit moves at most
 * VCPU_RUN_DATA_SIZE bytes and never crosses into a second page.
 */
TEST_F(strio, large_rep)
{
	struct vcpu_test *t = &self->t;
	static const unsigned int outs[] = { 768, 256, 768, 208 };
	static const unsigned int ins[] = { 1536, 512, 1536, 512, 904 };
	static uint8_t sent[VCPU_RUN_DATA_SIZE];
	struct snip s;
	uint64_t si, di, cx;
	unsigned int i;

	ASSERT_EQ(3072, VCPU_RUN_DATA_SIZE);
	s = SNIP(guest64_str_rep_outsd);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	si = 0x100000;
	cx = 2000;
	set_regs(_metadata, t, si, 0, cx, 0);
	for (i = 0; i < 4; i++) {
		expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 4, REP, outs[i]);
		expect_outs_data(_metadata, t, si, 4, outs[i], 0, identity);
		si += 4 * outs[i];
		cx -= outs[i];
		expect_regs(_metadata, t, si, 0, cx,
			    GADDR(s, cx ? s.insn : s.hlt));
	}
	expect_halt(_metadata, t, s);

	s = SNIP(guest64_str_rep_insw);
	start(_metadata, t, s, VCPU_MODE_X86_LONG64);
	di = 0x100000;
	cx = 5000;
	set_regs(_metadata, t, 0, di, cx, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 2, REP, ins[0]);
	for (i = 0; i < 5; i++) {
		answer_ins(t, 2 * ins[i], i, sent);
		if (i < 4)
			expect_io(_metadata, t, VCPU_EXIT_IO_READ, 2, REP,
				  ins[i + 1]);
		else
			expect_halt(_metadata, t, s);
		expect_ins_mem(_metadata, t, di, 2, ins[i], 0, sent, identity,
			       i == 0);
		di += 2 * ins[i];
		cx -= ins[i];
		expect_regs(_metadata, t, 0, di, cx,
			    cx ? GADDR(s, s.insn) : GADDR(s, s.hlt) + 1);
	}
}

/* REP with rCX = 0 (as the address size counts it): no exit, RIP moves. */
TEST_F(strio, rcx_zero)
{
	struct vcpu_test *t = &self->t;
	struct snip s = { guest32_str_zero_start, guest32_str_zero_end,
			  guest32_str_zero_start, guest32_str_zero_hlt };

	start(_metadata, t, s, VCPU_MODE_X86_PROT32);
	set_regs(_metadata, t, 0x20000, 0x30000, 0, 0);
	expect_halt(_metadata, t, s);
	expect_regs(_metadata, t, 0x20000, 0x30000, 0, GADDR(s, s.hlt) + 1);
	expect_untouched(_metadata, t, 0x30000, 16);

	s = SNIP(guest16_str_rep_outsb);
	start(_metadata, t, s, VCPU_MODE_X86_REAL);
	set_segs16(_metadata, t, 0x2000, 0);
	set_regs(_metadata, t, 0x100, 0, 0x10000, 0);	/* CX = 0 */
	expect_halt(_metadata, t, s);
	expect_regs(_metadata, t, 0x100, 0, 0x10000, GADDR(s, s.hlt) + 1);
}

TEST_HARNESS_MAIN
