// SPDX-License-Identifier: GPL-2.0
/*
 * x86 policy, written once for SVM and VMX (see vcpu_x86.h): the vendor
 * exit handlers decode their exit information and call these, which
 * decide what the exit means and change the guest through the vendor
 * primitives.  The same guest sees the same behaviour on either vendor.
 */
#include <asm/msr-index.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/tsc.h>

#include "vcpu_x86.h"
#include "x86.h"
#include "strio.h"

int vcpu_x86_init(struct vcpu_x86 *x86, const struct vcpu_x86_vendor_ops *ops)
{
	int ret;

	x86->ops = ops;
	x86->tsc_aux_cpu = -1;
	vcpu_x86_cpuid_vcpu_init(x86);
	ret = vcpu_x86_fpu_create(x86);
	if (ret)
		return ret;
	/* The default CPUID table's leaf 0xD narrows what XSETBV accepts. */
	x86->xcr0_max = vcpu_x86_cpuid_xcr0_max(x86, x86->cpuid);
	return 0;
}

void vcpu_x86_destroy(struct vcpu_x86 *x86)
{
	vcpu_x86_fpu_free(x86);
	vcpu_x86_cpuid_vcpu_destroy(x86);
}

/* The CPU has IA32_TSC_AUX (RDTSCP or RDPID); without it, WRMSR is #GP. */
static bool vcpu_x86_has_tsc_aux(void)
{
	return boot_cpu_has(X86_FEATURE_RDTSCP) ||
	       boot_cpu_has(X86_FEATURE_RDPID);
}

/*
 * At the first entry on @cpu (interrupts off): the host's TSC_AUX there,
 * and whether the guest's differs.  Linux sets it once per CPU at boot;
 * should another hypervisor's guest value still be in it (KVM restores
 * its host value only on the way back to user space), that value is put
 * back after each exit in turn and KVM's restore still follows.
 */
void vcpu_x86_tsc_aux_refresh(struct vcpu_x86 *x86, int cpu)
{
	x86->tsc_aux_cpu = cpu;
	x86->tsc_aux_switch = false;
	if (!vcpu_x86_has_tsc_aux())
		return;
	rdmsrl(MSR_TSC_AUX, x86->host_tsc_aux);
	x86->tsc_aux_switch = x86->tsc_aux != x86->host_tsc_aux;
}

/*
 * Guest RDMSR/WRMSR of TSC_AUX, after an exit (the host's value is in the
 * hardware and host_tsc_aux is this CPU's): 0, or -EINVAL for #GP.
 */
int vcpu_x86_tsc_aux_msr(struct vcpu_x86 *x86, bool write, u64 *value)
{
	if (!vcpu_x86_has_tsc_aux())
		return -EINVAL;
	if (!write) {
		*value = x86->tsc_aux;
		return 0;
	}
	if (*value >> 32)
		return -EINVAL;		/* reserved bits */
	x86->tsc_aux = *value;
	x86->tsc_aux_switch = x86->tsc_aux != x86->host_tsc_aux;
	return 0;
}

/* VCPU_CHECK_EXTENSION: the x86 registers the core cannot see in the ops. */
long vcpu_x86_check_extension(long cap)
{
	return cap == VCPU_CAP_TSC_KHZ;
}

/*
 * ONE_REG of the TSC registers, which are not in the system state: 0,
 * -EINVAL for a value out of range, -ENOENT for any other id.
 */
static int vcpu_x86_tsc_one_reg(struct vcpu *vcpu, u64 id, bool write,
				u64 *value)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);

	switch (id) {
	case VCPU_REG_X86_TSC_OFFSET:
		if (!write) {
			*value = x86->tsc_offset;
			return 0;
		}
		x86->tsc_offset = *value;
		break;
	case VCPU_REG_X86_TSC:
		/* Modulo 2^64, as the hardware adds the offset. */
		if (!write) {
			*value = rdtsc() + x86->tsc_offset;
			return 0;
		}
		x86->tsc_offset = *value - rdtsc();
		break;
	case VCPU_REG_X86_TSC_KHZ:
		/* The host's calibrated rate, which the guest's TSC runs at. */
		if (write)
			return -EPERM;
		*value = tsc_khz;
		return 0;
	case VCPU_REG_X86_TSC_AUX:
		if (!write) {
			*value = x86->tsc_aux;
			return 0;
		}
		if (*value >> 32)
			return -EINVAL;
		x86->tsc_aux = *value;
		x86->tsc_aux_cpu = -1;	/* compared again at the next entry */
		return 0;
	default:
		return -ENOENT;
	}
	vcpu_x86_call(vcpu, set_tsc_offset, x86->tsc_offset);
	return 0;
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
 * The interrupt window opened (VINTR, interrupt-window exit): the entry
 * that follows injects.  Hardware never opens it inside an STI shadow,
 * but QEMU's TCG (7.2) takes a virtual interrupt right after STI and
 * reports no shadow at that exit: an interrupt queued across CLI; ...;
 * STI; HLT would then be taken before the HLT, which halts afterwards
 * with nothing left to wake it.  So a window exit whose previous byte is
 * STI (0xFB) restores the shadow: the interrupt goes in one instruction
 * later (the window reopens), at the HLT's own exit.  On hardware the
 * test can only match an instruction merely ending in 0xFB, and then
 * delays the interrupt by one instruction, which no guest can tell from
 * an interrupt arriving later.
 */
void vcpu_x86_exit_irq_window(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_x86_events e;
	struct vcpu_x86_sregs s;
	struct vcpu_x86_guest g;
	u8 bytes[VCPU_X86_MAX_INSN_LEN];

	exit->exit_reason = VCPU_EXIT_NOTHING;
	vcpu_x86_call(vcpu, get_events, &e);
	if (e.shadow)
		return;
	vcpu_x86_call(vcpu, get_sregs, &s);
	vcpu_x86_guest_of(&s, &g);
	g.rip--;
	if (vcpu_x86_fetch_insn(vcpu, &g, bytes) > 0 && bytes[0] == 0xfb) {
		e.shadow = VCPU_X86_SHADOW_STI;
		vcpu_x86_call(vcpu, set_events, &e, VCPU_X86_EVENTS_SHADOW);
	}
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
	int ret = vcpu_x86_tsc_one_reg(vcpu, id, false, value);

	if (ret != -ENOENT)
		return ret;
	ret = vcpu_x86_debug_get_one_reg(vcpu, id, value);
	if (ret != -ENOENT)
		return ret;
	if (id == VCPU_REG_X86_XCR0)
		return vcpu_x86_get_xcr0(vcpu, value);
	p = vcpu_x86_one_reg_of(vcpu, &s, id, &size);
	if (!p)
		return -ENOENT;
	*value = 0;
	memcpy(value, p, size);
	return 0;
}

/*
 * Every ONE_REG id x86 knows; vcpu_x86_reg_list() keeps those this vCPU
 * answers (the kept MSRs differ between vendors).
 */
static const u64 vcpu_x86_reg_ids[] = {
	VCPU_REG_X86_CR0, VCPU_REG_X86_CR2, VCPU_REG_X86_CR3, VCPU_REG_X86_CR4,
	VCPU_REG_X86_EFER, VCPU_REG_X86_GDTR_BASE, VCPU_REG_X86_GDTR_LIMIT,
	VCPU_REG_X86_IDTR_BASE, VCPU_REG_X86_IDTR_LIMIT,
	VCPU_REG_X86_MSR(MSR_STAR), VCPU_REG_X86_MSR(MSR_LSTAR),
	VCPU_REG_X86_MSR(MSR_CSTAR), VCPU_REG_X86_MSR(MSR_SYSCALL_MASK),
	VCPU_REG_X86_MSR(MSR_KERNEL_GS_BASE),
	VCPU_REG_X86_MSR(MSR_IA32_SYSENTER_CS),
	VCPU_REG_X86_MSR(MSR_IA32_SYSENTER_ESP),
	VCPU_REG_X86_MSR(MSR_IA32_SYSENTER_EIP),
	VCPU_REG_X86_MSR(MSR_IA32_CR_PAT), VCPU_REG_X86_XCR0,
	VCPU_REG_X86_TSC_OFFSET, VCPU_REG_X86_TSC_AUX,
	VCPU_REG_X86_DR(0), VCPU_REG_X86_DR(1), VCPU_REG_X86_DR(2),
	VCPU_REG_X86_DR(3), VCPU_REG_X86_DR(6), VCPU_REG_X86_DR(7),
	VCPU_REG_X86_DEBUGCTL,
};

unsigned int vcpu_x86_reg_list(struct vcpu *vcpu, u64 *ids, unsigned int max)
{
	unsigned int i, seg, field, n = 0;
	u64 id, value;

	/*
	 * Nothing is checked between two SET_ONE_REGs (the entry checks
	 * the whole state), so the order does not matter.
	 */
	for (seg = 0; seg < VCPU_SEG_NR; seg++) {
		for (field = 0; field <= VCPU_SEG_ATTRIB; field++) {
			if (n < max)
				ids[n] = VCPU_REG_X86_SEG(seg, field);
			n++;
		}
	}
	for (i = 0; i < ARRAY_SIZE(vcpu_x86_reg_ids); i++) {
		id = vcpu_x86_reg_ids[i];
		if (vcpu_x86_get_one_reg(vcpu, id, &value))
			continue;
		if (n < max)
			ids[n] = id;
		n++;
	}
	return n;
}

int vcpu_x86_set_one_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	struct vcpu_x86_sregs s;
	unsigned int size;
	void *p;
	int ret = vcpu_x86_tsc_one_reg(vcpu, id, true, &value);

	if (ret != -ENOENT)
		return ret;
	ret = vcpu_x86_debug_set_one_reg(vcpu, id, value);
	if (ret != -ENOENT)
		return ret;
	if (id == VCPU_REG_X86_XCR0)
		return vcpu_x86_set_xcr0(vcpu, value);
	p = vcpu_x86_one_reg_of(vcpu, &s, id, &size);
	if (!p)
		return -ENOENT;
	if ((size < 8 && value >> (size * 8)) ||
	    vcpu_x86_one_reg_check(id, value))
		return -EINVAL;
	/* A CR4 bit the CPUID table hides: the entry would fail or lie. */
	if (id == VCPU_REG_X86_CR4 && (value & to_x86(vcpu)->cr4_reserved))
		return -EINVAL;
	memcpy(p, &value, size);
	vcpu_x86_call(vcpu, set_sregs, &s);
	return 0;
}
