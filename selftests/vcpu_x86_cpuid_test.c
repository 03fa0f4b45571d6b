// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CPUID under the VMM's control (VCPU_SET_CPUID/GET_CPUID):
 * the default table (hypervisor bit and leaf, no VMX/SVM, the vCPU's own
 * APIC ID), a table the VMM sets is what the guest reads, with no exit of
 * its own; a feature the table hides is hidden and its CR4 bit reserved
 * (#GP to the guest's own handler, EINVAL to SET_ONE_REG); OSXSAVE
 * follows CR4; SET_CPUID's errors.  The guest (x86/guest_cpuid.S) is
 * driven through port I/O, so every exit the test sees is one it asked
 * for.  Expectations about the default table come from the host's own
 * CPUID (the lane's emulated CPU), never from a lane's name.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest.h"

VCPU_GUEST_SNIPPET(guest32_cpuid);

#define GP_REPORT		0xd0d
#define CMD_CPUID		0
#define CMD_CR4			1

#define L1_ECX_MONITOR		(1u << 3)
#define L1_ECX_VMX		(1u << 5)
#define L1_ECX_XSAVE		(1u << 26)
#define L1_ECX_OSXSAVE		(1u << 27)
#define L1_ECX_HYPERVISOR	(1u << 31)
#define L7_EBX_SMEP		(1u << 7)
#define L7_ECX_PKU		(1u << 3)
#define LX1_ECX_SVM		(1u << 2)
#define CR4_VMXE		(1u << 13)
#define CR4_OSXSAVE		(1u << 18)
#define CR4_SMEP		(1u << 20)

struct cpuid_table {
	struct vcpu_cpuid c;
	struct vcpu_cpuid_entry e[VCPU_CPUID_MAX_ENTRIES + 1];
};

FIXTURE(cpuid) {
	struct vcpu_test t;
	struct vcpu_test t2;
	struct cpuid_table tab;
};

FIXTURE_SETUP(cpuid)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
	self->t2.sys_fd = self->t2.vm_fd = self->t2.fd = -1;
}

FIXTURE_TEARDOWN(cpuid)
{
	vcpu_test_fini(&self->t);
	vcpu_test_fini(&self->t2);
}

static void host_cpuid(uint32_t leaf, uint32_t index, uint32_t *r)
{
	__cpuid_count(leaf, index, r[0], r[1], r[2], r[3]);
}

static void start(struct __test_metadata *_metadata, struct vcpu_test *t,
		  unsigned int id)
{
	ASSERT_OK(vcpu_test_init_id(t, VCPU_TEST_MEM_SIZE, id));
	vcpu_test_load(t, guest32_cpuid_start, guest32_cpuid_end);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_PROT32, 0,
				  VCPU_CPU_CURRENT));
}

/* The guest's next IN from @port gets @value. */
static void give(struct __test_metadata *_metadata, struct vcpu_test *t,
		 uint16_t port, uint32_t value)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_READ);
	ASSERT_EQ(port, t->run->io.port);
	t->run->io.data = value;
}

/* The guest's next OUT to port 0x80. */
static uint32_t report(struct __test_metadata *_metadata, struct vcpu_test *t)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x80, t->run->io.port);
	return t->run->io.data;
}

/*
 * CPUID @leaf/@index executed by the guest.  The exit after the IN that
 * passes @index is already the OUT of EAX: CPUID itself never reached
 * userspace.
 */
static void guest_cpuid(struct __test_metadata *_metadata, struct vcpu_test *t,
			uint32_t leaf, uint32_t index, uint32_t *r)
{
	struct vcpu_state_info before, after;
	int i;

	give(_metadata, t, 0x84, CMD_CPUID);
	give(_metadata, t, 0x85, leaf);
	give(_metadata, t, 0x86, index);
	ASSERT_OK(vcpu_get_state(t->fd, &before));
	for (i = 0; i < 4; i++)
		r[i] = report(_metadata, t);
	ASSERT_OK(vcpu_get_state(t->fd, &after));
	ASSERT_EQ(before.exits + 4, after.exits);
}

/* MOV to CR4 of @cr4 by the guest: true when it took #GP; CR4 after. */
static bool guest_cr4(struct __test_metadata *_metadata, struct vcpu_test *t,
		      uint32_t cr4, uint32_t *now)
{
	uint32_t v;
	bool gp = false;

	give(_metadata, t, 0x84, CMD_CR4);
	give(_metadata, t, 0x85, cr4);
	v = report(_metadata, t);
	if (v == GP_REPORT) {
		gp = true;
		v = report(_metadata, t);
	}
	*now = v;
	return gp;
}

static int get_cpuid(int fd, struct cpuid_table *tab, uint32_t cap)
{
	tab->c.nent = cap;
	tab->c.flags = 0;
	return ioctl(fd, VCPU_GET_CPUID, &tab->c);
}

static struct vcpu_cpuid_entry *entry(struct cpuid_table *tab, uint32_t fn,
				      uint32_t index)
{
	uint32_t i;

	for (i = 0; i < tab->c.nent; i++)
		if (tab->e[i].function == fn &&
		    (!(tab->e[i].flags & VCPU_CPUID_F_SIGNIFICANT_INDEX) ||
		     tab->e[i].index == index))
			return &tab->e[i];
	return NULL;
}

TEST_F_TIMEOUT(cpuid, default_table, 120)
{
	uint32_t r[4], h[4], max_basic, max_ext;
	struct vcpu_test *tests[2] = { &self->t, &self->t2 };
	const unsigned int ids[2] = { 0, 5 };
	int i;

	start(_metadata, &self->t, ids[0]);
	start(_metadata, &self->t2, ids[1]);
	for (i = 0; i < 2; i++) {
		struct vcpu_test *t = tests[i];

		/* Leaf 0: the host's vendor. */
		host_cpuid(0, 0, h);
		guest_cpuid(_metadata, t, 0, 0, r);
		max_basic = r[0];
		ASSERT_EQ(h[1], r[1]);
		ASSERT_EQ(h[2], r[2]);
		ASSERT_EQ(h[3], r[3]);
		ASSERT_GE(max_basic, 1);
		ASSERT_LE(max_basic, h[0]);

		guest_cpuid(_metadata, t, 1, 0, r);
		ASSERT_EQ(ids[i], r[1] >> 24);		/* initial APIC ID */
		ASSERT_TRUE(r[2] & L1_ECX_HYPERVISOR);
		ASSERT_EQ(0, r[2] & (L1_ECX_VMX | L1_ECX_MONITOR));
		ASSERT_EQ(0, r[2] & L1_ECX_OSXSAVE);	/* CR4.OSXSAVE clear */
		host_cpuid(1, 0, h);
		/* XSAVE as the host has it (the module offers its XCR0). */
		ASSERT_EQ(h[2] & L1_ECX_XSAVE, r[2] & L1_ECX_XSAVE);

		if (max_basic >= 7) {
			guest_cpuid(_metadata, t, 7, 0, r);
			ASSERT_EQ(0, r[2] & L7_ECX_PKU);
		}
		if (max_basic >= 0xb) {
			host_cpuid(0xb, 0, h);
			guest_cpuid(_metadata, t, 0xb, 0, r);
			if (h[1])		/* the host has leaf 0xB */
				ASSERT_EQ(ids[i], r[3]);
		}

		guest_cpuid(_metadata, t, 0x40000000, 0, r);
		ASSERT_EQ(0x40000000, r[0]);
		ASSERT_EQ(0, memcmp(&r[1], VCPU_CPUID_HV_SIGNATURE, 12));

		host_cpuid(0x80000000, 0, h);
		guest_cpuid(_metadata, t, 0x80000000, 0, r);
		max_ext = r[0];
		ASSERT_LE(max_ext, h[0]);
		if (max_ext >= 0x80000001) {
			guest_cpuid(_metadata, t, 0x80000001, 0, r);
			ASSERT_EQ(0, r[2] & LX1_ECX_SVM);
		}
		guest_cpuid(_metadata, t, 0x8000000a, 0, r);
		ASSERT_EQ(0, r[0] | r[1] | r[2] | r[3]);
	}

	/* GET_CPUID gives the table the guest reads (static fields). */
	ASSERT_OK(get_cpuid(self->t.fd, &self->tab, VCPU_CPUID_MAX_ENTRIES));
	ASSERT_NE(NULL, entry(&self->tab, 1, 0));
	guest_cpuid(_metadata, &self->t, 1, 0, r);
	ASSERT_EQ(entry(&self->tab, 1, 0)->eax, r[0]);
	ASSERT_EQ(entry(&self->tab, 1, 0)->ecx, r[2]);
	ASSERT_EQ(entry(&self->tab, 1, 0)->edx, r[3]);
}

TEST_F_TIMEOUT(cpuid, set_exact, 120)
{
	static const struct vcpu_cpuid_entry set[] = {
		{ .function = 0, .eax = 0xb, .ebx = 0x11111111,
		  .ecx = 0x22222222, .edx = 0x33333333 },
		/* EBX[31:24] is the vCPU's (id 0), ECX[27] CR4's (clear). */
		{ .function = 1, .eax = 0x12345678, .ebx = 0x00abcdef,
		  .ecx = 0x80000201, .edx = 0x07808141 },
		{ .function = 4, .index = 0, .eax = 0x4000,
		  .flags = VCPU_CPUID_F_SIGNIFICANT_INDEX, .edx = 0x40 },
		{ .function = 4, .index = 1, .eax = 0x4001,
		  .flags = VCPU_CPUID_F_SIGNIFICANT_INDEX, .edx = 0x41 },
		{ .function = 0x80000000, .eax = 0x80000004,
		  .ebx = 0xa, .ecx = 0xb, .edx = 0xc },
	};
	const uint32_t n = sizeof(set) / sizeof(set[0]);
	uint32_t r[4], i;

	start(_metadata, &self->t, 0);
	self->tab.c.nent = n;
	self->tab.c.flags = 0;
	memcpy(self->tab.e, set, sizeof(set));
	ASSERT_OK(ioctl(self->t.fd, VCPU_SET_CPUID, &self->tab.c));

	for (i = 0; i < n; i++) {
		guest_cpuid(_metadata, &self->t, set[i].function, set[i].index,
			    r);
		ASSERT_EQ(set[i].eax, r[0]);
		ASSERT_EQ(set[i].ebx, r[1]);
		ASSERT_EQ(set[i].ecx, r[2]);
		ASSERT_EQ(set[i].edx, r[3]);
	}
	/* Without a significant index, any index answers. */
	guest_cpuid(_metadata, &self->t, 0x80000000, 7, r);
	ASSERT_EQ(0x80000004, r[0]);
	/* No entry: zeros (an index, a leaf in range, one above it). */
	guest_cpuid(_metadata, &self->t, 4, 2, r);
	ASSERT_EQ(0, r[0] | r[1] | r[2] | r[3]);
	guest_cpuid(_metadata, &self->t, 2, 0, r);
	ASSERT_EQ(0, r[0] | r[1] | r[2] | r[3]);
	guest_cpuid(_metadata, &self->t, 0x40000000, 0, r);
	ASSERT_EQ(0, r[0] | r[1] | r[2] | r[3]);

	/* GET_CPUID: the same entries back; too small a buffer: E2BIG. */
	ASSERT_ERRNO(E2BIG, get_cpuid(self->t.fd, &self->tab, n - 1));
	ASSERT_EQ(n, self->tab.c.nent);
	memset(self->tab.e, 0, sizeof(self->tab.e));
	ASSERT_OK(get_cpuid(self->t.fd, &self->tab, n));
	ASSERT_EQ(n, self->tab.c.nent);
	ASSERT_EQ(0, memcmp(self->tab.e, set, sizeof(set)));
}

/*
 * Hide the feature (@fn, @reg, @bit) in the default table: CPUID no longer
 * shows it and the guest's MOV to CR4 of @cr4 takes #GP, where with the
 * default table it works when the host has the feature.
 */
static void hide_and_enforce(struct __test_metadata *_metadata,
			     struct vcpu_test *t, struct cpuid_table *tab,
			     uint32_t fn, int reg, uint32_t bit, uint32_t cr4)
{
	struct vcpu_cpuid_entry *e;
	uint32_t r[4], h[4], now;
	uint64_t v;

	host_cpuid(fn, 0, h);
	guest_cpuid(_metadata, t, fn, 0, r);
	ASSERT_EQ(h[reg] & bit, r[reg] & bit);
	if (r[reg] & bit) {
		/* Offered: the write goes through, and back out. */
		ASSERT_FALSE(guest_cr4(_metadata, t, cr4, &now));
		ASSERT_EQ(cr4, now & cr4);
		ASSERT_FALSE(guest_cr4(_metadata, t, 0, &now));
		ASSERT_EQ(0, now & cr4);
	}

	ASSERT_OK(get_cpuid(t->fd, tab, VCPU_CPUID_MAX_ENTRIES));
	e = entry(tab, fn, 0);
	ASSERT_NE(NULL, e);
	(&e->eax)[reg] &= ~bit;
	ASSERT_OK(ioctl(t->fd, VCPU_SET_CPUID, &tab->c));

	guest_cpuid(_metadata, t, fn, 0, r);
	ASSERT_EQ(0, r[reg] & bit);
	ASSERT_TRUE(guest_cr4(_metadata, t, cr4, &now));
	ASSERT_EQ(0, now & cr4);
	/* Nor may the VMM set it. */
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR4, cr4));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR4, &v));
	ASSERT_EQ(0, v & cr4);
}

TEST_F_TIMEOUT(cpuid, hidden_xsave_gp, 120)
{
	start(_metadata, &self->t, 0);
	hide_and_enforce(_metadata, &self->t, &self->tab, 1, 2, L1_ECX_XSAVE,
			 CR4_OSXSAVE);
}

TEST_F_TIMEOUT(cpuid, hidden_smep_gp, 120)
{
	uint32_t now;

	start(_metadata, &self->t, 0);
	hide_and_enforce(_metadata, &self->t, &self->tab, 7, 1, L7_EBX_SMEP,
			 CR4_SMEP);
	/* VMXE is never the guest's. */
	ASSERT_TRUE(guest_cr4(_metadata, &self->t, CR4_VMXE, &now));
	ASSERT_EQ(0, now & CR4_VMXE);
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(self->t.fd, VCPU_REG_X86_CR4,
					      CR4_VMXE));
}

TEST_F_TIMEOUT(cpuid, osxsave_follows_cr4, 120)
{
	uint32_t r[4], h[4], now;

	host_cpuid(1, 0, h);
	if (!(h[2] & L1_ECX_XSAVE))
		SKIP(return, "the host has no XSAVE");
	start(_metadata, &self->t, 0);
	guest_cpuid(_metadata, &self->t, 1, 0, r);
	ASSERT_EQ(0, r[2] & L1_ECX_OSXSAVE);
	ASSERT_FALSE(guest_cr4(_metadata, &self->t, CR4_OSXSAVE, &now));
	ASSERT_EQ(CR4_OSXSAVE, now & CR4_OSXSAVE);
	guest_cpuid(_metadata, &self->t, 1, 0, r);
	ASSERT_EQ(L1_ECX_OSXSAVE, r[2] & L1_ECX_OSXSAVE);
	ASSERT_FALSE(guest_cr4(_metadata, &self->t, 0, &now));
	guest_cpuid(_metadata, &self->t, 1, 0, r);
	ASSERT_EQ(0, r[2] & L1_ECX_OSXSAVE);

	/* A table hiding XSAVE while CR4.OSXSAVE is set: refused. */
	ASSERT_OK(vcpu_set_one_reg(self->t.fd, VCPU_REG_X86_CR4, CR4_OSXSAVE));
	ASSERT_OK(get_cpuid(self->t.fd, &self->tab, VCPU_CPUID_MAX_ENTRIES));
	entry(&self->tab, 1, 0)->ecx &= ~L1_ECX_XSAVE;
	ASSERT_ERRNO(EINVAL, ioctl(self->t.fd, VCPU_SET_CPUID, &self->tab.c));
}

TEST_F(cpuid, bad_input)
{
	struct cpuid_table *tab = &self->tab;
	int fd;

	ASSERT_OK(vcpu_test_init(&self->t, VCPU_TEST_MEM_SIZE));
	fd = self->t.fd;
	/* Created: not yet. */
	tab->c.nent = 0;
	tab->c.flags = 0;
	ASSERT_ERRNO(EBADFD, ioctl(fd, VCPU_SET_CPUID, &tab->c));
	ASSERT_ERRNO(EBADFD, get_cpuid(fd, tab, VCPU_CPUID_MAX_ENTRIES));
	ASSERT_OK(vcpu_test_setup(&self->t, VCPU_MODE_X86_PROT32, 0));

	memset(tab, 0, sizeof(*tab));
	tab->c.nent = VCPU_CPUID_MAX_ENTRIES + 1;
	ASSERT_ERRNO(E2BIG, ioctl(fd, VCPU_SET_CPUID, &tab->c));
	tab->c.nent = 1;
	tab->c.flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SET_CPUID, &tab->c));
	tab->c.flags = 0;
	tab->e[0].flags = 2;
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SET_CPUID, &tab->c));
	tab->e[0].flags = 0;
	tab->e[0].reserved[1] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SET_CPUID, &tab->c));
	tab->e[0].reserved[1] = 0;
	tab->c.nent = 2;
	tab->e[1].index = 3;		/* same leaf, no significant index */
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SET_CPUID, &tab->c));
	tab->e[0].flags = tab->e[1].flags = VCPU_CPUID_F_SIGNIFICANT_INDEX;
	tab->e[1].index = 0;		/* same leaf and index */
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SET_CPUID, &tab->c));
	tab->e[1].index = 1;
	ASSERT_OK(ioctl(fd, VCPU_SET_CPUID, &tab->c));
	ASSERT_OK(get_cpuid(fd, tab, VCPU_CPUID_MAX_ENTRIES));
	ASSERT_EQ(2, tab->c.nent);
	/* The whole table is replaced: an empty one is a table too. */
	tab->c.nent = 0;
	ASSERT_OK(ioctl(fd, VCPU_SET_CPUID, &tab->c));
	ASSERT_OK(get_cpuid(fd, tab, 0));
	ASSERT_EQ(0, tab->c.nent);
	ASSERT_ERRNO(EFAULT, ioctl(fd, VCPU_SET_CPUID, NULL));
}

TEST_HARNESS_MAIN
