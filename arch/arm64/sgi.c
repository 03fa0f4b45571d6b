// SPDX-License-Identifier: GPL-2.0
/* ICC_SGI1R_EL1 decoding, see sgi.h. */
#include <linux/bits.h>
#include <linux/types.h>
#include <linux/irqchip/arm-gic-v3.h>

#include "sgi.h"

void vcpu_el2_sgi_decode(u64 v, struct vcpu_exit_send_ipi *ipi)
{
	u64 aff3 = (v & ICC_SGI1R_AFFINITY_3_MASK) >> ICC_SGI1R_AFFINITY_3_SHIFT;
	u64 aff2 = (v & ICC_SGI1R_AFFINITY_2_MASK) >> ICC_SGI1R_AFFINITY_2_SHIFT;
	u64 aff1 = (v & ICC_SGI1R_AFFINITY_1_MASK) >> ICC_SGI1R_AFFINITY_1_SHIFT;
	u64 rs = (v & ICC_SGI1R_RS_MASK) >> ICC_SGI1R_RS_SHIFT;

	ipi->vector = (v & ICC_SGI1R_SGI_ID_MASK) >> ICC_SGI1R_SGI_ID_SHIFT;
	ipi->send_to_self = 0;
	if (v & BIT_ULL(ICC_SGI1R_IRQ_ROUTING_MODE_BIT)) {
		ipi->send_to_all = 1;
		ipi->target_cpu = 0;
		ipi->target_cpu_aux = 0;
		return;
	}
	ipi->send_to_all = 0;
	ipi->target_cpu = aff3 << 32 | aff2 << 16 | aff1 << 8 | rs * 16;
	ipi->target_cpu_aux = (v & ICC_SGI1R_TARGET_LIST_MASK) >>
			      ICC_SGI1R_TARGET_LIST_SHIFT;
}
