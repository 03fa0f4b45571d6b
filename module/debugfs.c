// SPDX-License-Identifier: GPL-2.0
/*
 * The system-wide read-only view, in debugfs (as KVM's), for every VM and
 * vCPU of every process:
 *
 *   vcpu/vcpus          one line per vCPU:
 *                       vm vcpu pid state cpu exits last_exit
 *   vcpu/vm<N>/info     one section per vCPU of VM N, in id order: a line
 *                       "vcpu <M>", then key value lines: pid, state, cpu,
 *                       last_exit, fail_errno, fail_reason, exit_filter,
 *                       irqs_pending; an empty line ends the section
 *   vcpu/vm<N>/stats    the same sections: name value lines, the counters
 *                       of vcpu_stat_descs[] (entries, exits, run_ns,
 *                       guest_ns, samples_lost), exit_<KIND> counts, then
 *                       hist_<KIND> with 32 log2-nanosecond buckets
 *   vcpu/vm<N>/history  the same sections: the last 16 state transitions,
 *                       ns from -> to op [reason=...]
 *
 * Files exist per VM, not per vCPU: a VM of 1,024 vCPUs costs four debugfs
 * entries, not 4,096.  A VM's files are removed before it is freed
 * (debugfs waits for readers); the VM list and every VM's vCPUs are
 * walked under vcpu_debugfs_lock, which a vCPU leaves before it is freed.
 */
#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>

#include "vcpu.h"

static struct dentry *vcpu_debugfs_root;
static LIST_HEAD(vcpu_debugfs_vms);
static DEFINE_MUTEX(vcpu_debugfs_lock);

static const char *vcpu_exit_name(u32 reason)
{
	return reason < VCPU_EXIT_NR ? vcpu_exit_names[reason] : "?";
}

static int vcpu_debugfs_vcpus_show(struct seq_file *m, void *unused)
{
	struct vcpu_vm *vm;
	struct vcpu *vcpu;
	unsigned long id;

	seq_puts(m, "vm vcpu pid state cpu exits last_exit\n");
	mutex_lock(&vcpu_debugfs_lock);
	list_for_each_entry(vm, &vcpu_debugfs_vms, node) {
		/* A vCPU leaves the xarray under this lock before it is freed. */
		xa_for_each(&vm->vcpus, id, vcpu)
			seq_printf(m, "%u %u %d %s %d %llu %s\n", vm->id,
				   vcpu->id, vm->pid,
				   vcpu_state_name(READ_ONCE(vcpu->state)),
				   READ_ONCE(vcpu->cpu), vcpu->stats.exits,
				   vcpu_exit_name(READ_ONCE(vcpu->last_exit)));
	}
	mutex_unlock(&vcpu_debugfs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_debugfs_vcpus);

/*
 * The exit kinds handled in the kernel, and the interrupts queued by
 * VCPU_INJECT_IRQ and not yet injected (a racy snapshot: they are set by
 * other threads and taken at guest entry).
 */
static void vcpu_debugfs_filter_irqs(struct seq_file *m, struct vcpu *vcpu)
{
	u32 filter = READ_ONCE(vcpu->filter);
	unsigned int k, irq, n = 0;

	seq_puts(m, "exit_filter");
	for (k = 0; k < VCPU_EXIT_NR; k++)
		if (filter & BIT(k))
			seq_printf(m, " %s", vcpu_exit_name(k));
	if (!filter)
		seq_puts(m, " -");
	seq_puts(m, "\nirqs_pending");
	for_each_set_bit(irq, vcpu->irq_pending, VCPU_IRQ_MAX) {
		if (++n > 16) {
			seq_puts(m, " ...");
			break;
		}
		seq_printf(m, " %u", irq);
	}
	if (!n)
		seq_puts(m, " -");
	seq_putc(m, '\n');
}

static void vcpu_debugfs_info_show(struct seq_file *m, struct vcpu_vm *vm,
				   struct vcpu *vcpu)
{
	char reason[VCPU_FAIL_REASON_LEN];
	u32 state;
	int err, cpu;

	spin_lock(&vcpu->lock);
	state = vcpu->state;
	cpu = vcpu->cpu;
	err = vcpu->fail_errno;
	memcpy(reason, vcpu->fail_reason, sizeof(reason));
	spin_unlock(&vcpu->lock);
	reason[sizeof(reason) - 1] = 0;

	seq_printf(m, "pid %d\nstate %s\ncpu %d\n", vm->pid,
		   vcpu_state_name(state), cpu);
	seq_printf(m, "last_exit %s\nfail_errno %d\nfail_reason %s\n",
		   vcpu_exit_name(READ_ONCE(vcpu->last_exit)), err, reason);
	vcpu_debugfs_filter_irqs(m, vcpu);
}

static void vcpu_debugfs_stats_show(struct seq_file *m, struct vcpu_vm *vm,
				    struct vcpu *vcpu)
{
	const struct vcpu_stats *s = &vcpu->stats;
	unsigned int i, b;

	for (i = 0; i < vcpu_stat_ndescs; i++)
		seq_printf(m, "%s %llu\n", vcpu_stat_descs[i].name,
			   *(const u64 *)((const u8 *)s +
					  vcpu_stat_descs[i].offset));
	for (i = 0; i < VCPU_EXIT_NR; i++)
		seq_printf(m, "exit_%s %llu\n", vcpu_exit_names[i],
			   s->exit_count[i]);
	for (i = 0; i < VCPU_EXIT_NR; i++) {
		/* Not allocated yet: no sample of this kind. */
		const u32 *hist = READ_ONCE(s->exit_hist[i]);

		seq_printf(m, "hist_%s", vcpu_exit_names[i]);
		for (b = 0; b < VCPU_HIST_BUCKETS; b++)
			seq_printf(m, " %u", hist ? hist[b] : 0);
		seq_putc(m, '\n');
	}
}

static void vcpu_debugfs_history_show(struct seq_file *m, struct vcpu_vm *vm,
				      struct vcpu *vcpu)
{
	struct vcpu_history_entry list[VCPU_HISTORY_MAX];
	char reason[VCPU_FAIL_REASON_LEN];
	unsigned int i, n;

	spin_lock(&vcpu->lock);
	n = vcpu_history_list(&vcpu->history, list);
	memcpy(reason, vcpu->fail_reason, sizeof(reason));
	spin_unlock(&vcpu->lock);
	reason[sizeof(reason) - 1] = 0;

	for (i = 0; i < n; i++) {
		const struct vcpu_history_entry *e = &list[i];

		seq_printf(m, "%llu %s -> %s %s", e->ns,
			   vcpu_state_name(e->from), vcpu_state_name(e->to),
			   vcpu_history_op_names[e->op]);
		if (e->to == VCPU_STATE_INVALID)
			seq_printf(m, " reason=%s", reason);
		seq_putc(m, '\n');
	}
}

/*
 * The files of a VM walk its vCPUs in id order, one section each, under
 * vcpu_debugfs_lock (held from ->start to ->stop, i.e. within one read():
 * the copy to userspace comes after ->stop).  The position is the id to
 * resume from, so a vCPU created or closed between two reads neither
 * repeats nor hides another.
 */
static void *vcpu_debugfs_vm_start(struct seq_file *m, loff_t *pos)
{
	struct vcpu_vm *vm = m->private;
	unsigned long id = *pos;

	mutex_lock(&vcpu_debugfs_lock);
	if (*pos >= VCPU_MAX_VCPUS)
		return NULL;
	return xa_find(&vm->vcpus, &id, VCPU_MAX_VCPUS - 1, XA_PRESENT);
}

static void *vcpu_debugfs_vm_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct vcpu_vm *vm = m->private;
	unsigned long id = ((struct vcpu *)v)->id;

	*pos = id + 1;
	return xa_find_after(&vm->vcpus, &id, VCPU_MAX_VCPUS - 1, XA_PRESENT);
}

static void vcpu_debugfs_vm_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&vcpu_debugfs_lock);
}

/* A section: "vcpu <M>", its lines, an empty line. */
#define VCPU_DEBUGFS_VM_FILE(file)					\
static int vcpu_debugfs_##file##_section(struct seq_file *m, void *v)	\
{									\
	struct vcpu *vcpu = v;						\
									\
	seq_printf(m, "vcpu %u\n", vcpu->id);				\
	vcpu_debugfs_##file##_show(m, m->private, vcpu);		\
	seq_putc(m, '\n');						\
	return 0;							\
}									\
									\
static const struct seq_operations vcpu_debugfs_##file##_sops = {	\
	.start	= vcpu_debugfs_vm_start,				\
	.next	= vcpu_debugfs_vm_next,					\
	.stop	= vcpu_debugfs_vm_stop,					\
	.show	= vcpu_debugfs_##file##_section,			\
};									\
DEFINE_SEQ_ATTRIBUTE(vcpu_debugfs_##file)

VCPU_DEBUGFS_VM_FILE(info);
VCPU_DEBUGFS_VM_FILE(stats);
VCPU_DEBUGFS_VM_FILE(history);

/*
 * A VM's directory and its three files: a fixed cost per VM, none per
 * vCPU (a debugfs dentry and inode cost about 1 KiB of kernel memory).
 */
void vcpu_debugfs_vm_add(struct vcpu_vm *vm)
{
	char name[16];

	snprintf(name, sizeof(name), "vm%u", vm->id);
	vm->debugfs = debugfs_create_dir(name, vcpu_debugfs_root);
	debugfs_create_file("info", 0400, vm->debugfs, vm,
			    &vcpu_debugfs_info_fops);
	debugfs_create_file("stats", 0400, vm->debugfs, vm,
			    &vcpu_debugfs_stats_fops);
	debugfs_create_file("history", 0400, vm->debugfs, vm,
			    &vcpu_debugfs_history_fops);
	mutex_lock(&vcpu_debugfs_lock);
	list_add_tail(&vm->node, &vcpu_debugfs_vms);
	mutex_unlock(&vcpu_debugfs_lock);
}

/* The last vCPU is gone: debugfs waits for the VM's readers. */
void vcpu_debugfs_vm_del(struct vcpu_vm *vm)
{
	mutex_lock(&vcpu_debugfs_lock);
	list_del(&vm->node);
	mutex_unlock(&vcpu_debugfs_lock);
	debugfs_remove_recursive(vm->debugfs);
}

/*
 * Before the vCPU is freed: every reader finds vCPUs in vm->vcpus under
 * vcpu_debugfs_lock, so none can still see it afterwards.
 */
void vcpu_debugfs_vcpu_del(struct vcpu *vcpu)
{
	mutex_lock(&vcpu_debugfs_lock);
	xa_erase(&vcpu->vm->vcpus, vcpu->id);
	mutex_unlock(&vcpu_debugfs_lock);
}

void vcpu_debugfs_init(void)
{
	vcpu_debugfs_root = debugfs_create_dir("vcpu", NULL);
	debugfs_create_file("vcpus", 0400, vcpu_debugfs_root, NULL,
			    &vcpu_debugfs_vcpus_fops);
	vcpu_floor_debugfs_init(vcpu_debugfs_root);
}

void vcpu_debugfs_exit(void)
{
	debugfs_remove_recursive(vcpu_debugfs_root);
}
