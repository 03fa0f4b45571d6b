// SPDX-License-Identifier: GPL-2.0
/*
 * Save and restore of a whole x86 vCPU, as a VMM would snapshot it: one
 * guest (x86/guest_snapshot.S) fills a register of every class it can
 * (general, YMM after its own XSETBV, DR0-3 and DR7, a kept MSR), has
 * its own NMI handler, and exits; the VMM queues an NMI, then saves the
 * vCPU through the ABI alone (GET_REGS, every VCPU_GET_REG_LIST id,
 * GET_XSAVE, GET_CPUID, GET_EVENTS, guest memory), closes the VM, creates
 * a new VM and vCPU, restores it all and runs it: the guest goes on after
 * its OUT, finds every register as it left it and takes the NMI once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vcpu_asserts.h"

VCPU_GUEST_SNIPPET(guest64_snapshot);

/* The guest's report block in the data page (x86/guest_snapshot.S). */
#define SNAP_YMM	0
#define SNAP_DR		512
#define SNAP_SYSENTER	552
#define SNAP_RBX	560
#define SNAP_NMIS	568

struct snapshot {
	struct vcpu_regs regs;
	struct vcpu_one_regs one;
	struct vcpu_xsave xsave;
	struct vcpu_cpuid *cpuid;
	struct vcpu_events events;
	uint8_t *mem;
};

static bool host_has_avx(void)
{
	unsigned int a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c & (1U << 28)) && (c & (1U << 27));	/* AVX, OSXSAVE */
}

static int snapshot_save(struct vcpu_test *t, struct snapshot *s)
{
	if (vcpu_get_regs(t->fd, &s->regs) || vcpu_one_regs_save(t->fd, &s->one))
		return -1;
	if (ioctl(t->fd, VCPU_GET_XSAVE, &s->xsave))
		return -1;
	s->cpuid = calloc(1, sizeof(*s->cpuid) + VCPU_CPUID_MAX_ENTRIES *
			  sizeof(s->cpuid->entries[0]));
	if (!s->cpuid)
		return -1;
	s->cpuid->nent = VCPU_CPUID_MAX_ENTRIES;
	if (ioctl(t->fd, VCPU_GET_CPUID, s->cpuid))
		return -1;
	if (ioctl(t->fd, VCPU_GET_EVENTS, &s->events))
		return -1;
	s->mem = malloc(t->mem_size);
	if (!s->mem)
		return -1;
	memcpy(s->mem, t->mem, t->mem_size);
	return 0;
}

/*
 * Onto a vCPU fresh from SETUP: the CPUID table first (it decides which
 * CR4 and XCR0 bits the rest may set), then every ONE_REG, the XSAVE
 * area, the general registers and the events.
 */
static int snapshot_restore(struct vcpu_test *t, const struct snapshot *s)
{
	struct vcpu_events e = s->events;

	memcpy(t->mem, s->mem, t->mem_size);
	if (ioctl(t->fd, VCPU_SET_CPUID, s->cpuid) ||
	    vcpu_one_regs_restore(t->fd, &s->one))
		return -1;
	if (ioctl(t->fd, VCPU_SET_XSAVE, &s->xsave) ||
	    vcpu_set_regs(t->fd, &s->regs))
		return -1;
	e.flags = VCPU_X86_EVENTS_INJECTED | VCPU_X86_EVENTS_EXCEPTION |
		  VCPU_X86_EVENTS_NMI | VCPU_X86_EVENTS_SHADOW;
	return ioctl(t->fd, VCPU_SET_EVENTS, &e);
}

static void snapshot_free(struct snapshot *s)
{
	vcpu_one_regs_free(&s->one);
	free(s->cpuid);
	free(s->mem);
}

TEST(vcpu_continues_in_a_new_vm)
{
	struct vcpu_test a = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };
	struct vcpu_test b = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };
	struct snapshot s = {};
	const uint8_t *pattern, *res;
	uint64_t dr[5];
	unsigned int i;
	int cpu;

	VCPU_REQUIRE_DEV();
	if (!host_has_avx())
		SKIP(return, "no AVX on this CPU: the guest's YMM cannot be filled");

	ASSERT_OK(vcpu_test_init(&a, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(&a, guest64_snapshot_start, guest64_snapshot_end);
	ASSERT_OK(vcpu_test_start(&a, VCPU_MODE_X86_LONG64, 0,
				  VCPU_CPU_CURRENT));
	cpu = vcpu_current_cpu();
	ASSERT_RUN_EXIT(&a, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x80, a.run->io.port);
	/* An NMI the guest has not taken yet is part of the snapshot. */
	ASSERT_OK(ioctl(a.fd, VCPU_INJECT_NMI, 0));
	ASSERT_OK(snapshot_save(&a, &s));
	ASSERT_EQ(1, s.events.x86.nmi_pending);
	vcpu_test_fini(&a);

	ASSERT_OK(vcpu_test_init(&b, VCPU_TEST_MEM_SIZE));
	ASSERT_OK(vcpu_test_setup(&b, VCPU_MODE_X86_LONG64, 0));
	ASSERT_OK(snapshot_restore(&b, &s));
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(b.fd, cpu));
	ASSERT_RUN_EXIT(&b, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x81, b.run->io.port);

	res = b.mem + VCPU_TEST_DATA_GPA;
	pattern = guest64_snapshot_end - 512;
	for (i = 0; i < 512; i++) {
		if (res[SNAP_YMM + i] != pattern[i])
			TH_LOG("YMM%u byte %u: %#x, expected %#x", i / 32,
			       i % 32, res[SNAP_YMM + i], pattern[i]);
		ASSERT_EQ(pattern[i], res[SNAP_YMM + i]);
	}
	memcpy(dr, res + SNAP_DR, sizeof(dr));
	ASSERT_EQ(0x1111000ULL, dr[0]);
	ASSERT_EQ(0x2222000ULL, dr[1]);
	ASSERT_EQ(0x3333000ULL, dr[2]);
	ASSERT_EQ(0x4444000ULL, dr[3]);
	ASSERT_EQ(0x600ULL, dr[4]);
	ASSERT_EQ(0xffffffff12345678ULL,
		  *(const uint64_t *)(res + SNAP_SYSENTER));
	ASSERT_EQ(0x0123456789abcdefULL, *(const uint64_t *)(res + SNAP_RBX));
	ASSERT_EQ(1U, *(const uint32_t *)(res + SNAP_NMIS));

	vcpu_test_fini(&b);
	snapshot_free(&s);
}

TEST_HARNESS_MAIN
