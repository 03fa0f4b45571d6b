/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 vCPU, whichever the vendor: the architectural state both SVM
 * and VMX keep (struct vcpu_x86, the first member of struct vcpu_svm_vcpu and
 * struct vcpu_vmx_vcpu), the primitives each vendor provides over its VMCB or
 * VMCS (struct vcpu_x86_vendor_ops), and the x86 policy written once on
 * top of them (vcpu_x86.c): what an exit means, when an instruction is
 * complete and skipped, MSR dispatch, hypercalls, HLT, MMIO and string
 * I/O, ONE_REG, completion and interrupt injection.  The vendor exit
 * handlers only decode their exit information into calls of these.
 */
#ifndef VCPU_VCPU_X86_H
#define VCPU_VCPU_X86_H

#include <linux/errno.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/thread_info.h>
#include <linux/types.h>
#include <asm/page.h>		/* PAGE_SIZE, for asm/fpu/types.h */
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/cpufeature.h>
#include <asm/special_insns.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <uapi/linux/vcpu.h>

#include "vcpu.h"
#include "apic.h"
#include "decode.h"
#include "sregs.h"
#include "x86.h"
#include "xcr0.h"

struct vcpu_x86_strio_hw;
struct vcpu_x86_fault;

/*
 * The vendor primitives.  Each works on the vendor's copy of the guest
 * state as of the last exit; what it changes reaches the hardware at the
 * next entry.  None may sleep; VMX's get_sregs may send an IPI to the CPU
 * holding the VMCS (interrupts must be on).
 *
 * skip: move RIP past the @len-byte instruction the kernel completed
 *   (wrapped to the width of the code that ran it) and end an STI/MOV SS
 *   interrupt shadow, as the hardware does at every instruction boundary.
 *   Returns RFLAGS as the instruction saw it: vcpu_x86_skip() raises the
 *   single-step trap from its TF.
 * single_step: the #DB trap (DR6.BS) of a single-stepped instruction the
 *   kernel completed, delivered at the next entry before anything else.
 * inject_exception: exception @vector (with @error when @has_error) at the
 *   next entry; set_cr2 is the guest's CR2 for a #PF about to be injected.
 * cpl: the current privilege level.
 * get_rip/set_rip: RIP and RFLAGS (GET_REGS/SET_REGS).
 * get_sregs/set_sregs: the system state in the ABI's terms.
 * msr: a guest RDMSR (*@value filled) or WRMSR of @value of an MSR the
 *   vendor keeps in its state: 0, -EINVAL for #GP (the instruction does
 *   not complete), -ENOENT when it is not one of those.
 * irq_allowed: an external interrupt injected now would be taken: RFLAGS.IF
 *   set, no interrupt shadow, no event (re-injection, exception, #DB
 *   trap) already queued for the next entry.
 * inject_irq: external interrupt @vector at the next entry.
 * irq_window: make the guest exit (@open) as soon as it can take an
 *   interrupt, or stop doing so.
 */
struct vcpu_x86_vendor_ops {
	u64 (*skip)(struct vcpu *vcpu, unsigned int len);
	void (*single_step)(struct vcpu *vcpu);
	void (*inject_exception)(struct vcpu *vcpu, u8 vector, bool has_error,
				 u32 error);
	void (*set_cr2)(struct vcpu *vcpu, u64 cr2);
	unsigned int (*cpl)(struct vcpu *vcpu);
	void (*get_rip)(struct vcpu *vcpu, u64 *rip, u64 *rflags);
	void (*set_rip)(struct vcpu *vcpu, u64 rip, u64 rflags);
	void (*get_sregs)(struct vcpu *vcpu, struct vcpu_x86_sregs *s);
	void (*set_sregs)(struct vcpu *vcpu, const struct vcpu_x86_sregs *s);
	int (*msr)(struct vcpu *vcpu, u32 msr, bool write, u64 *value);
	bool (*irq_allowed)(struct vcpu *vcpu);
	void (*inject_irq)(struct vcpu *vcpu, u8 vector);
	void (*irq_window)(struct vcpu *vcpu, bool open);
};

extern const struct vcpu_x86_vendor_ops vcpu_svm_x86_ops, vcpu_vmx_x86_ops;

struct vcpu_x86 {
	const struct vcpu_x86_vendor_ops *ops;
	/*
	 * Guest GPRs in hardware order, authoritative between entries (the
	 * vendor mirrors RAX/RSP to and from its VMCB or VMCS).
	 */
	u64 gprs[16];
	/* The MMIO or string I/O instruction decoded at the last exit. */
	struct vcpu_x86_insn mmio_insn;
	/* INIT seen, waiting for its SIPI (x2APIC ICR writes). */
	struct vcpu_x86_apic apic;
	/* vm->tlb_gen this vCPU's translations are up to date with. */
	s64 tlb_gen;
	/* The vendor's interrupt-window exiting is on (irq_window). */
	bool irq_window;
	/*
	 * The guest's extended state (fpu.c): the kernel's guest fpstate, in
	 * the CPU's registers from the start of a RUN to its end (swapped
	 * with the task's), in memory outside it.  XCR0 and PKRU are not
	 * part of that swap: they are switched around every world switch.
	 * xcr0_max: the XCR0 bits the guest may set (XSETBV, ONE_REG).
	 */
	struct fpu_guest gfpu;
	u64 xcr0, xcr0_max;
	u32 pkru;
};

/* struct vcpu_x86 is the first member of both vendors' state. */
static inline struct vcpu_x86 *to_x86(struct vcpu *vcpu)
{
	return vcpu->arch;
}

/*
 * Call vendor primitive @fn of @vcpu.  With retpolines an indirect call
 * costs some 20-30 instructions on every exit; INDIRECT_CALL_2 turns it
 * into a compare and a direct call of the vendor's function.
 */
#define vcpu_x86_call(vcpu, fn, ...)                              \
	INDIRECT_CALL_2(to_x86(vcpu)->ops->fn, vcpu_svm_x86_##fn, \
			vcpu_vmx_x86_##fn, vcpu, ##__VA_ARGS__)

/* The primitives, named for vcpu_x86_call(). */
u64 vcpu_svm_x86_skip(struct vcpu *vcpu, unsigned int len);
u64 vcpu_vmx_x86_skip(struct vcpu *vcpu, unsigned int len);
void vcpu_svm_x86_single_step(struct vcpu *vcpu);
void vcpu_vmx_x86_single_step(struct vcpu *vcpu);
void vcpu_svm_x86_inject_exception(struct vcpu *vcpu, u8 vector, bool has_error,
				   u32 error);
void vcpu_vmx_x86_inject_exception(struct vcpu *vcpu, u8 vector, bool has_error,
				   u32 error);
void vcpu_svm_x86_set_cr2(struct vcpu *vcpu, u64 cr2);
void vcpu_vmx_x86_set_cr2(struct vcpu *vcpu, u64 cr2);
unsigned int vcpu_svm_x86_cpl(struct vcpu *vcpu);
unsigned int vcpu_vmx_x86_cpl(struct vcpu *vcpu);
void vcpu_svm_x86_get_rip(struct vcpu *vcpu, u64 *rip, u64 *rflags);
void vcpu_vmx_x86_get_rip(struct vcpu *vcpu, u64 *rip, u64 *rflags);
void vcpu_svm_x86_set_rip(struct vcpu *vcpu, u64 rip, u64 rflags);
void vcpu_vmx_x86_set_rip(struct vcpu *vcpu, u64 rip, u64 rflags);
void vcpu_svm_x86_get_sregs(struct vcpu *vcpu, struct vcpu_x86_sregs *s);
void vcpu_vmx_x86_get_sregs(struct vcpu *vcpu, struct vcpu_x86_sregs *s);
void vcpu_svm_x86_set_sregs(struct vcpu *vcpu, const struct vcpu_x86_sregs *s);
void vcpu_vmx_x86_set_sregs(struct vcpu *vcpu, const struct vcpu_x86_sregs *s);
int vcpu_svm_x86_msr(struct vcpu *vcpu, u32 msr, bool write, u64 *value);
int vcpu_vmx_x86_msr(struct vcpu *vcpu, u32 msr, bool write, u64 *value);
bool vcpu_svm_x86_irq_allowed(struct vcpu *vcpu);
bool vcpu_vmx_x86_irq_allowed(struct vcpu *vcpu);
void vcpu_svm_x86_inject_irq(struct vcpu *vcpu, u8 vector);
void vcpu_vmx_x86_inject_irq(struct vcpu *vcpu, u8 vector);
void vcpu_svm_x86_irq_window(struct vcpu *vcpu, bool open);
void vcpu_vmx_x86_irq_window(struct vcpu *vcpu, bool open);

/*
 * At vcpu_create: the vendor's primitives and the guest's extended state
 * at its reset value (fpu.c); vcpu_x86_destroy() frees the latter.
 */
int vcpu_x86_init(struct vcpu_x86 *x86, const struct vcpu_x86_vendor_ops *ops);
void vcpu_x86_destroy(struct vcpu_x86 *x86);

/*
 * fpu.c: the host's XCR0, read once at module load; the guest fpstate
 * allocated at reset (x87 and SSE at their reset values, XCR0 = 1) and
 * freed.
 */
extern u64 vcpu_x86_host_xcr0;
void vcpu_x86_fpu_init(void);
int vcpu_x86_fpu_create(struct vcpu_x86 *x86);
void vcpu_x86_fpu_free(struct vcpu_x86 *x86);

/*
 * Around the world switch, interrupts off (the vendor's enter).  The
 * guest's FPU registers are the task's since the start of the RUN
 * (vcpu_arch_run_begin()); a context switch or a softirq's
 * kernel_fpu_begin() since the last entry saved them into the guest
 * fpstate and set TIF_NEED_FPU_LOAD: load them back now, with interrupts
 * off nothing can take them away until the exit.  XCR0 is the guest's
 * only while interrupts are off: the kernel's XSAVE/XRSTOR (context
 * switch, kernel_fpu_begin() in an interrupt) must run with the host's,
 * or they would save and load only the components the guest enabled.
 *
 * PKRU: WRPKRU changes only the PKRU register, which the swap of the
 * fpstate leaves alone (it excludes PKRU): the guest's is loaded for the
 * world switch and the host's put back after it.  It is loaded whatever
 * the guest's CR4.PKE: with PKE clear PKRU has no effect in the guest
 * (RDPKRU/WRPKRU #UD), so this only costs a WRPKRU that KVM saves by
 * testing CR4.PKE.  Neither lane's CPU (EPYC under TCG, Bochs' Haswell)
 * has PKU: this path runs only on hardware with it.
 */
static __always_inline void vcpu_x86_fpu_enter(struct vcpu_x86 *x86,
					       u32 *host_pkru)
{
	if (unlikely(test_thread_flag(TIF_NEED_FPU_LOAD)))
		switch_fpu_return();
	if (unlikely(x86->xcr0 != vcpu_x86_host_xcr0))
		xsetbv(XCR_XFEATURE_ENABLED_MASK, x86->xcr0);
	if (cpu_feature_enabled(X86_FEATURE_OSPKE)) {
		*host_pkru = rdpkru();
		if (*host_pkru != x86->pkru)
			wrpkru(x86->pkru);
	}
}

static __always_inline void vcpu_x86_fpu_exit(struct vcpu_x86 *x86,
					      u32 host_pkru)
{
	u64 xcr0;

	if (cpu_feature_enabled(X86_FEATURE_OSPKE)) {
		x86->pkru = rdpkru();
		if (x86->pkru != host_pkru)
			wrpkru(host_pkru);
	}
	if (!cpu_feature_enabled(X86_FEATURE_XSAVE))
		return;
	/*
	 * XCR0 as the guest left it.  On hardware it is x86->xcr0: XSETBV
	 * always exits (VMX) or is intercepted (SVM).  QEMU's TCG ignores
	 * the SVM XSETBV intercept and runs the instruction with its own
	 * checks: a value it let the guest set is kept when it is one the
	 * guest may hold (xcr0.h), as if the kernel had handled it.
	 */
	xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	if (unlikely(xcr0 != x86->xcr0) &&
	    vcpu_x86_xcr0_valid(xcr0, x86->xcr0_max))
		x86->xcr0 = xcr0;
	if (unlikely(xcr0 != vcpu_x86_host_xcr0))
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu_x86_host_xcr0);
}

/*
 * At entry, interrupts off: true when the VM's translations changed since
 * this vCPU last flushed its TLB tag (the caller flushes now).  Pairs
 * with the increment in vcpu_vm_flush_tlb(): see there.
 */
static inline bool vcpu_x86_tlb_stale(struct vcpu *vcpu)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	s64 gen = atomic64_read(&vcpu->vm->tlb_gen);

	if (gen == x86->tlb_gen)
		return false;
	x86->tlb_gen = gen;
	return true;
}

/*
 * Policy on the exit paths the benchmarks time: inline, so that in the
 * vendor's exit handlers vcpu_x86_call() finds the vendor's primitive in
 * the same file and inlines it behind its compare.
 */
/*
 * The kernel completed the instruction at RIP, @len bytes long: the guest
 * continues after it with its interrupt shadow ended, and when it was
 * single-stepping (RFLAGS.TF as the instruction began) takes the #DB trap
 * the hardware would have raised.  Returns that RFLAGS.
 */
static __always_inline u64 vcpu_x86_skip(struct vcpu *vcpu, unsigned int len)
{
	u64 rflags = vcpu_x86_call(vcpu, skip, len);

	if (unlikely(rflags & X86_EFLAGS_TF))
		vcpu_x86_call(vcpu, single_step);
	return rflags;
}

/* An instruction executed as a no-op (INVD would drop the host's caches). */
static inline void vcpu_x86_exit_nop(struct vcpu *vcpu, unsigned int len,
				     struct vcpu_run *exit)
{
	vcpu_x86_skip(vcpu, len);
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

static inline void vcpu_x86_exit_hypercall(struct vcpu *vcpu,
					   unsigned int len,
					   struct vcpu_run *exit)
{
	vcpu_x86_skip(vcpu, len);
	vcpu_x86_hypercall_exit(to_x86(vcpu)->gprs, exit);
}

/* HLT, and CLI; HLT with nothing queued: CPU_DOWN. */
static inline void vcpu_x86_exit_hlt(struct vcpu *vcpu, unsigned int len,
				     struct vcpu_run *exit)
{
	u64 rflags = vcpu_x86_skip(vcpu, len);

	vcpu_x86_hlt(rflags, vcpu_irq_pending(vcpu), exit);
}

/*
 * RDMSR/WRMSR (@write) of an MSR the permission bitmap intercepts, the
 * policy of msr.c: the vendor's own state (EFER and what its VMCB/VMCS
 * holds) is answered in the kernel, a write the guest may not make is a
 * #GP and leaves RIP; x2APIC ICR writes become SEND_IPI/CPU_UP; every
 * other MSR goes to userspace.
 */
static inline void vcpu_x86_exit_msr(struct vcpu *vcpu, unsigned int len,
				     bool write, struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	u32 msr = x86->gprs[VCPU_REG_RCX];
	u64 value = (u32)x86->gprs[VCPU_REG_RAX] |
		    (x86->gprs[VCPU_REG_RDX] << 32);
	int ret;

	ret = vcpu_x86_call(vcpu, msr, msr, write, &value);
	if (ret != -ENOENT) {
		exit->exit_reason = VCPU_EXIT_NOTHING;
		if (ret) {
			vcpu_x86_call(vcpu, inject_exception, X86_TRAP_GP,
				      true, 0);
			return;
		}
		if (!write) {
			x86->gprs[VCPU_REG_RAX] = (u32)value;
			x86->gprs[VCPU_REG_RDX] = value >> 32;
		}
		vcpu_x86_skip(vcpu, len);
		return;
	}

	vcpu_x86_skip(vcpu, len);
	if (write && msr == VCPU_X86_MSR_X2APIC_ICR) {
		vcpu_x86_icr_write(&x86->apic, value, exit);
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

/* Plain IN/OUT; a REP prefix changes nothing. */
static inline void vcpu_x86_exit_io(struct vcpu *vcpu, unsigned int len,
				    u16 port, unsigned int width, bool in,
				    struct vcpu_run *exit)
{
	vcpu_x86_skip(vcpu, len);
	vcpu_x86_io_exit(to_x86(vcpu)->gprs, port, width, in, exit);
}

/*
 * Queued interrupts (VCPU_INJECT_IRQ), at every entry with interrupts off
 * after vcpu_guest_enter().  The highest one is injected when the guest
 * can take it at this entry (irq_allowed: IF set, no STI/MOV SS shadow,
 * no event already going in).  While more remain, the interrupt window
 * makes the guest exit as soon as it could take the next one.  Nothing
 * queued and no window open, the common case, costs no vendor call.
 */
static inline void vcpu_x86_inject_irq(struct vcpu *vcpu)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	bool window;
	int vector;

	if (likely(!vcpu_irq_pending(vcpu))) {
		if (unlikely(x86->irq_window)) {
			vcpu_x86_call(vcpu, irq_window, false);
			x86->irq_window = false;
		}
		return;
	}
	if (vcpu_x86_call(vcpu, irq_allowed)) {
		vector = vcpu_irq_take(vcpu);
		if (vector >= 0)
			vcpu_x86_call(vcpu, inject_irq, vector);
	}
	window = vcpu_irq_pending(vcpu);
	/* The vendor may have lost the setting (a VMCS loaded afresh). */
	if (window || x86->irq_window)
		vcpu_x86_call(vcpu, irq_window, window);
	x86->irq_window = window;
}

/* Policy off the hot paths (vcpu_x86.c), called by the exit handlers. */
void vcpu_x86_inject_fault(struct vcpu *vcpu, const struct vcpu_x86_fault *f);
void vcpu_x86_exit_refuse(struct vcpu *vcpu, struct vcpu_run *exit);
void vcpu_x86_exit_ud(struct vcpu *vcpu, struct vcpu_run *exit);
void vcpu_x86_exit_strio(struct vcpu *vcpu, struct vcpu_x86_strio_hw *hw,
			 struct vcpu_run *exit);
void vcpu_x86_exit_npf(struct vcpu *vcpu, u64 gpa, unsigned int access,
		       u64 hw_info, struct vcpu_run *exit);
/* fpu.c: XSETBV of the @len-byte instruction at RIP. */
void vcpu_x86_exit_xsetbv(struct vcpu *vcpu, unsigned int len,
			  struct vcpu_run *exit);
/*
 * fpu.c: the CR4 bits the guest may not set on this host (XSAVE or PKU
 * off in the host kernel), and whether @cr4 sets none of them.
 */
u64 vcpu_x86_cr4_forbidden(void);
bool vcpu_x86_cr4_allowed(u64 cr4);

/* Backend ops both vendors share (struct vcpu_backend_ops). */
void vcpu_x86_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
			    u64 value);
void vcpu_x86_get_regs(struct vcpu *vcpu, struct vcpu_regs *regs);
int vcpu_x86_set_regs(struct vcpu *vcpu, const struct vcpu_regs *regs);
int vcpu_x86_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_x86_set_one_reg(struct vcpu *vcpu, u64 id, u64 value);
/* fpu.c: VCPU_GET_XSAVE / VCPU_SET_XSAVE, the XCR0 ONE_REG. */
int vcpu_x86_get_xsave(struct vcpu *vcpu, struct vcpu_xsave *xsave);
int vcpu_x86_set_xsave(struct vcpu *vcpu, const struct vcpu_xsave *xsave);
int vcpu_x86_get_xcr0(struct vcpu *vcpu, u64 *value);
int vcpu_x86_set_xcr0(struct vcpu *vcpu, u64 value);

#endif /* VCPU_VCPU_X86_H */
