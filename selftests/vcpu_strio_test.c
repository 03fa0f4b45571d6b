// SPDX-License-Identifier: GPL-2.0
/*
 * x86 string port I/O: INS/OUTS with and without REP, byte/word/dword,
 * RFLAGS.DF both ways, real mode, 32-bit and 64-bit guests, the 0x67
 * address-size override, segment overrides, 16-bit SI wrap, page
 * crossings (also through non-contiguous guest pages), an MMIO hole and a
 * read-only region in the way, REPs larger than the data area, rCX = 0,
 * and the guest's own page tables refusing the operand (#PF in the guest,
 * at CPL 0 and CPL 3).  Every step checks the exit, the data in the
 * shared page or in guest memory, and the registers (VCPU_GET_REGS).
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
VCPU_GUEST_SNIPPET(guest64_pf_rep_insb);
VCPU_GUEST_SNIPPET(guest64_pf_rep_insd);
VCPU_GUEST_SNIPPET(guest64_pf_outsb);
VCPU_GUEST_SNIPPET(guest64_pf_rep_outsb);
extern const uint8_t guest32_str_outs_w[], guest32_str_outs_d[],
	guest32_str_outs_hlt[], guest32_str_ins_w[], guest32_str_ins_d[],
	guest32_str_ins_hlt[], guest32_str_zero_hlt[],
	guest64_pf_rep_insb_insn[], guest64_pf_rep_insb_done[],
	guest64_pf_rep_insb_pf[], guest64_pf_rep_insb_pf_hlt[],
	guest64_pf_rep_insd_insn[], guest64_pf_rep_insd_done[],
	guest64_pf_rep_insd_pf[], guest64_pf_rep_insd_pf_hlt[],
	guest64_pf_outsb_insn[], guest64_pf_outsb_done[],
	guest64_pf_outsb_pf[], guest64_pf_outsb_pf_hlt[],
	guest64_pf_rep_outsb_insn[], guest64_pf_rep_outsb_done[],
	guest64_pf_rep_outsb_pf[], guest64_pf_rep_outsb_pf_hlt[];

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
	/* Into an unmapped page: see pf_outs_not_present. */
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

/*
 * Guest page faults on the operand.  The guests (guest64_pf_*) run in
 * long mode on the test's own tables: 4 KiB pages identity-mapping the
 * first 2 MiB, P | RW | US | A | D everywhere but
 *   PF_RO   read-only (user),
 *   PF_NP   not present,
 *   PF_SUP  supervisor only (read/write).
 * GDT, IDT (a trap gate for #PF) and a TSS (RSP0, for CPL 3) are set up
 * here too.
 */
#define PF_TABLES	0x18000ULL	/* PML4, PDPT, PD, PT */
#define PF_IDT		0x5000ULL
#define PF_TSS		0x5400ULL
#define PF_GDT		0x5800ULL
#define PF_RSP0		0x6f00ULL
#define PF_RW		0x1f000ULL
#define PF_RO		0x20000ULL
#define PF_NP		0x21000ULL
#define PF_SUP		0x22000ULL

#define PTE_P		0x001ULL
#define PTE_RW		0x002ULL
#define PTE_US		0x004ULL
#define PTE_AD		0x060ULL

#define PFERR_P		1U
#define PFERR_W		2U
#define PFERR_U		4U

/* A pf snippet and its labels. */
struct pfsnip {
	const uint8_t *start, *end, *insn, *done, *pf, *pf_hlt;
};

#define PFSNIP(name)							\
	((struct pfsnip){ name##_start, name##_end, name##_insn,	\
			  name##_done, name##_pf, name##_pf_hlt })

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* The PTE of @gpa in the pf tables. */
static uint8_t *pf_pte(struct vcpu_test *t, uint64_t gpa)
{
	return t->mem + PF_TABLES + 3 * PG + (gpa >> 12) * 8;
}

/*
 * A fresh long-mode VM running @s on the pf tables, with the string
 * registers set (set_regs) and RBX = @user (CPL 3 first).
 */
static void pf_start(struct __test_metadata *_metadata, struct vcpu_test *t,
		     struct pfsnip s, int user, uint64_t rsi, uint64_t rdi,
		     uint64_t rcx, int df)
{
	uint64_t handler = VCPU_GUEST_ADDR(s.start, s.pf);
	struct vcpu_regs r;
	unsigned int i;

	start(_metadata, t, (struct snip){ s.start, s.end, s.insn, s.done },
	      VCPU_MODE_X86_LONG64);
	memset(t->mem + PF_TABLES, 0, 3 * PG);
	put64(t->mem + PF_TABLES, (PF_TABLES + PG) | PTE_P | PTE_RW | PTE_US);
	put64(t->mem + PF_TABLES + PG,
	      (PF_TABLES + 2 * PG) | PTE_P | PTE_RW | PTE_US);
	put64(t->mem + PF_TABLES + 2 * PG,
	      (PF_TABLES + 3 * PG) | PTE_P | PTE_RW | PTE_US);
	for (i = 0; i < 512; i++)
		put64(pf_pte(t, i * PG), (i * PG) | PTE_P | PTE_RW | PTE_US |
		      PTE_AD);
	put64(pf_pte(t, PF_RO), PF_RO | PTE_P | PTE_US | PTE_AD);
	put64(pf_pte(t, PF_NP), 0);
	put64(pf_pte(t, PF_SUP), PF_SUP | PTE_P | PTE_RW | PTE_AD);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR3, PF_TABLES));

	/* GDT: null, code64, data, user code64, user data */
	memset(t->mem + PF_IDT, 0, PG);
	put64(t->mem + PF_GDT + 8, 0x00af9a000000ffffULL);
	put64(t->mem + PF_GDT + 16, 0x00cf92000000ffffULL);
	put64(t->mem + PF_GDT + 24, 0x00affa000000ffffULL);
	put64(t->mem + PF_GDT + 32, 0x00cff2000000ffffULL);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_GDTR_BASE, PF_GDT));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_GDTR_LIMIT, 39));
	/* IDT: vector 14, 64-bit trap gate, selector 0x08, DPL 0 */
	put64(t->mem + PF_IDT + 14 * 16,
	      (handler & 0xffff) | (0x08ULL << 16) | (0x8fULL << 40) |
	      ((handler >> 16 & 0xffff) << 48));
	put64(t->mem + PF_IDT + 14 * 16 + 8, handler >> 32);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_IDTR_BASE, PF_IDT));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_IDTR_LIMIT,
				   256 * 16 - 1));
	/* TSS: RSP0 at offset 4 */
	put64(t->mem + PF_TSS + 4, PF_RSP0);
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_TR, VCPU_SEG_BASE),
				   PF_TSS));
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_TR, VCPU_SEG_LIMIT),
				   0x67));

	set_regs(_metadata, t, rsi, rdi, rcx, df);
	ASSERT_OK(vcpu_get_regs(t->fd, &r));
	r.gpr[VCPU_REG_RBX] = user;
	ASSERT_OK(vcpu_set_regs(t->fd, &r));
}

/* The next exit is an OUT of a 32-bit @value to @port. */
static void expect_report(struct __test_metadata *_metadata,
			  struct vcpu_test *t, uint16_t port, uint32_t value)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	if (t->run->io.port != port || (uint32_t)t->run->io.data != value)
		TH_LOG("report port %#x value %#llx, expected %#x %#x",
		       t->run->io.port,
		       (unsigned long long)t->run->io.data, port, value);
	ASSERT_EQ(port, t->run->io.port);
	ASSERT_EQ(0, t->run->io.flags);
	ASSERT_EQ(value, (uint32_t)t->run->io.data);
}

/*
 * The guest took #PF at the string instruction (no exit before): CR2,
 * the error code and the faulting RIP as reported, then the handler's
 * HLT; rSI, rDI and rCX as they were at the faulting element.
 */
static void expect_pf(struct __test_metadata *_metadata, struct vcpu_test *t,
		      struct pfsnip s, uint64_t cr2, uint32_t error,
		      uint64_t rsi, uint64_t rdi, uint64_t rcx)
{
	struct vcpu_regs r;

	expect_report(_metadata, t, 0x80, (uint32_t)cr2);
	expect_report(_metadata, t, 0x81, error);
	expect_report(_metadata, t, 0x82,
		      (uint32_t)VCPU_GUEST_ADDR(s.start, s.insn));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_OK(vcpu_get_regs(t->fd, &r));
	ASSERT_EQ(VCPU_GUEST_ADDR(s.start, s.pf_hlt) + 1, r.pc);
	ASSERT_EQ(rsi, r.gpr[VCPU_REG_RSI]);
	ASSERT_EQ(rdi, r.gpr[VCPU_REG_RDI]);
	ASSERT_EQ(rcx, r.gpr[VCPU_REG_RCX]);
	ASSERT_EQ(PORT, r.gpr[VCPU_REG_RDX]);
}

/* The instruction completed: the report after it (and at CPL 0, HLT). */
static void expect_done(struct __test_metadata *_metadata, struct vcpu_test *t,
			struct pfsnip s, int user)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x83, t->run->io.port);
	ASSERT_PC(t, VCPU_GUEST_ADDR(s.start, s.done) + 2);
	if (user)
		return;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/*
 * REP INSB into a page the guest maps read-only (CR0.WP set): the
 * elements before it are one exit as usual, then #PF (P | W, CR2 the
 * first read-only byte) with no IO_READ for it; straight away when
 * element 0 is there.  With CR0.WP clear a supervisor INS may write it.
 */
TEST_F(strio, pf_ins_readonly)
{
	struct vcpu_test *t = &self->t;
	struct pfsnip s = PFSNIP(guest64_pf_rep_insb);
	uint8_t sent[4];
	uint64_t cr0;

	pf_start(_metadata, t, s, 0, 0, PF_RO - 4, 8, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 4);
	answer_ins(t, 4, 0x14, sent);
	expect_pf(_metadata, t, s, PF_RO, PFERR_P | PFERR_W, 0, PF_RO, 4);
	expect_ins_mem(_metadata, t, PF_RO - 4, 1, 4, 0, sent, identity, 1);
	expect_untouched(_metadata, t, PF_RO, 8);

	pf_start(_metadata, t, s, 0, 0, PF_RO + 0x10, 3, 0);
	expect_pf(_metadata, t, s, PF_RO + 0x10, PFERR_P | PFERR_W, 0,
		  PF_RO + 0x10, 3);
	expect_untouched(_metadata, t, PF_RO, 0x20);

	/* Descending from the read-only page's first byte. */
	pf_start(_metadata, t, s, 0, 0, PF_RO, 3, 1);
	expect_pf(_metadata, t, s, PF_RO, PFERR_P | PFERR_W, 0, PF_RO, 3);

	pf_start(_metadata, t, s, 0, 0, PF_RO + 0x10, 3, 0);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR0, &cr0));
	ASSERT_NE(0, cr0 & (1ULL << 16));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR0,
				   cr0 & ~(1ULL << 16)));
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 3);
	answer_ins(t, 3, 0x15, sent);
	expect_done(_metadata, t, s, 0);
	expect_ins_mem(_metadata, t, PF_RO + 0x10, 1, 3, 0, sent, identity, 1);
}

/*
 * A dword straddling into the read-only page: CR2 is the page's first
 * byte, and nothing of the element is written, also not its bytes in the
 * writable page.  Before it, the whole dwords are one exit.
 */
TEST_F(strio, pf_straddle)
{
	struct vcpu_test *t = &self->t;
	struct pfsnip s = PFSNIP(guest64_pf_rep_insd);
	uint8_t sent[8];

	pf_start(_metadata, t, s, 0, 0, PF_RO - 2, 2, 0);
	expect_pf(_metadata, t, s, PF_RO, PFERR_P | PFERR_W, 0, PF_RO - 2, 2);
	expect_untouched(_metadata, t, PF_RO - 8, 16);

	pf_start(_metadata, t, s, 0, 0, PF_RO - 10, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 4, REP, 2);
	answer_ins(t, 8, 0x16, sent);
	expect_pf(_metadata, t, s, PF_RO, PFERR_P | PFERR_W, 0, PF_RO - 2, 2);
	expect_ins_mem(_metadata, t, PF_RO - 10, 4, 2, 0, sent, identity, 0);
	expect_untouched(_metadata, t, PF_RO - 2, 8);

	/* Descending, element 0 straddles: the same fault. */
	pf_start(_metadata, t, s, 0, 0, PF_RO - 2, 3, 1);
	expect_pf(_metadata, t, s, PF_RO, PFERR_P | PFERR_W, 0, PF_RO - 2, 3);
	expect_untouched(_metadata, t, PF_RO - 12, 16);
}

/*
 * OUTSB from a page that is not present: #PF without P; REP OUTSB into
 * it: the bytes before it go out, then the fault.
 */
TEST_F(strio, pf_outs_not_present)
{
	struct vcpu_test *t = &self->t;
	struct pfsnip s = PFSNIP(guest64_pf_outsb);

	pf_start(_metadata, t, s, 0, PF_NP + 5, 0, 9, 0);
	expect_pf(_metadata, t, s, PF_NP + 5, 0, PF_NP + 5, 0, 9);

	s = PFSNIP(guest64_pf_rep_outsb);
	pf_start(_metadata, t, s, 0, PF_NP - 4, 0, 8, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 4);
	expect_outs_data(_metadata, t, PF_NP - 4, 1, 4, 0, identity);
	expect_regs(_metadata, t, PF_NP, 0, 4, GADDR(s, s.insn));
	expect_pf(_metadata, t, s, PF_NP, 0, PF_NP, 0, 4);

	/* A supervisor page is fine at CPL 0. */
	pf_start(_metadata, t, s, 0, PF_SUP + 0x40, 0, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, REP, 4);
	expect_outs_data(_metadata, t, PF_SUP + 0x40, 1, 4, 0, identity);
	expect_done(_metadata, t, s, 0);
}

/*
 * INS completion: the guest's tables turned the page read-only between
 * the exit and the answer (another vCPU could have): #PF then, nothing
 * written, rDI and rCX as they were.
 */
TEST_F(strio, pf_ins_completion)
{
	struct vcpu_test *t = &self->t;
	struct pfsnip s = PFSNIP(guest64_pf_rep_insb);
	uint8_t sent[4];

	pf_start(_metadata, t, s, 0, 0, PF_RW + 0x80, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 4);
	put64(pf_pte(t, PF_RW), PF_RW | PTE_P | PTE_US | PTE_AD);
	answer_ins(t, 4, 0x17, sent);
	expect_pf(_metadata, t, s, PF_RW + 0x80, PFERR_P | PFERR_W, 0,
		  PF_RW + 0x80, 4);
	expect_untouched(_metadata, t, PF_RW + 0x80, 4);
}

/*
 * CPL 3 (IOPL 3, so the I/O itself is allowed): a supervisor page and a
 * read-only one fault with U/S set in the error code; an absent one
 * without P; a user page works.
 */
TEST_F(strio, pf_user)
{
	struct vcpu_test *t = &self->t;
	struct pfsnip s;
	uint8_t sent[4];

	s = PFSNIP(guest64_pf_outsb);
	pf_start(_metadata, t, s, 1, PF_SUP + 7, 0, 1, 0);
	expect_pf(_metadata, t, s, PF_SUP + 7, PFERR_P | PFERR_U, PF_SUP + 7,
		  0, 1);

	pf_start(_metadata, t, s, 1, PF_NP + 7, 0, 1, 0);
	expect_pf(_metadata, t, s, PF_NP + 7, PFERR_U, PF_NP + 7, 0, 1);

	pf_start(_metadata, t, s, 1, PF_RO + 7, 0, 1, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_WRITE, 1, STR, 1);
	expect_outs_data(_metadata, t, PF_RO + 7, 1, 1, 0, identity);
	expect_done(_metadata, t, s, 1);

	s = PFSNIP(guest64_pf_rep_insb);
	pf_start(_metadata, t, s, 1, 0, PF_RO - 2, 4, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 2);
	answer_ins(t, 2, 0x18, sent);
	expect_pf(_metadata, t, s, PF_RO, PFERR_P | PFERR_W | PFERR_U, 0,
		  PF_RO, 2);
	expect_ins_mem(_metadata, t, PF_RO - 2, 1, 2, 0, sent, identity, 1);

	pf_start(_metadata, t, s, 1, 0, PF_RW + 0x100, 3, 0);
	expect_io(_metadata, t, VCPU_EXIT_IO_READ, 1, REP, 3);
	answer_ins(t, 3, 0x19, sent);
	expect_done(_metadata, t, s, 1);
	expect_ins_mem(_metadata, t, PF_RW + 0x100, 1, 3, 0, sent, identity,
		       1);
}

TEST_HARNESS_MAIN
