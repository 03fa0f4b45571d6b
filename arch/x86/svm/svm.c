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
#include <linux/sizes.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/virtext.h>

#include "backend.h"
#include "svm.h"
#include "svm_backend.h"

DEFINE_PER_CPU(struct svm_cpu_data, svm_cpu_data);
u32 svm_max_asid;
bool svm_flush_by_asid;

#define SVM_IOPM_ORDER	2	/* 12 KiB used */
#define SVM_MSRPM_ORDER	1	/* 8 KiB */

/* Packed segment attributes (the ABI uses the same layout). */
#define SVM_ATTR_CODE16	0x009b	/* P, S, execute/read, accessed */
#define SVM_ATTR_DATA16	0x0093	/* P, S, read/write, accessed */
#define SVM_ATTR_CODE32	0x0c9b	/* + D, G */
#define SVM_ATTR_DATA32	0x0c93
#define SVM_ATTR_CODE64	0x0a9b	/* + L, G */
#define SVM_ATTR_TSS	0x008b	/* P, busy 32/64-bit TSS */
#define SVM_ATTR_LDT	0x0082

static int svm_cpu_enable(void)
{
	struct svm_cpu_data *sd = this_cpu_ptr(&svm_cpu_data);
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME)
		return -EBUSY;	/* KVM or another hypervisor owns SVM here */
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sd->hsave));
	svm_asid_cpu_enable(sd);
	return 0;
}

static void svm_cpu_disable(void)
{
	cpu_svm_disable();
}

static void svm_set_intercept(struct vmcb_control_area *c, unsigned int bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

/*
 * MSRs switched by VMLOAD/VMSAVE live in the VMCB: the guest may access
 * them directly.  Every other MSR exits (SYSREG_READ/SYSREG_WRITE), EFER
 * included, which the exit handler emulates.
 */
static const u32 svm_msr_passthrough[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};

static void svm_msrpm_allow(u8 *msrpm, u32 msr)
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

static void svm_init_vmcb(struct vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;
	static const unsigned int intercepts[] = {
		INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_INIT,
		INTERCEPT_HLT, INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT,
		INTERCEPT_SHUTDOWN, INTERCEPT_INVD, INTERCEPT_INVLPGA,
		INTERCEPT_VMRUN, INTERCEPT_VMMCALL, INTERCEPT_VMLOAD,
		INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI,
		INTERCEPT_SKINIT, INTERCEPT_MONITOR, INTERCEPT_MWAIT,
		INTERCEPT_XSETBV, INTERCEPT_RDPRU,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(intercepts); i++)
		svm_set_intercept(c, intercepts[i]);
	/* Machine checks belong to the host. */
	svm_set_intercept(c, INTERCEPT_EXCEPTION_OFFSET + MC_VECTOR);

	c->iopm_base_pa = virt_to_phys(svm->iopm);
	c->msrpm_base_pa = virt_to_phys(svm->msrpm);
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

static int svm_vcpu_create(struct vcpu *vcpu)
{
	struct svm_vcpu *svm;
	struct page *p;
	int i;

	svm = kzalloc(sizeof(*svm), GFP_KERNEL_ACCOUNT);
	if (!svm)
		return -ENOMEM;
	svm->vmcb = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!svm->vmcb)
		goto err_svm;
	svm->vmcb_pa = virt_to_phys(svm->vmcb);
	p = alloc_pages(GFP_KERNEL_ACCOUNT, SVM_MSRPM_ORDER);
	if (!p)
		goto err_vmcb;
	svm->msrpm = page_address(p);
	memset(svm->msrpm, 0xff, PAGE_SIZE << SVM_MSRPM_ORDER);
	for (i = 0; i < ARRAY_SIZE(svm_msr_passthrough); i++)
		svm_msrpm_allow(svm->msrpm, svm_msr_passthrough[i]);
	p = alloc_pages(GFP_KERNEL_ACCOUNT, SVM_IOPM_ORDER);
	if (!p)
		goto err_msrpm;
	svm->iopm = page_address(p);
	memset(svm->iopm, 0xff, PAGE_SIZE << SVM_IOPM_ORDER);
	svm->fpu = kzalloc(sizeof(*svm->fpu), GFP_KERNEL_ACCOUNT);
	if (!svm->fpu)
		goto err_iopm;
	svm->snapshot = kzalloc(sizeof(*svm->snapshot), GFP_KERNEL_ACCOUNT);
	if (!svm->snapshot)
		goto err_fpu;
	svm->fpu->cwd = 0x37f;
	svm->fpu->mxcsr = 0x1f80;
	svm->asid_cpu = -1;

	vcpu->arch = svm;
	svm_init_vmcb(vcpu);
	return 0;

err_fpu:
	kfree(svm->fpu);
err_iopm:
	free_pages((unsigned long)svm->iopm, SVM_IOPM_ORDER);
err_msrpm:
	free_pages((unsigned long)svm->msrpm, SVM_MSRPM_ORDER);
err_vmcb:
	free_page((unsigned long)svm->vmcb);
err_svm:
	kfree(svm);
	return -ENOMEM;
}

static void svm_vcpu_destroy(struct vcpu *vcpu)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	kfree(svm->snapshot);
	kfree(svm->fpu);
	free_pages((unsigned long)svm->iopm, SVM_IOPM_ORDER);
	free_pages((unsigned long)svm->msrpm, SVM_MSRPM_ORDER);
	free_page((unsigned long)svm->vmcb);
	kfree(svm);
}

static void svm_set_seg(struct vmcb_seg *s, u16 sel, u64 base, u32 limit,
			u16 attrib)
{
	s->selector = sel;
	s->base = base;
	s->limit = limit;
	s->attrib = attrib;
}

static int svm_vcpu_check_setup(const struct vcpu_setup *setup)
{
	switch (setup->mode) {
	case VCPU_MODE_X86_REAL:
		/* Real-mode segments: base = selector << 4, below 1 MiB. */
		if (setup->entry >= SZ_1M || setup->stack >= SZ_1M)
			return -EINVAL;
		return 0;
	case VCPU_MODE_X86_PROT32:
		if (setup->entry > U32_MAX || setup->stack > U32_MAX)
			return -EINVAL;
		return 0;
	case VCPU_MODE_X86_LONG64:
		return setup->page_table & ~PAGE_MASK ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static int svm_vcpu_setup(struct vcpu *vcpu, const struct vcpu_setup *setup)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_save_area *s = &svm->vmcb->save;
	u16 code;
	u64 base;

	memset(s, 0, sizeof(*s));
	memset(svm->gprs, 0, sizeof(svm->gprs));
	svm->gprs[VCPU_REG_RDI] = setup->arg;

	switch (setup->mode) {
	case VCPU_MODE_X86_REAL:
		base = setup->entry & ~0xffffULL;
		svm_set_seg(&s->cs, base >> 4, base, 0xffff, SVM_ATTR_CODE16);
		base = setup->stack & ~0xffffULL;
		svm_set_seg(&s->ss, base >> 4, base, 0xffff, SVM_ATTR_DATA16);
		svm_set_seg(&s->ds, 0, 0, 0xffff, SVM_ATTR_DATA16);
		s->rip = setup->entry & 0xffff;
		s->rsp = setup->stack & 0xffff;
		s->cr0 = X86_CR0_ET | X86_CR0_NE;
		break;
	case VCPU_MODE_X86_PROT32:
	case VCPU_MODE_X86_LONG64:
		if (setup->mode == VCPU_MODE_X86_LONG64) {
			code = SVM_ATTR_CODE64;
			s->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE |
				 X86_CR0_WP | X86_CR0_PG;
			s->cr3 = setup->page_table;
			s->cr4 = X86_CR4_PAE;
			s->efer = EFER_LME | EFER_LMA;
		} else {
			code = SVM_ATTR_CODE32;
			s->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
		}
		svm_set_seg(&s->cs, 0x08, 0, 0xffffffff, code);
		svm_set_seg(&s->ss, 0x10, 0, 0xffffffff, SVM_ATTR_DATA32);
		svm_set_seg(&s->ds, 0x10, 0, 0xffffffff, SVM_ATTR_DATA32);
		s->rip = setup->entry;
		s->rsp = setup->stack;
		break;
	default:
		return -EINVAL;
	}
	s->es = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	svm_set_seg(&s->tr, 0, 0, 0xffff, SVM_ATTR_TSS);
	svm_set_seg(&s->ldtr, 0, 0, 0xffff, SVM_ATTR_LDT);
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	svm->gprs[VCPU_REG_RSP] = s->rsp;
	/* The hardware requires EFER.SVME in the guest's EFER; the guest
	 * never sees it (RDMSR and GET_ONE_REG hide it).
	 */
	s->efer |= EFER_SVME;
	s->rflags = X86_EFLAGS_FIXED;
	s->dr6 = DR6_RESERVED;
	s->dr7 = 0x400;		/* DR7 bit 10 reads as one */
	s->g_pat = 0x0007040600070406ULL;	/* the power-on PAT */
	s->cpl = 0;
	svm->vmcb->control.event_inj = 0;
	svm->user_dirty = true;
	return 0;
}

static int svm_vcpu_bind(struct vcpu *vcpu)
{
	/* The VMCB is not tied to a CPU; the ASID is taken at entry. */
	to_svm(vcpu)->asid_cpu = -1;
	return 0;
}

static void svm_vcpu_unbind(struct vcpu *vcpu)
{
	to_svm(vcpu)->asid_cpu = -1;
}

static void svm_get_regs(struct vcpu *vcpu, struct vcpu_regs *regs)
{
	struct svm_vcpu *svm = to_svm(vcpu);

	memcpy(regs->gpr, svm->gprs, sizeof(svm->gprs));
	regs->pc = svm->vmcb->save.rip;
	regs->flags = svm->vmcb->save.rflags;
}

static int svm_set_regs(struct vcpu *vcpu, const struct vcpu_regs *regs)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	int i;

	for (i = 16; i < ARRAY_SIZE(regs->gpr); i++)
		if (regs->gpr[i])
			return -EINVAL;
	memcpy(svm->gprs, regs->gpr, sizeof(svm->gprs));
	svm->vmcb->save.rip = regs->pc;
	svm->vmcb->save.rflags = regs->flags;
	svm->user_dirty = true;
	return 0;
}

#define SVM_SAVE(field)	offsetof(struct vmcb_save_area, field)

static const struct {
	u64 id;
	u16 offset;
	u8 size;
} svm_one_regs[] = {
	{ VCPU_REG_X86_CR0, SVM_SAVE(cr0), 8 },
	{ VCPU_REG_X86_CR2, SVM_SAVE(cr2), 8 },
	{ VCPU_REG_X86_CR3, SVM_SAVE(cr3), 8 },
	{ VCPU_REG_X86_CR4, SVM_SAVE(cr4), 8 },
	{ VCPU_REG_X86_EFER, SVM_SAVE(efer), 8 },
	{ VCPU_REG_X86_GDTR_BASE, SVM_SAVE(gdtr.base), 8 },
	{ VCPU_REG_X86_GDTR_LIMIT, SVM_SAVE(gdtr.limit), 4 },
	{ VCPU_REG_X86_IDTR_BASE, SVM_SAVE(idtr.base), 8 },
	{ VCPU_REG_X86_IDTR_LIMIT, SVM_SAVE(idtr.limit), 4 },
};

/* enum vcpu_x86_seg -> VMCB segment */
static const u16 svm_segs[VCPU_SEG_NR] = {
	[VCPU_SEG_ES] = SVM_SAVE(es), [VCPU_SEG_CS] = SVM_SAVE(cs),
	[VCPU_SEG_SS] = SVM_SAVE(ss), [VCPU_SEG_DS] = SVM_SAVE(ds),
	[VCPU_SEG_FS] = SVM_SAVE(fs), [VCPU_SEG_GS] = SVM_SAVE(gs),
	[VCPU_SEG_LDTR] = SVM_SAVE(ldtr), [VCPU_SEG_TR] = SVM_SAVE(tr),
};

/* enum vcpu_x86_seg_field -> offset and size in struct vmcb_seg */
static const struct {
	u8 offset;
	u8 size;
} svm_seg_fields[] = {
	[VCPU_SEG_SELECTOR] = { offsetof(struct vmcb_seg, selector), 2 },
	[VCPU_SEG_BASE] = { offsetof(struct vmcb_seg, base), 8 },
	[VCPU_SEG_LIMIT] = { offsetof(struct vmcb_seg, limit), 4 },
	[VCPU_SEG_ATTRIB] = { offsetof(struct vmcb_seg, attrib), 2 },
};

/* One register by id: a pointer into the VMCB and its width in bytes. */
static u8 *svm_one_reg(struct vmcb_save_area *s, u64 id, unsigned int *size)
{
	unsigned int seg, field;
	int i;

	for (i = 0; i < ARRAY_SIZE(svm_one_regs); i++) {
		if (svm_one_regs[i].id == id) {
			*size = svm_one_regs[i].size;
			return (u8 *)s + svm_one_regs[i].offset;
		}
	}
	if ((id & ~0xffULL) != VCPU_REG_X86_SEG(0, 0))
		return NULL;
	seg = (id >> 4) & 0xf;
	field = id & 0xf;
	if (seg >= VCPU_SEG_NR || field >= ARRAY_SIZE(svm_seg_fields))
		return NULL;
	*size = svm_seg_fields[field].size;
	return (u8 *)s + svm_segs[seg] + svm_seg_fields[field].offset;
}

static int svm_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value)
{
	unsigned int size;
	u8 *p = svm_one_reg(&to_svm(vcpu)->vmcb->save, id, &size);

	if (!p)
		return -ENOENT;
	*value = 0;
	memcpy(value, p, size);
	if (id == VCPU_REG_X86_EFER)
		*value &= ~EFER_SVME;
	return 0;
}

static int svm_set_one_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	unsigned int size;
	u8 *p = svm_one_reg(&to_svm(vcpu)->vmcb->save, id, &size);

	if (!p)
		return -ENOENT;
	if (size < 8 && value >> (size * 8))
		return -EINVAL;
	if (id == VCPU_REG_X86_EFER)
		value |= EFER_SVME;
	memcpy(p, &value, size);
	to_svm(vcpu)->user_dirty = true;
	return 0;
}

static void svm_backend_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct svm_cpu_data *sd = per_cpu_ptr(&svm_cpu_data, cpu);

		if (sd->hsave)
			__free_page(sd->hsave);
		if (sd->host_vmsave)
			__free_page(sd->host_vmsave);
		sd->hsave = NULL;
		sd->host_vmsave = NULL;
	}
}

static const struct vcpu_backend_ops svm_ops = {
	.name			= "svm",
	.modes			= BIT(VCPU_MODE_X86_REAL) |
				  BIT(VCPU_MODE_X86_PROT32) |
				  BIT(VCPU_MODE_X86_LONG64),
	.cpu_enable		= svm_cpu_enable,
	.cpu_disable		= svm_cpu_disable,
	.cpu_emergency_disable	= svm_cpu_disable,
	.pt_format		= svm_npt_format,
	.max_gpa		= svm_npt_max_gpa,
	.vcpu_create		= svm_vcpu_create,
	.vcpu_destroy		= svm_vcpu_destroy,
	.vcpu_check_setup	= svm_vcpu_check_setup,
	.vcpu_setup		= svm_vcpu_setup,
	.vcpu_bind		= svm_vcpu_bind,
	.vcpu_unbind		= svm_vcpu_unbind,
	.vcpu_run		= svm_vcpu_run,
	.vcpu_complete		= svm_vcpu_complete,
	.get_regs		= svm_get_regs,
	.set_regs		= svm_set_regs,
	.get_one_reg		= svm_get_one_reg,
	.set_one_reg		= svm_set_one_reg,
	.exit			= svm_backend_exit,
};

const struct vcpu_backend_ops *svm_backend_probe(void)
{
	const char *msg;
	u64 vm_cr;
	int cpu;

	if (!cpu_has_svm(&msg)) {
		pr_err("vcpu: SVM unavailable: %s\n", msg);
		return ERR_PTR(-ENODEV);
	}
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & (1 << SVM_VM_CR_SVM_DISABLE)) {
		pr_err("vcpu: SVM is disabled by the firmware (VM_CR.SVMDIS)\n");
		return ERR_PTR(-ENODEV);
	}
	if (!boot_cpu_has(X86_FEATURE_NPT)) {
		pr_err("vcpu: SVM without nested paging is not supported\n");
		return ERR_PTR(-ENODEV);
	}
	svm_max_asid = cpuid_ebx(SVM_CPUID_FUNC) - 1;
	if (svm_max_asid < 1) {
		pr_err("vcpu: SVM reports no usable ASID\n");
		return ERR_PTR(-ENODEV);
	}
	svm_flush_by_asid = boot_cpu_has(X86_FEATURE_FLUSHBYASID);

	for_each_possible_cpu(cpu) {
		struct svm_cpu_data *sd = per_cpu_ptr(&svm_cpu_data, cpu);

		sd->hsave = alloc_pages_node(cpu_to_node(cpu),
					     GFP_KERNEL | __GFP_ZERO, 0);
		sd->host_vmsave = alloc_pages_node(cpu_to_node(cpu),
						   GFP_KERNEL | __GFP_ZERO, 0);
		if (!sd->hsave || !sd->host_vmsave) {
			svm_backend_exit();
			return ERR_PTR(-ENOMEM);
		}
		sd->host_vmsave_pa = page_to_phys(sd->host_vmsave);
	}
	return &svm_ops;
}
