// SPDX-License-Identifier: GPL-2.0
/* The vCPU state machine rules, every (state, busy, op) combination. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "module/state.h"
#include <uapi/linux/vcpu.h>

#define NSTATES	(VCPU_STATE_BLOCKED + 1)

/* The documented rule, written independently of the table in state.c. */
static int expected_errno(unsigned int state, int busy, enum vcpu_op op)
{
	int allowed;

	switch (op) {
	case VCPU_OP_SETUP:
		allowed = state == VCPU_STATE_CREATED;
		break;
	case VCPU_OP_BIND:
		allowed = state == VCPU_STATE_FREE;
		break;
	case VCPU_OP_UNBIND:
	case VCPU_OP_RUN:
		allowed = state == VCPU_STATE_READY;
		break;
	case VCPU_OP_GET_REGS:
		allowed = state == VCPU_STATE_FREE ||
			  state == VCPU_STATE_READY ||
			  state == VCPU_STATE_INVALID;
		break;
	case VCPU_OP_SET_REGS:
	case VCPU_OP_SET_EXIT_FILTER:
	case VCPU_OP_CPUID:
		allowed = state == VCPU_STATE_FREE || state == VCPU_STATE_READY;
		break;
	default:
		return -EINVAL;
	}
	if (busy || state == VCPU_STATE_RUNNING ||
	    state == VCPU_STATE_BLOCKED)
		return -EBUSY;
	if (allowed)
		return 0;
	return state == VCPU_STATE_INVALID ? -EIO : -EBADFD;
}

UNIT_TEST(state_every_combination)
{
	unsigned int state, busy, op;

	for (state = 0; state < NSTATES; state++)
		for (busy = 0; busy < 2; busy++)
			for (op = 0; op < VCPU_OP_NR; op++)
				UNIT_EXPECT_EQ(vcpu_state_check(state, busy, op),
					       expected_errno(state, busy, op));
}

/* KICK and INJECT_IRQ reach Ready, Running and Blocked vCPUs only. */
UNIT_TEST(state_async_calls)
{
	UNIT_EXPECT_EQ(vcpu_state_check_async(VCPU_STATE_READY), 0);
	UNIT_EXPECT_EQ(vcpu_state_check_async(VCPU_STATE_RUNNING), 0);
	UNIT_EXPECT_EQ(vcpu_state_check_async(VCPU_STATE_BLOCKED), 0);
	UNIT_EXPECT_EQ(vcpu_state_check_async(VCPU_STATE_INVALID), -EIO);
	UNIT_EXPECT_EQ(vcpu_state_check_async(VCPU_STATE_CREATED), -EBADFD);
	UNIT_EXPECT_EQ(vcpu_state_check_async(VCPU_STATE_FREE), -EBADFD);
	UNIT_EXPECT_EQ(vcpu_state_check_async(77), -EBADFD);
}

UNIT_TEST(state_lifecycle)
{
	u32 s = VCPU_STATE_CREATED;

	UNIT_ASSERT_EQ(vcpu_state_check(s, 0, VCPU_OP_SETUP), 0);
	s = vcpu_state_after(VCPU_OP_SETUP, s);
	UNIT_ASSERT_EQ(s, VCPU_STATE_FREE);
	s = vcpu_state_after(VCPU_OP_BIND, s);
	UNIT_ASSERT_EQ(s, VCPU_STATE_READY);
	UNIT_EXPECT_EQ(vcpu_state_during(VCPU_OP_RUN, s), VCPU_STATE_RUNNING);
	UNIT_EXPECT_EQ(vcpu_state_after(VCPU_OP_RUN, s), VCPU_STATE_READY);
	UNIT_EXPECT_EQ(vcpu_state_during(VCPU_OP_GET_REGS, s), s);
	UNIT_EXPECT_EQ(vcpu_state_after(VCPU_OP_SET_REGS, s), s);
	s = vcpu_state_after(VCPU_OP_UNBIND, s);
	UNIT_EXPECT_EQ(s, VCPU_STATE_FREE);
}

UNIT_TEST(state_bad_arguments)
{
	UNIT_EXPECT_EQ(vcpu_state_check(NSTATES, 0, VCPU_OP_RUN), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_state_check(VCPU_STATE_READY, 0, VCPU_OP_NR),
		       -EINVAL);
	UNIT_EXPECT(!strcmp(vcpu_state_name(VCPU_STATE_BLOCKED), "Blocked"));
	UNIT_EXPECT(!strcmp(vcpu_state_name(99), "?"));
	UNIT_EXPECT(!strcmp(vcpu_op_name(VCPU_OP_RUN), "run"));
	UNIT_EXPECT(!strcmp(vcpu_op_name(VCPU_OP_NR), "?"));
}

UNIT_TEST(state_op_ioctl_nr)
{
	UNIT_EXPECT_EQ(vcpu_op_ioctl_nr(VCPU_OP_SETUP), _IOC_NR(VCPU_SETUP));
	UNIT_EXPECT_EQ(vcpu_op_ioctl_nr(VCPU_OP_RUN), _IOC_NR(VCPU_RUN));
	UNIT_EXPECT_EQ(vcpu_op_ioctl_nr(VCPU_OP_SET_REGS),
		       _IOC_NR(VCPU_SET_REGS));
	UNIT_EXPECT_EQ(vcpu_op_ioctl_nr(VCPU_OP_NR), 0);
}
