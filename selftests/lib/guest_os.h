/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OS-like x86 test guest (x86/guest_os.S): it starts where a reset
 * leaves a CPU, in 16-bit real mode (VCPU_MODE_X86_REAL, entry
 * VCPU_TEST_CODE_GPA), and brings itself up as an operating system does:
 * its own GDT, protected mode, 4-level identity page tables (2 MiB pages,
 * 0..4 GiB), PAE, EFER.LME, CR0.PG into long mode, then its 64-bit IDT
 * (all 32 exception vectors and GUEST_OS_IRQ_VECTOR) and TSS.  Then it
 * jumps to the test body, a 64-bit snippet the host loaded at
 * GUEST_OS_BODY_GPA, with RSI as the host left ESI at the start.
 *
 * Every exception and the interrupt are reported the same way: the
 * handler fills struct vcpu_os_report at GUEST_OS_REPORT_GPA, then
 * OUTL of the vector to GUEST_OS_EXC_PORT (IO_WRITE); completing that
 * exit returns from the handler (IRETQ: a fault runs its instruction
 * again).  The #DB handler also clears RFLAGS.TF in the frame it returns
 * to: one report per single step the guest turned on.
 *
 * Included from C and from the guest assembly: only #defines there.
 */
#ifndef GUEST_OS_H
#define GUEST_OS_H

#include "vcpu_util.h"

/* Below 64 KiB, which real mode reaches with DS = 0. */
#define GUEST_OS_REPORT_GPA	0x4000	/* struct vcpu_os_report */
#define GUEST_OS_GDT_GPA	0x5000	/* 6 descriptors (below) */
#define GUEST_OS_TSS_GPA	0x5800	/* the 64-bit TSS, 104 bytes */
#define GUEST_OS_DTR_GPA	0x5f00	/* GDTR, IDTR pseudo-descriptors */
#define GUEST_OS_ARG_GPA	0x5f20	/* ESI at the start, for the body */
#define GUEST_OS_IDT_GPA	0x6000	/* 256 gates of 16 bytes */
/* PML4, PDPT and 4 page directories of 2 MiB pages: 0..4 GiB. */
#define GUEST_OS_PT_GPA		0x20000
#define GUEST_OS_BODY_GPA	0x40000	/* the test body, 64-bit code */

#define GUEST_OS_SEL_CODE32	0x08
#define GUEST_OS_SEL_DATA	0x10
#define GUEST_OS_SEL_CODE64	0x18
#define GUEST_OS_SEL_TSS	0x20	/* 16 bytes: 0x20 and 0x28 */

#define GUEST_OS_EXC_PORT	0xe0
#define GUEST_OS_IRQ_VECTOR	0x40

/* Report block offsets (the assembly's view of the struct). */
#define GUEST_OS_R_VECTOR	0
#define GUEST_OS_R_ERROR	8
#define GUEST_OS_R_RIP		16
#define GUEST_OS_R_CR2		24
#define GUEST_OS_R_COUNT	32
#define GUEST_OS_R_RFLAGS	40

#ifndef __ASSEMBLER__

/* What the handler of the last exception or interrupt saw. */
struct vcpu_os_report {
	uint64_t vector;
	uint64_t error;		/* 0 for vectors without one */
	uint64_t rip;		/* as pushed: the fault's or the next insn */
	uint64_t cr2;
	uint64_t count;		/* exceptions and interrupts so far */
	uint64_t rflags;	/* as pushed */
};

/* Guest address of @label in the body snippet that starts at @start. */
#define GUEST_OS_ADDR(start, label)					\
	((uint64_t)GUEST_OS_BODY_GPA +					\
	 (uint64_t)((const uint8_t *)(label) - (const uint8_t *)(start)))

/*
 * A VM with region 0 (VCPU_TEST_MEM_SIZE), the OS image at
 * VCPU_TEST_CODE_GPA and the body [@start, @end) at GUEST_OS_BODY_GPA;
 * SETUP in real mode with ESI = @arg; bound on @cpu (VCPU_CPU_CURRENT
 * as vcpu_test_start()).  -1 with errno on failure.
 */
int vcpu_os_boot(struct vcpu_test *t, const void *start, const void *end,
		   uint32_t arg, int cpu);

static inline volatile struct vcpu_os_report *
vcpu_os_report(struct vcpu_test *t)
{
	return (volatile struct vcpu_os_report *)(t->mem +
						   GUEST_OS_REPORT_GPA);
}

#endif /* __ASSEMBLER__ */
#endif /* GUEST_OS_H */
