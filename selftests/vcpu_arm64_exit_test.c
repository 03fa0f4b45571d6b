// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 EL2 exits: HVC/SMC hypercalls, PSCI (answered in the kernel or as
 * CPU_UP/CPU_DOWN/SYSTEM_DOWN), MMIO from the data-abort syndrome (loads
 * with every extension, stores of every width, XZR), nested page faults
 * (no syndrome, read-only region), trapped system registers, SGI1R
 * (SEND_IPI), WFI/WFE, host interrupts, entry failure, signals and
 * immediate_exit, ONE_REG.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "vcpu_asserts.h"

VCPU_GUEST_SNIPPET(guest_el1_hlt);
VCPU_GUEST_SNIPPET(guest_el1_spin);
VCPU_GUEST_SNIPPET(guest_el1_hypercall);
VCPU_GUEST_SNIPPET(guest_el1_smc);
VCPU_GUEST_SNIPPET(guest_el1_mmio_write);
VCPU_GUEST_SNIPPET(guest_el1_mmio_read);
VCPU_GUEST_SNIPPET(guest_el1_mmio_ldp);
VCPU_GUEST_SNIPPET(guest_el1_psci);
VCPU_GUEST_SNIPPET(guest_el1_sgi);
VCPU_GUEST_SNIPPET(guest_el1_sysreg);
VCPU_GUEST_SNIPPET(guest_el1_wfe);
VCPU_GUEST_SNIPPET(guest_el1_ro_store);
extern const uint8_t guest_el1_mmio_write_hlt[], guest_el1_mmio_read_hlt[],
	guest_el1_mmio_ldp_insn[], guest_el1_ro_store_insn[],
	guest_el1_wfe_wfi[];

#define MMIO		VCPU_TEST_MMIO_GPA
#define MODE		VCPU_MODE_ARM64_EL1
/* ESR_EL2 fields */
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_ISV		(1ULL << 24)
#define EC_DABT_LOW	0x24
/* ICC_SGI1R_EL1 as an ISS encoding (Op0 3, Op2 5, Op1 0, CRn 12, CRm 11) */
#define ISS_SYS(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | \
	 ((crm) << 1))
#define ISS_ACTLR_EL1	ISS_SYS(3, 0, 1, 0, 1)
#define REG_SCTLR_EL1	VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 0)
#define REG_VBAR_EL1	VCPU_REG_ARM64_SYSREG(3, 0, 12, 0, 0)
#define REG_MPIDR_EL1	VCPU_REG_ARM64_SYSREG(3, 0, 0, 0, 5)
#define REG_SP_EL1	VCPU_REG_ARM64_SYSREG(3, 4, 4, 1, 0)
#define PSTATE_EL1H_MASKED	0x3c5

FIXTURE(el2) {
	struct vcpu_test t;
};

FIXTURE_SETUP(el2)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(el2)
{
	vcpu_test_fini(&self->t);
}

static void prepare(struct __test_metadata *_metadata, struct vcpu_test *t,
		    const uint8_t *start, const uint8_t *end, uint64_t arg)
{
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, start, end);
	ASSERT_OK(vcpu_test_start(t, MODE, arg, VCPU_CPU_CURRENT));
}

static void expect_hypercall_nr(struct __test_metadata *_metadata,
				struct vcpu_test *t, uint64_t nr)
{
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(nr, t->run->hypercall.nr);
}

static uint64_t reg(struct __test_metadata *_metadata, struct vcpu_test *t,
		    int n)
{
	struct vcpu_regs regs;

	EXPECT_EQ(0, vcpu_get_regs(t->fd, &regs));
	return regs.gpr[n];
}

TEST_F(el2, setup_regs)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_regs regs;
	uint64_t v;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	ASSERT_OK(vcpu_setup(t->fd, MODE, 0x1234, 0x7ff0, 0, 0xabcd));
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	EXPECT_EQ(0xabcd, regs.gpr[0]);
	EXPECT_EQ(0x7ff0, regs.gpr[31]);
	EXPECT_EQ(0x1234, regs.pc);
	EXPECT_EQ(PSTATE_EL1H_MASKED, regs.flags);
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_SCTLR_EL1, &v));
	EXPECT_EQ(0, v & 1);		/* MMU off */
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_MPIDR_EL1, &v));
	EXPECT_EQ(1ULL << 31, v);	/* vCPU 0 */
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_SP_EL1, &v));
	EXPECT_EQ(0x7ff0, v);
}

TEST_F(el2, setup_bad_args_einval)
{
	struct vcpu_test *t = &self->t;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	ASSERT_ERRNO(EINVAL, vcpu_setup(t->fd, VCPU_MODE_X86_PROT32, 0x1000,
					0x8000, 0, 0));
	ASSERT_ERRNO(EINVAL, vcpu_setup(t->fd, MODE, 0x1002, 0x8000, 0, 0));
	ASSERT_ERRNO(EINVAL, vcpu_setup(t->fd, MODE, 0x1000, 0x8008, 0, 0));
	ASSERT_ERRNO(EINVAL, vcpu_setup(t->fd, MODE, 0x1000, 0x8000, 0x1000,
					0));
	ASSERT_STATE(t->fd, VCPU_STATE_CREATED);
}

TEST_F(el2, one_reg_roundtrip_and_enoent)
{
	struct vcpu_test *t = &self->t;
	uint64_t v;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	ASSERT_OK(vcpu_setup(t->fd, MODE, 0x1000, 0x8000, 0, 0));
	ASSERT_OK(vcpu_set_one_reg(t->fd, REG_VBAR_EL1, 0x4000));
	ASSERT_OK(vcpu_get_one_reg(t->fd, REG_VBAR_EL1, &v));
	EXPECT_EQ(0x4000, v);
	ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd,
			VCPU_REG_ARM64_SYSREG(3, 4, 1, 1, 0), &v));  /* HCR_EL2 */
	ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR0, &v));
}

TEST_F(el2, wfi_halt)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_hlt_start, guest_el1_hlt_end, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, VCPU_TEST_CODE_GPA + 4);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, VCPU_TEST_CODE_GPA + 8);
}

TEST_F(el2, wfe_no_exit)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_wfe_start, guest_el1_wfe_end, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, VCPU_GUEST_ADDR(guest_el1_wfe_start, guest_el1_wfe_wfi) + 4);
}

TEST_F(el2, hvc_hypercall_roundtrip)
{
	struct vcpu_test *t = &self->t;
	int i;

	prepare(_metadata, t, guest_el1_hypercall_start,
		guest_el1_hypercall_end, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(0x1234, t->run->hypercall.nr);
	for (i = 0; i < 6; i++)
		ASSERT_EQ(i + 1, t->run->hypercall.args[i]);
	t->run->hypercall.ret = 0x41;
	expect_hypercall_nr(_metadata, t, 0x42);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(el2, smc_hypercall_advances)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_smc_start, guest_el1_smc_end, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HYPERCALL);
	ASSERT_EQ(0x77, t->run->hypercall.nr);
	ASSERT_EQ(0x42, t->run->hypercall.args[0]);
	t->run->hypercall.ret = 0x99;
	expect_hypercall_nr(_metadata, t, 0x9a);
}

TEST_F(el2, setup_arg_in_x0)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_hlt_start, guest_el1_hlt_end,
		0x1122334455667788ULL);
	ASSERT_EQ(0x1122334455667788ULL, reg(_metadata, t, 0));
}

TEST_F(el2, mmio_write_widths_str_w_and_xzr)
{
	struct vcpu_test *t = &self->t;
	static const struct { uint64_t off, data; uint8_t width; } w[] = {
		{ 0x00, 0x55667788, 4 },		/* STR Wn */
		{ 0x10, 0x88, 1 },			/* STRB */
		{ 0x20, 0x7788, 2 },			/* STRH */
		{ 0x30, 0x1122334455667788ULL, 8 },	/* STR Xn */
		{ 0x40, 0, 8 },				/* STR XZR */
	};
	unsigned int i;

	prepare(_metadata, t, guest_el1_mmio_write_start,
		guest_el1_mmio_write_end, 0);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_WRITE);
		EXPECT_EQ(MMIO + w[i].off, t->run->mmio.addr);
		EXPECT_EQ(w[i].width, t->run->mmio.width);
		EXPECT_EQ(w[i].data, t->run->mmio.data);
	}
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, VCPU_GUEST_ADDR(guest_el1_mmio_write_start,
				     guest_el1_mmio_write_hlt) + 4);
}

TEST_F(el2, mmio_read_extensions_ldrsb)
{
	struct vcpu_test *t = &self->t;
	static const struct {
		uint64_t off, data, expect;
		uint8_t width, reg, reg_width, sext;
	} r[] = {
		{ 0x00, 0x80, 0xffffffffffffff80ULL, 1, 3, 8, 1 }, /* LDRSB x3 */
		{ 0x10, 0xff, 0xff, 1, 4, 4, 0 },		   /* LDRB w4 */
		{ 0x20, 0x8001, 0xffff8001, 2, 5, 4, 1 },	   /* LDRSH w5 */
		{ 0x30, 0xdeadbeef, 0xdeadbeef, 4, 6, 4, 0 },	   /* LDR w6 */
		{ 0x40, 0x80000000, 0xffffffff80000000ULL, 4, 7, 8, 1 },
		{ 0x50, 0x0123456789abcdefULL, 0x0123456789abcdefULL, 8, 8, 8, 0 },
		{ 0x60, 0x1234, 0, 8, 31, 8, 0 },		   /* LDR xzr */
	};
	struct vcpu_regs regs;
	unsigned int i;

	prepare(_metadata, t, guest_el1_mmio_read_start,
		guest_el1_mmio_read_end, 0);
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_READ);
		EXPECT_EQ(MMIO + r[i].off, t->run->mmio.addr);
		EXPECT_EQ(r[i].width, t->run->mmio.width);
		EXPECT_EQ(r[i].reg, t->run->mmio.reg);
		EXPECT_EQ(r[i].reg_width, t->run->mmio.reg_width);
		EXPECT_EQ(r[i].sext, t->run->mmio.sign_extend);
		t->run->mmio.data = r[i].data;
	}
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	for (i = 0; i < sizeof(r) / sizeof(r[0]) - 1; i++)
		EXPECT_EQ(r[i].expect, regs.gpr[r[i].reg]);
	ASSERT_PC(t, VCPU_GUEST_ADDR(guest_el1_mmio_read_start,
				     guest_el1_mmio_read_hlt) + 4);
}

/* LDP has no valid syndrome: NESTED_PAGE_FAULT, the guest stays put. */
TEST_F(el2, mmio_ldp_is_nested_page_fault)
{
	struct vcpu_test *t = &self->t;
	uint64_t insn = VCPU_GUEST_ADDR(guest_el1_mmio_ldp_start,
					guest_el1_mmio_ldp_insn);

	prepare(_metadata, t, guest_el1_mmio_ldp_start,
		guest_el1_mmio_ldp_end, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_NESTED_PAGE_FAULT);
	EXPECT_EQ(MMIO + 0x80, t->run->npf.gpa);
	EXPECT_EQ(MMIO + 0x80, t->run->npf.gva);
	EXPECT_EQ(VCPU_NPF_READ, t->run->npf.access);
	EXPECT_EQ(EC_DABT_LOW, ESR_EC(t->run->npf.hw_info));
	EXPECT_EQ(0, t->run->npf.hw_info & ESR_ISV);
	ASSERT_PC(t, insn);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_NESTED_PAGE_FAULT);
	ASSERT_PC(t, insn);
}

/* A store to a read-only region: NESTED_PAGE_FAULT (write, present). */
TEST_F(el2, readonly_store_is_nested_page_fault)
{
	struct vcpu_test *t = &self->t;
	uint8_t *ro = vcpu_alloc_mem(0x1000);

	ASSERT_NE(NULL, ro);
	prepare(_metadata, t, guest_el1_ro_store_start, guest_el1_ro_store_end,
		0);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, VCPU_MEM_READONLY, 0x200000,
				  0x1000, ro));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_NESTED_PAGE_FAULT);
	EXPECT_EQ(0x200010, t->run->npf.gpa);
	EXPECT_EQ(VCPU_NPF_WRITE | VCPU_NPF_PRESENT, t->run->npf.access);
	EXPECT_EQ(EC_DABT_LOW, ESR_EC(t->run->npf.hw_info));
	ASSERT_PC(t, VCPU_GUEST_ADDR(guest_el1_ro_store_start,
				     guest_el1_ro_store_insn));
	EXPECT_EQ(0, ro[0x10]);
	vcpu_free_mem(ro, 0x1000);
}

TEST_F(el2, psci_all_calls)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_psci_start, guest_el1_psci_end, 0);
	expect_hypercall_nr(_metadata, t, 0x10000);	/* PSCI 1.0 */
	expect_hypercall_nr(_metadata, t, 0x100);	/* FEATURES: 0 */
	expect_hypercall_nr(_metadata, t, 0x302);	/* MIGRATE_INFO_TYPE: 2 */
	expect_hypercall_nr(_metadata, t, 0x400);	/* AFFINITY_INFO: ON */

	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_UP);
	EXPECT_EQ(0x0000000100000203ULL, t->run->cpu_up.target_cpu);
	EXPECT_EQ(0x1000, t->run->cpu_up.entry_point);
	EXPECT_EQ(0xabcdef0123ULL, t->run->cpu_up.arg);
	expect_hypercall_nr(_metadata, t, 0x200);	/* CPU_ON returned 0 */

	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_UP);		/* 32-bit, by SMC */
	EXPECT_EQ(1, t->run->cpu_up.target_cpu);
	EXPECT_EQ(0x2000, t->run->cpu_up.entry_point);
	EXPECT_EQ(0x42, t->run->cpu_up.arg);

	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_DOWN);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSTEM_DOWN);
	EXPECT_EQ(VCPU_SYSTEM_DOWN_RESET, t->run->system_down.type);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSTEM_DOWN);
	EXPECT_EQ(VCPU_SYSTEM_DOWN_OFF, t->run->system_down.type);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
}

TEST_F(el2, sgi1r_send_ipi)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_sgi_start, guest_el1_sgi_end, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SEND_IPI);
	EXPECT_EQ(3, t->run->send_ipi.vector);
	EXPECT_EQ(1, t->run->send_ipi.send_to_all);
	EXPECT_EQ(0, t->run->send_ipi.send_to_self);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SEND_IPI);
	EXPECT_EQ(5, t->run->send_ipi.vector);
	EXPECT_EQ(0, t->run->send_ipi.send_to_all);
	/* Aff3 1, Aff2 2, Aff1 3, RS 1 -> Aff0 base 16 */
	EXPECT_EQ((1ULL << 32) | (2 << 16) | (3 << 8) | 16,
		  t->run->send_ipi.target_cpu);
	EXPECT_EQ(0x5, t->run->send_ipi.target_cpu_aux);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(el2, trapped_sysreg_read_write)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_sysreg_start, guest_el1_sysreg_end, 0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_READ);
	EXPECT_EQ(ISS_ACTLR_EL1, t->run->sysreg.addr);
	EXPECT_EQ(5, t->run->sysreg.reg);
	t->run->sysreg.value = 0xfeed;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_WRITE);
	EXPECT_EQ(ISS_ACTLR_EL1, t->run->sysreg.addr);
	EXPECT_EQ(6, t->run->sysreg.reg);
	EXPECT_EQ(0x5a, t->run->sysreg.value);
	/*
	 * The completion is in x5 already (an intermittent failure in
	 * arm64-vhe-6.12 saw the HVC's x0 = x5 = 1: which step lost it?).
	 */
	if (reg(_metadata, t, 5) != 0xfeed) {
		struct vcpu_state_info info;
		struct vcpu_regs regs;

		ASSERT_OK(vcpu_get_state(t->fd, &info));
		ASSERT_OK(vcpu_get_regs(t->fd, &regs));
		TH_LOG("x5 = %#llx after the SYSREG_WRITE exit (pc %#llx, exits %llu, last %u)",
		       (unsigned long long)regs.gpr[5], (unsigned long long)regs.pc,
		       (unsigned long long)info.exits, info.last_exit_reason);
	}
	expect_hypercall_nr(_metadata, t, 0xfeed);
}

/* An illegal PSTATE (EL2h) is refused: FAIL_ENTRY, vCPU Invalid. */
TEST_F(el2, illegal_pstate_fail_entry)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_state_info info;
	struct vcpu_regs regs;

	prepare(_metadata, t, guest_el1_hlt_start, guest_el1_hlt_end, 0);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	regs.flags = 0x3c9;	/* EL2h */
	ASSERT_OK(vcpu_set_regs(t->fd, &regs));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_FAIL_ENTRY);
	EXPECT_EQ(0x3c9, t->run->fail_entry.hardware_entry_failure_reason);
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	EXPECT_EQ(EIO, info.fail_errno);
	ASSERT_ERRNO(EIO, vcpu_run(t->fd));
}

TEST_F(el2, immediate_exit_intr)
{
	struct vcpu_test *t = &self->t;

	prepare(_metadata, t, guest_el1_hlt_start, guest_el1_hlt_end, 0);
	t->run->immediate_exit = 1;
	ASSERT_ERRNO(EINTR, vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_INTR, t->run->exit_reason);
	t->run->immediate_exit = 0;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/* A signal kicks a spinning guest out (INTR); RUN again resumes it. */
TEST_F_TIMEOUT(el2, signal_interrupts_and_resumes, 120)
{
	struct vcpu_test *t = &self->t;
	volatile uint32_t *count, *flag;
	struct vcpu_runner r;

	ASSERT_OK(vcpu_install_kick_handler(SIGUSR1));
	prepare(_metadata, t, guest_el1_spin_start, guest_el1_spin_end, 0);
	count = (volatile uint32_t *)(t->mem + VCPU_TEST_DATA_GPA);
	flag = (volatile uint32_t *)(t->mem + VCPU_TEST_DATA_GPA + 4);
	ASSERT_OK(vcpu_unpin_self());

	memset(&r, 0, sizeof(r));
	r.fd = t->fd;
	r.cpu = t->cpu;
	ASSERT_OK(vcpu_runner_start(&r));
	ASSERT_OK(vcpu_wait_nonzero(count, NULL, 60000));
	ASSERT_EQ(0, vcpu_runner_done(&r));
	ASSERT_EQ(0, pthread_kill(r.thread, SIGUSR1));
	ASSERT_OK(vcpu_runner_wait(&r, 30000));
	ASSERT_OK(vcpu_runner_join(&r));
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EINTR, r.err);
	ASSERT_EQ(VCPU_EXIT_INTR, t->run->exit_reason);

	*flag = 0x1234;
	ASSERT_OK(vcpu_pin_self(t->cpu));
	expect_hypercall_nr(_metadata, t, 0x1234);
}

/* Host interrupts while the guest spins: EXTERNAL_INTERRUPT with an INTID. */
TEST_F_TIMEOUT(el2, external_interrupt_intid, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_setup s = {
		.mode = MODE, .flags = VCPU_SETUP_F_EXIT_ON_EXTINT,
		.entry = VCPU_TEST_CODE_GPA, .stack = VCPU_TEST_STACK_GPA,
	};
	int cpu = vcpu_current_cpu();

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_el1_spin_start, guest_el1_spin_end);
	ASSERT_OK(ioctl(t->fd, VCPU_SETUP, &s));
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(t->fd, cpu));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_EXTERNAL_INTERRUPT);
	TH_LOG("host INTID %u", t->run->external_interrupt.vector);
	/* SGIs 0..15, PPIs 16..31 (the timer), SPIs 32..1019 */
	ASSERT_GT(1020, t->run->external_interrupt.vector);
}

TEST_HARNESS_MAIN
