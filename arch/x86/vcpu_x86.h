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
#include <linux/thread_info.h>
#include <linux/types.h>
#include <asm/page.h>		/* PAGE_SIZE, for asm/fpu/types.h */
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/nospec-branch.h>
#include <asm/fpu/xcr.h>
#include <asm/cpufeature.h>
#include <asm/special_insns.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/processor-flags.h>
#include <asm/msr.h>
#include <asm/trapnr.h>
#include <uapi/linux/vcpu.h>

#include "vcpu.h"
#include "apic.h"
#include "cpuid.h"
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
 * inject_exception: exception @vector (with @error when @has_error) at the
 *   next entry; set_cr2 is the guest's CR2 for a #PF about to be injected.
 * cpl: the current privilege level.
 * get_cr4: the guest's CR4, cheaply: exact in the bits outside
 *   VCPU_X86_CR4_BASELINE (every write to those exits), possibly older
 *   in the baseline bits (VMX: the guest writes them without an exit).
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
 * nmi_allowed: an NMI injected now would be taken: the guest does not
 *   block NMIs (no NMI handler awaiting its IRET), no STI/MOV SS shadow,
 *   no event already queued for the next entry.
 * inject_nmi: an NMI at the next entry; the guest blocks NMIs from its
 *   delivery until its IRET.
 * nmi_window: make the guest exit (@open) as soon as it can take an NMI,
 *   or stop doing so.
 * event_queued: an event (re-injection, exception, NMI, interrupt) goes
 *   in at the next entry.
 * get_events/set_events: the event in delivery (injected*), the NMI
 *   blocking and the interrupt shadow in the ABI's terms; set_events
 *   applies the parts @flags names (VCPU_X86_EVENTS_INJECTED, _NMI:
 *   nmi_masked only, _SHADOW), checked already.
 * set_tsc_offset: the guest's RDTSC is the host's TSC plus @offset from
 *   the next entry.
 * get_dr/set_dr: DR6 (@n 6) or DR7 (@n 7) where the vendor keeps it (SVM:
 *   the VMCB, both; VMX: DR7 in the VMCS, DR6 in struct vcpu_x86).
 */
struct vcpu_x86_vendor_ops {
	u64 (*skip)(struct vcpu *vcpu, unsigned int len);
	void (*inject_exception)(struct vcpu *vcpu, u8 vector, bool has_error,
				 u32 error);
	void (*set_cr2)(struct vcpu *vcpu, u64 cr2);
	unsigned int (*cpl)(struct vcpu *vcpu);
	u64 (*get_cr4)(struct vcpu *vcpu);
	void (*get_rip)(struct vcpu *vcpu, u64 *rip, u64 *rflags);
	void (*set_rip)(struct vcpu *vcpu, u64 rip, u64 rflags);
	void (*get_sregs)(struct vcpu *vcpu, struct vcpu_x86_sregs *s);
	void (*set_sregs)(struct vcpu *vcpu, const struct vcpu_x86_sregs *s);
	int (*msr)(struct vcpu *vcpu, u32 msr, bool write, u64 *value);
	bool (*irq_allowed)(struct vcpu *vcpu);
	void (*inject_irq)(struct vcpu *vcpu, u8 vector);
	void (*irq_window)(struct vcpu *vcpu, bool open);
	bool (*nmi_allowed)(struct vcpu *vcpu);
	void (*inject_nmi)(struct vcpu *vcpu);
	void (*nmi_window)(struct vcpu *vcpu, bool open);
	bool (*event_queued)(struct vcpu *vcpu);
	void (*get_events)(struct vcpu *vcpu, struct vcpu_x86_events *e);
	void (*set_events)(struct vcpu *vcpu, const struct vcpu_x86_events *e,
			   u32 flags);
	void (*set_tsc_offset)(struct vcpu *vcpu, u64 offset);
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
	 * The guest's CPUID table (the module's default one until
	 * VCPU_SET_CPUID) and the CR4 bits it leaves reserved.
	 */
	struct vcpu_x86_cpuid *cpuid;
	u64 cr4_reserved;
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
	/*
	 * Events beyond the interrupt queue (events.c): an NMI latched
	 * (VCPU_INJECT_NMI), not yet injected; the vendor's NMI window is
	 * on; an exception the VMM asked for (VCPU_SET_EVENTS), not yet
	 * injected.  @events is set while any of them is, so that an entry
	 * with none of them costs one test.
	 */
	bool nmi_pending;
	bool nmi_window;
	bool exc_pending;
	bool events;
	u8 exc_vector;
	bool exc_has_error, exc_has_payload;
	u32 exc_error;
	u64 exc_payload;
	/*
	 * The guest's IA32_TSC_AUX is in the hardware from entry to exit
	 * (tsc_aux_switch) when it differs from the host's, which is
	 * host_tsc_aux as read on CPU tsc_aux_cpu (-1: read it again).
	 */
	bool tsc_aux_switch;
	int tsc_aux_cpu;
	u64 tsc_aux;
	u64 host_tsc_aux;
	/* VCPU_REG_X86_TSC_OFFSET: guest TSC = host TSC + tsc_offset. */
	u64 tsc_offset;
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
u64 vcpu_svm_x86_get_cr4(struct vcpu *vcpu);
u64 vcpu_vmx_x86_get_cr4(struct vcpu *vcpu);
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
bool vcpu_svm_x86_nmi_allowed(struct vcpu *vcpu);
bool vcpu_vmx_x86_nmi_allowed(struct vcpu *vcpu);
void vcpu_svm_x86_inject_nmi(struct vcpu *vcpu);
void vcpu_vmx_x86_inject_nmi(struct vcpu *vcpu);
void vcpu_svm_x86_nmi_window(struct vcpu *vcpu, bool open);
void vcpu_vmx_x86_nmi_window(struct vcpu *vcpu, bool open);
bool vcpu_svm_x86_event_queued(struct vcpu *vcpu);
bool vcpu_vmx_x86_event_queued(struct vcpu *vcpu);
void vcpu_svm_x86_get_events(struct vcpu *vcpu, struct vcpu_x86_events *e);
void vcpu_vmx_x86_get_events(struct vcpu *vcpu, struct vcpu_x86_events *e);
void vcpu_svm_x86_set_events(struct vcpu *vcpu,
			     const struct vcpu_x86_events *e, u32 flags);
void vcpu_vmx_x86_set_events(struct vcpu *vcpu,
			     const struct vcpu_x86_events *e, u32 flags);
void vcpu_svm_x86_set_tsc_offset(struct vcpu *vcpu, u64 offset);
void vcpu_vmx_x86_set_tsc_offset(struct vcpu *vcpu, u64 offset);
u64 vcpu_svm_x86_get_dr(struct vcpu *vcpu, unsigned int n);
u64 vcpu_vmx_x86_get_dr(struct vcpu *vcpu, unsigned int n);
void vcpu_svm_x86_set_dr(struct vcpu *vcpu, unsigned int n, u64 value);
void vcpu_vmx_x86_set_dr(struct vcpu *vcpu, unsigned int n, u64 value);

/*
 * At vcpu_create: the vendor's primitives and the guest's extended state
 * at its reset value (fpu.c); vcpu_x86_destroy() frees the latter.
 */
int vcpu_x86_init(struct vcpu_x86 *x86, const struct vcpu_x86_vendor_ops *ops);
void vcpu_x86_destroy(struct vcpu_x86 *x86);

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
 * Right after the world switch, interrupts off, on the CPU that ran the
 * guest: the host's VMSCAPE mitigation, an IBPB before this CPU next
 * returns to user mode (the VMM, or any process, must not meet branch
 * predictions the guest trained), as the kernel's own hypervisor does.
 * Set before preemption is enabled again, so that it is the CPU that ran
 * the guest that flushes.  The emulators here do not model it.
 *
 * The other speculation controls need no switching: IA32_SPEC_CTRL (and
 * AMD's VIRT_SPEC_CTRL) are never passed through (msr.c: the VMM answers
 * them), so the hardware keeps the host task's value, IBRS and SSBD
 * included, while the guest runs.  That is stricter than the kernel's
 * own hypervisor, which lets a guest lower them; x86_virt_spec_ctrl()
 * would only be needed once a guest may own them.
 */
static __always_inline void vcpu_x86_guest_ran(void)
{
	if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER))
		this_cpu_write(x86_ibpb_exit_to_user, true);
}

void vcpu_x86_tsc_aux_refresh(struct vcpu_x86 *x86, int cpu);

/*
 * The guest's TSC_AUX around the world switch, interrupts off, on @cpu:
 * loaded just before the entry and the host's back right after the exit,
 * and only when the two differ.  Linux keeps the CPU (and node) number
 * there for user space (vgetcpu: RDPID/RDTSCP in the vDSO); the kernel
 * itself never reads it (its paranoid entry finds the CPU with LSL, not
 * RDPID, because hypervisors switch TSC_AUX), so NMIs in between are
 * harmless and nothing on the host, in the kernel or in user space, sees
 * the guest's value.  KVM defers the restore to the return to user space
 * (user-return notifiers); two WRMSRs per round trip buy simplicity here,
 * and a guest that never wrote TSC_AUX on CPU 0 (host value 0) costs none.
 */
static __always_inline void vcpu_x86_tsc_aux_enter(struct vcpu_x86 *x86,
						    int cpu)
{
	if (unlikely(x86->tsc_aux_cpu != cpu))
		vcpu_x86_tsc_aux_refresh(x86, cpu);
	if (unlikely(x86->tsc_aux_switch))
		wrmsrl(MSR_TSC_AUX, x86->tsc_aux);
}

static __always_inline void vcpu_x86_tsc_aux_exit(struct vcpu_x86 *x86)
{
	if (unlikely(x86->tsc_aux_switch))
		wrmsrl(MSR_TSC_AUX, x86->host_tsc_aux);
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

/*
 * HLT, and CLI; HLT with nothing queued: CPU_DOWN.  A HLT with an event
 * the guest takes at once is no halt: the guest goes past it and the
 * event is injected at the next entry.  This is STI; HLT with an
 * interrupt queued: the HLT intercept comes before the HLT, inside the
 * STI shadow, where no interrupt (and no interrupt window) could come in;
 * reporting HALT there would halt a guest whose wake-up is pending.  An
 * NMI or the VMM's exception wakes it whatever IF (an NMI the guest
 * blocks too: a halt inside an NMI handler is left early).
 */
static inline void vcpu_x86_exit_hlt(struct vcpu *vcpu, unsigned int len,
				     struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	u64 rflags = vcpu_x86_skip(vcpu, len);
	bool wake = x86->nmi_pending || x86->exc_pending ||
		    test_bit(VCPU_REQ_NMI, &vcpu->requests) ||
		    ((rflags & X86_EFLAGS_IF) && vcpu_irq_queued(vcpu));

	vcpu_x86_hlt(rflags, wake || vcpu_irq_pending(vcpu), wake, exit);
}

int vcpu_x86_tsc_aux_msr(struct vcpu_x86 *x86, bool write, u64 *value);

/*
 * RDMSR/WRMSR (@write) of an MSR the permission bitmap intercepts, the
 * policy of msr.c: the vendor's own state (EFER and what its VMCB/VMCS
 * holds, TSC_AUX) is answered in the kernel, a write the guest may not make is a
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
	if (unlikely(ret == -ENOENT && msr == MSR_TSC_AUX))
		ret = vcpu_x86_tsc_aux_msr(x86, write, &value);
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

/* events.c: NMI, the VMM's exceptions, at entry before the interrupts. */
void vcpu_x86_inject_events(struct vcpu *vcpu);

/*
 * Events, at every entry with interrupts off after vcpu_guest_enter():
 * first the VMM's exception and a latched NMI (vcpu_x86_inject_events(),
 * only when there is one: one test otherwise), then queued interrupts
 * (VCPU_INJECT_IRQ).  The highest interrupt is injected when the guest
 * can take it at this entry (irq_allowed: IF set, no STI/MOV SS shadow,
 * no event already going in, an NMI included).  While more remain, the
 * interrupt window makes the guest exit as soon as it could take the next
 * one.  Nothing queued and no window open, the common case, costs no
 * vendor call.
 */
static inline void vcpu_x86_inject_irq(struct vcpu *vcpu)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	bool window;
	int vector;

	if (unlikely(x86->events || test_bit(VCPU_REQ_NMI, &vcpu->requests)))
		vcpu_x86_inject_events(vcpu);
	if (likely(!vcpu_irq_queued(vcpu))) {
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
	window = vcpu_irq_queued(vcpu);
	/* The vendor may have lost the setting (a VMCS loaded afresh). */
	if (window || x86->irq_window)
		vcpu_x86_call(vcpu, irq_window, window);
	x86->irq_window = window;
}

/* Policy off the hot paths (vcpu_x86.c), called by the exit handlers. */
void vcpu_x86_inject_fault(struct vcpu *vcpu, const struct vcpu_x86_fault *f);
void vcpu_x86_exit_refuse(struct vcpu *vcpu, struct vcpu_run *exit);
void vcpu_x86_exit_ud(struct vcpu *vcpu, struct vcpu_run *exit);
void vcpu_x86_exit_irq_window(struct vcpu *vcpu, struct vcpu_run *exit);
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
u64 vcpu_x86_fpu_xcr0_supported(struct vcpu_x86 *x86);

/*
 * The #DB payload (DR6 bits) of an exception the VMM injects: TODO, wired
 * by the debug-register work (the guest's DR6 is not modelled yet).
 */
void vcpu_x86_dbg_payload(struct vcpu *vcpu, u64 payload);

/*
 * The parts of struct vcpu_backend_ops both vendors share: what x86 can
 * run, and the ops x86 policy provides whole (the vendor ones are each
 * backend's own).
 */
#define VCPU_X86_BACKEND_MODES						\
	.modes = BIT(VCPU_MODE_X86_REAL) | BIT(VCPU_MODE_X86_PROT32) |	\
		 BIT(VCPU_MODE_X86_LONG64),				\
	.irq_min = VCPU_X86_IRQ_MIN,					\
	.irq_max = VCPU_X86_IRQ_MAX,					\
	.has_nmi = true,						\
	.check_extension = vcpu_x86_check_extension,			\
	.vcpu_check_setup = vcpu_x86_check_setup

#define VCPU_X86_BACKEND_OPS						\
	.vcpu_complete = vcpu_x86_vcpu_complete,			\
	.get_regs = vcpu_x86_get_regs,					\
	.set_regs = vcpu_x86_set_regs,					\
	.get_one_reg = vcpu_x86_get_one_reg,				\
	.set_one_reg = vcpu_x86_set_one_reg,				\
	.reg_list = vcpu_x86_reg_list,					\
	.get_xsave = vcpu_x86_get_xsave,				\
	.set_xsave = vcpu_x86_set_xsave,				\
	.set_cpuid = vcpu_x86_set_cpuid,				\
	.get_cpuid = vcpu_x86_get_cpuid,				\
	.vcpu_irq_held = vcpu_x86_vcpu_irq_held,			\
	.get_events = vcpu_x86_get_events,				\
	.set_events = vcpu_x86_set_events

/* Backend ops both vendors share (struct vcpu_backend_ops). */
long vcpu_x86_check_extension(long cap);
bool vcpu_x86_vcpu_irq_held(struct vcpu *vcpu);
int vcpu_x86_get_events(struct vcpu *vcpu, struct vcpu_events *events);
int vcpu_x86_set_events(struct vcpu *vcpu, const struct vcpu_events *events);
void vcpu_x86_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
			    u64 value);
void vcpu_x86_get_regs(struct vcpu *vcpu, struct vcpu_regs *regs);
int vcpu_x86_set_regs(struct vcpu *vcpu, const struct vcpu_regs *regs);
int vcpu_x86_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_x86_set_one_reg(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_x86_reg_list(struct vcpu *vcpu, u64 *ids, unsigned int max);
/* fpu.c: VCPU_GET_XSAVE / VCPU_SET_XSAVE, the XCR0 ONE_REG. */
int vcpu_x86_get_xsave(struct vcpu *vcpu, struct vcpu_xsave *xsave);
int vcpu_x86_set_xsave(struct vcpu *vcpu, const struct vcpu_xsave *xsave);
int vcpu_x86_get_xcr0(struct vcpu *vcpu, u64 *value);
int vcpu_x86_set_xcr0(struct vcpu *vcpu, u64 value);

#endif /* VCPU_VCPU_X86_H */
