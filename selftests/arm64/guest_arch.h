/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 facts of the shared guest layer (lib/guest.h; included from
 * there, after the harness).  The snippets are in guest_el1.S and
 * guest_irq.S.
 */
#ifndef VCPU_GUEST_ARCH_H
#define VCPU_GUEST_ARCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define GUEST_ARCH_ARM64	1

#define GUEST_MODE		VCPU_MODE_ARM64_EL1
#define GUEST_MODE_64		VCPU_MODE_ARM64_EL1
#define GUEST_HALT_LEN		4			/* WFI */
/* HVC #0 with the value in x0: a HYPERCALL whose nr is the value */
#define GUEST_REPORT_EXIT	VCPU_EXIT_HYPERCALL
#define GUEST_REPORT_VALUE(run)	((run)->hypercall.nr)
#define GUEST_MMIO_REG		0			/* x0 (LDR w0) */
#define GUEST_NR_GPRS		32			/* x0..x30, SP_EL1 */
/* npf.access of a write to a read-only region: exactly write + present */
#define GUEST_NPF_RO_WRITE	(VCPU_NPF_WRITE | VCPU_NPF_PRESENT)
#define GUEST_NPF_RO_WRITE_MASK	(~0U)
#define ARM64_REG_SCTLR_EL1	VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 0)
#define GUEST_ONE_REG		ARM64_REG_SCTLR_EL1
#define GUEST_OTHER_MODES						\
	VCPU_MODE_X86_REAL, VCPU_MODE_X86_PROT32, VCPU_MODE_X86_LONG64
#define GUEST_BAD_ONE_REG_IDS						\
	VCPU_REG_X86_CR0,						\
	VCPU_REG_ARM64_SYSREG(3, 4, 1, 1, 0),	/* HCR_EL2 */		\
	VCPU_REG_ARM64_SYSREG(3, 0, 0, 0, 0)	/* MIDR_EL1 */

/* Host interrupts are GIC INTIDs: SGIs 0..15, PPIs 16..31, SPIs 32..1019. */
#define GUEST_EXTINT_MIN	0
#define GUEST_EXTINT_MAX	1019

/*
 * The INTID of the host's tick: the "arch_timer" line of /proc/interrupts
 * ("N: counts... GICv3 26 Level arch_timer"); which timer PPI it is
 * depends on the firmware tables and on VHE (the EL2 timer).  -1 if not
 * found.
 */
static inline int guest_host_timer_vector(void)
{
	char line[1024], *tok, *save;
	int intid = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (intid < 0 && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "arch_timer"))
			continue;
		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (strncmp(tok, "GIC", 3))
				continue;
			tok = strtok_r(NULL, " \t\n", &save);
			if (tok)
				intid = atoi(tok);
			break;
		}
	}
	fclose(f);
	return intid;
}

/*
 * VCPU_INJECT_IRQ takes GIC INTIDs: SGIs 0..15, PPIs 16..31, SPIs
 * 32..1019.  The snippets' vector tables take them all (guest_irq.S);
 * A and B are SPIs, the ping-pong IPI is SGI 1.
 */
#define GUEST_IRQ_MIN		0
#define GUEST_IRQ_MAX		1019
#define GUEST_IRQ_A		40
#define GUEST_IRQ_B		50
#define GUEST_IPI_IRQ		1

/*
 * guest_ipi_pingpong writes ICC_SGI1R_EL1 with a target list (Aff3..1 =
 * 0, RS = 0): the peer's index is the lowest bit set in that list.
 */
static inline unsigned int guest_ipi_target(const struct vcpu_run *run)
{
	uint64_t list = run->send_ipi.target_cpu_aux;

	return list ? (unsigned int)__builtin_ctzll(list) : ~0U;
}

#define ARM64_REG_MPIDR_EL1	VCPU_REG_ARM64_SYSREG(3, 0, 0, 0, 5)

/*
 * The ping-pong guest addresses its peer by MPIDR_EL1 Aff0 = index in
 * cluster 0 (Aff3..1 = 0, whatever the vCPU ids); bit 31 is RES1.
 */
static inline void guest_smp_prepare(struct __test_metadata *_metadata,
				     int fd, unsigned int index)
{
	uint64_t mpidr;

	ASSERT_OK(vcpu_set_one_reg(fd, ARM64_REG_MPIDR_EL1,
				   (1ULL << 31) | (index & 0xff)));
	ASSERT_OK(vcpu_get_one_reg(fd, ARM64_REG_MPIDR_EL1, &mpidr));
	ASSERT_EQ((1ULL << 31) | (index & 0xff), mpidr);
}

/*
 * The chaos test's exception vectors (VBAR_EL1 is 0 at SETUP): every one
 * of the 16 entries steps over the instruction that trapped and exits
 * through HVC, so random code keeps running (and exiting) instead of
 * looping in a vector made of zeros (UDF):
 *   mrs x0, elr_el1; add x0, x0, #4; msr elr_el1, x0; hvc #0; eret
 */
static inline void guest_chaos_prepare(uint8_t *mem)
{
	static const uint32_t vec[] = {
		0xd5384020, 0x91001000, 0xd5184020, 0xd4000002, 0xd69f03e0,
	};
	int i;

	for (i = 0; i < 16; i++)
		memcpy(mem + i * 0x80, vec, sizeof(vec));
}

/* PSTATE EL2h (DAIF masked): not an EL0t/EL1t/EL1h AArch64 state. */
#define ARM64_PSTATE_EL2H	0x3c9

/* An illegal PSTATE, refused by the backend at the next entry. */
static inline void guest_break_entry_state(struct __test_metadata *_metadata,
					   struct vcpu_test *t)
{
	struct vcpu_regs regs;

	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	regs.flags = ARM64_PSTATE_EL2H;
	ASSERT_OK(vcpu_set_regs(t->fd, &regs));
}

/*
 * After the FAIL_ENTRY of guest_break_entry_state(): the vendor code is
 * the refused PSTATE and the errno EIO; regs (GET_REGS, Invalid) still
 * holds that PSTATE; ONE_REG is readable (SCTLR_EL1 as SETUP left it:
 * MMU off) but no longer writable.
 */
static inline void guest_check_fail_entry(struct __test_metadata *_metadata,
					  struct vcpu_test *t,
					  const struct vcpu_state_info *info,
					  const struct vcpu_regs *regs)
{
	uint64_t v;

	ASSERT_EQ(ARM64_PSTATE_EL2H, info->fail_hw_code);
	ASSERT_EQ(EIO, info->fail_errno);
	ASSERT_EQ(ARM64_PSTATE_EL2H, regs->flags);
	ASSERT_OK(vcpu_get_one_reg(t->fd, ARM64_REG_SCTLR_EL1, &v));
	ASSERT_EQ(0, v & 1);
	ASSERT_ERRNO(EIO, vcpu_set_one_reg(t->fd, ARM64_REG_SCTLR_EL1, v));
}

/*
 * Mode-specific ranges, checked before the state moves: A64 code is
 * 4-byte aligned, SP_EL1 16-byte, and there is no page_table (stage 1 is
 * the guest's).  s is left a valid GUEST_MODE setup.
 */
static inline void guest_check_setup_ranges(struct __test_metadata *_metadata,
					    int fd, struct vcpu_setup *s)
{
	s->mode = GUEST_MODE;
	s->entry = VCPU_TEST_CODE_GPA + 2;
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, s));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	s->entry = VCPU_TEST_CODE_GPA;
	s->stack = VCPU_TEST_STACK_GPA + 8;
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, s));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	s->stack = VCPU_TEST_STACK_GPA;
	s->page_table = VCPU_TEST_PT_GPA;
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, s));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	s->page_table = 0;
}

#endif /* VCPU_GUEST_ARCH_H */
