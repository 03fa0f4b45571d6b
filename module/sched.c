// SPDX-License-Identifier: GPL-2.0
/*
 * The loaded window of a vCPU: host state switched once per RUN, not once
 * per entry.
 *
 * Some host state is the same before every entry of one RUN and is not
 * used by the kernel between entries (on VMX: the data segment selectors,
 * MSR_KERNEL_GS_BASE, the GDT and TSS limits a VM exit leaves wrong).  A
 * backend with vcpu_load/vcpu_put switches it when the run loop starts and
 * when it ends, instead of around every world switch.  The task may sleep
 * or be preempted in between (HLT blocking, task work, cond_resched): a
 * preempt notifier puts the state back before any other task runs on the
 * CPU and loads it again when this task runs again, on whichever CPU that
 * is.  Load and put always run with preemption disabled, on the CPU whose
 * registers they change.
 */
#include <linux/preempt.h>

#include "backend.h"
#include "vcpu.h"

static inline struct vcpu *vcpu_of_pn(struct preempt_notifier *pn)
{
	return container_of(pn, struct vcpu, pn);
}

static void vcpu_sched_in(struct preempt_notifier *pn, int cpu)
{
	vcpu_backend->vcpu_load(vcpu_of_pn(pn));
}

static void vcpu_sched_out(struct preempt_notifier *pn,
			   struct task_struct *next)
{
	vcpu_backend->vcpu_put(vcpu_of_pn(pn));
}

static struct preempt_ops vcpu_preempt_ops = {
	.sched_in	= vcpu_sched_in,
	.sched_out	= vcpu_sched_out,
};

static bool vcpu_sched_used(void)
{
	return vcpu_backend->vcpu_load && vcpu_backend->vcpu_put;
}

void vcpu_sched_init(void)
{
	if (vcpu_sched_used())
		preempt_notifier_inc();
}

void vcpu_sched_exit(void)
{
	if (vcpu_sched_used())
		preempt_notifier_dec();
}

void vcpu_sched_vcpu_init(struct vcpu *vcpu)
{
	preempt_notifier_init(&vcpu->pn, &vcpu_preempt_ops);
}

void vcpu_sched_load(struct vcpu *vcpu)
{
	if (!vcpu_sched_used())
		return;
	preempt_disable();
	vcpu_backend->vcpu_load(vcpu);
	preempt_notifier_register(&vcpu->pn);
	preempt_enable();
}

void vcpu_sched_put(struct vcpu *vcpu)
{
	if (!vcpu_sched_used())
		return;
	preempt_disable();
	preempt_notifier_unregister(&vcpu->pn);
	vcpu_backend->vcpu_put(vcpu);
	preempt_enable();
}
