// SPDX-License-Identifier: GPL-2.0
/*
 * vCPUs: the vCPU fd, its ioctls and the state transitions around them.
 *
 * Every operation is bracketed by vcpu_op_begin() and vcpu_op_end(), which
 * check and make the transition under vcpu->lock.  While an operation is
 * in progress vcpu->busy is set, so a concurrent call gets EBUSY instead
 * of racing it; the body of the operation runs without the spinlock and
 * may sleep.
 */
#include <linux/anon_inodes.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "backend.h"
#include "compat.h"
#include "trace.h"
#include "vcpu.h"

/* The history op of a transition made by @op, ending in @to. */
static enum vcpu_history_op vcpu_history_op_of(enum vcpu_op op, u32 to)
{
	if (to == VCPU_STATE_INVALID)
		return VCPU_HIST_FAIL;
	switch (op) {
	case VCPU_OP_SETUP:
		return VCPU_HIST_SETUP;
	case VCPU_OP_BIND:
		return VCPU_HIST_BIND;
	case VCPU_OP_UNBIND:
		return VCPU_HIST_UNBIND;
	default:
		return to == VCPU_STATE_RUNNING ? VCPU_HIST_RUN : VCPU_HIST_EXIT;
	}
}

/* Change the state, with @vcpu->lock held: history and tracepoint. */
static void vcpu_set_state(struct vcpu *vcpu, enum vcpu_op op, u32 to, u64 ns)
{
	u32 from = vcpu->state;

	if (from == to)
		return;
	vcpu->state = to;
	vcpu_history_add(&vcpu->history, ns, from, to,
			 vcpu_history_op_of(op, to));
	trace_vcpu_state(vcpu->vm->id, vcpu->id, from, to);
}

/*
 * The clock is read once, outside the lock, and kept in @vcpu->op_ns for
 * the operation (RUN starts its accounting there).
 */
int vcpu_op_begin(struct vcpu *vcpu, enum vcpu_op op, u32 *prev)
{
	u64 ns = vcpu_now_ns();
	int ret;

	spin_lock(&vcpu->lock);
	ret = vcpu_state_check(vcpu->state, vcpu->busy, op);
	if (!ret) {
		*prev = vcpu->state;
		vcpu->busy = true;
		vcpu->fatal = false;
		vcpu->op_ns = ns;
		vcpu_set_state(vcpu, op, vcpu_state_during(op, vcpu->state), ns);
	}
	spin_unlock(&vcpu->lock);
	return ret;
}

/*
 * @err != 0 without vcpu_fail(): the operation did not happen, the state
 * goes back to @prev.  After vcpu_fail(): Invalid, whatever @err.
 */
void vcpu_op_end_at(struct vcpu *vcpu, enum vcpu_op op, u32 prev, int err,
		    u64 ns)
{
	spin_lock(&vcpu->lock);
	if (vcpu->fatal)
		vcpu_set_state(vcpu, op, VCPU_STATE_INVALID, ns);
	else if (err)
		vcpu_set_state(vcpu, op, prev, ns);
	else
		vcpu_set_state(vcpu, op, vcpu_state_after(op, prev), ns);
	vcpu->busy = false;
	spin_unlock(&vcpu->lock);
}

void vcpu_op_end(struct vcpu *vcpu, enum vcpu_op op, u32 prev, int err)
{
	vcpu_op_end_at(vcpu, op, prev, err, vcpu_now_ns());
}

/* Running <-> Blocked, within a RUN (the operation stays in progress). */
void vcpu_set_blocked(struct vcpu *vcpu, bool blocked)
{
	u64 ns = vcpu_now_ns();
	u32 from, to = blocked ? VCPU_STATE_BLOCKED : VCPU_STATE_RUNNING;

	spin_lock(&vcpu->lock);
	from = vcpu->state;
	vcpu->state = to;
	vcpu_history_add(&vcpu->history, ns, from, to,
			 blocked ? VCPU_HIST_BLOCK : VCPU_HIST_WAKE);
	trace_vcpu_state(vcpu->vm->id, vcpu->id, from, to);
	spin_unlock(&vcpu->lock);
}

/* Record why the current operation failed; it ends in Invalid. */
void vcpu_fail(struct vcpu *vcpu, enum vcpu_op op, int err, u64 hw,
	       const char *fmt, ...)
{
	va_list args;

	spin_lock(&vcpu->lock);
	vcpu->fatal = true;
	vcpu->fail_errno = err;
	vcpu->fail_op = vcpu_op_ioctl_nr(op);
	vcpu->fail_hw_code = hw;
	va_start(args, fmt);
	vsnprintf(vcpu->fail_reason, sizeof(vcpu->fail_reason), fmt, args);
	va_end(args);
	spin_unlock(&vcpu->lock);
}

static int vcpu_setup_ioctl(struct vcpu *vcpu, void __user *argp)
{
	struct vcpu_setup setup;
	u32 prev;
	int ret, i;

	if (copy_from_user(&setup, argp, sizeof(setup)))
		return -EFAULT;
	if (setup.mode >= 32 || !(vcpu_backend->modes & BIT(setup.mode)) ||
	    setup.flags & ~VCPU_SETUP_FLAGS_ALL)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(setup.reserved); i++)
		if (setup.reserved[i])
			return -EINVAL;
	ret = vcpu_backend->vcpu_check_setup(&setup);
	if (ret)
		return ret;

	ret = vcpu_op_begin(vcpu, VCPU_OP_SETUP, &prev);
	if (ret)
		return ret;
	ret = vcpu_backend->vcpu_setup(vcpu, &setup);
	if (ret)
		vcpu_fail(vcpu, VCPU_OP_SETUP, ret, 0,
			  "setup rejected by the %s backend", vcpu_backend->name);
	if (!ret)
		vcpu_filter_setup(vcpu, setup.flags);
	vcpu_op_end(vcpu, VCPU_OP_SETUP, prev, ret);
	return ret;
}

static int vcpu_bind_ioctl(struct vcpu *vcpu, unsigned long cpu)
{
	u32 prev;
	int ret;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	ret = vcpu_op_begin(vcpu, VCPU_OP_BIND, &prev);
	if (ret)
		return ret;
	/* Another hypervisor owning the CPU or a CPU going offline is not a
	 * vCPU failure: the vCPU stays Free and may bind elsewhere.
	 */
	ret = vcpu_cpu_get(cpu);
	if (ret)
		goto out;
	spin_lock(&vcpu->lock);
	vcpu->cpu = cpu;
	spin_unlock(&vcpu->lock);
	ret = vcpu_backend->vcpu_bind(vcpu);
	if (ret) {
		vcpu_fail(vcpu, VCPU_OP_BIND, ret, 0, "bind to CPU %lu failed",
			  cpu);
		spin_lock(&vcpu->lock);
		vcpu->cpu = -1;
		spin_unlock(&vcpu->lock);
		vcpu_cpu_put(cpu);
		goto out;
	}
	vcpu_vm_cpu_add(vcpu->vm, cpu);
out:
	vcpu_op_end(vcpu, VCPU_OP_BIND, prev, ret);
	return ret;
}

static void vcpu_do_unbind(struct vcpu *vcpu)
{
	int cpu = vcpu->cpu;

	vcpu_backend->vcpu_unbind(vcpu);
	vcpu_vm_cpu_del(vcpu->vm, cpu);
	spin_lock(&vcpu->lock);
	vcpu->cpu = -1;
	spin_unlock(&vcpu->lock);
	vcpu_cpu_put(cpu);
}

static int vcpu_unbind_ioctl(struct vcpu *vcpu, unsigned long arg)
{
	u32 prev;
	int ret;

	if (arg)
		return -EINVAL;
	ret = vcpu_op_begin(vcpu, VCPU_OP_UNBIND, &prev);
	if (ret)
		return ret;
	vcpu_do_unbind(vcpu);
	vcpu_op_end(vcpu, VCPU_OP_UNBIND, prev, 0);
	return 0;
}

static int vcpu_get_regs_ioctl(struct vcpu *vcpu, void __user *argp)
{
	struct vcpu_regs regs = {};
	u32 prev;
	int ret;

	ret = vcpu_op_begin(vcpu, VCPU_OP_GET_REGS, &prev);
	if (ret)
		return ret;
	vcpu_backend->get_regs(vcpu, &regs);
	vcpu_op_end(vcpu, VCPU_OP_GET_REGS, prev, 0);
	return copy_to_user(argp, &regs, sizeof(regs)) ? -EFAULT : 0;
}

static int vcpu_set_regs_ioctl(struct vcpu *vcpu, void __user *argp)
{
	struct vcpu_regs regs;
	u32 prev;
	int ret, i;

	if (copy_from_user(&regs, argp, sizeof(regs)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(regs.reserved); i++)
		if (regs.reserved[i])
			return -EINVAL;
	ret = vcpu_op_begin(vcpu, VCPU_OP_SET_REGS, &prev);
	if (ret)
		return ret;
	ret = vcpu_backend->set_regs(vcpu, &regs);
	vcpu_op_end(vcpu, VCPU_OP_SET_REGS, prev, ret);
	return ret;
}

static int vcpu_one_reg_ioctl(struct vcpu *vcpu, void __user *argp, bool set)
{
	enum vcpu_op op = set ? VCPU_OP_SET_REGS : VCPU_OP_GET_REGS;
	struct vcpu_one_reg reg;
	u32 prev;
	int ret;

	if (copy_from_user(&reg, argp, sizeof(reg)))
		return -EFAULT;
	ret = vcpu_op_begin(vcpu, op, &prev);
	if (ret)
		return ret;
	if (set)
		ret = vcpu_backend->set_one_reg(vcpu, reg.id, reg.value);
	else
		ret = vcpu_backend->get_one_reg(vcpu, reg.id, &reg.value);
	vcpu_op_end(vcpu, op, prev, ret);
	if (!ret && !set && copy_to_user(argp, &reg, sizeof(reg)))
		ret = -EFAULT;
	return ret;
}

static int vcpu_reg_list_ioctl(struct vcpu *vcpu,
			       struct vcpu_reg_list __user *argp)
{
	unsigned int count, max;
	u64 n, *ids;
	u32 prev;
	int ret;

	if (!vcpu_backend->reg_list)
		return -ENOTTY;
	if (get_user(n, &argp->n))
		return -EFAULT;
	/* Never more than a page of ids: no list is near that long. */
	max = min_t(u64, n, PAGE_SIZE / sizeof(*ids));
	ids = kcalloc(max ?: 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	ret = vcpu_op_begin(vcpu, VCPU_OP_GET_REGS, &prev);
	if (ret)
		goto out;
	count = vcpu_backend->reg_list(vcpu, ids, max);
	vcpu_op_end(vcpu, VCPU_OP_GET_REGS, prev, 0);
	if (put_user((u64)count, &argp->n)) {
		ret = -EFAULT;
		goto out;
	}
	if (count > n) {
		ret = -E2BIG;
		goto out;
	}
	if (copy_to_user(argp->reg, ids, count * sizeof(*ids)))
		ret = -EFAULT;
out:
	kfree(ids);
	return ret;
}

/* As ONE_REG; 4 KiB, so not on the stack.  ENOTTY where there is none. */
static int vcpu_xsave_ioctl(struct vcpu *vcpu, void __user *argp, bool set)
{
	enum vcpu_op op = set ? VCPU_OP_SET_REGS : VCPU_OP_GET_REGS;
	struct vcpu_xsave *xsave;
	u32 prev;
	int ret;

	if (!vcpu_backend->get_xsave || !vcpu_backend->set_xsave)
		return -ENOTTY;
	xsave = kmalloc(sizeof(*xsave), GFP_KERNEL_ACCOUNT);
	if (!xsave)
		return -ENOMEM;
	if (set && copy_from_user(xsave, argp, sizeof(*xsave))) {
		ret = -EFAULT;
		goto out;
	}
	ret = vcpu_op_begin(vcpu, op, &prev);
	if (ret)
		goto out;
	if (set)
		ret = vcpu_backend->set_xsave(vcpu, xsave);
	else
		ret = vcpu_backend->get_xsave(vcpu, xsave);
	vcpu_op_end(vcpu, op, prev, ret);
	if (!ret && !set && copy_to_user(argp, xsave, sizeof(*xsave)))
		ret = -EFAULT;
out:
	kfree(xsave);
	return ret;
}

static int vcpu_cpuid_ioctl(struct vcpu *vcpu, void __user *argp, bool set)
{
	u32 prev;
	int ret;

	if (!vcpu_backend->set_cpuid)
		return -ENOTTY;
	ret = vcpu_op_begin(vcpu, VCPU_OP_CPUID, &prev);
	if (ret)
		return ret;
	if (set)
		ret = vcpu_backend->set_cpuid(vcpu, argp);
	else
		ret = vcpu_backend->get_cpuid(vcpu, argp);
	vcpu_op_end(vcpu, VCPU_OP_CPUID, prev, ret);
	return ret;
}

static int vcpu_events_ioctl(struct vcpu *vcpu, void __user *argp, bool set)
{
	enum vcpu_op op = set ? VCPU_OP_SET_REGS : VCPU_OP_GET_REGS;
	struct vcpu_events events = {};
	u32 prev;
	int ret;

	if (!vcpu_backend->get_events || !vcpu_backend->set_events)
		return -ENOTTY;
	if (set && copy_from_user(&events, argp, sizeof(events)))
		return -EFAULT;
	ret = vcpu_op_begin(vcpu, op, &prev);
	if (ret)
		return ret;
	if (set)
		ret = vcpu_backend->set_events(vcpu, &events);
	else
		ret = vcpu_backend->get_events(vcpu, &events);
	vcpu_op_end(vcpu, op, prev, ret);
	if (!ret && !set && copy_to_user(argp, &events, sizeof(events)))
		ret = -EFAULT;
	return ret;
}

static int vcpu_get_state_ioctl(struct vcpu *vcpu, void __user *argp)
{
	struct vcpu_state_info info = {};

	spin_lock(&vcpu->lock);
	info.state = vcpu->state;
	info.bound_cpu = vcpu->cpu;
	info.vcpu_id = vcpu->id;
	info.exits = vcpu->stats.exits;
	info.last_exit_reason = READ_ONCE(vcpu->last_exit);
	if (vcpu->state == VCPU_STATE_INVALID) {
		info.fail_errno = vcpu->fail_errno;
		info.fail_op = vcpu->fail_op;
		info.fail_hw_code = vcpu->fail_hw_code;
		memcpy(info.fail_reason, vcpu->fail_reason,
		       sizeof(info.fail_reason));
	}
	spin_unlock(&vcpu->lock);
	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static long vcpu_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vcpu *vcpu = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case VCPU_SETUP:
		return vcpu_setup_ioctl(vcpu, argp);
	case VCPU_BIND:
		return vcpu_bind_ioctl(vcpu, arg);
	case VCPU_UNBIND:
		return vcpu_unbind_ioctl(vcpu, arg);
	case VCPU_RUN:
		return arg ? -EINVAL : vcpu_run_ioctl(vcpu);
	case VCPU_GET_REGS:
		return vcpu_get_regs_ioctl(vcpu, argp);
	case VCPU_SET_REGS:
		return vcpu_set_regs_ioctl(vcpu, argp);
	case VCPU_GET_ONE_REG:
		return vcpu_one_reg_ioctl(vcpu, argp, false);
	case VCPU_SET_ONE_REG:
		return vcpu_one_reg_ioctl(vcpu, argp, true);
	case VCPU_GET_REG_LIST:
		return vcpu_reg_list_ioctl(vcpu, argp);
	case VCPU_GET_XSAVE:
		return vcpu_xsave_ioctl(vcpu, argp, false);
	case VCPU_SET_XSAVE:
		return vcpu_xsave_ioctl(vcpu, argp, true);
	case VCPU_GET_STATE:
		return vcpu_get_state_ioctl(vcpu, argp);
	case VCPU_INJECT_IRQ:
		return vcpu_inject_irq_ioctl(vcpu, argp);
	case VCPU_INJECT_NMI:
		return arg ? -EINVAL : vcpu_inject_nmi_ioctl(vcpu);
	case VCPU_GET_EVENTS:
		return vcpu_events_ioctl(vcpu, argp, false);
	case VCPU_SET_EVENTS:
		return vcpu_events_ioctl(vcpu, argp, true);
	case VCPU_KICK:
		return arg ? -EINVAL : vcpu_kick_ioctl(vcpu);
	case VCPU_SET_EXIT_FILTER:
		return vcpu_filter_ioctl(vcpu, argp, true);
	case VCPU_GET_EXIT_FILTER:
		return vcpu_filter_ioctl(vcpu, argp, false);
	case VCPU_SET_CPUID:
		return vcpu_cpuid_ioctl(vcpu, argp, true);
	case VCPU_GET_CPUID:
		return vcpu_cpuid_ioctl(vcpu, argp, false);
	default:
		return -ENOTTY;
	}
}

static int vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vcpu *vcpu = file->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	vm_flags_set(vma, VM_DONTEXPAND);
	return vm_insert_page(vma, vma->vm_start, virt_to_page(vcpu->run));
}

/*
 * One object per vCPU: struct vcpu (about 1.2 KiB; the exit histograms are
 * allocated apart, per kind seen), then the backend's state at
 * vcpu_arch_offset (0.2 KiB for SVM, 0.6 KiB for VMX, 0.7 KiB for arm64;
 * the x86 guest's XSAVE area is the kernel's, allocated apart).  Its own cache sizes it exactly, where separate
 * kmalloc()s would round each part up to a power of two.
 */
static struct kmem_cache *vcpu_cache;
static unsigned int vcpu_arch_offset;

/* After the backend was chosen. */
int vcpu_cache_init(void)
{
	unsigned int align = max_t(unsigned int, __alignof__(struct vcpu),
				   vcpu_backend->vcpu_align);

	vcpu_arch_offset = ALIGN(sizeof(struct vcpu), align);
	vcpu_cache = kmem_cache_create("vcpu",
				       vcpu_arch_offset + vcpu_backend->vcpu_size,
				       align, SLAB_ACCOUNT, NULL);
	return vcpu_cache ? 0 : -ENOMEM;
}

void vcpu_cache_exit(void)
{
	kmem_cache_destroy(vcpu_cache);
}

static void vcpu_destroy(struct vcpu *vcpu)
{
	struct vcpu_vm *vm = vcpu->vm;

	vcpu_debugfs_vcpu_del(vcpu);	/* also leaves vm->vcpus */
	vcpu_stats_free(&vcpu->stats);
	vcpu_backend->vcpu_destroy(vcpu);
	free_page((unsigned long)vcpu->run);
	kmem_cache_free(vcpu_cache, vcpu);
	vcpu_vm_put(vm);
}

static int vcpu_release(struct inode *inode, struct file *file)
{
	struct vcpu *vcpu = file->private_data;

	/* The last reference: no ioctl can be in progress. */
	if (vcpu->cpu >= 0)
		vcpu_do_unbind(vcpu);
	vcpu_destroy(vcpu);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vcpu_mmap,
	.release	= vcpu_release,
	.llseek		= noop_llseek,
};

/* The vCPU behind @file, or NULL if @file is not a vCPU fd. */
struct vcpu *vcpu_from_file(struct file *file)
{
	return file->f_op == &vcpu_fops ? file->private_data : NULL;
}

int vcpu_create(struct vcpu_vm *vm, unsigned long id)
{
	struct vcpu *vcpu;
	int ret;

	if (id >= VCPU_MAX_VCPUS)
		return -EINVAL;
	vcpu = kmem_cache_zalloc(vcpu_cache, GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	spin_lock_init(&vcpu->lock);
	init_waitqueue_head(&vcpu->wq);
	vcpu_sched_vcpu_init(vcpu);
	vcpu_filter_setup(vcpu, 0);
	vcpu->state = VCPU_STATE_CREATED;
	/* The lifecycle starts here: Created, not a transition into it. */
	vcpu_history_add(&vcpu->history, vcpu_now_ns(), VCPU_STATE_CREATED,
			 VCPU_STATE_CREATED, VCPU_HIST_CREATE);
	vcpu->last_exit = VCPU_EXIT_NOTHING;
	vcpu->cpu = -1;
	vcpu->id = id;
	vcpu->vm = vm;
	vcpu->arch = (u8 *)vcpu + vcpu_arch_offset;
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = xa_insert(&vm->vcpus, id, vcpu, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_run;	/* -EBUSY: the id is taken */
	ret = vcpu_backend->vcpu_create(vcpu);
	if (ret)
		goto err_xa;

	kref_get(&vm->kref);
	ret = anon_inode_getfd("vcpu", &vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (ret < 0) {
		vcpu_destroy(vcpu);
		return ret;
	}
	return ret;

err_xa:
	vcpu_debugfs_vcpu_del(vcpu);	/* a reader may have found it */
err_run:
	free_page((unsigned long)vcpu->run);
err_free:
	kmem_cache_free(vcpu_cache, vcpu);
	return ret == -EBUSY ? -EEXIST : ret;
}
