// SPDX-License-Identifier: GPL-2.0
/*
 * VCPU_RUN: complete the pending exit, enter the guest on the bound CPU
 * until an exit userspace must see, and publish it in the shared page.
 *
 * The shared page is untrusted: userspace may rewrite it at any time.  The
 * kernel reads immediate_exit and the completion field of the pending
 * exit exactly once each; what it applies (register, width, extension) it
 * takes from vcpu->exit, its own copy of the exit it published.
 */
#include <linux/cpumask.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "arch.h"
#include "backend.h"
#include "entry.h"
#include "trace.h"
#include "vcpu.h"

/* The completion ("in") value of a pending exit, or false if none. */
static bool vcpu_run_completion(const struct vcpu_run *run, u32 reason,
				u64 *value)
{
	switch (reason) {
	case VCPU_EXIT_HYPERCALL:
		*value = READ_ONCE(run->hypercall.ret);
		return true;
	case VCPU_EXIT_MMIO_READ:
		*value = READ_ONCE(run->mmio.data);
		return true;
	case VCPU_EXIT_SYSREG_READ:
		*value = READ_ONCE(run->sysreg.value);
		return true;
	case VCPU_EXIT_IO_READ:
		*value = READ_ONCE(run->io.data);
		return true;
	default:
		return false;
	}
}

/*
 * The guest is halted in a HLT/WFI the kernel handles (VCPU_EXIT_HALT in
 * the filter): Running -> Blocked until an interrupt is pending, a kick or
 * a signal arrives.  The guest already advanced past the instruction;
 * vcpu->halted stays set until an interrupt comes, across an interrupted
 * RUN too, so that the guest does not run on without one.
 */
static int vcpu_run_block(struct vcpu *vcpu)
{
	int ret = 0;

	if (!vcpu_irq_pending(vcpu)) {
		if (vcpu_backend->vcpu_block)
			vcpu_backend->vcpu_block(vcpu, true);
		vcpu_set_blocked(vcpu, true);
		ret = wait_event_interruptible(vcpu->wq,
			vcpu_irq_pending(vcpu) ||
			test_bit(VCPU_REQ_KICK, &vcpu->requests));
		vcpu_set_blocked(vcpu, false);
		if (vcpu_backend->vcpu_block)
			vcpu_backend->vcpu_block(vcpu, false);
	}
	if (vcpu_irq_pending(vcpu))
		vcpu->halted = false;
	return ret ? -EINTR : 0;
}

static bool vcpu_run_halt_in_kernel(struct vcpu *vcpu)
{
	return READ_ONCE(vcpu->filter) & BIT(VCPU_EXIT_HALT);
}

/*
 * A vCPU runs only on its bound CPU.  A thread that is already pinned
 * there (the usual VMM setup) pays nothing; any other thread is pinned for
 * the duration of VCPU_RUN and gets its own affinity back afterwards.
 */
int vcpu_run_pin(struct vcpu *vcpu, struct vcpu_run_affinity *aff)
{
	int ret;

	/* Allowed on exactly one CPU, the bound one (no bitmap compare). */
	if (current->nr_cpus_allowed == 1 &&
	    cpumask_test_cpu(vcpu->cpu, current->cpus_ptr))
		return 0;
	if (!aff->saved) {
		if (!alloc_cpumask_var(&aff->mask, GFP_KERNEL))
			return -ENOMEM;
		cpumask_copy(aff->mask, &current->cpus_mask);
		aff->saved = true;
	}
	ret = set_cpus_allowed_ptr(current, cpumask_of(vcpu->cpu));
	return ret == -EINVAL ? -ENXIO : ret;
}

void vcpu_run_unpin(struct vcpu_run_affinity *aff)
{
	if (aff->saved) {
		set_cpus_allowed_ptr(current, aff->mask);
		free_cpumask_var(aff->mask);
	}
}

/*
 * An entry that could not happen (vcpu_entry()): -EAGAIN, the task was
 * not on the bound CPU: pin it there again; -ENODEV, this module does not
 * hold the extension there at the moment: take it back if nobody else
 * holds it now (cpu.c).  Returns 0 to try again, or the errno RUN fails
 * with, the vCPU staying Ready.
 */
int vcpu_run_retry(struct vcpu *vcpu, struct vcpu_run_affinity *aff, int err)
{
	if (err == -EAGAIN)
		return vcpu_run_pin(vcpu, aff);
	if (err == -ENODEV)
		return vcpu_cpu_reclaim(vcpu->cpu);
	return err;
}

static void vcpu_run_publish(struct vcpu *vcpu)
{
	struct vcpu_run *run = vcpu->run;

	memcpy(run->padding, vcpu->exit.padding, sizeof(run->padding));
	WRITE_ONCE(run->exit_reason, vcpu->exit.exit_reason);
	WRITE_ONCE(run->exit_seq, run->exit_seq + 1);
}

/* Interrupted: only exit_reason changes, a pending completion stays. */
static void vcpu_run_publish_intr(struct vcpu *vcpu)
{
	WRITE_ONCE(vcpu->last_exit, VCPU_EXIT_INTR);
	WRITE_ONCE(vcpu->run->exit_reason, VCPU_EXIT_INTR);
	WRITE_ONCE(vcpu->run->exit_seq, vcpu->run->exit_seq + 1);
}

/* The exit's key payload, for the tracepoint. */
static u64 vcpu_run_exit_info(const struct vcpu_run *e)
{
	switch (e->exit_reason) {
	case VCPU_EXIT_HYPERCALL:
		return e->hypercall.nr;
	case VCPU_EXIT_MMIO_READ:
	case VCPU_EXIT_MMIO_WRITE:
		return e->mmio.addr;
	case VCPU_EXIT_SYSREG_READ:
	case VCPU_EXIT_SYSREG_WRITE:
		return e->sysreg.addr;
	case VCPU_EXIT_IO_READ:
	case VCPU_EXIT_IO_WRITE:
		return e->io.port;
	case VCPU_EXIT_EXTERNAL_INTERRUPT:
		return e->external_interrupt.vector;
	case VCPU_EXIT_NESTED_PAGE_FAULT:
		return e->npf.gpa;
	case VCPU_EXIT_FAIL_ENTRY:
		return e->fail_entry.hardware_entry_failure_reason;
	default:
		return 0;
	}
}

/* One entry and exit happened between @t0 and @t1. */
static void vcpu_run_account(struct vcpu *vcpu, u64 t0, u64 t1)
{
	u32 reason = vcpu->exit.exit_reason;

	vcpu->stats.entries++;
	vcpu->stats.guest_ns += t1 - t0;
	vcpu_stats_exit(&vcpu->stats, reason);
	vcpu->exit_ns = t1;
	vcpu->exit_reason = reason;
	trace_vcpu_exit(vcpu->vm->id, vcpu->id, reason,
			vcpu_run_exit_info(&vcpu->exit));
}

void vcpu_run_fatal_exit(struct vcpu *vcpu)
{
	const struct vcpu_run *e = &vcpu->exit;

	switch (e->exit_reason) {
	case VCPU_EXIT_FAIL_ENTRY:
		vcpu_fail(vcpu, VCPU_OP_RUN, EIO,
			  e->fail_entry.hardware_entry_failure_reason,
			  "VM entry failed (hardware reason %#llx)",
			  e->fail_entry.hardware_entry_failure_reason);
		break;
	case VCPU_EXIT_SHUTDOWN:
		vcpu_fail(vcpu, VCPU_OP_RUN, EIO, 0,
			  "guest shutdown (triple fault)");
		break;
	}
}

long vcpu_run_ioctl(struct vcpu *vcpu)
{
	struct vcpu_run_affinity aff = {};
	struct vcpu_run *run = vcpu->run;
	u64 value, start, t0, t1;
	bool first = true, waited = false;
	u32 prev;
	int ret;

	ret = vcpu_op_begin(vcpu, VCPU_OP_RUN, &prev);
	if (ret)
		return ret;
	/* The first entry is timed from the start of the operation. */
	start = t0 = t1 = vcpu->op_ns;

	if (READ_ONCE(run->immediate_exit) || signal_pending(current) ||
	    vcpu_kick_take(vcpu)) {
		ret = -EINTR;
		goto intr;
	}
	if (vcpu->pending) {
		if (vcpu_run_completion(run, vcpu->exit.exit_reason, &value))
			vcpu_backend->vcpu_complete(vcpu, &vcpu->exit, value);
		vcpu->pending = false;
	}

	ret = vcpu_run_pin(vcpu, &aff);
	if (ret)
		goto out;
	/* Moved to the bound CPU: time the first entry on that CPU's clock. */
	waited = aff.saved;
	vcpu_sched_load(vcpu);
	vcpu_arch_run_begin(vcpu);
	for (;;) {
		/*
		 * A kick, or immediate_exit set meanwhile, stops the run
		 * before the next entry; one landing after this check is
		 * seen by vcpu_guest_enter() or exits the guest (kick.c).
		 */
		if (vcpu_kick_take(vcpu) ||
		    (!first && READ_ONCE(run->immediate_exit))) {
			ret = -EINTR;
			goto intr_unpin;
		}
		/*
		 * Halted: wait for an interrupt, or see the kick that woke us
		 * above.  A filter changed since the halt lets the guest go on.
		 */
		if (vcpu->halted) {
			if (!vcpu_run_halt_in_kernel(vcpu)) {
				vcpu->halted = false;
			} else {
				ret = vcpu_run_block(vcpu);
				waited = true;
				if (ret)
					goto intr_unpin;
				if (vcpu->halted)
					continue;
			}
		}
		if (vcpu_arch_work_pending()) {
			ret = vcpu_arch_handle_work();
			waited = true;
			if (ret)
				goto intr_unpin;
		}
		memset(&vcpu->exit, 0, sizeof(vcpu->exit));
		/*
		 * The clock is read once per entry: the last exit's time
		 * starts the next entry unless the loop slept or did work
		 * in between.  An exit handled in the kernel was handled
		 * inside the backend call, so it counts as guest time and
		 * as handled in no time.
		 */
		t0 = waited ? vcpu_now_ns() : t1;
		waited = false;
		first = false;
		if (vcpu->exit_ns) {
			vcpu_stats_handled(&vcpu->stats, vcpu->exit_reason,
					   t0 - vcpu->exit_ns);
			vcpu->exit_ns = 0;
		}
		trace_vcpu_entry(vcpu->vm->id, vcpu->id);
		ret = vcpu_entry(vcpu, &vcpu->exit);
		t1 = vcpu_now_ns();
		if (ret) {
			waited = true;
			ret = vcpu_run_retry(vcpu, &aff, ret);
			if (ret)
				goto out_unpin;
			continue;
		}
		vcpu_run_account(vcpu, t0, t1);
		if (vcpu->exit.exit_reason == VCPU_EXIT_HALT &&
		    vcpu_run_halt_in_kernel(vcpu)) {
			vcpu->halted = true;
			continue;
		}
		if (!vcpu_filter_absorb(vcpu, &vcpu->exit))
			break;
	}

	vcpu_run_fatal_exit(vcpu);
	vcpu->pending = vcpu_run_completion(&vcpu->exit,
					    vcpu->exit.exit_reason, &value);
	vcpu->stats.exits++;
	WRITE_ONCE(vcpu->last_exit, vcpu->exit.exit_reason);
	vcpu_run_publish(vcpu);
	vcpu_arch_run_end(vcpu);
	vcpu_sched_put(vcpu);
	vcpu_run_unpin(&aff);
	/* The exit's time ends the operation: no third clock read. */
	vcpu->stats.run_ns += t1 - start;
	vcpu_op_end_at(vcpu, VCPU_OP_RUN, prev, 0, t1);
	return 0;

out_unpin:
	vcpu_arch_run_end(vcpu);
	vcpu_sched_put(vcpu);
	vcpu_run_unpin(&aff);
out:
	t1 = vcpu_now_ns();
	vcpu->stats.run_ns += t1 - start;
	vcpu_op_end_at(vcpu, VCPU_OP_RUN, prev, ret, t1);
	return ret;

intr_unpin:
	vcpu_arch_run_end(vcpu);
	vcpu_sched_put(vcpu);
	vcpu_run_unpin(&aff);
intr:
	vcpu_run_publish_intr(vcpu);
	t1 = vcpu_now_ns();
	vcpu->stats.run_ns += t1 - start;
	vcpu_op_end_at(vcpu, VCPU_OP_RUN, prev, 0, t1);
	return -EINTR;
}
