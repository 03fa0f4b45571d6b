// SPDX-License-Identifier: GPL-2.0
/*
 * VCPU_BENCH_FLOOR: the world-switch floor that make bench reports next to
 * the full exit paths.  Debug only: the ioctl answers ENOTTY unless the
 * module was loaded with bench_floor=1.
 *
 * It makes @count entries (vcpu_entry(): interrupts off, the guest's
 * XCR0/PKRU and the per-entry host state switch, the entry/exit assembly, TLB/ASID/VMID
 * checks, the decoding of the exit) and nothing more: none of the core
 * run loop around them (completion, delivery decision, per-exit
 * statistics and tracepoints, the pending-work check, publishing to the
 * shared page); the guest's FPU registers are swapped in once, around the
 * loop, as for a RUN.  Any exit but a fatal one is
 * simply re-entered, so the guest must make progress by itself (a
 * hypercall loop: the backend steps over the instruction).  Between
 * entries it only yields the CPU when asked and stops on a signal.
 *
 * State machine: the same as VCPU_RUN (Ready -> Running -> Ready), and
 * refused with EBUSY while an exit waits for its completion, since the
 * floor overwrites the kernel's copy of the last exit.
 */
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "arch.h"
#include "backend.h"
#include "entry.h"
#include "vcpu.h"

static bool vcpu_bench_floor;
module_param_named(bench_floor, vcpu_bench_floor, bool, 0444);
MODULE_PARM_DESC(bench_floor, "offer the debug-only VCPU_BENCH_FLOOR ioctl (make bench)");

static bool vcpu_floor_fatal(u32 reason)
{
	return reason == VCPU_EXIT_FAIL_ENTRY || reason == VCPU_EXIT_SHUTDOWN;
}

long vcpu_floor_ioctl(struct vcpu *vcpu, u64 __user *argp)
{
	struct vcpu_run_affinity aff = {};
	u64 count, i;
	u32 prev;
	int ret;

	if (!vcpu_bench_floor)
		return -ENOTTY;
	if (get_user(count, argp))
		return -EFAULT;
	if (!count || count > 10000000)
		return -EINVAL;
	ret = vcpu_op_begin(vcpu, VCPU_OP_RUN, &prev);
	if (ret)
		return ret;
	if (vcpu->pending) {
		ret = -EBUSY;
		goto out;
	}
	ret = vcpu_run_pin(vcpu, &aff);
	if (ret)
		goto out;
	vcpu_sched_load(vcpu);
	vcpu_arch_run_begin(vcpu);
	for (i = 0; i < count; i++) {
		memset(&vcpu->exit, 0, sizeof(vcpu->exit));
		ret = vcpu_entry(vcpu, &vcpu->exit);
		if (ret) {
			ret = vcpu_run_retry(vcpu, &aff, ret);
			if (ret)
				break;
			continue;
		}
		if (vcpu->exit.exit_reason == VCPU_EXIT_INTERNAL_ERROR) {
			vcpu_fail(vcpu, VCPU_OP_RUN, EIO, 0,
				  "bench floor: unhandled exit (suberror %u)",
				  vcpu->exit.internal.suberror);
			ret = -EIO;
			break;
		}
		if (vcpu_floor_fatal(vcpu->exit.exit_reason)) {
			vcpu_run_fatal_exit(vcpu);
			ret = -EIO;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	vcpu->stats.entries += i;
	vcpu_arch_run_end(vcpu);
	vcpu_sched_put(vcpu);
	vcpu_run_unpin(&aff);
out:
	vcpu_op_end(vcpu, VCPU_OP_RUN, prev, ret);
	return ret;
}
