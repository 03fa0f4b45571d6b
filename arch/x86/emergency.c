// SPDX-License-Identifier: GPL-2.0
/*
 * Crash, kexec and emergency reboot with the extensions on.
 *
 * In this kernel cpu_emergency_disable_virtualization() runs on every CPU
 * (NMI shootdown) before a crash kernel or an emergency reboot; it clears
 * EFER.SVME itself, so SVM needs nothing (ops->emergency_covered).  VMX is
 * turned off only by the one callback registered with
 * cpu_emergency_register_virt_callback(), a single slot that kvm_intel
 * claims when it loads (warning if it is taken).  Its callback executes
 * VMXOFF whoever entered VMX operation, which covers this module too.  So
 * this module takes the slot only while it has VMX on somewhere and KVM is
 * not loaded; loading kvm_intel while vCPUs of this module are bound is
 * the one order that still warns (in KVM).
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
		return;		/* kvm_intel's callback turns VMX off */
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
