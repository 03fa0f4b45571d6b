// SPDX-License-Identifier: GPL-2.0
/* PSCI function dispatch, see psci.h. */
#include <linux/types.h>
#include <uapi/linux/psci.h>

#include "psci.h"

/* Fast-call ranges of the PSCI service, 32- and 64-bit conventions. */
#define EL2_PSCI_RANGE		0x1f

static bool vcpu_el2_psci_id(u32 fn)
{
	return (fn & ~EL2_PSCI_RANGE) == PSCI_0_2_FN_BASE ||
	       (fn & ~EL2_PSCI_RANGE) == PSCI_0_2_FN64_BASE;
}

static bool vcpu_el2_psci_implemented(u32 fn)
{
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
	case PSCI_1_0_FN_PSCI_FEATURES:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
		return true;
	default:
		return false;
	}
}

void vcpu_el2_psci_dispatch(const u64 *x, struct vcpu_el2_psci *p)
{
	u32 fn = x[0];
	/* The SMC32 convention passes 32-bit arguments. */
	u64 mask = (fn & PSCI_0_2_64BIT) ? ~0ULL : 0xffffffffULL;

	p->ret = 0;
	if (!vcpu_el2_psci_id(fn)) {
		p->kind = EL2_PSCI_NONE;
		return;
	}
	p->kind = EL2_PSCI_ANSWER;
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
		p->ret = PSCI_VERSION(1, 0);
		break;
	case PSCI_1_0_FN_PSCI_FEATURES:
		p->ret = vcpu_el2_psci_implemented((u32)x[1]) ?
				 PSCI_RET_SUCCESS :
				 (u64)(s64)PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		p->kind = EL2_PSCI_CPU_ON;
		p->target = x[1] & mask;
		p->entry = x[2] & mask;
		p->context = x[3] & mask;
		p->ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		p->kind = EL2_PSCI_AFFINITY_INFO;
		p->target = x[1] & mask;
		p->level = x[2] & mask;
		break;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		/* No Trusted OS, or one that needs no migration. */
		p->ret = PSCI_0_2_TOS_MP;
		break;
	case PSCI_0_2_FN_CPU_OFF:
		p->kind = EL2_PSCI_CPU_OFF;
		/* Seen by the guest only if the VMM runs it again. */
		p->ret = (u64)(s64)PSCI_RET_DENIED;
		break;
	case PSCI_0_2_FN_SYSTEM_OFF:
		p->kind = EL2_PSCI_SYSTEM_OFF;
		break;
	case PSCI_0_2_FN_SYSTEM_RESET:
		p->kind = EL2_PSCI_SYSTEM_RESET;
		break;
	default:
		p->ret = (u64)(s64)PSCI_RET_NOT_SUPPORTED;
		break;
	}
}
