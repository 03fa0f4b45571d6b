// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's extended state (arch/x86/fpu.c): a new vCPU starts from the
 * architectural reset state whatever another process or VM left in the
 * CPU's registers; its own x87/SSE/AVX registers survive exits to a VMM
 * that uses them, the preemption of its thread by another AVX user, and a
 * save (VCPU_GET_XSAVE) and restore (VCPU_SET_XSAVE) into a new VM; XSETBV
 * is handled in the kernel as the SDM says (valid values, #GP per invalid
 * class, #UD with CR4.OSXSAVE clear), and the XCR0 ONE_REG follows it.
 *
 * The other process ("filler") loads a pattern into its vector registers
 * and yields, in a loop, pinned to the vCPU's CPU.  The VMM thread runs
 * the guest pinned there too, then pinned to another CPU when there is
 * one: each RUN then moves the thread onto the filler's CPU inside the
 * ioctl, the context switch after which stale registers would show.
 */
#include <cpuid.h>
#include <errno.h>
#include <signal.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

VCPU_GUEST_SNIPPET(guest64_fpu_zero);
VCPU_GUEST_SNIPPET(guest64_fpu_fill);
VCPU_GUEST_SNIPPET(guest64_fpu_own);
VCPU_GUEST_SNIPPET(guest64_fpu_sse);
VCPU_GUEST_SNIPPET(guest64_xsetbv);

/* guest_fpu.S's data page layout and reports */
#define FPU_PATTERN	0x000
#define FPU_SCRATCH	0x200
#define FPU_MXCSR	0x400
#define FPU_FCW		0x404
#define REPORT_OK	1
#define REPORT_BAD	0xbad
#define REPORT_UD	0xe06
#define REPORT_GP	0xe0d
#define REPORT_DONE	0x600d

/* The standard XSAVE layout (SDM Vol. 1, 13.4) */
#define XSAVE_FCW	0
#define XSAVE_MXCSR	24
#define XSAVE_XMM	160
#define XSAVE_BV	512
#define XSAVE_YMM_HI	576

#define XCR0_X87	1
#define XCR0_SSE	2
#define XCR0_AVX	4

/* Not the reset values 0x1f80 and 0x37f: round toward zero, 53 bits. */
#define GUEST_MXCSR	0x7f80
#define GUEST_FCW	0x027f
#define VMM_MXCSR	0x3f80

#define ROUNDS		200

/* CPUID.1:ECX.XSAVE/OSXSAVE/AVX and XCR0: can this host run AVX guests? */
static bool host_has_osxsave(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 27));
}

static bool host_has_avx(void)
{
	unsigned int a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)) ||
	    !(c & (1u << 28)))
		return false;
	asm volatile("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
	return (lo & (XCR0_SSE | XCR0_AVX)) == (XCR0_SSE | XCR0_AVX);
}

/* Where XSAVE component @i ends in the standard layout, by the host's CPUID. */
static unsigned int host_xsave_end(unsigned int i)
{
	unsigned int a, b, c, d;

	__cpuid_count(0xd, i, a, b, c, d);
	return b + a;
}

#define REQUIRE_AVX() do {						\
	if (!host_has_avx())						\
		SKIP(return, "the CPU has no AVX (CPUID.1:ECX.AVX or XCR0.AVX clear): only the SSE tests run"); \
} while (0)

/* 512 bytes, none zero, different for each seed. */
static void fill_pattern(uint8_t *p, uint8_t seed)
{
	int i;

	for (i = 0; i < 512; i++)
		p[i] = (uint8_t)(seed + i * 7) | 1;
}

/* The calling thread's YMM0-15 (XMM0-15) from @p, as a VMM might. */
static void load_ymm(const uint8_t *p)
{
	asm volatile("vmovdqu 0(%0), %%ymm0\n\tvmovdqu 32(%0), %%ymm1\n\t"
		     "vmovdqu 64(%0), %%ymm2\n\tvmovdqu 96(%0), %%ymm3\n\t"
		     "vmovdqu 128(%0), %%ymm4\n\tvmovdqu 160(%0), %%ymm5\n\t"
		     "vmovdqu 192(%0), %%ymm6\n\tvmovdqu 224(%0), %%ymm7\n\t"
		     "vmovdqu 256(%0), %%ymm8\n\tvmovdqu 288(%0), %%ymm9\n\t"
		     "vmovdqu 320(%0), %%ymm10\n\tvmovdqu 352(%0), %%ymm11\n\t"
		     "vmovdqu 384(%0), %%ymm12\n\tvmovdqu 416(%0), %%ymm13\n\t"
		     "vmovdqu 448(%0), %%ymm14\n\tvmovdqu 480(%0), %%ymm15"
		     : : "r" (p)
		     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
		       "xmm13", "xmm14", "xmm15", "memory");
}

static void load_xmm(const uint8_t *p)
{
	asm volatile("movdqu 0(%0), %%xmm0\n\tmovdqu 16(%0), %%xmm1\n\t"
		     "movdqu 32(%0), %%xmm2\n\tmovdqu 48(%0), %%xmm3\n\t"
		     "movdqu 64(%0), %%xmm4\n\tmovdqu 80(%0), %%xmm5\n\t"
		     "movdqu 96(%0), %%xmm6\n\tmovdqu 112(%0), %%xmm7\n\t"
		     "movdqu 128(%0), %%xmm8\n\tmovdqu 144(%0), %%xmm9\n\t"
		     "movdqu 160(%0), %%xmm10\n\tmovdqu 176(%0), %%xmm11\n\t"
		     "movdqu 192(%0), %%xmm12\n\tmovdqu 208(%0), %%xmm13\n\t"
		     "movdqu 224(%0), %%xmm14\n\tmovdqu 240(%0), %%xmm15"
		     : : "r" (p)
		     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
		       "xmm13", "xmm14", "xmm15", "memory");
}

static void set_mxcsr(uint32_t v)
{
	asm volatile("ldmxcsr %0" : : "m" (v));
}

/*
 * The other process: pinned to @cpu, loads its pattern into the vector
 * registers and yields, until killed (also when the test process dies).
 */
static pid_t filler_start(int cpu, bool avx, uint8_t seed)
{
	uint8_t p[512];
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fill_pattern(p, seed);
	if (vcpu_pin_self(cpu))
		_exit(1);
	for (;;) {
		if (avx)
			load_ymm(p);
		else
			load_xmm(p);
		sched_yield();
	}
}

static void filler_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

FIXTURE(fpu) {
	struct vcpu_test t, t2;
	pid_t filler;
	int cpu;		/* the vCPUs' and the filler's */
	int other;		/* another CPU, or cpu */
};

FIXTURE_SETUP(fpu)
{
	int cpus[2], n;

	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
	self->t2.sys_fd = self->t2.vm_fd = self->t2.fd = -1;
	self->filler = -1;
	n = vcpu_online_cpus(cpus, 2);
	ASSERT_GE(n, 1);
	self->other = cpus[0];
	self->cpu = n > 1 ? cpus[1] : cpus[0];
}

FIXTURE_TEARDOWN(fpu)
{
	filler_stop(self->filler);
	vcpu_test_fini(&self->t2);
	vcpu_test_fini(&self->t);
	set_mxcsr(0x1f80);
}

/* A long-mode vCPU running s..e, bound to @cpu; the thread pinned there. */
static void start(struct __test_metadata *_metadata, struct vcpu_test *t,
		  const uint8_t *s, const uint8_t *e, int cpu, uint64_t arg)
{
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, s, e);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_LONG64, arg, cpu));
}

static uint8_t *data(struct vcpu_test *t)
{
	return t->mem + VCPU_TEST_DATA_GPA;
}

/* One RUN: the guest's report must be REPORT_OK; its registers if not. */
static void expect_ok(struct __test_metadata *_metadata, struct vcpu_test *t)
{
	int i;

	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	if (t->run->io.data != REPORT_OK) {
		TH_LOG("guest reported %#llx; its registers as stored:",
		       (unsigned long long)t->run->io.data);
		for (i = 0; i < 16; i++)
			TH_LOG("  ymm%d: %016llx %016llx %016llx %016llx", i,
			       *(unsigned long long *)(data(t) + FPU_SCRATCH + 32 * i),
			       *(unsigned long long *)(data(t) + FPU_SCRATCH + 32 * i + 8),
			       *(unsigned long long *)(data(t) + FPU_SCRATCH + 32 * i + 16),
			       *(unsigned long long *)(data(t) + FPU_SCRATCH + 32 * i + 24));
	}
	ASSERT_EQ(REPORT_OK, t->run->io.data);
}

/*
 * ROUNDS entries with the VMM thread on the vCPU's CPU, the VMM loading
 * @vmm into its own vector registers (and VMM_MXCSR) before each, then as
 * many from the other CPU (each RUN migrates the thread).
 */
static void rounds(struct __test_metadata *_metadata, FIXTURE_DATA(fpu) *self,
		   struct vcpu_test *t, const uint8_t *vmm, bool avx)
{
	int i, pass;

	for (pass = 0; pass < 2; pass++) {
		ASSERT_OK(vcpu_pin_self(pass ? self->other : self->cpu));
		for (i = 0; i < ROUNDS; i++) {
			if (avx)
				load_ymm(vmm);
			else
				load_xmm(vmm);
			set_mxcsr(VMM_MXCSR);
			expect_ok(_metadata, t);
		}
		set_mxcsr(0x1f80);
	}
}

/* A new vCPU's YMM registers are zeros, whatever another process holds. */
TEST_F_TIMEOUT(fpu, new_vcpu_sees_no_other_process_state, 300)
{
	uint8_t vmm[512];

	REQUIRE_AVX();
	self->filler = filler_start(self->cpu, true, 0x11);
	ASSERT_GT(self->filler, 0);
	fill_pattern(vmm, 0x22);
	start(_metadata, &self->t, guest64_fpu_zero_start,
	      guest64_fpu_zero_end, self->cpu, 0);
	rounds(_metadata, self, &self->t, vmm, true);
}

/* Nor what another VM's guest left: VM A fills, VM B reads zeros. */
TEST_F_TIMEOUT(fpu, new_vm_sees_no_other_vm_state, 300)
{
	int i;

	REQUIRE_AVX();
	start(_metadata, &self->t, guest64_fpu_fill_start,
	      guest64_fpu_fill_end, self->cpu, 0);
	fill_pattern(data(&self->t) + FPU_PATTERN, 0x33);
	ASSERT_REPORT(&self->t, REPORT_OK);
	start(_metadata, &self->t2, guest64_fpu_zero_start,
	      guest64_fpu_zero_end, self->cpu, 0);
	for (i = 0; i < ROUNDS; i++) {
		/* A's registers are loaded for its HLT, then B runs. */
		ASSERT_RUN_EXIT(&self->t, VCPU_EXIT_HALT);
		expect_ok(_metadata, &self->t2);
	}
}

/* GET_XSAVE holds what the guest loaded (own/sse guests). */
static void check_xsave(struct __test_metadata *_metadata,
			const struct vcpu_xsave *x, const uint8_t *pattern,
			bool avx)
{
	const uint8_t *r = (const uint8_t *)x->region;
	uint64_t bv;
	int i;

	memcpy(&bv, r + XSAVE_BV, 8);
	ASSERT_EQ(GUEST_FCW, *(const uint16_t *)(r + XSAVE_FCW));
	ASSERT_EQ(GUEST_MXCSR, *(const uint32_t *)(r + XSAVE_MXCSR));
	ASSERT_TRUE(bv & XCR0_SSE);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, memcmp(r + XSAVE_XMM + 16 * i,
				    pattern + (avx ? 32 : 16) * i, 16));
	if (!avx)
		return;
	ASSERT_TRUE(bv & XCR0_AVX);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, memcmp(r + XSAVE_YMM_HI + 16 * i,
				    pattern + 32 * i + 16, 16));
}

static void setup_own(struct vcpu_test *t, uint8_t seed)
{
	fill_pattern(data(t) + FPU_PATTERN, seed);
	*(uint32_t *)(data(t) + FPU_MXCSR) = GUEST_MXCSR;
	*(uint16_t *)(data(t) + FPU_FCW) = GUEST_FCW;
}

/*
 * The guest's own YMM registers, MXCSR and FCW survive exits to a VMM
 * that uses its own, preemption by the filler, and a save and restore
 * into a new VM, where the guest goes on checking them.
 */
TEST_F_TIMEOUT(fpu, guest_state_survives_exits_preemption_restore, 300)
{
	struct vcpu_test *t = &self->t, *t2 = &self->t2;
	struct vcpu_xsave *x = calloc(1, sizeof(*x));
	struct vcpu_regs regs;
	uint8_t vmm[512];
	uint64_t cr4, xcr0;
	int i;

	REQUIRE_AVX();
	ASSERT_NE(NULL, x);
	self->filler = filler_start(self->cpu, true, 0x44);
	ASSERT_GT(self->filler, 0);
	fill_pattern(vmm, 0x55);
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest64_fpu_own_start, guest64_fpu_own_end);
	setup_own(t, 0x66);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_LONG64, 0, self->cpu));
	rounds(_metadata, self, t, vmm, true);

	ASSERT_OK(ioctl(t->fd, VCPU_GET_XSAVE, x));
	check_xsave(_metadata, x, data(t) + FPU_PATTERN, true);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR4, &cr4));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_XCR0, &xcr0));
	ASSERT_EQ(XCR0_X87 | XCR0_SSE | XCR0_AVX, xcr0);

	/* The same memory and registers in a new VM, then the FPU state. */
	ASSERT_OK(vcpu_test_init(t2, VCPU_TEST_MEM_SIZE));
	memcpy(t2->mem, t->mem, VCPU_TEST_MEM_SIZE);
	ASSERT_OK(vcpu_test_setup(t2, VCPU_MODE_X86_LONG64, 0));
	ASSERT_OK(vcpu_set_regs(t2->fd, &regs));
	ASSERT_OK(vcpu_set_one_reg(t2->fd, VCPU_REG_X86_CR4, cr4));
	ASSERT_OK(vcpu_set_one_reg(t2->fd, VCPU_REG_X86_XCR0, xcr0));
	ASSERT_OK(ioctl(t2->fd, VCPU_SET_XSAVE, x));
	ASSERT_OK(vcpu_pin_self(self->cpu));
	ASSERT_OK(vcpu_bind(t2->fd, self->cpu));
	for (i = 0; i < 20; i++) {
		load_ymm(vmm);
		expect_ok(_metadata, t2);
	}
	free(x);
}

/* x87 and SSE alone (no XSAVE needed): XMM0-15, MXCSR, FCW across exits. */
TEST_F_TIMEOUT(fpu, sse_state_survives_exits, 300)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_xsave *x = calloc(1, sizeof(*x));
	uint8_t vmm[512];

	ASSERT_NE(NULL, x);
	self->filler = filler_start(self->cpu, false, 0x77);
	ASSERT_GT(self->filler, 0);
	fill_pattern(vmm, 0x88);
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest64_fpu_sse_start, guest64_fpu_sse_end);
	setup_own(t, 0x99);
	ASSERT_OK(vcpu_test_start(t, VCPU_MODE_X86_LONG64, 0, self->cpu));
	rounds(_metadata, self, t, vmm, false);
	ASSERT_OK(ioctl(t->fd, VCPU_GET_XSAVE, x));
	check_xsave(_metadata, x, data(t) + FPU_PATTERN, false);
	free(x);
}

/* XSETBV's every class, then the XCR0 ONE_REG. */
TEST_F_TIMEOUT(fpu, xsetbv_and_xcr0_reg, 120)
{
	struct vcpu_test *t = &self->t;
	bool avx = host_has_avx();
	uint64_t xcr0;
	int i;

	if (!host_has_osxsave())
		SKIP(return, "the host does not use XSAVE: CR4.OSXSAVE is refused");
	start(_metadata, t, guest64_xsetbv_start, guest64_xsetbv_end,
	      self->cpu, avx);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_XCR0, &xcr0));
	ASSERT_EQ(XCR0_X87, xcr0);		/* the reset value */

	ASSERT_REPORT(t, REPORT_UD);		/* CR4.OSXSAVE clear */
	ASSERT_REPORT(t, XCR0_X87 | XCR0_SSE);
	/* CPUID.(0xD,0):EBX follows the guest's XCR0 (Linux checks it). */
	ASSERT_REPORT(t, XSAVE_YMM_HI);		/* legacy area + header */
	if (avx) {
		ASSERT_REPORT(t, XCR0_X87 | XCR0_SSE | XCR0_AVX);
		ASSERT_REPORT(t, host_xsave_end(2));
	}
	ASSERT_REPORT(t, XCR0_X87);
	ASSERT_REPORT(t, XCR0_X87 | XCR0_SSE);
	for (i = 0; i < 9; i++) {
		ASSERT_REPORT(t, REPORT_GP);
		ASSERT_REPORT(t, XCR0_X87 | XCR0_SSE);
	}
	ASSERT_REPORT(t, REPORT_DONE);

	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_XCR0, &xcr0));
	ASSERT_EQ(XCR0_X87 | XCR0_SSE, xcr0);
	ASSERT_EQ(-1, vcpu_set_one_reg(t->fd, VCPU_REG_X86_XCR0, 0));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, vcpu_set_one_reg(t->fd, VCPU_REG_X86_XCR0, 5));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, vcpu_set_one_reg(t->fd, VCPU_REG_X86_XCR0,
				       (1ULL << 62) | 3));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_XCR0, XCR0_X87));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_XCR0, &xcr0));
	ASSERT_EQ(XCR0_X87, xcr0);
}

/* SET_XSAVE's checks, and the states GET/SET_XSAVE are allowed in. */
TEST_F_TIMEOUT(fpu, xsave_ioctl_rules, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_xsave *x = calloc(1, sizeof(*x)), *y = calloc(1, sizeof(*y));
	uint8_t *r;
	uint64_t bv;

	ASSERT_NE(NULL, x);
	ASSERT_NE(NULL, y);
	r = (uint8_t *)x->region;
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	/* Created: like GET_REGS, not yet. */
	ASSERT_EQ(-1, ioctl(t->fd, VCPU_GET_XSAVE, x));
	ASSERT_EQ(EBADFD, errno);
	ASSERT_OK(vcpu_test_setup(t, VCPU_MODE_X86_LONG64, 0));
	ASSERT_EQ(-1, ioctl(t->fd, VCPU_GET_XSAVE, NULL));
	ASSERT_EQ(EFAULT, errno);
	/* The reset state: FCW 0x37f, MXCSR 0x1f80, XMM zero. */
	ASSERT_OK(ioctl(t->fd, VCPU_GET_XSAVE, x));
	ASSERT_EQ(0x37f, *(uint16_t *)(r + XSAVE_FCW));
	ASSERT_EQ(0x1f80, *(uint32_t *)(r + XSAVE_MXCSR));
	for (int i = 0; i < 256; i++)
		ASSERT_EQ(0, r[XSAVE_XMM + i]);
	ASSERT_OK(ioctl(t->fd, VCPU_SET_XSAVE, x));

	/* Reserved MXCSR bits; XSTATE_BV bits no vCPU may hold. */
	memcpy(y, x, sizeof(*x));
	*(uint32_t *)((uint8_t *)y->region + XSAVE_MXCSR) = 0x10000 | 0x1f80;
	ASSERT_EQ(-1, ioctl(t->fd, VCPU_SET_XSAVE, y));
	ASSERT_EQ(EINVAL, errno);
	memcpy(y, x, sizeof(*x));
	memcpy(&bv, (uint8_t *)y->region + XSAVE_BV, 8);
	bv |= 1ULL << 62;
	memcpy((uint8_t *)y->region + XSAVE_BV, &bv, 8);
	ASSERT_EQ(-1, ioctl(t->fd, VCPU_SET_XSAVE, y));
	ASSERT_EQ(EINVAL, errno);
	bv &= ~(1ULL << 62);
	bv |= 1ULL << 18;			/* AMX tile data */
	memcpy((uint8_t *)y->region + XSAVE_BV, &bv, 8);
	ASSERT_EQ(-1, ioctl(t->fd, VCPU_SET_XSAVE, y));
	ASSERT_EQ(EINVAL, errno);
	/* Nothing changed. */
	ASSERT_OK(ioctl(t->fd, VCPU_GET_XSAVE, y));
	ASSERT_EQ(0, memcmp(x, y, sizeof(*x)));
	free(x);
	free(y);
}

TEST_HARNESS_MAIN
