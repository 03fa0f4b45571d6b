// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions into the guest's EL1: the VMM's synchronous exception and
 * virtual SError (VCPU_GET_EVENTS / VCPU_SET_EVENTS), and the UNDEF the
 * guest gets for instructions of features it is not offered.
 *
 * A synchronous exception is taken by rewriting the saved state as the
 * PE would on taking it (exception.c: ELR_EL1, SPSR_EL1, ESR_EL1,
 * FAR_EL1, the new PSTATE and the vector): the VMM's at the next entry,
 * so that GET_EVENTS reports it until then; an UNDEF at once, from the
 * exit handler.  The guest's registers live in struct vcpu_el2_vcpu
 * between entries, its EL1 system registers in v->sys[], so nothing here
 * touches the hardware.
 *
 * A virtual SError is the hardware's: HCR_EL2.VSE set at every entry while
 * it is pending, with its syndrome in VSESR_EL2 when the CPU has RAS.  The
 * PE takes it once the guest's PSTATE.A is clear and then clears
 * HCR_EL2.VSE itself, so each exit reads the bit back to learn whether it
 * is still pending (the guest may mask it for as long as it likes).
 * Without RAS there is no VSESR_EL2 and the ISS the guest reads in
 * ESR_EL1 is IMPLEMENTATION DEFINED: the VMM cannot choose it.
 */
#include <asm/cpufeature.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "el2.h"
#include "exception.h"

#define EL2_ARM64_EVENTS_ALL	(VCPU_ARM64_EVENTS_EXCEPTION | \
				 VCPU_ARM64_EVENTS_SERROR)

/* An instruction that does not exist: EC 0 (UNKNOWN), IL set, ISS 0. */
#define EL2_ESR_UNDEF		(ESR_ELx_IL | \
				 ((u64)ESR_ELx_EC_UNKNOWN << ESR_ELx_EC_SHIFT))

static struct vcpu_el2_exc_caps vcpu_el2_exc_caps __ro_after_init;

/* At probe: what this CPU implements decides the PSTATE of an exception. */
void vcpu_el2_inject_init(void)
{
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	u64 pfr1 = read_sanitised_ftr_reg(SYS_ID_AA64PFR1_EL1);
	u64 mmfr1 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR1_EL1);
	struct vcpu_el2_exc_caps *caps = &vcpu_el2_exc_caps;

	caps->ras = cpuid_feature_extract_unsigned_field(pfr0,
					ID_AA64PFR0_EL1_RAS_SHIFT) != 0;
	caps->ssbs = cpuid_feature_extract_unsigned_field(pfr1,
					ID_AA64PFR1_EL1_SSBS_SHIFT) != 0;
	caps->pan = cpuid_feature_extract_unsigned_field(mmfr1,
					ID_AA64MMFR1_EL1_PAN_SHIFT) != 0;
}

/* Take a synchronous exception to EL1 in the saved state, from a valid PSTATE. */
static void vcpu_el2_take_sync(struct vcpu_el2_vcpu *v, u64 esr, u64 far,
			       bool has_far)
{
	u64 sctlr = v->sys[EL2_SR_SCTLR];

	v->sys[EL2_SR_ELR] = v->pc;
	v->sys[EL2_SR_SPSR] = v->pstate;
	v->sys[EL2_SR_ESR] = vcpu_el2_exc_esr(esr, v->pstate);
	if (has_far)
		v->sys[EL2_SR_FAR] = far;
	v->pc = vcpu_el2_exc_vector(v->sys[EL2_SR_VBAR], v->pstate,
				    EL2_EXC_SYNC);
	v->pstate = vcpu_el2_exc_pstate(v->pstate, sctlr & SCTLR_EL1_SPAN,
					sctlr & SCTLR_ELx_DSSBS,
					&vcpu_el2_exc_caps);
}

/*
 * For the other exit handlers: the instruction at the saved PC is
 * UNDEFINED for this guest.  Taken at once (GET_REGS shows the vector);
 * call it with the PC still at the instruction, from an exit.
 */
void vcpu_el2_inject_undef(struct vcpu *vcpu)
{
	vcpu_el2_take_sync(to_el2(vcpu), EL2_ESR_UNDEF, 0, false);
}

/*
 * SVE (EC 0x19), SME (0x1D) and pointer authentication (0x09) trap to
 * EL2 (CPTR_EL2.ZEN and SMEN zero, HCR_EL2.API zero): the guest is not
 * offered them, and a CPU without them makes these instructions
 * UNDEFINED, which is what the guest gets.  SVE and SME only trap here
 * once the guest enabled them in its own CPACR_EL1 (ZEN, SMEN); with them
 * disabled there the trap goes to its own EL1 (EC 0x19/0x1D), as on a CPU
 * that has them.
 *
 * HCR_EL2.API = 0 traps the PAC instructions only where they would act.
 * The HINT-space ones (PACIASP, AUTIASP, PACIBSP, AUTIA1716, ...) are
 * NOPs, with no trap, while the guest leaves SCTLR_EL1.EnIA/EnIB/EnDA/
 * EnDB clear: their RES0 value on a CPU without PAuth, and what a guest
 * shown no PAuth keeps.  PACGA has no enable and always traps, as do the
 * other non-HINT ones (PAC*, AUT*, LDRA*, BRA*, BLRA*, RETA*, ERETA*).
 * Two gaps, both for a guest that ignores its ID registers: one that sets
 * those SCTLR_EL1 enables anyway gets an UNDEF from a HINT-space
 * instruction where a CPU without PAuth would do nothing (the ESR, ISS 0,
 * does not say which instruction trapped, and decoding it is not worth
 * it); and XPACI/XPACD, which use no key, are not trapped by API at all
 * and execute where a CPU without PAuth would UNDEF.
 */
void vcpu_el2_exit_undef(struct vcpu *vcpu,
			 const struct vcpu_el2_exit_info *ei,
			 struct vcpu_run *exit)
{
	vcpu_el2_inject_undef(vcpu);
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/*
 * At entry, interrupts off, once the PSTATE is known to be one the guest
 * may run in (el2_run.c): the VMM's exception is taken now.
 */
void vcpu_el2_inject_apply(struct vcpu_el2_vcpu *v)
{
	struct vcpu_el2_inject *in = &v->inject;

	in->no_complete = false;
	if (!in->exc_pending)
		return;
	vcpu_el2_take_sync(v, in->exc_esr, in->exc_far, in->exc_has_far);
	in->exc_pending = false;
	in->exc_has_far = false;
	in->exc_esr = 0;
	in->exc_far = 0;
}

/*
 * In vcpu_el2_load(), before HCR_EL2 is written and the ISB that follows:
 * the syndrome of a pending virtual SError; returns the HCR_EL2 bits that
 * make it pending (VSE).  Hardware needs that ISB between the VSESR_EL2
 * and HCR_EL2 writes and the ERET into the guest (a system register
 * write takes effect at the next context synchronization event); QEMU
 * TCG applies them at once and cannot show a missing one.
 */
u64 vcpu_el2_inject_load(const struct vcpu_el2_vcpu *v)
{
	const struct vcpu_el2_inject *in = &v->inject;

	if (!in->serror_pending)
		return 0;
	if (vcpu_el2_exc_caps.ras)
		write_sysreg_s(in->serror_has_esr ? in->serror_esr :
			       ESR_ELx_IDS, SYS_VSESR_EL2);
	return HCR_VSE;
}

/*
 * After the exit (v->pc and v->exit read), before the host's HCR_EL2 is
 * back: the instruction a synchronous exit trapped on (ELR_EL2 is past an
 * HVC, at any other trapped instruction), and whether the virtual SError
 * was taken.
 */
void vcpu_el2_inject_save(struct vcpu_el2_vcpu *v)
{
	struct vcpu_el2_inject *in = &v->inject;
	bool hvc = ESR_ELx_EC(v->exit.esr) == ESR_ELx_EC_HVC64;

	in->trap_valid = v->exit.code == EL2_EXIT_SYNC;
	in->trap_pc = in->trap_valid && hvc ? v->pc - 4 : v->pc;
	if (!in->serror_pending || (read_sysreg(hcr_el2) & HCR_VSE))
		return;
	in->serror_pending = false;
	in->serror_has_esr = false;
	in->serror_esr = 0;
}

/*
 * The VMM answers an exit for an instruction it emulates with an
 * exception (an abort for an MMIO access, an UNDEF for a register or a
 * call): that instruction faults rather than completes, so the exception
 * is taken at it.  The kernel stepped over it for the VMM already; with
 * the PC still there, go back, and drop the exit's completion (a load or
 * MRS leaves its register, HVC x0, as they were).  Any other exit (HALT,
 * a stage-2 fault at the instruction, ...) is left alone.
 */
static void vcpu_el2_inject_rewind(struct vcpu *vcpu)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	struct vcpu_el2_inject *in = &v->inject;

	switch (vcpu->exit.exit_reason) {
	case VCPU_EXIT_HYPERCALL:
	case VCPU_EXIT_MMIO_READ:
	case VCPU_EXIT_MMIO_WRITE:
	case VCPU_EXIT_SYSREG_READ:
	case VCPU_EXIT_SYSREG_WRITE:
	case VCPU_EXIT_SEND_IPI:
		break;
	default:
		return;
	}
	if (!in->trap_valid || v->pc != in->trap_pc + 4)
		return;
	v->pc = in->trap_pc;
	in->trap_valid = false;
	in->no_complete = true;
}

/* VCPU_RUN completes the last exit: false when rewound for an exception. */
bool vcpu_el2_inject_completes(struct vcpu_el2_vcpu *v)
{
	bool completes = !v->inject.no_complete;

	v->inject.no_complete = false;
	return completes;
}

/*
 * A pending exception or SError ends a WFI: the VMM's exception is taken
 * at the next entry whatever the guest masks, and a virtual SError wakes
 * a WFI even while PSTATE.A masks it, like any interrupt.
 */
bool vcpu_el2_inject_held(const struct vcpu_el2_vcpu *v)
{
	return v->inject.exc_pending || v->inject.serror_pending;
}

int vcpu_el2_get_events(struct vcpu *vcpu, struct vcpu_events *events)
{
	const struct vcpu_el2_inject *in = &to_el2(vcpu)->inject;
	struct vcpu_arm64_events *e = &events->arm64;

	events->flags = EL2_ARM64_EVENTS_ALL;
	e->exception_pending = in->exc_pending;
	e->exception_has_far = in->exc_has_far;
	e->exception_esr = in->exc_esr;
	e->exception_far = in->exc_far;
	e->serror_pending = in->serror_pending;
	e->serror_has_esr = in->serror_has_esr;
	e->serror_esr = in->serror_esr;
	return 0;
}

int vcpu_el2_set_events(struct vcpu *vcpu, const struct vcpu_events *events)
{
	struct vcpu_el2_inject *in = &to_el2(vcpu)->inject;
	const struct vcpu_arm64_events *e = &events->arm64;
	int ret;

	ret = vcpu_el2_events_check(events, &vcpu_el2_exc_caps);
	if (ret)
		return ret;
	if (events->flags & VCPU_ARM64_EVENTS_EXCEPTION) {
		if (e->exception_pending)
			vcpu_el2_inject_rewind(vcpu);
		in->exc_pending = e->exception_pending;
		in->exc_has_far = e->exception_has_far;
		in->exc_esr = e->exception_esr;
		in->exc_far = e->exception_far;
	}
	if (events->flags & VCPU_ARM64_EVENTS_SERROR) {
		in->serror_pending = e->serror_pending;
		in->serror_has_esr = e->serror_has_esr;
		in->serror_esr = e->serror_esr;
	}
	return 0;
}
