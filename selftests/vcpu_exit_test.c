// SPDX-License-Identifier: GPL-2.0
/*
 * x86 exits: port I/O, hypercalls, HLT, MMIO (decoder), MSRs, entry failure,
 * shutdown, signals and immediate_exit, in 16-, 32- and 64-bit modes.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"
#include "vcpu_asserts.h"

VCPU_GUEST_SNIPPET(guest16_out);
VCPU_GUEST_SNIPPET(guest16_mmio);
VCPU_GUEST_SNIPPET(guest32_hlt);
VCPU_GUEST_SNIPPET(guest32_out);
VCPU_GUEST_SNIPPET(guest32_mmio_write);
VCPU_GUEST_SNIPPET(guest32_mmio_read);
VCPU_GUEST_SNIPPET(guest32_mmio_undecodable);
VCPU_GUEST_SNIPPET(guest32_spin);
VCPU_GUEST_SNIPPET(guest32_triple_fault);
VCPU_GUEST_SNIPPET(guest64_hlt);
VCPU_GUEST_SNIPPET(guest64_hypercall);
VCPU_GUEST_SNIPPET(guest64_report_regs);
VCPU_GUEST_SNIPPET(guest64_in);
VCPU_GUEST_SNIPPET(guest64_mmio_write);
VCPU_GUEST_SNIPPET(guest64_mmio_read);
VCPU_GUEST_SNIPPET(guest64_mmio_read_trunc);
VCPU_GUEST_SNIPPET(guest64_rdmsr);
VCPU_GUEST_SNIPPET(guest64_wrmsr);
extern const uint8_t guest16_out_hlt[], guest16_mmio_hlt[], guest32_out_hlt[],
	guest32_mmio_write_hlt[], guest32_mmio_read_hlt[],
	guest32_mmio_undecodable_insn[], guest64_hypercall_insn[],
	guest64_mmio_write_hlt[], guest64_mmio_read_hlt[], guest64_rdmsr_hlt[],
	guest64_wrmsr_hlt[];

#define MMIO	VCPU_TEST_MMIO_GPA
#define X86_CR0_NW	(1ULL << 29)
#define X86_CR0_CD	(1ULL << 30)

FIXTURE(exits) {
	struct vcpu_test t;
};

FIXTURE_SETUP(exits)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(exits)
{
	vcpu_test_fini(&self->t);
}

/* A VM with mem bytes at GPA 0, the snippet at 0x1000, SETUP + BIND. */
static void prepare(struct __test_metadata *_metadata, struct vcpu_test *t,
		    size_t mem, const uint8_t *start, const uint8_t *end,
		    uint32_t mode)
{
	ASSERT_OK(vcpu_test_init(t, mem));
	vcpu_test_load(t, start, end);
	ASSERT_OK(vcpu_test_start(t, mode, 0, VCPU_CPU_CURRENT));
}

static void expect_io_write(struct __test_metadata *_metadata,
			    struct vcpu_test *t, uint16_t port, uint8_t width,
			    uint64_t data)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	EXPECT_EQ(port, t->run->io.port);
	EXPECT_EQ(width, t->run->io.width);
	EXPECT_EQ(1, t->run->io.count);
	ASSERT_EQ(data, t->run->io.data);
}

static void expect_mmio_write(struct __test_metadata *_metadata,
			      struct vcpu_test *t, uint64_t addr,
			      uint8_t width, uint64_t data)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_WRITE);
	TH_LOG("MMIO_WRITE addr %#llx width %u data %#llx",
	       (unsigned long long)t->run->mmio.addr, t->run->mmio.width,
	       (unsigned long long)t->run->mmio.data);
	ASSERT_EQ(addr, t->run->mmio.addr);
	ASSERT_EQ(width, t->run->mmio.width);
	ASSERT_EQ(data, t->run->mmio.data);
}

/* Expect an MMIO_READ exit as described, then complete it with data. */
static void expect_mmio_read(struct __test_metadata *_metadata,
			     struct vcpu_test *t, uint64_t addr, uint8_t width,
			     uint8_t reg, uint8_t reg_width, uint8_t sign_extend,
			     uint32_t flags, uint64_t data)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_READ);
	TH_LOG("MMIO_READ addr %#llx width %u reg %u reg_width %u sx %u flags %#x",
	       (unsigned long long)t->run->mmio.addr, t->run->mmio.width,
	       t->run->mmio.reg, t->run->mmio.reg_width,
	       t->run->mmio.sign_extend, t->run->mmio.flags);
	ASSERT_EQ(addr, t->run->mmio.addr);
	ASSERT_EQ(width, t->run->mmio.width);
	ASSERT_EQ(reg, t->run->mmio.reg);
	ASSERT_EQ(reg_width, t->run->mmio.reg_width);
	ASSERT_EQ(sign_extend, t->run->mmio.sign_extend);
	ASSERT_EQ(flags, t->run->mmio.flags);
	t->run->mmio.data = data;
}

static void expect_hypercall_nr(struct __test_metadata *_metadata,
				struct vcpu_test *t, uint64_t nr)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	if (t->run->hypercall.nr != nr)
		TH_LOG("hypercall nr %#llx, expected %#llx",
		       (unsigned long long)t->run->hypercall.nr,
		       (unsigned long long)nr);
	ASSERT_EQ(nr, t->run->hypercall.nr);
}

static void expect_halt_at(struct __test_metadata *_metadata,
			   struct vcpu_test *t, uint64_t hlt_addr)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, hlt_addr + 1);
}

TEST_F(exits, real_mode_out)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest16_out_start,
		guest16_out_end, VCPU_MODE_X86_REAL);
	expect_io_write(_metadata, t, 0x80, 1, 0x42);
	expect_io_write(_metadata, t, 0x80, 2, 0x1234);
	expect_halt_at(_metadata, t,
		       VCPU_GUEST_ADDR(guest16_out_start, guest16_out_hlt));
}

TEST_F(exits, real_mode_mmio)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;

	/* Region 0 is 0..0x80000: DS=0xA000 addresses the MMIO hole. */
	prepare(_metadata, t, 0x80000, guest16_mmio_start, guest16_mmio_end,
		VCPU_MODE_X86_REAL);
	expect_mmio_write(_metadata, t, 0xA0010, 1, 0x5a);
	expect_mmio_write(_metadata, t, 0xA0020, 2, 0xbeef);
	expect_mmio_write(_metadata, t, 0xA0030, 4, 0x12345678);
	expect_mmio_write(_metadata, t, 0xA0040, 2, 0xcafe);
	expect_mmio_read(_metadata, t, 0xA0050, 2, VCPU_REG_RBX, 2, 0, 0, 0x4321);
	expect_halt_at(_metadata, t,
		       VCPU_GUEST_ADDR(guest16_mmio_start, guest16_mmio_hlt));
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	ASSERT_EQ(0x4321, regs.gpr[VCPU_REG_RBX] & 0xffff);
}

TEST_F(exits, io_out_widths)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_out_start,
		guest32_out_end, VCPU_MODE_X86_PROT32);
	expect_io_write(_metadata, t, 0x80, 1, 0x11);
	expect_io_write(_metadata, t, 0x80, 2, 0x2233);
	expect_io_write(_metadata, t, 0x80, 4, 0x44556677);
	expect_io_write(_metadata, t, 0x3f8, 1, 0x99);
	expect_halt_at(_metadata, t,
		       VCPU_GUEST_ADDR(guest32_out_start, guest32_out_hlt));
}

TEST_F(exits, io_in_widths)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_in_start,
		guest64_in_end, VCPU_MODE_X86_LONG64);

	/* IN AL: only AL changes. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_READ);
	ASSERT_EQ(0x60, t->run->io.port);
	ASSERT_EQ(1, t->run->io.width);
	ASSERT_EQ(1, t->run->io.count);
	t->run->io.data = 0xa5;
	expect_hypercall_nr(_metadata, t, 0x11223344556677a5ULL);

	/* IN AX, DX: only AX changes. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_READ);
	ASSERT_EQ(0x1f0, t->run->io.port);
	ASSERT_EQ(2, t->run->io.width);
	t->run->io.data = 0xbeef;
	expect_hypercall_nr(_metadata, t, 0x112233445566beefULL);

	/* IN EAX: a 32-bit write zero-extends into RAX in 64-bit mode. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_READ);
	ASSERT_EQ(0x61, t->run->io.port);
	ASSERT_EQ(4, t->run->io.width);
	t->run->io.data = 0xdeadbeef;
	expect_hypercall_nr(_metadata, t, 0xdeadbeefULL);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(exits, hypercall_args_and_ret)
{
	struct vcpu_test *t = &self->t;
	int i;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_hypercall_start,
		guest64_hypercall_end, VCPU_MODE_X86_LONG64);
	expect_hypercall_nr(_metadata, t, 0x0123456789abcdefULL);
	for (i = 0; i < 6; i++) {
		TH_LOG("args[%d] = %#llx", i,
		       (unsigned long long)t->run->hypercall.args[i]);
		ASSERT_EQ(0x1111111111111111ULL * (i + 1),
			  t->run->hypercall.args[i]);
	}
	t->run->hypercall.ret = 0xfedcba9876543210ULL;
	/* The guest passes RAX (the ret) back as args[0] of nr 2. */
	expect_hypercall_nr(_metadata, t, 2);
	ASSERT_EQ(0xfedcba9876543210ULL, t->run->hypercall.args[0]);
	t->run->hypercall.ret = 0;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(exits, halt_advances_pc)
{
	struct vcpu_test *t = &self->t;
	uint64_t seq;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_hlt_start,
		guest64_hlt_end, VCPU_MODE_X86_LONG64);
	expect_halt_at(_metadata, t, VCPU_TEST_CODE_GPA);
	seq = t->run->exit_seq;
	expect_halt_at(_metadata, t, VCPU_TEST_CODE_GPA + 1);
	ASSERT_EQ(seq + 1, t->run->exit_seq);
}

TEST_F(exits, mmio_write_prot32)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_mmio_write_start,
		guest32_mmio_write_end, VCPU_MODE_X86_PROT32);
	expect_mmio_write(_metadata, t, MMIO + 0x00, 1, 0x44);
	expect_mmio_write(_metadata, t, MMIO + 0x10, 2, 0x3344);
	expect_mmio_write(_metadata, t, MMIO + 0x20, 4, 0x11223344);
	expect_mmio_write(_metadata, t, MMIO + 0x30, 4, 0xdeadbeef);	/* C7 */
	expect_mmio_write(_metadata, t, MMIO + 0x40, 1, 0x7f);		/* C6 */
	expect_mmio_write(_metadata, t, MMIO + 0x48, 2, 0xbeef);	/* 66 C7 */
	expect_mmio_write(_metadata, t, MMIO + 0x50, 4, 0xcafef00d);	/* A3 */
	expect_mmio_write(_metadata, t, MMIO + 0x58, 1, 0x0d);		/* A2 */
	expect_halt_at(_metadata, t, VCPU_GUEST_ADDR(guest32_mmio_write_start,
						     guest32_mmio_write_hlt));
}

TEST_F(exits, mmio_write_long64)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_mmio_write_start,
		guest64_mmio_write_end, VCPU_MODE_X86_LONG64);
	expect_mmio_write(_metadata, t, MMIO + 0x00, 1, 0x11);
	expect_mmio_write(_metadata, t, MMIO + 0x08, 2, 0x2211);
	expect_mmio_write(_metadata, t, MMIO + 0x10, 4, 0x44332211);
	expect_mmio_write(_metadata, t, MMIO + 0x18, 8, 0x8877665544332211ULL);
	expect_mmio_write(_metadata, t, MMIO + 0x20, 8, 0xfffffffffffffffeULL);
	expect_mmio_write(_metadata, t, MMIO + 0x28, 4, 0x44332211);	/* r9d */
	expect_mmio_write(_metadata, t, MMIO + 0x30, 1, 0x99);
	expect_mmio_write(_metadata, t, MMIO + 0x100, 8, 0x8877665544332211ULL);
	expect_halt_at(_metadata, t, VCPU_GUEST_ADDR(guest64_mmio_write_start,
						     guest64_mmio_write_hlt));
}

TEST_F(exits, mmio_read_prot32)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_mmio_read_start,
		guest32_mmio_read_end, VCPU_MODE_X86_PROT32);
	expect_mmio_read(_metadata, t, MMIO + 0x00, 4, VCPU_REG_RCX, 4, 0, 0,
			 0x11112222);
	expect_mmio_read(_metadata, t, MMIO + 0x10, 4, VCPU_REG_RAX, 4, 0, 0,
			 0x33334444);				/* A1 */
	expect_mmio_read(_metadata, t, MMIO + 0x20, 1, VCPU_REG_RDX, 4, 0, 0,
			 0xf0);					/* MOVZX */
	expect_mmio_read(_metadata, t, MMIO + 0x30, 2, VCPU_REG_RSI, 4, 1, 0,
			 0x8000);				/* MOVSX */
	expect_mmio_read(_metadata, t, MMIO + 0x40, 1, 7, 1, 0,
			 VCPU_MMIO_F_HIGH_BYTE, 0x77);		/* BH */
	expect_halt_at(_metadata, t, VCPU_GUEST_ADDR(guest32_mmio_read_start,
						     guest32_mmio_read_hlt));
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	/* 32-bit mode: only the low 32 bits are architecturally defined. */
	ASSERT_EQ(0x11112222, (uint32_t)regs.gpr[VCPU_REG_RCX]);
	ASSERT_EQ(0x33334444, (uint32_t)regs.gpr[VCPU_REG_RAX]);
	ASSERT_EQ(0xf0, (uint32_t)regs.gpr[VCPU_REG_RDX]);
	ASSERT_EQ(0xffff8000, (uint32_t)regs.gpr[VCPU_REG_RSI]);
	ASSERT_EQ(0xc0007700, (uint32_t)regs.gpr[VCPU_REG_RBX]);
}

TEST_F(exits, mmio_read_long64)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_mmio_read_start,
		guest64_mmio_read_end, VCPU_MODE_X86_LONG64);
	expect_mmio_read(_metadata, t, MMIO + 0x00, 4, VCPU_REG_RAX, 4, 0, 0,
			 0x89abcdef);
	expect_mmio_read(_metadata, t, MMIO + 0x08, 8, VCPU_REG_RDX, 8, 0, 0,
			 0x0123456789abcdefULL);		/* REX.W */
	expect_mmio_read(_metadata, t, MMIO + 0x10, 2, VCPU_REG_RSI, 2, 0, 0,
			 0x1234);
	expect_mmio_read(_metadata, t, MMIO + 0x18, 1, VCPU_REG_RDI, 1, 0, 0,
			 0x56);					/* DIL, REX */
	expect_mmio_read(_metadata, t, MMIO + 0x20, 1, 4, 1, 0,
			 VCPU_MMIO_F_HIGH_BYTE, 0x5a);		/* AH */
	expect_mmio_read(_metadata, t, MMIO + 0x28, 1, VCPU_REG_RCX, 4, 0, 0,
			 0x80);					/* MOVZX r32 */
	expect_mmio_read(_metadata, t, MMIO + 0x30, 1, VCPU_REG_R8, 8, 1, 0,
			 0x80);					/* MOVSX r64 */
	expect_mmio_read(_metadata, t, MMIO + 0x38, 2, VCPU_REG_R9, 4, 1, 0,
			 0x8001);				/* MOVSX r32, m16 */
	expect_mmio_read(_metadata, t, MMIO + 0x40, 2, VCPU_REG_R10, 8, 0, 0,
			 0xfffe);				/* MOVZX r64, m16 */
	expect_mmio_read(_metadata, t, MMIO + 0x100, 4, VCPU_REG_RAX, 4, 0, 0,
			 0xcafef00d);				/* A1 moffs64 */
	expect_halt_at(_metadata, t, VCPU_GUEST_ADDR(guest64_mmio_read_start,
						     guest64_mmio_read_hlt));
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	EXPECT_EQ(0xcafef00dULL, regs.gpr[VCPU_REG_RAX]);
	EXPECT_EQ(0x89ab5aefULL, regs.gpr[VCPU_REG_R11]);
	EXPECT_EQ(0x0123456789abcdefULL, regs.gpr[VCPU_REG_RDX]);
	EXPECT_EQ(0xffffffffffff1234ULL, regs.gpr[VCPU_REG_RSI]);
	EXPECT_EQ(0xffffffffffffff56ULL, regs.gpr[VCPU_REG_RDI]);
	EXPECT_EQ(0x80ULL, regs.gpr[VCPU_REG_RCX]);
	EXPECT_EQ(0xffffffffffffff80ULL, regs.gpr[VCPU_REG_R8]);
	EXPECT_EQ(0xffff8001ULL, regs.gpr[VCPU_REG_R9]);
	EXPECT_EQ(0xfffeULL, regs.gpr[VCPU_REG_R10]);
	EXPECT_EQ((uint64_t)MMIO, regs.gpr[VCPU_REG_RBX]);
}

/* Bits of the completion data beyond the access width are not used. */
TEST_F(exits, mmio_read_data_truncated_to_width)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_mmio_read_trunc_start,
		guest64_mmio_read_trunc_end, VCPU_MODE_X86_LONG64);
	expect_mmio_read(_metadata, t, MMIO, 1, VCPU_REG_RCX, 4, 0, 0,
			 0xdeadbeefcafe1280ULL);
	expect_mmio_read(_metadata, t, MMIO + 8, 2, VCPU_REG_RDX, 2, 0, 0,
			 0x123456789abcULL);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	EXPECT_EQ(0x80ULL, regs.gpr[VCPU_REG_RCX]);
	EXPECT_EQ(0xffffffffffff9abcULL, regs.gpr[VCPU_REG_RDX]);
}

/*
 * A read-modify-write on an MMIO address is not a plain load or store: the
 * decoder leaves it to the VMM as a nested page fault carrying the bytes.
 */
TEST_F(exits, mmio_undecodable_nested_page_fault)
{
	static const uint8_t insn[] = { 0x01, 0x05, 0x00, 0x00, 0x00, 0xc0 };
	struct vcpu_test *t = &self->t;
	struct vcpu_exit_npf *npf;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_mmio_undecodable_start,
		guest32_mmio_undecodable_end, VCPU_MODE_X86_PROT32);
	ASSERT_EQ(0, memcmp(guest32_mmio_undecodable_insn, insn, sizeof(insn)));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_NESTED_PAGE_FAULT);
	npf = &t->run->npf;
	TH_LOG("gpa %#llx access %#x hw %#llx insn_len %u insn %02x %02x %02x",
	       (unsigned long long)npf->gpa, npf->access,
	       (unsigned long long)npf->hw_info, npf->insn_len, npf->insn[0],
	       npf->insn[1], npf->insn[2]);
	ASSERT_EQ((uint64_t)MMIO, npf->gpa);
	/*
	 * "add [mem], eax" reads and writes: SVM reports the first access
	 * (read), VMX implementations report the read, the write or both.
	 */
	ASSERT_NE(0, npf->access & (VCPU_NPF_READ | VCPU_NPF_WRITE));
	ASSERT_EQ(0, npf->access & VCPU_NPF_EXEC);
	if (vcpu_cpu_is_amd())
		ASSERT_EQ(VCPU_NPF_READ,
			  npf->access & (VCPU_NPF_READ | VCPU_NPF_WRITE));
	ASSERT_EQ(0, npf->access & VCPU_NPF_PRESENT);
	ASSERT_GE(npf->insn_len, sizeof(insn));
	ASSERT_LE(npf->insn_len, 15);
	ASSERT_EQ(0, memcmp(npf->insn, insn, sizeof(insn)));
	ASSERT_PC(t, VCPU_TEST_CODE_GPA);	/* the guest did not advance */
}

TEST_F(exits, msr_read_unknown)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_rdmsr_start,
		guest64_rdmsr_end, VCPU_MODE_X86_LONG64);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_READ);
	ASSERT_EQ(VCPU_TEST_MSR, t->run->sysreg.addr);
	ASSERT_EQ(0, t->run->sysreg.reg);
	t->run->sysreg.value = 0x0123456789abcdefULL;
	expect_halt_at(_metadata, t,
		       VCPU_GUEST_ADDR(guest64_rdmsr_start, guest64_rdmsr_hlt));
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	ASSERT_EQ(0x89abcdefULL, regs.gpr[VCPU_REG_RAX]);
	ASSERT_EQ(0x01234567ULL, regs.gpr[VCPU_REG_RDX]);
	ASSERT_EQ(VCPU_TEST_MSR, regs.gpr[VCPU_REG_RCX]);
}

TEST_F(exits, msr_write_unknown)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_wrmsr_start,
		guest64_wrmsr_end, VCPU_MODE_X86_LONG64);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_WRITE);
	ASSERT_EQ(VCPU_TEST_MSR, t->run->sysreg.addr);
	ASSERT_EQ(0xfeedfacedeadbeefULL, t->run->sysreg.value);
	ASSERT_EQ(0, t->run->sysreg.reg);
	expect_halt_at(_metadata, t,
		       VCPU_GUEST_ADDR(guest64_wrmsr_start, guest64_wrmsr_hlt));
}

TEST_F(exits, fail_entry_illegal_cr0)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_state_info info;
	uint64_t cr0, code;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_hlt_start,
		guest32_hlt_end, VCPU_MODE_X86_PROT32);
	/* A CR0 the vendor's entry checks refuse (guest_bad_cr0()). */
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR0, &cr0));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR0, guest_bad_cr0(cr0)));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_FAIL_ENTRY);
	code = t->run->fail_entry.hardware_entry_failure_reason;
	TH_LOG("hardware_entry_failure_reason %#llx cpu %u",
	       (unsigned long long)code, t->run->fail_entry.cpu);
	ASSERT_EQ(guest_bad_state_code(), code);
	ASSERT_EQ((uint32_t)t->cpu, t->run->fail_entry.cpu);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_INVALID, info.state);
	ASSERT_EQ(code, info.fail_hw_code);
	ASSERT_EQ(VCPU_EXIT_FAIL_ENTRY, info.last_exit_reason);
	ASSERT_ERRNO(EIO, vcpu_run(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
}

TEST_F(exits, shutdown_triple_fault)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_state_info info;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_triple_fault_start,
		guest32_triple_fault_end, VCPU_MODE_X86_PROT32);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SHUTDOWN);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_INVALID, info.state);
	ASSERT_EQ(VCPU_EXIT_SHUTDOWN, info.last_exit_reason);
	ASSERT_NE(0, strnlen(info.fail_reason, VCPU_FAIL_REASON_LEN));
	ASSERT_ERRNO(EIO, vcpu_run(t->fd));
	ASSERT_ERRNO(EIO, vcpu_unbind(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
}

TEST_F(exits, immediate_exit)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_out_start,
		guest32_out_end, VCPU_MODE_X86_PROT32);
	t->run->immediate_exit = 1;
	ASSERT_ERRNO(EINTR, vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_INTR, t->run->exit_reason);
	ASSERT_PC(t, VCPU_TEST_CODE_GPA);	/* the guest did not run */
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
	/* Still set: still no entry. */
	ASSERT_ERRNO(EINTR, vcpu_run(t->fd));
	ASSERT_PC(t, VCPU_TEST_CODE_GPA);
	t->run->immediate_exit = 0;
	expect_io_write(_metadata, t, 0x80, 1, 0x11);
}

/* An IO_READ stays pending across an EINTR and completes on the next entry. */
TEST_F(exits, pending_completion_survives_intr)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_in_start,
		guest64_in_end, VCPU_MODE_X86_LONG64);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_READ);
	ASSERT_EQ(0x60, t->run->io.port);
	t->run->io.data = 0x3c;
	t->run->immediate_exit = 1;
	ASSERT_ERRNO(EINTR, vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_INTR, t->run->exit_reason);
	t->run->immediate_exit = 0;
	t->run->io.data = 0x3c;
	expect_hypercall_nr(_metadata, t, 0x112233445566773cULL);
}

/* A signal kicks a spinning guest out; RUN again resumes it. */
TEST_F_TIMEOUT(exits, signal_interrupts_and_resumes, 120)
{
	struct vcpu_test *t = &self->t;
	volatile uint32_t *count, *flag;
	struct vcpu_runner r;
	struct vcpu_regs regs;
	uint32_t seen;

	ASSERT_OK(vcpu_install_kick_handler(SIGUSR1));
	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_spin_start,
		guest32_spin_end, VCPU_MODE_X86_PROT32);
	count = (volatile uint32_t *)(t->mem + VCPU_TEST_DATA_GPA);
	flag = (volatile uint32_t *)(t->mem + VCPU_TEST_DATA_GPA + 4);
	ASSERT_OK(vcpu_unpin_self());

	memset(&r, 0, sizeof(r));
	r.fd = t->fd;
	r.cpu = t->cpu;
	ASSERT_OK(vcpu_runner_start(&r));
	ASSERT_OK(vcpu_wait_nonzero(count, NULL, 60000));
	ASSERT_EQ(0, vcpu_runner_done(&r));
	ASSERT_EQ(0, pthread_kill(r.thread, SIGUSR1));
	ASSERT_OK(vcpu_runner_wait(&r, 30000));
	ASSERT_OK(vcpu_runner_join(&r));
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EINTR, r.err);
	ASSERT_EQ(VCPU_EXIT_INTR, t->run->exit_reason);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
	/* Stopped inside the loop (incl / cmpl / je: 0x1000 .. 0x100f). */
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	ASSERT_GE(regs.pc, VCPU_TEST_CODE_GPA);
	ASSERT_LT(regs.pc, VCPU_TEST_CODE_GPA + 0xf);

	/* The guest sees the flag and goes on to its next exit. */
	seen = *count;
	*flag = 0x1234;
	ASSERT_OK(vcpu_pin_self(t->cpu));
	expect_io_write(_metadata, t, 0x80, 4, 0x1234);
	ASSERT_GE(*count, seen);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(exits, set_regs_seen_by_guest)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest64_report_regs_start,
		guest64_report_regs_end, VCPU_MODE_X86_LONG64);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	regs.gpr[VCPU_REG_RBX] = 0xfeedfacecafebeefULL;
	regs.gpr[VCPU_REG_R15] = 0x0f1e2d3c4b5a6978ULL;
	ASSERT_OK(vcpu_set_regs(t->fd, &regs));
	expect_hypercall_nr(_metadata, t, 3);
	ASSERT_EQ(0xfeedfacecafebeefULL, t->run->hypercall.args[0]);
	ASSERT_EQ(0x0f1e2d3c4b5a6978ULL, t->run->hypercall.args[1]);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(exits, set_pc_redirects_guest)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;

	prepare(_metadata, t, VCPU_TEST_MEM_SIZE, guest32_out_start,
		guest32_out_end, VCPU_MODE_X86_PROT32);
	/* Start at the HLT: no OUT exit happens at all. */
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	regs.pc = VCPU_GUEST_ADDR(guest32_out_start, guest32_out_hlt);
	ASSERT_OK(vcpu_set_regs(t->fd, &regs));
	expect_halt_at(_metadata, t, regs.pc);
}

TEST_HARNESS_MAIN
