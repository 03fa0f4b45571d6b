/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the interrupt tests (vcpu_irq_test, vcpu_arm64_irq_test): a
 * vCPU started with SETUP flags, one VCPU_RUN on another thread, waiting
 * for a state.  Include after guest.h.  A fixture using them has
 * "struct vcpu_test t;" and "struct irq_async a;".
 */
#ifndef VCPU_IRQ_TEST_H
#define VCPU_IRQ_TEST_H

#include <sys/ioctl.h>
#include <unistd.h>

#include "guest.h"

/* One VCPU_RUN in flight on its own thread. */
struct irq_async {
	struct vcpu_runner r;
	int running;		/* started and not joined */
};

static inline int irq_inject(int fd, uint32_t irq)
{
	struct vcpu_irq i = { .irq = irq };

	return ioctl(fd, VCPU_INJECT_IRQ, &i);
}

/* The u32 at DATA + off, as the guest last wrote it. */
static inline uint32_t irq_data32(const struct vcpu_test *t, unsigned int off)
{
	return __atomic_load_n((uint32_t *)(t->mem + VCPU_TEST_DATA_GPA + off),
			       __ATOMIC_SEQ_CST);
}

/* A vCPU with the snippet loaded, SETUP with flags/arg, bound here. */
static inline void irq_start(struct __test_metadata *_metadata,
			     struct vcpu_test *t, const uint8_t *s,
			     const uint8_t *e, uint64_t arg, uint32_t flags)
{
	struct vcpu_setup setup = {
		.mode = GUEST_MODE, .flags = flags, .entry = VCPU_TEST_CODE_GPA,
		.stack = VCPU_TEST_STACK_GPA, .arg = arg,
	};
	int cpu = vcpu_current_cpu();

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, s, e);
	ASSERT_OK(ioctl(t->fd, VCPU_SETUP, &setup));
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(t->fd, cpu));
	t->cpu = cpu;
}

#define IRQ_START(snippet, arg, flags)					\
	irq_start(_metadata, &self->t, snippet##_start, snippet##_end,	\
		  arg, flags)

/* Start one VCPU_RUN of t on a thread pinned to its CPU. */
static inline void irq_run_async(struct __test_metadata *_metadata,
				 struct irq_async *a, const struct vcpu_test *t)
{
	a->r.fd = t->fd;
	a->r.cpu = t->cpu;
	a->r.start = NULL;
	ASSERT_OK(vcpu_runner_start(&a->r));
	a->running = 1;
}

/* That VCPU_RUN returned within timeout_ms, with ret/errno err and exit. */
static inline void irq_run_join(struct __test_metadata *_metadata,
				struct irq_async *a, const struct vcpu_test *t,
				int timeout_ms, int ret, int err, uint32_t exit)
{
	int late = vcpu_runner_wait(&a->r, timeout_ms);

	if (late)
		TH_LOG("VCPU_RUN did not return within %d ms", timeout_ms);
	ASSERT_EQ(0, late);
	ASSERT_OK(vcpu_runner_join(&a->r));
	a->running = 0;
	if (a->r.ret != ret || t->run->exit_reason != exit)
		TH_LOG("RUN: %d %s, exit %s; expected %d %s, %s", a->r.ret,
		       vcpu_errno_name(a->r.err),
		       vcpu_exit_name(t->run->exit_reason), ret,
		       vcpu_errno_name(err), vcpu_exit_name(exit));
	ASSERT_EQ(ret, a->r.ret);
	if (ret)
		ASSERT_EQ(err, a->r.err);
	ASSERT_EQ(exit, t->run->exit_reason);
}

/* Teardown: never leave a runner behind (kick it out, then join). */
static inline void irq_async_stop(struct irq_async *a, int fd)
{
	if (!a->running)
		return;
	ioctl(fd, VCPU_KICK, 0);
	vcpu_runner_wait(&a->r, 5000);
	vcpu_runner_join(&a->r);
	a->running = 0;
}

/* Wait until the vCPU on fd is in state st (another thread runs it). */
static inline void irq_wait_state(struct __test_metadata *_metadata, int fd,
				  int st)
{
	int i, s = -1;

	for (i = 0; i < 5000; i++) {
		s = vcpu_state(fd);
		if (s == st)
			return;
		usleep(1000);
	}
	TH_LOG("state %s, waited for %s", vcpu_state_name(s),
	       vcpu_state_name(st));
	ASSERT_EQ(st, s);
}

#endif /* VCPU_IRQ_TEST_H */
