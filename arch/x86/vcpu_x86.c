// SPDX-License-Identifier: GPL-2.0
/*
 * x86 policy, written once for SVM and VMX (see vcpu_x86.h): the vendor
 * exit handlers decode their exit information and call these, which
 * decide what the exit means and change the guest through the vendor
 * primitives.  The same guest sees the same behaviour on either vendor.
 */
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vcpu_x86.h"
#include "x86.h"
#include "strio.h"

void vcpu_x86_init(struct vcpu_x86 *x86, const struct vcpu_x86_vendor_ops *ops)
{
	x86->ops = ops;
	x86->fpu.cwd = 0x37f;
	x86->fpu.mxcsr = 0x1f80;
}

/* A guest fault from emulating an access (@f->valid), CR2 set first. */
void vcpu_x86_inject_fault(struct vcpu *vcpu, const struct vcpu_x86_fault *f)
{
	if (!f->valid)
		return;
	vcpu_x86_call(vcpu, set_cr2, f->cr2);
	vcpu_x86_call(vcpu, inject_exception, f->vector, true, f->error);
}

/* An instruction this module does not offer (SVM, VMX, MONITOR...): #UD. */
void vcpu_x86_exit_refuse(struct vcpu *vcpu, struct vcpu_run *exit)
{
	vcpu_x86_call(vcpu, inject_exception, X86_TRAP_UD, false, 0);
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/*
 * #UD: the other vendor's hypercall instruction (vcpu_x86_is_hypercall())
 * is a hypercall too, so that one guest image runs on either; anything
 * else is the guest's own #UD.
 */
void vcpu_x86_exit_ud(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_x86_sregs s;
	struct vcpu_x86_guest g;
	u8 bytes[VCPU_X86_MAX_INSN_LEN];

	vcpu_x86_call(vcpu, get_sregs, &s);
	vcpu_x86_guest_of(&s, &g);
	if (vcpu_x86_is_hypercall(bytes, vcpu_x86_fetch_insn(vcpu, &g, bytes))) {
		vcpu_x86_exit_hypercall(vcpu, 3, exit);
		return;
	}
	vcpu_x86_exit_refuse(vcpu, exit);
}

/*
 * INS/OUTS, described by the vendor in @hw (all but the CPL): the string
 * I/O path of strio.c, then RIP past a completed instruction or the
 * guest's #PF on its operand.
 */
void vcpu_x86_exit_strio(struct vcpu *vcpu, struct vcpu_x86_strio_hw *hw,
			 struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_sregs s;
	struct vcpu_x86_fault fault;

	vcpu_x86_call(vcpu, get_sregs, &s);
	hw->cpl = vcpu_x86_call(vcpu, cpl);
	if (vcpu_x86_strio_exit(vcpu, &s, x86->gprs, hw, &x86->mmio_insn,
				exit, &fault))
		vcpu_x86_skip(vcpu, x86->mmio_insn.len);
	vcpu_x86_inject_fault(vcpu, &fault);
}

/*
 * A second-stage fault (NPF, EPT violation) at @gpa: NESTED_PAGE_FAULT,
 * or MMIO of the decoded instruction, which the kernel then completes
 * (vcpu_x86_vcpu_complete() loads a read's register).
 */
void vcpu_x86_exit_npf(struct vcpu *vcpu, u64 gpa, unsigned int access,
		       u64 hw_info, struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_sregs s;
	struct vcpu_x86_guest g;
	unsigned int len;

	vcpu_x86_call(vcpu, get_sregs, &s);
	vcpu_x86_guest_of(&s, &g);
	len = vcpu_x86_npf_exit(vcpu, &g, x86->gprs, gpa, access, hw_info,
				&x86->mmio_insn, exit);
	if (len)
		vcpu_x86_skip(vcpu, len);
}

void vcpu_x86_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
			    u64 value)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);

	/* INS: the data is in the shared page, not in value. */
	if (exit->exit_reason == VCPU_EXIT_IO_READ &&
	    (exit->io.flags & VCPU_IO_F_STRING)) {
		struct vcpu_x86_sregs s;
		struct vcpu_x86_fault fault;

		vcpu_x86_call(vcpu, get_sregs, &s);
		if (vcpu_x86_strio_complete(vcpu, &s, vcpu_x86_call(vcpu, cpl),
					    x86->gprs, &x86->mmio_insn, exit,
					    &fault))
			vcpu_x86_skip(vcpu, x86->mmio_insn.len);
		/* The page became unwritable in the guest's tables: #PF. */
		vcpu_x86_inject_fault(vcpu, &fault);
		return;
	}
	vcpu_x86_complete(x86->gprs, &x86->mmio_insn, exit, value);
}

void vcpu_x86_get_regs(struct vcpu *vcpu, struct vcpu_regs *regs)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);

	memcpy(regs->gpr, x86->gprs, sizeof(x86->gprs));
	vcpu_x86_call(vcpu, get_rip, &regs->pc, &regs->flags);
}

/* The GPRs beyond the 16 of x86 must be zero. */
int vcpu_x86_set_regs(struct vcpu *vcpu, const struct vcpu_regs *regs)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	int i;

	for (i = ARRAY_SIZE(x86->gprs); i < ARRAY_SIZE(regs->gpr); i++)
		if (regs->gpr[i])
			return -EINVAL;
	memcpy(x86->gprs, regs->gpr, sizeof(x86->gprs));
	vcpu_x86_call(vcpu, set_rip, regs->pc, regs->flags);
	return 0;
}

/* ONE_REG @id: its field in @s, the system state read now, or NULL. */
static void *vcpu_x86_one_reg_of(struct vcpu *vcpu, struct vcpu_x86_sregs *s,
				 u64 id, unsigned int *size)
{
	vcpu_x86_call(vcpu, get_sregs, s);
	return vcpu_x86_one_reg(s, id, size);
}

int vcpu_x86_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value)
{
	struct vcpu_x86_sregs s;
	unsigned int size;
	void *p;
	int ret;

	ret = vcpu_x86_debug_get_one_reg(vcpu, id, value);
	if (ret != -ENOENT)
		return ret;
	p = vcpu_x86_one_reg_of(vcpu, &s, id, &size);
	if (!p)
		return -ENOENT;
	*value = 0;
	memcpy(value, p, size);
	return 0;
}

int vcpu_x86_set_one_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	struct vcpu_x86_sregs s;
	unsigned int size;
	void *p;
	int ret;

	ret = vcpu_x86_debug_set_one_reg(vcpu, id, value);
	if (ret != -ENOENT)
		return ret;
	p = vcpu_x86_one_reg_of(vcpu, &s, id, &size);
	if (!p)
		return -ENOENT;
	if (size < 8 && value >> (size * 8))
		return -EINVAL;
	memcpy(p, &value, size);
	vcpu_x86_call(vcpu, set_sregs, &s);
	return 0;
}
