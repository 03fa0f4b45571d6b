/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one ops table every hardware backend (SVM, VMX, arm64 EL2)
 * implements.  The core never touches a vendor register: everything
 * architectural goes through here.  Chosen once at module load.
 */
#ifndef VCPU_BACKEND_H
#define VCPU_BACKEND_H

#include <linux/bits.h>
#include <linux/types.h>
#include <uapi/linux/vcpu.h>

struct vcpu;
struct vcpu_vm;
struct vcpu_pt_format;

struct vcpu_backend_ops {
	const char *name;
	u32 backend_id;		/* VCPU_BACKEND_*, for VCPU_CAP_BACKEND */
	u32 modes;		/* BIT(enum vcpu_mode) accepted by setup */
	/* VCPU_INJECT_IRQ accepts irq_min..irq_max (< VCPU_IRQ_MAX). */
	u32 irq_min, irq_max;
	/* VCPU_INJECT_NMI is offered (x86). */
	bool has_nmi;
	/*
	 * Optional: the VCPU_CAP_* answers that are the architecture's own
	 * (the core answers those it can tell from this table); 0 for the rest.
	 */
	long (*check_extension)(long cap);

	/*
	 * Per physical CPU, called on that CPU with interrupts disabled.
	 * cpu_enable fails with -EBUSY when another hypervisor already owns
	 * the extensions there; cpu_disable undoes cpu_enable.
	 */
	int (*cpu_enable)(void);
	void (*cpu_disable)(void);
	/* Emergency path (crash, reboot): disable if enabled, never fail. */
	void (*cpu_emergency_disable)(void);
	/* The kernel's own emergency path already disables this extension. */
	bool emergency_covered;

	/* The second-stage table format for this VM (NPT, EPT, stage-2). */
	const struct vcpu_pt_format *(*pt_format)(void);
	/* Highest guest-physical address + 1 a memory region may reach. */
	u64 (*max_gpa)(void);

	/*
	 * The vendor state of a vCPU is vcpu_size bytes (aligned to
	 * vcpu_align) in the vCPU's own allocation, zeroed: vcpu->arch points
	 * to it when vcpu_create is called.  vcpu_create initialises it and
	 * allocates what lives apart (VMCB, VMCS); vcpu_destroy frees that.
	 */
	unsigned int vcpu_size, vcpu_align;
	int (*vcpu_create)(struct vcpu *vcpu);
	void (*vcpu_destroy)(struct vcpu *vcpu);
	/* Argument check of SETUP, before any state changes: -EINVAL. */
	int (*vcpu_check_setup)(const struct vcpu_setup *setup);
	/* Created -> Free: load the initial architectural state. */
	int (*vcpu_setup)(struct vcpu *vcpu, const struct vcpu_setup *setup);
	/* Free -> Ready and back, on the vCPU's bound CPU being set. */
	int (*vcpu_bind)(struct vcpu *vcpu);
	void (*vcpu_unbind)(struct vcpu *vcpu);

	/*
	 * One guest entry and exit, in the steps of the core's sequence
	 * (module/entry.h), which owns everything around them: the bound-CPU
	 * and ownership checks, interrupts off and on, the kick protocol, the
	 * host interrupt and the bookkeeping.  None of them may sleep, take a
	 * lock, re-enable interrupts or fail: a state the hardware cannot
	 * enter is reported as an exit.
	 *
	 * enter: interrupts off, on the bound CPU @cpu, this module holding
	 *   the extension there, past vcpu_guest_enter().  Load what this entry
	 *   needs (a queued interrupt, the TLB tag, per-entry host state), make
	 *   the world switch and read the raw exit back into the vendor state
	 *   (nothing decoded yet), the host's state back in place, interrupts
	 *   still off.  Returns VCPU_ENTER_* flags.  A guest state the hardware
	 *   would run wrongly is not entered: handle_exit then reports it as
	 *   FAIL_ENTRY.
	 * leave: optional; after the core named the host interrupt, interrupts
	 *   still off: undo what must stay in place until then (arm64: the
	 *   GIC virtual CPU interface, so that a maintenance interrupt is still
	 *   the one named).
	 * handle_exit: interrupts on, preemptible, no lock held: decode the
	 *   raw exit into @exit (the kernel's private copy of the shared page),
	 *   handling in the kernel what needs no userspace.  @vector is the host
	 *   interrupt that made the guest exit (VCPU_ENTER_HOST_IRQ), else 0.
	 *
	 * One indirect call fewer per exit is why loading the entry's state
	 * is part of enter, not an op of its own.
	 */
	u32 (*enter)(struct vcpu *vcpu, int cpu);
	void (*leave)(struct vcpu *vcpu);
	void (*handle_exit)(struct vcpu *vcpu, u32 vector, struct vcpu_run *exit);
	/*
	 * Optional, both or neither: around a sequence of entries,
	 * with preemption disabled, on the CPU whose registers they change
	 * (sched.c).  vcpu_load saves host state that stays the same between
	 * entries and loads guest state the kernel does not use meanwhile;
	 * vcpu_put undoes it.  Called again across every preemption or
	 * sleep of the task in between.
	 */
	void (*vcpu_load)(struct vcpu *vcpu);
	void (*vcpu_put)(struct vcpu *vcpu);
	/* Apply userspace's completion @value of the pending @exit. */
	void (*vcpu_complete)(struct vcpu *vcpu, const struct vcpu_run *exit,
			      u64 value);

	/*
	 * Optional: an injected interrupt the backend took from the queue
	 * is still pending in the guest's interrupt controller (arm64 list
	 * registers), so a HLT/WFI must not block.
	 */
	bool (*vcpu_irq_held)(struct vcpu *vcpu);
	/*
	 * Optional: the runner is about to sleep in a HLT/WFI (@blocked
	 * true), or woke (false); process context, preemptible.  What the
	 * backend may need to wake it meanwhile (arm64: an hrtimer at the
	 * guest timer's deadline) it arms here and cancels on the way out;
	 * the wake-up is wake_up_interruptible(&vcpu->wq), after which
	 * vcpu_irq_held must say yes.
	 */
	void (*vcpu_block)(struct vcpu *vcpu, bool blocked);

	/*
	 * Optional (ENOTTY without): VCPU_GET_EVENTS / VCPU_SET_EVENTS, the
	 * vCPU Free, Ready (or Invalid for get).  set_events checks @events
	 * (-EINVAL, -EBUSY) before it changes anything.
	 */
	int (*get_events)(struct vcpu *vcpu, struct vcpu_events *events);
	int (*set_events)(struct vcpu *vcpu, const struct vcpu_events *events);

	void (*get_regs)(struct vcpu *vcpu, struct vcpu_regs *regs);
	int (*set_regs)(struct vcpu *vcpu, const struct vcpu_regs *regs);
	int (*get_one_reg)(struct vcpu *vcpu, u64 id, u64 *value);
	int (*set_one_reg)(struct vcpu *vcpu, u64 id, u64 value);
	/*
	 * Optional: the ONE_REG ids of @vcpu (VCPU_GET_REG_LIST), at most
	 * @max of them into @ids; returns how many there are.  Same context
	 * as get_one_reg.
	 */
	unsigned int (*reg_list)(struct vcpu *vcpu, u64 *ids, unsigned int max);
	/*
	 * Optional, both or neither (x86): the extended state in the
	 * standard XSAVE layout (VCPU_GET_XSAVE/VCPU_SET_XSAVE); set fails
	 * with -EINVAL, changing nothing, on a state the vCPU cannot hold.
	 */
	int (*get_xsave)(struct vcpu *vcpu, struct vcpu_xsave *xsave);
	int (*set_xsave)(struct vcpu *vcpu, const struct vcpu_xsave *xsave);
	/*
	 * Optional (x86): VCPU_SET_CPUID / VCPU_GET_CPUID on the user
	 * buffer @arg, within an operation (Free or Ready).
	 */
	int (*set_cpuid)(struct vcpu *vcpu, struct vcpu_cpuid __user *arg);
	int (*get_cpuid)(struct vcpu *vcpu, struct vcpu_cpuid __user *arg);

	/* Module unload, after every CPU was disabled. */
	void (*exit)(void);
};

/*
 * What enter() found for the host.  VCPU_ENTER_HOST_IRQ: a host interrupt
 * made the guest exit and is still pending; the core names it
 * (vcpu_arch_irq_fetch()) and lets the host take it.  VCPU_ENTER_HOST_TAKE:
 * let the host take whatever is pending, naming nothing (VMX preemption
 * timer).
 */
#define VCPU_ENTER_HOST_IRQ	BIT(0)
#define VCPU_ENTER_HOST_TAKE	BIT(1)

extern const struct vcpu_backend_ops *vcpu_backend;

#endif /* VCPU_BACKEND_H */
