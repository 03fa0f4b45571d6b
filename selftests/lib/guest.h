/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arch-neutral guest layer of the shared selftests (state machine,
 * memory regions, lifetimes, host interaction): one source, built for x86
 * and arm64.  Include after (or instead of) vcpu_asserts.h.
 *
 * A shared test names a guest by what it does, not by its instructions;
 * every architecture provides each snippet below in $(ARCH)/guest_*.S
 * (GUEST_ALIAS() there maps the generic name to its own snippet), plus
 * $(ARCH)/guest_arch.h with the facts that differ:
 *
 *   GUEST_MODE          SETUP mode of the snippets (x86: PROT32, arm64: EL1)
 *   GUEST_MODE_64       SETUP mode of guest_hypercall_arg (x86: LONG64);
 *                       use vcpu_test_page_table() for its page_table
 *   GUEST_HALT_LEN      bytes the pc advances over the halt instruction
 *                       (x86 HLT: 1, arm64 WFI: 4); the exit is
 *                       VCPU_EXIT_HALT on both
 *   GUEST_REPORT_EXIT   exit of a "report": how a guest hands the host a
 *                       value (x86: OUT to port 0x80 -> IO_WRITE, value in
 *                       io.data; arm64: HVC #0 with the value in x0 ->
 *                       HYPERCALL, value in hypercall.nr)
 *   GUEST_REPORT_VALUE(run)  that value
 *   GUEST_MMIO_REG      register guest_read_gap loads MMIO into (RAX / x0)
 *   GUEST_NR_GPRS       entries of vcpu_regs.gpr[] the architecture has
 *   GUEST_NPF_RO_WRITE, GUEST_NPF_RO_WRITE_MASK  npf.access (under the
 *                       mask) of a guest write to a read-only region
 *   GUEST_ONE_REG       a ONE_REG id every vCPU has (x86 CR0, arm64
 *                       SCTLR_EL1)
 *   GUEST_OTHER_MODES   SETUP modes of the other architectures (EINVAL)
 *   GUEST_BAD_ONE_REG_IDS  ONE_REG ids that must be ENOENT
 *   guest_break_entry_state()  make the next VM entry fail: x86 CR0.NW
 *                       without CD through SET_ONE_REG; arm64 an illegal
 *                       PSTATE (EL2h) through SET_REGS
 *   guest_check_fail_entry()   the exact FAIL_ENTRY facts and that the
 *                       broken state is still what GET_* return
 *   guest_check_setup_ranges() mode-specific SETUP arguments are EINVAL
 *                       and leave the vCPU Created
 *   GUEST_EXTINT_MIN/MAX, guest_host_timer_vector()  the host interrupt
 *                       numbers an EXTERNAL_INTERRUPT exit may carry and
 *                       the one of the host's timer tick
 *   GUEST_IRQ_MIN/MAX   the numbers VCPU_INJECT_IRQ accepts (x86 vectors
 *                       32..255, arm64 INTIDs 0..1019)
 *   GUEST_IRQ_A, GUEST_IRQ_B  two of them the snippets' handler serves
 *                       (arm64: SPIs; x86: vectors), A < B
 *   GUEST_IPI_IRQ       the IPI of guest_ipi_pingpong (x86 vector 0x40,
 *                       arm64 SGI 1)
 *   guest_ipi_target()  the peer index a SEND_IPI exit names (x86:
 *                       target_cpu; arm64: the lowest bit of the target
 *                       list in target_cpu_aux)
 *   guest_smp_prepare() per-vCPU set-up of guest_ipi_pingpong (arm64:
 *                       MPIDR_EL1 Aff0 = index), after SETUP
 */
#ifndef VCPU_GUEST_H
#define VCPU_GUEST_H

#include "vcpu_asserts.h"
#include "guest_arch.h"

/*
 * The shared snippets.  Each runs in GUEST_MODE from VCPU_TEST_CODE_GPA
 * unless noted; "halt" is HLT/WFI, "report v" is GUEST_REPORT_EXIT with
 * GUEST_REPORT_VALUE v.
 */
/* halt three times, one instruction each */
VCPU_GUEST_SNIPPET(guest_hlt);
/* report 0x11, then 0x2233 (then arch-specific reports), then halt */
VCPU_GUEST_SNIPPET(guest_out);
/*
 * Count in the u32 at DATA+0 until the host writes non-zero to DATA+4;
 * report that value, halt.
 */
VCPU_GUEST_SNIPPET(guest_spin);
/* report the u32 at DATA+4, write 0xdeadbeef to DATA+8, halt */
VCPU_GUEST_SNIPPET(guest_shared);
/*
 * Report the u32 at GPA 0x200000, then store 0x55555555 to 0x200010 at
 * guest_readonly_store (a read-only region there: the store faults), halt.
 */
VCPU_GUEST_SNIPPET(guest_readonly);
extern const uint8_t guest_readonly_store[];
/*
 * Load the u32 at GPA 0x200000 into GUEST_MMIO_REG and report it, then
 * the same for 0x400000; halt.
 */
VCPU_GUEST_SNIPPET(guest_read_gap);
/*
 * Count the u32 words equal to 0x5ca1ab1e in [0x400000, 0x800000), then
 * load one word every 2 MiB from 0x800000 to 4 GiB, counting those too;
 * report the count, halt.
 */
VCPU_GUEST_SNIPPET(guest_scan);
/*
 * In GUEST_MODE_64: hypercall nr 0x77 with args[0] = the SETUP arg,
 * then halt.
 */
VCPU_GUEST_SNIPPET(guest_hypercall_arg);

/*
 * Interrupts (vcpu_irq_test, vcpu_smp_test).  The snippets install a vector
 * for every number VCPU_INJECT_IRQ accepts (x86: an IDT at GPA 0x5000 for
 * vectors 32..255; arm64: VBAR_EL1, the GICv3 CPU interface through the
 * ICC_* system registers, acknowledge ICC_IAR1_EL1, ICC_EOIR1_EL1).  Their
 * handler adds 1 to the u32 at DATA+0x100, stores the interrupt number to
 * DATA+0x104, reports the number, and returns to what it interrupted.
 * Each snippet keeps interrupts masked until its vectors are in place (an
 * interrupt injected earlier waits in the queue).
 *
 * guest_irq_wait      interrupts enabled, then forever: halt (SETUP arg 0)
 *                     or a busy loop that never exits by itself (arg 1)
 * guest_irq_masked    interrupts disabled: report 1, report 2, enable
 *                     them (x86: STI; NOP; the window opens after the NOP),
 *                     then halt forever
 * guest_hc_ping       hypercall VCPU_HC_PING with args[0] = 41, report the
 *                     return value; hypercall VCPU_HC_BASE + 5, report the
 *                     return value; halt.  Reports are compared as u32.
 * guest_ipi_pingpong  SETUP arg = this vCPU's index i (0 or 1), the peer
 *                     is 1 - i (x86: x2APIC ID; arm64: MPIDR Aff0, the
 *                     vCPU's MPIDR set by the test).  Rounds N in the u32
 *                     at DATA+0x200.  Interrupts on; vCPU 0 sends the
 *                     peer IPI GUEST_IPI_IRQ first.  Each GUEST_IPI_IRQ
 *                     received adds 1 to the u32 at DATA+0x210 + 4 * i and
 *                     sends one back, except on vCPU 0 once its count
 *                     reached N: then vCPU 0 reports its count and halts
 *                     forever.  The IPI is an x2APIC ICR write (x86, fixed,
 *                     physical) or an ICC_SGI1R_EL1 write (arm64, target
 *                     list): a SEND_IPI exit the test turns into
 *                     VCPU_INJECT_IRQ of the vector on the peer.
 */
VCPU_GUEST_SNIPPET(guest_irq_wait);
VCPU_GUEST_SNIPPET(guest_irq_masked);
VCPU_GUEST_SNIPPET(guest_hc_ping);
VCPU_GUEST_SNIPPET(guest_ipi_pingpong);

#define GUEST_IRQ_COUNT		0x100	/* DATA offsets */
#define GUEST_IRQ_LAST		0x104
#define GUEST_PINGPONG_ROUNDS	0x200
#define GUEST_PINGPONG_COUNT	0x210

/* VCPU_RUN must give a report of value v. */
#define ASSERT_REPORT(t, v) do {					\
	ASSERT_RUN_EXIT(t, GUEST_REPORT_EXIT);				\
	ASSERT_EQ((uint64_t)(v), (uint64_t)GUEST_REPORT_VALUE((t)->run)); \
} while (0)

#endif /* VCPU_GUEST_H */
