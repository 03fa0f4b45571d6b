// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's debug registers, written once for SVM and VMX.
 *
 * Every MOV to or from DR0-DR7 exits and is emulated here against the
 * guest's own state (struct vcpu_x86_debug, DR6/DR7 through the vendor's
 * get_dr/set_dr): the guest never reads the host's breakpoint addresses
 * nor another VM's.  The hardware DR0-3 hold the guest's values only
 * while the guest runs with a breakpoint armed in its DR7
 * (vcpu_x86_debug_enter/exit()).
 *
 * #DB and #AC always exit and are reflected into the guest by event
 * injection.  Left to the hardware, a #DB raised while delivering a #DB
 * (a data breakpoint on the guest's IDT or stack: CVE-2015-8104), or an
 * #AC raised while delivering an #AC (CVE-2015-5307), makes the CPU
 * deliver the exception again and again without ever reaching an
 * instruction boundary, where an interrupt or a VM exit could take the
 * CPU back: the host hangs.  Intercepted, every delivery attempt is a VM
 * exit; a guest that keeps faulting in its own delivery loops through
 * the host's run loop, which still takes interrupts, signals and kicks.
 * QEMU's TCG and Bochs do not loop in microcode, so only real hardware
 * shows why the intercepts are needed.
 */
#include <linux/hw_breakpoint.h>
#include <asm/debugreg.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vcpu_x86.h"
#include "x86.h"

/* DR6: B0-3, BD, BS, BT change; the rest reads as DR6_RESERVED says. */
#define VCPU_X86_DR6_BD		0x2000ULL
#define VCPU_X86_DR6_RTM	0x10000ULL	/* active low */
#define VCPU_X86_DR6_VOLATILE	(DR_TRAP_BITS | VCPU_X86_DR6_BD | DR_STEP | \
				 DR_SWITCH)
/* DR7: L0-G3, LE, GE, GD, R/W and LEN; bit 10 reads as one. */
#define VCPU_X86_DR7_VALID	0xffff23ffULL
#define VCPU_X86_DR7_FIXED1	0x400ULL
#define VCPU_X86_DR7_GD		0x2000ULL
#define VCPU_X86_DR7_ENABLES	0xffULL

void vcpu_x86_debug_reset(struct vcpu *vcpu)
{
	struct vcpu_x86_debug *d = &to_x86(vcpu)->dbg;

	memset(d->db, 0, sizeof(d->db));
	d->debugctl = 0;
	d->active = false;
	vcpu_x86_call(vcpu, set_dr, 6, DR6_RESERVED);
	vcpu_x86_call(vcpu, set_dr, 7, VCPU_X86_DR7_FIXED1);
}

static void vcpu_x86_set_dr7(struct vcpu *vcpu, u64 dr7)
{
	vcpu_x86_call(vcpu, set_dr, 7, dr7);
	to_x86(vcpu)->dbg.active = dr7 & VCPU_X86_DR7_ENABLES;
}

/*
 * Interrupts off, before the world switch: the host's breakpoints off
 * first (their DR7 would arm the guest's addresses in the host until the
 * switch), then the guest's addresses in.  VMX needs no DR6 here: with
 * MOV DR and #DB intercepted the guest never sees the hardware's DR6,
 * and an exit for #DB leaves DR6 alone (the qualification has the bits).
 */
void vcpu_x86_debug_load(struct vcpu_x86 *x86)
{
	if (hw_breakpoint_active())
		set_debugreg(0UL, 7);
	set_debugreg(x86->dbg.db[0], 0);
	set_debugreg(x86->dbg.db[1], 1);
	set_debugreg(x86->dbg.db[2], 2);
	set_debugreg(x86->dbg.db[3], 3);
}

/*
 * Interrupts off, after the world switch: the host's breakpoints (perf,
 * ptrace) as they were (hw_breakpoint_restore() writes DR0-3, DR6 and
 * DR7 from the per-CPU state); with none, the guest's addresses must not
 * stay in the CPU for whoever runs next.
 */
void vcpu_x86_debug_put(void)
{
	if (hw_breakpoint_active()) {
		hw_breakpoint_restore();
		return;
	}
	set_debugreg(0UL, 0);
	set_debugreg(0UL, 1);
	set_debugreg(0UL, 2);
	set_debugreg(0UL, 3);
}

/*
 * A #DB for the guest: @payload has the DR6 bits of the event (B0-3, BD,
 * BS, BT; bit 16 for an RTM region, which clears the active-low RTM bit).
 * As the hardware does, B0-3 are replaced and the other bits accumulate;
 * a general-detect #DB (BD) clears DR7.GD so that the handler can use
 * the debug registers.  Then the #DB goes in at the next entry.
 */
/*
 * DR6 (and DR7.GD) as a #DB with @payload (the DR6 bits it reports, in
 * the positive polarity) leaves them: also the payload of a #DB the VMM
 * injects (events.c).
 */
void vcpu_x86_dbg_payload(struct vcpu *vcpu, u64 payload)
{
	u64 dr6 = vcpu_x86_call(vcpu, get_dr, 6);

	dr6 &= ~(u64)DR_TRAP_BITS;
	dr6 |= (payload & VCPU_X86_DR6_VOLATILE) | DR6_RESERVED;
	if (payload & VCPU_X86_DR6_RTM)
		dr6 &= ~VCPU_X86_DR6_RTM;
	vcpu_x86_call(vcpu, set_dr, 6, dr6);
	if (payload & VCPU_X86_DR6_BD)
		vcpu_x86_set_dr7(vcpu, vcpu_x86_call(vcpu, get_dr, 7) &
				       ~VCPU_X86_DR7_GD);
}

void vcpu_x86_debug_trap(struct vcpu *vcpu, u64 payload)
{
	vcpu_x86_dbg_payload(vcpu, payload);
	vcpu_x86_call(vcpu, inject_exception, X86_TRAP_DB, false, 0);
}

static u64 vcpu_x86_dr_read(struct vcpu *vcpu, unsigned int dr)
{
	if (dr < 4)
		return to_x86(vcpu)->dbg.db[dr];
	return vcpu_x86_call(vcpu, get_dr, dr);
}

/* @dr 0-3, 6 or 7; @value checked: bits 63:32 of DR6/DR7 clear. */
static void vcpu_x86_dr_write(struct vcpu *vcpu, unsigned int dr, u64 value)
{
	if (dr < 4)
		to_x86(vcpu)->dbg.db[dr] = value;
	else if (dr == 6)
		vcpu_x86_call(vcpu, set_dr, 6, (value & VCPU_X86_DR6_VOLATILE) |
					       DR6_RESERVED);
	else
		vcpu_x86_set_dr7(vcpu, (value & VCPU_X86_DR7_VALID) |
				       VCPU_X86_DR7_FIXED1);
}

/*
 * MOV to (@write) or from debug register @dr with general register @gpr,
 * @len bytes long, as the SDM has it: #GP above CPL 0; DR4/DR5 are
 * DR6/DR7 unless CR4.DE makes them #UD; with DR7.GD set, the general
 * detect #DB before the access; bits 63:32 written to DR6/DR7 are #GP.
 * Outside 64-bit code the register operand is 32 bits wide.
 */
void vcpu_x86_exit_mov_dr(struct vcpu *vcpu, unsigned int dr, unsigned int gpr,
			  bool write, unsigned int len, struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_sregs s;
	bool wide;
	u64 value;

	exit->exit_reason = VCPU_EXIT_NOTHING;
	if (vcpu_x86_call(vcpu, cpl)) {
		vcpu_x86_call(vcpu, inject_exception, X86_TRAP_GP, true, 0);
		return;
	}
	vcpu_x86_call(vcpu, get_sregs, &s);
	if (dr == 4 || dr == 5) {
		if (s.cr4 & X86_CR4_DE) {
			vcpu_x86_call(vcpu, inject_exception, X86_TRAP_UD,
				      false, 0);
			return;
		}
		dr += 2;
	}
	if (vcpu_x86_call(vcpu, get_dr, 7) & VCPU_X86_DR7_GD) {
		vcpu_x86_debug_trap(vcpu, VCPU_X86_DR6_BD);
		return;
	}
	wide = vcpu_x86_code_bits(s.cr0, s.efer,
				  s.seg[VCPU_SEG_CS].attrib) == 64;
	if (write) {
		value = x86->gprs[gpr & 15];
		if (!wide)
			value = (u32)value;
		if (dr >= 6 && value >> 32) {
			vcpu_x86_call(vcpu, inject_exception, X86_TRAP_GP,
				      true, 0);
			return;
		}
		vcpu_x86_dr_write(vcpu, dr, value);
	} else {
		value = vcpu_x86_dr_read(vcpu, dr);
		x86->gprs[gpr & 15] = wide ? value : (u32)value;
	}
	vcpu_x86_skip(vcpu, len);
}

/* The guest's own #AC (alignment checking at CPL 3): error code 0. */
void vcpu_x86_exit_ac(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_call(vcpu, inject_exception, X86_TRAP_AC, true, 0);
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/*
 * DEBUGCTL bits a guest may set: BTF (single-step on branches).  LBR
 * would need the LBR stack MSRs switched too (VMX: the LBR MSRs in the
 * entry/exit MSR lists; SVM: LBR virtualization, VMCB virt_ext bit 0,
 * which swaps DEBUGCTL and the LBR MSRs at VMRUN/#VMEXIT); the rest are
 * model-specific.  Others are #GP (EINVAL through ONE_REG).
 */
int vcpu_x86_debugctl_check(u64 value)
{
	return value & ~DEBUGCTLMSR_BTF ? -EINVAL : 0;
}

int vcpu_x86_debug_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value)
{
	if (id == VCPU_REG_X86_DEBUGCTL) {
		*value = to_x86(vcpu)->dbg.debugctl;
		return 0;
	}
	if ((id & ~7ULL) != VCPU_REG_X86_DR(0) || id == VCPU_REG_X86_DR(4) ||
	    id == VCPU_REG_X86_DR(5))
		return -ENOENT;
	*value = vcpu_x86_dr_read(vcpu, id & 7);
	return 0;
}

int vcpu_x86_debug_set_one_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	unsigned int dr = id & 7;

	struct vcpu_x86_sregs s;

	if (id == VCPU_REG_X86_DEBUGCTL) {
		/*
		 * The guest's WRMSR path: VMX then rewrites its guest state
		 * at the next entry, so it must be current (get_sregs).
		 */
		vcpu_x86_call(vcpu, get_sregs, &s);
		return vcpu_x86_call(vcpu, msr, MSR_IA32_DEBUGCTLMSR, true,
				     &value);
	}
	if ((id & ~7ULL) != VCPU_REG_X86_DR(0) || dr == 4 || dr == 5)
		return -ENOENT;
	if ((dr == 6 && (value & ~(VCPU_X86_DR6_VOLATILE | DR6_RESERVED))) ||
	    (dr == 7 && (value & ~(VCPU_X86_DR7_VALID | VCPU_X86_DR7_FIXED1))))
		return -EINVAL;
	vcpu_x86_dr_write(vcpu, dr, value);
	return 0;
}
