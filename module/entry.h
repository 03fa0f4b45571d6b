/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One guest entry and exit: the sequence every backend shares, written
 * once.  A backend provides the steps that touch its hardware
 * (backend.h); the order of events around them is this:
 *
 *   vcpu_arch_entry_begin()  preemption off
 *   bound CPU?               else -EAGAIN: the caller re-pins the task
 *   local_irq_disable()      the decisions below (TLB tags, interrupt
 *                            injection) must not be undone by a
 *                            migration, a TLB kick or an injection
 *   owned?                   this module has the extension enabled on
 *                            this CPU at this moment (cpu.c), else -ENODEV
 *   vcpu_guest_enter()       the kick protocol (kick.c)
 *   enter                    the backend's world switch
 *   host interrupt           the one that made the guest exit is named,
 *                            then the host takes it (interrupts opened
 *                            for a moment)
 *   vcpu_guest_exit(), local_irq_enable(), vcpu_arch_entry_end()
 *   handle_exit              the backend decodes the exit
 */
#ifndef VCPU_ENTRY_H
#define VCPU_ENTRY_H

#include <linux/irqflags.h>
#include <linux/smp.h>

#include "arch.h"
#include "backend.h"
#include "vcpu.h"

/*
 * Inline in its two callers (the run loop and the bench floor): it is the
 * hot path of every exit, and a call more costs a return thunk more.
 * Returns 0 with @exit filled, -EAGAIN when the task is not on the bound
 * CPU, -ENODEV when this module does not hold the extension there.
 */
static __always_inline int vcpu_entry(struct vcpu *vcpu,
				      struct vcpu_run *exit)
{
	const struct vcpu_backend_ops *ops = vcpu_backend;
	u32 vector = 0, host;
	int cpu;

	vcpu_arch_entry_begin(vcpu);
	cpu = smp_processor_id();
	if (cpu != vcpu->cpu) {
		vcpu_arch_entry_end(vcpu);
		return -EAGAIN;
	}
	local_irq_disable();
	/*
	 * Read with interrupts off on this CPU: the flag changes only on
	 * this CPU, from a hotplug callback or an IPI (cpu.c), neither of
	 * which can run before local_irq_enable() below.
	 */
	if (!vcpu_cpu_owned()) {
		local_irq_enable();
		vcpu_arch_entry_end(vcpu);
		return -ENODEV;
	}
	if (!vcpu_guest_enter(vcpu)) {
		exit->exit_reason = VCPU_EXIT_NOTHING;
		goto out;
	}
	host = ops->enter(vcpu, cpu);
	if (host & VCPU_ENTER_HOST_IRQ)
		vector = vcpu_arch_irq_fetch();
	if (ops->leave)
		ops->leave(vcpu);
	if (host)
		vcpu_arch_irq_handler();
	vcpu_guest_exit(vcpu);
	local_irq_enable();
	vcpu_arch_entry_end(vcpu);
	ops->handle_exit(vcpu, vector, exit);
	if (exit->exit_reason == VCPU_EXIT_FAIL_ENTRY)
		exit->fail_entry.cpu = cpu;
	return 0;

out:
	local_irq_enable();
	vcpu_arch_entry_end(vcpu);
	return 0;
}

#endif /* VCPU_ENTRY_H */
