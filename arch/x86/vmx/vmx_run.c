// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX world switch, in the steps of module/entry.h's sequence (which
 * has interrupts off around them):
 * vcpu_vmx_enter() (the VMCS made current and written:
 * vcpu_vmx_prepare_entry()), then vcpu_vmx_handle_exit() (vmx_exit.c) with
 * interrupts on.
 *
 * Everything that touches the VMCS happens with interrupts disabled on the
 * bound CPU: once they are enabled again an IPI (vcpu_vmx_sync_fn) or another
 * vCPU scheduled on this CPU may make a different VMCS current.  The exit
 * information is therefore read before that, and the handlers work on the
 * copies (vmx->exit, vmx->sregs).
 *
 * State a VM entry/exit does not switch: CR2, XCR0 and PKRU, switched
 * around every entry here (vcpu_x86_fpu_enter/exit()); the FPU registers,
 * the guest's for the whole RUN (arch/x86/fpu.c); MSR_KERNEL_GS_BASE
 * (the guest's SWAPGS swaps with it), the host data segment selectors, the GDT limit
 * (an exit sets it to 0xffff) and the TSS limit (an exit sets it to 0x67),
 * switched once per loaded window (vcpu_vmx_vcpu_load/put).
 */
#include <linux/sched.h>
#include <asm/desc.h>
#include <asm/fsgsbase.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <uapi/asm/debugreg.h>

#include "backend.h"
#include "vmx.h"
#include "vmx_insn.h"

/* Make @vmx's VMCS current on @cpu, loading it there the first time. */
static void vcpu_vmx_vmcs_enter(struct vcpu_vmx_vcpu *vmx, int cpu)
{
	struct vcpu_vmx_cpu_data *sd = this_cpu_ptr(&vcpu_vmx_cpu_data);

	if (vmx->loaded_cpu != cpu) {
		vcpu_vmx_vmcs_load(vmx, cpu);
	} else if (sd->current_vmcs != vmx) {
		vcpu_vmx_vmptrld(vmx->vmcs_pa);
		sd->current_vmcs = vmx;
	}
	if (vmx->sregs_dirty) {
		vcpu_vmx_vmcs_write_guest(vmx);
	} else {
		vcpu_vmx_write(GUEST_RIP, vmx->sregs.rip);
		vcpu_vmx_write(GUEST_RFLAGS, vmx->sregs.rflags);
		vcpu_vmx_write(GUEST_RSP, vmx->x86.gprs[VCPU_REG_RSP]);
	}
	if (vcpu_x86_tlb_stale(vmx->vcpu))
		vcpu_vmx_ept_flush(vmx->vcpu->vm);
	if (unlikely(vmx->tsc_offset_dirty)) {
		vcpu_vmx_write(TSC_OFFSET, vmx->x86.tsc_offset);
		vmx->tsc_offset_dirty = false;
	}
}

/*
 * An MSR exit (vcpu_vmx_x86_msr()): a read of EFER needs that one field;
 * a write the kernel applies to the system state (EFER, PAT, FS/GS base,
 * DEBUGCTL) marks the whole of it dirty, so it needs the whole of it
 * fresh; every other MSR (KERNEL_GS_BASE, the x2APIC ICR, the VMM's)
 * none of it.
 */
static void vcpu_vmx_vmcs_exit_msr(struct vcpu_vmx_vcpu *vmx, bool write)
{
	switch ((u32)vmx->x86.gprs[VCPU_REG_RCX]) {
	case MSR_IA32_DEBUGCTLMSR:
		if (write)
			vcpu_vmx_vmcs_read_guest(vmx);
		break;
	case MSR_EFER:
		if (!write) {
			vmx->sregs.efer = vcpu_vmx_read(GUEST_IA32_EFER);
			break;
		}
		fallthrough;
	case MSR_IA32_CR_PAT:
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		vcpu_vmx_vmcs_read_guest(vmx);
		break;
	}
}

/* Read what the exit reported while the VMCS is current. */
static void vcpu_vmx_vmcs_exit(struct vcpu_vmx_vcpu *vmx, int fail)
{
	struct vcpu_vmx_exit_info *e = &vmx->exit;
	u32 idt;

	memset(e, 0, sizeof(*e));
	e->vmfail = fail;
	if (fail) {
		/* 2: VMLAUNCH/VMRESUME faulted (vmx_vmenter.S). */
		e->reason = fail == 2 ? VCPU_FAIL_ENTRY_FAULTED :
			    vcpu_vmx_read(VM_INSTRUCTION_ERROR);
		return;
	}
	e->reason = vcpu_vmx_read(VM_EXIT_REASON);
	if (e->reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		e->qual = vcpu_vmx_read(EXIT_QUALIFICATION);
		return;		/* the guest state was not loaded */
	}
	vmx->launched = true;
	vmx->pending_event = 0;
	vmx->interruptibility = vcpu_vmx_read(GUEST_INTERRUPTIBILITY_INFO);
	vmx->shadow_dirty = false;
	e->qual = vcpu_vmx_read(EXIT_QUALIFICATION);
	e->len = vcpu_vmx_read(VM_EXIT_INSTRUCTION_LEN);
	e->intr_info = vcpu_vmx_read(VM_EXIT_INTR_INFO);
	vmx->sregs.rip = vcpu_vmx_read(GUEST_RIP);
	vmx->sregs.rflags = vcpu_vmx_read(GUEST_RFLAGS);
	vmx->x86.gprs[VCPU_REG_RSP] = vcpu_vmx_read(GUEST_RSP);
	vmx->sregs_stale = true;
	/* The RIP width of an instruction the kernel steps over. */
	e->code64 = (vcpu_vmx_read(GUEST_IA32_EFER) & EFER_LMA) &&
		    (vcpu_vmx_read(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK);

	/*
	 * An event the exit interrupted (delivered through guest memory
	 * that faulted, say) is delivered again at the next entry.
	 */
	idt = vcpu_vmx_read(IDT_VECTORING_INFO_FIELD);
	if (idt & VECTORING_INFO_VALID_MASK) {
		vmx->pending_event = idt & ~INTR_INFO_RESVD_BITS_MASK;
		if (idt & VECTORING_INFO_DELIVER_CODE_MASK)
			vmx->pending_event_error =
				vcpu_vmx_read(IDT_VECTORING_ERROR_CODE);
		vmx->pending_event_len = e->len;
	}

	switch (e->reason & 0xffff) {
	case EXIT_REASON_EPT_VIOLATION:
	case EXIT_REASON_EPT_MISCONFIG:
		e->gpa = vcpu_vmx_read(GUEST_PHYSICAL_ADDRESS);
		e->gla = vcpu_vmx_read(GUEST_LINEAR_ADDRESS);
		break;
	}
	/*
	 * Slow paths that look at or change the system state.  Of the I/O
	 * exits only string I/O (qualification bit 4) needs the segments,
	 * of the MSR exits only those the kernel answers from them.
	 */
	switch (e->reason & 0xffff) {
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		vcpu_vmx_vmcs_exit_msr(vmx, (e->reason & 0xffff) ==
						    EXIT_REASON_MSR_WRITE);
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		if (e->qual & BIT(4))
			vcpu_vmx_vmcs_read_guest(vmx);
		break;
	default:
		if (vcpu_vmx_exit_needs_sregs(e->reason & 0xffff))
			vcpu_vmx_vmcs_read_guest(vmx);
	}
}

/*
 * The interrupt primitives of vcpu_x86_inject_irq(), with the VMCS
 * current and interrupts off after vcpu_guest_enter().  The entry checks
 * refuse an injection under an STI/MOV SS shadow; a queued exception
 * (a single-step #DB among them) goes first.
 */
bool vcpu_vmx_x86_irq_allowed(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	return !(vmx->pending_event & INTR_INFO_VALID_MASK) &&
	       (vmx->sregs.rflags & X86_EFLAGS_IF) &&
	       !(vmx->interruptibility & (GUEST_INTR_STATE_STI |
					  GUEST_INTR_STATE_MOV_SS));
}

/* The event for this entry, once the policy chose it. */
static void vcpu_vmx_write_event(struct vcpu_vmx_vcpu *vmx)
{
	if (vmx->pending_event) {
		vcpu_vmx_write(VM_ENTRY_INTR_INFO_FIELD, vmx->pending_event);
		vcpu_vmx_write(VM_ENTRY_EXCEPTION_ERROR_CODE,
			       vmx->pending_event_error);
		vcpu_vmx_write(VM_ENTRY_INSTRUCTION_LEN,
			       vmx->pending_event_len);
	}
}

void vcpu_vmx_x86_inject_irq(struct vcpu *vcpu, u8 vector)
{
	vcpu_vmx_write(VM_ENTRY_INTR_INFO_FIELD,
		       vector | INTR_TYPE_EXT_INTR | INTR_INFO_VALID_MASK);
}

/*
 * The interrupt and NMI windows (vmx->windows) in the processor-based
 * controls.  A VMCS loaded afresh has vcpu_vmx_caps.proc, without them:
 * the policy calls again while a window should be open.
 */
void vcpu_vmx_set_window(struct vcpu_vmx_vcpu *vmx, u32 bit, bool open)
{
	if (open)
		vmx->windows |= bit;
	else
		vmx->windows &= ~bit;
	vcpu_vmx_write(CPU_BASED_VM_EXEC_CONTROL,
		       vcpu_vmx_caps.proc | vmx->windows);
}

void vcpu_vmx_x86_irq_window(struct vcpu *vcpu, bool open)
{
	vcpu_vmx_set_window(to_vmx(vcpu), CPU_BASED_INTR_WINDOW_EXITING, open);
}

/*
 * The loaded window (module/sched.c): the host's data segment selectors,
 * MSR_KERNEL_GS_BASE (its user GS base) and SYSCALL MSRs (STAR, LSTAR,
 * CSTAR, SFMASK) are saved, the guest's KERNEL_GS_BASE and SYSCALL MSRs
 * are loaded, and all stay so across every entry and exit until
 * vcpu_vmx_vcpu_put().  The kernel uses none of them meanwhile: a VM exit
 * leaves null data selectors, which 64-bit kernel code does not use, and
 * SWAPGS and SYSCALL happen only on the way to and from user mode, which
 * lies outside the window (a preemption puts the vCPU first).  Without
 * the switch a guest's SYSCALL would go to the host's entry point, and
 * the guest's WRMSR LSTAR would change the host's.  The GDT limit (0xffff after an exit) and the TSS
 * limit (0x67) are restored at the put, as the task may need its I/O
 * bitmap only in user mode.
 */
static const u32 vcpu_vmx_syscall_msrs[VCPU_VMX_SYSCALL_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
};

/* Save the CPU's SYSCALL MSRs in @save, load @load. */
static void vcpu_vmx_switch_syscall(u64 *save, const u64 *load)
{
	unsigned int i;

	for (i = 0; i < VCPU_VMX_SYSCALL_MSRS; i++) {
		rdmsrl(vcpu_vmx_syscall_msrs[i], save[i]);
		wrmsrl(vcpu_vmx_syscall_msrs[i], load[i]);
	}
}

void vcpu_vmx_vcpu_load(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	struct vcpu_vmx_host_segs *h = &vmx->host_segs;

	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	h->fs_base = x86_fsbase_read_cpu();
	rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, vmx->guest_kernel_gs_base);
	vcpu_vmx_switch_syscall(h->syscall, vmx->guest_syscall);
	vmx->l1d_dirty = true;
	rdmsrl(MSR_IA32_DEBUGCTLMSR, vmx->host_debugctl);
}

void vcpu_vmx_vcpu_put(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	const struct vcpu_vmx_host_segs *h = &vmx->host_segs;

	rdmsrl(MSR_KERNEL_GS_BASE, vmx->guest_kernel_gs_base);
	wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	vcpu_vmx_switch_syscall(vmx->guest_syscall, h->syscall);
	if (h->ds)
		loadsegment(ds, h->ds);
	if (h->es)
		loadsegment(es, h->es);
	if (h->fs) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	if (h->gs)
		load_gs_index(h->gs);
	load_fixmap_gdt(smp_processor_id());
	invalidate_tss_limit();
}

/*
 * Interrupts off, on the bound CPU (module/entry.h): the VMCS current
 * with the guest state it needs, the queued interrupt, the per-entry host
 * fields.
 */
static void vcpu_vmx_prepare_entry(struct vcpu *vcpu, int cpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	vcpu_vmx_vmcs_enter(vmx, cpu);
	/*
	 * The shadow as the exit left it, or ended by vcpu_vmx_x86_skip(),
	 * or as SET_EVENTS made it.  An STI shadow with IF clear (IF changed
	 * by SET_REGS since) fails the entry checks: no STI made it, drop it.
	 */
	if (unlikely((vmx->interruptibility & GUEST_INTR_STATE_STI) &&
		     !(vmx->sregs.rflags & X86_EFLAGS_IF))) {
		vmx->interruptibility &= ~GUEST_INTR_STATE_STI;
		vmx->shadow_dirty = true;
	}
	if (vmx->shadow_dirty) {
		vcpu_vmx_write(GUEST_INTERRUPTIBILITY_INFO,
			       vmx->interruptibility);
		vmx->shadow_dirty = false;
	}
	vcpu_x86_inject_irq(vcpu);
	vcpu_vmx_write_event(vmx);
	vcpu_vmx_vmcs_write_host_per_entry(vmx, cpu);
}

/* Only the VMCS's CPU can write it: at the next entry. */
void vcpu_vmx_x86_set_tsc_offset(struct vcpu *vcpu, u64 offset)
{
	to_vmx(vcpu)->tsc_offset_dirty = true;
}

u32 vcpu_vmx_enter(struct vcpu *vcpu, int cpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u32 host_pkru = 0;
	int fail;

	vcpu_vmx_prepare_entry(vcpu, cpu);

	if (native_read_cr2() != vmx->sregs.cr2)
		native_write_cr2(vmx->sregs.cr2);
	vcpu_x86_fpu_enter(&vmx->x86, &host_pkru);
	vcpu_x86_tsc_aux_enter(&vmx->x86, cpu);
	vcpu_x86_debug_enter(&vmx->x86);
	/* Last: nothing of the host's may enter the L1D after it. */
	if (static_branch_unlikely(&vcpu_vmx_l1d_flush_key))
		vcpu_vmx_l1d_flush(vmx);

	fail = vcpu_vmx_vmenter(vmx->x86.gprs, vmx->launched, HOST_RSP);

	/* The exit cleared DEBUGCTL (and set DR7 to 0x400): the host's back. */
	if (unlikely(vmx->host_debugctl))
		wrmsrl(MSR_IA32_DEBUGCTLMSR, vmx->host_debugctl);
	vcpu_x86_debug_exit(&vmx->x86);
	vmx->sregs.cr2 = native_read_cr2();
	vcpu_x86_tsc_aux_exit(&vmx->x86);
	vcpu_x86_fpu_exit(&vmx->x86, host_pkru);
	vcpu_x86_guest_ran();

	vcpu_vmx_vmcs_exit(vmx, fail);
	if (fail)
		return 0;
	/*
	 * The interrupt that made the guest exit is still pending in the
	 * local APIC (no acknowledge-on-exit): the core names it and lets the
	 * host take it.  After the preemption timer, the host takes whatever
	 * is pending.
	 */
	switch (vmx->exit.reason) {
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		return VCPU_ENTER_HOST_IRQ;
	case EXIT_REASON_PREEMPTION_TIMER:
		return VCPU_ENTER_HOST_TAKE;
	default:
		return 0;
	}
}
