// SPDX-License-Identifier: GPL-2.0
/*
 * Task work between guest entries, through the kernel's generic
 * xfer_to_guest_mode_handle_work().  In this kernel that helper takes a
 * struct kvm_vcpu and, on a pending signal, only writes its run->exit_reason
 * and a signal counter; it never reads it.  It is given a private dummy
 * (shared by all vCPUs: the writes are constant and never read), and the
 * signal is reported through this module's own ABI.
 */
#include <linux/entry-kvm.h>
#include <linux/kvm_host.h>
#include <linux/sched/signal.h>

#include "arch.h"

static struct kvm_run vcpu_work_dummy_run;
static struct kvm_vcpu vcpu_work_dummy = { .run = &vcpu_work_dummy_run };

/*
 * The helper asserts (lockdep) that interrupts are off, as KVM calls it
 * right before entry.  The run loop asks earlier, with interrupts on: a
 * flag set after this check is seen at the next iteration, since every
 * backend enters with interrupts enabled up to the world switch and a
 * host interrupt makes the guest exit.
 */
bool vcpu_arch_work_pending(void)
{
	unsigned long flags;
	bool pending;

	local_irq_save(flags);
	pending = xfer_to_guest_mode_work_pending();
	local_irq_restore(flags);
	return pending;
}

int vcpu_arch_handle_work(void)
{
	if (signal_pending(current))
		return -EINTR;
	return xfer_to_guest_mode_handle_work(&vcpu_work_dummy);
}
