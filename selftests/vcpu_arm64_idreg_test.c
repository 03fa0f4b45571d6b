// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's ID registers and PSCI AFFINITY_INFO (arm64):
 *   - the guest reads its ID registers with no exit to the VMM and sees
 *     no SVE, SME, pointer authentication, MTE or PMU, while the host's
 *     own values (VCPU_REG_ARM64_HOST_SYSREG) show that the CPU has SVE,
 *     SME and pointer authentication (QEMU -cpu max), so the hiding is
 *     real; unallocated encodings and the AArch32 registers read as zero;
 *   - the VMM lowers a field (ID_AA64ISAR0_EL1.AES) and the guest reads
 *     the lowered value; raising a field, setting a hidden one or
 *     changing a fixed one is EINVAL; once the vCPU ran, a change is
 *     EBUSY (the same value is still accepted);
 *   - the host's ID_AA64MMFR0_EL1.TGran4 is the hardware's (4 KiB pages:
 *     the host kernel uses them), the guest's default has it too; the
 *     host ids are read-only (EPERM) and not in REG_LIST, the 56 guest
 *     ids are;
 *   - AFFINITY_INFO in a 2-vCPU VM: the second vCPU is OFF before it
 *     ever ran, ON once it did, OFF after its CPU_OFF, found by the MPIDR
 *     the VMM gave it, by the 64- and the 32-bit call; a level above 0, an
 *     MPIDR no vCPU has, or one of a vCPU not yet set up:
 *     INVALID_PARAMETERS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vcpu_asserts.h"

VCPU_GUEST_SNIPPET(guest_idreg_read);
VCPU_GUEST_SNIPPET(guest_idreg_aff);
extern const uint8_t guest_idreg_aff_second[];

#define MODE		VCPU_MODE_ARM64_EL1

/* ID(crm, op2) or ID(PFR0): the guest's; HOST(): the host's. */
#define ID_(crm, op2)	VCPU_REG_ARM64_SYSREG(3, 0, 0, crm, op2)
#define HOST_(crm, op2)	VCPU_REG_ARM64_HOST_SYSREG(3, 0, 0, crm, op2)
#define ID(...)		ID_(__VA_ARGS__)
#define HOST(...)	HOST_(__VA_ARGS__)
#define PFR0		4, 0
#define PFR1		4, 1
#define ZFR0		4, 4
#define SMFR0		4, 5
#define DFR0		5, 0
#define ISAR0		6, 0
#define ISAR1		6, 1
#define ISAR2		6, 2
#define MMFR0		7, 0

#define FIELD(v, shift)	(((v) >> (shift)) & 0xf)
#define NIB(shift)	(0xfULL << (shift))

/* ID_AA64PFR0_EL1 */
#define PFR0_EL0	0
#define PFR0_EL1	4
#define PFR0_EL2	8
#define PFR0_GIC	24
#define PFR0_SVE	32
#define PFR0_MPAM	40
#define PFR0_AMU	44
/* ID_AA64PFR1_EL1 */
#define PFR1_MTE	8
#define PFR1_SME	24
/* ID_AA64ISAR1_EL1: pointer authentication */
#define ISAR1_PAUTH	(NIB(4) | NIB(8) | NIB(24) | NIB(28))
/* ID_AA64ISAR2_EL1: GPA3, APA3, PAC_frac */
#define ISAR2_PAUTH	(NIB(8) | NIB(12) | NIB(24))
/* ID_AA64DFR0_EL1: TraceVer, PMUVer, PMSVer, TraceBuffer */
#define DFR0_HIDDEN	(NIB(4) | NIB(8) | NIB(32) | NIB(44))
#define ISAR0_AES	4
#define MMFR0_TGRAN4	28

#define PSCI_AFFINITY_INFO64	0xc4000004ULL
#define PSCI_AFFINITY_INFO32	0x84000004ULL
#define PSCI_ON			0
#define PSCI_OFF		1
#define PSCI_INVALID		((uint64_t)-2)

FIXTURE(idreg) {
	struct vcpu_test t;
};

FIXTURE_SETUP(idreg)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(idreg)
{
	vcpu_test_fini(&self->t);
}

static uint64_t get(struct __test_metadata *_metadata, int fd, uint64_t id)
{
	uint64_t v = 0;

	EXPECT_EQ(0, vcpu_get_one_reg(fd, id, &v));
	return v;
}

static int set_errno(int fd, uint64_t id, uint64_t v)
{
	return vcpu_set_one_reg(fd, id, v) ? errno : 0;
}

/* The guest's report n (HVC 0x1d00 + n), its value. */
static uint64_t report(struct __test_metadata *_metadata, struct vcpu_test *t,
		       unsigned int n)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	EXPECT_EQ(0x1d00 + n, t->run->hypercall.nr);
	return t->run->hypercall.args[0];
}

TEST_F(idreg, guest_view_hides_what_is_not_offered)
{
	struct vcpu_test *t = &self->t;
	uint64_t hpfr0, hpfr1, hisar1, g[12], d[12];
	static const uint64_t ids[12] = {
		ID(PFR0), ID(PFR1), ID(ISAR1), ID(ISAR2), ID(DFR0), ID(ZFR0),
		ID(SMFR0), ID(ISAR0), ID(MMFR0), ID(4, 3), ID(7, 7), ID(1, 0),
	};
	unsigned int i;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_idreg_read_start, guest_idreg_read_end);
	ASSERT_OK(vcpu_test_start(t, MODE, 0, VCPU_CPU_CURRENT));

	/* Not vacuous: the CPU has what the guest must not see. */
	hpfr0 = get(_metadata, t->fd, HOST(PFR0));
	hpfr1 = get(_metadata, t->fd, HOST(PFR1));
	hisar1 = get(_metadata, t->fd, HOST(ISAR1));
	TH_LOG("host PFR0 %#llx PFR1 %#llx ISAR1 %#llx",
	       (unsigned long long)hpfr0, (unsigned long long)hpfr1,
	       (unsigned long long)hisar1);
	ASSERT_NE(0, FIELD(hpfr0, PFR0_SVE));
	ASSERT_NE(0, FIELD(hpfr1, PFR1_SME));
	ASSERT_NE(0, hisar1 & ISAR1_PAUTH);

	for (i = 0; i < 12; i++)
		d[i] = get(_metadata, t->fd, ids[i]);
	for (i = 0; i < 12; i++) {
		g[i] = report(_metadata, t, i);
		/* What the guest read is what ONE_REG shows. */
		EXPECT_EQ(d[i], g[i]);
	}
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);

	EXPECT_EQ(0, FIELD(g[0], PFR0_SVE));
	EXPECT_EQ(0, FIELD(g[0], PFR0_EL2));
	EXPECT_EQ(0, FIELD(g[0], PFR0_MPAM));
	EXPECT_EQ(0, FIELD(g[0], PFR0_AMU));
	EXPECT_EQ(1, FIELD(g[0], PFR0_EL0));	/* AArch64 only */
	EXPECT_EQ(1, FIELD(g[0], PFR0_EL1));
	EXPECT_EQ(1, FIELD(g[0], PFR0_GIC));
	EXPECT_EQ(0, FIELD(g[1], PFR1_SME));
	EXPECT_EQ(0, FIELD(g[1], PFR1_MTE));
	EXPECT_EQ(0, g[2] & ISAR1_PAUTH);
	EXPECT_EQ(0, g[3] & ISAR2_PAUTH);
	EXPECT_EQ(0, g[4] & DFR0_HIDDEN);
	EXPECT_EQ(0, g[5]);			/* ZFR0: no SVE */
	EXPECT_EQ(0, g[6]);			/* SMFR0: no SME */
	EXPECT_NE(0, g[7]);			/* ISAR0: the host's */
	EXPECT_EQ(0, g[9]);			/* unallocated */
	EXPECT_EQ(0, g[10]);
	EXPECT_EQ(0, g[11]);			/* no AArch32 */
	/* The unallocated encodings of the host are RAZ too. */
	EXPECT_EQ(0, get(_metadata, t->fd, HOST(4, 3)));
}

TEST_F(idreg, vmm_lowers_a_field)
{
	struct vcpu_test *t = &self->t;
	uint64_t isar0, pfr0, lowered;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_idreg_read_start, guest_idreg_read_end);
	ASSERT_OK(vcpu_test_start(t, MODE, 0, VCPU_CPU_CURRENT));

	isar0 = get(_metadata, t->fd, ID(ISAR0));
	pfr0 = get(_metadata, t->fd, ID(PFR0));
	ASSERT_NE(0, FIELD(isar0, ISAR0_AES));	/* -cpu max has AES */
	lowered = isar0 & ~NIB(ISAR0_AES);

	/* Not a downgrade: EINVAL, nothing changed. */
	if (FIELD(isar0, ISAR0_AES) < 0xf)
		EXPECT_EQ(EINVAL, set_errno(t->fd, ID(ISAR0),
					    isar0 + (1ULL << ISAR0_AES)));
	EXPECT_EQ(EINVAL, set_errno(t->fd, ID(PFR0),
				    pfr0 | (1ULL << PFR0_SVE)));
	EXPECT_EQ(EINVAL, set_errno(t->fd, ID(ZFR0), 1));
	EXPECT_EQ(EINVAL, set_errno(t->fd, ID(7, 7), 1));
	/* Fixed fields: lower still refused. */
	EXPECT_EQ(EINVAL, set_errno(t->fd, ID(PFR0), pfr0 & ~NIB(PFR0_GIC)));
	EXPECT_EQ(EINVAL, set_errno(t->fd, ID(PFR0), pfr0 & ~NIB(PFR0_EL1)));
	EXPECT_EQ(isar0, get(_metadata, t->fd, ID(ISAR0)));
	EXPECT_EQ(pfr0, get(_metadata, t->fd, ID(PFR0)));

	ASSERT_OK(vcpu_set_one_reg(t->fd, ID(ISAR0), lowered));
	EXPECT_EQ(lowered, get(_metadata, t->fd, ID(ISAR0)));
	/* Back up to the default is a downgrade of the default. */
	ASSERT_OK(vcpu_set_one_reg(t->fd, ID(ISAR0), isar0));
	ASSERT_OK(vcpu_set_one_reg(t->fd, ID(ISAR0), lowered));

	report(_metadata, t, 0);
	/* Ran: the view is fixed; the same value is still fine. */
	EXPECT_EQ(EBUSY, set_errno(t->fd, ID(ISAR0), isar0));
	EXPECT_EQ(0, set_errno(t->fd, ID(ISAR0), lowered));
	EXPECT_EQ(lowered, get(_metadata, t->fd, ID(ISAR0)));
	report(_metadata, t, 1);
	report(_metadata, t, 2);
	report(_metadata, t, 3);
	report(_metadata, t, 4);
	report(_metadata, t, 5);
	report(_metadata, t, 6);
	EXPECT_EQ(lowered, report(_metadata, t, 7));	/* the guest's read */
}

TEST_F(idreg, host_values_and_reg_list)
{
	struct vcpu_test *t = &self->t;
	uint64_t host, guest, el0 = 0, n = 0, i, ours = 0, hosts = 0;
	struct vcpu_reg_list *list;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	ASSERT_OK(vcpu_test_setup(t, MODE, 0));

	host = get(_metadata, t->fd, HOST(MMFR0));
	guest = get(_metadata, t->fd, ID(MMFR0));
	/* Linux's EL0 view (MRS emulation), for the log only. */
	__asm__ volatile("mrs %0, s3_0_c0_c7_0" : "=r"(el0));
	TH_LOG("MMFR0 host %#llx guest %#llx EL0 view %#llx",
	       (unsigned long long)host, (unsigned long long)guest,
	       (unsigned long long)el0);
	/* The host kernel runs with 4 KiB pages: the hardware has them. */
	EXPECT_NE(0xf, FIELD(host, MMFR0_TGRAN4));
	EXPECT_EQ(FIELD(host, MMFR0_TGRAN4), FIELD(guest, MMFR0_TGRAN4));

	EXPECT_EQ(EPERM, set_errno(t->fd, HOST(MMFR0), host));
	EXPECT_EQ(EPERM, set_errno(t->fd, HOST(4, 3), 0));
	/* Outside the ID space: still ENOENT. */
	EXPECT_EQ(ENOENT, set_errno(t->fd, HOST(0, 0), 0));

	ASSERT_EQ(-1, ioctl(t->fd, VCPU_GET_REG_LIST, &n));
	ASSERT_EQ(E2BIG, errno);
	list = calloc(1, sizeof(*list) + n * sizeof(list->reg[0]));
	ASSERT_NE(NULL, list);
	list->n = n;
	ASSERT_EQ(0, ioctl(t->fd, VCPU_GET_REG_LIST, list));
	for (i = 0; i < list->n; i++) {
		uint64_t id = list->reg[i];

		if ((id & VCPU_REG_ARM64_CLASS_MASK) == VCPU_REG_ARM64_CLASS(2))
			hosts++;
		else if (id >= ID(1, 0) && id <= ID(7, 7))
			ours++;
	}
	free(list);
	EXPECT_EQ(0, hosts);
	EXPECT_EQ(56, ours);
}

/* vCPU 0 makes an AFFINITY_INFO call (fn, target, level): its result. */
static uint64_t affinity(struct __test_metadata *_metadata,
			 struct vcpu_test *t, uint64_t fn, uint64_t target,
			 uint64_t level)
{
	static const uint64_t ask[3] = { 0xaf00, 0xaf01, 0xaf02 };
	const uint64_t answer[3] = { fn, target, level };
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
		ASSERT_EQ(ask[i], t->run->hypercall.nr);
		t->run->hypercall.ret = answer[i];
	}
	/* The call itself is answered in the kernel: no exit. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(0xaf03, t->run->hypercall.nr);
	return t->run->hypercall.args[0];
}

TEST_F(idreg, psci_affinity_info)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_test second = { .fd = -1 };
	const uint64_t mpidr1 = (1ULL << 31) | (1 << 8) | 3;	/* Aff1 1, Aff0 3 */
	const uint64_t target1 = 0x103;
	int third;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_idreg_aff_start, guest_idreg_aff_end);
	ASSERT_OK(vcpu_test_start(t, MODE, 0, VCPU_CPU_CURRENT));

	second.fd = vcpu_create_vcpu(t->vm_fd, 1);
	ASSERT_LE(0, second.fd);
	second.run = vcpu_map_run(t->sys_fd, second.fd, &second.run_size);
	ASSERT_NE(NULL, second.run);
	ASSERT_OK(vcpu_setup(second.fd, MODE,
			     VCPU_GUEST_ADDR(guest_idreg_aff_start,
					     guest_idreg_aff_second),
			     VCPU_TEST_STACK_GPA - 0x800, 0, 0));
	ASSERT_OK(vcpu_set_one_reg(second.fd,
				   VCPU_REG_ARM64_SYSREG(3, 0, 0, 0, 5), mpidr1));
	ASSERT_OK(vcpu_bind(second.fd, t->cpu));
	/* A vCPU not set up has no MPIDR: never a target. */
	third = vcpu_create_vcpu(t->vm_fd, 2);
	ASSERT_LE(0, third);

	/* Never ran: OFF.  The caller itself: ON. */
	EXPECT_EQ(PSCI_OFF, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
				     target1, 0));
	EXPECT_EQ(PSCI_ON, affinity(_metadata, t, PSCI_AFFINITY_INFO64, 0, 0));
	EXPECT_EQ(PSCI_INVALID, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
					 2, 0));

	/* Running: ON, by either convention. */
	ASSERT_RUN_EXIT(&second, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(0xb000, second.run->hypercall.nr);
	EXPECT_EQ(PSCI_ON, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
				    target1, 0));
	EXPECT_EQ(PSCI_ON, affinity(_metadata, t, PSCI_AFFINITY_INFO32,
				    0xffffffff00000000ULL | target1, 0));

	/* CPU_OFF: OFF. */
	ASSERT_RUN_EXIT(&second, VCPU_EXIT_CPU_DOWN);
	EXPECT_EQ(PSCI_OFF, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
				     target1, 0));
	EXPECT_EQ(PSCI_OFF, affinity(_metadata, t, PSCI_AFFINITY_INFO32,
				     target1, 0));

	/* Bad level, unknown MPIDR, MPIDR bits outside the affinity. */
	EXPECT_EQ(PSCI_INVALID, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
					 target1, 1));
	EXPECT_EQ(PSCI_INVALID, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
					 0x5, 0));
	EXPECT_EQ(PSCI_INVALID, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
					 target1 | (1ULL << 31), 0));
	/* The id of vCPU 1 is no MPIDR: Aff0 1 is nobody's. */
	EXPECT_EQ(PSCI_INVALID, affinity(_metadata, t, PSCI_AFFINITY_INFO64,
					 1, 0));

	close(third);
	munmap(second.run, second.run_size);
	close(second.fd);
}

TEST_HARNESS_MAIN
