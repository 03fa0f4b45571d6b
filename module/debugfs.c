// SPDX-License-Identifier: GPL-2.0
/*
 * The system-wide read-only view, in debugfs (as KVM's), for every VM and
 * vCPU of every process:
 *
 *   vcpu/vcpus                 one line per vCPU:
 *                              vm vcpu pid state cpu exits last_exit
 *   vcpu/vm<N>/vcpu<M>/info    key value lines: vm, vcpu, pid, state, cpu,
 *                              last_exit, fail_errno, fail_reason
 *   vcpu/vm<N>/vcpu<M>/stats   name value lines: the counters of
 *                              vcpu_stat_descs[], exit_<KIND> counts, then
 *                              hist_<KIND> with 32 log2-nanosecond buckets
 *   vcpu/vm<N>/vcpu<M>/history the last 16 state transitions:
 *                              ns from -> to op [reason=...]
 *
 * Files of a vCPU are removed before it is freed (debugfs waits for
 * readers); the VM list is walked under vcpu_debugfs_lock.
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
				   vcpu_exit_name(vcpu->exit.exit_reason));
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

static int vcpu_debugfs_info_show(struct seq_file *m, void *unused)
{
	struct vcpu *vcpu = m->private;
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

	seq_printf(m, "vm %u\nvcpu %u\npid %d\nstate %s\ncpu %d\n",
		   vcpu->vm->id, vcpu->id, vcpu->vm->pid,
		   vcpu_state_name(state), cpu);
	seq_printf(m, "last_exit %s\nfail_errno %d\nfail_reason %s\n",
		   vcpu_exit_name(vcpu->exit.exit_reason), err, reason);
	vcpu_debugfs_filter_irqs(m, vcpu);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_debugfs_info);

static int vcpu_debugfs_stats_show(struct seq_file *m, void *unused)
{
	const struct vcpu_stats *s = &((struct vcpu *)m->private)->stats;
	unsigned int i, b;

	for (i = 0; i < vcpu_stat_ndescs; i++)
		seq_printf(m, "%s %llu\n", vcpu_stat_descs[i].name,
			   *(const u64 *)((const u8 *)s +
					  vcpu_stat_descs[i].offset));
	for (i = 0; i < VCPU_EXIT_NR; i++)
		seq_printf(m, "exit_%s %llu\n", vcpu_exit_names[i],
			   s->exit_count[i]);
	for (i = 0; i < VCPU_EXIT_NR; i++) {
		seq_printf(m, "hist_%s", vcpu_exit_names[i]);
		for (b = 0; b < VCPU_HIST_BUCKETS; b++)
			seq_printf(m, " %u", s->exit_hist[i][b]);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_debugfs_stats);

static int vcpu_debugfs_history_show(struct seq_file *m, void *unused)
{
	struct vcpu *vcpu = m->private;
	struct vcpu_history h;
	char reason[VCPU_FAIL_REASON_LEN];
	unsigned int i, first;

	spin_lock(&vcpu->lock);
	h = vcpu->history;
	memcpy(reason, vcpu->fail_reason, sizeof(reason));
	spin_unlock(&vcpu->lock);
	reason[sizeof(reason) - 1] = 0;

	first = h.next > VCPU_HISTORY_LEN ? h.next - VCPU_HISTORY_LEN : 0;
	for (i = first; i < h.next; i++) {
		const struct vcpu_history_entry *e = &h.e[i % VCPU_HISTORY_LEN];

		seq_printf(m, "%llu %s -> %s %s", e->ns,
			   vcpu_state_name(e->from), vcpu_state_name(e->to),
			   vcpu_history_op_names[e->op]);
		if (e->to == VCPU_STATE_INVALID)
			seq_printf(m, " reason=%s", reason);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_debugfs_history);

void vcpu_debugfs_vm_add(struct vcpu_vm *vm)
{
	char name[16];

	snprintf(name, sizeof(name), "vm%u", vm->id);
	vm->debugfs = debugfs_create_dir(name, vcpu_debugfs_root);
	mutex_lock(&vcpu_debugfs_lock);
	list_add_tail(&vm->node, &vcpu_debugfs_vms);
	mutex_unlock(&vcpu_debugfs_lock);
}

void vcpu_debugfs_vm_del(struct vcpu_vm *vm)
{
	mutex_lock(&vcpu_debugfs_lock);
	list_del(&vm->node);
	mutex_unlock(&vcpu_debugfs_lock);
	debugfs_remove_recursive(vm->debugfs);
}

void vcpu_debugfs_vcpu_add(struct vcpu *vcpu)
{
	char name[16];

	snprintf(name, sizeof(name), "vcpu%u", vcpu->id);
	vcpu->debugfs = debugfs_create_dir(name, vcpu->vm->debugfs);
	debugfs_create_file("info", 0400, vcpu->debugfs, vcpu,
			    &vcpu_debugfs_info_fops);
	debugfs_create_file("stats", 0400, vcpu->debugfs, vcpu,
			    &vcpu_debugfs_stats_fops);
	debugfs_create_file("history", 0400, vcpu->debugfs, vcpu,
			    &vcpu_debugfs_history_fops);
}

/* Before the vCPU is freed: no reader can still see it afterwards. */
void vcpu_debugfs_vcpu_del(struct vcpu *vcpu)
{
	debugfs_remove_recursive(vcpu->debugfs);
	mutex_lock(&vcpu_debugfs_lock);
	xa_erase(&vcpu->vm->vcpus, vcpu->id);
	mutex_unlock(&vcpu_debugfs_lock);
}

void vcpu_debugfs_init(void)
{
	vcpu_debugfs_root = debugfs_create_dir("vcpu", NULL);
	debugfs_create_file("vcpus", 0400, vcpu_debugfs_root, NULL,
			    &vcpu_debugfs_vcpus_fops);
}

void vcpu_debugfs_exit(void)
{
	debugfs_remove_recursive(vcpu_debugfs_root);
}
