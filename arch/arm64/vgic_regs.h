/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GICv3 virtual CPU interface values a VMM may give through ONE_REG
 * (include/uapi/linux/vcpu.h, VCPU_REG_ARM64_ICH_*): list registers and
 * ICH_VMCR_EL2.  Pure logic, also built into the host unit tests;
 * el2_vgic.c keeps the state.
 */
#ifndef VCPU_ARM64_VGIC_REGS_H
#define VCPU_ARM64_VGIC_REGS_H

#include <linux/types.h>

/* The highest INTID an LR may hold: the SPIs end at 1019 (no LPIs). */
#define EL2_VGIC_MAX_INTID	1019

/*
 * @value for list register @n of the @nr in @lr: 0, or -EINVAL for what
 * the GIC must not be given (the HW bit, group 0, an INTID above 1019,
 * bits beyond state, group, priority and vINTID) or an INTID another
 * valid LR holds.  An LR whose state is invalid is always accepted.
 */
int vcpu_el2_vgic_lr_check(const u64 *lr, unsigned int nr, unsigned int n,
			   u64 value);

/* ICH_VMCR_EL2 as the VMM gives it: the value to keep, or -EINVAL. */
s64 vcpu_el2_vgic_vmcr_check(u64 value);

#endif /* VCPU_ARM64_VGIC_REGS_H */
