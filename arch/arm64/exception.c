// SPDX-License-Identifier: GPL-2.0
/* Exceptions taken to the guest's EL1, see exception.h. */
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/esr.h>
#include <asm/ptrace.h>
#include <uapi/linux/vcpu.h>

#include "exception.h"

#define EL2_EXC_FROM_EL1T	0x000
#define EL2_EXC_FROM_EL1H	0x200
#define EL2_EXC_FROM_EL0	0x400

#define EL2_ARM64_EVENTS_ALL	(VCPU_ARM64_EVENTS_EXCEPTION | \
				 VCPU_ARM64_EVENTS_SERROR)

/*
 * An SError syndrome with IDS clear (Armv8.2 RAS): IESB (13), AET
 * (12:10), EA (9), DFSC (5:0); the rest of ISS is RES0.  DFSC is
 * "uncategorized" or "asynchronous SError interrupt".
 */
#define EL2_SERROR_ISS_DEFINED	(GENMASK(13, 9) | GENMASK(5, 0))
#define EL2_SERROR_DFSC		GENMASK(5, 0)
#define EL2_SERROR_DFSC_UNCAT	0x00
#define EL2_SERROR_DFSC_ASYNC	0x11

static bool vcpu_el2_from_el0(u64 pstate)
{
	return (pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

u64 vcpu_el2_exc_vector(u64 vbar, u64 pstate, enum vcpu_el2_exc_type type)
{
	u64 base;

	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL1t:
		base = EL2_EXC_FROM_EL1T;
		break;
	case PSR_MODE_EL1h:
		base = EL2_EXC_FROM_EL1H;
		break;
	default:		/* EL0t: the only other state a guest runs in */
		base = EL2_EXC_FROM_EL0;
		break;
	}
	/* VBAR_EL1 bits 10:0 are RES0: the vector table is 2 KiB aligned. */
	return (vbar & ~(u64)GENMASK(10, 0)) + base + type;
}

/*
 * AArch64.TakeException to EL1: SPSel 1, EL1, D, A, I, F set; IL, SS,
 * BTYPE, UAO cleared.  NZCV and DIT are unchanged.  PAN is set when
 * SCTLR_EL1.SPAN is 0, else unchanged; SSBS becomes SCTLR_EL1.DSSBS.
 * The guest is offered neither MTE (TCO would be set), FEAT_NMI (ALLINT),
 * FEAT_EBEP (PM) nor GCS (EXLOCK): those bits are left clear.
 */
u64 vcpu_el2_exc_pstate(u64 pstate, bool span, bool dssbs,
			const struct vcpu_el2_exc_caps *caps)
{
	u64 kept = PSR_N_BIT | PSR_Z_BIT | PSR_C_BIT | PSR_V_BIT | PSR_DIT_BIT;
	u64 new = (pstate & kept) | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT |
		  PSR_F_BIT | PSR_MODE_EL1h;

	if (caps->pan)
		new |= span ? (pstate & PSR_PAN_BIT) : PSR_PAN_BIT;
	if (caps->ssbs && dssbs)
		new |= PSR_SSBS_BIT;
	return new;
}

/* The ECs with a "lower EL" (even) and a "same EL" (odd) variant. */
static bool vcpu_el2_exc_ec_paired(unsigned int ec)
{
	switch (ec) {
	case ESR_ELx_EC_IABT_LOW:
	case ESR_ELx_EC_IABT_CUR:
	case ESR_ELx_EC_DABT_LOW:
	case ESR_ELx_EC_DABT_CUR:
	case ESR_ELx_EC_BREAKPT_LOW:
	case ESR_ELx_EC_BREAKPT_CUR:
	case ESR_ELx_EC_SOFTSTP_LOW:
	case ESR_ELx_EC_SOFTSTP_CUR:
	case ESR_ELx_EC_WATCHPT_LOW:
	case ESR_ELx_EC_WATCHPT_CUR:
		return true;
	}
	return false;
}

u64 vcpu_el2_exc_esr(u64 esr, u64 pstate)
{
	u64 same_el = BIT_ULL(ESR_ELx_EC_SHIFT);

	if (!vcpu_el2_exc_ec_paired(ESR_ELx_EC(esr)))
		return esr;
	return vcpu_el2_from_el0(pstate) ? esr & ~same_el : esr | same_el;
}

/*
 * The exceptions a VMM may decide on for its guest: what a stage-2 or
 * emulated access, a debug event it emulates, or an instruction it
 * refuses, would raise at EL1.  Not the classes the guest raises by
 * itself (SVC, HVC, SMC, its own traps), nor those of features not
 * offered (FP, SVE, SME, PAuth, MTE, BTI, GCS).  FAR_EL1 is written only
 * by the ones that report an address in it.
 */
bool vcpu_el2_exc_esr_valid(u64 esr, bool has_far)
{
	bool far_ok;

	if (esr >> 32 || !(esr & ESR_ELx_IL))
		return false;
	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_UNKNOWN:
		if (esr & ESR_ELx_ISS_MASK)
			return false;
		far_ok = false;
		break;
	case ESR_ELx_EC_IABT_LOW:
	case ESR_ELx_EC_IABT_CUR:
	case ESR_ELx_EC_PC_ALIGN:
	case ESR_ELx_EC_DABT_LOW:
	case ESR_ELx_EC_DABT_CUR:
	case ESR_ELx_EC_WATCHPT_LOW:
	case ESR_ELx_EC_WATCHPT_CUR:
		far_ok = true;
		break;
	case ESR_ELx_EC_SP_ALIGN:
	case ESR_ELx_EC_BREAKPT_LOW:
	case ESR_ELx_EC_BREAKPT_CUR:
	case ESR_ELx_EC_SOFTSTP_LOW:
	case ESR_ELx_EC_SOFTSTP_CUR:
	case ESR_ELx_EC_BRK64:
		far_ok = false;
		break;
	default:
		return false;
	}
	return far_ok || !has_far;
}

bool vcpu_el2_serror_esr_valid(u64 esr)
{
	u64 dfsc = esr & EL2_SERROR_DFSC;

	if (esr & ~(u64)(ESR_ELx_IDS | ESR_ELx_ISS_MASK))
		return false;
	if (esr & ESR_ELx_IDS)
		return true;	/* ISS 23:0 IMPLEMENTATION DEFINED */
	if (esr & ~(u64)EL2_SERROR_ISS_DEFINED)
		return false;
	return dfsc == EL2_SERROR_DFSC_UNCAT || dfsc == EL2_SERROR_DFSC_ASYNC;
}

static bool vcpu_el2_bool_ok(u8 v)
{
	return v <= 1;
}

int vcpu_el2_events_check(const struct vcpu_events *events,
			  const struct vcpu_el2_exc_caps *caps)
{
	const struct vcpu_arm64_events *e = &events->arm64;
	unsigned int i;

	if (events->flags & ~EL2_ARM64_EVENTS_ALL || events->pad || e->pad0)
		return -EINVAL;
	for (i = sizeof(*e); i < sizeof(events->arch); i++)
		if (events->arch[i])
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(e->reserved); i++)
		if (e->reserved[i])
			return -EINVAL;
	if (!vcpu_el2_bool_ok(e->exception_pending) ||
	    !vcpu_el2_bool_ok(e->exception_has_far) ||
	    !vcpu_el2_bool_ok(e->serror_pending) ||
	    !vcpu_el2_bool_ok(e->serror_has_esr))
		return -EINVAL;

	if (e->exception_pending) {
		if (!vcpu_el2_exc_esr_valid(e->exception_esr,
					    e->exception_has_far))
			return -EINVAL;
		if (!e->exception_has_far && e->exception_far)
			return -EINVAL;
	} else if (e->exception_has_far || e->exception_esr ||
		   e->exception_far) {
		return -EINVAL;
	}

	if (e->serror_pending) {
		if (e->serror_has_esr &&
		    (!caps->ras || !vcpu_el2_serror_esr_valid(e->serror_esr)))
			return -EINVAL;
		if (!e->serror_has_esr && e->serror_esr)
			return -EINVAL;
	} else if (e->serror_has_esr || e->serror_esr) {
		return -EINVAL;
	}
	return 0;
}
