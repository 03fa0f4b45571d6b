// SPDX-License-Identifier: GPL-2.0
/* Pick the x86 vendor backend. */
#include <linux/err.h>
#include <linux/printk.h>
#include <asm/processor.h>

#include "arch.h"
#include "backend.h"
#include "svm/svm_backend.h"
#include "vmx/vmx_backend.h"
#include "vcpu_x86.h"

const struct vcpu_backend_ops *vcpu_arch_probe(void)
{
	vcpu_x86_fpu_init();
	switch (boot_cpu_data.x86_vendor) {
	case X86_VENDOR_AMD:
	case X86_VENDOR_HYGON:
		return vcpu_svm_backend_probe();
	case X86_VENDOR_INTEL:
	case X86_VENDOR_CENTAUR:
	case X86_VENDOR_ZHAOXIN:
		return vcpu_vmx_backend_probe();
	default:
		pr_err("no backend for this CPU vendor\n");
		return ERR_PTR(-ENODEV);
	}
}
