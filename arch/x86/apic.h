/* SPDX-License-Identifier: GPL-2.0 */
/* The x2APIC ICR and the x86 platform conventions (apic.c, platform.c). */
#ifndef VCPU_X86_APIC_H
#define VCPU_X86_APIC_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#define VCPU_X86_MSR_X2APIC_ICR	0x830

/* VCPU_INJECT_IRQ vectors: 0-31 are the CPU's exceptions. */
#define VCPU_X86_IRQ_MIN	32
#define VCPU_X86_IRQ_MAX	255

/* What a vCPU's ICR writes remember between INIT and SIPI. */
struct vcpu_x86_apic {
	bool init_pending;
	u32 init_dest;
};

/*
 * A guest WRMSR of @icr to the x2APIC ICR: fills @exit with SEND_IPI,
 * CPU_UP or NOTHING (INIT recorded, stray SIPI).
 */
void vcpu_x86_icr_write(struct vcpu_x86_apic *apic, u64 icr,
			struct vcpu_run *exit);

/*
 * A guest OUT of @data (@width bytes) to @port: true, with @exit filled as
 * SYSTEM_DOWN, when it is one of the reset or power-off conventions.
 */
bool vcpu_x86_platform_out(u16 port, unsigned int width, u32 data,
			   struct vcpu_run *exit);

/*
 * A guest HLT (RIP already past it): NOTHING when an event the guest
 * takes now is pending (@wake: the HLT ends at once, as on hardware,
 * where an interrupt pending at an STI; HLT is taken right after the
 * HLT), else CPU_DOWN when interrupts are disabled (@rflags) and nothing
 * is pending (@pending), otherwise HALT.
 */
void vcpu_x86_hlt(u64 rflags, bool pending, bool wake,
		  struct vcpu_run *exit);

/* MSR policy (msr.c) */
enum vcpu_x86_msr_policy {
	VCPU_X86_MSR_EXIT,	/* SYSREG_READ / SYSREG_WRITE */
	VCPU_X86_MSR_PASS,	/* the guest's own, no exit */
	VCPU_X86_MSR_KERNEL,	/* exits, handled in the kernel */
};

enum vcpu_x86_vendor {
	VCPU_X86_SVM,
	VCPU_X86_VMX,
};

enum vcpu_x86_msr_policy vcpu_x86_msr_policy(enum vcpu_x86_vendor v, u32 msr);
/* The pass-through MSRs of @v, for the permission bitmap. */
const u32 *vcpu_x86_msr_passthrough(enum vcpu_x86_vendor v, unsigned int *n);

/*
 * A guest WRMSR of @value to EFER, which now holds @efer: 0 with the new
 * EFER in *@result (LMA kept as it is: the processor's to set), or -EINVAL
 * (#GP) when @value sets a bit outside @allowed.
 */
int vcpu_x86_efer_write(u64 efer, u64 value, u64 allowed, u64 *result);

#endif /* VCPU_X86_APIC_H */
