// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel VMX backend: capabilities, VMXON per CPU, the vCPU's VMCS and
 * its architectural state.  The VMCS handling is in vmx_vmcs.c, the world
 * switch in vmx_run.c and vmx_vmenter.S, exit handlers in vmx_exit.c.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>

#include "backend.h"
#include "vmx.h"
#include "vmx_backend.h"
#include "vmx_insn.h"

DEFINE_PER_CPU(struct vcpu_vmx_cpu_data, vcpu_vmx_cpu_data);
struct vcpu_vmx_caps vcpu_vmx_caps;
static DEFINE_IDA(vcpu_vmx_vpid_ida);

/*
 * A control word: @want bits must be settable (else -ENODEV), @opt bits
 * are taken when settable, and the bits the CPU requires are added.  The
 * capability MSR holds allowed 0-settings low and allowed 1-settings high.
 */
static int vcpu_vmx_adjust(u32 msr, u32 want, u32 opt, u32 *ctl)
{
	u64 cap;
	u32 must, may;

	rdmsrl(msr, cap);
	must = (u32)cap;
	may = cap >> 32;
	if ((want & may) != want)
		return -ENODEV;
	*ctl = (want | (opt & may) | must) & may;
	return 0;
}

/*
 * The VMX preemption timer makes a running guest exit at least once a
 * millisecond.  External-interrupt exiting alone is enough on hardware,
 * where the timer costs one exit per millisecond of uninterrupted guest
 * time; it is kept because a CPU model that fails to recognise a pending
 * interrupt (Bochs 2.7 masks INTR in a guest entered with IF clear) would
 * otherwise never give the CPU back to the host.  It counts down at the
 * TSC rate divided by 2^IA32_VMX_MISC[4:0].
 */
static void vcpu_vmx_preemption_timer_setup(void)
{
	u64 misc, ticks;

	if (!(vcpu_vmx_caps.pin & PIN_BASED_VMX_PREEMPTION_TIMER) || !tsc_khz) {
		vcpu_vmx_caps.pin &= ~PIN_BASED_VMX_PREEMPTION_TIMER;
		return;
	}
	rdmsrl(MSR_IA32_VMX_MISC, misc);
	ticks = (u64)tsc_khz >> VMX_CAP_MISC_TIMER_RATE(misc);
	vcpu_vmx_caps.preemption_timer = clamp_val(ticks, 1, U32_MAX);
}

static int vcpu_vmx_read_caps(void)
{
	u64 basic, ept_vpid, proc_cap;
	bool true_ctls;
	u32 cap_pin, cap_proc, cap_exit, cap_entry;
	int ret;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	vcpu_vmx_caps.revision = VMX_CAP_BASIC_REVISION(basic);
	if (VMX_CAP_BASIC_VMCS_SIZE(basic) > PAGE_SIZE ||
	    VMX_CAP_BASIC_MEM_TYPE(basic) != VMX_CAP_MEM_TYPE_WB)
		return -ENODEV;
	true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	cap_pin = true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
			      MSR_IA32_VMX_PINBASED_CTLS;
	cap_proc = true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			       MSR_IA32_VMX_PROCBASED_CTLS;
	cap_exit = true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			       MSR_IA32_VMX_EXIT_CTLS;
	cap_entry = true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
				MSR_IA32_VMX_ENTRY_CTLS;

	/*
	 * Host interrupts and NMIs exit; the host services them.  Virtual
	 * NMIs: the CPU tracks the guest's NMI blocking (events.c), which
	 * every CPU with EPT and unrestricted guest offers.  The
	 * preemption timer, when there is one, is a backstop: see
	 * vcpu_vmx_preemption_timer_setup().
	 */
	ret = vcpu_vmx_adjust(cap_pin, PIN_BASED_EXT_INTR_MASK |
			      PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS,
			      PIN_BASED_VMX_PREEMPTION_TIMER,
			      &vcpu_vmx_caps.pin);
	/*
	 * MSRs exit as the bitmap (vcpu_vmx_msr_bitmap) says.  All port I/O
	 * exits.  MONITOR/MWAIT exit (they get #UD) so the guest cannot park
	 * the physical CPU.  RDTSC/RDTSCP do not exit: they read the host's
	 * TSC plus the vCPU's offset (VCPU_REG_X86_TSC_OFFSET).
	 */
	ret = ret ?: vcpu_vmx_adjust(cap_proc, CPU_BASED_HLT_EXITING |
				     CPU_BASED_UNCOND_IO_EXITING |
				     CPU_BASED_USE_MSR_BITMAPS |
				     CPU_BASED_MWAIT_EXITING |
				     CPU_BASED_MOV_DR_EXITING |
				     CPU_BASED_MONITOR_EXITING |
				     CPU_BASED_USE_TSC_OFFSETTING |
				     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, 0,
				     &vcpu_vmx_caps.proc);
	ret = ret ?: vcpu_vmx_adjust(MSR_IA32_VMX_PROCBASED_CTLS2,
				     SECONDARY_EXEC_ENABLE_EPT |
				     SECONDARY_EXEC_UNRESTRICTED_GUEST,
				     SECONDARY_EXEC_ENABLE_VPID |
				     SECONDARY_EXEC_ENABLE_RDTSCP |
				     SECONDARY_EXEC_ENABLE_INVPCID,
				     &vcpu_vmx_caps.proc2);
	/*
	 * Interrupts are acknowledged by the exit and dispatched to the host's
	 * IDT handler (as KVM does): their vector is then known exactly.
	 */
	/*
	 * DR7 and DEBUGCTL are the guest's while it runs (debug controls);
	 * an exit leaves DR7 0x400 and DEBUGCTL 0 for the host to restore.
	 */
	ret = ret ?: vcpu_vmx_adjust(cap_exit, VM_EXIT_HOST_ADDR_SPACE_SIZE |
				     VM_EXIT_SAVE_DEBUG_CONTROLS |
				     VM_EXIT_LOAD_IA32_EFER |
				     VM_EXIT_SAVE_IA32_EFER |
				     VM_EXIT_LOAD_IA32_PAT |
				     VM_EXIT_SAVE_IA32_PAT, 0,
				     &vcpu_vmx_caps.exit);
	ret = ret ?: vcpu_vmx_adjust(cap_entry, VM_ENTRY_LOAD_IA32_EFER |
				     VM_ENTRY_LOAD_DEBUG_CONTROLS |
				     VM_ENTRY_LOAD_IA32_PAT, 0,
				     &vcpu_vmx_caps.entry);
	if (ret)
		return ret;
	/* The NMI window is set per entry (vcpu_vmx_set_window()). */
	rdmsrl(cap_proc, proc_cap);
	if (!((proc_cap >> 32) & CPU_BASED_NMI_WINDOW_EXITING))
		return -ENODEV;
	/* IA-32e mode is set per vCPU, from the guest's EFER.LMA. */
	vcpu_vmx_caps.entry &= ~VM_ENTRY_IA32E_MODE;

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, ept_vpid);
	if (!(ept_vpid & VMX_EPT_PAGE_WALK_4_BIT) ||
	    !(ept_vpid & VMX_EPTP_WB_BIT) || !(ept_vpid & VMX_EPT_INVEPT_BIT))
		return -ENODEV;
	vcpu_vmx_caps.invept_context = ept_vpid & VMX_EPT_EXTENT_CONTEXT_BIT;
	vcpu_vmx_caps.vpid =
		(vcpu_vmx_caps.proc2 & SECONDARY_EXEC_ENABLE_VPID) &&
		((ept_vpid >> 32) & VMX_VPID_INVVPID_BIT);
	if (!vcpu_vmx_caps.vpid)
		vcpu_vmx_caps.proc2 &= ~SECONDARY_EXEC_ENABLE_VPID;
	vcpu_vmx_caps.invvpid_context = (ept_vpid >> 32) &
					VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT;

	vcpu_vmx_preemption_timer_setup();

	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, vcpu_vmx_caps.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, vcpu_vmx_caps.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, vcpu_vmx_caps.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, vcpu_vmx_caps.cr4_fixed1);
	return 0;
}

static int vcpu_vmx_cpu_enable(void)
{
	struct vcpu_vmx_cpu_data *sd = this_cpu_ptr(&vcpu_vmx_cpu_data);
	u64 feat;

	/* Someone (KVM) is in VMX operation here: CR4.VMXE tells. */
	if (__read_cr4() & X86_CR4_VMXE)
		return -EBUSY;
	rdmsrl(MSR_IA32_FEAT_CTL, feat);
	if (!(feat & FEAT_CTL_LOCKED) ||
	    !(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX))
		return -ENODEV;

	*(u32 *)sd->vmxon_region = vcpu_vmx_caps.revision;
	cr4_set_bits(X86_CR4_VMXE);
	if (!vcpu_vmx_vmxon(sd->vmxon_pa)) {
		cr4_clear_bits(X86_CR4_VMXE);
		return -EBUSY;
	}
	/* Translations another VMM left tagged with EPTPs/VPIDs. */
	vcpu_vmx_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	if (vcpu_vmx_caps.vpid)
		vcpu_vmx_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0);
	sd->current_vmcs = NULL;
	return 0;
}

/* See vmx_insn.h. */
void vcpu_vmx_insn_failed(enum vcpu_vmx_insn insn, unsigned long arg,
			  bool fault)
{
	static const char *const names[] = {
		[VCPU_VMX_VMXON] = "VMXON", [VCPU_VMX_VMCLEAR] = "VMCLEAR",
		[VCPU_VMX_VMPTRLD] = "VMPTRLD", [VCPU_VMX_VMREAD] = "VMREAD",
		[VCPU_VMX_VMWRITE] = "VMWRITE", [VCPU_VMX_INVEPT] = "INVEPT",
		[VCPU_VMX_INVVPID] = "INVVPID",
	};

	if (fault)
		pr_err_ratelimited("%s %#lx faulted on CPU %d: VMX is off\n",
				   names[insn], arg, raw_smp_processor_id());
	else
		pr_err_ratelimited("%s %#lx failed on CPU %d\n", names[insn],
				   arg, raw_smp_processor_id());
}

static void vcpu_vmx_cpu_disable(void)
{
	struct vcpu_vmx_cpu_data *sd = this_cpu_ptr(&vcpu_vmx_cpu_data);
	struct vcpu_vmx_vcpu *vmx, *tmp;

	/* VMXOFF may drop the cached state of active VMCSs: clear them. */
	list_for_each_entry_safe(vmx, tmp, &sd->loaded, loaded)
		vcpu_vmx_vmcs_unload(vmx);
	vcpu_vmx_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
}

/*
 * Crash or emergency reboot, in NMI context, on every CPU: whoever set
 * CR4.VMXE (this module or KVM), leave VMX operation, or INIT stays
 * blocked for the next kernel.  CR4.VMXE may be set outside VMX operation
 * (between the two steps of vcpu_vmx_cpu_enable()): VMXOFF's #UD is then
 * ignored.
 */
static void vcpu_vmx_cpu_emergency_disable(void)
{
	if (!(__read_cr4() & X86_CR4_VMXE))
		return;
	vcpu_vmx_vmxoff_fault_ok();
	cr4_clear_bits(X86_CR4_VMXE);
}

/* @vcpu->arch: a zeroed struct vcpu_vmx_vcpu, in the vCPU's allocation. */
static int vcpu_vmx_vcpu_create(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	int ret;

	vmx->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vmx->vmcs)
		return -ENOMEM;
	*(u32 *)vmx->vmcs = vcpu_vmx_caps.revision;
	vmx->vmcs_pa = virt_to_phys(vmx->vmcs);
	ret = vcpu_x86_init(&vmx->x86, &vcpu_vmx_x86_ops);
	if (ret)
		goto err_vmcs;
	if (vcpu_vmx_caps.vpid) {
		ret = ida_alloc_range(&vcpu_vmx_vpid_ida, 1, 0xffff,
				      GFP_KERNEL);
		if (ret < 0)
			goto err_x86;
		vmx->vpid = ret;
	}
	INIT_LIST_HEAD(&vmx->loaded);
	vmx->vcpu = vcpu;
	vmx->loaded_cpu = -1;
	vmx->guest_pat = 0x0007040600070406ULL;	/* the power-on PAT */
	vcpu_vmx_set_efer(vmx, 0);
	return 0;

err_x86:
	vcpu_x86_destroy(&vmx->x86);
err_vmcs:
	free_page((unsigned long)vmx->vmcs);
	return ret;
}

static void vcpu_vmx_vcpu_destroy(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	/* Unbound by now: the VMCS is active nowhere. */
	vcpu_x86_destroy(&vmx->x86);
	if (vmx->vpid)
		ida_free(&vcpu_vmx_vpid_ida, vmx->vpid);
	vcpu_x86_destroy(&vmx->x86);
	free_page((unsigned long)vmx->vmcs);
}

static int vcpu_vmx_vcpu_setup(struct vcpu *vcpu,
			       const struct vcpu_setup *setup)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	struct vcpu_x86_sregs s;

	vcpu_x86_debug_reset(vcpu);
	vcpu_x86_initial_state(setup, &s, vmx->x86.gprs);
	vmx->sregs = s;
	vcpu_vmx_set_cr0(vmx, s.cr0);
	vcpu_vmx_set_cr4(vmx, s.cr4);
	vcpu_vmx_set_efer(vmx, s.efer);
	vmx->pending_event = 0;
	vmx->sregs_dirty = true;
	return 0;
}

static void vcpu_vmx_bind_fn(void *arg)
{
	struct vcpu_vmx_vcpu *vmx = arg;
	int cpu = smp_processor_id();

	if (vmx->loaded_cpu != cpu)
		vcpu_vmx_vmcs_load(vmx, cpu);
}

/*
 * Bind makes the VMCS active and current on its CPU (VMCLEAR, VMPTRLD,
 * every field written); unbind reads the guest state back and VMCLEARs
 * it.  Should the CPU go offline meanwhile, vcpu_vmx_cpu_disable() unloads it
 * and the next entry there loads it again.
 */
static int vcpu_vmx_vcpu_bind(struct vcpu *vcpu)
{
	return smp_call_function_single(vcpu->cpu, vcpu_vmx_bind_fn,
					to_vmx(vcpu), 1);
}

static void vcpu_vmx_unbind_fn(void *arg)
{
	struct vcpu_vmx_vcpu *vmx = arg;

	if (vmx->loaded_cpu == smp_processor_id())
		vcpu_vmx_vmcs_unload(vmx);
}

static void vcpu_vmx_vcpu_unbind(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	int cpu = READ_ONCE(vmx->loaded_cpu);

	/* An offline CPU already unloaded it (vcpu_vmx_cpu_disable). */
	if (cpu >= 0)
		smp_call_function_single(cpu, vcpu_vmx_unbind_fn, vmx, 1);
}

/*
 * The system registers after an exit are in the VMCS, which only its CPU
 * can read: bring them into vmx->sregs there.
 */
static void vcpu_vmx_sync_fn(void *arg)
{
	struct vcpu_vmx_vcpu *vmx = arg;
	struct vcpu_vmx_cpu_data *sd = this_cpu_ptr(&vcpu_vmx_cpu_data);

	if (vmx->loaded_cpu != smp_processor_id() || !vmx->sregs_stale)
		return;
	if (sd->current_vmcs != vmx) {
		vcpu_vmx_vmptrld(vmx->vmcs_pa);
		sd->current_vmcs = vmx;
	}
	vcpu_vmx_vmcs_read_guest(vmx);
}

static void vcpu_vmx_sync_sregs(struct vcpu_vmx_vcpu *vmx)
{
	int cpu = READ_ONCE(vmx->loaded_cpu);

	if (vmx->sregs_stale && cpu >= 0)
		smp_call_function_single(cpu, vcpu_vmx_sync_fn, vmx, 1);
}

void vcpu_vmx_x86_get_rip(struct vcpu *vcpu, u64 *rip, u64 *rflags)
{
	const struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	*rip = vmx->sregs.rip;
	*rflags = vmx->sregs.rflags;
}

/* RIP, RFLAGS and RSP are written at every entry. */
void vcpu_vmx_x86_set_rip(struct vcpu *vcpu, u64 rip, u64 rflags)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	vmx->sregs.rip = rip;
	vmx->sregs.rflags = rflags;
}

void vcpu_vmx_x86_get_sregs(struct vcpu *vcpu, struct vcpu_x86_sregs *s)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	vcpu_vmx_sync_sregs(vmx);
	*s = vmx->sregs;
	/*
	 * Outside the run loop (the only place ONE_REG reaches) the guest's
	 * KERNEL_GS_BASE is in vmx, not in the CPU (vcpu_vmx_vcpu_put()).
	 */
	s->msr[VCPU_X86_KEPT_KERNEL_GS_BASE] = vmx->guest_kernel_gs_base;
	memcpy(&s->msr[VCPU_X86_KEPT_STAR], vmx->guest_syscall,
	       sizeof(vmx->guest_syscall));
	s->msr[VCPU_X86_KEPT_PAT] = vmx->guest_pat;
	s->msr_valid = BIT(VCPU_X86_KEPT_KERNEL_GS_BASE) |
		       BIT(VCPU_X86_KEPT_STAR) | BIT(VCPU_X86_KEPT_LSTAR) |
		       BIT(VCPU_X86_KEPT_CSTAR) | BIT(VCPU_X86_KEPT_SFMASK) |
		       BIT(VCPU_X86_KEPT_SYSENTER_CS) |
		       BIT(VCPU_X86_KEPT_SYSENTER_ESP) |
		       BIT(VCPU_X86_KEPT_SYSENTER_EIP) | BIT(VCPU_X86_KEPT_PAT);
}

/* guest_syscall[] is the kept-MSR range STAR..SFMASK, in order. */
static_assert(VCPU_X86_KEPT_SFMASK - VCPU_X86_KEPT_STAR + 1 == VCPU_VMX_SYSCALL_MSRS);

void vcpu_vmx_x86_set_sregs(struct vcpu *vcpu, const struct vcpu_x86_sregs *s)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	vmx->sregs = *s;
	vmx->guest_kernel_gs_base = s->msr[VCPU_X86_KEPT_KERNEL_GS_BASE];
	memcpy(vmx->guest_syscall, &s->msr[VCPU_X86_KEPT_STAR],
	       sizeof(vmx->guest_syscall));
	vmx->guest_pat = s->msr[VCPU_X86_KEPT_PAT];
	vcpu_vmx_set_cr0(vmx, s->cr0);
	vcpu_vmx_set_cr4(vmx, s->cr4);
	vcpu_vmx_set_efer(vmx, s->efer);
	vmx->sregs_dirty = true;
}

/*
 * DR6 is not in the VMCS: the guest's is struct vcpu_x86's (debugreg.c).
 * DR7 goes in with the guest state, whose other fields must then be
 * current (after an exit that did not read them, an IPI reads them).
 */
u64 vcpu_vmx_x86_get_dr(struct vcpu *vcpu, unsigned int n)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	return n == 6 ? vmx->x86.dbg.dr6 : vmx->guest_dr7;
}

void vcpu_vmx_x86_set_dr(struct vcpu *vcpu, unsigned int n, u64 value)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	if (n == 6) {
		vmx->x86.dbg.dr6 = value;
		return;
	}
	vcpu_vmx_sync_sregs(vmx);
	vmx->guest_dr7 = value;
	vmx->sregs_dirty = true;
}

const struct vcpu_x86_vendor_ops vcpu_vmx_x86_ops = {
	.skip = vcpu_vmx_x86_skip,
	.inject_exception = vcpu_vmx_x86_inject_exception,
	.set_cr2 = vcpu_vmx_x86_set_cr2,
	.cpl = vcpu_vmx_x86_cpl,
	.get_cr4 = vcpu_vmx_x86_get_cr4,
	.get_rip = vcpu_vmx_x86_get_rip,
	.set_rip = vcpu_vmx_x86_set_rip,
	.get_sregs = vcpu_vmx_x86_get_sregs,
	.set_sregs = vcpu_vmx_x86_set_sregs,
	.msr = vcpu_vmx_x86_msr,
	.irq_allowed = vcpu_vmx_x86_irq_allowed,
	.inject_irq = vcpu_vmx_x86_inject_irq,
	.irq_window = vcpu_vmx_x86_irq_window,
	.nmi_allowed = vcpu_vmx_x86_nmi_allowed,
	.inject_nmi = vcpu_vmx_x86_inject_nmi,
	.nmi_window = vcpu_vmx_x86_nmi_window,
	.event_queued = vcpu_vmx_x86_event_queued,
	.get_events = vcpu_vmx_x86_get_events,
	.set_events = vcpu_vmx_x86_set_events,
	.set_tsc_offset = vcpu_vmx_x86_set_tsc_offset,
	.get_dr = vcpu_vmx_x86_get_dr,
	.set_dr = vcpu_vmx_x86_set_dr,
};

/*
 * One MSR bitmap for every vCPU (the CPU only reads it): a set bit makes
 * the access exit.  Read bitmaps for MSRs 0..0x1fff at 0, 0xc0000000..
 * 0xc0001fff at 1 KiB; write bitmaps at 2 and 3 KiB.  The policy is
 * arch/x86/msr.c's.
 */
void *vcpu_vmx_msr_bitmap;

static void vcpu_vmx_msr_bitmap_allow(u8 *bitmap, u32 msr)
{
	unsigned int base;

	if (msr < 0x2000)
		base = 0;
	else if (msr - 0xc0000000 < 0x2000)
		base = 0x400, msr -= 0xc0000000;
	else
		return;
	__clear_bit(msr, (unsigned long *)(bitmap + base));
	__clear_bit(msr, (unsigned long *)(bitmap + base + 0x800));
}

static int vcpu_vmx_msr_bitmap_init(void)
{
	const u32 *pass;
	unsigned int i, n;

	vcpu_vmx_msr_bitmap = (void *)__get_free_page(GFP_KERNEL);
	if (!vcpu_vmx_msr_bitmap)
		return -ENOMEM;
	memset(vcpu_vmx_msr_bitmap, 0xff, PAGE_SIZE);
	pass = vcpu_x86_msr_passthrough(VCPU_X86_VMX, &n);
	for (i = 0; i < n; i++)
		vcpu_vmx_msr_bitmap_allow(vcpu_vmx_msr_bitmap, pass[i]);
	return 0;
}

static void vcpu_vmx_backend_exit(void)
{
	int cpu;

	vcpu_vmx_l1d_exit();
	free_page((unsigned long)vcpu_vmx_msr_bitmap);
	vcpu_vmx_msr_bitmap = NULL;

	for_each_possible_cpu(cpu) {
		struct vcpu_vmx_cpu_data *sd =
			per_cpu_ptr(&vcpu_vmx_cpu_data, cpu);

		free_page((unsigned long)sd->vmxon_region);
		sd->vmxon_region = NULL;
	}
}

static const struct vcpu_backend_ops vcpu_vmx_ops = {
	.name = "vmx",
	.backend_id = VCPU_BACKEND_VMX,
	VCPU_X86_BACKEND_MODES,
	.cpu_enable = vcpu_vmx_cpu_enable,
	.cpu_disable = vcpu_vmx_cpu_disable,
	.cpu_emergency_disable = vcpu_vmx_cpu_emergency_disable,
	.pt_format = vcpu_vmx_ept_format,
	.max_gpa = vcpu_vmx_ept_max_gpa,
	.vcpu_size = sizeof(struct vcpu_vmx_vcpu),
	.vcpu_align = __alignof__(struct vcpu_vmx_vcpu),
	.vcpu_create = vcpu_vmx_vcpu_create,
	.vcpu_destroy = vcpu_vmx_vcpu_destroy,
	.vcpu_setup = vcpu_vmx_vcpu_setup,
	.vcpu_bind = vcpu_vmx_vcpu_bind,
	.vcpu_unbind = vcpu_vmx_vcpu_unbind,
	.enter = vcpu_vmx_enter,
	.handle_exit = vcpu_vmx_handle_exit,
	.vcpu_load = vcpu_vmx_vcpu_load,
	.vcpu_put = vcpu_vmx_vcpu_put,
	VCPU_X86_BACKEND_OPS,
	.exit = vcpu_vmx_backend_exit,
};

/*
 * What the guest cannot execute with these controls: RDTSCP and RDPID
 * #UD without "enable RDTSCP", INVPCID without "enable INVPCID", and
 * TPAUSE/UMWAIT without "enable user wait and pause" (never set).
 */
static u32 vcpu_vmx_cpuid_hide(void)
{
	u32 hide = VCPU_X86_CPUID_HIDE_WAITPKG;

	if (!(vcpu_vmx_caps.proc2 & SECONDARY_EXEC_ENABLE_RDTSCP))
		hide |= VCPU_X86_CPUID_HIDE_RDTSCP;
	if (!(vcpu_vmx_caps.proc2 & SECONDARY_EXEC_ENABLE_INVPCID))
		hide |= VCPU_X86_CPUID_HIDE_INVPCID;
	return hide;
}

const struct vcpu_backend_ops *vcpu_vmx_backend_probe(void)
{
	int cpu, ret;

	/* CPUID itself: the kernel may hide the flag when firmware locked VMX off. */
	if (!(cpuid_ecx(1) & BIT(X86_FEATURE_VMX & 31))) {
		pr_err("VMX unavailable on this CPU\n");
		return ERR_PTR(-ENODEV);
	}
	ret = vcpu_vmx_read_caps();
	if (ret) {
		pr_err("VMX lacks what this module needs (EPT with 4 levels and write-back, unrestricted guest, true controls)\n");
		return ERR_PTR(ret);
	}
	if (vcpu_vmx_msr_bitmap_init() || vcpu_vmx_l1d_init()) {
		vcpu_vmx_backend_exit();
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu) {
		struct vcpu_vmx_cpu_data *sd =
			per_cpu_ptr(&vcpu_vmx_cpu_data, cpu);

		INIT_LIST_HEAD(&sd->loaded);
		sd->vmxon_region = (void *)get_zeroed_page(GFP_KERNEL);
		if (!sd->vmxon_region) {
			vcpu_vmx_backend_exit();
			return ERR_PTR(-ENOMEM);
		}
		sd->vmxon_pa = virt_to_phys(sd->vmxon_region);
	}
	if (vcpu_x86_cpuid_init(vcpu_vmx_cpuid_hide())) {
		pr_err("the default CPUID table does not fit\n");
		vcpu_vmx_backend_exit();
		return ERR_PTR(-E2BIG);
	}
	return &vcpu_vmx_ops;
}
