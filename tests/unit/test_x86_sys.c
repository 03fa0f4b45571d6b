// SPDX-License-Identifier: GPL-2.0
/*
 * x86 system conventions: x2APIC ICR writes (apic.c), the CPU_DOWN and
 * SYSTEM_DOWN conventions (platform.c), the MSR policy and the EFER write
 * rule (msr.c).
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "arch/x86/apic.h"

struct icr_case {
	const char *name;
	u64 icr;
	u32 reason;
	u64 target;		/* SEND_IPI target_cpu, CPU_UP target */
	u8 self, all;
};

static void check_icr(const struct icr_case *c)
{
	struct vcpu_x86_apic apic = {};
	struct vcpu_run e;

	memset(&e, 0xaa, sizeof(e));
	vcpu_x86_icr_write(&apic, c->icr, &e);
	UNIT_EXPECT_EQ(e.exit_reason, c->reason);
	if (c->reason == VCPU_EXIT_SEND_IPI) {
		UNIT_EXPECT_EQ(e.send_ipi.target_cpu, c->target);
		UNIT_EXPECT_EQ(e.send_ipi.target_cpu_aux, (u32)c->icr);
		UNIT_EXPECT_EQ(e.send_ipi.vector, c->icr & 0xff);
		UNIT_EXPECT_EQ(e.send_ipi.send_to_self, c->self);
		UNIT_EXPECT_EQ(e.send_ipi.send_to_all, c->all);
	}
}

static const struct icr_case icr_cases[] = {
	{ "fixed", 5ULL << 32 | 0x45, VCPU_EXIT_SEND_IPI, 5, 0, 0 },
	{ "fixed_x2apic_id_32bit", 0x12345678ULL << 32 | 0xef,
	  VCPU_EXIT_SEND_IPI, 0x12345678, 0, 0 },
	{ "self", 0x40046, VCPU_EXIT_SEND_IPI, 0, 1, 0 },
	{ "all_incl_self", 7ULL << 32 | 0x80047, VCPU_EXIT_SEND_IPI, 0, 1, 1 },
	{ "all_but_self", 0xc0048, VCPU_EXIT_SEND_IPI, 0, 0, 1 },
	{ "nmi", 2ULL << 32 | 0x400, VCPU_EXIT_SEND_IPI, 2, 0, 0 },
	{ "lowest_priority_logical", 3ULL << 32 | 0x951,
	  VCPU_EXIT_SEND_IPI, 3, 0, 0 },
	{ "init_kept", 3ULL << 32 | 0x4500, VCPU_EXIT_NOTHING, 0, 0, 0 },
	{ "sipi_without_init", 3ULL << 32 | 0x69a, VCPU_EXIT_NOTHING, 0, 0, 0 },
	{ "init_broadcast_to_vmm", 0xc4500, VCPU_EXIT_SEND_IPI, 0, 0, 1 },
	{ "init_logical_to_vmm", 1ULL << 32 | 0x4d00, VCPU_EXIT_SEND_IPI,
	  1, 0, 0 },
	{ "sipi_broadcast_to_vmm", 0xc069a, VCPU_EXIT_SEND_IPI, 0, 0, 1 },
};

UNIT_TABLE(icr, icr_cases, check_icr);

UNIT_TEST(icr_init_sipi_sequence)
{
	struct vcpu_x86_apic apic = {};
	struct vcpu_run e;

	vcpu_x86_icr_write(&apic, 3ULL << 32 | 0x4500, &e);	/* INIT */
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_NOTHING);
	vcpu_x86_icr_write(&apic, 3ULL << 32 | 0x8500, &e);	/* de-assert */
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_NOTHING);
	UNIT_EXPECT(apic.init_pending);
	vcpu_x86_icr_write(&apic, 4ULL << 32 | 0x69a, &e);	/* other APIC */
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_NOTHING);
	vcpu_x86_icr_write(&apic, 3ULL << 32 | 0x69a, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_CPU_UP);
	UNIT_EXPECT_EQ(e.cpu_up.target_cpu, 3);
	UNIT_EXPECT_EQ(e.cpu_up.entry_point, 0x9a000);
	UNIT_EXPECT_EQ(e.cpu_up.arg, 0);
	vcpu_x86_icr_write(&apic, 3ULL << 32 | 0x69a, &e);	/* second SIPI */
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_NOTHING);
	/* The latest INIT names the CPU the next SIPI starts. */
	vcpu_x86_icr_write(&apic, 1ULL << 32 | 0x4500, &e);
	vcpu_x86_icr_write(&apic, 2ULL << 32 | 0x4500, &e);
	vcpu_x86_icr_write(&apic, 2ULL << 32 | 0x601, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_CPU_UP);
	UNIT_EXPECT_EQ(e.cpu_up.target_cpu, 2);
	UNIT_EXPECT_EQ(e.cpu_up.entry_point, 0x1000);
}

struct port_case {
	const char *name;
	u16 port;
	unsigned int width;
	u32 data;
	int down;		/* 0, or the VCPU_SYSTEM_DOWN_* type */
};

static void check_port(const struct port_case *c)
{
	struct vcpu_run e = {};
	bool r = vcpu_x86_platform_out(c->port, c->width, c->data, &e);

	UNIT_EXPECT_EQ(r, c->down != 0);
	if (c->down) {
		UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_SYSTEM_DOWN);
		UNIT_EXPECT_EQ(e.system_down.type, c->down);
	} else {
		UNIT_EXPECT_EQ(e.exit_reason, 0);
	}
}

static const struct port_case port_cases[] = {
	{ "cf9_rst_cpu", 0xcf9, 1, 0x06, VCPU_SYSTEM_DOWN_RESET },
	{ "cf9_hard_reset", 0xcf9, 1, 0x0e, VCPU_SYSTEM_DOWN_RESET },
	{ "cf9_sys_rst_only", 0xcf9, 1, 0x02, 0 },
	{ "cf9_word", 0xcf9, 2, 0x06, 0 },
	{ "kbd_pulse_reset", 0x64, 1, 0xfe, VCPU_SYSTEM_DOWN_RESET },
	{ "kbd_other_command", 0x64, 1, 0xd1, 0 },
	{ "kbd_data_port", 0x60, 1, 0xfe, 0 },
	{ "pm1a_slp_en_s5", 0x604, 2, 0x2000, VCPU_SYSTEM_DOWN_OFF },
	{ "pm1a_slp_en_typ", 0x604, 2, 0x3400, VCPU_SYSTEM_DOWN_OFF },
	{ "pm1a_no_slp_en", 0x604, 2, 0x1c00, 0 },
	{ "pm1a_byte", 0x604, 1, 0x20, 0 },
	{ "debug_port", 0x80, 1, 0xfe, 0 },
};

UNIT_TABLE(platform_out, port_cases, check_port);

UNIT_TEST(platform_hlt)
{
	struct vcpu_run e = {};

	vcpu_x86_hlt(0x2, false, false, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_CPU_DOWN);
	UNIT_EXPECT_EQ(e.cpu_down.state, 0);
	vcpu_x86_hlt(0x2, true, false, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_HALT);
	vcpu_x86_hlt(0x202, false, false, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_HALT);
	vcpu_x86_hlt(0x202, true, false, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_HALT);
	/* STI; HLT with an interrupt queued, or an NMI with CLI: goes on. */
	vcpu_x86_hlt(0x202, true, true, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_NOTHING);
	vcpu_x86_hlt(0x2, true, true, &e);
	UNIT_EXPECT_EQ(e.exit_reason, VCPU_EXIT_NOTHING);
}

UNIT_TEST(msr_policy)
{
	static const u32 both_pass[] = {
		0xc0000100, 0xc0000101, 0xc0000102, 0x174, 0x175, 0x176,
		0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,
	};
	static const u32 exits[] = {
		0x10, 0x1b, 0x3a, 0x831, 0x80b, 0x4000abcd, 0xc0010000,
		0xffffffff, 0,
	};
	unsigned int i, n;
	const u32 *p;

	for (i = 0; i < sizeof(both_pass) / sizeof(both_pass[0]); i++) {
		UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_SVM, both_pass[i]),
			       VCPU_X86_MSR_PASS);
		UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_VMX, both_pass[i]),
			       VCPU_X86_MSR_PASS);
	}
	for (i = 0; i < sizeof(exits) / sizeof(exits[0]); i++) {
		UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_SVM, exits[i]),
			       VCPU_X86_MSR_EXIT);
		UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_VMX, exits[i]),
			       VCPU_X86_MSR_EXIT);
	}
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_SVM, 0xc0000080),
		       VCPU_X86_MSR_KERNEL);
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_VMX, 0x830),
		       VCPU_X86_MSR_KERNEL);
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_SVM, 0xc0000103),
		       VCPU_X86_MSR_KERNEL);
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_VMX, 0xc0000103),
		       VCPU_X86_MSR_KERNEL);
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_VMX, 0x277),
		       VCPU_X86_MSR_KERNEL);
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_SVM, 0x277),
		       VCPU_X86_MSR_EXIT);
	/* DEBUGCTL: the guest's, kept in the kernel (debugreg.c). */
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_SVM, 0x1d9),
		       VCPU_X86_MSR_KERNEL);
	UNIT_EXPECT_EQ(vcpu_x86_msr_policy(VCPU_X86_VMX, 0x1d9),
		       VCPU_X86_MSR_KERNEL);
	p = vcpu_x86_msr_passthrough(VCPU_X86_SVM, &n);
	UNIT_EXPECT_EQ(n, 10);
	UNIT_EXPECT(p != NULL);
	p = vcpu_x86_msr_passthrough(VCPU_X86_VMX, &n);
	UNIT_EXPECT_EQ(n, 10);
}

/* The EFER write rule both vendors apply (msr.c). */
#define EFER_SCE	(1ULL << 0)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define EFER_NX		(1ULL << 11)
#define EFER_SVME	(1ULL << 12)

UNIT_TEST(efer_write)
{
	const u64 allowed = EFER_SCE | EFER_LME | EFER_LMA | EFER_NX;
	u64 efer = 0x5a5a;

	/* LMA is the processor's: kept set, never set by the guest. */
	UNIT_EXPECT_EQ(vcpu_x86_efer_write(EFER_LME | EFER_LMA, EFER_NX,
					   allowed, &efer), 0);
	UNIT_EXPECT_EQ(efer, EFER_NX | EFER_LMA);
	UNIT_EXPECT_EQ(vcpu_x86_efer_write(0, EFER_LME | EFER_LMA, allowed,
					   &efer), 0);
	UNIT_EXPECT_EQ(efer, EFER_LME);
	/* A bit outside @allowed is a #GP and leaves the result alone. */
	efer = 0x5a5a;
	UNIT_EXPECT_EQ(vcpu_x86_efer_write(0, EFER_SVME, allowed, &efer),
		       -EINVAL);
	UNIT_EXPECT_EQ(efer, 0x5a5a);
	UNIT_EXPECT_EQ(vcpu_x86_efer_write(0, EFER_SVME | EFER_SCE,
					   allowed | EFER_SVME, &efer), 0);
	UNIT_EXPECT_EQ(efer, EFER_SVME | EFER_SCE);
}
