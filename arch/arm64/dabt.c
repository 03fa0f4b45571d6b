// SPDX-License-Identifier: GPL-2.0
/* Data-abort syndrome decoding, see dabt.h. */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/esr.h>

#include "dabt.h"

int vcpu_el2_dabt_decode(u64 esr, struct vcpu_el2_dabt *d)
{
	if (!(esr & ESR_ELx_ISV))
		return -EINVAL;
	d->write = esr & ESR_ELx_WNR;
	d->width = 1U << ((esr & ESR_ELx_SAS) >> ESR_ELx_SAS_SHIFT);
	d->reg = (esr & ESR_ELx_SRT_MASK) >> ESR_ELx_SRT_SHIFT;
	d->reg_width = (esr & ESR_ELx_SF) ? 8 : 4;
	/* SSE is only meaningful for loads narrower than the register. */
	d->sign_extend = !d->write && (esr & ESR_ELx_SSE) &&
			 d->width < d->reg_width;
	return 0;
}

static u64 vcpu_el2_dabt_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : BIT_ULL(bytes * 8) - 1;
}

u64 vcpu_el2_dabt_store_value(const struct vcpu_el2_dabt *d, u64 rt_value)
{
	if (d->reg == EL2_REG_XZR)
		return 0;
	return rt_value & vcpu_el2_dabt_mask(d->width);
}

u64 vcpu_el2_dabt_load_value(const struct vcpu_el2_dabt *d, u64 data)
{
	unsigned int bits = d->width * 8;
	u64 v = data & vcpu_el2_dabt_mask(d->width);

	if (d->sign_extend && bits < 64 && (v & BIT_ULL(bits - 1)))
		v |= ~vcpu_el2_dabt_mask(d->width);
	return v & vcpu_el2_dabt_mask(d->reg_width);
}
