/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one seam between the module and the kernel lines it is built for:
 * Debian 12's 6.1 and the 6.12 of bookworm-backports (Debian 13's).  One
 * entry per interface that differs, each saying which kernel changed what.
 * LINUX_VERSION_CODE is tested here and nowhere else (on the right of the
 * comparison, as checkpatch wants constants).
 *
 * Interfaces that differ but need no switch, because the module uses what
 * both lines offer:
 * - <asm/virtext.h> (cpu_has_svm(), cpu_svm_disable(), cpu_has_vmx(),
 *   cpu_vmxoff(), __cpu_emergency_vmxoff()) is gone since 6.6, its
 *   helpers moved into KVM: svm.c and vmx.c check CPUID and turn SVM/VMX
 *   off themselves on both lines.
 * - xfer_to_guest_mode_handle_work() takes a struct kvm_vcpu, which this
 *   module does not have: module/work.c handles signals and reschedules
 *   itself on both lines (schedule() is exported by both).
 * - The field macros of IA32_VMX_BASIC and IA32_VMX_MISC (VMX_BASIC_*,
 *   VMX_MISC_PREEMPTION_TIMER_RATE_MASK) were replaced by helpers in 6.12,
 *   and SVM_VM_CR_SVM_DISABLE (a bit number) is gone: vmx.h defines the
 *   architectural fields itself, svm.c uses SVM_VM_CR_SVM_DIS_MASK.
 * - kvm_debugfs_dir, how arm64 saw an initialised KVM, is no longer
 *   exported in 6.12: el2.c looks the "kvm" debugfs directory up by name
 *   (debugfs_lookup(), both lines).
 * - kvm_rebooting is exported by kvm.ko (x86) on both lines, so
 *   __symbol_get() still tells whether KVM is loaded; what that implies
 *   for the emergency callback changed (arch/x86/emergency.c).
 * - cpu_emergency_register_virt_callback() is in <asm/reboot.h> on both
 *   lines (Debian backported it to 6.1).
 * - The guest-FPU API (arch/x86/fpu.c): fpu_swap_kvm_fpstate() returns
 *   int on both lines (void since 6.13), so fpu.c ignores its result;
 *   fpu_copy_guest_fpstate_to_uabi() takes the xfeatures to copy on both
 *   (Debian's 6.1 has the backport).
 */
#ifndef VCPU_COMPAT_H
#define VCPU_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

/*
 * vm_area_struct.vm_flags is const since 6.3 (per-VMA locking): it is
 * changed through vm_flags_set(), which 6.1 lacks.
 */
#if KERNEL_VERSION(6, 3, 0) > LINUX_VERSION_CODE
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

/*
 * Does the kernel's emergency path (crash, kexec, emergency reboot) clear
 * EFER.SVME by itself?  6.1's cpu_emergency_disable_virtualization() does
 * on every SVM-capable CPU.  Since 6.6 it only calls the one registered
 * callback (KVM's, while KVM has virtualization on), so the module must
 * register its own to turn SVM off.
 */
#if KERNEL_VERSION(6, 6, 0) > LINUX_VERSION_CODE
#define VCPU_KERNEL_EMERGENCY_SVM_OFF	true
#else
#define VCPU_KERNEL_EMERGENCY_SVM_OFF	false
#endif

/*
 * struct fd became one tagged word in 6.12, read through fd_file(); 6.1
 * has the file pointer as a member.
 */
#if KERNEL_VERSION(6, 12, 0) > LINUX_VERSION_CODE
#define fd_file(f)	((f).file)
#endif

#ifdef CONFIG_X86
#include <asm/apic.h>

/*
 * apic_read() is a static call since 6.8 whose key is not exported to
 * modules (modpost: __SCK__apic_call_read undefined).  It reads through
 * the APIC driver's hook, which both lines export (apic).
 */
static inline u32 vcpu_apic_read(u32 reg)
{
	return apic->read(reg);
}
#endif

#endif /* VCPU_COMPAT_H */
