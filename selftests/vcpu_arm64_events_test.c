// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 exceptions into the guest's EL1 (VCPU_GET_EVENTS /
 * VCPU_SET_EVENTS, struct vcpu_arm64_events) and the GIC virtual CPU
 * interface through ONE_REG:
 *   - a data abort the VMM injects into a guest at EL1h and at EL0: its
 *     own vector (VBAR_EL1 + 0x200 / + 0x400) sees ESR_EL1, FAR_EL1,
 *     ELR_EL1 = the PC it was at, SPSR_EL1 = its PSTATE, and runs with the
 *     PSTATE the architecture gives (EL1h, DAIF, PAN, SSBS);
 *   - a virtual SError stays pending (GET_EVENTS) while the guest masks
 *     PSTATE.A and keeps running, and is taken at + 0x380 once unmasked,
 *     with the VMM's syndrome when the CPU has RAS;
 *   - SVE, SME and PAC instructions are UNDEFINED for the guest (EC 0 at
 *     its vector), not an INTERNAL_ERROR;
 *   - invalid events: EINVAL;
 *   - an interrupt the guest acknowledged (active), with its priority
 *     mask changed, carried through REG_LIST/ONE_REG into a new VM: its
 *     running priority is there, its EOI completes the interrupt, the
 *     next one is delivered; bad list registers: EINVAL.
 */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>

#include "vcpu_asserts.h"
#include "irq_test.h"

VCPU_GUEST_SNIPPET(guest_events);
extern const uint8_t guest_events_el1_hvc[], guest_events_el0_loop[],
	guest_events_serror_unmasked[], guest_events_sve[],
	guest_events_sme[], guest_events_pac[], guest_events_mmio_ldr[],
	guest_events_hvc[];

#define MODE		VCPU_MODE_ARM64_EL1
#define ADDR(label)	VCPU_GUEST_ADDR(guest_events_start, label)
#define VBAR		(VCPU_TEST_CODE_GPA + 0x800)

#define ESR(ec, iss)	(((uint64_t)(ec) << 26) | (1ULL << 25) | (iss))
#define EC_UNKNOWN	0x00
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define EC_SERROR	0x2f
#define DFSC_EXT	0x10		/* synchronous external abort */
#define SERROR_ISS	0x11		/* AET 0, DFSC asynchronous SError */

#define PSTATE_EL0T	0x0ULL
#define PSTATE_EL1H	0x5ULL
#define PSTATE_DAIF	0x3c0ULL
#define PSTATE_AIF	0x1c0ULL
#define PSTATE_A	0x100ULL
#define PSTATE_ZC	0x60000000ULL
#define PSTATE_PAN	(1ULL << 22)
#define PSTATE_SSBS	(1ULL << 12)

#define REG_VBAR_EL1	VCPU_REG_ARM64_SYSREG(3, 0, 12, 0, 0)
#define ICH_LR_ACTIVE	(1ULL << 63)
#define ICH_LR_PENDING	(1ULL << 62)
#define ICH_LR_HW	(1ULL << 61)
#define ICH_LR_GROUP1	(1ULL << 60)
#define ICH_LR_PRIO(p)	((uint64_t)(p) << 48)

FIXTURE(events) {
	struct vcpu_test t;
};

FIXTURE_SETUP(events)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(events)
{
	vcpu_test_fini(&self->t);
}

static void prepare(struct __test_metadata *_metadata, struct vcpu_test *t,
		    uint64_t part)
{
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_events_start, guest_events_end);
	ASSERT_OK(vcpu_test_start(t, MODE, part, VCPU_CPU_CURRENT));
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

static uint64_t pstate(struct __test_metadata *_metadata, struct vcpu_test *t)
{
	struct vcpu_regs regs;

	EXPECT_EQ(0, vcpu_get_regs(t->fd, &regs));
	return regs.flags;
}

/* What the guest's exception handler reports, in its order. */
struct taken {
	uint64_t offset, pstate, esr, far, elr, spsr;
};

/*
 * Run until the handler has reported everything; answer its last HVC
 * with @step (bytes added to ELR_EL1 before its ERET).
 */
static void expect_taken(struct __test_metadata *_metadata,
			 struct vcpu_test *t, const struct taken *want,
			 uint64_t step)
{
	struct taken got;

	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	got.offset = t->run->hypercall.nr;
	got.pstate = pstate(_metadata, t);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	got.esr = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	got.far = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	got.elr = t->run->hypercall.nr;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	got.spsr = t->run->hypercall.nr;
	expect_report(_metadata, t, 0xe1000000);
	t->run->hypercall.ret = step;
	TH_LOG("vector %#llx pstate %#llx esr %#llx far %#llx elr %#llx spsr %#llx",
	       (unsigned long long)got.offset, (unsigned long long)got.pstate,
	       (unsigned long long)got.esr, (unsigned long long)got.far,
	       (unsigned long long)got.elr, (unsigned long long)got.spsr);
	EXPECT_EQ(0xe0000000 | want->offset, got.offset);
	EXPECT_EQ(want->pstate, got.pstate);
	EXPECT_EQ(want->esr, got.esr);
	if (want->far != ~0ULL)
		EXPECT_EQ(want->far, got.far);
	EXPECT_EQ(want->elr, got.elr);
	EXPECT_EQ(want->spsr, got.spsr);
}

static int set_exception(int fd, uint64_t esr, bool has_far, uint64_t far)
{
	struct vcpu_events e = { .flags = VCPU_ARM64_EVENTS_EXCEPTION };

	e.arm64.exception_pending = 1;
	e.arm64.exception_esr = esr;
	e.arm64.exception_has_far = has_far;
	e.arm64.exception_far = far;
	return ioctl(fd, VCPU_SET_EVENTS, &e);
}

/*
 * A data abort injected at EL1h, at the guest's report (an HVC exit: the
 * abort is that HVC's): the guest takes it at VBAR_EL1 + 0x200 with
 * ELR_EL1 at the HVC, its PSTATE (Z, C, A, I, F; D clear) in SPSR_EL1 and
 * EL1h, DAIF and PAN (SCTLR_EL1.SPAN is 0) as its new PSTATE; NZCV stay.
 * GET_EVENTS shows it pending until the entry.  The handler steps over
 * the HVC.
 */
TEST_F(events, data_abort_at_el1h)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_events e;
	struct taken want = {
		.offset = 0x200,
		.pstate = PSTATE_ZC | PSTATE_PAN | PSTATE_DAIF | PSTATE_EL1H,
		.esr = ESR(EC_DABT_CUR, DFSC_EXT),
		.far = 0x123456789abcULL,
		.elr = ADDR(guest_events_el1_hvc),
		.spsr = PSTATE_ZC | PSTATE_AIF | PSTATE_EL1H,
	};
	uint64_t v;

	prepare(_metadata, t, 1);
	expect_report(_metadata, t, 0x1111);
	ASSERT_OK(set_exception(t->fd, ESR(EC_DABT_CUR, DFSC_EXT), true,
				want.far));
	ASSERT_OK(ioctl(t->fd, VCPU_GET_EVENTS, &e));
	EXPECT_EQ(VCPU_ARM64_EVENTS_EXCEPTION | VCPU_ARM64_EVENTS_SERROR,
		  e.flags);
	EXPECT_EQ(1, e.arm64.exception_pending);
	EXPECT_EQ(1, e.arm64.exception_has_far);
	EXPECT_EQ(ESR(EC_DABT_CUR, DFSC_EXT), e.arm64.exception_esr);
	EXPECT_EQ(want.far, e.arm64.exception_far);
	EXPECT_EQ(0, e.arm64.serror_pending);

	expect_taken(_metadata, t, &want, 4);
	ASSERT_OK(ioctl(t->fd, VCPU_GET_EVENTS, &e));
	EXPECT_EQ(0, e.arm64.exception_pending);
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_VBAR_EL1, &v));
	EXPECT_EQ(VBAR, v);
	/* Its ERET went back past the HVC. */
	expect_report(_metadata, t, 0x1112);
}

/*
 * From EL0 (which WFIs: HALT exits): the abort goes to VBAR_EL1 + 0x400
 * with the "lower EL" class, though the VMM gave the "same EL" one; the
 * guest set SCTLR_EL1.SPAN (PAN stays clear, as at EL0) and DSSBS (SSBS
 * set, where the CPU has it).
 */
TEST_F(events, data_abort_at_el0)
{
	struct vcpu_test *t = &self->t;
	bool ssbs = getauxval(AT_HWCAP) & HWCAP_SSBS;
	struct taken want = {
		.offset = 0x400,
		.pstate = (ssbs ? PSTATE_SSBS : 0) | PSTATE_DAIF | PSTATE_EL1H,
		.esr = ESR(EC_DABT_LOW, DFSC_EXT),
		.far = 0xfedcba9000ULL,
		.elr = ADDR(guest_events_el0_loop) + 4,
		.spsr = PSTATE_EL0T,
	};

	prepare(_metadata, t, 2);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, ADDR(guest_events_el0_loop) + 4);
	ASSERT_EQ(PSTATE_EL0T, pstate(_metadata, t));
	ASSERT_OK(set_exception(t->fd, ESR(EC_DABT_CUR, DFSC_EXT), true,
				want.far));
	expect_taken(_metadata, t, &want, 0);
	/* Back at EL0. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, ADDR(guest_events_el0_loop) + 4);
	ASSERT_EQ(PSTATE_EL0T, pstate(_metadata, t));
}

/*
 * A virtual SError while the guest masks PSTATE.A: it keeps running and
 * GET_EVENTS keeps it pending, across exits; once the guest unmasks, its
 * handler at + 0x380 runs with ESR_EL1 = EC 0x2f, IL and the VMM's
 * syndrome (with RAS; without, SET refuses a syndrome and ESR_EL1's ISS
 * is the CPU's).
 */
TEST_F(events, serror_pending_while_masked)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_events e = { .flags = VCPU_ARM64_EVENTS_SERROR };
	struct taken want = {
		.offset = 0x380,
		.pstate = PSTATE_PAN | PSTATE_DAIF | PSTATE_EL1H,
		.esr = ESR(EC_SERROR, SERROR_ISS),
		.far = ~0ULL,		/* UNKNOWN */
		.elr = ADDR(guest_events_serror_unmasked),
		.spsr = (PSTATE_DAIF & ~PSTATE_A) | PSTATE_EL1H,
	};
	bool ras = true;
	int i;

	prepare(_metadata, t, 3);
	expect_report(_metadata, t, 0x3330);
	e.arm64.serror_pending = 1;
	e.arm64.serror_has_esr = 1;
	e.arm64.serror_esr = SERROR_ISS;
	if (ioctl(t->fd, VCPU_SET_EVENTS, &e)) {
		ASSERT_EQ(EINVAL, errno);
		TH_LOG("no RAS: the SError's syndrome is the CPU's");
		ras = false;
		e.arm64.serror_has_esr = 0;
		e.arm64.serror_esr = 0;
		ASSERT_OK(ioctl(t->fd, VCPU_SET_EVENTS, &e));
	}
	for (i = 0; i < 3; i++) {
		t->run->hypercall.ret = 0;	/* stay masked */
		expect_report(_metadata, t, 0x3330);
		memset(&e, 0, sizeof(e));
		ASSERT_OK(ioctl(t->fd, VCPU_GET_EVENTS, &e));
		ASSERT_EQ(1, e.arm64.serror_pending);
		EXPECT_EQ(ras, e.arm64.serror_has_esr);
		EXPECT_EQ(ras ? SERROR_ISS : 0, e.arm64.serror_esr);
	}
	t->run->hypercall.ret = 1;		/* unmask */
	if (ras) {
		expect_taken(_metadata, t, &want, 0);
	} else {
		/* The ISS is the CPU's: check the vector and class only. */
		expect_report(_metadata, t, 0xe0000000 | want.offset);
		ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
		ASSERT_EQ(ESR(EC_SERROR, 0) >> 25, t->run->hypercall.nr >> 25);
		return;
	}
	memset(&e, 0, sizeof(e));
	ASSERT_OK(ioctl(t->fd, VCPU_GET_EVENTS, &e));
	EXPECT_EQ(0, e.arm64.serror_pending);
	expect_report(_metadata, t, 0x3331);
}

/*
 * RDVL, SMSTART, PACGA with SVE, SME and FP enabled in the guest's own
 * CPACR_EL1: each is UNDEFINED for the guest (EC 0, IL, at its EL1h
 * vector, ELR_EL1 at the instruction) and the handler steps over it.
 */
TEST_F(events, sve_sme_pac_undefined)
{
	struct vcpu_test *t = &self->t;
	const uint8_t *insn[] = {
		guest_events_sve, guest_events_sme, guest_events_pac,
	};
	unsigned int i;

	prepare(_metadata, t, 4);
	for (i = 0; i < 3; i++) {
		struct taken want = {
			.offset = 0x200,
			.pstate = PSTATE_PAN | PSTATE_DAIF | PSTATE_EL1H,
			.esr = ESR(EC_UNKNOWN, 0),
			.far = ~0ULL,
			.elr = ADDR(insn[i]),
			.spsr = PSTATE_DAIF | PSTATE_EL1H,
		};

		TH_LOG("instruction %u", i);
		expect_taken(_metadata, t, &want, 4);
		expect_report(_metadata, t, 0x4441 + i);
	}
}

/*
 * The VMM answers an MMIO load with a data abort and an HVC with an UNDEF
 * instead of emulating them: each is taken at the instruction (ELR_EL1,
 * and GET_REGS right after SET_EVENTS), and the exit's completion is
 * dropped (the load's register keeps its value).
 */
TEST_F(events, exception_instead_of_emulation)
{
	struct vcpu_test *t = &self->t;
	struct taken want = {
		.offset = 0x200,
		.pstate = PSTATE_PAN | PSTATE_DAIF | PSTATE_EL1H,
		.esr = ESR(EC_DABT_CUR, DFSC_EXT),
		.far = VCPU_TEST_MMIO_GPA,
		.elr = ADDR(guest_events_mmio_ldr),
		.spsr = PSTATE_DAIF | PSTATE_EL1H,
	};

	prepare(_metadata, t, 5);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_READ);
	ASSERT_EQ(VCPU_TEST_MMIO_GPA, t->run->mmio.addr);
	ASSERT_PC(t, ADDR(guest_events_mmio_ldr) + 4);
	t->run->mmio.data = 0x7777;		/* dropped */
	ASSERT_OK(set_exception(t->fd, ESR(EC_DABT_CUR, DFSC_EXT), true,
				VCPU_TEST_MMIO_GPA));
	ASSERT_PC(t, ADDR(guest_events_mmio_ldr));
	/* A second SET replaces the exception, the PC stays. */
	ASSERT_OK(set_exception(t->fd, ESR(EC_DABT_CUR, DFSC_EXT), true,
				VCPU_TEST_MMIO_GPA));
	ASSERT_PC(t, ADDR(guest_events_mmio_ldr));
	expect_taken(_metadata, t, &want, 4);
	expect_report(_metadata, t, 0x5555);

	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(0x5550, t->run->hypercall.nr);
	t->run->hypercall.ret = 0x9999;		/* dropped */
	ASSERT_OK(set_exception(t->fd, ESR(EC_UNKNOWN, 0), false, 0));
	want.esr = ESR(EC_UNKNOWN, 0);
	want.far = ~0ULL;
	want.elr = ADDR(guest_events_hvc);
	expect_taken(_metadata, t, &want, 4);
	expect_report(_metadata, t, 0x5551);
}

/* SET_EVENTS refuses what the architecture would not deliver. */
TEST_F(events, invalid_events_einval)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_events e;

	prepare(_metadata, t, 1);
	memset(&e, 0, sizeof(e));
	e.flags = 1U << 2;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.flags = VCPU_ARM64_EVENTS_EXCEPTION;
	e.pad = 1;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.pad = 0;
	e.arm64.pad0 = 1;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.arm64.pad0 = 0;
	e.arm64.reserved[0] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.arm64.reserved[0] = 0;
	e.arch[119] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.arch[119] = 0;
	ASSERT_OK(ioctl(t->fd, VCPU_SET_EVENTS, &e));

	/* Classes the VMM may not inject, IL clear, ISS2, FAR misuse. */
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(0x15, 0), false, 0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(0x16, 0), false, 0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(0x19, 0), false, 0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(EC_SERROR, 0), false,
					   0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd,
			ESR(EC_DABT_CUR, 0) & ~(1ULL << 25), false, 0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd,
			ESR(EC_DABT_CUR, 0) | (1ULL << 32), false, 0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(EC_UNKNOWN, 1), false,
					   0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(EC_UNKNOWN, 0), true,
					   0x1000));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(0x3c, 0), true, 0x1000));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, ESR(EC_DABT_CUR, 0), false,
					   0x1000));
	memset(&e, 0, sizeof(e));
	e.flags = VCPU_ARM64_EVENTS_EXCEPTION;
	e.arm64.exception_esr = ESR(EC_DABT_CUR, 0);	/* not pending */
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.arm64.exception_esr = 0;
	e.arm64.exception_pending = 2;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));

	/* SError: a syndrome with RES0 bits, or bits above IDS. */
	memset(&e, 0, sizeof(e));
	e.flags = VCPU_ARM64_EVENTS_SERROR;
	e.arm64.serror_pending = 1;
	e.arm64.serror_has_esr = 1;
	e.arm64.serror_esr = 1ULL << 14;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.arm64.serror_esr = 1ULL << 25;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));

	/* Nothing of that stuck; a valid one replaces, pending 0 withdraws. */
	memset(&e, 0, sizeof(e));
	ASSERT_OK(ioctl(t->fd, VCPU_GET_EVENTS, &e));
	EXPECT_EQ(0, e.arm64.exception_pending);
	EXPECT_EQ(0, e.arm64.serror_pending);
	ASSERT_OK(set_exception(t->fd, ESR(0x3c, 7), false, 0));
	ASSERT_OK(set_exception(t->fd, ESR(EC_DABT_CUR, 5), true, 0x2000));
	ASSERT_OK(ioctl(t->fd, VCPU_GET_EVENTS, &e));
	EXPECT_EQ(ESR(EC_DABT_CUR, 5), e.arm64.exception_esr);
	memset(&e, 0, sizeof(e));
	e.flags = VCPU_ARM64_EVENTS_EXCEPTION;
	ASSERT_OK(ioctl(t->fd, VCPU_SET_EVENTS, &e));
	ASSERT_OK(ioctl(t->fd, VCPU_GET_EVENTS, &e));
	EXPECT_EQ(0, e.arm64.exception_pending);
	/* And the guest runs on untouched. */
	expect_report(_metadata, t, 0x1111);
	expect_report(_metadata, t, 0x1112);
}

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

static int snapshot_restore(struct vcpu_test *t, const struct snapshot *s)
{
	memcpy(t->mem, s->mem, t->mem_size);
	if (vcpu_one_regs_restore(t->fd, &s->one) ||
	    vcpu_set_regs(t->fd, &s->regs))
		return -1;
	return ioctl(t->fd, VCPU_SET_EVENTS, &s->events);
}

static void snapshot_free(struct snapshot *s)
{
	vcpu_one_regs_free(&s->one);
	free(s->mem);
}

/* The saved value of @id, or ~0 if it is not in the snapshot. */
static uint64_t snap_value(const struct snapshot *s, uint64_t id)
{
	uint64_t i;

	for (i = 0; i < s->one.list->n; i++)
		if (s->one.list->reg[i] == id)
			return s->one.values[i];
	return ~0ULL;
}

static unsigned int nr_lr(const struct snapshot *s)
{
	unsigned int n = 0;

	while (n < 16 && snap_value(s, VCPU_REG_ARM64_ICH_LR(n)) != ~0ULL)
		n++;
	return n;
}

/*
 * VM A: the guest lowers its priority mask to 0xf0 and acknowledges SPI
 * 40 (active in a list register, its priority in AP1R0); the VMM saves
 * the vCPU there and restores it into VM B, with SPI 41 queued: the guest
 * finds its running priority (0xa0, the injected priority), its EOI
 * completes 40 (running priority idle, the LR empty), its priority mask
 * is 0xf0, and 41 is delivered after its ERET.
 */
TEST(vgic_state_into_a_new_vm)
{
	struct vcpu_test a = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };
	struct vcpu_test b = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };
	struct snapshot s = {};
	uint64_t lr = 0, v;
	unsigned int i, n, active = 16;

	VCPU_REQUIRE_DEV();
	prepare(_metadata, &a, 6);
	ASSERT_RUN_EXIT(&a, VCPU_EXIT_HALT);
	ASSERT_OK(irq_inject(a.fd, 40));
	expect_report(_metadata, &a, 0x66000000 + 40);
	ASSERT_OK(snapshot_save(&a, &s));
	vcpu_test_fini(&a);

	n = nr_lr(&s);
	ASSERT_GE(n, 2);
	for (i = 0; i < n; i++) {
		v = snap_value(&s, VCPU_REG_ARM64_ICH_LR(i));
		if (v & (ICH_LR_ACTIVE | ICH_LR_PENDING)) {
			ASSERT_EQ(16, active);	/* one LR in use */
			active = i;
			lr = v;
		}
	}
	ASSERT_LT(active, n);
	EXPECT_EQ(ICH_LR_ACTIVE | ICH_LR_GROUP1 | ICH_LR_PRIO(0xa0) | 40, lr);
	EXPECT_EQ(0xf0, snap_value(&s, VCPU_REG_ARM64_ICH_VMCR) >> 24);
	EXPECT_NE(0, snap_value(&s, VCPU_REG_ARM64_ICH_AP1R(0)));

	prepare(_metadata, &b, 6);
	ASSERT_OK(snapshot_restore(&b, &s));
	ASSERT_OK(irq_inject(b.fd, 41));
	expect_report(_metadata, &b, 0x66100000 + 0xa0);
	ASSERT_OK(vcpu_get_one_reg(b.fd, VCPU_REG_ARM64_ICH_LR(active), &v));
	EXPECT_EQ(lr, v);
	expect_report(_metadata, &b, 0x66200000 + 0xff);
	ASSERT_OK(vcpu_get_one_reg(b.fd, VCPU_REG_ARM64_ICH_LR(active), &v));
	EXPECT_EQ(0, v);
	expect_report(_metadata, &b, 0x66300000 + 0xf0);
	expect_report(_metadata, &b, 0x66000000 + 41);
	expect_report(_metadata, &b, 0x66100000 + 0xa0);
	expect_report(_metadata, &b, 0x66200000 + 0xff);
	vcpu_test_fini(&b);
	snapshot_free(&s);
}

/* List registers the GIC must not be given, and ids beyond the CPU's. */
TEST_F(events, vgic_bad_list_registers)
{
	struct vcpu_test *t = &self->t;
	uint64_t ok = ICH_LR_PENDING | ICH_LR_GROUP1 | ICH_LR_PRIO(0xa0) | 40;
	uint64_t n = 0, i, v, vmcr;
	struct vcpu_reg_list *list;
	unsigned int lrs = 0;

	prepare(_metadata, t, 1);
	ASSERT_ERRNO(E2BIG, ioctl(t->fd, VCPU_GET_REG_LIST, &n));
	list = calloc(1, sizeof(*list) + n * sizeof(list->reg[0]));
	ASSERT_NE(NULL, list);
	list->n = n;
	ASSERT_OK(ioctl(t->fd, VCPU_GET_REG_LIST, list));
	for (i = 0; i < n; i++)
		lrs += list->reg[i] == VCPU_REG_ARM64_ICH_LR(lrs);
	free(list);
	ASSERT_GE(lrs, 2);
	ASSERT_LE(lrs, 16);

	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0),
					      ok | ICH_LR_HW));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0),
					      ok & ~ICH_LR_GROUP1));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0),
					      (ok & ~0xffffffffULL) | 1020));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0),
					      ok | (1ULL << 41)));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0), ok));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(1),
					      ok | ICH_LR_ACTIVE));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0), &v));
	EXPECT_EQ(ok, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(1), &v));
	EXPECT_EQ(0, v);
	if (lrs < 16)
		ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd,
				VCPU_REG_ARM64_ICH_LR(lrs), &v));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_ICH_VMCR, &vmcr));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_VMCR,
					      vmcr | (1ULL << 5)));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd,
				VCPU_REG_ARM64_ICH_AP1R(0), 1ULL << 32));
	/* An emptied LR reads as 0; the guest runs on. */
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0),
				   ok & ~(ICH_LR_PENDING | ICH_LR_ACTIVE)));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_ICH_LR(0), &v));
	EXPECT_EQ(0, v);
	expect_report(_metadata, t, 0x1111);
}

TEST_HARNESS_MAIN
