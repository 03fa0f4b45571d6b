// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 exit handlers: one per exception class of ESR_EL2, in a table, as
 * KVM does.  Each turns the exit into the shared ABI or handles it in the
 * kernel (VCPU_EXIT_NOTHING: enter again).  An exception class without a
 * handler is reported as VCPU_EXIT_INTERNAL_ERROR (UNKNOWN_EXIT, with
 * ESR_EL2, FAR_EL2 and HPFAR_EL2), never anything else.
 *
 * PC: ELR_EL2 points after an HVC but at a trapped SMC, WFx, system
 * register access or aborting load/store; handlers that complete the
 * instruction step over it (always 4 bytes: the guest is AArch64).
 *
 * Trapped system registers (all reach the VMM as SYSREG_READ/WRITE, addr
 * = the ISS encoding op0/op2/op1/CRn/CRm with Rt and direction cleared,
 * reg = Rt), because they are either the host's or implementation defined:
 *   HCR_EL2.TID3      ID group 3 reads: except these, answered in the
 *                     kernel from the vCPU's view (el2_idregs.c)
 *   HCR_EL2.TACR      ACTLR_EL1 (implementation defined)
 *   HCR_EL2.TIDCP     implementation-defined registers
 *   HCR_EL2.TLOR      LORegion registers
 *   HCR_EL2.TSW       set/way cache maintenance (the host's caches)
 *   MDCR_EL2.TPM, TPMCR, TPMS   PMU registers (the host's counters)
 *   MDCR_EL2.TDA, TDOSA, TDRA   debug registers (the host's debugger)
 *   HCR_EL2.IMO       ICC_SGI1R_EL1 writes become SEND_IPI; ICC_SGI0R_EL1
 *                     and ICC_ASGI1R_EL1 writes are SYSREG_WRITE
 */
#include <asm/debug-monitors.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>

#include "el2.h"
#include "psci.h"
#include "sgi.h"

typedef void (*vcpu_el2_exit_handler)(struct vcpu *vcpu,
				      const struct vcpu_el2_exit_info *ei,
				      struct vcpu_run *exit);

#define EL2_SYS_SGI1R	ESR_ELx_SYS64_ISS_SYS_VAL(3, 0, 5, 12, 11)

static u64 vcpu_el2_xreg(const struct vcpu_el2_vcpu *v, unsigned int n)
{
	return n == EL2_REG_XZR ? 0 : v->ctxt.x[n];
}

/*
 * Step over an instruction the kernel or the VMM completed.  It counts as
 * executed for the guest's software step too: PSTATE.SS cleared, so that
 * a guest stepping through it takes its step exception right after it
 * instead of running one more instruction unstepped.
 */
void vcpu_el2_skip(struct vcpu *vcpu)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);

	v->pc += 4;
	v->pstate &= ~(u64)DBG_SPSR_SS;
}

static void vcpu_el2_internal(const struct vcpu_el2_exit_info *ei, u32 suberror,
			      struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
	exit->internal.suberror = suberror;
	exit->internal.ndata = 3;
	exit->internal.data[0] = ei->esr;
	exit->internal.data[1] = ei->far;
	exit->internal.data[2] = ei->hpfar;
}

/* WFI halts (HALT); WFE is a hint: go on. */
static void vcpu_el2_exit_wfx(struct vcpu *vcpu,
			      const struct vcpu_el2_exit_info *ei,
			      struct vcpu_run *exit)
{
	vcpu_el2_skip(vcpu);
	exit->exit_reason = (ei->esr & ESR_ELx_WFx_ISS_WFE) ?
			    VCPU_EXIT_NOTHING : VCPU_EXIT_HALT;
}

/* HVC and SMC: PSCI first, the rest is a hypercall (nr x0, args x1..x6). */
static void vcpu_el2_exit_call(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	u64 *x = v->ctxt.x;
	struct vcpu_el2_psci p;
	int i;

	vcpu_el2_psci_dispatch(x, &p);
	switch (p.kind) {
	case EL2_PSCI_NONE:
		exit->exit_reason = VCPU_EXIT_HYPERCALL;
		exit->hypercall.nr = x[0];
		for (i = 0; i < 6; i++)
			exit->hypercall.args[i] = x[i + 1];
		return;
	case EL2_PSCI_ANSWER:
		x[0] = p.ret;
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return;
	case EL2_PSCI_CPU_ON:
		x[0] = p.ret;
		exit->exit_reason = VCPU_EXIT_CPU_UP;
		exit->cpu_up.target_cpu = p.target;
		exit->cpu_up.entry_point = p.entry;
		exit->cpu_up.arg = p.context;
		return;
	case EL2_PSCI_AFFINITY_INFO:
		x[0] = vcpu_el2_psci_affinity_info(vcpu, p.target, p.level);
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return;
	case EL2_PSCI_CPU_OFF:
		vcpu_el2_psci_cpu_off(vcpu);
		x[0] = p.ret;
		exit->exit_reason = VCPU_EXIT_CPU_DOWN;
		exit->cpu_down.state = 0;
		return;
	case EL2_PSCI_SYSTEM_OFF:
	case EL2_PSCI_SYSTEM_RESET:
		exit->exit_reason = VCPU_EXIT_SYSTEM_DOWN;
		exit->system_down.type = p.kind == EL2_PSCI_SYSTEM_OFF ?
			VCPU_SYSTEM_DOWN_OFF : VCPU_SYSTEM_DOWN_RESET;
		return;
	}
}

static void vcpu_el2_exit_hvc(struct vcpu *vcpu,
			      const struct vcpu_el2_exit_info *ei,
			      struct vcpu_run *exit)
{
	vcpu_el2_exit_call(vcpu, exit);
}

static void vcpu_el2_exit_smc(struct vcpu *vcpu,
			      const struct vcpu_el2_exit_info *ei,
			      struct vcpu_run *exit)
{
	vcpu_el2_skip(vcpu);
	vcpu_el2_exit_call(vcpu, exit);
}

static void vcpu_el2_exit_sysreg(struct vcpu *vcpu,
				 const struct vcpu_el2_exit_info *ei,
				 struct vcpu_run *exit)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	u64 sys = ei->esr & ESR_ELx_SYS64_ISS_SYS_MASK;
	unsigned int rt = (ei->esr & ESR_ELx_SYS64_ISS_RT_MASK) >>
			  ESR_ELx_SYS64_ISS_RT_SHIFT;
	bool read = (ei->esr & ESR_ELx_SYS64_ISS_DIR_MASK) ==
		    ESR_ELx_SYS64_ISS_DIR_READ;
	u64 val = vcpu_el2_xreg(v, rt);

	if (vcpu_el2_idreg_trap(vcpu, ei, exit))
		return;
	vcpu_el2_skip(vcpu);
	/* The guest's debug registers are the kernel's to emulate. */
	if (vcpu_el2_debug_sysreg(v, ei->esr, read, &val)) {
		if (read && rt != EL2_REG_XZR)
			v->ctxt.x[rt] = val;
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return;
	}
	if (!read && sys == EL2_SYS_SGI1R) {
		exit->exit_reason = VCPU_EXIT_SEND_IPI;
		vcpu_el2_sgi_decode(vcpu_el2_xreg(v, rt), &exit->send_ipi);
		return;
	}
	exit->sysreg.addr = sys;
	exit->sysreg.reg = rt;
	if (read) {
		exit->exit_reason = VCPU_EXIT_SYSREG_READ;
		v->sysreg_rt = rt;
	} else {
		exit->exit_reason = VCPU_EXIT_SYSREG_WRITE;
		exit->sysreg.value = vcpu_el2_xreg(v, rt);
	}
}

/* The faulting IPA: HPFAR_EL2 holds bits 47:12 (in 43:4), FAR the rest. */
static u64 vcpu_el2_fault_ipa(const struct vcpu_el2_exit_info *ei)
{
	return ((ei->hpfar & HPFAR_MASK) << 8) | (ei->far & ~PAGE_MASK);
}

static void vcpu_el2_npf(const struct vcpu_el2_exit_info *ei, u32 access,
			 struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_NESTED_PAGE_FAULT;
	exit->npf.gpa = vcpu_el2_fault_ipa(ei);
	exit->npf.gva = (ei->esr & ESR_ELx_FnV) ? 0 : ei->far;
	exit->npf.access = access;
	exit->npf.hw_info = ei->esr;
}

/*
 * A stage-2 fault on an IPA that is mapped: a write to a read-only region
 * (NESTED_PAGE_FAULT), or a mapping that appeared after the walk (a region
 * was added meanwhile, or the walker had not yet observed the new entry):
 * enter again.  Returns false when the IPA is not mapped.
 */
static bool vcpu_el2_fault_mapped(struct vcpu *vcpu,
				  const struct vcpu_el2_exit_info *ei,
				  u32 access, struct vcpu_run *exit)
{
	unsigned int prot;

	if (vcpu_pt_lookup(&vcpu->vm->pt, vcpu_el2_fault_ipa(ei) & PAGE_MASK,
			   NULL, &prot))
		return false;
	if ((access & VCPU_NPF_WRITE) && !(prot & VCPU_PT_WRITE))
		vcpu_el2_npf(ei, access | VCPU_NPF_PRESENT, exit);
	else if ((access & VCPU_NPF_EXEC) && !(prot & VCPU_PT_EXEC))
		vcpu_el2_npf(ei, access | VCPU_NPF_PRESENT, exit);
	else
		exit->exit_reason = VCPU_EXIT_NOTHING;
	return true;
}

static void vcpu_el2_exit_iabt(struct vcpu *vcpu,
			       const struct vcpu_el2_exit_info *ei,
			       struct vcpu_run *exit)
{
	if (!vcpu_el2_fault_mapped(vcpu, ei, VCPU_NPF_EXEC, exit))
		vcpu_el2_npf(ei, VCPU_NPF_EXEC, exit);
}

/*
 * Data abort: MMIO when the syndrome is valid (ISV) on an IPA with no
 * region; anything else the VMM must decide (NESTED_PAGE_FAULT): no
 * syndrome (load/store pair, writeback, SIMD, atomics), a fault of the
 * guest's own stage-1 walk (S1PTW), cache maintenance (CM).
 */
static void vcpu_el2_exit_dabt(struct vcpu *vcpu,
			       const struct vcpu_el2_exit_info *ei,
			       struct vcpu_run *exit)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	u32 access = (ei->esr & ESR_ELx_WNR) ? VCPU_NPF_WRITE : VCPU_NPF_READ;
	struct vcpu_el2_dabt d;

	if (vcpu_el2_fault_mapped(vcpu, ei, access, exit))
		return;
	if ((ei->esr & (ESR_ELx_S1PTW | ESR_ELx_CM)) ||
	    vcpu_el2_dabt_decode(ei->esr, &d)) {
		vcpu_el2_npf(ei, access, exit);
		return;
	}

	vcpu_el2_skip(vcpu);
	exit->mmio.addr = vcpu_el2_fault_ipa(ei);
	exit->mmio.width = d.width;
	if (d.write) {
		exit->exit_reason = VCPU_EXIT_MMIO_WRITE;
		exit->mmio.data =
			vcpu_el2_dabt_store_value(&d, vcpu_el2_xreg(v, d.reg));
	} else {
		exit->exit_reason = VCPU_EXIT_MMIO_READ;
		exit->mmio.reg = d.reg;
		exit->mmio.reg_width = d.reg_width;
		exit->mmio.sign_extend = d.sign_extend;
		v->mmio = d;
	}
}

static const vcpu_el2_exit_handler
vcpu_el2_exit_handlers[ESR_ELx_EC_MAX + 1] = {
	[ESR_ELx_EC_WFx] = vcpu_el2_exit_wfx,
	[ESR_ELx_EC_FP_ASIMD] = vcpu_el2_exit_fp,
	[ESR_ELx_EC_PAC] = vcpu_el2_exit_undef,
	[ESR_ELx_EC_HVC64] = vcpu_el2_exit_hvc,
	[ESR_ELx_EC_SMC64] = vcpu_el2_exit_smc,
	[ESR_ELx_EC_SYS64] = vcpu_el2_exit_sysreg,
	[ESR_ELx_EC_SVE] = vcpu_el2_exit_undef,
	[ESR_ELx_EC_SME] = vcpu_el2_exit_undef,
	[ESR_ELx_EC_IABT_LOW] = vcpu_el2_exit_iabt,
	[ESR_ELx_EC_DABT_LOW] = vcpu_el2_exit_dabt,
};

void vcpu_el2_handle_exit(struct vcpu *vcpu, u32 irq, struct vcpu_run *exit)
{
	const struct vcpu_el2_exit_info *ei = &to_el2(vcpu)->exit;
	vcpu_el2_exit_handler h;

	switch (ei->code) {
	case EL2_EXIT_IRQ:
	case EL2_EXIT_FIQ:
		exit->exit_reason = VCPU_EXIT_EXTERNAL_INTERRUPT;
		exit->external_interrupt.vector = irq;
		return;
	case EL2_EXIT_SERROR:
		/* An asynchronous abort the guest caused: it cannot go on. */
		exit->exit_reason = VCPU_EXIT_SHUTDOWN;
		return;
	case EL2_EXIT_HYP:
		/* The PE faulted at EL2 on its way into the guest. */
		exit->exit_reason = VCPU_EXIT_FAIL_ENTRY;
		exit->fail_entry.hardware_entry_failure_reason = ei->esr;
		return;
	case EL2_EXIT_REFUSED:
		/* Not entered: the PSTATE is the reason, as it was before. */
		exit->exit_reason = VCPU_EXIT_FAIL_ENTRY;
		exit->fail_entry.hardware_entry_failure_reason =
			to_el2(vcpu)->pstate;
		return;
	}

	h = vcpu_el2_exit_handlers[ESR_ELx_EC(ei->esr)];
	if (h) {
		h(vcpu, ei, exit);
		return;
	}
	vcpu_el2_internal(ei, VCPU_INTERNAL_UNKNOWN_EXIT, exit);
}
