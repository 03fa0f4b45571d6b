/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 vCPU, whichever the vendor: the architectural state both SVM
 * and VMX keep (struct vcpu_x86, the first member of struct vcpu_svm_vcpu and
 * struct vcpu_vmx_vcpu), the primitives each vendor provides over its VMCB or
 * VMCS (struct vcpu_x86_vendor_ops), and the x86 policy written once on
 * top of them (vcpu_x86.c): what an exit means, when an instruction is
 * complete and skipped, MSR dispatch, hypercalls, HLT, MMIO and string
 * I/O, ONE_REG, completion and interrupt injection; debug registers,
 * #DB and #AC (debugreg.c).  The vendor exit
 * handlers only decode their exit information into calls of these.
 */
#ifndef VCPU_VCPU_X86_H
#define VCPU_VCPU_X86_H

#include <linux/errno.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/types.h>
#include <asm/page.h>		/* PAGE_SIZE, for asm/fpu/types.h */
#include <asm/fpu/types.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <uapi/linux/vcpu.h>

#include "vcpu.h"
#include "apic.h"
#include "decode.h"
#include "sregs.h"
#include "x86.h"

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
 * get_dr/set_dr: DR6 (@n 6) or DR7 (@n 7) where the vendor keeps it (SVM:
 *   the VMCB, both; VMX: DR7 in the VMCS, DR6 in struct vcpu_x86).
 */
struct vcpu_x86_vendor_ops {
	u64 (*skip)(struct vcpu *vcpu, unsigned int len);
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
	u64 (*get_dr)(struct vcpu *vcpu, unsigned int n);
	void (*set_dr)(struct vcpu *vcpu, unsigned int n, u64 value);
};

/*
 * The guest's debug registers the hardware does not switch (debugreg.c).
 * DR7 lives in the VMCB/VMCS, which the world switch loads and saves;
 * DR6 in the VMCB on SVM (VMRUN loads it, #VMEXIT saves it), here on VMX.
 */
struct vcpu_x86_debug {
	u64 db[4];		/* DR0-DR3 */
	u64 dr6;		/* VMX only */
	u64 debugctl;		/* MSR_IA32_DEBUGCTLMSR as the guest wrote it */
	/*
	 * The guest's DR7 enables a breakpoint: DR0-3 go into the CPU at
	 * every entry and the host's come back after it.  Otherwise the
	 * hardware DR0-3 do not matter while the guest runs: its DR7 (which
	 * the world switch loads) arms none of them and every MOV from a
	 * debug register exits and is answered from db[].
	 */
	bool active;
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
	struct vcpu_x86_debug dbg;
	/*
	 * Guest FPU/SSE state (FXSAVE layout), kept across exits.  16-byte
	 * aligned, as FXSAVE requires: struct fxregs_state carries that
	 * alignment into struct vcpu_x86 and the vendor structs, whose
	 * __alignof__ the core allocates by (vcpu_align).
	 */
	struct fxregs_state fpu;
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
u64 vcpu_svm_x86_get_dr(struct vcpu *vcpu, unsigned int n);
u64 vcpu_vmx_x86_get_dr(struct vcpu *vcpu, unsigned int n);
void vcpu_svm_x86_set_dr(struct vcpu *vcpu, unsigned int n, u64 value);
void vcpu_vmx_x86_set_dr(struct vcpu *vcpu, unsigned int n, u64 value);

/* At vcpu_create: the vendor's primitives and the FPU's reset state. */
void vcpu_x86_init(struct vcpu_x86 *x86, const struct vcpu_x86_vendor_ops *ops);

/* debugreg.c: the guest's debug registers, #DB and #AC. */
void vcpu_x86_debug_reset(struct vcpu *vcpu);
void vcpu_x86_debug_load(struct vcpu_x86 *x86);
void vcpu_x86_debug_put(void);
void vcpu_x86_debug_trap(struct vcpu *vcpu, u64 payload);
void vcpu_x86_exit_mov_dr(struct vcpu *vcpu, unsigned int dr, unsigned int gpr,
			  bool write, unsigned int len, struct vcpu_run *exit);
void vcpu_x86_exit_ac(struct vcpu *vcpu, struct vcpu_run *exit);
int vcpu_x86_debugctl_check(u64 value);
int vcpu_x86_debug_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_x86_debug_set_one_reg(struct vcpu *vcpu, u64 id, u64 value);

/*
 * Around the world switch, interrupts off.  Before: the guest's DR0-3
 * when its DR7 arms one of them.  After: the host's breakpoints back
 * (VMX's exit leaves DR7 at 0x400, and a guest's DR0-3 were in the
 * CPU), or the guest's addresses cleared out of the CPU.  Nobody using
 * debug registers, the common case, costs two tests.
 */
static __always_inline void vcpu_x86_debug_enter(struct vcpu_x86 *x86)
{
	if (unlikely(x86->dbg.active))
		vcpu_x86_debug_load(x86);
}

static __always_inline void vcpu_x86_debug_exit(struct vcpu_x86 *x86)
{
	if (unlikely(x86->dbg.active || hw_breakpoint_active()))
		vcpu_x86_debug_put();
}

/* The guest's FPU/SSE registers in and out around the world switch. */
static inline void vcpu_x86_fpu_load(struct vcpu_x86 *x86)
{
	asm volatile("fxrstorq %0" : : "m" (x86->fpu));
}

static inline void vcpu_x86_fpu_save(struct vcpu_x86 *x86)
{
	asm volatile("fxsaveq %0" : "=m" (x86->fpu));
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
		vcpu_x86_debug_trap(vcpu, DR_STEP);
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

/* Backend ops both vendors share (struct vcpu_backend_ops). */
void vcpu_x86_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
			    u64 value);
void vcpu_x86_get_regs(struct vcpu *vcpu, struct vcpu_regs *regs);
int vcpu_x86_set_regs(struct vcpu *vcpu, const struct vcpu_regs *regs);
int vcpu_x86_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_x86_set_one_reg(struct vcpu *vcpu, u64 id, u64 value);

#endif /* VCPU_VCPU_X86_H */
