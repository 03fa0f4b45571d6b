/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPU state machine rules, as data.  Pure logic: the host unit tests
 * compile it too.  The caller holds the vCPU's spinlock around
 * vcpu_state_check() and the state update that follows it.
 */
#ifndef VCPU_STATE_H
#define VCPU_STATE_H

#include <linux/types.h>

enum vcpu_op {
	VCPU_OP_SETUP,
	VCPU_OP_BIND,
	VCPU_OP_UNBIND,
	VCPU_OP_RUN,
	VCPU_OP_GET_REGS,
	VCPU_OP_SET_REGS,
	VCPU_OP_SET_EXIT_FILTER,
	VCPU_OP_CPUID,		/* VCPU_SET_CPUID and VCPU_GET_CPUID */
	VCPU_OP_NR,
};

/* 0 if @op may start in @state, else the documented negative errno. */
int vcpu_state_check(u32 state, bool busy, enum vcpu_op op);
/*
 * VCPU_KICK and VCPU_INJECT_IRQ do not start an operation: they reach a
 * vCPU that is Ready, Running or Blocked, whoever is running it.  0 if
 * @state allows them, -EIO when Invalid, -EBADFD otherwise.
 */
int vcpu_state_check_async(u32 state);
/* The state while @op runs (Running for RUN, unchanged otherwise). */
u32 vcpu_state_during(enum vcpu_op op, u32 state);
/* The state after @op succeeded, starting from @state. */
u32 vcpu_state_after(enum vcpu_op op, u32 state);
const char *vcpu_state_name(u32 state);
const char *vcpu_op_name(enum vcpu_op op);
/* _IOC_NR() of the ioctl behind @op, as reported in fail_op. */
u32 vcpu_op_ioctl_nr(enum vcpu_op op);

#endif /* VCPU_STATE_H */
