// SPDX-License-Identifier: GPL-2.0
/*
 * Guest writes to the x2APIC interrupt command register (MSR 0x830), the
 * only APIC register the kernel interprets: it turns IPIs into SEND_IPI
 * exits and the INIT-SIPI wake-up sequence into CPU_UP.  Every other
 * x2APIC register is an ordinary MSR (SYSREG exits): the VMM emulates the
 * rest of the APIC, if it offers one.  Pure logic, also built into the
 * host unit tests.
 *
 * ICR layout (SDM vol. 3, 11.12.9): vector 7:0, delivery mode 10:8, logical
 * destination 11, level 14, trigger mode 15, shorthand 19:18, destination
 * (x2APIC ID) 63:32.
 */
#include <linux/bits.h>
#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#include "apic.h"

#define ICR_VECTOR(icr)		((u32)(icr) & 0xff)
#define ICR_MODE(icr)		(((u32)(icr) >> 8) & 7)
#define ICR_LOGICAL		BIT(11)
#define ICR_LEVEL_ASSERT	BIT(14)
#define ICR_TRIGGER_LEVEL	BIT(15)
#define ICR_SHORTHAND(icr)	(((u32)(icr) >> 18) & 3)
#define ICR_DEST(icr)		((u32)((icr) >> 32))

enum {
	ICR_MODE_INIT		= 5,
	ICR_MODE_STARTUP	= 6,
};

enum {
	ICR_SH_NONE, ICR_SH_SELF, ICR_SH_ALL, ICR_SH_ALL_BUT_SELF,
};

static void vcpu_x86_icr_send_ipi(u64 icr, struct vcpu_run *exit)
{
	u32 sh = ICR_SHORTHAND(icr);

	exit->exit_reason = VCPU_EXIT_SEND_IPI;
	exit->send_ipi.target_cpu = sh == ICR_SH_NONE ? ICR_DEST(icr) : 0;
	exit->send_ipi.target_cpu_aux = (u32)icr;
	exit->send_ipi.vector = ICR_VECTOR(icr);
	exit->send_ipi.send_to_self = sh == ICR_SH_SELF || sh == ICR_SH_ALL;
	exit->send_ipi.send_to_all = sh == ICR_SH_ALL ||
				     sh == ICR_SH_ALL_BUT_SELF;
}

void vcpu_x86_icr_write(struct vcpu_x86_apic *apic, u64 icr,
			struct vcpu_run *exit)
{
	/* INIT and SIPI to one APIC by its ID: the wake-up sequence. */
	bool physical = !(icr & ICR_LOGICAL) && ICR_SHORTHAND(icr) == ICR_SH_NONE;

	switch (ICR_MODE(icr)) {
	case ICR_MODE_INIT:
		if (!physical)
			break;
		/* The de-assert of a level INIT (old MP spec) does nothing. */
		if ((icr & ICR_TRIGGER_LEVEL) && !(icr & ICR_LEVEL_ASSERT)) {
			exit->exit_reason = VCPU_EXIT_NOTHING;
			return;
		}
		apic->init_pending = true;
		apic->init_dest = ICR_DEST(icr);
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return;
	case ICR_MODE_STARTUP:
		if (!physical)
			break;
		/*
		 * A SIPI acts only on a CPU waiting for one after INIT; the
		 * second SIPI of the usual sequence finds it started.
		 */
		exit->exit_reason = VCPU_EXIT_NOTHING;
		if (!apic->init_pending || apic->init_dest != ICR_DEST(icr))
			return;
		apic->init_pending = false;
		exit->exit_reason = VCPU_EXIT_CPU_UP;
		exit->cpu_up.target_cpu = ICR_DEST(icr);
		exit->cpu_up.entry_point = (u64)ICR_VECTOR(icr) << 12;
		exit->cpu_up.arg = 0;
		return;
	}
	vcpu_x86_icr_send_ipi(icr, exit);
}
