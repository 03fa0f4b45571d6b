// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI AFFINITY_INFO, answered in the kernel from the power state of the
 * VM's vCPUs (psci.c decodes the call).
 *
 * A vCPU's power state (vcpu_el2_vcpu.power, EL2_POWER_*): RESET (OFF)
 * from its creation until it first enters the guest, ON from every entry
 * (vcpu_el2_enter_guest()), OFF from its CPU_OFF exit until the VMM runs
 * it again.  ON_PENDING is never answered: a CPU_ON is the VMM's to carry
 * out (CPU_UP), and the target is OFF until the VMM runs it.
 *
 * The target is the vCPU whose MPIDR_EL1 (VMPIDR_EL2, which the VMM may
 * have set) has the caller's Aff3..Aff0; with lowest affinity level 0
 * only (a level above names a cluster: INVALID_PARAMETERS, as for an
 * MPIDR no vCPU has).  Linux polls it from a surviving CPU after another
 * called CPU_OFF, to know when that one is down (psci_cpu_kill()).
 */
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <uapi/linux/psci.h>

#include "el2.h"
#include "psci.h"

#define EL2_MPIDR_AFF	(MPIDR_HWID_BITMASK)

/*
 * The vCPUs are found under the xarray's lock: a vCPU leaves vm->vcpus
 * (xa_erase(), which takes that lock) before it is freed, so none found
 * here can go away until the lock is dropped.  A vCPU still Created has no
 * MPIDR yet (SETUP gives it one) and is skipped; its state is read under
 * its own lock so that the MPIDR SETUP wrote is seen with it.
 */
u64 vcpu_el2_psci_affinity_info(struct vcpu *vcpu, u64 target, u64 level)
{
	struct vcpu_vm *vm = vcpu->vm;
	XA_STATE(xas, &vm->vcpus, 0);
	s64 ret = PSCI_RET_INVALID_PARAMS;
	struct vcpu *other;
	bool set_up;

	if (level != 0 || (target & ~EL2_MPIDR_AFF))
		return (u64)ret;
	xa_lock(&vm->vcpus);
	xas_for_each(&xas, other, ULONG_MAX) {
		struct vcpu_el2_vcpu *o = to_el2(other);

		spin_lock(&other->lock);
		set_up = other->state != VCPU_STATE_CREATED;
		spin_unlock(&other->lock);
		if (!set_up ||
		    (READ_ONCE(o->mpidr) & EL2_MPIDR_AFF) != target)
			continue;
		ret = READ_ONCE(o->power) == EL2_POWER_ON ?
		      PSCI_0_2_AFFINITY_LEVEL_ON : PSCI_0_2_AFFINITY_LEVEL_OFF;
		break;
	}
	xa_unlock(&vm->vcpus);
	return (u64)ret;
}

/* The vCPU's own CPU_OFF: OFF until the VMM runs it again. */
void vcpu_el2_psci_cpu_off(struct vcpu *vcpu)
{
	WRITE_ONCE(to_el2(vcpu)->power, EL2_POWER_OFF);
}
