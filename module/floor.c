// SPDX-License-Identifier: GPL-2.0
/*
 * The bench floor: the world-switch floor that make bench reports next to
 * the full exit paths.  Debug only and not ABI: with the module loaded with
 * bench_floor=1, the thread a vCPU is bound to writes "FD COUNT" (its vCPU
 * fd, decimal) to /sys/kernel/debug/vcpu/bench_floor; the write returns
 * when the entries are done (EINTR on a signal, the errors of VCPU_RUN).
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
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "arch.h"
#include "compat.h"
#include "backend.h"
#include "entry.h"
#include "vcpu.h"

static bool vcpu_bench_floor;
module_param_named(bench_floor, vcpu_bench_floor, bool, 0444);
MODULE_PARM_DESC(bench_floor, "offer the debug-only bench floor in debugfs (make bench)");

static bool vcpu_floor_fatal(u32 reason)
{
	return reason == VCPU_EXIT_FAIL_ENTRY || reason == VCPU_EXIT_SHUTDOWN;
}

static int vcpu_floor_run(struct vcpu *vcpu, u64 count)
{
	struct vcpu_run_affinity aff = {};
	u32 prev;
	u64 i;
	int ret;

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

/* "FD COUNT": the vCPU fd stays open (fdget) while its floor runs. */
static ssize_t vcpu_floor_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct vcpu *vcpu;
	unsigned int fd;
	struct fd f;
	char buf[48];
	u64 count;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%u %llu", &fd, &count) != 2)
		return -EINVAL;
	f = fdget(fd);
	if (!fd_file(f))
		return -EBADF;
	vcpu = vcpu_from_file(fd_file(f));
	ret = vcpu ? vcpu_floor_run(vcpu, count) : -EINVAL;
	fdput(f);
	return ret ? ret : len;
}

static const struct file_operations vcpu_floor_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= vcpu_floor_write,
	.llseek	= noop_llseek,
};

void vcpu_floor_debugfs_init(struct dentry *root)
{
	if (vcpu_bench_floor)
		debugfs_create_file("bench_floor", 0200, root, NULL,
				    &vcpu_floor_fops);
}
