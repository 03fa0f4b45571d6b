// SPDX-License-Identifier: GPL-2.0
/*
 * Save and restore of a whole arm64 vCPU, as a VMM would snapshot it:
 * one guest (arm64/guest_snapshot.S) fills a register of every class the
 * vCPU owns (general, V0-V31 with FPCR/FPSR, CSSELR, its virtual timer,
 * a breakpoint register and MDSCR, TPIDR_EL1, VBAR_EL1) under an ID
 * register view the VMM lowered, and exits with SErrors masked; the VMM
 * injects an SError, then saves the vCPU through the ABI alone
 * (GET_REGS, every VCPU_GET_REG_LIST id, GET_EVENTS, guest memory),
 * closes the VM, creates a new VM and vCPU, restores it all and runs it:
 * the guest goes on after its HVC, finds every register as it left it,
 * sees the lowered ID register and takes the SError once it unmasks it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vcpu_asserts.h"

VCPU_GUEST_SNIPPET(guest_arm64_snapshot);

#define MODE			VCPU_MODE_ARM64_EL1
#define REG_ID_AA64ISAR0	VCPU_REG_ARM64_SYSREG(3, 0, 0, 6, 0)
#define ISAR0_AES		(0xfULL << 4)
#define EC_SERROR		0x2f

/*
 * What the guest loads into x19..x28: the register's number, read as hex
 * digits, in every byte.
 */
static const uint64_t x19_28[] = {
	0x1919191919191919ULL, 0x2020202020202020ULL, 0x2121212121212121ULL,
	0x2222222222222222ULL, 0x2323232323232323ULL, 0x2424242424242424ULL,
	0x2525252525252525ULL, 0x2626262626262626ULL, 0x2727272727272727ULL,
	0x2828282828282828ULL,
};

/* The guest's report block in the data page (arm64/guest_snapshot.S). */
#define SNAP_V			0x000
#define SNAP_SYS		0x200
#define SNAP_X19		0x248
#define SNAP_SERROR_ESR		0x298

enum { SYS_FPCR, SYS_FPSR, SYS_CSSELR, SYS_CVAL, SYS_CTL, SYS_BVR0, SYS_BCR0,
       SYS_MDSCR, SYS_TPIDR, SYS_NR };

struct snapshot {
	struct vcpu_regs regs;
	struct vcpu_one_regs one;
	struct vcpu_events events;
	uint8_t *mem;
};

static int snapshot_save(struct vcpu_test *t, struct snapshot *s)
{
	if (vcpu_get_regs(t->fd, &s->regs) || vcpu_one_regs_save(t->fd, &s->one))
		return -1;
	if (ioctl(t->fd, VCPU_GET_EVENTS, &s->events))
		return -1;
	s->mem = malloc(t->mem_size);
	if (!s->mem)
		return -1;
	memcpy(s->mem, t->mem, t->mem_size);
	return 0;
}

/* Onto a vCPU fresh from SETUP: every ONE_REG, the registers, the events. */
static int snapshot_restore(struct vcpu_test *t, const struct snapshot *s)
{
	struct vcpu_events e = s->events;

	memcpy(t->mem, s->mem, t->mem_size);
	if (vcpu_one_regs_restore(t->fd, &s->one) ||
	    vcpu_set_regs(t->fd, &s->regs))
		return -1;
	e.flags = VCPU_ARM64_EVENTS_EXCEPTION | VCPU_ARM64_EVENTS_SERROR;
	return ioctl(t->fd, VCPU_SET_EVENTS, &e);
}

static void snapshot_free(struct snapshot *s)
{
	vcpu_one_regs_free(&s->one);
	free(s->mem);
}

TEST(vcpu_continues_in_a_new_vm)
{
	struct vcpu_test a = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };
	struct vcpu_test b = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };
	struct vcpu_events ev = {};
	struct snapshot s = {};
	uint64_t isar0, sys[SYS_NR], x[10], esr;
	const uint8_t *res;
	unsigned int i;
	int cpu;

	VCPU_REQUIRE_DEV();
	ASSERT_OK(vcpu_test_init(&a, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(&a, guest_arm64_snapshot_start,
		       guest_arm64_snapshot_end);
	ASSERT_OK(vcpu_test_setup(&a, MODE, 0));
	/* An ID register view the VMM narrowed is part of the vCPU. */
	ASSERT_OK(vcpu_get_one_reg(a.fd, REG_ID_AA64ISAR0, &isar0));
	if (!(isar0 & ISAR0_AES))
		SKIP(return, "no AES in ID_AA64ISAR0_EL1: nothing to lower");
	ASSERT_OK(vcpu_set_one_reg(a.fd, REG_ID_AA64ISAR0,
				   isar0 & ~ISAR0_AES));
	cpu = vcpu_current_cpu();
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(a.fd, cpu));
	ASSERT_RUN_EXIT(&a, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(1ULL, a.run->hypercall.nr);
	/* An SError the guest has not taken yet (it masks them). */
	ev.flags = VCPU_ARM64_EVENTS_SERROR;
	ev.arm64.serror_pending = 1;
	ASSERT_OK(ioctl(a.fd, VCPU_SET_EVENTS, &ev));
	ASSERT_OK(snapshot_save(&a, &s));
	ASSERT_EQ(1, s.events.arm64.serror_pending);
	vcpu_test_fini(&a);

	ASSERT_OK(vcpu_test_init(&b, VCPU_TEST_MEM_SIZE));
	ASSERT_OK(vcpu_test_setup(&b, MODE, 0));
	ASSERT_OK(snapshot_restore(&b, &s));
	ASSERT_OK(vcpu_bind(b.fd, cpu));
	ASSERT_RUN_EXIT(&b, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(isar0 & ~ISAR0_AES, b.run->hypercall.nr);
	ASSERT_RUN_EXIT(&b, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(0x5eULL, b.run->hypercall.nr);
	ASSERT_RUN_EXIT(&b, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(0x600dULL, b.run->hypercall.nr);

	res = b.mem + VCPU_TEST_DATA_GPA;
	for (i = 0; i < 32; i++) {
		uint64_t v[2], p = 0x0101010101010101ULL * (i + 1);

		memcpy(v, res + SNAP_V + 16 * i, sizeof(v));
		if (v[0] != p || v[1] != ~p)
			TH_LOG("V%u: %#llx:%#llx", i, (unsigned long long)v[1],
			       (unsigned long long)v[0]);
		ASSERT_EQ(p, v[0]);
		ASSERT_EQ(~p, v[1]);
	}
	memcpy(sys, res + SNAP_SYS, sizeof(sys));
	ASSERT_EQ(0x03000000ULL, sys[SYS_FPCR]);
	ASSERT_EQ(0x1fULL, sys[SYS_FPSR]);
	ASSERT_EQ(2ULL, sys[SYS_CSSELR]);
	ASSERT_EQ(0xffff000000000000ULL, sys[SYS_CVAL]);
	ASSERT_EQ(1ULL, sys[SYS_CTL]);		/* enabled, not firing */
	ASSERT_EQ(0x123456780ULL, sys[SYS_BVR0]);
	ASSERT_EQ(0x1e0ULL, sys[SYS_BCR0]);
	ASSERT_EQ(1ULL << 13, sys[SYS_MDSCR] & (1ULL << 13));
	ASSERT_EQ(0xabcdef0123ULL, sys[SYS_TPIDR]);
	memcpy(x, res + SNAP_X19, sizeof(x));
	for (i = 0; i < 10; i++)
		ASSERT_EQ(x19_28[i], x[i]);
	memcpy(&esr, res + SNAP_SERROR_ESR, sizeof(esr));
	ASSERT_EQ((uint64_t)EC_SERROR, esr >> 26 & 0x3f);

	vcpu_test_fini(&b);
	snapshot_free(&s);
}

TEST_HARNESS_MAIN
