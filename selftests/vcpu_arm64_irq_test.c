// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 interrupt injection through the GICv3 virtual CPU interface
 * (arch/arm64/el2_vgic.c), with the guests of arm64/guest_irq.S:
 *   - SPIs, PPIs and SGIs injected into a Ready vCPU, acknowledged with
 *     ICC_IAR1_EL1 and ended with ICC_EOIR1_EL1 without a trap;
 *   - the delivery order of interrupts queued together: highest INTID
 *     first (the LRs are refilled sorted, highest in the lowest LR, and
 *     QEMU's GIC takes the lowest LR among equal priorities; real GICs
 *     may choose otherwise, the architecture leaves it open);
 *   - more queued interrupts than list registers (QEMU has 4): every one
 *     delivered exactly once, both with a guest that exits for each and
 *     with one that never exits by itself (the GIC maintenance interrupt
 *     brings it out to refill);
 *   - PSTATE.I and ICC_PMR_EL1 masking, the virtual interface's reset
 *     state (VPMR 0xff, group 1 on) for a guest that never programs it;
 *   - injection into a Running vCPU (the kick IPI) and into a Blocked one
 *     (WFI handled in the kernel); a WFI with only a masked interrupt in
 *     the LRs still blocks;
 *   - ICC_SGI1R_EL1 still traps (SEND_IPI) with the virtual interface on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "irq_test.h"

VCPU_GUEST_SNIPPET(guest_el1_irq_count);
VCPU_GUEST_SNIPPET(guest_el1_irq_pmr);
VCPU_GUEST_SNIPPET(guest_el1_gic_regs);
extern const uint8_t guest_el1_irq_pmr_wfi[];

/* DATA+0x400 + 4 * INTID: per-INTID counts of guest_el1_irq_count */
#define IRQ_PER_INTID		0x400
/* guest_irq_wait arg bits */
#define WAIT_BUSY		1
#define WAIT_NO_GIC_SETUP	2

FIXTURE(virq) {
	struct vcpu_test t;
	struct irq_async a;
};

FIXTURE_SETUP(virq)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
	self->a.running = 0;
}

FIXTURE_TEARDOWN(virq)
{
	irq_async_stop(&self->a, self->t.fd);
	vcpu_test_fini(&self->t);
}

/* The handler's report of INTID irq, with its bookkeeping. */
static void assert_irq(struct __test_metadata *_metadata, struct vcpu_test *t,
		       uint32_t irq)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	if (t->run->hypercall.nr != irq)
		TH_LOG("report %#llx, expected INTID %u",
		       (unsigned long long)t->run->hypercall.nr, irq);
	ASSERT_EQ(irq, t->run->hypercall.nr);
	ASSERT_EQ(irq, irq_data32(t, GUEST_IRQ_LAST));
}

/*
 * The INTID of the GIC maintenance interrupt, from its /proc/interrupts
 * line ("N: counts... GICv3 25 Level vcpu-vgic", or KVM's "vgic" when KVM
 * initialised and owns it); -1 when the host enables none.
 */
static int maint_intid(void)
{
	char line[1024], *p;
	int intid = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (intid < 0 && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "vgic"))
			continue;
		p = strstr(line, "GICv3");
		if (p)
			intid = atoi(p + 5);
	}
	fclose(f);
	return intid;
}

TEST_F_TIMEOUT(virq, spi_into_ready, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_irq_wait, 0, 0);
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_A));
	assert_irq(_metadata, t, GUEST_IRQ_A);
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	/* Halted again: injected after the first RUN this time. */
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_B));
	assert_irq(_metadata, t, GUEST_IRQ_B);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(2, irq_data32(t, GUEST_IRQ_COUNT));
}

/* A, then B, both queued before the entry: B (the higher INTID) first. */
TEST_F_TIMEOUT(virq, two_queued_highest_first, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_irq_wait, 0, 0);
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_A));
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_B));
	assert_irq(_metadata, t, GUEST_IRQ_B);
	assert_irq(_metadata, t, GUEST_IRQ_A);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(2, irq_data32(t, GUEST_IRQ_COUNT));
}

/* SGI, PPI and the highest SPI: every kind of INTID, highest first. */
TEST_F_TIMEOUT(virq, sgi_ppi_spi, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_irq_wait, 0, 0);
	ASSERT_OK(irq_inject(t->fd, 3));
	ASSERT_OK(irq_inject(t->fd, 20));
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_MAX));
	assert_irq(_metadata, t, GUEST_IRQ_MAX);
	assert_irq(_metadata, t, 20);
	assert_irq(_metadata, t, 3);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(3, irq_data32(t, GUEST_IRQ_COUNT));
}

/* PSTATE.I set: nothing before "2", then the interrupt. */
TEST_F_TIMEOUT(virq, masked_until_unmasked, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_irq_masked, 0, 0);
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_A));
	ASSERT_REPORT(t, 1);
	ASSERT_REPORT(t, 2);
	ASSERT_EQ(0, irq_data32(t, GUEST_IRQ_COUNT));
	assert_irq(_metadata, t, GUEST_IRQ_A);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
}

/* A guest that never writes ICC_PMR_EL1 / ICC_IGRPEN1_EL1 still gets it. */
TEST_F_TIMEOUT(virq, reset_vmcr_delivers, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_irq_wait, WAIT_NO_GIC_SETUP, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_A));
	assert_irq(_metadata, t, GUEST_IRQ_A);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/* The CPU interface as the guest sees it, no access trapping. */
TEST_F_TIMEOUT(virq, icc_registers, 60)
{
	struct vcpu_test *t = &self->t;
	uint64_t sre, pmr, grpen, ctlr, bpr1, rpr;

	IRQ_START(guest_el1_gic_regs, 0, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	sre = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	pmr = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	grpen = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	ctlr = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	bpr1 = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	rpr = t->run->hypercall.nr;
	TH_LOG("SRE %#llx PMR %#llx IGRPEN1 %#llx CTLR %#llx BPR1 %#llx RPR %#llx",
	       (unsigned long long)sre, (unsigned long long)pmr,
	       (unsigned long long)grpen, (unsigned long long)ctlr,
	       (unsigned long long)bpr1, (unsigned long long)rpr);
	ASSERT_EQ(1, sre & 1);			/* system registers */
	ASSERT_EQ(0xf0, pmr & 0xf0);		/* 0xff, low bits RAZ */
	ASSERT_EQ(1, grpen);
	ASSERT_EQ(0, ctlr & 2);			/* EOImode 0 */
	ASSERT_NE(0, bpr1);			/* at least its minimum */
	ASSERT_EQ(0xf0, rpr & 0xf0);		/* idle */
	/* Written through to the virtual interface and read back. */
	ASSERT_REPORT(t, 0xe0);
	ASSERT_REPORT(t, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/*
 * ICC_PMR_EL1 = 0x80 masks the injected priority 0xa0: the interrupt
 * stays in its LR, does not end the WFI (a HALT exit), and is taken once
 * the guest opens the mask.
 */
TEST_F_TIMEOUT(virq, pmr_masks, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_el1_irq_pmr, 0, 0);
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_A));
	ASSERT_REPORT(t, 1);
	ASSERT_REPORT(t, 2);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, VCPU_GUEST_ADDR(guest_el1_irq_pmr_start,
				     guest_el1_irq_pmr_wfi) + 4);
	ASSERT_EQ(0, irq_data32(t, GUEST_IRQ_COUNT));
	assert_irq(_metadata, t, GUEST_IRQ_A);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
}

/*
 * The same with WFI handled in the kernel: an LR holding only a masked
 * interrupt is no reason to stay awake, the vCPU blocks; a new injection
 * wakes it, and once the mask opens both arrive, the newer (higher) one
 * first.
 */
TEST_F_TIMEOUT(virq, pmr_masked_wfi_blocks, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_el1_irq_pmr, 0, VCPU_SETUP_F_HALT_IN_KERNEL);
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_A));
	ASSERT_REPORT(t, 1);
	ASSERT_REPORT(t, 2);
	irq_run_async(_metadata, &self->a, &self->t);
	irq_wait_state(_metadata, t->fd, VCPU_STATE_BLOCKED);
	usleep(50000);
	ASSERT_STATE(t->fd, VCPU_STATE_BLOCKED);
	ASSERT_EQ(0, irq_data32(t, GUEST_IRQ_COUNT));
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_B));
	irq_run_join(_metadata, &self->a, &self->t, 10000, 0, 0, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(GUEST_IRQ_B, t->run->hypercall.nr);
	assert_irq(_metadata, t, GUEST_IRQ_A);
	ASSERT_EQ(2, irq_data32(t, GUEST_IRQ_COUNT));
}

/* Injected from another thread while the guest spins: the kick IPI. */
TEST_F_TIMEOUT(virq, inject_running, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_irq_wait, WAIT_BUSY, 0);
	irq_run_async(_metadata, &self->a, &self->t);
	/* This thread off the vCPU's CPU if there is another. */
	ASSERT_OK(vcpu_unpin_self());
	irq_wait_state(_metadata, t->fd, VCPU_STATE_RUNNING);
	usleep(20000);
	ASSERT_EQ(0, vcpu_runner_done(&self->a.r));
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_A));
	irq_run_join(_metadata, &self->a, &self->t, 10000, 0, 0, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(GUEST_IRQ_A, t->run->hypercall.nr);
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
}

/* WFI in the kernel: Blocked (seen from here) until the injection. */
TEST_F_TIMEOUT(virq, blocked_wakes_on_injection, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_state_info info;

	IRQ_START(guest_irq_wait, 0, VCPU_SETUP_F_HALT_IN_KERNEL);
	irq_run_async(_metadata, &self->a, &self->t);
	ASSERT_OK(vcpu_unpin_self());
	irq_wait_state(_metadata, t->fd, VCPU_STATE_BLOCKED);
	usleep(50000);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_BLOCKED, info.state);
	ASSERT_EQ(0, vcpu_runner_done(&self->a.r));
	ASSERT_OK(irq_inject(t->fd, GUEST_IRQ_B));
	irq_run_join(_metadata, &self->a, &self->t, 10000, 0, 0, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(GUEST_IRQ_B, t->run->hypercall.nr);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
	ASSERT_EQ(1, irq_data32(t, GUEST_IRQ_COUNT));
}

/*
 * Eight SPIs at once, twice the list registers of QEMU's GIC: each one
 * reported exactly once, highest INTID first (every report exits, and
 * the refill at the next entry keeps the LRs sorted).
 */
TEST_F_TIMEOUT(virq, more_than_lrs_in_order, 60)
{
	struct vcpu_test *t = &self->t;
	int i;

	IRQ_START(guest_irq_wait, 0, 0);
	for (i = 0; i < 8; i++)
		ASSERT_OK(irq_inject(t->fd, 40 + i));
	for (i = 7; i >= 0; i--)
		assert_irq(_metadata, t, 40 + i);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(8, irq_data32(t, GUEST_IRQ_COUNT));
}

/*
 * The same number of interrupts to a guest whose handler never exits:
 * after the first four, only an exit refills the LRs.  The maintenance
 * interrupt (underflow) provides it: with host interrupts delivered as
 * exits, one of them is the maintenance INTID.  Every INTID arrives
 * exactly once.
 */
TEST_F_TIMEOUT(virq, more_than_lrs_silent_guest, 60)
{
	struct vcpu_test *t = &self->t;
	int maint = maint_intid(), seen_maint = 0, exits = 0, i;
	const int n = 12;

	IRQ_START(guest_el1_irq_count, n, VCPU_SETUP_F_EXIT_ON_EXTINT);
	for (i = 0; i < n; i++)
		ASSERT_OK(irq_inject(t->fd, 100 + i));
	for (;;) {
		ASSERT_EQ(0, vcpu_run(t->fd));
		if (t->run->exit_reason != VCPU_EXIT_EXTERNAL_INTERRUPT)
			break;
		exits++;
		if ((int)t->run->external_interrupt.vector == maint)
			seen_maint++;
		ASSERT_LT(exits, 10000);
	}
	ASSERT_EQ(VCPU_EXIT_HYPERCALL, t->run->exit_reason);
	ASSERT_EQ(n, t->run->hypercall.nr);
	TH_LOG("%d host-interrupt exits, %d of them the maintenance interrupt (INTID %d)",
	       exits, seen_maint, maint);
	for (i = 0; i < 1020; i++)
		ASSERT_EQ(i >= 100 && i < 100 + n ? 1 : 0,
			  irq_data32(t, IRQ_PER_INTID + 4 * i));
	ASSERT_EQ(n, irq_data32(t, GUEST_IRQ_COUNT));
	if (maint < 0)
		TH_LOG("no GIC maintenance interrupt enabled in the host");
	else
		ASSERT_GE(seen_maint, 1);
}

/* Wait until the u32 at DATA+off reaches v; false on timeout. */
static int wait_data(struct vcpu_test *t, unsigned int off, uint32_t v)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (irq_data32(t, off) >= v)
			return 1;
		usleep(1000);
	}
	return 0;
}

/*
 * The same INTID injected again and again into a running guest, each
 * time after the previous one was taken: one delivery per injection
 * (the per-INTID count would show a second LR for it, or a lost one).
 */
TEST_F_TIMEOUT(virq, reinject_while_running, 60)
{
	struct vcpu_test *t = &self->t;
	int i;

	IRQ_START(guest_el1_irq_count, 5, 0);
	irq_run_async(_metadata, &self->a, &self->t);
	ASSERT_OK(vcpu_unpin_self());
	irq_wait_state(_metadata, t->fd, VCPU_STATE_RUNNING);
	for (i = 0; i < 5; i++) {
		ASSERT_OK(irq_inject(t->fd, 60));
		ASSERT_TRUE(wait_data(t, IRQ_PER_INTID + 4 * 60, i + 1));
	}
	irq_run_join(_metadata, &self->a, &self->t, 10000, 0, 0, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(5, t->run->hypercall.nr);
	ASSERT_EQ(5, irq_data32(t, IRQ_PER_INTID + 4 * 60));
	ASSERT_EQ(5, irq_data32(t, GUEST_IRQ_COUNT));
}

/*
 * ICC_SGI1R_EL1 still traps with the virtual interface on: the ping-pong
 * guest on one vCPU (index 0, one round) sends SGI 1 to vCPU 1; the IPI
 * injected back into itself counts the round, and it reports.
 */
TEST_F_TIMEOUT(virq, sgi1r_traps_with_vgic, 60)
{
	struct vcpu_test *t = &self->t;

	IRQ_START(guest_ipi_pingpong, 0, 0);
	*(uint32_t *)(t->mem + VCPU_TEST_DATA_GPA + GUEST_PINGPONG_ROUNDS) = 1;
	guest_smp_prepare(_metadata, t->fd, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SEND_IPI);
	ASSERT_EQ(GUEST_IPI_IRQ, t->run->send_ipi.vector);
	ASSERT_EQ(1, guest_ipi_target(t->run));
	ASSERT_EQ(0, t->run->send_ipi.send_to_all);
	ASSERT_OK(irq_inject(t->fd, GUEST_IPI_IRQ));
	ASSERT_REPORT(t, 1);
	ASSERT_EQ(1, irq_data32(t, GUEST_PINGPONG_COUNT));
}

TEST_HARNESS_MAIN
