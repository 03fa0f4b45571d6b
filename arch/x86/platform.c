// SPDX-License-Identifier: GPL-2.0
/*
 * x86 guest-visible conventions for CPU_DOWN and SYSTEM_DOWN, the exits a
 * PC has no single instruction for.  Pure logic, also built into the host
 * unit tests.
 *
 *   HLT with an event the guest takes at once      -> no exit, it goes on
 *   CLI; HLT (interrupts disabled, nothing queued)  -> CPU_DOWN, state 0:
 *        the guest can never wake up by itself (Linux's stop_this_cpu()).
 *   OUT 0xCF9 with RST_CPU (bit 2), the PCI reset control register
 *        -> SYSTEM_DOWN RESET
 *   OUT 0x64 of 0xFE, the keyboard controller's pulse-reset command
 *        -> SYSTEM_DOWN RESET
 *   OUT 0x604 (16-bit) with SLP_EN (bit 13): ACPI PM1a_CNT at QEMU's
 *        PIIX4/ICH9 address, any sleep type, taken as S5 -> SYSTEM_DOWN OFF
 *   A triple fault stays SHUTDOWN (the vCPU is Invalid).
 * The guest advanced past the instruction in each case.  Other writes to
 * these ports are ordinary IO_WRITE exits, and reads always are.
 */
#include <linux/bits.h>
#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#include "apic.h"

#define X86_EFLAGS_IF_BIT	BIT(9)

#define PORT_RESET_CONTROL	0xcf9
#define RESET_CONTROL_RST_CPU	BIT(2)
#define PORT_KBD_COMMAND	0x64
#define KBD_PULSE_RESET		0xfe
#define PORT_PM1A_CNT		0x604
#define PM1_CNT_SLP_EN		BIT(13)

bool vcpu_x86_platform_out(u16 port, unsigned int width, u32 data,
			   struct vcpu_run *exit)
{
	u32 type;

	if (port == PORT_RESET_CONTROL && width == 1 &&
	    (data & RESET_CONTROL_RST_CPU))
		type = VCPU_SYSTEM_DOWN_RESET;
	else if (port == PORT_KBD_COMMAND && width == 1 &&
		 (data & 0xff) == KBD_PULSE_RESET)
		type = VCPU_SYSTEM_DOWN_RESET;
	else if (port == PORT_PM1A_CNT && width == 2 &&
		 (data & PM1_CNT_SLP_EN))
		type = VCPU_SYSTEM_DOWN_OFF;
	else
		return false;
	exit->exit_reason = VCPU_EXIT_SYSTEM_DOWN;
	exit->system_down.type = type;
	return true;
}

void vcpu_x86_hlt(u64 rflags, bool pending, bool wake,
		  struct vcpu_run *exit)
{
	if (wake) {
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return;
	}
	if (!(rflags & X86_EFLAGS_IF_BIT) && !pending) {
		exit->exit_reason = VCPU_EXIT_CPU_DOWN;
		exit->cpu_down.state = 0;
		return;
	}
	exit->exit_reason = VCPU_EXIT_HALT;
}
