// SPDX-License-Identifier: GPL-2.0
/* /dev/vcpu: the system fd. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "vcpu.h"

static long vcpu_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	switch (cmd) {
	case VCPU_GET_API_VERSION:
		return arg ? -EINVAL : VCPU_API_VERSION;
	case VCPU_GET_RUN_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	case VCPU_CHECK_EXTENSION:
		return vcpu_check_extension(arg);
	case VCPU_CREATE_VM:
		return arg ? -EINVAL : vcpu_vm_create();
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vcpu_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vcpu_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/* Root-only by default (mode 0600); a udev rule may widen it. */
static struct miscdevice vcpu_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= VCPU_DEVICE_NAME,
	.fops	= &vcpu_dev_fops,
	.mode	= 0600,
};

int vcpu_dev_init(void)
{
	return misc_register(&vcpu_dev);
}

void vcpu_dev_exit(void)
{
	misc_deregister(&vcpu_dev);
}
