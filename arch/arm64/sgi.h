/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest writes to ICC_SGI1R_EL1 (trapped to EL2 by HCR_EL2.IMO), decoded
 * into the shared SEND_IPI exit.  Pure logic, also built into the host
 * unit tests.
 *
 *   vector          the SGI number (INTID 0..15)
 *   send_to_all     IRM = 1: every PE but the sender; targets are zero
 *   target_cpu      IRM = 0: the MPIDR affinity of the target cluster,
 *                   Aff3 << 32 | Aff2 << 16 | Aff1 << 8 | RS * 16
 *                   (RS, the range selector, gives the Aff0 base)
 *   target_cpu_aux  IRM = 0: the 16-bit target list; bit n targets the PE
 *                   with Aff0 = RS * 16 + n in that cluster
 */
#ifndef VCPU_ARM64_SGI_H
#define VCPU_ARM64_SGI_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

void vcpu_el2_sgi_decode(u64 sgi1r, struct vcpu_exit_send_ipi *ipi);

#endif /* VCPU_ARM64_SGI_H */
