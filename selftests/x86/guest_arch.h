/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 facts of the shared guest layer (lib/guest.h; included from there,
 * after the harness).  The snippets are in guest_32.S and guest_64.S.
 */
#ifndef VCPU_GUEST_ARCH_H
#define VCPU_GUEST_ARCH_H

#include <errno.h>
#include <sys/ioctl.h>

#define GUEST_ARCH_X86		1

#define GUEST_MODE		VCPU_MODE_X86_PROT32
#define GUEST_MODE_64		VCPU_MODE_X86_LONG64
#define GUEST_HALT_LEN		1			/* HLT: F4 */
/* OUT to port 0x80 */
#define GUEST_REPORT_EXIT	VCPU_EXIT_IO_WRITE
#define GUEST_REPORT_VALUE(run)	((run)->io.data)
#define GUEST_MMIO_REG		VCPU_REG_RAX
#define GUEST_NR_GPRS		16
/* npf.access of a write to a read-only region, under the mask compared */
#define GUEST_NPF_RO_WRITE	VCPU_NPF_WRITE
#define GUEST_NPF_RO_WRITE_MASK	(VCPU_NPF_READ | VCPU_NPF_WRITE | VCPU_NPF_EXEC)
#define GUEST_ONE_REG		VCPU_REG_X86_CR0
#define GUEST_OTHER_MODES	VCPU_MODE_ARM64_EL1
#define GUEST_BAD_ONE_REG_IDS						\
	VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 0)	/* SCTLR_EL1 */

/* Host interrupts are IDT vectors; the local APIC timer is Linux's 0xec. */
#define GUEST_EXTINT_MIN	32
#define GUEST_EXTINT_MAX	255
#define X86_LOCAL_TIMER_VECTOR	0xec

static inline int guest_host_timer_vector(void)
{
	return X86_LOCAL_TIMER_VECTOR;
}

/* VCPU_INJECT_IRQ vectors; the interrupt guests' IDT covers them all. */
#define GUEST_IRQ_MIN		32
#define GUEST_IRQ_MAX		255
#define GUEST_IRQ_A		0x31
#define GUEST_IRQ_B		0x62
#define GUEST_IPI_IRQ		0x40

/* guest_ipi_pingpong sends fixed physical IPIs: the x2APIC ID. */
static inline unsigned int guest_ipi_target(const struct vcpu_run *run)
{
	return run->send_ipi.target_cpu;
}

static inline void guest_smp_prepare(struct __test_metadata *_metadata,
				     int fd, unsigned int index)
{
	(void)_metadata;
	(void)fd;
	(void)index;
}

#define X86_CR0_PE	(1ULL << 0)
#define X86_CR0_NW	(1ULL << 29)
#define X86_CR0_CD	(1ULL << 30)
#define X86_CR0_PG	(1ULL << 31)
#define X86_CR4_PAE	(1ULL << 5)
#define X86_EFER_LME	(1ULL << 8)
#define X86_EFER_LMA	(1ULL << 10)
#define SEG_ATTR_L	(1ULL << 9)
#define SEG_ATTR_DB	(1ULL << 10)

/* The chaos test's guest memory needs nothing more on x86. */
static inline void guest_chaos_prepare(uint8_t *mem)
{
	(void)mem;
}

/*
 * A CR0 the hardware refuses at the next VM entry, by the vendor's own
 * consistency checks: SVM's VMRUN rejects NW=1 with CD=0, VMX's entry
 * checks reject PG=1 with PE=0 (also for an unrestricted guest).
 */
static inline uint64_t guest_bad_cr0(uint64_t cr0)
{
	if (vcpu_cpu_is_amd())
		return (cr0 | X86_CR0_NW) & ~X86_CR0_CD;
	return (cr0 | X86_CR0_PG) & ~X86_CR0_PE;
}

/* The part of CR0 guest_bad_cr0() changed, and what it set it to. */
static inline uint64_t guest_bad_cr0_mask(void)
{
	return vcpu_cpu_is_amd() ? X86_CR0_NW | X86_CR0_CD :
				   X86_CR0_PG | X86_CR0_PE;
}

static inline uint64_t guest_bad_cr0_bits(void)
{
	return vcpu_cpu_is_amd() ? X86_CR0_NW : X86_CR0_PG;
}

/*
 * The vendor's code for a refused guest state: SVM VMEXIT_INVALID (-1),
 * VMX exit reason 33 (invalid guest state) with bit 31, entry failed.
 */
static inline uint64_t guest_bad_state_code(void)
{
	return vcpu_cpu_is_amd() ? ~0ULL : 0x80000021ULL;
}

static inline void guest_break_entry_state(struct __test_metadata *_metadata,
					   struct vcpu_test *t)
{
	uint64_t cr0;

	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR0, &cr0));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR0, guest_bad_cr0(cr0)));
}

/*
 * After the FAIL_ENTRY of guest_break_entry_state(): the vendor code is
 * non-zero; regs (GET_REGS, Invalid) is the state the entry refused, and
 * the broken CR0 is still readable but no longer writable.
 */
static inline void guest_check_fail_entry(struct __test_metadata *_metadata,
					  struct vcpu_test *t,
					  const struct vcpu_state_info *info,
					  const struct vcpu_regs *regs)
{
	uint64_t v;

	(void)regs;
	ASSERT_EQ(guest_bad_state_code(), info->fail_hw_code);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR0, &v));
	ASSERT_EQ(guest_bad_cr0_bits(), v & guest_bad_cr0_mask());
	ASSERT_ERRNO(EIO, vcpu_set_one_reg(t->fd, VCPU_REG_X86_CR0, v));
}

/*
 * Mode-specific ranges, checked before the state moves; s is left a valid
 * GUEST_MODE setup.
 */
static inline void guest_check_setup_ranges(struct __test_metadata *_metadata,
					    int fd, struct vcpu_setup *s)
{
	s->mode = VCPU_MODE_X86_REAL;
	s->entry = 0x100000;			/* real mode ends at 1 MiB */
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, s));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	s->mode = VCPU_MODE_X86_PROT32;
	s->entry = 0x100000000ULL;		/* beyond 32 bits */
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, s));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	s->mode = VCPU_MODE_X86_LONG64;
	s->page_table = 0x10001;		/* CR3 not page aligned */
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, s));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	s->mode = GUEST_MODE;
	s->entry = VCPU_TEST_CODE_GPA;
	s->page_table = 0;
}

#endif /* VCPU_GUEST_ARCH_H */
