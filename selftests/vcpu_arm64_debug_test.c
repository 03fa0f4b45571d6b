// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 guest's own debug registers (arch/arm64/el2_debug.c):
 *   - a breakpoint and a watchpoint the guest programs itself reach its
 *     own EL1 vector (ESR_EL1 class, ELR_EL1, FAR_EL1);
 *   - software step: one step exception per instruction, at its vector,
 *     also after an instruction the kernel emulates;
 *   - isolation: VM A's breakpoint, watchpoint and MDSCR_EL1 are not what
 *     a new VM B on the same CPU reads, and do not fire in B, which runs
 *     the same code with debug exceptions enabled; A, run again, still
 *     has them (its breakpoint and watchpoint fire);
 *   - a host perf hardware breakpoint of the VMM thread keeps counting
 *     after a guest ran with its own breakpoints and watchpoints loaded;
 *   - ONE_REG: round trips, RES0 bits EINVAL, registers beyond the
 *     implemented counts ENOENT, REG_LIST.
 */
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vcpu_asserts.h"

VCPU_GUEST_SNIPPET(guest_debug_bp);
VCPU_GUEST_SNIPPET(guest_debug_step);
VCPU_GUEST_SNIPPET(guest_debug_iso);
extern const uint8_t guest_debug_bp_target[], guest_debug_bp_load[],
	guest_debug_step_target[], guest_debug_iso_target[];

#define MODE		VCPU_MODE_ARM64_EL1
#define WATCHED		(VCPU_TEST_DATA_GPA + 0x40)
#define EC(esr)		(((esr) >> 26) & 0x3f)
#define EC_BREAKPT_CUR	0x31
#define EC_SOFTSTP_CUR	0x33
#define EC_WATCHPT_CUR	0x35
#define MDSCR_KDE	(1ULL << 13)
#define MDSCR_MDE	(1ULL << 15)
#define BCR_ON		0x1e7ULL
#define WCR_ON		0x1fffULL

#define REG_MDSCR	VCPU_REG_ARM64_SYSREG(2, 0, 0, 2, 2)
#define REG_BVR(n)	VCPU_REG_ARM64_SYSREG(2, 0, 0, n, 4)
#define REG_BCR(n)	VCPU_REG_ARM64_SYSREG(2, 0, 0, n, 5)
#define REG_WVR(n)	VCPU_REG_ARM64_SYSREG(2, 0, 0, n, 6)
#define REG_WCR(n)	VCPU_REG_ARM64_SYSREG(2, 0, 0, n, 7)
#define REG_OSLSR	VCPU_REG_ARM64_SYSREG(2, 0, 1, 1, 4)
#define OSLSR_OSLM	(1ULL << 3)
#define OSLSR_OSLK	(1ULL << 1)

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

static void start(struct __test_metadata *_metadata, struct vcpu_test *t,
		  const uint8_t *s, const uint8_t *e, uint64_t arg)
{
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, s, e);
	ASSERT_OK(vcpu_test_start(t, MODE, arg, VCPU_CPU_CURRENT));
}

static void expect_report(struct __test_metadata *_metadata,
			  struct vcpu_test *t, uint64_t value)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	if (t->run->hypercall.nr != value)
		TH_LOG("report %#llx (x1 %#llx x2 %#llx x3 %#llx), expected %#llx",
		       (unsigned long long)t->run->hypercall.nr,
		       (unsigned long long)t->run->hypercall.args[0],
		       (unsigned long long)t->run->hypercall.args[1],
		       (unsigned long long)t->run->hypercall.args[2],
		       (unsigned long long)value);
	ASSERT_EQ(value, t->run->hypercall.nr);
}

#define ADDR(s, label)	VCPU_GUEST_ADDR(s##_start, label)

TEST_F(debug, breakpoint_and_watchpoint)
{
	struct vcpu_test *t = &self->a;

	start(_metadata, t, guest_debug_bp_start, guest_debug_bp_end, 0);
	expect_report(_metadata, t, 0xdb);
	ASSERT_EQ(EC_BREAKPT_CUR, EC(t->run->hypercall.args[0]));
	ASSERT_EQ(ADDR(guest_debug_bp, guest_debug_bp_target),
		  t->run->hypercall.args[1]);
	expect_report(_metadata, t, 0xdb);
	ASSERT_EQ(EC_WATCHPT_CUR, EC(t->run->hypercall.args[0]));
	ASSERT_EQ(ADDR(guest_debug_bp, guest_debug_bp_load),
		  t->run->hypercall.args[1]);
	ASSERT_EQ(WATCHED, t->run->hypercall.args[2]);
	expect_report(_metadata, t, 0x600d);
}

TEST_F(debug, single_step)
{
	struct vcpu_test *t = &self->a;
	uint64_t target = ADDR(guest_debug_step, guest_debug_step_target);
	int i;

	start(_metadata, t, guest_debug_step_start, guest_debug_step_end, 0);
	for (i = 1; i <= 3; i++) {
		expect_report(_metadata, t, 0x55);
		ASSERT_EQ(target + 4 * i, t->run->hypercall.args[0]);
		ASSERT_EQ(EC_SOFTSTP_CUR, EC(t->run->hypercall.args[1]));
	}
	expect_report(_metadata, t, 0x600d);
	ASSERT_EQ(3, t->run->hypercall.args[0]);
}

TEST_F(debug, another_vm_never_sees_them)
{
	uint64_t v;

	start(_metadata, &self->a, guest_debug_iso_start, guest_debug_iso_end,
	      0);
	expect_report(_metadata, &self->a, 1);
	ASSERT_OK(vcpu_get_one_reg(self->a.fd, REG_BCR(0), &v));
	ASSERT_EQ(BCR_ON, v);

	/* B on the same CPU (the test thread is pinned there). */
	start(_metadata, &self->b, guest_debug_iso_start, guest_debug_iso_end,
	      1);
	ASSERT_EQ(self->a.cpu, self->b.cpu);
	expect_report(_metadata, &self->b, 0x1b);
	ASSERT_EQ(0, self->b.run->hypercall.args[0]);	/* MDSCR_EL1 */
	ASSERT_EQ(0, self->b.run->hypercall.args[1]);	/* DBGBVR0 */
	ASSERT_EQ(0, self->b.run->hypercall.args[2]);	/* DBGBCR0 */
	expect_report(_metadata, &self->b, 0x1c);
	ASSERT_EQ(0, self->b.run->hypercall.args[0]);	/* DBGWVR0 */
	ASSERT_EQ(0, self->b.run->hypercall.args[1]);	/* DBGWCR0 */
	/* OSLSR_EL1: implemented, locked (reset) */
	ASSERT_EQ(OSLSR_OSLM | OSLSR_OSLK, self->b.run->hypercall.args[2]);
	expect_report(_metadata, &self->b, 0x600d);

	/* A still has its breakpoint: it fires as A runs into it. */
	expect_report(_metadata, &self->a, 0xdb);
	ASSERT_EQ(EC_BREAKPT_CUR, EC(self->a.run->hypercall.args[0]));
	ASSERT_EQ(ADDR(guest_debug_iso, guest_debug_iso_target),
		  self->a.run->hypercall.args[1]);
	expect_report(_metadata, &self->a, 0xdb);
	ASSERT_EQ(EC_WATCHPT_CUR, EC(self->a.run->hypercall.args[0]));
	ASSERT_EQ(WATCHED, self->a.run->hypercall.args[2]);
	expect_report(_metadata, &self->a, 0x600d);
}

/* A perf write breakpoint on *@var for this thread on @cpu, or -1. */
static int open_bp(volatile uint64_t *var, int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(attr),
		.bp_type = HW_BREAKPOINT_W,
		.bp_addr = (unsigned long)var,
		.bp_len = HW_BREAKPOINT_LEN_8,
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

TEST_F(debug, host_breakpoint_keeps_counting)
{
	static volatile uint64_t var;
	struct vcpu_test *t = &self->a;
	int fd;

	start(_metadata, t, guest_debug_bp_start, guest_debug_bp_end, 0);
	fd = open_bp(&var, t->cpu);
	if (fd < 0)
		SKIP(return, "perf_event_open(PERF_TYPE_BREAKPOINT): %s",
		     strerror(errno));
	var = 1;
	if (bp_count(fd) != 1) {
		close(fd);
		SKIP(return, "no hardware watchpoint count on this CPU");
	}
	/* The guest runs with its own breakpoint and watchpoint loaded. */
	expect_report(_metadata, t, 0xdb);
	var = 2;
	ASSERT_EQ(2, bp_count(fd));
	expect_report(_metadata, t, 0xdb);
	expect_report(_metadata, t, 0x600d);
	var = 3;
	ASSERT_EQ(3, bp_count(fd));
	close(fd);
}

TEST_F(debug, one_reg)
{
	struct vcpu_test *t = &self->a;
	uint64_t v, i, found = 0;
	struct vcpu_reg_list *list;
	const __u64 *ids;
	int brps = 0, wrps = 0;

	start(_metadata, t, guest_debug_bp_start, guest_debug_bp_end, 0);
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_OSLSR, &v));
	ASSERT_EQ(OSLSR_OSLM | OSLSR_OSLK, v);
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_OSLSR, 0));
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_OSLSR, &v));
	ASSERT_EQ(OSLSR_OSLM, v);
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_MDSCR, MDSCR_MDE | MDSCR_KDE));
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_MDSCR, &v));
	ASSERT_EQ(MDSCR_MDE | MDSCR_KDE, v);
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_BVR(1), 0x123450ULL));
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_BCR(1), BCR_ON));
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_WVR(1), 0xfff8ULL));
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_WCR(1), WCR_ON));
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_BVR(1), &v));
	ASSERT_EQ(0x123450ULL, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_WCR(1), &v));
	ASSERT_EQ(WCR_ON, v);
	/* RES0 bits */
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, REG_BVR(1), 0x123451ULL));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, REG_BCR(1), 1ULL << 3));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, REG_WCR(1), 1ULL << 22));
	/* HMC: the guest has no EL2 */
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, REG_BCR(1), 1ULL << 13));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, REG_MDSCR, 1ULL << 1));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, REG_OSLSR, 1ULL));

	/* REG_LIST has MDSCR, OSLSR and the implemented pairs only. */
	list = vcpu_get_reg_list(t->fd);
	ASSERT_NE(NULL, list);
	ids = list->reg;
	for (i = 0; i < list->n; i++) {
		if (ids[i] == REG_MDSCR || ids[i] == REG_OSLSR)
			found++;
		if ((ids[i] & ~0x78ULL) == REG_BCR(0))
			brps++;
		if ((ids[i] & ~0x78ULL) == REG_WCR(0))
			wrps++;
	}
	free(list);
	ASSERT_EQ(2, found);
	ASSERT_GE(brps, 2);	/* the architecture's minimum */
	ASSERT_GE(wrps, 2);
	TH_LOG("%d breakpoints, %d watchpoints", brps, wrps);
	if (brps < 16)
		ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd, REG_BCR(brps), &v));
	if (wrps < 16)
		ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd, REG_WVR(wrps), &v));

	/* The guest runs on with its own: its breakpoint fires. */
	expect_report(_metadata, t, 0xdb);
}

TEST_HARNESS_MAIN
