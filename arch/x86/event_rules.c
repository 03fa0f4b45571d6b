// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of VCPU_SET_EVENTS on x86 (include/uapi/linux/vcpu.h): which
 * exceptions the VMM may inject, with which error code and payload, and
 * which field values exist.  Pure logic, also built into the host unit
 * tests.
 */
#include <linux/bits.h>
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#include "events.h"

/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code. */
#define VCPU_X86_EXC_ERROR	(BIT(8) | BIT(10) | BIT(11) | BIT(12) | \
				 BIT(13) | BIT(14) | BIT(17) | BIT(21) | \
				 BIT(29) | BIT(30))
/* NMI (its own path), and the reserved 15, 22..27, 31. */
#define VCPU_X86_EXC_REFUSED	(BIT(2) | BIT(15) | GENMASK(27, 22) | BIT(31))

bool vcpu_x86_exception_valid(unsigned int vector, bool has_error,
			      bool has_payload)
{
	if (vector > 31 || (BIT(vector) & VCPU_X86_EXC_REFUSED))
		return false;
	if (has_error != !!(BIT(vector) & VCPU_X86_EXC_ERROR))
		return false;
	return !has_payload || vector == 1 || vector == 14;
}

static bool vcpu_x86_bool_ok(u8 v)
{
	return v <= 1;
}

int vcpu_x86_events_check(const struct vcpu_events *events)
{
	const struct vcpu_x86_events *e = &events->x86;
	unsigned int i;

	if (events->flags & ~VCPU_X86_EVENTS_ALL || events->pad)
		return -EINVAL;
	for (i = sizeof(*e); i < sizeof(events->arch); i++)
		if (events->arch[i])
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(e->reserved); i++)
		if (e->reserved[i])
			return -EINVAL;
	if (e->pad0)
		return -EINVAL;
	for (i = 0; i < sizeof(e->pad1); i++)
		if (e->pad1[i])
			return -EINVAL;
	if (!vcpu_x86_bool_ok(e->injected_has_error) ||
	    !vcpu_x86_bool_ok(e->exception_pending) ||
	    !vcpu_x86_bool_ok(e->exception_has_error) ||
	    !vcpu_x86_bool_ok(e->exception_has_payload) ||
	    !vcpu_x86_bool_ok(e->nmi_pending) ||
	    !vcpu_x86_bool_ok(e->nmi_masked))
		return -EINVAL;
	if (e->shadow & ~(VCPU_X86_SHADOW_STI | VCPU_X86_SHADOW_MOV_SS))
		return -EINVAL;

	switch (e->injected) {
	case VCPU_X86_EVENT_NONE:
	case VCPU_X86_EVENT_NMI:
		if (e->injected_vector || e->injected_has_error ||
		    e->injected_error)
			return -EINVAL;
		break;
	case VCPU_X86_EVENT_EXCEPTION:
		if (!vcpu_x86_exception_valid(e->injected_vector,
					      e->injected_has_error, false))
			return -EINVAL;
		break;
	case VCPU_X86_EVENT_INTERRUPT:
		if (e->injected_vector < 32 || e->injected_has_error ||
		    e->injected_error)
			return -EINVAL;
		break;
	default:	/* _SOFT: only the instruction can restart it */
		return -EINVAL;
	}

	if (e->exception_pending) {
		if (!vcpu_x86_exception_valid(e->exception_vector,
					      e->exception_has_error,
					      e->exception_has_payload))
			return -EINVAL;
	} else if (e->exception_vector || e->exception_has_error ||
		   e->exception_has_payload || e->exception_error ||
		   e->exception_payload) {
		return -EINVAL;
	}
	if (!e->exception_has_error && e->exception_error)
		return -EINVAL;
	if (!e->injected_has_error && e->injected_error)
		return -EINVAL;
	return 0;
}
