/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's objects: a VM (guest-physical memory, second-stage table) and
 * its vCPUs (state machine, shared page).  Backends see these through
 * vcpu->arch and vm->arch.
 */
#ifndef VCPU_CORE_H
#define VCPU_CORE_H

#include <linux/cpumask.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <uapi/linux/vcpu.h>

#include "pgtable.h"
#include "state.h"
#include "stats.h"

struct vcpu_memslot {
	u64 gpa;
	u64 size;
	u64 uaddr;
	u32 flags;
	unsigned long npages;
	struct page **pages;
	/* The mm the pages are pinned from, charged npages of locked_vm. */
	struct mm_struct *mm;
};

struct dentry;

struct vcpu_vm {
	struct kref kref;
	u32 id;
	pid_t pid;			/* tgid of the creator */
	struct list_head node;		/* on the debugfs list of VMs */
	struct dentry *debugfs;
	/*
	 * Writers of slots and pt hold mem_lock.  Readers on the run path
	 * (instruction fetch, string I/O) take no lock: they find a slot
	 * under srcu (vcpu_memslot_find()), and a deleted slot's pages stay
	 * pinned until every such reader has left it.
	 */
	struct mutex mem_lock;
	struct srcu_struct srcu;
	struct vcpu_memslot __rcu *slots[VCPU_MAX_MEM_SLOTS];
	struct vcpu_pt pt;
	/* Bumped under mem_lock when a mapping is removed or weakened. */
	atomic64_t tlb_gen;
	struct xarray vcpus;		/* id -> struct vcpu */
	/* CPUs a vCPU of this VM is bound to, with a count each. */
	spinlock_t cpus_lock;
	unsigned int *cpu_users;
	void *arch;
};

/* Interrupt numbers VCPU_INJECT_IRQ may queue (x86 vectors, GIC INTIDs). */
#define VCPU_IRQ_MAX		1024

/* vcpu->requests: work other threads ask of the vCPU's runner (kick.c). */
enum {
	VCPU_REQ_KICK,			/* return VCPU_EXIT_INTR */
	VCPU_REQ_IRQ,			/* irq_pending may be non-empty */
	VCPU_REQ_NMI,			/* VCPU_INJECT_NMI: the backend latches it */
};

/* vcpu->guest_mode */
enum {
	VCPU_OUTSIDE_GUEST,
	VCPU_IN_GUEST,			/* between the last check and the exit */
};

struct vcpu {
	spinlock_t lock;		/* state, busy, cpu, fail_* */
	u32 state;			/* enum vcpu_state */
	bool busy;			/* an operation is in progress */
	bool fatal;			/* the operation failed: end Invalid */
	int cpu;			/* bound physical CPU, -1 if none */
	u32 id;
	u32 filter;			/* exit kinds handled in the kernel */
	struct vcpu_vm *vm;

	/* Set and read without @lock by other threads: see kick.c. */
	unsigned long requests;
	int guest_mode;
	unsigned long irq_pending[BITS_TO_LONGS(VCPU_IRQ_MAX)];
	wait_queue_head_t wq;		/* the runner while Blocked */
	struct preempt_notifier pn;	/* the loaded window (sched.c) */
	bool halted;			/* blocked in HLT/WFI, not yet woken */

	struct vcpu_run *run;		/* shared with userspace */
	struct vcpu_run exit;		/* the kernel's copy of the last exit */
	bool pending;			/* @exit waits for completion */

	struct vcpu_stats stats;
	struct vcpu_history history;	/* under @lock */
	u64 op_ns;			/* when the current operation began */
	u64 exit_ns;			/* when the last exit happened, or 0 */
	u32 exit_reason;		/* its kind, for the histogram */
	/*
	 * The kind of the last exit RUN returned to the VMM (@exit is
	 * cleared at every entry, and absorbed exits are NOTHING): what
	 * GET_STATE and debugfs report.  Read without @lock.
	 */
	u32 last_exit;

	int fail_errno;
	u32 fail_op;
	u64 fail_hw_code;
	char fail_reason[VCPU_FAIL_REASON_LEN];

	void *arch;
};

/*
 * The clock of the statistics and the history: sched_clock() reads the
 * CPU's own counter (TSC, CNTVCT) even where the clocksource is an
 * emulated device (the HPET under QEMU TCG, whose every read takes the
 * emulator's global lock and serialised vCPUs running in parallel).  Not
 * local_clock(): where the kernel found the TSCs unsynchronised (the
 * debug lane's tinyconfig kernel under TCG) that one is clamped to a tick
 * past the last tick's time of day, so between two late ticks it stands
 * still and a user exit looked handled in 0 ns.  It is read sparingly:
 * twice per user exit (operation start, guest exit) and once per exit
 * absorbed in the kernel (its exit, which also times the next entry
 * unless the run loop slept in between).  Intervals are taken on one CPU,
 * the bound one (RUN reads the clock again when it had to move the
 * thread there); the history's times from different CPUs are comparable
 * to within the CPUs' counter skew.
 */
static inline u64 vcpu_now_ns(void)
{
	return sched_clock();
}

/* vm.c */
int vcpu_vm_create(void);
void vcpu_vm_put(struct vcpu_vm *vm);
int vcpu_vm_read_gpa(struct vcpu_vm *vm, u64 gpa, void *buf, unsigned int len);
void vcpu_vm_flush_tlb(struct vcpu_vm *vm);
void vcpu_vm_cpu_add(struct vcpu_vm *vm, unsigned int cpu);
void vcpu_vm_cpu_del(struct vcpu_vm *vm, unsigned int cpu);

/* memslot.c */
int vcpu_memslot_set(struct vcpu_vm *vm, const struct vcpu_memory_region *r);
/*
 * The slot holding @gpa, or NULL; the caller is inside
 * srcu_read_lock(&vm->srcu) (or holds mem_lock) for as long as it uses it.
 */
struct vcpu_memslot *vcpu_memslot_find(struct vcpu_vm *vm, u64 gpa);
void vcpu_memslot_free_all(struct vcpu_vm *vm);

/* vcpu.c */
int vcpu_cache_init(void);
void vcpu_cache_exit(void);
int vcpu_create(struct vcpu_vm *vm, unsigned long id);
int vcpu_op_begin(struct vcpu *vcpu, enum vcpu_op op, u32 *prev);
void vcpu_op_end(struct vcpu *vcpu, enum vcpu_op op, u32 prev, int err);
/* The same, with the time of the state change given (the history's). */
void vcpu_op_end_at(struct vcpu *vcpu, enum vcpu_op op, u32 prev, int err,
		    u64 ns);
void vcpu_set_blocked(struct vcpu *vcpu, bool blocked);
void vcpu_fail(struct vcpu *vcpu, enum vcpu_op op, int err, u64 hw,
	       const char *fmt, ...) __printf(5, 6);

/* run.c */
struct vcpu_run_affinity {
	bool saved;
	cpumask_var_t mask;
};

long vcpu_run_ioctl(struct vcpu *vcpu);
int vcpu_run_retry(struct vcpu *vcpu, struct vcpu_run_affinity *aff, int err);
int vcpu_run_pin(struct vcpu *vcpu, struct vcpu_run_affinity *aff);
void vcpu_run_unpin(struct vcpu_run_affinity *aff);
/* After a FAIL_ENTRY or SHUTDOWN exit: record why, the vCPU ends Invalid. */
void vcpu_run_fatal_exit(struct vcpu *vcpu);

/* kick.c: requests, interrupt queue, guest mode (lock-free, per vCPU) */
long vcpu_kick_ioctl(struct vcpu *vcpu);
long vcpu_inject_irq_ioctl(struct vcpu *vcpu, void __user *argp);
long vcpu_inject_nmi_ioctl(struct vcpu *vcpu);
/*
 * Backends call these on the bound CPU with interrupts disabled, right
 * before and after the world switch.  vcpu_guest_enter() returns false when
 * the entry must not happen (a kick is pending): report VCPU_EXIT_NOTHING.
 * Everything queued before it returned true is seen by the injection that
 * follows; anything queued later makes the guest exit at once.
 */
bool vcpu_guest_enter(struct vcpu *vcpu);
void vcpu_guest_exit(struct vcpu *vcpu);

/* Consume a pending kick: the locked operation only when there is one. */
static inline bool vcpu_kick_take(struct vcpu *vcpu)
{
	return test_bit(VCPU_REQ_KICK, &vcpu->requests) &&
	       test_and_clear_bit(VCPU_REQ_KICK, &vcpu->requests);
}
/* The highest queued interrupt, removed from the queue, or -1. */
int vcpu_irq_take(struct vcpu *vcpu);
/* Queue @irq again (its injection did not happen). */
void vcpu_irq_requeue(struct vcpu *vcpu, u32 irq);
/*
 * Is an interrupt queued, an NMI requested, or an event held by the
 * backend (not yet taken)?  What wakes a HLT/WFI.
 */
bool vcpu_irq_pending(struct vcpu *vcpu);
/* Is an interrupt queued (VCPU_INJECT_IRQ)? */
bool vcpu_irq_queued(struct vcpu *vcpu);

/* filter.c: the exit delivery filter and the kernel's hypercalls */
void vcpu_filter_setup(struct vcpu *vcpu, u32 setup_flags);
long vcpu_filter_ioctl(struct vcpu *vcpu, void __user *argp, bool set);
/* Handle @exit in the kernel if the filter says so: true when handled. */
bool vcpu_filter_absorb(struct vcpu *vcpu, struct vcpu_run *exit);

/*
 * sched.c: the backend's vcpu_load/vcpu_put around a run loop, kept across
 * preemption by a notifier.  The caller is pinned to the bound CPU.
 */
void vcpu_sched_init(void);
void vcpu_sched_exit(void);
void vcpu_sched_vcpu_init(struct vcpu *vcpu);
void vcpu_sched_load(struct vcpu *vcpu);
void vcpu_sched_put(struct vcpu *vcpu);

/* vcpu.c: the vCPU behind a file, NULL if it is not a vCPU fd. */
struct vcpu *vcpu_from_file(struct file *file);

/* caps.c: VCPU_CHECK_EXTENSION, on /dev/vcpu and a VM fd. */
long vcpu_check_extension(unsigned long cap);

/* floor.c: the debug-only bench floor (debugfs vcpu/bench_floor). */
void vcpu_floor_debugfs_init(struct dentry *root);

/* cpu.c */
DECLARE_PER_CPU(bool, vcpu_cpu_enabled);

/* This module holds the extension on this CPU (interrupts off). */
static inline bool vcpu_cpu_owned(void)
{
	return this_cpu_read(vcpu_cpu_enabled);
}

int vcpu_cpu_reclaim(unsigned int cpu);
int vcpu_cpu_get(unsigned int cpu);
void vcpu_cpu_put(unsigned int cpu);
int vcpu_cpu_init(void);
void vcpu_cpu_exit(void);

/* debugfs.c */
void vcpu_debugfs_init(void);
void vcpu_debugfs_exit(void);
void vcpu_debugfs_vm_add(struct vcpu_vm *vm);
void vcpu_debugfs_vm_del(struct vcpu_vm *vm);
/* Leave vm->vcpus, and with it the debugfs view: before the vCPU is freed. */
void vcpu_debugfs_vcpu_del(struct vcpu *vcpu);

/* dev.c */
int vcpu_dev_init(void);
void vcpu_dev_exit(void);

#endif /* VCPU_CORE_H */
