// SPDX-License-Identifier: GPL-2.0
/*
 * The exit delivery filter: per exit kind, does userspace see it or does
 * the kernel handle it?  Only kinds the kernel can complete on its own may
 * be filtered (VCPU_EXIT_FILTER_KERNEL):
 *   HALT                the vCPU blocks until an interrupt, a kick or a
 *                       signal (run.c);
 *   EXTERNAL_INTERRUPT  the host serviced it already: just re-enter;
 *   HYPERCALL           numbers VCPU_HC_BASE..VCPU_HC_LAST are the
 *                       kernel's (others are still delivered).
 */
#include <linux/uaccess.h>

#include "backend.h"
#include "vcpu.h"

#define VCPU_FILTER_DEFAULT	(BIT(VCPU_EXIT_EXTERNAL_INTERRUPT) | \
				 BIT(VCPU_EXIT_HYPERCALL))

void vcpu_filter_setup(struct vcpu *vcpu, u32 setup_flags)
{
	u32 f = VCPU_FILTER_DEFAULT;

	if (setup_flags & VCPU_SETUP_F_EXIT_ON_EXTINT)
		f &= ~BIT(VCPU_EXIT_EXTERNAL_INTERRUPT);
	if (setup_flags & VCPU_SETUP_F_HALT_IN_KERNEL)
		f |= BIT(VCPU_EXIT_HALT);
	WRITE_ONCE(vcpu->filter, f);
}

long vcpu_filter_ioctl(struct vcpu *vcpu, void __user *argp, bool set)
{
	struct vcpu_exit_filter f = {};
	u32 prev;
	int ret, i;

	if (!set) {
		f.in_kernel = READ_ONCE(vcpu->filter);
		return copy_to_user(argp, &f, sizeof(f)) ? -EFAULT : 0;
	}
	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	if (f.in_kernel & ~VCPU_EXIT_FILTER_KERNEL || f.flags)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(f.reserved); i++)
		if (f.reserved[i])
			return -EINVAL;
	ret = vcpu_op_begin(vcpu, VCPU_OP_SET_EXIT_FILTER, &prev);
	if (ret)
		return ret;
	WRITE_ONCE(vcpu->filter, f.in_kernel);
	vcpu_op_end(vcpu, VCPU_OP_SET_EXIT_FILTER, prev, 0);
	return 0;
}

/* The kernel's hypercalls: the value the guest gets back. */
static u64 vcpu_filter_hypercall(const struct vcpu_exit_hypercall *hc)
{
	switch (hc->nr) {
	case VCPU_HC_PING:
		return hc->args[0] + 1;
	default:
		return VCPU_HC_ENOSYS;
	}
}

bool vcpu_filter_absorb(struct vcpu *vcpu, struct vcpu_run *exit)
{
	u32 f = vcpu->filter;

	switch (exit->exit_reason) {
	case VCPU_EXIT_NOTHING:
		return true;
	case VCPU_EXIT_EXTERNAL_INTERRUPT:
		return f & BIT(VCPU_EXIT_EXTERNAL_INTERRUPT);
	case VCPU_EXIT_HYPERCALL:
		if (!(f & BIT(VCPU_EXIT_HYPERCALL)) ||
		    exit->hypercall.nr < VCPU_HC_BASE ||
		    exit->hypercall.nr > VCPU_HC_LAST)
			return false;
		vcpu_backend->vcpu_complete(vcpu, exit,
					    vcpu_filter_hypercall(&exit->hypercall));
		return true;
	default:
		return false;
	}
}
