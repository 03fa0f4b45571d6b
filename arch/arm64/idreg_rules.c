// SPDX-License-Identifier: GPL-2.0
/* The guest ID register downgrade rule, see idreg_rules.h. */
#include <linux/errno.h>
#include <linux/types.h>

#include "idreg_rules.h"

int vcpu_el2_idreg_check(const struct vcpu_el2_idreg_rule *rule, u64 def,
			 u64 val)
{
	unsigned int shift;

	for (shift = 0; shift < 64; shift += 4) {
		u64 f = EL2_IDF(shift);
		unsigned int d = (def >> shift) & 0xf;
		unsigned int v = (val >> shift) & 0xf;

		if (d == v)
			continue;
		if (rule->fixed_fields & f)
			return -EINVAL;
		if (rule->signed_fields & f) {
			/* Sign-extend the nibbles: 0x8..0xf are -8..-1. */
			if ((int)(v ^ 8) - 8 > (int)(d ^ 8) - 8)
				return -EINVAL;
		} else if (v > d) {
			return -EINVAL;
		}
	}
	return 0;
}
