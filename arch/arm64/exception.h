/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions taken to the guest's EL1 as the architecture takes them
 * (Arm ARM, AArch64.TakeException): the vector, the new PSTATE, the
 * syndromes a VMM may ask for (VCPU_SET_EVENTS).  Pure logic, also built
 * into the host unit tests; el2_inject.c applies it to a vCPU.
 */
#ifndef VCPU_ARM64_EXCEPTION_H
#define VCPU_ARM64_EXCEPTION_H

#include <linux/types.h>

struct vcpu_events;

/* The offset within a vector group: what is being taken. */
enum vcpu_el2_exc_type {
	EL2_EXC_SYNC	= 0x000,
	EL2_EXC_IRQ	= 0x080,
	EL2_EXC_FIQ	= 0x100,
	EL2_EXC_SERROR	= 0x180,
};

/* What the PE implements, for the PSTATE an exception leaves. */
struct vcpu_el2_exc_caps {
	bool pan;	/* FEAT_PAN: PSTATE.PAN exists */
	bool ssbs;	/* FEAT_SSBS: PSTATE.SSBS exists */
	bool ras;	/* FEAT_RAS: VSESR_EL2 gives a virtual SError's syndrome */
};

/*
 * The address an exception of @type taken to EL1 from @pstate (AArch64
 * EL0t, EL1t or EL1h) goes to: VBAR_EL1 + 0x000 from EL1t, 0x200 from
 * EL1h, 0x400 from EL0, plus @type.
 */
u64 vcpu_el2_exc_vector(u64 vbar, u64 pstate, enum vcpu_el2_exc_type type);

/*
 * The PSTATE after an exception taken to EL1 from @pstate, given
 * SCTLR_EL1.SPAN (@span) and SCTLR_EL1.DSSBS (@dssbs).
 */
u64 vcpu_el2_exc_pstate(u64 pstate, bool span, bool dssbs,
			const struct vcpu_el2_exc_caps *caps);

/*
 * ESR_EL1 of a synchronous exception the VMM asked for, as delivered from
 * @pstate: of the EC pairs "lower EL" / "same EL", the one that matches.
 */
u64 vcpu_el2_exc_esr(u64 esr, u64 pstate);

/* A synchronous ESR_EL1 (and FAR) the VMM may inject. */
bool vcpu_el2_exc_esr_valid(u64 esr, bool has_far);

/* A virtual SError syndrome (VSESR_EL2: IDS and ISS) the VMM may give. */
bool vcpu_el2_serror_esr_valid(u64 esr);

/* VCPU_SET_EVENTS's checks on arm64: 0 or -EINVAL. */
int vcpu_el2_events_check(const struct vcpu_events *events,
			  const struct vcpu_el2_exc_caps *caps);

#endif /* VCPU_ARM64_EXCEPTION_H */
