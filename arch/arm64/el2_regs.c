// SPDX-License-Identifier: GPL-2.0
/*
 * ONE_REG for arm64: the EL1 system registers the backend context-switches
 * (el2.h), under VCPU_REG_ARM64_SYSREG() of their EL1 encoding, plus
 * SP_EL0, SP_EL1 and MPIDR_EL1 (VMPIDR_EL2); FP/SIMD in el2_fp.c; the GIC
 * virtual CPU interface in el2_vgic.c.  Any other id: ENOENT.
 */
#include <linux/errno.h>
#include <linux/minmax.h>

#include "el2.h"

#define EL2_ID_SP_EL0		VCPU_REG_ARM64_SYSREG(3, 0, 4, 1, 0)
#define EL2_ID_SP_EL1		VCPU_REG_ARM64_SYSREG(3, 4, 4, 1, 0)
#define EL2_ID_MPIDR		VCPU_REG_ARM64_SYSREG(3, 0, 0, 0, 5)

static const struct {
	u64 id;
	unsigned int index;
} vcpu_el2_one_regs[] = {
	{ VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 0), EL2_SR_SCTLR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 2), EL2_SR_CPACR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 2, 0, 0), EL2_SR_TTBR0 },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 2, 0, 1), EL2_SR_TTBR1 },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 2, 0, 2), EL2_SR_TCR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 4, 0, 0), EL2_SR_SPSR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 4, 0, 1), EL2_SR_ELR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 5, 1, 0), EL2_SR_AFSR0 },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 5, 1, 1), EL2_SR_AFSR1 },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 5, 2, 0), EL2_SR_ESR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 6, 0, 0), EL2_SR_FAR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 10, 2, 0), EL2_SR_MAIR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 10, 3, 0), EL2_SR_AMAIR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 12, 0, 0), EL2_SR_VBAR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 13, 0, 1), EL2_SR_CONTEXTIDR },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 14, 1, 0), EL2_SR_CNTKCTL },
	{ VCPU_REG_ARM64_SYSREG(3, 3, 13, 0, 2), EL2_SR_TPIDR_EL0 },
	{ VCPU_REG_ARM64_SYSREG(3, 3, 13, 0, 3), EL2_SR_TPIDRRO_EL0 },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 13, 0, 4), EL2_SR_TPIDR_EL1 },
	{ VCPU_REG_ARM64_SYSREG(3, 0, 7, 4, 0), EL2_SR_PAR },
	{ VCPU_REG_ARM64_SYSREG(3, 2, 0, 0, 0), EL2_SR_CSSELR },
	{ VCPU_REG_ARM64_SYSREG(3, 3, 13, 0, 5), EL2_SR_TPIDR2 },
};

static u64 *vcpu_el2_one_reg(struct vcpu_el2_vcpu *v, u64 id)
{
	int i;

	switch (id) {
	case EL2_ID_SP_EL0:
		return &v->ctxt.sp_el0;
	case EL2_ID_SP_EL1:
		return &v->sp_el1;
	case EL2_ID_MPIDR:
		return &v->mpidr;
	}
	for (i = 0; i < ARRAY_SIZE(vcpu_el2_one_regs); i++)
		if (vcpu_el2_one_regs[i].id == id)
			return &v->sys[vcpu_el2_one_regs[i].index];
	return NULL;
}

int vcpu_el2_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value)
{
	u64 *p = vcpu_el2_one_reg(to_el2(vcpu), id);

	if (vcpu_el2_fp_owns_reg(id))
		return vcpu_el2_fp_get_reg(vcpu, id, value);
	if (vcpu_el2_timer_is_reg(id))
		return vcpu_el2_timer_get_reg(vcpu, id, value);
	if (vcpu_el2_idreg_id(id))
		return vcpu_el2_idreg_get(vcpu, id, value);
	if (!p) {
		if (!vcpu_el2_debug_get_reg(to_el2(vcpu), id, value))
			return 0;
		return vcpu_el2_vgic_get_reg(vcpu, id, value);
	}
	*value = *p;
	return 0;
}

unsigned int vcpu_el2_reg_list(struct vcpu *vcpu, u64 *ids, unsigned int max)
{
	static const u64 extra[] = { EL2_ID_SP_EL0, EL2_ID_SP_EL1, EL2_ID_MPIDR };
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(vcpu_el2_one_regs); i++, n++)
		if (n < max)
			ids[n] = vcpu_el2_one_regs[i].id;
	for (i = 0; i < ARRAY_SIZE(extra); i++, n++)
		if (n < max)
			ids[n] = extra[i];
	n += vcpu_el2_timer_reg_list(ids + min(n, max), max - min(n, max));
	n += vcpu_el2_fp_reg_list(ids + min(n, max), max - min(n, max));
	n += vcpu_el2_vgic_reg_list(ids + min(n, max), max - min(n, max));
	n += vcpu_el2_debug_reg_list(ids + min(n, max), max - min(n, max));
	n += vcpu_el2_idreg_list(ids + min(n, max), max - min(n, max));
	return n;
}

int vcpu_el2_set_one_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	u64 *p = vcpu_el2_one_reg(to_el2(vcpu), id);

	if (vcpu_el2_fp_owns_reg(id))
		return vcpu_el2_fp_set_reg(vcpu, id, value);
	if (vcpu_el2_timer_is_reg(id))
		return vcpu_el2_timer_set_reg(vcpu, id, value);
	if (vcpu_el2_idreg_id(id))
		return vcpu_el2_idreg_set(vcpu, id, value);
	if (!p) {
		int ret = vcpu_el2_debug_set_reg(to_el2(vcpu), id, value);

		if (ret != -ENOENT)
			return ret;
		return vcpu_el2_vgic_set_reg(vcpu, id, value);
	}
	/* MPIDR_EL1 bit 31 is RES1; the rest is the VMM's to choose. */
	if (id == EL2_ID_MPIDR)
		value |= BIT_ULL(31);
	*p = value;
	return 0;
}
