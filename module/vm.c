// SPDX-License-Identifier: GPL-2.0
/* VMs: the VM fd, its memory and its vCPUs. */
#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

#include "backend.h"
#include "vcpu.h"

static DEFINE_IDA(vcpu_vm_ida);

static void vcpu_vm_release_kref(struct kref *kref)
{
	struct vcpu_vm *vm = container_of(kref, struct vcpu_vm, kref);

	vcpu_debugfs_vm_del(vm);
	vcpu_memslot_free_all(vm);
	cleanup_srcu_struct(&vm->srcu);
	vcpu_pt_destroy(&vm->pt);
	xa_destroy(&vm->vcpus);
	kfree(vm->cpu_users);
	ida_free(&vcpu_vm_ida, vm->id);
	kfree(vm);
	module_put(THIS_MODULE);
}

void vcpu_vm_put(struct vcpu_vm *vm)
{
	kref_put(&vm->kref, vcpu_vm_release_kref);
}

static long vcpu_vm_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct vcpu_vm *vm = file->private_data;
	struct vcpu_memory_region r;

	switch (cmd) {
	case VCPU_SET_MEMORY_REGION:
		if (copy_from_user(&r, (void __user *)arg, sizeof(r)))
			return -EFAULT;
		return vcpu_memslot_set(vm, &r);
	case VCPU_CREATE_VCPU:
		return vcpu_create(vm, arg);
	case VCPU_CHECK_EXTENSION:
		return vcpu_check_extension(arg);
	default:
		return -ENOTTY;
	}
}

static int vcpu_vm_release(struct inode *inode, struct file *file)
{
	vcpu_vm_put(file->private_data);
	return 0;
}

static const struct file_operations vcpu_vm_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vcpu_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= vcpu_vm_release,
	.llseek		= noop_llseek,
};

int vcpu_vm_create(void)
{
	struct vcpu_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->kref);
	mutex_init(&vm->mem_lock);
	spin_lock_init(&vm->cpus_lock);
	ret = init_srcu_struct(&vm->srcu);
	if (ret)
		goto err_free;
	xa_init(&vm->vcpus);
	atomic64_set(&vm->tlb_gen, 0);

	vm->cpu_users = kcalloc(nr_cpu_ids, sizeof(*vm->cpu_users),
				GFP_KERNEL_ACCOUNT);
	if (!vm->cpu_users) {
		ret = -ENOMEM;
		goto err_srcu;
	}
	ret = ida_alloc(&vcpu_vm_ida, GFP_KERNEL);
	if (ret < 0)
		goto err_users;
	vm->id = ret;
	ret = vcpu_pt_init(&vm->pt, vcpu_backend->pt_format());
	if (ret)
		goto err_ida;

	vm->pid = task_tgid_vnr(current);
	vcpu_debugfs_vm_add(vm);
	/* The VM holds the module until its last reference goes. */
	__module_get(THIS_MODULE);
	ret = anon_inode_getfd("vcpu-vm", &vcpu_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (ret < 0)
		vcpu_vm_put(vm);
	return ret;

err_ida:
	ida_free(&vcpu_vm_ida, vm->id);
err_users:
	kfree(vm->cpu_users);
err_srcu:
	cleanup_srcu_struct(&vm->srcu);
err_free:
	kfree(vm);
	return ret;
}

/*
 * Copy guest-physical memory into @buf; -EFAULT if any byte is not RAM.
 * Lock-free against other vCPUs of the VM (SRCU, see struct vcpu_vm).
 */
int vcpu_vm_read_gpa(struct vcpu_vm *vm, u64 gpa, void *buf, unsigned int len)
{
	int ret = 0, idx;
	u8 *dst = buf;

	idx = srcu_read_lock(&vm->srcu);
	while (len) {
		unsigned int off = offset_in_page(gpa);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		struct vcpu_memslot *slot = vcpu_memslot_find(vm, gpa);

		if (!slot) {
			ret = -EFAULT;
			break;
		}
		memcpy_from_page(dst, slot->pages[(gpa - slot->gpa) >> PAGE_SHIFT],
				 off, n);
		dst += n;
		gpa += n;
		len -= n;
	}
	srcu_read_unlock(&vm->srcu, idx);
	return ret;
}

static void vcpu_vm_kick_fn(void *info)
{
}

/*
 * A mapping was removed or made read-only: every vCPU of this VM must stop
 * using stale second-stage translations before the caller frees or
 * unpins the pages.  Bumping tlb_gen makes each vCPU flush its
 * translations before its next entry; the synchronous IPI forces any vCPU
 * that is in guest mode right now out (the IPI is a host interrupt, which
 * the backends intercept) and the IPI completes only after that exit.
 */
void vcpu_vm_flush_tlb(struct vcpu_vm *vm)
{
	cpumask_var_t mask;
	unsigned int cpu;

	atomic64_inc(&vm->tlb_gen);
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL)) {
		/* Rare: fall back to every CPU. */
		on_each_cpu(vcpu_vm_kick_fn, NULL, 1);
		return;
	}
	spin_lock(&vm->cpus_lock);
	for_each_possible_cpu(cpu)
		if (vm->cpu_users[cpu])
			cpumask_set_cpu(cpu, mask);
	spin_unlock(&vm->cpus_lock);
	on_each_cpu_mask(mask, vcpu_vm_kick_fn, NULL, 1);
	free_cpumask_var(mask);
}

void vcpu_vm_cpu_add(struct vcpu_vm *vm, unsigned int cpu)
{
	spin_lock(&vm->cpus_lock);
	vm->cpu_users[cpu]++;
	spin_unlock(&vm->cpus_lock);
}

void vcpu_vm_cpu_del(struct vcpu_vm *vm, unsigned int cpu)
{
	spin_lock(&vm->cpus_lock);
	vm->cpu_users[cpu]--;
	spin_unlock(&vm->cpus_lock);
}
