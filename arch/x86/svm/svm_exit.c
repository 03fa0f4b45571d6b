// SPDX-License-Identifier: GPL-2.0
/*
 * SVM exit handlers: one per hardware exit code, in a table, as KVM does.
 * Each turns the exit into the shared ABI or handles it in the kernel
 * (VCPU_EXIT_NOTHING: enter again).  An exit code without a handler is
 * reported as VCPU_EXIT_INTERNAL_ERROR, never turned into anything else.
 *
 * No decode assists or next-RIP are assumed (QEMU's TCG offers neither):
 * RIP is advanced by the known instruction length, or from EXITINFO2 for
 * port I/O, where the hardware always provides it.
 */
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/svm.h>
#include <asm/trap_pf.h>
#include <asm/traps.h>

#include "svm.h"
#include "strio.h"

typedef void (*svm_exit_handler)(struct vcpu *vcpu, struct vcpu_run *exit);

static struct vmcb_control_area *svm_ctl(struct vcpu *vcpu)
{
	return &to_svm(vcpu)->vmcb->control;
}

void svm_skip(struct vcpu *vcpu, unsigned int len)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	s->rip += len;
	/* The skipped instruction ends an STI/MOV SS interrupt shadow. */
	to_svm(vcpu)->vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	if (!(s->efer & EFER_LMA) || !(s->cs.attrib & BIT(9)))
		s->rip = (u32)s->rip;
}

/* Deliver exception @vector (with @err when @has_err) at the next entry. */
static void svm_inject_exception(struct svm_vcpu *svm, u8 vector,
				 bool has_err, u32 err)
{
	struct vmcb_control_area *c = &svm->vmcb->control;

	c->event_inj = vector | SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT |
		       (has_err ? SVM_EVTINJ_VALID_ERR : 0);
	c->event_inj_err = err;
}

void svm_inject_ud(struct svm_vcpu *svm)
{
	svm_inject_exception(svm, UD_VECTOR, false, 0);
}

/* A guest #PF from emulating an access: VMRUN loads CR2, then delivers. */
void svm_inject_fault(struct svm_vcpu *svm, const struct vcpu_x86_fault *f)
{
	if (!f->valid)
		return;
	svm_inject_exception(svm, f->vector, true, f->error);
	svm->vmcb->save.cr2 = f->cr2;
}

static void svm_exit_nothing(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/* SVM instructions and MONITOR/MWAIT/XSETBV/RDPRU are not offered. */
static void svm_exit_ud(struct vcpu *vcpu, struct vcpu_run *exit)
{
	svm_inject_ud(to_svm(vcpu));
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/* INVD would drop the host's dirty cache lines: execute it as a no-op. */
static void svm_exit_invd(struct vcpu *vcpu, struct vcpu_run *exit)
{
	svm_skip(vcpu, 2);
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

static void svm_exit_machine_check(struct vcpu *vcpu, struct vcpu_run *exit)
{
	/* A real #MC hit while the guest ran: let the host handle it. */
	asm volatile("int $" __stringify(MC_VECTOR));
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

static void svm_exit_hlt(struct vcpu *vcpu, struct vcpu_run *exit)
{
	svm_skip(vcpu, 1);
	vcpu_x86_hlt(to_svm(vcpu)->vmcb->save.rflags, vcpu_irq_pending(vcpu),
		     exit);
}

static void svm_exit_vmmcall(struct vcpu *vcpu, struct vcpu_run *exit)
{
	svm_skip(vcpu, 3);
	vcpu_x86_hypercall_exit(to_svm(vcpu)->gprs, exit);
}

static void svm_exit_ioio(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vmcb_control_area *c = svm_ctl(vcpu);
	struct svm_vcpu *svm = to_svm(vcpu);
	u64 info = c->exit_info_1;
	/* SZ8/SZ16/SZ32 are one-hot bits 4..6: width 1, 2 or 4 bytes. */
	unsigned int width = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;

	/* INS/OUTS; a REP prefix on plain IN/OUT changes nothing. */
	if (info & SVM_IOIO_STR_MASK) {
		struct vmcb_save_area *s = &svm->vmcb->save;
		/* EXITINFO2 is the next RIP: the length to check the bytes by. */
		u64 len = c->exit_info_2 - s->rip;
		struct vcpu_x86_strio_hw hw = {
			.port = info >> 16, .width = width,
			.in = info & SVM_IOIO_TYPE_MASK,
			.len = (u32)len <= VCPU_X86_MAX_INSN_LEN ? len : 0xff,
			.cpl = s->cpl, .hw_info = info, .code = SVM_EXIT_IOIO,
			.info2 = c->exit_info_2,
		};
		struct vcpu_x86_sregs sregs;
		struct vcpu_x86_fault fault;

		svm_sregs_save(&sregs, s);
		if (vcpu_x86_strio_exit(vcpu, &sregs, svm->gprs, &hw,
					&svm->mmio_insn, exit, &fault))
			svm_skip(vcpu, svm->mmio_insn.len);
		/* A guest #PF on the operand. */
		svm_inject_fault(svm, &fault);
		return;
	}
	vcpu_x86_io_exit(svm->gprs, info >> 16, width,
			 info & SVM_IOIO_TYPE_MASK, exit);
	svm->vmcb->save.rip = c->exit_info_2;
}

#define SVM_EFER_GUEST_BITS	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | \
				 EFER_FFXSR)

static void svm_exit_msr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_save_area *s = &svm->vmcb->save;
	u32 msr = svm->gprs[VCPU_REG_RCX];
	bool write = svm_ctl(vcpu)->exit_info_1;
	u64 value = (u32)svm->gprs[VCPU_REG_RAX] |
		    (svm->gprs[VCPU_REG_RDX] << 32);

	if (msr == MSR_EFER) {
		/* EFER is the kernel's: SVME stays set and hidden. */
		exit->exit_reason = VCPU_EXIT_NOTHING;
		if (write && value & ~(SVM_EFER_GUEST_BITS | EFER_SVME)) {
			svm_inject_exception(svm, GP_VECTOR, true, 0);
			return;
		}
		if (write) {
			/* LMA is the processor's to set. */
			s->efer = (value & ~EFER_LMA) | (s->efer & EFER_LMA) |
				  EFER_SVME;
		} else {
			value = s->efer & ~EFER_SVME;
			svm->gprs[VCPU_REG_RAX] = (u32)value;
			svm->gprs[VCPU_REG_RDX] = value >> 32;
		}
		svm_skip(vcpu, 2);
		return;
	}

	svm_skip(vcpu, 2);
	if (write && msr == VCPU_X86_MSR_X2APIC_ICR) {
		vcpu_x86_icr_write(&svm->apic, value, exit);
		return;
	}
	exit->sysreg.addr = msr;
	if (write) {
		exit->exit_reason = VCPU_EXIT_SYSREG_WRITE;
		exit->sysreg.value = value;
	} else {
		exit->exit_reason = VCPU_EXIT_SYSREG_READ;
	}
}

static void svm_guest(struct svm_vcpu *svm, struct vcpu_x86_guest *g)
{
	const struct vmcb_save_area *s = &svm->vmcb->save;

	g->cr0 = s->cr0;
	g->cr3 = s->cr3;
	g->cr4 = s->cr4;
	g->efer = s->efer;
	g->cs_base = s->cs.base;
	g->rip = s->rip;
	g->code_bits = vcpu_x86_code_bits(s->cr0, s->efer, s->cs.attrib);
}

/* #UD: Intel's VMCALL is a hypercall here too; anything else is the guest's. */
static void svm_exit_ud_excp(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vcpu_x86_guest g;
	u8 bytes[VCPU_X86_MAX_INSN_LEN];

	svm_guest(svm, &g);
	if (vcpu_x86_is_hypercall(bytes, vcpu_x86_fetch_insn(vcpu, &g, bytes))) {
		svm_exit_vmmcall(vcpu, exit);
		return;
	}
	svm_inject_ud(svm);
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

static void svm_exit_shutdown(struct vcpu *vcpu, struct vcpu_run *exit)
{
	/* The VMCB is undefined after a shutdown: the vCPU ends here. */
	exit->exit_reason = VCPU_EXIT_SHUTDOWN;
}

static void svm_exit_npf(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;
	u64 err = c->exit_info_1;
	struct vcpu_x86_guest g;
	unsigned int len, access;

	access = err & X86_PF_WRITE ? VCPU_NPF_WRITE : VCPU_NPF_READ;
	if (err & X86_PF_INSTR)
		access = VCPU_NPF_EXEC;
	svm_guest(svm, &g);
	len = vcpu_x86_npf_exit(vcpu, &g, svm->gprs, c->exit_info_2, access,
				err, &svm->mmio_insn, exit);
	if (len)
		svm_skip(vcpu, len);
}

static void svm_exit_err(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_FAIL_ENTRY;
	exit->fail_entry.hardware_entry_failure_reason = (u64)SVM_EXIT_ERR;
}

static void svm_exit_intr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_EXTERNAL_INTERRUPT;
}

static const svm_exit_handler svm_exit_handlers[] = {
	[SVM_EXIT_EXCP_BASE + UD_VECTOR]	= svm_exit_ud_excp,
	[SVM_EXIT_EXCP_BASE + MC_VECTOR]	= svm_exit_machine_check,
	[SVM_EXIT_INTR]				= svm_exit_intr,
	/* The interrupt window opened: svm_inject_irq() injects. */
	[SVM_EXIT_VINTR]			= svm_exit_nothing,
	[SVM_EXIT_NMI]				= svm_exit_nothing,
	[SVM_EXIT_SMI]				= svm_exit_nothing,
	[SVM_EXIT_INIT]				= svm_exit_nothing,
	[SVM_EXIT_INVD]				= svm_exit_invd,
	[SVM_EXIT_HLT]				= svm_exit_hlt,
	[SVM_EXIT_INVLPGA]			= svm_exit_ud,
	[SVM_EXIT_IOIO]				= svm_exit_ioio,
	[SVM_EXIT_MSR]				= svm_exit_msr,
	[SVM_EXIT_SHUTDOWN]			= svm_exit_shutdown,
	[SVM_EXIT_VMRUN]			= svm_exit_ud,
	[SVM_EXIT_VMMCALL]			= svm_exit_vmmcall,
	[SVM_EXIT_VMLOAD]			= svm_exit_ud,
	[SVM_EXIT_VMSAVE]			= svm_exit_ud,
	[SVM_EXIT_STGI]				= svm_exit_ud,
	[SVM_EXIT_CLGI]				= svm_exit_ud,
	[SVM_EXIT_SKINIT]			= svm_exit_ud,
	[SVM_EXIT_MONITOR]			= svm_exit_ud,
	[SVM_EXIT_MWAIT]			= svm_exit_ud,
	[SVM_EXIT_MWAIT_COND]			= svm_exit_ud,
	[SVM_EXIT_XSETBV]			= svm_exit_ud,
	[SVM_EXIT_RDPRU]			= svm_exit_ud,
	[SVM_EXIT_NPF]				= svm_exit_npf,
};

void svm_handle_exit(struct vcpu *vcpu, u32 vector, struct vcpu_run *exit)
{
	struct vmcb_control_area *c = svm_ctl(vcpu);
	/*
	 * Every defined exit code fits in 32 bits; VMEXIT_INVALID is -1,
	 * whose upper half not every implementation writes (QEMU does not).
	 */
	u32 code = c->exit_code;

	if (code == (u32)SVM_EXIT_ERR) {
		svm_exit_err(vcpu, exit);
		return;
	}
	/*
	 * An event the exit interrupted (an exception or interrupt being
	 * delivered through guest memory) is re-injected at the next entry.
	 */
	c->event_inj = 0;
	if (c->exit_int_info & SVM_EXITINTINFO_VALID) {
		c->event_inj = c->exit_int_info;
		c->event_inj_err = c->exit_int_info_err;
	}

	if (code < ARRAY_SIZE(svm_exit_handlers) && svm_exit_handlers[code]) {
		svm_exit_handlers[code](vcpu, exit);
		if (exit->exit_reason == VCPU_EXIT_EXTERNAL_INTERRUPT)
			exit->external_interrupt.vector = vector;
		return;
	}
	exit->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
	exit->internal.suberror = VCPU_INTERNAL_UNKNOWN_EXIT;
	exit->internal.ndata = 3;
	exit->internal.data[0] = ((u64)c->exit_code_hi << 32) | code;
	exit->internal.data[1] = c->exit_info_1;
	exit->internal.data[2] = c->exit_info_2;
}
