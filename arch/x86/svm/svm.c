// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD SVM backend: CPU enabling, the VMCB and the guest's
 * architectural state.  The world switch is in svm_run.c and
 * svm_vmenter.S, the exit handlers in svm_exit.c.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>

#include "backend.h"
#include "compat.h"
#include "svm.h"
#include "svm_backend.h"

DEFINE_PER_CPU(struct vcpu_svm_cpu_data, vcpu_svm_cpu_data);
u32 vcpu_svm_max_asid;
bool vcpu_svm_flush_by_asid;
/*
 * The permission maps are the same for every vCPU (all port I/O and all
 * MSRs but the VMLOAD/VMSAVE-switched ones exit) and the CPU only reads
 * them: one copy serves all, instead of 24 KiB per vCPU.
 */
static void *vcpu_svm_msrpm;
static void *vcpu_svm_iopm;

#define SVM_IOPM_ORDER	2	/* 12 KiB used */
#define SVM_MSRPM_ORDER	1	/* 8 KiB */

static int vcpu_svm_cpu_enable(void)
{
	struct vcpu_svm_cpu_data *sd = this_cpu_ptr(&vcpu_svm_cpu_data);
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME)
		return -EBUSY;	/* KVM or another hypervisor owns SVM here */
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sd->hsave));
	vcpu_svm_asid_cpu_enable(sd);
	return 0;
}

static void vcpu_svm_cpu_disable(void)
{
	u64 efer;

	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	if (!(efer & EFER_SVME))
		return;
	/*
	 * GIF=1 before SVM goes off: on the emergency path a crash between
	 * CLGI and STGI would otherwise leave INIT and NMI blocked for good.
	 * STGI cannot fault here, EFER.SVME is set.
	 */
	asm volatile("stgi" ::: "memory");
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}

static void vcpu_svm_msrpm_allow(u8 *msrpm, u32 msr)
{
	u32 base, off;

	if (msr < 0x2000)
		base = 0;
	else if (msr - 0xc0000000 < 0x2000)
		base = 0x800, msr -= 0xc0000000;
	else if (msr - 0xc0010000 < 0x2000)
		base = 0x1000, msr -= 0xc0010000;
	else
		return;
	/* Two bits per MSR: read intercept, then write intercept. */
	off = base + msr / 4;
	msrpm[off] &= ~(3 << ((msr % 4) * 2));
}

static void vcpu_svm_init_vmcb(struct vcpu *vcpu)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;
	static const unsigned int intercepts[] = {
		INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_INIT,
		INTERCEPT_HLT, INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT,
		INTERCEPT_SHUTDOWN, INTERCEPT_INVD, INTERCEPT_INVLPGA,
		INTERCEPT_VMRUN, INTERCEPT_VMMCALL, INTERCEPT_VMLOAD,
		INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI,
		INTERCEPT_SKINIT, INTERCEPT_MONITOR, INTERCEPT_MWAIT,
		INTERCEPT_XSETBV, INTERCEPT_RDPRU,
		/* The guest's CPUID table and the CR4 bits it allows. */
		INTERCEPT_CPUID, INTERCEPT_CR4_WRITE,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(intercepts); i++)
		vcpu_svm_set_intercept(c, intercepts[i]);
	/*
	 * Machine checks belong to the host; #UD may be a VMCALL; #DB and
	 * #AC are reflected (debugreg.c says why they must exit).  Every
	 * MOV to or from a debug register exits: the guest's DR0-3 are not
	 * in the CPU unless its DR7 arms them.
	 */
	vcpu_svm_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + MC_VECTOR);
	vcpu_svm_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + UD_VECTOR);
	vcpu_svm_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + DB_VECTOR);
	vcpu_svm_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + AC_VECTOR);
	for (i = 0; i < 8; i++) {
		vcpu_svm_set_intercept(c, INTERCEPT_DR0_READ + i);
		vcpu_svm_set_intercept(c, INTERCEPT_DR0_WRITE + i);
	}

	c->iopm_base_pa = virt_to_phys(vcpu_svm_iopm);
	c->msrpm_base_pa = virt_to_phys(vcpu_svm_msrpm);
	/* Physical interrupts are masked by the host's IF, not the guest's. */
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = vcpu->vm->pt.root_pa;
	/*
	 * Clean bits stay zero: the CPU reloads the whole VMCB at every
	 * VMRUN.  Always correct, also when the VMCB moves between CPUs;
	 * marking fields clean is a later optimisation.
	 */
	c->clean = 0;
}

/* @vcpu->arch: a zeroed struct vcpu_svm_vcpu, in the vCPU's allocation. */
static int vcpu_svm_vcpu_create(struct vcpu *vcpu)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	svm->vmcb = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!svm->vmcb)
		return -ENOMEM;
	svm->vmcb_pa = virt_to_phys(svm->vmcb);
	if (vcpu_x86_init(&svm->x86, &vcpu_svm_x86_ops)) {
		free_page((unsigned long)svm->vmcb);
		return -ENOMEM;
	}
	svm->asid_cpu = -1;
	vcpu_svm_init_vmcb(vcpu);
	return 0;
}

static void vcpu_svm_vcpu_destroy(struct vcpu *vcpu)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	vcpu_x86_destroy(&svm->x86);
	free_page((unsigned long)svm->vmcb);
}

/* The VMCB segments in the ABI's order (enum vcpu_x86_seg). */
static struct vmcb_seg *vcpu_svm_seg(struct vmcb_save_area *s, unsigned int seg)
{
	struct vmcb_seg *segs[VCPU_SEG_NR] = {
		[VCPU_SEG_ES] = &s->es, [VCPU_SEG_CS] = &s->cs,
		[VCPU_SEG_SS] = &s->ss, [VCPU_SEG_DS] = &s->ds,
		[VCPU_SEG_FS] = &s->fs, [VCPU_SEG_GS] = &s->gs,
		[VCPU_SEG_LDTR] = &s->ldtr, [VCPU_SEG_TR] = &s->tr,
	};

	return segs[seg];
}

static void vcpu_svm_copy_seg(struct vmcb_seg *d,
			      const struct vcpu_x86_segment *s)
{
	d->selector = s->selector;
	d->attrib = s->attrib;
	d->limit = s->limit;
	d->base = s->base;
}

static void vcpu_svm_copy_seg_out(struct vcpu_x86_segment *d,
				  const struct vmcb_seg *s)
{
	d->selector = s->selector;
	d->attrib = s->attrib;
	d->limit = s->limit;
	d->base = s->base;
}

/* The VMCB save area to and from the ABI's view (EFER.SVME hidden). */
static void vcpu_svm_sregs_load(struct vmcb_save_area *v,
				const struct vcpu_x86_sregs *s)
{
	int i;

	for (i = 0; i < VCPU_SEG_NR; i++)
		vcpu_svm_copy_seg(vcpu_svm_seg(v, i), &s->seg[i]);
	vcpu_svm_copy_seg(&v->gdtr, &s->gdtr);
	vcpu_svm_copy_seg(&v->idtr, &s->idtr);
	v->cr0 = s->cr0;
	v->cr2 = s->cr2;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	/* The hardware requires EFER.SVME in the guest's EFER. */
	v->efer = s->efer | EFER_SVME;
	v->rip = s->rip;
	v->rflags = s->rflags;
	v->star = s->msr[VCPU_X86_KEPT_STAR];
	v->lstar = s->msr[VCPU_X86_KEPT_LSTAR];
	v->cstar = s->msr[VCPU_X86_KEPT_CSTAR];
	v->sfmask = s->msr[VCPU_X86_KEPT_SFMASK];
	v->kernel_gs_base = s->msr[VCPU_X86_KEPT_KERNEL_GS_BASE];
	v->sysenter_cs = s->msr[VCPU_X86_KEPT_SYSENTER_CS];
	v->sysenter_esp = s->msr[VCPU_X86_KEPT_SYSENTER_ESP];
	v->sysenter_eip = s->msr[VCPU_X86_KEPT_SYSENTER_EIP];
	v->g_pat = s->msr[VCPU_X86_KEPT_PAT];
}

static void vcpu_svm_sregs_save(struct vcpu_x86_sregs *s,
				struct vmcb_save_area *v)
{
	int i;

	for (i = 0; i < VCPU_SEG_NR; i++)
		vcpu_svm_copy_seg_out(&s->seg[i], vcpu_svm_seg(v, i));
	vcpu_svm_copy_seg_out(&s->gdtr, &v->gdtr);
	vcpu_svm_copy_seg_out(&s->idtr, &v->idtr);
	s->cr0 = v->cr0;
	s->cr2 = v->cr2;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->efer = v->efer & ~EFER_SVME;
	s->rip = v->rip;
	s->rflags = v->rflags;
	/* VMLOAD/VMSAVE switch these; g_pat is the guest's PAT under NPT. */
	s->msr[VCPU_X86_KEPT_STAR] = v->star;
	s->msr[VCPU_X86_KEPT_LSTAR] = v->lstar;
	s->msr[VCPU_X86_KEPT_CSTAR] = v->cstar;
	s->msr[VCPU_X86_KEPT_SFMASK] = v->sfmask;
	s->msr[VCPU_X86_KEPT_KERNEL_GS_BASE] = v->kernel_gs_base;
	s->msr[VCPU_X86_KEPT_SYSENTER_CS] = v->sysenter_cs;
	s->msr[VCPU_X86_KEPT_SYSENTER_ESP] = v->sysenter_esp;
	s->msr[VCPU_X86_KEPT_SYSENTER_EIP] = v->sysenter_eip;
	s->msr[VCPU_X86_KEPT_PAT] = v->g_pat;
	s->msr_valid = GENMASK(VCPU_X86_KEPT_NR - 1, 0);
}

static int vcpu_svm_vcpu_setup(struct vcpu *vcpu,
			       const struct vcpu_setup *setup)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_save_area *s = &svm->vmcb->save;
	struct vcpu_x86_sregs sregs;

	vcpu_x86_initial_state(setup, &sregs, svm->x86.gprs);
	memset(s, 0, sizeof(*s));
	vcpu_svm_sregs_load(s, &sregs);
	vcpu_x86_debug_reset(vcpu);	/* DR6, DR7 in the save area */
	s->g_pat = 0x0007040600070406ULL;	/* the power-on PAT */
	s->cpl = 0;
	svm->vmcb->control.event_inj = 0;
	svm->user_dirty = true;
	return 0;
}

static int vcpu_svm_vcpu_bind(struct vcpu *vcpu)
{
	/* The VMCB is not tied to a CPU; the ASID is taken at entry. */
	to_svm(vcpu)->asid_cpu = -1;
	return 0;
}

static void vcpu_svm_vcpu_unbind(struct vcpu *vcpu)
{
	to_svm(vcpu)->asid_cpu = -1;
}

void vcpu_svm_x86_get_rip(struct vcpu *vcpu, u64 *rip, u64 *rflags)
{
	const struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	*rip = s->rip;
	*rflags = s->rflags;
}

void vcpu_svm_x86_set_rip(struct vcpu *vcpu, u64 rip, u64 rflags)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	svm->vmcb->save.rip = rip;
	svm->vmcb->save.rflags = rflags;
	svm->user_dirty = true;
}

void vcpu_svm_x86_get_sregs(struct vcpu *vcpu, struct vcpu_x86_sregs *s)
{
	vcpu_svm_sregs_save(s, &to_svm(vcpu)->vmcb->save);
}

void vcpu_svm_x86_set_sregs(struct vcpu *vcpu, const struct vcpu_x86_sregs *s)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	vcpu_svm_sregs_load(&svm->vmcb->save, s);
	svm->user_dirty = true;
}

const struct vcpu_x86_vendor_ops vcpu_svm_x86_ops = {
	.skip = vcpu_svm_x86_skip,
	.inject_exception = vcpu_svm_x86_inject_exception,
	.set_cr2 = vcpu_svm_x86_set_cr2,
	.cpl = vcpu_svm_x86_cpl,
	.get_cr4 = vcpu_svm_x86_get_cr4,
	.get_rip = vcpu_svm_x86_get_rip,
	.set_rip = vcpu_svm_x86_set_rip,
	.get_sregs = vcpu_svm_x86_get_sregs,
	.set_sregs = vcpu_svm_x86_set_sregs,
	.msr = vcpu_svm_x86_msr,
	.irq_allowed = vcpu_svm_x86_irq_allowed,
	.inject_irq = vcpu_svm_x86_inject_irq,
	.irq_window = vcpu_svm_x86_irq_window,
	.nmi_allowed = vcpu_svm_x86_nmi_allowed,
	.inject_nmi = vcpu_svm_x86_inject_nmi,
	.nmi_window = vcpu_svm_x86_nmi_window,
	.event_queued = vcpu_svm_x86_event_queued,
	.get_events = vcpu_svm_x86_get_events,
	.set_events = vcpu_svm_x86_set_events,
	.set_tsc_offset = vcpu_svm_x86_set_tsc_offset,
	.get_dr = vcpu_svm_x86_get_dr,
	.set_dr = vcpu_svm_x86_set_dr,
};

static void vcpu_svm_backend_exit(void)
{
	int cpu;

	if (vcpu_svm_msrpm)
		free_pages((unsigned long)vcpu_svm_msrpm, SVM_MSRPM_ORDER);
	if (vcpu_svm_iopm)
		free_pages((unsigned long)vcpu_svm_iopm, SVM_IOPM_ORDER);
	vcpu_svm_msrpm = NULL;
	vcpu_svm_iopm = NULL;

	for_each_possible_cpu(cpu) {
		struct vcpu_svm_cpu_data *sd =
			per_cpu_ptr(&vcpu_svm_cpu_data, cpu);

		if (sd->hsave)
			__free_page(sd->hsave);
		if (sd->host_vmsave)
			__free_page(sd->host_vmsave);
		sd->hsave = NULL;
		sd->host_vmsave = NULL;
	}
}

static const struct vcpu_backend_ops vcpu_svm_ops = {
	.name = "svm",
	.backend_id = VCPU_BACKEND_SVM,
	VCPU_X86_BACKEND_MODES,
	.cpu_enable = vcpu_svm_cpu_enable,
	.cpu_disable = vcpu_svm_cpu_disable,
	.cpu_emergency_disable = vcpu_svm_cpu_disable,
	.emergency_covered = VCPU_KERNEL_EMERGENCY_SVM_OFF,
	.pt_format = vcpu_svm_npt_format,
	.max_gpa = vcpu_svm_npt_max_gpa,
	.vcpu_size = sizeof(struct vcpu_svm_vcpu),
	.vcpu_align = __alignof__(struct vcpu_svm_vcpu),
	.vcpu_create = vcpu_svm_vcpu_create,
	.vcpu_destroy = vcpu_svm_vcpu_destroy,
	.vcpu_setup = vcpu_svm_vcpu_setup,
	.vcpu_bind = vcpu_svm_vcpu_bind,
	.vcpu_unbind = vcpu_svm_vcpu_unbind,
	.enter = vcpu_svm_enter,
	.handle_exit = vcpu_svm_handle_exit,
	VCPU_X86_BACKEND_OPS,
	.exit = vcpu_svm_backend_exit,
};

const struct vcpu_backend_ops *vcpu_svm_backend_probe(void)
{
	u64 vm_cr;
	const u32 *pass;
	unsigned int i, n;
	int cpu;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_AMD &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_HYGON) {
		pr_err("SVM unavailable: not an AMD or Hygon CPU\n");
		return ERR_PTR(-ENODEV);
	}
	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		pr_err("SVM unavailable: the CPU does not report it\n");
		return ERR_PTR(-ENODEV);
	}
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & SVM_VM_CR_SVM_DIS_MASK) {
		pr_err("SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		return ERR_PTR(-ENODEV);
	}
	if (!boot_cpu_has(X86_FEATURE_NPT)) {
		pr_err("SVM without nested paging is not supported\n");
		return ERR_PTR(-ENODEV);
	}
	vcpu_svm_max_asid = cpuid_ebx(SVM_CPUID_FUNC) - 1;
	if (vcpu_svm_max_asid < 1) {
		pr_err("SVM reports no usable ASID\n");
		return ERR_PTR(-ENODEV);
	}
	vcpu_svm_flush_by_asid = boot_cpu_has(X86_FEATURE_FLUSHBYASID);

	vcpu_svm_msrpm = (void *)__get_free_pages(GFP_KERNEL, SVM_MSRPM_ORDER);
	vcpu_svm_iopm = (void *)__get_free_pages(GFP_KERNEL, SVM_IOPM_ORDER);
	if (!vcpu_svm_msrpm || !vcpu_svm_iopm) {
		vcpu_svm_backend_exit();
		return ERR_PTR(-ENOMEM);
	}
	memset(vcpu_svm_msrpm, 0xff, PAGE_SIZE << SVM_MSRPM_ORDER);
	/* The MSR policy of arch/x86/msr.c: VMLOAD/VMSAVE state passes. */
	pass = vcpu_x86_msr_passthrough(VCPU_X86_SVM, &n);
	for (i = 0; i < n; i++)
		vcpu_svm_msrpm_allow(vcpu_svm_msrpm, pass[i]);
	memset(vcpu_svm_iopm, 0xff, PAGE_SIZE << SVM_IOPM_ORDER);

	for_each_possible_cpu(cpu) {
		struct vcpu_svm_cpu_data *sd =
			per_cpu_ptr(&vcpu_svm_cpu_data, cpu);

		sd->hsave = alloc_pages_node(cpu_to_node(cpu),
					     GFP_KERNEL | __GFP_ZERO, 0);
		sd->host_vmsave = alloc_pages_node(cpu_to_node(cpu),
						   GFP_KERNEL | __GFP_ZERO, 0);
		if (!sd->hsave || !sd->host_vmsave) {
			vcpu_svm_backend_exit();
			return ERR_PTR(-ENOMEM);
		}
		sd->host_vmsave_pa = page_to_phys(sd->host_vmsave);
	}
	if (vcpu_x86_cpuid_init(0)) {
		pr_err("the default CPUID table does not fit\n");
		vcpu_svm_backend_exit();
		return ERR_PTR(-E2BIG);
	}
	return &vcpu_svm_ops;
}
