// SPDX-License-Identifier: GPL-2.0
/*
 * The VMCS: making it active on a CPU, its controls, the host state and
 * the guest state.
 *
 * A VMCS is active on at most one CPU, the one its vCPU is bound to.  It
 * is loaded (VMCLEAR, VMPTRLD, every field written) at the first entry on
 * that CPU, and unloaded (guest state read back, VMCLEAR) at unbind and
 * when the CPU goes offline, because VMXOFF with an active VMCS may lose
 * its cached contents.  All of this runs on that CPU with interrupts off.
 */
#include <linux/io.h>
#include <linux/percpu.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>

#include "vmx.h"
#include "vmx_insn.h"

/*
 * The segment fields of the guest-state area are laid out in the ABI's
 * order (ES, CS, SS, DS, FS, GS, LDTR, TR), two encodings apart.
 */
#define VMX_SEG_FIELD(base, seg)	((base) + 2 * (seg))

/* ABI (packed AMD) attributes <-> VMX access rights. */
static u32 vcpu_vmx_ar_from_attrib(u16 attrib)
{
	u32 ar = (attrib & 0xff) | ((attrib & 0xf00) << 4);

	if (!(attrib & 0x80))
		ar |= BIT(16);		/* not present: unusable */
	return ar;
}

static u16 vcpu_vmx_attrib_from_ar(u32 ar)
{
	if (ar & BIT(16))
		return 0;
	return (ar & 0xff) | ((ar >> 4) & 0xf00);
}

void vcpu_vmx_set_cr0(struct vcpu_vmx_vcpu *vmx, u64 cr0)
{
	/*
	 * The guest sees its own value (read shadow); the CPU runs with the
	 * VMX fixed bits, less PE and PG, which an unrestricted guest owns.
	 */
	u64 fixed0 = vcpu_vmx_caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);

	vmx->sregs.cr0 = cr0;
	vmx->cr0_actual = (cr0 | fixed0) &
			  (vcpu_vmx_caps.cr0_fixed1 | X86_CR0_PG | X86_CR0_PE);
}

void vcpu_vmx_set_cr4(struct vcpu_vmx_vcpu *vmx, u64 cr4)
{
	vmx->sregs.cr4 = cr4;
	vmx->cr4_actual = (cr4 | vcpu_vmx_caps.cr4_fixed0) &
			  vcpu_vmx_caps.cr4_fixed1;
}

/* EFER.LMA decides the entry control "IA-32e mode guest". */
void vcpu_vmx_set_efer(struct vcpu_vmx_vcpu *vmx, u64 efer)
{
	vmx->sregs.efer = efer;
	vmx->entry_ctls = vcpu_vmx_caps.entry;
	if (efer & EFER_LMA)
		vmx->entry_ctls |= VM_ENTRY_IA32E_MODE;
}

void vcpu_vmx_vmcs_write_guest(struct vcpu_vmx_vcpu *vmx)
{
	const struct vcpu_x86_sregs *s = &vmx->sregs;
	int i;

	for (i = 0; i < VCPU_SEG_NR; i++) {
		vcpu_vmx_write(VMX_SEG_FIELD(GUEST_ES_SELECTOR, i),
			       s->seg[i].selector);
		vcpu_vmx_write(VMX_SEG_FIELD(GUEST_ES_BASE, i), s->seg[i].base);
		vcpu_vmx_write(VMX_SEG_FIELD(GUEST_ES_LIMIT, i),
			       s->seg[i].limit);
		vcpu_vmx_write(VMX_SEG_FIELD(GUEST_ES_AR_BYTES, i),
			       vcpu_vmx_ar_from_attrib(s->seg[i].attrib));
	}
	vcpu_vmx_write(GUEST_GDTR_BASE, s->gdtr.base);
	vcpu_vmx_write(GUEST_GDTR_LIMIT, s->gdtr.limit);
	vcpu_vmx_write(GUEST_IDTR_BASE, s->idtr.base);
	vcpu_vmx_write(GUEST_IDTR_LIMIT, s->idtr.limit);
	vcpu_vmx_write(GUEST_CR0, vmx->cr0_actual);
	vcpu_vmx_write(CR0_READ_SHADOW, s->cr0);
	vcpu_vmx_write(GUEST_CR3, s->cr3);
	vcpu_vmx_write(GUEST_CR4, vmx->cr4_actual);
	vcpu_vmx_write(CR4_READ_SHADOW, s->cr4);
	vcpu_vmx_write(GUEST_IA32_EFER, s->efer);
	vcpu_vmx_write(VM_ENTRY_CONTROLS, vmx->entry_ctls);
	vcpu_vmx_write(GUEST_IA32_PAT, vmx->guest_pat);
	vcpu_vmx_write(GUEST_SYSENTER_CS, s->msr[VCPU_X86_KEPT_SYSENTER_CS]);
	vcpu_vmx_write(GUEST_SYSENTER_ESP, s->msr[VCPU_X86_KEPT_SYSENTER_ESP]);
	vcpu_vmx_write(GUEST_SYSENTER_EIP, s->msr[VCPU_X86_KEPT_SYSENTER_EIP]);
	vcpu_vmx_write(GUEST_DR7, vmx->guest_dr7);
	vcpu_vmx_write(GUEST_IA32_DEBUGCTL, vmx->x86.dbg.debugctl);
	vcpu_vmx_write(GUEST_RIP, s->rip);
	vcpu_vmx_write(GUEST_RFLAGS, s->rflags);
	vcpu_vmx_write(GUEST_RSP, vmx->x86.gprs[VCPU_REG_RSP]);
	/* The shadow and NMI blocking survive a VMCS written afresh. */
	vcpu_vmx_write(GUEST_INTERRUPTIBILITY_INFO, vmx->interruptibility);
	vcpu_vmx_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vcpu_vmx_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmx->sregs_dirty = false;
}

void vcpu_vmx_vmcs_read_guest(struct vcpu_vmx_vcpu *vmx)
{
	struct vcpu_x86_sregs *s = &vmx->sregs;
	int i;

	for (i = 0; i < VCPU_SEG_NR; i++) {
		s->seg[i].selector =
			vcpu_vmx_read(VMX_SEG_FIELD(GUEST_ES_SELECTOR, i));
		s->seg[i].base = vcpu_vmx_read(VMX_SEG_FIELD(GUEST_ES_BASE, i));
		s->seg[i].limit =
			vcpu_vmx_read(VMX_SEG_FIELD(GUEST_ES_LIMIT, i));
		s->seg[i].attrib = vcpu_vmx_attrib_from_ar(
			vcpu_vmx_read(VMX_SEG_FIELD(GUEST_ES_AR_BYTES, i)));
	}
	s->gdtr.base = vcpu_vmx_read(GUEST_GDTR_BASE);
	s->gdtr.limit = vcpu_vmx_read(GUEST_GDTR_LIMIT);
	s->idtr.base = vcpu_vmx_read(GUEST_IDTR_BASE);
	s->idtr.limit = vcpu_vmx_read(GUEST_IDTR_LIMIT);
	/*
	 * The guest's CR0/CR4: the bits it owns (outside the guest/host
	 * masks) it changes without an exit, so they are in GUEST_CR0/CR4
	 * (CR4.PAE, CR0.WP, ... of a guest that set up paging itself); only
	 * the bits the host owns are in the read shadows.
	 */
	vmx->cr0_actual = vcpu_vmx_read(GUEST_CR0);
	s->cr0 = (vmx->cr0_actual & ~VCPU_VMX_CR0_HOST_OWNED) |
		 (vcpu_vmx_read(CR0_READ_SHADOW) & VCPU_VMX_CR0_HOST_OWNED);
	s->cr3 = vcpu_vmx_read(GUEST_CR3);
	vmx->cr4_actual = vcpu_vmx_read(GUEST_CR4);
	/* The guest's own bits as it left them, the host's as it sees them. */
	s->cr4 = (vmx->cr4_actual & VCPU_X86_CR4_BASELINE) |
		 (vcpu_vmx_read(CR4_READ_SHADOW) & ~VCPU_X86_CR4_BASELINE);
	s->efer = vcpu_vmx_read(GUEST_IA32_EFER);
	vmx->guest_pat = vcpu_vmx_read(GUEST_IA32_PAT);
	s->msr[VCPU_X86_KEPT_SYSENTER_CS] = vcpu_vmx_read(GUEST_SYSENTER_CS);
	s->msr[VCPU_X86_KEPT_SYSENTER_ESP] = vcpu_vmx_read(GUEST_SYSENTER_ESP);
	s->msr[VCPU_X86_KEPT_SYSENTER_EIP] = vcpu_vmx_read(GUEST_SYSENTER_EIP);
	vmx->sregs_stale = false;
}

/* The host state that never changes while the VMCS is on this CPU. */
static void vcpu_vmx_vmcs_write_host_const(int cpu)
{
	struct desc_ptr idt;
	u64 v;

	vcpu_vmx_write(HOST_CR0, read_cr0());
	vcpu_vmx_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vcpu_vmx_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vcpu_vmx_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	/*
	 * Data selectors with RPL/TI bits cannot be host selectors: the exit
	 * loads null ones and vcpu_vmx_vcpu_put() reloads the task's own.
	 */
	vcpu_vmx_write(HOST_DS_SELECTOR, 0);
	vcpu_vmx_write(HOST_ES_SELECTOR, 0);
	vcpu_vmx_write(HOST_FS_SELECTOR, 0);
	vcpu_vmx_write(HOST_GS_SELECTOR, 0);
	vcpu_vmx_write(HOST_TR_BASE,
		       (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vcpu_vmx_write(HOST_GDTR_BASE, (unsigned long)get_current_gdt_ro());
	store_idt(&idt);
	vcpu_vmx_write(HOST_IDTR_BASE, idt.address);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vcpu_vmx_write(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vcpu_vmx_write(HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vcpu_vmx_write(HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_EFER, v);
	vcpu_vmx_write(HOST_IA32_EFER, v);
	rdmsrl(MSR_IA32_CR_PAT, v);
	vcpu_vmx_write(HOST_IA32_PAT, v);
	vcpu_vmx_write(HOST_RIP, (unsigned long)vcpu_vmx_vmexit);
}

/*
 * The host state of the current task on @cpu: its page tables, CR4, its
 * FS base (saved by vcpu_vmx_vcpu_load()) and the CPU's kernel GS base.  A VM
 * exit loads the bases written here.  They rarely change
 * between two entries of one vCPU (same task, same CPU), so each field is
 * written only when it differs from what this VMCS holds; vcpu_vmx_vmcs_load()
 * forgets what it holds.
 */
static void vcpu_vmx_write_changed(unsigned long field, u64 *held, u64 value)
{
	if (unlikely(*held != value)) {
		vcpu_vmx_write(field, value);
		*held = value;
	}
}

void vcpu_vmx_vmcs_write_host_per_entry(struct vcpu_vmx_vcpu *vmx, int cpu)
{
	struct vcpu_vmx_host_state *h = &vmx->host;
	u64 cr3 = __read_cr3(), cr4 = cr4_read_shadow();
	u64 fs_base = vmx->host_segs.fs_base;
	u64 gs_base = cpu_kernelmode_gs_base(cpu);

	if (unlikely(!h->valid)) {
		h->cr3 = ~cr3;
		h->cr4 = ~cr4;
		h->fs_base = ~fs_base;
		h->gs_base = ~gs_base;
		h->valid = true;
	}
	vcpu_vmx_write_changed(HOST_CR3, &h->cr3, cr3);
	vcpu_vmx_write_changed(HOST_CR4, &h->cr4, cr4);
	vcpu_vmx_write_changed(HOST_FS_BASE, &h->fs_base, fs_base);
	vcpu_vmx_write_changed(HOST_GS_BASE, &h->gs_base, gs_base);
}

static void vcpu_vmx_vmcs_write_controls(struct vcpu_vmx_vcpu *vmx)
{
	vcpu_vmx_write(PIN_BASED_VM_EXEC_CONTROL, vcpu_vmx_caps.pin);
	vcpu_vmx_write(CPU_BASED_VM_EXEC_CONTROL, vcpu_vmx_caps.proc);
	vcpu_vmx_write(SECONDARY_VM_EXEC_CONTROL, vcpu_vmx_caps.proc2);
	vcpu_vmx_write(VM_EXIT_CONTROLS, vcpu_vmx_caps.exit);
	vcpu_vmx_write(VM_ENTRY_CONTROLS, vmx->entry_ctls);
	/*
	 * Machine checks belong to the host; #UD may be a VMMCALL; #DB and
	 * #AC are reflected (arch/x86/debugreg.c says why they must exit).
	 */
	vcpu_vmx_write(EXCEPTION_BITMAP, BIT(X86_TRAP_MC) | BIT(X86_TRAP_UD) |
		       BIT(X86_TRAP_DB) | BIT(X86_TRAP_AC));
	vcpu_vmx_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vcpu_vmx_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vcpu_vmx_write(CR3_TARGET_COUNT, 0);
	vcpu_vmx_write(TSC_OFFSET, vmx->x86.tsc_offset);
	vcpu_vmx_write(MSR_BITMAP, virt_to_phys(vcpu_vmx_msr_bitmap));
	vcpu_vmx_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vcpu_vmx_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vcpu_vmx_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vcpu_vmx_write(VM_ENTRY_INTR_INFO_FIELD, 0);
	/*
	 * CR0.PG and NE are the host's: guest writes to them exit (PG to
	 * switch long mode on and off, NE to keep it set).  So is every CR4
	 * bit a CPUID table may hide (VMXE, kept set, among them): a write
	 * to one exits and arch/x86 checks it against the vCPU's table
	 * (vcpu_x86_exit_cr4_write()).  The baseline bits (PGE, toggled to
	 * flush the TLB, among them) stay the guest's.
	 */
	vcpu_vmx_write(CR0_GUEST_HOST_MASK, VCPU_VMX_CR0_HOST_OWNED);
	vcpu_vmx_write(CR4_GUEST_HOST_MASK, ~VCPU_X86_CR4_BASELINE);
	vcpu_vmx_write(EPT_POINTER, vcpu_vmx_eptp(vmx->vcpu->vm));
	if (vcpu_vmx_caps.vpid)
		vcpu_vmx_write(VIRTUAL_PROCESSOR_ID, vmx->vpid);
	vcpu_vmx_write(VMCS_LINK_POINTER, -1ULL);
	if (vcpu_vmx_caps.preemption_timer)
		vcpu_vmx_write(VMX_PREEMPTION_TIMER_VALUE,
			       vcpu_vmx_caps.preemption_timer);
}

void vcpu_vmx_vmcs_load(struct vcpu_vmx_vcpu *vmx, int cpu)
{
	struct vcpu_vmx_cpu_data *sd = this_cpu_ptr(&vcpu_vmx_cpu_data);

	vcpu_vmx_vmclear(vmx->vmcs_pa);
	vcpu_vmx_vmptrld(vmx->vmcs_pa);
	sd->current_vmcs = vmx;
	list_add(&vmx->loaded, &sd->loaded);
	vmx->loaded_cpu = cpu;
	vmx->launched = false;
	vmx->host.valid = false;

	vcpu_vmx_vmcs_write_controls(vmx);
	vcpu_vmx_vmcs_write_host_const(cpu);
	vcpu_vmx_vmcs_write_guest(vmx);
	/*
	 * This CPU may hold translations tagged with this EPTP (a freed
	 * table page reused) or this VPID (a recycled vCPU): drop them.
	 */
	vcpu_vmx_ept_flush(vmx->vcpu->vm);
	if (vcpu_vmx_caps.vpid)
		vcpu_vmx_invvpid(vcpu_vmx_caps.invvpid_context ?
					 VMX_VPID_EXTENT_SINGLE_CONTEXT :
					 VMX_VPID_EXTENT_ALL_CONTEXT,
				 vmx->vpid);
}

void vcpu_vmx_vmcs_unload(struct vcpu_vmx_vcpu *vmx)
{
	struct vcpu_vmx_cpu_data *sd = this_cpu_ptr(&vcpu_vmx_cpu_data);

	if (sd->current_vmcs != vmx) {
		vcpu_vmx_vmptrld(vmx->vmcs_pa);
		sd->current_vmcs = vmx;
	}
	if (vmx->sregs_stale)
		vcpu_vmx_vmcs_read_guest(vmx);
	vcpu_vmx_vmclear(vmx->vmcs_pa);
	sd->current_vmcs = NULL;
	if (vcpu_vmx_caps.vpid)
		vcpu_vmx_invvpid(vcpu_vmx_caps.invvpid_context ?
					 VMX_VPID_EXTENT_SINGLE_CONTEXT :
					 VMX_VPID_EXTENT_ALL_CONTEXT,
				 vmx->vpid);
	list_del_init(&vmx->loaded);
	vmx->loaded_cpu = -1;
	vmx->launched = false;
}
