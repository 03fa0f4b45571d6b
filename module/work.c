// SPDX-License-Identifier: GPL-2.0
/*
 * Task work between guest entries, the same on every architecture and
 * kernel line: a pending signal (TIF_SIGPENDING or TIF_NOTIFY_SIGNAL, both
 * seen by signal_pending()) ends VCPU_RUN with -EINTR, a reschedule
 * request schedules.
 *
 * KVM calls the kernel's xfer_to_guest_mode_handle_work() instead; it
 * takes a struct kvm_vcpu (and arm64 6.1 does not build it), which this
 * module does not have.  TIF_NOTIFY_RESUME work (task_work queued with
 * TWA_RESUME, rseq, memcg throttling) is therefore left for the return to
 * user space that ends VCPU_RUN: task_work_run() is not exported to
 * modules, and turning the flag into -EINTR would interrupt the VMM at
 * every preemption of an rseq thread (glibc registers rseq for every
 * thread).  Work that must not wait comes with a signal (TWA_SIGNAL sets
 * TIF_NOTIFY_SIGNAL).
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "arch.h"

bool vcpu_arch_work_pending(void)
{
	return signal_pending(current) || need_resched();
}

int vcpu_arch_handle_work(void)
{
	while (vcpu_arch_work_pending()) {
		if (signal_pending(current))
			return -EINTR;
		schedule();
	}
	return 0;
}
