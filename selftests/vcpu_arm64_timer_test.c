// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's EL1 virtual timer (arch/arm64/el2_timer.c), with the guest
 * of arm64/guest_timer.S:
 *   - a timer the guest arms while it spins with IRQs unmasked interrupts
 *     it: INTID 27 at its own handler, no VMM injection;
 *   - the same while it waits in WFI handled in the kernel: the vCPU
 *     blocks, and RUN returns with the handler's report, never HALT;
 *   - CNTVOFF set by the VMM on another vCPU of the VM: the guest's
 *     CNTVCT lies between the host's counter before and after RUN, minus
 *     the offset;
 *   - isolation: VM A leaves its timer firing (CVAL in the past, IRQs
 *     masked) and CSSELR_EL1 = 2; VM B on the same CPU finds CNTV_CTL,
 *     CNTV_CVAL and CSSELR_EL1 at reset and takes no interrupt; A, run
 *     again, finds its values and takes its interrupt;
 *   - TPIDR2_EL0 (SME only): the guest neither sees nor changes the host
 *     thread's;
 *   - ONE_REG round trips (ISTATUS read-only, bad bits EINVAL, CNTVCT
 *     moving CNTVOFF) and REG_LIST.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>

#include "vcpu_asserts.h"
#include "irq_test.h"

VCPU_GUEST_SNIPPET(guest_timer);

#define PART_RUN	0
#define PART_WFI	1
#define PART_COUNT	2
#define PART_KEEP	3
#define PART_FRESH	4
#define PART_TPIDR2	5

#define DELTA		0x20		/* DATA offsets (guest_timer.S) */
#define PRE_WFI		0x28
#define DONE		0x600d
#define ARMED		0xa1
#define FRESH		0xb0000
#define VTIMER_INTID	27

#define CTL_ENABLE	1ULL
#define CTL_IMASK	2ULL
#define CTL_ISTATUS	4ULL

#define REG_CSSELR	VCPU_REG_ARM64_SYSREG(3, 2, 0, 0, 0)
#define REG_TPIDR2	VCPU_REG_ARM64_SYSREG(3, 3, 13, 0, 5)
#ifndef HWCAP2_SME
#define HWCAP2_SME	(1UL << 23)
#endif

FIXTURE(timer) {
	struct vcpu_test t;
	struct vcpu_test b;
	struct irq_async a;
};

FIXTURE_SETUP(timer)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
	self->b.sys_fd = self->b.vm_fd = self->b.fd = -1;
	self->a.running = 0;
}

FIXTURE_TEARDOWN(timer)
{
	irq_async_stop(&self->a, self->t.fd);
	vcpu_test_fini(&self->b);
	vcpu_test_fini(&self->t);
}

static uint64_t host_cntvct(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (v) :: "memory");
	return v;
}

static uint64_t host_cntfrq(void)
{
	uint64_t v;

	asm volatile("mrs %0, cntfrq_el0" : "=r" (v));
	return v;
}

static uint64_t data64(const struct vcpu_test *t, unsigned int off)
{
	return __atomic_load_n((uint64_t *)(t->mem + VCPU_TEST_DATA_GPA + off),
			       __ATOMIC_SEQ_CST);
}

static void set_data64(struct vcpu_test *t, unsigned int off, uint64_t v)
{
	memcpy(t->mem + VCPU_TEST_DATA_GPA + off, &v, sizeof(v));
}

static void start(struct __test_metadata *_metadata, struct vcpu_test *t,
		  uint64_t part, uint32_t flags, int cpu)
{
	struct vcpu_setup setup = {
		.mode = VCPU_MODE_ARM64_EL1, .flags = flags,
		.entry = VCPU_TEST_CODE_GPA, .stack = VCPU_TEST_STACK_GPA,
		.arg = part,
	};

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_timer_start, guest_timer_end);
	ASSERT_OK(ioctl(t->fd, VCPU_SETUP, &setup));
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(t->fd, cpu));
	t->cpu = cpu;
}

static void expect_report(struct __test_metadata *_metadata,
			  struct vcpu_test *t, uint64_t value)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	if (t->run->hypercall.nr != value)
		TH_LOG("report %#llx, expected %#llx",
		       (unsigned long long)t->run->hypercall.nr,
		       (unsigned long long)value);
	ASSERT_EQ(value, t->run->hypercall.nr);
}

static uint64_t get_reg(struct __test_metadata *_metadata, int fd, uint64_t id)
{
	uint64_t v = 0;

	EXPECT_EQ(0, vcpu_get_one_reg(fd, id, &v));
	return v;
}

/* (1) Spinning with IRQs unmasked: the timer's own interrupt, 1 ms ahead. */
TEST_F_TIMEOUT(timer, fires_while_running, 60)
{
	struct vcpu_test *t = &self->t;

	start(_metadata, t, PART_RUN, 0, vcpu_current_cpu());
	set_data64(t, DELTA, host_cntfrq() / 1000);
	expect_report(_metadata, t, VTIMER_INTID);
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
	ASSERT_EQ(VTIMER_INTID, irq_data32(t, GUEST_IRQ_LAST));
	expect_report(_metadata, t, DONE);
	/* The handler masked it: ENABLE | IMASK, and it has fired. */
	ASSERT_EQ(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS,
		  get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CTL));
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
}

/*
 * (2) Waiting in WFI, halts handled in the kernel: the vCPU blocks (its
 * last WFI began before the deadline) and the timer wakes it: RUN's
 * first exit is the handler's report, not HALT.
 */
TEST_F_TIMEOUT(timer, wakes_blocked_wfi, 60)
{
	struct vcpu_test *t = &self->t;
	uint64_t cval;

	start(_metadata, t, PART_WFI, VCPU_SETUP_F_HALT_IN_KERNEL,
	      vcpu_current_cpu());
	/* 300 ms: the vCPU is Blocked long before (any later works too). */
	set_data64(t, DELTA, host_cntfrq() * 3 / 10);
	irq_run_async(_metadata, &self->a, t);
	irq_wait_state(_metadata, t->fd, VCPU_STATE_BLOCKED);
	irq_run_join(_metadata, &self->a, t, 30000, 0, 0,
		     VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(VTIMER_INTID, t->run->hypercall.nr);
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
	cval = get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CVAL);
	ASSERT_LT(data64(t, PRE_WFI), cval);
	expect_report(_metadata, t, DONE);
}

/*
 * (3) CNTVOFF, set through a second vCPU of the VM: the guest's counter is
 * the host's minus the offset, for vCPU 0 too.
 */
TEST_F_TIMEOUT(timer, cntvoff_per_vm, 60)
{
	struct vcpu_test *t = &self->t;
	uint64_t before, after, off, g, v;
	int fd1;

	start(_metadata, t, PART_COUNT, 0, vcpu_current_cpu());
	ASSERT_EQ(0, get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTVOFF));
	fd1 = vcpu_create_vcpu(t->vm_fd, 1);
	ASSERT_GE(fd1, 0);
	ASSERT_OK(vcpu_setup(fd1, VCPU_MODE_ARM64_EL1, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, PART_COUNT));
	before = host_cntvct();
	off = before / 2;
	ASSERT_OK(vcpu_set_one_reg(fd1, VCPU_REG_ARM64_CNTVOFF, off));
	ASSERT_EQ(off, get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTVOFF));
	ASSERT_EQ(off, get_reg(_metadata, fd1, VCPU_REG_ARM64_CNTVOFF));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	after = host_cntvct();
	g = t->run->hypercall.nr;
	TH_LOG("host %llu..%llu, offset %llu, guest %llu",
	       (unsigned long long)before, (unsigned long long)after,
	       (unsigned long long)off, (unsigned long long)g);
	ASSERT_LE(before - off, g);
	ASSERT_GE(after - off, g);
	/* CNTVCT through ONE_REG: the same counter, later. */
	v = get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTVCT);
	after = host_cntvct();
	ASSERT_LE(g, v);
	ASSERT_GE(after - off, v);
	close(fd1);
}

/*
 * (4) VM A leaves a firing timer and CSSELR_EL1 = 2 behind (Ready, its
 * interrupt not yet taken); VM B on the same CPU sees none of it; A then
 * finds its own values and takes its interrupt.
 */
TEST_F_TIMEOUT(timer, isolated_between_vms, 60)
{
	struct vcpu_test *a = &self->t, *b = &self->b;
	int cpu = vcpu_current_cpu();
	uint64_t v;
	int i;

	start(_metadata, a, PART_KEEP, 0, cpu);
	expect_report(_metadata, a, ARMED);
	ASSERT_EQ(CTL_ENABLE | CTL_ISTATUS,
		  get_reg(_metadata, a->fd, VCPU_REG_ARM64_CNTV_CTL));
	ASSERT_EQ(0, get_reg(_metadata, a->fd, VCPU_REG_ARM64_CNTV_CVAL));
	ASSERT_EQ(2, get_reg(_metadata, a->fd, REG_CSSELR));
	ASSERT_STATE(a->fd, VCPU_STATE_READY);

	start(_metadata, b, PART_FRESH, 0, cpu);
	expect_report(_metadata, b, 0);		/* CNTV_CTL */
	expect_report(_metadata, b, 0);		/* CNTV_CVAL */
	expect_report(_metadata, b, 0);		/* CSSELR_EL1 */
	expect_report(_metadata, b, FRESH);	/* no interrupt taken */
	for (i = 0; i < 4; i++) {
		v = get_reg(_metadata, b->fd, VCPU_REG_ARM64_ICH_LR(i));
		ASSERT_EQ(0, v);
	}

	expect_report(_metadata, a, CTL_ENABLE | CTL_ISTATUS);
	expect_report(_metadata, a, 0);
	expect_report(_metadata, a, 2);
	expect_report(_metadata, a, VTIMER_INTID);
	expect_report(_metadata, a, DONE);
	ASSERT_EQ(1, irq_data32(a, GUEST_IRQ_COUNT));
	ASSERT_EQ(0, irq_data32(b, GUEST_IRQ_COUNT));
}

static uint64_t host_tpidr2(void)
{
	uint64_t v;

	asm volatile("mrs %0, s3_3_c13_c0_5" : "=r" (v));
	return v;
}

static void set_host_tpidr2(uint64_t v)
{
	asm volatile("msr s3_3_c13_c0_5, %0" :: "r" (v));
}

/*
 * TPIDR2_EL0 has no EL2 trap: without SME it does not exist, with it the
 * guest's is switched with the host thread's.
 */
TEST_F_TIMEOUT(timer, tpidr2_isolated, 60)
{
	struct vcpu_test *t = &self->t;

	if (!(getauxval(AT_HWCAP2) & HWCAP2_SME))
		SKIP(return, "no SME: no TPIDR2_EL0");
	start(_metadata, t, PART_TPIDR2, 0, vcpu_current_cpu());
	set_host_tpidr2(0x1111);
	expect_report(_metadata, t, 0);
	ASSERT_EQ(0x1111, host_tpidr2());
	expect_report(_metadata, t, 0x5a5a);
	ASSERT_EQ(0x1111, host_tpidr2());
	ASSERT_EQ(0x5a5a, get_reg(_metadata, t->fd, REG_TPIDR2));
	set_host_tpidr2(0);
}

/* (5) ONE_REG round trips and REG_LIST. */
TEST_F(timer, one_reg)
{
	struct vcpu_test *t = &self->t;
	uint64_t want[] = { VCPU_REG_ARM64_CNTVOFF, VCPU_REG_ARM64_CNTV_CTL,
			    VCPU_REG_ARM64_CNTV_CVAL, REG_CSSELR };
	bool found[4] = {}, vct = false;
	struct vcpu_reg_list *list;
	uint64_t n = 0, i, j, before, after, off;

	start(_metadata, t, PART_COUNT, 0, vcpu_current_cpu());
	ASSERT_EQ(0, get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CTL));
	ASSERT_EQ(0, get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CVAL));
	ASSERT_EQ(0, get_reg(_metadata, t->fd, REG_CSSELR));

	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTV_CVAL, ~0ULL));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTV_CTL,
				   CTL_ENABLE | CTL_IMASK));
	ASSERT_EQ(CTL_ENABLE | CTL_IMASK,
		  get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CTL));
	/* ISTATUS is ignored by SET and computed on GET. */
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTV_CTL,
				   CTL_ENABLE | CTL_ISTATUS));
	ASSERT_EQ(CTL_ENABLE,
		  get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CTL));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTV_CVAL, 0));
	ASSERT_EQ(CTL_ENABLE | CTL_ISTATUS,
		  get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CTL));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTV_CTL,
					      8));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTV_CVAL,
				   0x123456789abcULL));
	ASSERT_EQ(0x123456789abcULL,
		  get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTV_CVAL));
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_CSSELR, 2));
	ASSERT_EQ(2, get_reg(_metadata, t->fd, REG_CSSELR));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTVOFF, 12345));
	ASSERT_EQ(12345, get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTVOFF));

	/* CNTVCT = 1000 now: the offset becomes the host's count - 1000. */
	before = host_cntvct();
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_CNTVCT, 1000));
	after = host_cntvct();
	off = get_reg(_metadata, t->fd, VCPU_REG_ARM64_CNTVOFF);
	ASSERT_LE(before - 1000, off);
	ASSERT_GE(after - 1000, off);

	ASSERT_ERRNO(E2BIG, ioctl(t->fd, VCPU_GET_REG_LIST, &n));
	list = calloc(1, sizeof(*list) + n * sizeof(list->reg[0]));
	ASSERT_NE(NULL, list);
	list->n = n;
	ASSERT_OK(ioctl(t->fd, VCPU_GET_REG_LIST, list));
	for (i = 0; i < n; i++) {
		for (j = 0; j < 4; j++)
			found[j] |= list->reg[i] == want[j];
		vct |= list->reg[i] == VCPU_REG_ARM64_CNTVCT;
	}
	free(list);
	for (j = 0; j < 4; j++) {
		if (!found[j])
			TH_LOG("id %#llx not listed", (unsigned long long)want[j]);
		ASSERT_TRUE(found[j]);
	}
	ASSERT_FALSE(vct);

	/* The guest sees what the VMM set: its counter runs from ~1000. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	ASSERT_LE(1000, t->run->hypercall.nr);
	ASSERT_GE(host_cntvct() - off, t->run->hypercall.nr);
}

TEST_HARNESS_MAIN
