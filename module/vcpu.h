/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's objects: a VM (guest-physical memory, second-stage table) and
 * its vCPUs (state machine, shared page).  Backends see these through
 * vcpu->arch and vm->arch.
 */
#ifndef VCPU_CORE_H
#define VCPU_CORE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
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
};

struct dentry;

struct vcpu_vm {
	struct kref kref;
	u32 id;
	pid_t pid;			/* tgid of the creator */
	struct list_head node;		/* on the debugfs list of VMs */
	struct dentry *debugfs;
	struct mutex mem_lock;		/* slots and pt */
	struct vcpu_memslot *slots[VCPU_MAX_MEM_SLOTS];
	struct vcpu_pt pt;
	/* Bumped under mem_lock when a mapping is removed or weakened. */
	atomic64_t tlb_gen;
	struct xarray vcpus;		/* id -> struct vcpu */
	/* CPUs a vCPU of this VM is bound to, with a count each. */
	spinlock_t cpus_lock;
	unsigned int *cpu_users;
	void *arch;
};

struct vcpu {
	spinlock_t lock;		/* state, busy, cpu, fail_* */
	u32 state;			/* enum vcpu_state */
	bool busy;			/* an operation is in progress */
	bool fatal;			/* the operation failed: end Invalid */
	int cpu;			/* bound physical CPU, -1 if none */
	u32 id;
	u32 setup_flags;
	struct vcpu_vm *vm;

	struct vcpu_run *run;		/* shared with userspace */
	struct vcpu_run exit;		/* the kernel's copy of the last exit */
	bool pending;			/* @exit waits for completion */

	struct vcpu_stats stats;
	struct vcpu_history history;	/* under @lock */
	u64 exit_ns;			/* when the last exit happened, or 0 */
	u32 exit_reason;		/* its kind, for the histogram */
	struct dentry *debugfs;

	int fail_errno;
	u32 fail_op;
	u64 fail_hw_code;
	char fail_reason[VCPU_FAIL_REASON_LEN];

	void *arch;
};

/* vm.c */
int vcpu_vm_create(void);
void vcpu_vm_put(struct vcpu_vm *vm);
int vcpu_vm_read_gpa(struct vcpu_vm *vm, u64 gpa, void *buf, unsigned int len);
void vcpu_vm_flush_tlb(struct vcpu_vm *vm);
void vcpu_vm_cpu_add(struct vcpu_vm *vm, unsigned int cpu);
void vcpu_vm_cpu_del(struct vcpu_vm *vm, unsigned int cpu);

/* memslot.c */
int vcpu_memslot_set(struct vcpu_vm *vm, const struct vcpu_memory_region *r);
void vcpu_memslot_free_all(struct vcpu_vm *vm);

/* vcpu.c */
int vcpu_create(struct vcpu_vm *vm, unsigned long id);
int vcpu_op_begin(struct vcpu *vcpu, enum vcpu_op op, u32 *prev);
void vcpu_op_end(struct vcpu *vcpu, enum vcpu_op op, u32 prev, int err);
void vcpu_fail(struct vcpu *vcpu, enum vcpu_op op, int err, u64 hw,
	       const char *fmt, ...) __printf(5, 6);

/* run.c */
long vcpu_run_ioctl(struct vcpu *vcpu);

/* cpu.c */
int vcpu_cpu_get(unsigned int cpu);
void vcpu_cpu_put(unsigned int cpu);
int vcpu_cpu_init(void);
void vcpu_cpu_exit(void);

/* debugfs.c */
void vcpu_debugfs_init(void);
void vcpu_debugfs_exit(void);
void vcpu_debugfs_vm_add(struct vcpu_vm *vm);
void vcpu_debugfs_vm_del(struct vcpu_vm *vm);
void vcpu_debugfs_vcpu_add(struct vcpu *vcpu);
void vcpu_debugfs_vcpu_del(struct vcpu *vcpu);

/* dev.c */
int vcpu_dev_init(void);
void vcpu_dev_exit(void);

#endif /* VCPU_CORE_H */
