/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest register file as el2_entry.S sees it: the offsets below are
 * used from assembly, and checked against the C layout in el2.c.
 */
#ifndef VCPU_ARM64_EL2_CTXT_H
#define VCPU_ARM64_EL2_CTXT_H

#define EL2_CTXT_X(n)		((n) * 8)	/* x0..x30 */
#define EL2_CTXT_SP_EL0		(31 * 8)
#define EL2_CTXT_SIZE		(32 * 8)

/* Why vcpu_el2_enter() returned: which vector the exit came through. */
#define EL2_EXIT_SYNC		0	/* lower EL synchronous: ESR_EL2 */
#define EL2_EXIT_IRQ		1
#define EL2_EXIT_FIQ		2
#define EL2_EXIT_SERROR		3
#define EL2_EXIT_HYP		4	/* an exception at EL2 itself */
#define EL2_EXIT_REFUSED	5	/* not entered: PSTATE (el2_run.c) */

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct vcpu_el2_ctxt {
	u64 x[31];
	u64 sp_el0;
};

/*
 * Enter the guest whose registers are in @ctxt with the EL2 vectors
 * @vectors installed; returns an EL2_EXIT_* code once it exits, with the
 * host's VBAR_EL2, sp_el0 and callee-saved registers back.  ELR_EL2,
 * SPSR_EL2, SP_EL1 and every EL1/EL2 system register are the caller's.
 */
unsigned long vcpu_el2_enter(struct vcpu_el2_ctxt *ctxt, const void *vectors);
extern const char vcpu_el2_vectors[];
#endif

#endif /* VCPU_ARM64_EL2_CTXT_H */
