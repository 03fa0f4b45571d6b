// SPDX-License-Identifier: GPL-2.0
/*
 * VMX exit handlers: one per basic exit reason, in a table.  They run with
 * interrupts enabled on the copies vcpu_vmx_enter() took (vmx->exit and, for
 * the slow paths, vmx->sregs); anything they change in the guest reaches
 * the VMCS at the next entry.  A reason without a handler is reported as
 * VCPU_EXIT_INTERNAL_ERROR, never turned into anything else.
 */
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vmx.h"
#include "strio.h"

typedef void (*vcpu_vmx_exit_handler)(struct vcpu *vcpu, struct vcpu_run *exit);

/*
 * Past an instruction of @len bytes, which ends an STI/MOV SS shadow
 * (written back at the next entry).
 */
__always_inline u64 vcpu_vmx_x86_skip(struct vcpu *vcpu, unsigned int len)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	vmx->sregs.rip += len;
	if (vmx->interruptibility & (GUEST_INTR_STATE_STI |
				     GUEST_INTR_STATE_MOV_SS)) {
		vmx->interruptibility &= ~(GUEST_INTR_STATE_STI |
					   GUEST_INTR_STATE_MOV_SS);
		vmx->shadow_dirty = true;
	}
	/*
	 * The mode as of the exit, read then: the system registers in
	 * vmx->sregs may be older (sregs_stale) than a switch to or from
	 * long mode the guest made without exiting.
	 */
	if (!vmx->exit.code64)
		vmx->sregs.rip = (u32)vmx->sregs.rip;
	return vmx->sregs.rflags;
}

static void vcpu_vmx_skip(struct vcpu_vmx_vcpu *vmx)
{
	vcpu_x86_skip(vmx->vcpu, vmx->exit.len);
}

void vcpu_vmx_queue_exception(struct vcpu_vmx_vcpu *vmx, u8 vector, bool error,
			      u32 code)
{
	vmx->pending_event = INTR_INFO_VALID_MASK | INTR_TYPE_HARD_EXCEPTION |
			     vector;
	if (error)
		vmx->pending_event |= INTR_INFO_DELIVER_CODE_MASK;
	vmx->pending_event_error = code;
	vmx->pending_event_len = 0;
}

void vcpu_vmx_x86_inject_exception(struct vcpu *vcpu, u8 vector, bool has_error,
				   u32 error)
{
	vcpu_vmx_queue_exception(to_vmx(vcpu), vector, has_error, error);
}


/* CR2 is loaded into the CPU before the entry (vcpu_vmx_enter()). */
void vcpu_vmx_x86_set_cr2(struct vcpu *vcpu, u64 cr2)
{
	to_vmx(vcpu)->sregs.cr2 = cr2;
}

/* The CPL is SS.DPL (packed attributes: DPL in bits 6:5). */
unsigned int vcpu_vmx_x86_cpl(struct vcpu *vcpu)
{
	return (to_vmx(vcpu)->sregs.seg[VCPU_SEG_SS].attrib >> 5) & 3;
}

static void vcpu_vmx_exit_nothing(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/* INVD would drop the host's dirty cache lines: execute it as a no-op. */
static void vcpu_vmx_exit_skip(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_nop(vcpu, to_vmx(vcpu)->exit.len, exit);
}

static void vcpu_vmx_exit_exception_nmi(struct vcpu *vcpu,
					struct vcpu_run *exit)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u32 info = vmx->exit.intr_info;
	u32 type = info & INTR_INFO_INTR_TYPE_MASK;

	if (type == INTR_TYPE_HARD_EXCEPTION) {
		switch (info & INTR_INFO_VECTOR_MASK) {
		case X86_TRAP_UD:
			vcpu_x86_exit_ud(vcpu, exit);
			return;
		case X86_TRAP_AC:
			vcpu_x86_exit_ac(vcpu, exit);
			return;
		case X86_TRAP_DB:
			/*
			 * An exit for #DB leaves DR6 alone: the qualification
			 * has B0-3, BD, BS and RTM in DR6's positions.
			 */
			exit->exit_reason = VCPU_EXIT_NOTHING;
			vcpu_x86_debug_trap(vcpu, vmx->exit.qual &
					    (DR_TRAP_BITS | DR_STEP | BIT(13) |
					     BIT(16)));
			return;
		}
	}
	/* INT1 (ICEBP): a trap past the instruction, DR6 unchanged. */
	if (type == INTR_TYPE_PRIV_SW_EXCEPTION &&
	    (info & INTR_INFO_VECTOR_MASK) == X86_TRAP_DB) {
		vcpu_x86_call(vcpu, skip, vmx->exit.len);
		vcpu_x86_call(vcpu, inject_exception, X86_TRAP_DB, false, 0);
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return;
	}

	/*
	 * The NMI or machine check was the host's: hand it to the host's
	 * own handler, as if it had arrived there.
	 */
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		asm volatile("int $" __stringify(X86_TRAP_NMI));
	else if ((info & INTR_INFO_VECTOR_MASK) == X86_TRAP_MC)
		asm volatile("int $" __stringify(X86_TRAP_MC));
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

static void vcpu_vmx_exit_extint(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_EXTERNAL_INTERRUPT;
}

static void vcpu_vmx_exit_triple_fault(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_SHUTDOWN;
}

/* CPUID exits unconditionally: the guest's table (arch/x86/cpuid.c). */
static void vcpu_vmx_exit_cpuid(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_cpuid(vcpu, to_vmx(vcpu)->exit.len, exit);
}

/*
 * The CR4 bits outside VCPU_X86_CR4_BASELINE are the host's (the CR4
 * guest/host mask): every write to them exits, so the read shadow in
 * vmx->sregs.cr4 holds them exactly even when the rest is stale.
 */
u64 vcpu_vmx_x86_get_cr4(struct vcpu *vcpu)
{
	return to_vmx(vcpu)->sregs.cr4;
}

static void vcpu_vmx_exit_hlt(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_hlt(vcpu, to_vmx(vcpu)->exit.len, exit);
}

static void vcpu_vmx_exit_vmcall(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_hypercall(vcpu, to_vmx(vcpu)->exit.len, exit);
}

/* Qualification: size-1 in 2:0, IN in 3, string 4, REP 5, port 31:16. */
static void vcpu_vmx_exit_io(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u64 q = vmx->exit.qual;

	/* INS/OUTS; a REP prefix on plain IN/OUT changes nothing. */
	if (q & BIT(4)) {
		/* The length is the hardware's, checked against the bytes. */
		struct vcpu_x86_strio_hw hw = {
			.port = q >> 16, .width = (q & 7) + 1, .in = q & BIT(3),
			.len = vmx->exit.len, .hw_info = q,
			.code = EXIT_REASON_IO_INSTRUCTION,
		};

		/* vcpu_vmx_vmcs_exit() read the segments for it. */
		vcpu_x86_exit_strio(vcpu, &hw, exit);
		return;
	}
	vcpu_x86_exit_io(vcpu, vmx->exit.len, q >> 16, (q & 7) + 1,
			 q & BIT(3), exit);
}

/*
 * Qualification: the debug register in bits 2:0, MOV from it in bit 4,
 * the general register in bits 11:8.
 */
static void vcpu_vmx_exit_dr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u64 q = vmx->exit.qual;

	vcpu_x86_exit_mov_dr(vcpu, q & 7, (q >> 8) & 15, !(q & BIT(4)),
			     vmx->exit.len, exit);
}

#define VMX_EFER_GUEST_BITS	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

/*
 * The MSRs kept in the VMCS (or switched by vcpu_vmx_vcpu_load/put) are the
 * guest's own; EFER is emulated (vcpu_x86_exit_msr() has the policy).
 */
__always_inline int vcpu_vmx_x86_msr(struct vcpu *vcpu, u32 msr, bool write,
				     u64 *value)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u64 *field, efer;

	switch (msr) {
	case MSR_KERNEL_GS_BASE:
		/*
		 * Exits are handled inside the loaded window, where the
		 * guest's value is the CPU's (vcpu_vmx_vcpu_load()).  A
		 * non-canonical address faults there: #GP to the guest, as
		 * the hardware does when the MSR bitmap lets the write pass.
		 */
		if (!write)
			rdmsrl(MSR_KERNEL_GS_BASE, *value);
		else if (wrmsrl_safe(MSR_KERNEL_GS_BASE, *value))
			return -EINVAL;
		return 0;
	case MSR_IA32_CR_PAT:
		field = &vmx->guest_pat;
		vmx->sregs_dirty |= write;
		break;
	case MSR_FS_BASE:
		field = &vmx->sregs.seg[VCPU_SEG_FS].base;
		vmx->sregs_dirty |= write;
		break;
	case MSR_GS_BASE:
		field = &vmx->sregs.seg[VCPU_SEG_GS].base;
		vmx->sregs_dirty |= write;
		break;
	case MSR_IA32_DEBUGCTLMSR:
		/* GUEST_IA32_DEBUGCTL, loaded at entry (debug controls). */
		if (!write) {
			*value = vmx->x86.dbg.debugctl;
			return 0;
		}
		if (vcpu_x86_debugctl_check(*value))
			return -EINVAL;
		vmx->x86.dbg.debugctl = *value;
		vmx->sregs_dirty = true;
		return 0;
	case MSR_EFER:
		if (!write) {
			*value = vmx->sregs.efer;
			return 0;
		}
		if (vcpu_x86_efer_write(vmx->sregs.efer, *value,
					VMX_EFER_GUEST_BITS, &efer))
			return -EINVAL;
		vcpu_vmx_set_efer(vmx, efer);
		vmx->sregs_dirty = true;
		return 0;
	default:
		return -ENOENT;
	}
	if (write)
		*field = *value;
	else
		*value = *field;
	return 0;
}

static void vcpu_vmx_exit_rdmsr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_msr(vcpu, to_vmx(vcpu)->exit.len, false, exit);
}

static void vcpu_vmx_exit_wrmsr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_msr(vcpu, to_vmx(vcpu)->exit.len, true, exit);
}

/*
 * MOV to CR0 or CR4 touching a bit the host owns (CR0.PG/NE; CR4: all but
 * VCPU_X86_CR4_BASELINE, see vcpu_vmx_vmcs_write_controls()).
 * Turning paging on with EFER.LME set enters long mode: the entry control
 * "IA-32e mode guest" must follow EFER.LMA.
 */
static void vcpu_vmx_exit_cr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u64 q = vmx->exit.qual, val;
	unsigned int cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	u64 efer = vmx->sregs.efer;

	if (type != 0 || (cr != 0 && cr != 4)) {
		vcpu_x86_unsupported_exit(EXIT_REASON_CR_ACCESS, q, 0, exit);
		return;
	}
	val = vmx->x86.gprs[reg];
	if (!vmx->exit.code64)
		val = (u32)val;
	exit->exit_reason = VCPU_EXIT_NOTHING;
	if (cr == 4) {
		/* The policy's checks, the write, the TLB flush, the skip. */
		vcpu_x86_exit_cr4_write(vcpu, vmx->exit.len, val, exit);
		return;
	}
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) {
		vcpu_vmx_queue_exception(vmx, X86_TRAP_GP, true, 0);
		return;
	}
	if ((val & X86_CR0_PG) && (efer & EFER_LME))
		efer |= EFER_LMA;
	else if (!(val & X86_CR0_PG))
		efer &= ~EFER_LMA;
	vcpu_vmx_set_cr0(vmx, val);
	vcpu_vmx_set_efer(vmx, efer);
	vmx->sregs_dirty = true;
	vcpu_vmx_skip(vmx);
}

/* Qualification: access R/W/X in bits 0-2, EPT permissions in 3-5. */
static void vcpu_vmx_exit_ept_violation(struct vcpu *vcpu,
					struct vcpu_run *exit)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u64 q = vmx->exit.qual;
	unsigned int access;

	access = q & EPT_VIOLATION_ACC_WRITE ? VCPU_NPF_WRITE : VCPU_NPF_READ;
	if (q & EPT_VIOLATION_ACC_INSTR)
		access = VCPU_NPF_EXEC;
	vcpu_x86_exit_npf(vcpu, vmx->exit.gpa, access, q, exit);
	if (exit->exit_reason == VCPU_EXIT_NESTED_PAGE_FAULT &&
	    (q & EPT_VIOLATION_GVA_IS_VALID))
		exit->npf.gva = vmx->exit.gla;
}

/* XSETBV exits unconditionally; the policy is arch/x86/fpu.c's. */
static void vcpu_vmx_exit_xsetbv(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_xsetbv(vcpu, to_vmx(vcpu)->exit.len, exit);
}

static void vcpu_vmx_exit_internal(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	exit->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
	exit->internal.suberror = VCPU_INTERNAL_UNKNOWN_EXIT;
	exit->internal.ndata = 3;
	exit->internal.data[0] = vmx->exit.reason;
	exit->internal.data[1] = vmx->exit.qual;
	exit->internal.data[2] = vmx->exit.gpa;
}

static const vcpu_vmx_exit_handler vcpu_vmx_exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI] = vcpu_vmx_exit_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = vcpu_vmx_exit_extint,
	[EXIT_REASON_TRIPLE_FAULT] = vcpu_vmx_exit_triple_fault,
	/* The interrupt window opened: vcpu_x86_inject_irq() injects. */
	[EXIT_REASON_INTERRUPT_WINDOW] = vcpu_x86_exit_irq_window,
	/* The NMI window opened: vcpu_x86_inject_events() injects. */
	[EXIT_REASON_NMI_WINDOW] = vcpu_vmx_exit_nothing,
	[EXIT_REASON_INIT_SIGNAL] = vcpu_vmx_exit_nothing,
	[EXIT_REASON_CPUID] = vcpu_vmx_exit_cpuid,
	[EXIT_REASON_HLT] = vcpu_vmx_exit_hlt,
	[EXIT_REASON_INVD] = vcpu_vmx_exit_skip,
	[EXIT_REASON_VMCALL] = vcpu_vmx_exit_vmcall,
	[EXIT_REASON_VMCLEAR] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMLAUNCH] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMPTRLD] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMPTRST] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMREAD] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMRESUME] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMWRITE] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMOFF] = vcpu_x86_exit_refuse,
	[EXIT_REASON_VMON] = vcpu_x86_exit_refuse,
	[EXIT_REASON_CR_ACCESS] = vcpu_vmx_exit_cr,
	[EXIT_REASON_DR_ACCESS] = vcpu_vmx_exit_dr,
	[EXIT_REASON_IO_INSTRUCTION] = vcpu_vmx_exit_io,
	[EXIT_REASON_MSR_READ] = vcpu_vmx_exit_rdmsr,
	[EXIT_REASON_MSR_WRITE] = vcpu_vmx_exit_wrmsr,
	[EXIT_REASON_MWAIT_INSTRUCTION] = vcpu_x86_exit_refuse,
	[EXIT_REASON_MONITOR_INSTRUCTION] = vcpu_x86_exit_refuse,
	[EXIT_REASON_EPT_VIOLATION] = vcpu_vmx_exit_ept_violation,
	[EXIT_REASON_INVEPT] = vcpu_x86_exit_refuse,
	[EXIT_REASON_INVVPID] = vcpu_x86_exit_refuse,
	[EXIT_REASON_XSETBV] = vcpu_vmx_exit_xsetbv,
	[EXIT_REASON_PREEMPTION_TIMER] = vcpu_vmx_exit_nothing,
	[EXIT_REASON_VMFUNC] = vcpu_x86_exit_refuse,
};

/*
 * Reasons whose handler reads or changes the system registers (MSR exits:
 * vcpu_vmx_vmcs_exit_msr()).
 */
bool vcpu_vmx_exit_needs_sregs(u32 basic)
{
	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:
	case EXIT_REASON_CR_ACCESS:
	case EXIT_REASON_DR_ACCESS:
	case EXIT_REASON_EPT_VIOLATION:
	case EXIT_REASON_TRIPLE_FAULT:
	case EXIT_REASON_XSETBV:	/* CR4.OSXSAVE and the CPL */
		return true;
	default:
		return false;
	}
}

void vcpu_vmx_handle_exit(struct vcpu *vcpu, u32 vector, struct vcpu_run *exit)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u32 reason = vmx->exit.reason;

	/*
	 * The entry failed: VMfail gives the VM-instruction error, a failed
	 * entry the exit reason with bit 31 set.  Neither is ever 0.
	 */
	if (vmx->exit.vmfail || (reason & VMX_EXIT_REASONS_FAILED_VMENTRY)) {
		/* VMfailInvalid (no current VMCS) leaves no error number. */
		if (!reason)
			reason = U32_MAX;
		exit->exit_reason = VCPU_EXIT_FAIL_ENTRY;
		exit->fail_entry.hardware_entry_failure_reason = reason;
		return;
	}
	reason &= 0xffff;
	if (reason < ARRAY_SIZE(vcpu_vmx_exit_handlers) &&
	    vcpu_vmx_exit_handlers[reason]) {
		vcpu_vmx_exit_handlers[reason](vcpu, exit);
		if (exit->exit_reason == VCPU_EXIT_EXTERNAL_INTERRUPT)
			exit->external_interrupt.vector = vector;
		return;
	}
	vcpu_vmx_exit_internal(vcpu, exit);
}
