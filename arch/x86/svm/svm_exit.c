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
#include <uapi/asm/debugreg.h>
#include <asm/svm.h>
#include <asm/trap_pf.h>
#include <asm/traps.h>

#include "svm.h"
#include "strio.h"

typedef void (*vcpu_svm_exit_handler)(struct vcpu *vcpu, struct vcpu_run *exit);

static struct vmcb_control_area *vcpu_svm_ctl(struct vcpu *vcpu)
{
	return &to_svm(vcpu)->vmcb->control;
}

__always_inline u64 vcpu_svm_x86_skip(struct vcpu *vcpu, unsigned int len)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	s->rip += len;
	to_svm(vcpu)->vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	if (!(s->efer & EFER_LMA) || !(s->cs.attrib & BIT(9)))
		s->rip = (u32)s->rip;
	return s->rflags;
}

void vcpu_svm_x86_inject_exception(struct vcpu *vcpu, u8 vector, bool has_error,
				   u32 error)
{
	struct vmcb_control_area *c = vcpu_svm_ctl(vcpu);

	c->event_inj = vector | SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT |
		       (has_error ? SVM_EVTINJ_VALID_ERR : 0);
	c->event_inj_err = error;
}

/* DR6 and DR7 live in the save area: VMRUN loads them, #VMEXIT saves them. */
u64 vcpu_svm_x86_get_dr(struct vcpu *vcpu, unsigned int n)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	return n == 6 ? s->dr6 : s->dr7;
}

void vcpu_svm_x86_set_dr(struct vcpu *vcpu, unsigned int n, u64 value)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;

	if (n == 6)
		s->dr6 = value;
	else
		s->dr7 = value;
}

/* VMRUN loads CR2 from the save area, then delivers the #PF. */
void vcpu_svm_x86_set_cr2(struct vcpu *vcpu, u64 cr2)
{
	to_svm(vcpu)->vmcb->save.cr2 = cr2;
}

unsigned int vcpu_svm_x86_cpl(struct vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cpl;
}

/* Every CR4 write exits (INTERCEPT_CR4_WRITE): the save area is exact. */
u64 vcpu_svm_x86_get_cr4(struct vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.cr4;
}

#define SVM_EFER_GUEST_BITS	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | \
				 EFER_FFXSR)

/* The MSRs the VMCB holds that exit: EFER, whose SVME stays set and hidden. */
__always_inline int vcpu_svm_x86_msr(struct vcpu *vcpu, u32 msr, bool write,
				     u64 *value)
{
	struct vmcb_save_area *s = &to_svm(vcpu)->vmcb->save;
	u64 efer;

	/*
	 * DEBUGCTL is kept, not applied: the guest runs with the host's
	 * (applying it needs LBR virtualization; see debugreg.c).
	 */
	if (msr == MSR_IA32_DEBUGCTLMSR) {
		if (!write) {
			*value = to_x86(vcpu)->dbg.debugctl;
			return 0;
		}
		if (vcpu_x86_debugctl_check(*value))
			return -EINVAL;
		to_x86(vcpu)->dbg.debugctl = *value;
		return 0;
	}
	if (msr != MSR_EFER)
		return -ENOENT;
	if (!write) {
		*value = s->efer & ~EFER_SVME;
		return 0;
	}
	if (vcpu_x86_efer_write(s->efer, *value,
				SVM_EFER_GUEST_BITS | EFER_SVME, &efer))
		return -EINVAL;
	s->efer = efer | EFER_SVME;
	return 0;
}

static void vcpu_svm_exit_nothing(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/* INVD would drop the host's dirty cache lines: execute it as a no-op. */
static void vcpu_svm_exit_invd(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_nop(vcpu, 2, exit);
}

static void vcpu_svm_exit_machine_check(struct vcpu *vcpu,
					struct vcpu_run *exit)
{
	/* A real #MC hit while the guest ran: let the host handle it. */
	asm volatile("int $" __stringify(MC_VECTOR));
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

static void vcpu_svm_exit_hlt(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_hlt(vcpu, 1, exit);
}

static void vcpu_svm_exit_vmmcall(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_hypercall(vcpu, 3, exit);
}

static void vcpu_svm_exit_cpuid(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_cpuid(vcpu, 2, exit);
}

static void vcpu_svm_exit_write_cr4(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_mov_cr4(vcpu, SVM_EXIT_WRITE_CR4, exit);
}

static void vcpu_svm_exit_ioio(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vmcb_control_area *c = vcpu_svm_ctl(vcpu);
	u64 info = c->exit_info_1;
	/* SZ8/SZ16/SZ32 are one-hot bits 4..6: width 1, 2 or 4 bytes. */
	unsigned int width = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	/* EXITINFO2 is the next RIP: the instruction's length. */
	u64 len = c->exit_info_2 - to_svm(vcpu)->vmcb->save.rip;

	/* INS/OUTS; a REP prefix on plain IN/OUT changes nothing. */
	if (info & SVM_IOIO_STR_MASK) {
		struct vcpu_x86_strio_hw hw = {
			.port = info >> 16, .width = width,
			.in = info & SVM_IOIO_TYPE_MASK,
			/* checked against the bytes by the decoder */
			.len = (u32)len <= VCPU_X86_MAX_INSN_LEN ? len : 0xff,
			.hw_info = info, .code = SVM_EXIT_IOIO,
			.info2 = c->exit_info_2,
		};

		vcpu_x86_exit_strio(vcpu, &hw, exit);
		return;
	}
	vcpu_x86_exit_io(vcpu, len, info >> 16, width,
			 info & SVM_IOIO_TYPE_MASK, exit);
}

static void vcpu_svm_exit_msr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_msr(vcpu, 2, vcpu_svm_ctl(vcpu)->exit_info_1, exit);
}

/* XSETBV is 0f 01 d1; the policy is arch/x86/fpu.c's. */
static void vcpu_svm_exit_xsetbv(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_exit_xsetbv(vcpu, 3, exit);
}

/*
 * MOV to or from DR0-7: the exit code names the register and the
 * direction; the general register and the length come from the
 * instruction (no decode assists or next-RIP assumed).
 */
static void vcpu_svm_exit_dr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vmcb_control_area *c = vcpu_svm_ctl(vcpu);
	u32 code = c->exit_code;
	struct vcpu_x86_sregs s;
	struct vcpu_x86_guest g;
	u8 bytes[VCPU_X86_MAX_INSN_LEN];
	unsigned int gpr;
	int n, len;

	vcpu_x86_call(vcpu, get_sregs, &s);
	vcpu_x86_guest_of(&s, &g);
	n = vcpu_x86_fetch_insn(vcpu, &g, bytes);
	len = n > 0 ? vcpu_x86_decode_mov_dr(bytes, n, g.code_bits, &gpr) : -1;
	if (len < 0) {
		vcpu_x86_unsupported_exit(code, c->exit_info_1, n, exit);
		return;
	}
	vcpu_x86_exit_mov_dr(vcpu, code & 7, gpr, code >= SVM_EXIT_WRITE_DR0,
			     len, exit);
}

static void vcpu_svm_exit_shutdown(struct vcpu *vcpu, struct vcpu_run *exit)
{
	/* The VMCB is undefined after a shutdown: the vCPU ends here. */
	exit->exit_reason = VCPU_EXIT_SHUTDOWN;
}

static void vcpu_svm_exit_npf(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vmcb_control_area *c = vcpu_svm_ctl(vcpu);
	u64 err = c->exit_info_1;
	unsigned int access;

	access = err & X86_PF_WRITE ? VCPU_NPF_WRITE : VCPU_NPF_READ;
	if (err & X86_PF_INSTR)
		access = VCPU_NPF_EXEC;
	vcpu_x86_exit_npf(vcpu, c->exit_info_2, access, err, exit);
}

static void vcpu_svm_exit_err(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_FAIL_ENTRY;
	exit->fail_entry.hardware_entry_failure_reason =
		to_svm(vcpu)->entry_faulted ? VCPU_FAIL_ENTRY_FAULTED :
					      (u64)SVM_EXIT_ERR;
}

static void vcpu_svm_exit_intr(struct vcpu *vcpu, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_EXTERNAL_INTERRUPT;
}

static const vcpu_svm_exit_handler vcpu_svm_exit_handlers[] = {
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_READ_DR7] = vcpu_svm_exit_dr,
	[SVM_EXIT_WRITE_DR0 ... SVM_EXIT_WRITE_DR7] = vcpu_svm_exit_dr,
	[SVM_EXIT_EXCP_BASE + DB_VECTOR] = vcpu_svm_exit_db,
	[SVM_EXIT_EXCP_BASE + UD_VECTOR] = vcpu_x86_exit_ud,
	[SVM_EXIT_EXCP_BASE + AC_VECTOR] = vcpu_x86_exit_ac,
	[SVM_EXIT_EXCP_BASE + MC_VECTOR] = vcpu_svm_exit_machine_check,
	[SVM_EXIT_WRITE_CR4] = vcpu_svm_exit_write_cr4,
	[SVM_EXIT_IRET] = vcpu_svm_exit_iret,
	[SVM_EXIT_INTR] = vcpu_svm_exit_intr,
	[SVM_EXIT_CPUID] = vcpu_svm_exit_cpuid,
	/* The interrupt window opened: vcpu_x86_inject_irq() injects. */
	[SVM_EXIT_VINTR] = vcpu_x86_exit_irq_window,
	[SVM_EXIT_NMI] = vcpu_svm_exit_nothing,
	[SVM_EXIT_SMI] = vcpu_svm_exit_nothing,
	[SVM_EXIT_INIT] = vcpu_svm_exit_nothing,
	[SVM_EXIT_INVD] = vcpu_svm_exit_invd,
	[SVM_EXIT_HLT] = vcpu_svm_exit_hlt,
	[SVM_EXIT_INVLPGA] = vcpu_x86_exit_refuse,
	[SVM_EXIT_IOIO] = vcpu_svm_exit_ioio,
	[SVM_EXIT_MSR] = vcpu_svm_exit_msr,
	[SVM_EXIT_SHUTDOWN] = vcpu_svm_exit_shutdown,
	[SVM_EXIT_VMRUN] = vcpu_x86_exit_refuse,
	[SVM_EXIT_VMMCALL] = vcpu_svm_exit_vmmcall,
	[SVM_EXIT_VMLOAD] = vcpu_x86_exit_refuse,
	[SVM_EXIT_VMSAVE] = vcpu_x86_exit_refuse,
	[SVM_EXIT_STGI] = vcpu_x86_exit_refuse,
	[SVM_EXIT_CLGI] = vcpu_x86_exit_refuse,
	[SVM_EXIT_SKINIT] = vcpu_x86_exit_refuse,
	[SVM_EXIT_MONITOR] = vcpu_x86_exit_refuse,
	[SVM_EXIT_MWAIT] = vcpu_x86_exit_refuse,
	[SVM_EXIT_MWAIT_COND] = vcpu_x86_exit_refuse,
	[SVM_EXIT_XSETBV] = vcpu_svm_exit_xsetbv,
	[SVM_EXIT_RDPRU] = vcpu_x86_exit_refuse,
	[SVM_EXIT_NPF] = vcpu_svm_exit_npf,
};

void vcpu_svm_handle_exit(struct vcpu *vcpu, u32 vector, struct vcpu_run *exit)
{
	struct vmcb_control_area *c = vcpu_svm_ctl(vcpu);
	/*
	 * Every defined exit code fits in 32 bits; VMEXIT_INVALID is -1,
	 * whose upper half not every implementation writes (QEMU does not).
	 */
	u32 code = c->exit_code;

	if (code == (u32)SVM_EXIT_ERR) {
		vcpu_svm_exit_err(vcpu, exit);
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
	if (unlikely(to_svm(vcpu)->iret_seen))
		vcpu_svm_nmi_exit(to_svm(vcpu));

	if (code < ARRAY_SIZE(vcpu_svm_exit_handlers) &&
	    vcpu_svm_exit_handlers[code]) {
		vcpu_svm_exit_handlers[code](vcpu, exit);
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
