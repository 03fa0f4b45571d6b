// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU state rules.  Unlike the design this follows, a call made in the
 * wrong state never changes the state: it only returns an errno.
 *
 *   Created -SETUP-> Free -BIND-> Ready -RUN-> Running -exit-> Ready,
 *   then -UNBIND-> Free; any fatal failure -> Invalid (terminal).
 *   Running -guest HLT/WFI handled in the kernel-> Blocked -wake-> Running.
 */
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <uapi/linux/vcpu.h>

#include "state.h"

#define VCPU_STATE_KEEP	0xff

struct vcpu_state_rule {
	u8 ioctl_nr;	/* _IOC_NR() of the ioctl that starts the op */
	u8 allowed;	/* bit mask of states the op may start from */
	u8 during;	/* state while the op runs, or KEEP */
	u8 after;	/* state after success, or KEEP */
	const char *name;
};

#define VCPU_RULE_NR(op, nr, from, dur, aft, nm)			\
	[VCPU_OP_##op] = { .ioctl_nr = _IOC_NR(VCPU_##nr), .allowed = (from), \
			   .during = (dur), .after = (aft), .name = (nm) }
#define VCPU_RULE(op, from, dur, aft, nm)				\
	VCPU_RULE_NR(op, op, from, dur, aft, nm)

static const struct vcpu_state_rule vcpu_state_rules[VCPU_OP_NR] = {
	VCPU_RULE(SETUP, BIT(VCPU_STATE_CREATED),
		  VCPU_STATE_KEEP, VCPU_STATE_FREE, "setup"),
	VCPU_RULE(BIND, BIT(VCPU_STATE_FREE),
		  VCPU_STATE_KEEP, VCPU_STATE_READY, "bind"),
	VCPU_RULE(UNBIND, BIT(VCPU_STATE_READY),
		  VCPU_STATE_KEEP, VCPU_STATE_FREE, "unbind"),
	VCPU_RULE(RUN, BIT(VCPU_STATE_READY),
		  VCPU_STATE_RUNNING, VCPU_STATE_READY, "run"),
	VCPU_RULE(GET_REGS, BIT(VCPU_STATE_FREE) | BIT(VCPU_STATE_READY) |
			    BIT(VCPU_STATE_INVALID),
		  VCPU_STATE_KEEP, VCPU_STATE_KEEP, "get_regs"),
	VCPU_RULE(SET_REGS, BIT(VCPU_STATE_FREE) | BIT(VCPU_STATE_READY),
		  VCPU_STATE_KEEP, VCPU_STATE_KEEP, "set_regs"),
	VCPU_RULE(SET_EXIT_FILTER, BIT(VCPU_STATE_FREE) | BIT(VCPU_STATE_READY),
		  VCPU_STATE_KEEP, VCPU_STATE_KEEP, "set_exit_filter"),
	VCPU_RULE_NR(CPUID, SET_CPUID, BIT(VCPU_STATE_FREE) | BIT(VCPU_STATE_READY),
		  VCPU_STATE_KEEP, VCPU_STATE_KEEP, "cpuid"),
};

static const char * const vcpu_state_names[] = {
	[VCPU_STATE_INVALID]	= "Invalid",
	[VCPU_STATE_CREATED]	= "Created",
	[VCPU_STATE_FREE]	= "Free",
	[VCPU_STATE_READY]	= "Ready",
	[VCPU_STATE_RUNNING]	= "Running",
	[VCPU_STATE_BLOCKED]	= "Blocked",
};

int vcpu_state_check(u32 state, bool busy, enum vcpu_op op)
{
	if (op >= VCPU_OP_NR || state > VCPU_STATE_BLOCKED)
		return -EINVAL;
	if (vcpu_state_rules[op].allowed & BIT(state))
		return busy ? -EBUSY : 0;
	if (busy || state == VCPU_STATE_RUNNING || state == VCPU_STATE_BLOCKED)
		return -EBUSY;
	if (state == VCPU_STATE_INVALID)
		return -EIO;
	return -EBADFD;
}

int vcpu_state_check_async(u32 state)
{
	switch (state) {
	case VCPU_STATE_READY:
	case VCPU_STATE_RUNNING:
	case VCPU_STATE_BLOCKED:
		return 0;
	case VCPU_STATE_INVALID:
		return -EIO;
	default:
		return -EBADFD;
	}
}

u32 vcpu_state_during(enum vcpu_op op, u32 state)
{
	u8 s = vcpu_state_rules[op].during;

	return s == VCPU_STATE_KEEP ? state : s;
}

u32 vcpu_state_after(enum vcpu_op op, u32 state)
{
	u8 s = vcpu_state_rules[op].after;

	return s == VCPU_STATE_KEEP ? state : s;
}

const char *vcpu_state_name(u32 state)
{
	return state < ARRAY_SIZE(vcpu_state_names) ? vcpu_state_names[state] :
	       "?";
}

u32 vcpu_op_ioctl_nr(enum vcpu_op op)
{
	return op < VCPU_OP_NR ? vcpu_state_rules[op].ioctl_nr : 0;
}

const char *vcpu_op_name(enum vcpu_op op)
{
	return op < VCPU_OP_NR ? vcpu_state_rules[op].name : "?";
}
