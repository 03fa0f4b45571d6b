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

/* VCPU_RUN must give a report of value v. */
#define ASSERT_REPORT(t, v) do {					\
	ASSERT_RUN_EXIT(t, GUEST_REPORT_EXIT);				\
	ASSERT_EQ((uint64_t)(v), (uint64_t)GUEST_REPORT_VALUE((t)->run)); \
} while (0)

#endif /* VCPU_GUEST_H */
