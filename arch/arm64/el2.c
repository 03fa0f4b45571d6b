// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 EL2 backend for a VHE host: probing, per-CPU enabling and the
 * guest's architectural state.  The world switch is in el2_run.c and
 * el2_entry.S, the exit handlers in el2_exit.c, stage 2 in el2_s2.c.
 *
 * The kernel must run at EL2 with HCR_EL2.E2H set (VHE): the host then
 * owns EL2 outright and this module only borrows VBAR_EL2 and the guest
 * controls while a guest runs.  A kernel at EL1 (a CPU without VHE, or
 * kvm-arm.mode=nvhe/protected, where KVM keeps EL2 for itself) cannot
 * reach EL2 from a module at all: the module refuses to load.
 */
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <asm/cputype.h>
#include <asm/kvm_arm.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

#include "backend.h"
#include "el2.h"
#include "el2_backend.h"

DEFINE_PER_CPU(struct vcpu_el2_cpu_data, vcpu_el2_cpu_data);
u32 vcpu_el2_max_vmid;
u64 vcpu_el2_vtcr;
/*
 * The guest's HCR_EL2: the kernel's own guest flags (stage 2, traps of
 * WFI/WFE, SMC, set/way, ID group 3, ACTLR, implementation-defined and
 * LORegion registers, physical IRQ/FIQ/SError to EL2, AArch64 EL1) with
 * E2H kept and TGE clear; FWB or DC added by vcpu_el2_s2_init().  IMO and FMO
 * also send the guest's GIC CPU interface accesses to the virtual one
 * (ICV_*, el2_vgic.c) and trap its SGI generation (ICC_SGI1R_EL1).
 */
u64 vcpu_el2_hcr_guest = HCR_GUEST_FLAGS | HCR_E2H;
bool vcpu_el2_kvm_present;
/* SME: TPIDR2_EL0 exists and the guest reaches it (el2.h). */
bool vcpu_el2_has_tpidr2;

/* PSTATE at SETUP: EL1h, every exception masked. */
#define EL2_PSTATE_RESET	(PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | \
				 PSR_I_BIT | PSR_F_BIT)

static_assert(offsetof(struct vcpu_el2_ctxt, sp_el0) == EL2_CTXT_SP_EL0);
static_assert(sizeof(struct vcpu_el2_ctxt) == EL2_CTXT_SIZE);

/* This CPU runs the kernel at EL2 with E2H: the only mode we can use. */
static bool vcpu_el2_cpu_is_vhe(void)
{
	return read_sysreg(CurrentEL) == CurrentEL_EL2 &&
	       (read_sysreg(hcr_el2) & HCR_E2H);
}

static int vcpu_el2_cpu_enable(void)
{
	if (!vcpu_el2_cpu_is_vhe())
		return -EBUSY;
	vcpu_el2_vmid_cpu_enable(this_cpu_ptr(&vcpu_el2_cpu_data));
	vcpu_el2_vgic_cpu_enable();
	vcpu_el2_timer_cpu_enable();
	return 0;
}

/*
 * Nothing persists at EL2 between entries (every control is restored at
 * each exit), so there is nothing to turn off but the GIC maintenance
 * interrupt; the VMIDs this CPU handed out are retired by the new
 * generation of the next enable.
 */
static void vcpu_el2_cpu_disable(void)
{
	vcpu_el2_timer_cpu_disable();
	vcpu_el2_vgic_cpu_disable();
}

/* Crash or reboot: no IRQ descriptor locks here, and nothing to undo. */
static void vcpu_el2_cpu_emergency_disable(void)
{
}

static void vcpu_el2_exit(void)
{
	vcpu_el2_timer_exit();
	vcpu_el2_vgic_exit();
}

/* @vcpu->arch: a zeroed struct vcpu_el2_vcpu, in the vCPU's allocation. */
static int vcpu_el2_vcpu_create(struct vcpu *vcpu)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);

	v->vmid_cpu = -1;
	v->tlb_gen = -1;
	vcpu_el2_idregs_reset(v);
	vcpu_el2_timer_create(vcpu);
	return 0;
}

static void vcpu_el2_vcpu_destroy(struct vcpu *vcpu)
{
	vcpu_el2_timer_destroy(vcpu);
}

static int vcpu_el2_vcpu_check_setup(const struct vcpu_setup *setup)
{
	if (setup->mode != VCPU_MODE_ARM64_EL1)
		return -EINVAL;
	/* A64 instructions are 4-byte aligned; SP_EL1 16-byte (AAPCS64). */
	if (setup->entry & 3 || setup->stack & 15 || setup->page_table)
		return -EINVAL;
	return 0;
}

static int vcpu_el2_vcpu_setup(struct vcpu *vcpu,
			       const struct vcpu_setup *setup)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);

	memset(&v->ctxt, 0, sizeof(v->ctxt));
	memset(v->sys, 0, sizeof(v->sys));
	v->ctxt.x[0] = setup->arg;
	v->pc = setup->entry;
	v->sp_el1 = setup->stack;
	v->pstate = EL2_PSTATE_RESET;
	v->sys[EL2_SR_SCTLR] = INIT_SCTLR_EL1_MMU_OFF;
	/* Aff0/Aff1 from the vCPU id; bit 31 is RES1. */
	v->mpidr = BIT_ULL(31) | (vcpu->id & 0xff) |
		   ((u64)((vcpu->id >> 8) & 0xff) << 8);
	vcpu_el2_vgic_reset(&v->vgic);
	vcpu_el2_debug_reset(&v->debug);
	vcpu_el2_fp_reset(&v->fp);
	return 0;
}

/*
 * Around each sequence of entries, and again whenever the task is
 * scheduled in (module/sched.c): what may have changed on this CPU while
 * another task ran.
 */
static void vcpu_el2_vcpu_load(struct vcpu *vcpu)
{
	vcpu_el2_timer_vcpu_load();
}

static void vcpu_el2_vcpu_put(struct vcpu *vcpu)
{
}

static int vcpu_el2_vcpu_bind(struct vcpu *vcpu)
{
	/* The context is not tied to a CPU; the VMID is taken at entry. */
	to_el2(vcpu)->vmid_cpu = -1;
	return 0;
}

static void vcpu_el2_vcpu_unbind(struct vcpu *vcpu)
{
	to_el2(vcpu)->vmid_cpu = -1;
}

static void vcpu_el2_get_regs(struct vcpu *vcpu, struct vcpu_regs *regs)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);

	memcpy(regs->gpr, v->ctxt.x, sizeof(v->ctxt.x));
	regs->gpr[31] = v->sp_el1;
	regs->pc = v->pc;
	regs->flags = v->pstate;
}

static int vcpu_el2_set_regs(struct vcpu *vcpu, const struct vcpu_regs *regs)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);

	memcpy(v->ctxt.x, regs->gpr, sizeof(v->ctxt.x));
	v->sp_el1 = regs->gpr[31];
	v->pc = regs->pc;
	/* Checked at the next entry: an illegal one is FAIL_ENTRY. */
	v->pstate = regs->flags;
	return 0;
}

static const struct vcpu_backend_ops vcpu_el2_ops = {
	.name = "el2-vhe",
	.backend_id = VCPU_BACKEND_ARM64_VHE,
	.modes = BIT(VCPU_MODE_ARM64_EL1),
	/* VCPU_INJECT_IRQ: a GIC INTID, SGI, PPI or SPI (no LPIs). */
	.irq_min = 0,
	.irq_max = 1019,
	.cpu_enable = vcpu_el2_cpu_enable,
	.cpu_disable = vcpu_el2_cpu_disable,
	.cpu_emergency_disable = vcpu_el2_cpu_emergency_disable,
	.pt_format = vcpu_el2_s2_format,
	.max_gpa = vcpu_el2_s2_max_gpa,
	.vcpu_size = sizeof(struct vcpu_el2_vcpu),
	.vcpu_align = __alignof__(struct vcpu_el2_vcpu),
	.vcpu_create = vcpu_el2_vcpu_create,
	.vcpu_destroy = vcpu_el2_vcpu_destroy,
	.vcpu_check_setup = vcpu_el2_vcpu_check_setup,
	.vcpu_setup = vcpu_el2_vcpu_setup,
	.vcpu_bind = vcpu_el2_vcpu_bind,
	.vcpu_unbind = vcpu_el2_vcpu_unbind,
	.enter = vcpu_el2_enter_guest,
	.leave = vcpu_el2_leave,
	.vcpu_load = vcpu_el2_vcpu_load,
	.vcpu_put = vcpu_el2_vcpu_put,
	.handle_exit = vcpu_el2_handle_exit,
	.vcpu_complete = vcpu_el2_vcpu_complete,
	.vcpu_irq_held = vcpu_el2_vgic_irq_held,
	.vcpu_block = vcpu_el2_timer_block,
	.get_events = vcpu_el2_get_events,
	.set_events = vcpu_el2_set_events,
	.get_regs = vcpu_el2_get_regs,
	.set_regs = vcpu_el2_set_regs,
	.get_one_reg = vcpu_el2_get_one_reg,
	.set_one_reg = vcpu_el2_set_one_reg,
	.reg_list = vcpu_el2_reg_list,
	.exit = vcpu_el2_exit,
};

const struct vcpu_backend_ops *vcpu_el2_backend_probe(void)
{
	u64 pfr0 = read_sysreg_s(SYS_ID_AA64PFR0_EL1);
	struct dentry *kvm_dir;
	int ret;

	if (read_sysreg(CurrentEL) != CurrentEL_EL2) {
		pr_err("the kernel runs at EL1, so EL2 is out of reach: boot on a CPU with VHE (ARMv8.1+) and without kvm-arm.mode=nvhe or protected (kvm-arm.mode=none keeps KVM off EL2)\n");
		return ERR_PTR(-ENODEV);
	}
	if (!(read_sysreg(hcr_el2) & HCR_E2H)) {
		pr_err("the kernel runs at EL2 without VHE (HCR_EL2.E2H clear); only a VHE host is supported\n");
		return ERR_PTR(-ENODEV);
	}
	/* SEND_IPI and interrupt exits use the GICv3 system registers. */
	if (!((pfr0 >> ID_AA64PFR0_EL1_GIC_SHIFT) & 0xf) ||
	    !(read_sysreg_s(SYS_ICC_SRE_EL2) & ICC_SRE_EL2_SRE)) {
		pr_err("no GICv3 system-register interface (a GICv3 is required)\n");
		return ERR_PTR(-ENODEV);
	}
	ret = vcpu_el2_s2_init();
	if (ret)
		return ERR_PTR(ret);
	vcpu_el2_inject_init();
	vcpu_el2_debug_init();
	vcpu_el2_idregs_init();
	vcpu_el2_has_tpidr2 = (read_sysreg_s(SYS_ID_AA64PFR1_EL1) >>
			       ID_AA64PFR1_EL1_SME_SHIFT) & 0xf;

	/*
	 * Debian's built-in KVM creates its debugfs directory "kvm" only
	 * once it has initialised (never with kvm-arm.mode=none); the
	 * directory is looked up by name, kvm_debugfs_dir is not exported
	 * since 6.x (see compat.h).  In VHE mode it
	 * keeps no EL2 state between its own guest runs either, but it
	 * allocates VMIDs from its own space: share the TLB safely by
	 * flushing our VMID around every entry (el2_vmid.c).
	 */
	kvm_dir = debugfs_lookup("kvm", NULL);
	vcpu_el2_kvm_present = !IS_ERR_OR_NULL(kvm_dir);
	if (vcpu_el2_kvm_present)
		dput(kvm_dir);
	if (vcpu_el2_kvm_present)
		pr_info("KVM is active: sharing EL2 with it, flushing this module's VMID around each guest run (boot with kvm-arm.mode=none to avoid this)\n");
	ret = vcpu_el2_vgic_init();
	if (ret)
		return ERR_PTR(ret);
	ret = vcpu_el2_timer_init();
	if (ret)
		return ERR_PTR(ret);
	return &vcpu_el2_ops;
}
