// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching a vCPU from another thread: VCPU_KICK, VCPU_INJECT_IRQ and
 * VCPU_INJECT_NMI.
 *
 * Neither takes the vCPU's operation (a RUN may be in progress): the
 * request is a bit (vcpu->requests, vcpu->irq_pending) set without any
 * lock the runner holds, then the runner is made to look at it:
 *   - Blocked (asleep in HLT/WFI): wake its wait queue;
 *   - in the guest: an IPI to the bound CPU makes the guest exit.
 *
 * No request is lost to the race with an entry.  The runner publishes
 * vcpu->guest_mode = IN_GUEST with interrupts disabled and a full barrier,
 * then reads the requests and the queue; the requester sets its bit, a
 * full barrier, then reads guest_mode.  Either the runner sees the bit
 * (no entry for a kick, injection for an interrupt) or the requester sees
 * IN_GUEST and sends the IPI, which stays pending while the runner's
 * interrupts are off and makes the guest exit right after the entry.
 *
 * The queue is a bitmap of VCPU_IRQ_MAX bits, looked at before every entry.
 * So that an empty queue costs one bit test rather than a scan of 16
 * words, VCPU_REQ_IRQ summarises it: set after any interrupt is queued,
 * cleared by the runner only when a scan found the queue empty.  The
 * runner clears it, a full barrier, then scans again; the requester sets
 * its interrupt's bit, a full barrier, then VCPU_REQ_IRQ.  An interrupt
 * the second scan misses was queued after it, so its VCPU_REQ_IRQ lands
 * after the runner's clear and stays set.
 */
#include <linux/bitmap.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

#include "backend.h"
#include "vcpu.h"

/* @irq (< VCPU_IRQ_MAX) into the queue, then the summary: see above. */
static void vcpu_irq_queue(struct vcpu *vcpu, u32 irq)
{
	set_bit(irq, vcpu->irq_pending);
	/* The interrupt before the summary: pairs with vcpu_irq_queued(). */
	smp_mb__after_atomic();
	set_bit(VCPU_REQ_IRQ, &vcpu->requests);
}

/* Is the queue non-empty?  Clears the summary when it is empty. */
bool vcpu_irq_queued(struct vcpu *vcpu)
{
	if (!test_bit(VCPU_REQ_IRQ, &vcpu->requests))
		return false;
	if (!bitmap_empty(vcpu->irq_pending, VCPU_IRQ_MAX))
		return true;
	clear_bit(VCPU_REQ_IRQ, &vcpu->requests);
	/* The clear before the rescan: pairs with vcpu_irq_queue(). */
	smp_mb__after_atomic();
	if (bitmap_empty(vcpu->irq_pending, VCPU_IRQ_MAX))
		return false;
	set_bit(VCPU_REQ_IRQ, &vcpu->requests);
	return true;
}

static void vcpu_kick_nop(void *info)
{
}

/* After a request bit was set: make the runner see it promptly. */
static void vcpu_kick_runner(struct vcpu *vcpu)
{
	int cpu;

	/* Orders the request bit before reading guest_mode: see above. */
	smp_mb__after_atomic();
	wake_up_interruptible(&vcpu->wq);
	if (READ_ONCE(vcpu->guest_mode) != VCPU_IN_GUEST)
		return;
	/*
	 * The vCPU cannot be unbound while it is in the guest, and a CPU in
	 * a guest with interrupts off cannot go offline; should the vCPU
	 * have left meanwhile, the IPI is harmless, and an offline CPU gives
	 * -ENXIO here rather than a warning.
	 */
	cpu = READ_ONCE(vcpu->cpu);
	if (cpu >= 0)
		smp_call_function_single(cpu, vcpu_kick_nop, NULL, 0);
}

static int vcpu_async_check(struct vcpu *vcpu)
{
	int ret;

	spin_lock(&vcpu->lock);
	ret = vcpu_state_check_async(vcpu->state);
	spin_unlock(&vcpu->lock);
	return ret;
}

long vcpu_kick_ioctl(struct vcpu *vcpu)
{
	int ret = vcpu_async_check(vcpu);

	if (ret)
		return ret;
	set_bit(VCPU_REQ_KICK, &vcpu->requests);
	vcpu_kick_runner(vcpu);
	return 0;
}

long vcpu_inject_irq_ioctl(struct vcpu *vcpu, void __user *argp)
{
	struct vcpu_irq irq;
	int ret;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.flags || irq.irq < vcpu_backend->irq_min ||
	    irq.irq > vcpu_backend->irq_max)
		return -EINVAL;
	ret = vcpu_async_check(vcpu);
	if (ret)
		return ret;
	vcpu_irq_queue(vcpu, irq.irq);
	vcpu_kick_runner(vcpu);
	return 0;
}

/*
 * An NMI: a request bit, which is its latch (a second one while it is set
 * is the same NMI); the backend moves it into its own state at entry.
 */
long vcpu_inject_nmi_ioctl(struct vcpu *vcpu)
{
	int ret;

	if (!vcpu_backend->has_nmi)
		return -ENOTTY;
	ret = vcpu_async_check(vcpu);
	if (ret)
		return ret;
	set_bit(VCPU_REQ_NMI, &vcpu->requests);
	vcpu_kick_runner(vcpu);
	return 0;
}

bool vcpu_guest_enter(struct vcpu *vcpu)
{
	lockdep_assert_irqs_disabled();
	/* Orders guest_mode before reading the requests: see above. */
	smp_store_mb(vcpu->guest_mode, VCPU_IN_GUEST);
	if (!test_bit(VCPU_REQ_KICK, &vcpu->requests))
		return true;
	WRITE_ONCE(vcpu->guest_mode, VCPU_OUTSIDE_GUEST);
	return false;
}

void vcpu_guest_exit(struct vcpu *vcpu)
{
	WRITE_ONCE(vcpu->guest_mode, VCPU_OUTSIDE_GUEST);
}

int vcpu_irq_take(struct vcpu *vcpu)
{
	unsigned long irq;

	if (!vcpu_irq_queued(vcpu))
		return -1;
	for (;;) {
		irq = find_last_bit(vcpu->irq_pending, VCPU_IRQ_MAX);
		if (irq >= VCPU_IRQ_MAX)
			return -1;
		if (test_and_clear_bit(irq, vcpu->irq_pending))
			return irq;
	}
}

void vcpu_irq_requeue(struct vcpu *vcpu, u32 irq)
{
	if (irq < VCPU_IRQ_MAX)
		vcpu_irq_queue(vcpu, irq);
}

bool vcpu_irq_pending(struct vcpu *vcpu)
{
	if (vcpu_irq_queued(vcpu) || test_bit(VCPU_REQ_NMI, &vcpu->requests))
		return true;
	return vcpu_backend->vcpu_irq_held && vcpu_backend->vcpu_irq_held(vcpu);
}
