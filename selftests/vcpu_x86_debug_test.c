// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's debug registers (arch/x86/debugreg.c): every MOV DR is
 * answered from the guest's own state, never the host's or another VM's;
 * the host's hardware breakpoints keep firing after a guest armed its
 * own; guest breakpoints, single steps and #AC reach the guest's own
 * handlers; ONE_REG DR0-7 and DEBUGCTL.
 *
 * Emulators: a host perf breakpoint that never counts a write means the
 * emulator has no hardware data breakpoints (host_breakpoint skips,
 * saying so); lane quirk svm-vmrun-dr7-unarmed (QEMU 7.2) skips the
 * guest's data and execution breakpoints; no-alignment-check (QEMU's TCG)
 * skips #AC once the guest showed that its misaligned load completed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

#include "guest.h"

VCPU_GUEST_SNIPPET(guest64_dbg_read);
VCPU_GUEST_SNIPPET(guest64_dbg_write);
VCPU_GUEST_SNIPPET(guest64_dbg_bp);
VCPU_GUEST_SNIPPET(guest64_dbg_step);
VCPU_GUEST_SNIPPET(guest64_dbg_ac);
extern const uint8_t guest64_dbg_bp_written[], guest64_dbg_bp_exec[],
	guest64_dbg_bp_db[], guest64_dbg_step_stepped[],
	guest64_dbg_step_out_done[], guest64_dbg_step_db[],
	guest64_dbg_ac_insn[], guest64_dbg_ac_handler[];

#define D_COUNT		0x3000
#define D_DR6		0x3008
#define D_RIP		0x3010
#define D_VEC		0x3018
#define D_ERR		0x3020
#define D_DR		0x3100

#define G_IDT		0x5000ULL
#define G_TSS		0x5400ULL
#define G_GDT		0x5800ULL
#define G_RSP0		0x6f00ULL
#define G_TABLES	0x18000ULL	/* PML4, PDPT, PD: 2 MiB, user */

#define DR6_RESET	0xffff0ff0ULL
#define DR7_RESET	0x400ULL
#define DR6_B0		0x1ULL
#define DR6_B1		0x2ULL
#define DR6_BS		0x4000ULL

FIXTURE(debug) {
	struct vcpu_test a, b;
};

FIXTURE_SETUP(debug)
{
	VCPU_REQUIRE_DEV();
	self->a.sys_fd = self->a.vm_fd = self->a.fd = -1;
	self->b.sys_fd = self->b.vm_fd = self->b.fd = -1;
}

FIXTURE_TEARDOWN(debug)
{
	vcpu_test_fini(&self->a);
	vcpu_test_fini(&self->b);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint64_t get64(struct vcpu_test *t, uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, t->mem + gpa, 8);
	return v;
}

/* A 64-bit trap gate (IF kept: the handlers end in HLT), selector 0x08, DPL 0. */
static void set_gate(struct vcpu_test *t, unsigned int vec, uint64_t handler)
{
	put64(t->mem + G_IDT + vec * 16,
	      (handler & 0xffff) | (0x08ULL << 16) | (0x8fULL << 40) |
	      ((handler >> 16 & 0xffff) << 48));
	put64(t->mem + G_IDT + vec * 16 + 8, handler >> 32);
}

/*
 * A long-mode guest @s..@e bound to the current CPU with its own GDT
 * (kernel and user code/data), an empty IDT, a TSS (RSP0) and user-
 * accessible identity tables for the first 2 MiB; CR4.DE clear.
 */
static void start(struct __test_metadata *_metadata, struct vcpu_test *t,
		  const uint8_t *s, const uint8_t *e)
{
	uint64_t cr4;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, s, e);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_LONG64, 0,
				  VCPU_CPU_CURRENT));
	memset(t->mem + G_TABLES, 0, 3 * 4096);
	put64(t->mem + G_TABLES, (G_TABLES + 0x1000) | 7);
	put64(t->mem + G_TABLES + 0x1000, (G_TABLES + 0x2000) | 7);
	put64(t->mem + G_TABLES + 0x2000, 0x87);	/* P RW US PS */
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR3, G_TABLES));
	memset(t->mem + G_IDT, 0, 4096);
	put64(t->mem + G_GDT + 8, 0x00af9a000000ffffULL);
	put64(t->mem + G_GDT + 16, 0x00cf92000000ffffULL);
	put64(t->mem + G_GDT + 24, 0x00affa000000ffffULL);
	put64(t->mem + G_GDT + 32, 0x00cff2000000ffffULL);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_GDTR_BASE, G_GDT));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_GDTR_LIMIT, 39));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_IDTR_BASE, G_IDT));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_IDTR_LIMIT,
				   256 * 16 - 1));
	put64(t->mem + G_TSS + 4, G_RSP0);
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_TR, VCPU_SEG_BASE),
				   G_TSS));
	ASSERT_OK(vcpu_set_one_reg(t->fd,
				   VCPU_REG_X86_SEG(VCPU_SEG_TR, VCPU_SEG_LIMIT),
				   0x67));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR4, &cr4));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR4, cr4 & ~8ULL));
}

static void expect_report(struct __test_metadata *_metadata,
			  struct vcpu_test *t, uint32_t value)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x80, t->run->io.port);
	ASSERT_EQ(value, (uint32_t)t->run->io.data);
}

/* The data page holds DR0-7 as a guest read them. */
static void expect_drs(struct __test_metadata *_metadata, struct vcpu_test *t,
		       const uint64_t db[4], uint64_t dr6, uint64_t dr7)
{
	int i;

	for (i = 0; i < 4; i++) {
		TH_LOG("DR%d %#llx", i,
		       (unsigned long long)get64(t, D_DR + 8 * i));
		ASSERT_EQ(db[i], get64(t, D_DR + 8 * i));
	}
	ASSERT_EQ(dr6, get64(t, D_DR + 32));	/* DR4 */
	ASSERT_EQ(dr7, get64(t, D_DR + 40));	/* DR5 */
	ASSERT_EQ(dr6, get64(t, D_DR + 48));
	ASSERT_EQ(dr7, get64(t, D_DR + 56));
}

/* A perf write breakpoint on *@var for this thread on @cpu, or -1. */
static int open_bp(volatile uint32_t *var, int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(attr),
		.bp_type = HW_BREAKPOINT_W,
		.bp_addr = (unsigned long)var,
		.bp_len = HW_BREAKPOINT_LEN_4,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};

	return syscall(__NR_perf_event_open, &attr, 0, cpu, -1, 0);
}

static uint64_t bp_count(int fd)
{
	uint64_t n = ~0ULL;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return ~0ULL;
	return n;
}

/* The lane names a quirk of its emulator (scripts/lanes/). */
static int lane_quirk(const char *name)
{
	const char *quirks = getenv("VCPU_LANE_QUIRKS");

	return quirks && strstr(quirks, name);
}

TEST_F(debug, one_reg)
{
	struct vcpu_test *t = &self->a;
	static const uint64_t db[4] = {
		0x123456789abcULL, 0xffffffff81000000ULL, 0x1000, 0x7ff0,
	};
	uint64_t v;
	int i;

	start(_metadata, t, guest64_dbg_read_start, guest64_dbg_read_end);
	for (i = 0; i < 4; i++) {
		ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(i), &v));
		ASSERT_EQ(0, v);
	}
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(6), &v));
	ASSERT_EQ(DR6_RESET, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(7), &v));
	ASSERT_EQ(DR7_RESET, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DEBUGCTL, &v));
	ASSERT_EQ(0, v);
	ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(4), &v));
	ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(5), &v));
	ASSERT_ERRNO(ENOENT, vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(5), 0));

	/* Reserved bits: EINVAL, nothing changes. */
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(6),
					      DR6_RESET | (1ULL << 32)));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(6),
					      DR6_RESET | (1ULL << 12)));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(7),
					      DR7_RESET | (1ULL << 32)));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(7),
					      DR7_RESET | (1ULL << 11)));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_DEBUGCTL, 1));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(7), &v));
	ASSERT_EQ(DR7_RESET, v);

	/* Round trips; the fixed-one bits read back set. */
	for (i = 0; i < 4; i++) {
		ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(i), db[i]));
		ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(i), &v));
		ASSERT_EQ(db[i], v);
	}
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(6), DR6_BS | 1));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(6), &v));
	ASSERT_EQ(DR6_RESET | DR6_BS | 1, v);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(7), 0x2000));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(7), &v));
	ASSERT_EQ(DR7_RESET | 0x2000, v);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_DR(7), 0));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_DEBUGCTL, 2));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DEBUGCTL, &v));
	ASSERT_EQ(2, v);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_DEBUGCTL, 0));

	/* What the VMM set is what the guest reads. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	expect_drs(_metadata, t, db, DR6_RESET | DR6_BS | 1, DR7_RESET);

	/* A guest's own writes come back through ONE_REG. */
	vcpu_test_fini(t);
	start(_metadata, t, guest64_dbg_write_start, guest64_dbg_write_end);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(2), &v));
	ASSERT_EQ(0x3333000, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_DR(7), &v));
	ASSERT_EQ(DR7_RESET | 0xaa, v);
}

/*
 * VM A writes DR0-3 and arms DR7 and reads them back; VM B on the same
 * CPU afterwards reads the reset values.
 */
TEST_F(debug, vm_to_vm)
{
	static const uint64_t a_db[4] = {
		0x1111000, 0x2222000, 0x3333000, 0x4444000,
	};
	static const uint64_t zero[4];

	start(_metadata, &self->a, guest64_dbg_write_start,
	      guest64_dbg_write_end);
	ASSERT_RUN_EXIT(&self->a, VCPU_EXIT_HALT);
	ASSERT_RUN_EXIT(&self->a, VCPU_EXIT_HALT);
	expect_drs(_metadata, &self->a, a_db, DR6_RESET, DR7_RESET | 0xaa);

	start(_metadata, &self->b, guest64_dbg_read_start,
	      guest64_dbg_read_end);
	ASSERT_EQ(self->a.cpu, self->b.cpu);
	ASSERT_RUN_EXIT(&self->b, VCPU_EXIT_HALT);
	expect_drs(_metadata, &self->b, zero, DR6_RESET, DR7_RESET);
}

/*
 * A host perf breakpoint on this thread: the guest never reads its
 * address, and it still counts writes after a guest armed DR0-3.
 */
TEST_F(debug, host_breakpoint)
{
	static volatile uint32_t var;
	static const uint64_t zero[4];
	uint64_t n;
	int fd;

	start(_metadata, &self->a, guest64_dbg_read_start,
	      guest64_dbg_read_end);
	fd = open_bp(&var, self->a.cpu);
	if (fd < 0)
		SKIP(return, "perf_event_open(PERF_TYPE_BREAKPOINT): %s",
		     strerror(errno));
	var = 1;
	n = bp_count(fd);
	if (n == 0) {
		close(fd);
		SKIP(return, "the emulator does not implement hardware data breakpoints");
	}
	ASSERT_EQ(1, n);

	ASSERT_RUN_EXIT(&self->a, VCPU_EXIT_HALT);
	expect_drs(_metadata, &self->a, zero, DR6_RESET, DR7_RESET);

	start(_metadata, &self->b, guest64_dbg_write_start,
	      guest64_dbg_write_end);
	ASSERT_RUN_EXIT(&self->b, VCPU_EXIT_HALT);
	var = 2;
	ASSERT_EQ(2, bp_count(fd));
	ASSERT_RUN_EXIT(&self->b, VCPU_EXIT_HALT);
	var = 3;
	ASSERT_EQ(3, bp_count(fd));
	close(fd);
}

static uint32_t db_count(struct vcpu_test *t)
{
	uint32_t n;

	memcpy(&n, t->mem + D_COUNT, 4);
	return n;
}

/*
 * The guest's own breakpoints: a data write (DR6.B0, RIP after the
 * store), then an execution breakpoint (B1, RIP at the target), each
 * taken by the guest's handler without an exit to userspace.
 */
TEST_F(debug, guest_breakpoints)
{
	struct vcpu_test *t = &self->a;
	const uint8_t *s = guest64_dbg_bp_start;

	if (lane_quirk("svm-vmrun-dr7-unarmed"))
		SKIP(return, "lane quirk svm-vmrun-dr7-unarmed: the emulator's VMRUN does not arm the guest's DR7 breakpoints");
	start(_metadata, t, guest64_dbg_bp_start, guest64_dbg_bp_end);
	set_gate(t, 1, VCPU_GUEST_ADDR(s, guest64_dbg_bp_db));

	expect_report(_metadata, t, 1);
	ASSERT_EQ(1, db_count(t));
	ASSERT_EQ(DR6_RESET | DR6_B0, get64(t, D_DR6));
	ASSERT_EQ(VCPU_GUEST_ADDR(s, guest64_dbg_bp_written), get64(t, D_RIP));
	expect_report(_metadata, t, 2);
	ASSERT_EQ(2, db_count(t));
	ASSERT_EQ(DR6_RESET | DR6_B1, get64(t, D_DR6));
	ASSERT_EQ(VCPU_GUEST_ADDR(s, guest64_dbg_bp_exec), get64(t, D_RIP));
	ASSERT_EQ(1, get64(t, D_VEC));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/*
 * TF in the guest: #DB with DR6.BS after the stepped instruction; and
 * over an OUT the kernel completes, the same #DB after the OUT.
 */
TEST_F(debug, guest_single_step)
{
	struct vcpu_test *t = &self->a;
	const uint8_t *s = guest64_dbg_step_start;

	start(_metadata, t, guest64_dbg_step_start, guest64_dbg_step_end);
	set_gate(t, 1, VCPU_GUEST_ADDR(s, guest64_dbg_step_db));

	expect_report(_metadata, t, 3);
	ASSERT_EQ(1, db_count(t));
	ASSERT_EQ(DR6_RESET | DR6_BS, get64(t, D_DR6));
	ASSERT_EQ(VCPU_GUEST_ADDR(s, guest64_dbg_step_stepped),
		  get64(t, D_RIP));
	expect_report(_metadata, t, 4);
	expect_report(_metadata, t, 5);
	ASSERT_EQ(2, db_count(t));
	ASSERT_EQ(DR6_RESET | DR6_BS, get64(t, D_DR6));
	ASSERT_EQ(VCPU_GUEST_ADDR(s, guest64_dbg_step_out_done),
		  get64(t, D_RIP));
	ASSERT_EQ(1, get64(t, D_VEC));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/* A misaligned load at CPL 3 with CR0.AM and RFLAGS.AC: the guest's #AC. */
TEST_F(debug, alignment_check)
{
	struct vcpu_test *t = &self->a;
	const uint8_t *s = guest64_dbg_ac_start;

	start(_metadata, t, guest64_dbg_ac_start, guest64_dbg_ac_end);
	set_gate(t, 17, VCPU_GUEST_ADDR(s, guest64_dbg_ac_handler));
	memset(t->mem + D_VEC, 0xff, 16);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	if ((uint32_t)t->run->io.data == 7 && lane_quirk("no-alignment-check"))
		SKIP(return, "lane quirk no-alignment-check: the emulator never raises #AC");
	ASSERT_EQ(6, (uint32_t)t->run->io.data);
	ASSERT_EQ(17, get64(t, D_VEC));
	ASSERT_EQ(0, get64(t, D_ERR));
	ASSERT_EQ(VCPU_GUEST_ADDR(s, guest64_dbg_ac_insn), get64(t, D_RIP));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_HARNESS_MAIN
