// SPDX-License-Identifier: GPL-2.0
/*
 * Crash, kexec and emergency reboot with the extensions on.
 *
 * The kernel's cpu_emergency_disable_virtualization() runs on every CPU
 * (NMI shootdown) before a crash kernel or an emergency reboot.  In 6.1 it
 * clears EFER.SVME itself, so SVM needs nothing there
 * (VCPU_KERNEL_EMERGENCY_SVM_OFF, compat.h); since 6.6 it only calls the
 * one callback registered with cpu_emergency_register_virt_callback().
 * That is a single slot, which KVM claims warning if it is taken: 6.1's
 * kvm_intel when it loads, 6.12's kvm_intel and kvm_amd whenever they turn
 * virtualization on (at load with the default kvm.enable_virt_at_load=1,
 * else while a VM exists).  KVM's callback leaves VMX operation / clears
 * EFER.SVME whoever entered it, which covers this module too.
 *
 * So this module takes the slot only while it has an extension on
 * somewhere and KVM is not loaded.  Left uncovered: 6.12's KVM loaded with
 * enable_virt_at_load=0 and no VM while this module runs guests; and
 * loading KVM while vCPUs of this module are bound still warns (in KVM).
 */
#include <linux/module.h>
#include <asm/reboot.h>

#include "arch.h"
#include "backend.h"

static bool vcpu_x86_emergency_registered;

void vcpu_arch_emergency_get(void (*fn)(void))
{
	void *kvm;

	if (vcpu_backend->emergency_covered)
		return;
	kvm = __symbol_get("kvm_rebooting");
	if (kvm) {
		__symbol_put("kvm_rebooting");
		return;		/* KVM's callback covers this module (above) */
	}
	cpu_emergency_register_virt_callback(fn);
	vcpu_x86_emergency_registered = true;
}

void vcpu_arch_emergency_put(void (*fn)(void))
{
	if (vcpu_x86_emergency_registered) {
		cpu_emergency_unregister_virt_callback(fn);
		vcpu_x86_emergency_registered = false;
	}
}
