// SPDX-License-Identifier: GPL-2.0
/*
 * L1 Terminal Fault: on an affected Intel CPU a guest can read, through a
 * not-present guest page-table entry, whatever the L1 data cache holds:
 * the host's data, or another guest's.  Where the host asks for it, the
 * L1D is flushed before every VM entry, as the kernel's own VMX code does.
 *
 * The host's choice is l1tf_vmx_mitigation (the l1tf= command line, or
 * kvm-intel's vmentry_l1d_flush parameter; Debian's default is
 * conditional): never or not required leaves the cache alone, always
 * flushes before every entry, conditional (and auto, before anything
 * chose) only when the host may have brought other data into the L1D
 * since the last entry: the task came back from userspace or was
 * scheduled in (vcpu_vmx_vcpu_load()), or an interrupt or softirq ran on
 * this CPU (the flag the kernel's interrupt entry sets for this purpose).
 * Exits completed in the kernel touch only this vCPU's own state and the
 * guest's memory, and do not flush by themselves.  A CPU that says in IA32_ARCH_CAPABILITIES that VM entry
 * needs no flush (SKIP_VMENTRY_L1DFLUSH: nested hypervisors, fixed
 * parts) gets none.  The flush is IA32_FLUSH_CMD where the microcode
 * provides it, otherwise reading 64 KiB, twice the L1D, through a
 * buffer of this module.
 *
 * Neither Bochs nor QEMU models L1TF (no X86_BUG_L1TF there): this is
 * written for hardware.
 */
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/hardirq.h>
#include <asm/msr.h>
#include <asm/vmx.h>

#include "vmx.h"

#define VCPU_VMX_L1D_ORDER	4	/* 64 KiB */

DEFINE_STATIC_KEY_FALSE(vcpu_vmx_l1d_flush_key);
static bool vcpu_vmx_l1d_always;
static u8 *vcpu_vmx_l1d_buf;

int vcpu_vmx_l1d_init(void)
{
	u64 caps = 0;

	if (!boot_cpu_has_bug(X86_BUG_L1TF))
		return 0;
	if (boot_cpu_has(X86_FEATURE_ARCH_CAPABILITIES))
		rdmsrl_safe(MSR_IA32_ARCH_CAPABILITIES, &caps);
	if (caps & ARCH_CAP_SKIP_VMENTRY_L1DFLUSH)
		return 0;
	if (l1tf_vmx_mitigation == VMENTER_L1D_FLUSH_NEVER ||
	    l1tf_vmx_mitigation == VMENTER_L1D_FLUSH_NOT_REQUIRED)
		return 0;

	if (!boot_cpu_has(X86_FEATURE_FLUSH_L1D)) {
		struct page *page = alloc_pages(GFP_KERNEL, VCPU_VMX_L1D_ORDER);

		if (!page)
			return -ENOMEM;
		vcpu_vmx_l1d_buf = page_address(page);
		/* Real data, so that no page is shared or left unbacked. */
		memset(vcpu_vmx_l1d_buf, 0x5a, PAGE_SIZE << VCPU_VMX_L1D_ORDER);
	}
	vcpu_vmx_l1d_always = l1tf_vmx_mitigation == VMENTER_L1D_FLUSH_ALWAYS;
	static_branch_enable(&vcpu_vmx_l1d_flush_key);
	pr_info("L1TF: the L1 data cache is flushed before %s VM entry (%s)\n",
		vcpu_vmx_l1d_always ? "every" : "a",
		vcpu_vmx_l1d_buf ? "software" : "IA32_FLUSH_CMD");
	return 0;
}

void vcpu_vmx_l1d_exit(void)
{
	static_branch_disable(&vcpu_vmx_l1d_flush_key);
	if (vcpu_vmx_l1d_buf)
		free_pages((unsigned long)vcpu_vmx_l1d_buf, VCPU_VMX_L1D_ORDER);
	vcpu_vmx_l1d_buf = NULL;
}

/* Interrupts off, right before the entry (vcpu_vmx_enter()). */
void vcpu_vmx_l1d_flush(struct vcpu_vmx_vcpu *vmx)
{
	unsigned long size = PAGE_SIZE << VCPU_VMX_L1D_ORDER, i;
	bool dirty = vmx->l1d_dirty || kvm_get_cpu_l1tf_flush_l1d();

	vmx->l1d_dirty = false;
	kvm_clear_cpu_l1tf_flush_l1d();
	if (!dirty && !vcpu_vmx_l1d_always)
		return;

	if (!vcpu_vmx_l1d_buf) {
		wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
		return;
	}
	/* Every page first, so that the second pass takes no TLB miss. */
	for (i = 0; i < size; i += PAGE_SIZE)
		(void)READ_ONCE(vcpu_vmx_l1d_buf[i]);
	for (i = 0; i < size; i += L1_CACHE_BYTES)
		(void)READ_ONCE(vcpu_vmx_l1d_buf[i]);
}
