// SPDX-License-Identifier: GPL-2.0
/*
 * VCPU_CHECK_EXTENSION: what a VMM may rely on, asked before it relies on
 * it.  Answered from the backend's ops table where the table says it (an
 * op that is there is a feature that is there), and by the architecture
 * for its own registers.  An unknown capability is 0, not an error, so
 * that a VMM built against a newer header can ask an older module.
 */
#include "backend.h"
#include "vcpu.h"

long vcpu_check_extension(unsigned long cap)
{
	const struct vcpu_backend_ops *ops = vcpu_backend;

	switch (cap) {
	case VCPU_CAP_BACKEND:
		return ops->backend_id;
	case VCPU_CAP_MAX_VCPUS:
		return VCPU_MAX_VCPUS;
	case VCPU_CAP_NR_MEM_SLOTS:
		return VCPU_MAX_MEM_SLOTS;
	case VCPU_CAP_EXIT_FILTER:
	case VCPU_CAP_MEMLOCK:
		return 1;
	case VCPU_CAP_REG_LIST:
		return !!ops->reg_list;
	case VCPU_CAP_EVENTS:
		return ops->get_events && ops->set_events;
	case VCPU_CAP_XSAVE:
		return ops->get_xsave && ops->set_xsave;
	case VCPU_CAP_CPUID:
		return ops->get_cpuid && ops->set_cpuid;
	case VCPU_CAP_NMI:
		return ops->has_nmi;
	default:
		return ops->check_extension ? ops->check_extension(cap) : 0;
	}
}
