// SPDX-License-Identifier: GPL-2.0
/*
 * x86 system exits: which MSRs pass through, exit to the VMM or are
 * handled in the kernel (arch/x86/msr.c); x2APIC ICR writes as SEND_IPI
 * and INIT-SIPI as CPU_UP (with a second vCPU started where the guest
 * asked); CLI;HLT as CPU_DOWN; the reset and power-off ports as
 * SYSTEM_DOWN; the single-step trap of an instruction the kernel completes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"

VCPU_GUEST_SNIPPET(guest64_sys);
VCPU_GUEST_SNIPPET(guest64_cli_hlt);
VCPU_GUEST_SNIPPET(guest64_start_ap);
VCPU_GUEST_SNIPPET(guest16_ap);
VCPU_GUEST_SNIPPET(guest16_single_step);
VCPU_GUEST_SNIPPET(guest64_kept_msrs);
VCPU_GUEST_SNIPPET(guest64_syscall);

#define MSR_LSTAR	0xc0000082
#define MSR_ICR		0x830

FIXTURE(sys) {
	struct vcpu_test t;
};

FIXTURE_SETUP(sys)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(sys)
{
	vcpu_test_fini(&self->t);
}

static void start64(struct __test_metadata *_metadata, struct vcpu_test *t,
		    const uint8_t *s, const uint8_t *e)
{
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, s, e);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_LONG64, 0,
				  VCPU_CPU_CURRENT));
}

#define ASSERT_IPI(t, target, aux, self_, all) do {			\
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SEND_IPI);				\
	ASSERT_EQ((uint64_t)(target), (t)->run->send_ipi.target_cpu);	\
	ASSERT_EQ((uint64_t)(aux), (t)->run->send_ipi.target_cpu_aux);	\
	ASSERT_EQ((uint32_t)((aux) & 0xff), (t)->run->send_ipi.vector);	\
	ASSERT_EQ(self_, (t)->run->send_ipi.send_to_self);		\
	ASSERT_EQ(all, (t)->run->send_ipi.send_to_all);		\
} while (0)

#define ASSERT_SYSTEM_DOWN(t, ty) do {					\
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSTEM_DOWN);			\
	ASSERT_EQ((uint32_t)(ty), (t)->run->system_down.type);		\
} while (0)

#define ASSERT_PORT_WRITE(t, p, w, d) do {				\
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);				\
	ASSERT_EQ((uint16_t)(p), (t)->run->io.port);			\
	ASSERT_EQ((uint8_t)(w), (t)->run->io.width);			\
	ASSERT_EQ((uint64_t)(d), (t)->run->io.data);			\
} while (0)

TEST_F_TIMEOUT(sys, msr_ipi_down_conventions, 120)
{
	struct vcpu_test *t = &self->t;

	start64(_metadata, t, guest64_sys_start, guest64_sys_end);

	/* KERNEL_GS_BASE, FS_BASE, SYSENTER_ESP: the guest's own. */
	ASSERT_REPORT(t, 0x11223344);
	ASSERT_REPORT(t, 0x55667788);
	ASSERT_REPORT(t, 0x99aabbcc);
	/*
	 * LSTAR: the guest's, no exit (SVM: VMLOAD/VMSAVE; VMX: switched
	 * around the loaded window), and not the host's afterwards (the
	 * host's SYSCALLs of this very test go on working).
	 */
	ASSERT_REPORT(t, 0x12345678);

	/* An unknown MSR: SYSREG_WRITE with EDX:EAX, SYSREG_READ into it. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_WRITE);
	ASSERT_EQ(VCPU_TEST_MSR, t->run->sysreg.addr);
	ASSERT_EQ(0x11223344aabbccddULL, t->run->sysreg.value);
	ASSERT_EQ(0, t->run->sysreg.reg);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_READ);
	ASSERT_EQ(VCPU_TEST_MSR, t->run->sysreg.addr);
	t->run->sysreg.value = 0x8877665544332211ULL;
	ASSERT_REPORT(t, 0x44332211);
	ASSERT_REPORT(t, 0x88776655);
	/* EFER: LME | LMA, the hypervisor's SVME hidden, no exit. */
	ASSERT_REPORT(t, 0x500);

	/* ICR: target_cpu_aux is the ICR's low 32 bits. */
	ASSERT_IPI(t, 5, 0x00045, 0, 0);
	ASSERT_IPI(t, 0, 0x40046, 1, 0);
	ASSERT_IPI(t, 0, 0x80047, 1, 1);
	ASSERT_IPI(t, 0, 0xc0048, 0, 1);
	ASSERT_IPI(t, 2, 0x00400, 0, 0);
	/* INIT (kept), its de-assert, then SIPI: CPU_UP at vector * 4 KiB. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_UP);
	ASSERT_EQ(3, t->run->cpu_up.target_cpu);
	ASSERT_EQ(0x9a000, t->run->cpu_up.entry_point);
	ASSERT_EQ(0, t->run->cpu_up.arg);
	/* The second SIPI and one without INIT do nothing. */
	ASSERT_REPORT(t, 0x77);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_READ);
	ASSERT_EQ(MSR_ICR, t->run->sysreg.addr);
	t->run->sysreg.value = 0;

	/* CLI; HLT with nothing queued. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_DOWN);
	ASSERT_EQ(0, t->run->cpu_down.state);

	ASSERT_PORT_WRITE(t, 0xcf9, 1, 0x02);
	ASSERT_SYSTEM_DOWN(t, VCPU_SYSTEM_DOWN_RESET);
	ASSERT_PORT_WRITE(t, 0x64, 1, 0xd1);
	ASSERT_SYSTEM_DOWN(t, VCPU_SYSTEM_DOWN_RESET);
	ASSERT_PORT_WRITE(t, 0x604, 2, 0);
	ASSERT_SYSTEM_DOWN(t, VCPU_SYSTEM_DOWN_OFF);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	/* None of these made the vCPU Invalid: it is Ready. */
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
}

/* CLI; HLT is CPU_DOWN only with nothing queued: else a plain HALT. */
TEST_F_TIMEOUT(sys, cli_hlt_with_queued_irq_halts, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_irq irq = { .irq = GUEST_IRQ_A };

	start64(_metadata, t, guest64_cli_hlt_start, guest64_cli_hlt_end);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_DOWN);
	ASSERT_OK(ioctl(t->fd, VCPU_INJECT_IRQ, &irq));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/*
 * The whole wake-up: the guest's INIT-SIPI gives CPU_UP; the VMM creates
 * the vCPU it names and starts it in real mode at the entry point.
 */
TEST_F_TIMEOUT(sys, cpu_up_starts_ap, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_setup s = { .mode = VCPU_MODE_X86_REAL };
	struct vcpu_exit_cpu_up up;
	struct vcpu_run *run;
	size_t run_size;
	int ap;

	start64(_metadata, t, guest64_start_ap_start, guest64_start_ap_end);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_UP);
	ASSERT_EQ(1, t->run->cpu_up.target_cpu);
	ASSERT_EQ(0xa000, t->run->cpu_up.entry_point);
	up = t->run->cpu_up;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);	/* the second SIPI: nothing */

	vcpu_load_code(t->mem, 0, up.entry_point, guest16_ap_start,
		       guest16_ap_end);
	ap = vcpu_create_vcpu(t->vm_fd, up.target_cpu);
	ASSERT_GE(ap, 0);
	run = vcpu_map_run(t->sys_fd, ap, &run_size);
	ASSERT_NE(NULL, run);
	s.entry = up.entry_point;
	s.stack = 0x9000;
	ASSERT_OK(ioctl(ap, VCPU_SETUP, &s));
	ASSERT_OK(vcpu_bind(ap, t->cpu));
	ASSERT_OK(vcpu_run(ap));
	ASSERT_EQ(VCPU_EXIT_IO_WRITE, run->exit_reason);
	ASSERT_EQ(0x1234, run->io.data);
	ASSERT_EQ(2, run->io.width);
	ASSERT_OK(vcpu_run(ap));
	ASSERT_EQ(VCPU_EXIT_HALT, run->exit_reason);
	munmap(run, run_size);
	close(ap);
}

/*
 * RFLAGS.TF over an OUT the VMM completes: the guest gets its #DB trap
 * right after the instruction, with DR6.BS set, before the next one
 * (arch/x86/vcpu_x86.h: the skip primitive's single-step semantics).
 */
TEST_F_TIMEOUT(sys, single_step_over_completed_out, 60)
{
	struct vcpu_test *t = &self->t;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest16_single_step_start, guest16_single_step_end);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_REAL, 0, VCPU_CPU_CURRENT));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x80, t->run->io.port);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	TH_LOG("after the OUT: port %#x data %#llx", t->run->io.port,
	       (unsigned long long)t->run->io.data);
	ASSERT_EQ(0x81, t->run->io.port);
	ASSERT_TRUE(t->run->io.data & (1u << 14));	/* DR6.BS */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x82, t->run->io.port);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/*
 * ONE_REG of the MSRs the kernel keeps for the guest: a value the VMM sets
 * is what the guest reads, a value the guest writes is what the VMM gets,
 * values the hardware would refuse are EINVAL, and VCPU_GET_REG_LIST
 * names those of this vendor (vcpu_state_test checks the list itself).
 */
TEST_F_TIMEOUT(sys, kept_msrs_and_reg_list, 60)
{
	struct vcpu_test *t = &self->t;
	const uint64_t eip = 0xffffffff81234567ULL;
	struct vcpu_reg_list *list;
	uint64_t v, n0 = 0, i;
	bool has_eip = false, has_lstar = false;

	start64(_metadata, t, guest64_kept_msrs_start, guest64_kept_msrs_end);
	/* Both vendors keep the SYSCALL MSRs (VMLOAD/VMSAVE, or switched). */
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_MSR(MSR_LSTAR), &v));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_MSR(MSR_LSTAR),
					      0x0000800000000000ULL));

	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_MSR(0x176), eip));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_MSR(0x176),
					      0x0000800000000000ULL));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_MSR(0x277),
					      0x0000000000000002ULL));
	ASSERT_ERRNO(ENOENT,
		     vcpu_set_one_reg(t->fd, VCPU_REG_X86_MSR(0x10), 1));
	ASSERT_PORT_WRITE(t, 0x80, 4, (uint32_t)eip);
	ASSERT_PORT_WRITE(t, 0x80, 4, eip >> 32);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_MSR(0x175), &v));
	ASSERT_EQ(0xffff800089abcdefULL, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_MSR(0x277), &v));
	ASSERT_EQ(0x0007040600070406ULL, v);

	/* The list names the kept MSRs this vendor has. */
	ASSERT_ERRNO(E2BIG, ioctl(t->fd, VCPU_GET_REG_LIST, &n0));
	list = calloc(1, sizeof(*list) + n0 * sizeof(list->reg[0]));
	ASSERT_NE(NULL, list);
	list->n = n0;
	ASSERT_OK(ioctl(t->fd, VCPU_GET_REG_LIST, list));
	for (i = 0; i < list->n; i++) {
		has_eip |= list->reg[i] == VCPU_REG_X86_MSR(0x176);
		has_lstar |= list->reg[i] == VCPU_REG_X86_MSR(MSR_LSTAR);
	}
	free(list);
	ASSERT_TRUE(has_eip);
	ASSERT_TRUE(has_lstar);
}

/*
 * The guest's SYSCALL enters the guest's LSTAR, on both vendors (VMX does
 * not switch the SYSCALL MSRs: the module does, for the loaded window),
 * and the host's own system calls still work afterwards (this process
 * makes them).
 */
TEST_F_TIMEOUT(sys, guest_syscall, 60)
{
	struct vcpu_test *t = &self->t;
	uint64_t v;

	start64(_metadata, t, guest64_syscall_start, guest64_syscall_end);
	ASSERT_REPORT(t, 0x5c);
	ASSERT_REPORT(t, 0x600d);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_MSR(MSR_LSTAR), &v));
	ASSERT_EQ(VCPU_TEST_CODE_GPA, v & ~0xfffULL);
	ASSERT_EQ(getpid(), syscall(SYS_getpid));
}

TEST_HARNESS_MAIN
