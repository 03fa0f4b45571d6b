// SPDX-License-Identifier: GPL-2.0
/*
 * x86 events beyond the interrupt queue: NMIs (VCPU_INJECT_NMI) and their
 * blocking until the handler's IRET, exceptions the VMM injects
 * (VCPU_SET_EVENTS) with error code and #PF payload, the pending-event
 * state through VCPU_GET_EVENTS (the STI shadow) and its save/restore
 * into a new VM, and an interrupt queued during CLI that an STI; HLT
 * takes at the HLT boundary.  Guest: x86/guest_events.S.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest.h"

VCPU_GUEST_SNIPPET(guest32_events);
extern const uint8_t guest32_events_shadow_store[];
extern const uint8_t guest32_events_shadow_after[];
extern const uint8_t guest32_events_after_hlt[];

#define PROG_NMI	0
#define PROG_EXC	1
#define PROG_SHADOW	2
#define PROG_STI_HLT	3
#define USER_VECTOR	0x40
#define RO_GPA		0x200000

FIXTURE(events) {
	struct vcpu_test t;
	struct vcpu_test t2;
	void *ro;
};

FIXTURE_SETUP(events)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
	self->t2.sys_fd = self->t2.vm_fd = self->t2.fd = -1;
	self->ro = NULL;
}

FIXTURE_TEARDOWN(events)
{
	vcpu_test_fini(&self->t2);
	vcpu_test_fini(&self->t);
	if (self->ro)
		vcpu_free_mem(self->ro, 4096);
}

static void start(struct __test_metadata *_metadata, struct vcpu_test *t,
		  uint64_t prog)
{
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest32_events_start, guest32_events_end);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_PROT32, prog,
				  VCPU_CPU_CURRENT));
}

/* RUN must give an OUT of @data to @port. */
#define ASSERT_OUT(t, p, d) do {					\
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);				\
	ASSERT_EQ((uint16_t)(p), (t)->run->io.port);			\
	ASSERT_EQ((uint64_t)(d), (t)->run->io.data);			\
} while (0)

static int get_events(int fd, struct vcpu_events *e)
{
	memset(e, 0xa5, sizeof(*e));
	return ioctl(fd, VCPU_GET_EVENTS, e);
}

static int inject_nmi(int fd)
{
	return ioctl(fd, VCPU_INJECT_NMI, 0);
}

static int set_exception(int fd, uint8_t vector, uint8_t has_error,
			 uint32_t error, uint8_t has_payload, uint64_t payload)
{
	struct vcpu_events e = { .flags = VCPU_X86_EVENTS_EXCEPTION };

	e.x86.exception_pending = 1;
	e.x86.exception_vector = vector;
	e.x86.exception_has_error = has_error;
	e.x86.exception_error = error;
	e.x86.exception_has_payload = has_payload;
	e.x86.exception_payload = payload;
	return ioctl(fd, VCPU_SET_EVENTS, &e);
}

/*
 * One NMI runs the handler; a second and a third injected while the
 * guest is inside it (before its IRET) are one NMI, delivered only after
 * the IRET: the handler's reports never interleave, and the count ends
 * at 2.
 */
TEST_F_TIMEOUT(events, nmi_blocked_until_iret, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_events e;

	start(_metadata, t, PROG_NMI);
	ASSERT_OUT(t, 0x80, 1);
	ASSERT_OK(inject_nmi(t->fd));
	ASSERT_OUT(t, 0x81, 0x201);
	ASSERT_OK(inject_nmi(t->fd));
	ASSERT_OK(inject_nmi(t->fd));
	ASSERT_OK(get_events(t->fd, &e));
	ASSERT_EQ(1, e.x86.nmi_pending);
	ASSERT_EQ(1, e.x86.nmi_masked);
	ASSERT_EQ(VCPU_X86_EVENT_NONE, e.x86.injected);
	ASSERT_OUT(t, 0x81, 0x301);		/* not nested: still 1 */
	ASSERT_OUT(t, 0x81, 0x202);		/* after the IRET */
	ASSERT_OUT(t, 0x81, 0x302);
	ASSERT_OUT(t, 0x80, 0x102);		/* two collapsed into one */
	ASSERT_OK(get_events(t->fd, &e));
	ASSERT_EQ(0, e.x86.nmi_pending);
	ASSERT_EQ(0, e.x86.nmi_masked);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/* #GP with its error code, #PF with CR2 from the payload, #UD without. */
TEST_F_TIMEOUT(events, exceptions_from_vmm, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_events e;

	start(_metadata, t, PROG_EXC);
	ASSERT_OUT(t, 0x80, 1);
	ASSERT_OK(set_exception(t->fd, 13, 1, 0x1234, 0, 0));
	ASSERT_OK(get_events(t->fd, &e));
	ASSERT_EQ(VCPU_X86_EVENTS_INJECTED | VCPU_X86_EVENTS_EXCEPTION |
		  VCPU_X86_EVENTS_NMI | VCPU_X86_EVENTS_SHADOW, e.flags);
	ASSERT_EQ(1, e.x86.exception_pending);
	ASSERT_EQ(13, e.x86.exception_vector);
	ASSERT_EQ(0x1234, e.x86.exception_error);
	ASSERT_OUT(t, 0x82, 13);
	ASSERT_OUT(t, 0x83, 0x1234);
	ASSERT_OUT(t, 0x80, 2);
	ASSERT_OK(set_exception(t->fd, 14, 1, 0x2, 1, 0xdead0000));
	ASSERT_OUT(t, 0x82, 14);
	ASSERT_OUT(t, 0x83, 2);
	ASSERT_OUT(t, 0x84, 0xdead0000);
	ASSERT_OUT(t, 0x80, 3);
	ASSERT_OK(set_exception(t->fd, 6, 0, 0, 0, 0));
	ASSERT_OUT(t, 0x82, 6);
	ASSERT_OUT(t, 0x80, 4);
	ASSERT_OK(get_events(t->fd, &e));
	ASSERT_EQ(0, e.x86.exception_pending);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(events, invalid_events)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_events e;
	static const uint8_t refused[] = { 2, 15, 22, 27, 31, 32, 255 };
	unsigned int i;

	start(_metadata, t, PROG_EXC);
	for (i = 0; i < sizeof(refused); i++) {
		ASSERT_ERRNO(EINVAL,
			     set_exception(t->fd, refused[i], 0, 0, 0, 0));
		ASSERT_ERRNO(EINVAL,
			     set_exception(t->fd, refused[i], 1, 0, 0, 0));
	}
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, 13, 0, 0, 0, 0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, 6, 1, 0, 0, 0));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, 13, 1, 0, 1, 5));
	ASSERT_ERRNO(EINVAL, set_exception(t->fd, 6, 0, 7, 0, 0));

	memset(&e, 0, sizeof(e));
	e.flags = 1U << 31;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.flags = VCPU_X86_EVENTS_NMI;
	e.x86.reserved[0] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	memset(&e, 0, sizeof(e));
	e.flags = VCPU_X86_EVENTS_SHADOW;
	e.x86.shadow = 4;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	memset(&e, 0, sizeof(e));
	e.flags = VCPU_X86_EVENTS_INJECTED;
	e.x86.injected = VCPU_X86_EVENT_SOFT;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	e.x86.injected = VCPU_X86_EVENT_INTERRUPT;
	e.x86.injected_vector = 8;
	ASSERT_ERRNO(EINVAL, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	/* An event in delivery and a pending exception at once. */
	memset(&e, 0, sizeof(e));
	e.flags = VCPU_X86_EVENTS_INJECTED | VCPU_X86_EVENTS_EXCEPTION;
	e.x86.injected = VCPU_X86_EVENT_NMI;
	e.x86.exception_pending = 1;
	e.x86.exception_vector = 6;
	ASSERT_ERRNO(EBUSY, ioctl(t->fd, VCPU_SET_EVENTS, &e));
	/* Nothing of the refused calls stuck. */
	ASSERT_OK(get_events(t->fd, &e));
	ASSERT_EQ(0, e.x86.exception_pending);
	ASSERT_EQ(VCPU_X86_EVENT_NONE, e.x86.injected);
	ASSERT_OUT(t, 0x80, 1);
	ASSERT_OUT(t, 0x80, 2);
}

/*
 * The STI shadow seen by GET_EVENTS at an exit right after STI (a store
 * to a read-only page: NESTED_PAGE_FAULT, the store not done), and kept:
 * an interrupt queued then is taken only after that store.
 */
TEST_F_TIMEOUT(events, sti_shadow, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_events e;
	struct vcpu_irq irq = { .irq = USER_VECTOR };
	const char *quirks = getenv("VCPU_LANE_QUIRKS");

	if (quirks && strstr(quirks, "no-sti-shadow-at-ept-exit"))
		SKIP(return, "lane quirk no-sti-shadow-at-ept-exit: the emulator drops STI blocking at an EPT-violation exit");
	if (quirks && strstr(quirks, "sti-shadow-lost-at-reentry"))
		SKIP(return, "lane quirk sti-shadow-lost-at-reentry: the emulator takes the interrupt window inside the STI shadow the VMCB holds");
	self->ro = vcpu_alloc_mem(4096);
	ASSERT_NE(NULL, self->ro);
	start(_metadata, t, PROG_SHADOW);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, VCPU_MEM_READONLY, RO_GPA,
				  4096, self->ro));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_NESTED_PAGE_FAULT);
	ASSERT_PC(t, VCPU_GUEST_ADDR(guest32_events_start,
				     guest32_events_shadow_store));
	ASSERT_OK(get_events(t->fd, &e));
	ASSERT_EQ(VCPU_X86_SHADOW_STI, e.x86.shadow);

	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, 0, RO_GPA, 0, self->ro));
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, 0, RO_GPA, 4096, self->ro));
	ASSERT_OK(ioctl(t->fd, VCPU_INJECT_IRQ, &irq));
	ASSERT_OUT(t, 0x85, VCPU_GUEST_ADDR(guest32_events_start,
					    guest32_events_shadow_after));
	ASSERT_EQ(1, *(volatile uint32_t *)self->ro);
	ASSERT_OUT(t, 0x80, 2);
}

/*
 * CLI; (exit: the VMM queues an interrupt); STI; HLT: the interrupt is
 * taken at the HLT boundary, after the HLT (its return address is past
 * it), and the HLT is no halt: no HALT exit with the interrupt pending.
 */
TEST_F_TIMEOUT(events, sti_hlt_wakes, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_irq irq = { .irq = USER_VECTOR };

	start(_metadata, t, PROG_STI_HLT);
	ASSERT_OUT(t, 0x80, 1);
	ASSERT_OK(ioctl(t->fd, VCPU_INJECT_IRQ, &irq));
	ASSERT_OUT(t, 0x85, VCPU_GUEST_ADDR(guest32_events_start,
					    guest32_events_after_hlt));
	ASSERT_OUT(t, 0x80, 2);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/*
 * An NMI latched while the vCPU is Ready, saved by GET_EVENTS, restored
 * by SET_EVENTS on a new vCPU of a new VM (memory, registers, GDTR and
 * IDTR copied): it is delivered there, and the old vCPU never takes it.
 */
TEST_F_TIMEOUT(events, nmi_save_restore, 60)
{
	static const uint64_t sregs[] = {
		VCPU_REG_X86_GDTR_BASE, VCPU_REG_X86_GDTR_LIMIT,
		VCPU_REG_X86_IDTR_BASE, VCPU_REG_X86_IDTR_LIMIT,
	};
	struct vcpu_test *t = &self->t, *t2 = &self->t2;
	struct vcpu_events e, e2;
	struct vcpu_regs regs;
	uint64_t v;
	unsigned int i;

	start(_metadata, t, PROG_NMI);
	ASSERT_OUT(t, 0x80, 1);
	ASSERT_OK(inject_nmi(t->fd));
	ASSERT_OK(get_events(t->fd, &e));
	ASSERT_EQ(1, e.x86.nmi_pending);
	ASSERT_EQ(0, e.x86.nmi_masked);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));

	ASSERT_OK(vcpu_test_init(t2, VCPU_TEST_MEM_SIZE));
	memcpy(t2->mem, t->mem, VCPU_TEST_MEM_SIZE);
	ASSERT_OK(vcpu_test_setup(t2, VCPU_MODE_X86_PROT32, PROG_NMI));
	ASSERT_OK(vcpu_set_regs(t2->fd, &regs));
	for (i = 0; i < sizeof(sregs) / sizeof(sregs[0]); i++) {
		ASSERT_OK(vcpu_get_one_reg(t->fd, sregs[i], &v));
		ASSERT_OK(vcpu_set_one_reg(t2->fd, sregs[i], v));
	}
	/* GET's output is SET's input as it is. */
	ASSERT_OK(ioctl(t2->fd, VCPU_SET_EVENTS, &e));
	ASSERT_OK(get_events(t2->fd, &e2));
	ASSERT_EQ(0, memcmp(&e, &e2, sizeof(e)));
	ASSERT_OK(vcpu_bind(t2->fd, vcpu_current_cpu()));
	ASSERT_OUT(t2, 0x81, 0x201);
	ASSERT_OUT(t2, 0x81, 0x301);
	ASSERT_OUT(t2, 0x80, 0x101);
	ASSERT_RUN_EXIT(t2, VCPU_EXIT_HALT);

	/* The old vCPU, its NMI taken away: no NMI there. */
	memset(&e, 0, sizeof(e));
	e.flags = VCPU_X86_EVENTS_NMI;
	ASSERT_OK(ioctl(t->fd, VCPU_SET_EVENTS, &e));
	ASSERT_OUT(t, 0x80, 0x100);
}

TEST_HARNESS_MAIN
