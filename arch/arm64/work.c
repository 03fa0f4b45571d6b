// SPDX-License-Identifier: GPL-2.0
/*
 * Task work between guest entries.  The kernel's generic
 * xfer_to_guest_mode_handle_work() is not built for arm64 in 6.1, so this
 * is the same loop by hand: a pending signal (TIF_SIGPENDING or
 * TIF_NOTIFY_SIGNAL, both seen by signal_pending()) ends VCPU_RUN with
 * -EINTR, a reschedule request schedules.
 *
 * TIF_NOTIFY_RESUME work (task_work queued with TWA_RESUME, rseq, memcg
 * throttling) is left for the return to user space that ends VCPU_RUN:
 * task_work_run() is not exported to modules, and turning the flag into
 * -EINTR would interrupt the VMM at every preemption of an rseq thread.
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
