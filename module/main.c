// SPDX-License-Identifier: GPL-2.0
/* vcpu: module init and exit. */
#include <linux/err.h>
#include <linux/module.h>

#include "arch.h"
#include "backend.h"
#include "vcpu.h"

const struct vcpu_backend_ops *vcpu_backend;

static int __init vcpu_init(void)
{
	const struct vcpu_backend_ops *ops;
	int ret;

	ops = vcpu_arch_probe();
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	vcpu_backend = ops;
	vcpu_sched_init();

	ret = vcpu_cache_init();
	if (ret)
		goto err_backend;
	ret = vcpu_cpu_init();
	if (ret)
		goto err_cache;
	vcpu_debugfs_init();
	ret = vcpu_dev_init();
	if (ret)
		goto err_debugfs;
	pr_info("version %s, %s backend, API version %d\n", VCPU_VERSION,
		ops->name, VCPU_API_VERSION);
	return 0;

err_debugfs:
	vcpu_debugfs_exit();
	vcpu_cpu_exit();
err_cache:
	vcpu_cache_exit();
err_backend:
	vcpu_sched_exit();
	if (ops->exit)
		ops->exit();
	return ret;
}

static void __exit vcpu_exit(void)
{
	vcpu_dev_exit();
	vcpu_debugfs_exit();
	vcpu_cpu_exit();
	vcpu_cache_exit();
	vcpu_sched_exit();
	if (vcpu_backend->exit)
		vcpu_backend->exit();
}

module_init(vcpu_init);
module_exit(vcpu_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vcpu developers");
MODULE_VERSION(VCPU_VERSION);
MODULE_DESCRIPTION("A strict vCPU API on the CPU's virtualization extensions (AMD SVM, Intel VMX, arm64 EL2)");
/*
 * No devname:vcpu alias, so opening /dev/vcpu does not load the module:
 * that alias needs a fixed char major:minor, for kmod's static nodes to
 * exist before the module is loaded (KVM has misc minor 232, assigned in
 * Documentation/admin-guide/devices.txt); /dev/vcpu has a dynamic misc
 * minor, as nothing is assigned to this project there.  Load it at boot
 * with a modules-load.d(5) entry instead (README: "Loading at boot").
 */
