// SPDX-License-Identifier: GPL-2.0
/*
 * Guest chaos: programs of random bytes in every guest mode of the
 * architecture (x86: 16-bit real, 32-bit protected, 64-bit long mode;
 * arm64: EL1), with random stack pointers (0 included: the stack then
 * overflows below guest-physical 0) and random answers to every exit that
 * takes one.  Whatever the guest does, the host sees exits (INTERNAL_ERROR
 * and NESTED_PAGE_FAULT included: the VMM decides), EINTR (a timer ends
 * runs that loop) or, once a FAIL_ENTRY or SHUTDOWN made the vCPU
 * Invalid, EIO; never another errno, never a host crash (the lane harness
 * checks the console).
 *
 * VCPU_CHAOS_PROGRAMS (default 100 per mode) and VCPU_CHAOS_SEED change
 * the run; the seed is printed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "guest.h"

#define CHAOS_RUNS	24	/* RUN calls per program at most */
#define CHAOS_INTRS	3	/* stop a program after this many EINTR */

static uint64_t chaos_state;

static uint64_t chaos_rand(void)
{
	chaos_state ^= chaos_state << 13;
	chaos_state ^= chaos_state >> 7;
	chaos_state ^= chaos_state << 17;
	return chaos_state;
}

static long chaos_env(const char *name, long def)
{
	const char *s = getenv(name);

	return s ? strtol(s, NULL, 0) : def;
}

/* Random bytes over the code and data pages, page tables left intact. */
static void chaos_fill(uint8_t *mem)
{
	size_t i;

	for (i = VCPU_TEST_CODE_GPA; i < VCPU_TEST_STACK_GPA; i += 8) {
		uint64_t v = chaos_rand();

		memcpy(mem + i, &v, 8);
	}
}

/* Any value for the pending exit's completion, written to the page. */
static void chaos_answer(struct vcpu_run *run)
{
	uint64_t v = chaos_rand();

	switch (run->exit_reason) {
	case VCPU_EXIT_MMIO_READ:
		run->mmio.data = v;
		break;
	case VCPU_EXIT_IO_READ:
		run->io.data = v;
		break;
	case VCPU_EXIT_SYSREG_READ:
		run->sysreg.value = v;
		break;
	case VCPU_EXIT_HYPERCALL:
		run->hypercall.ret = v;
		break;
	}
}

struct chaos_tally {
	unsigned long programs, runs, intr, invalid;
	unsigned long exits[VCPU_EXIT_NR];
};

/* One program: a fresh vCPU in @mode, random code, up to CHAOS_RUNS runs. */
static void chaos_program(struct __test_metadata *_metadata,
			  struct vcpu_test *t, uint32_t mode,
			  struct chaos_tally *tally)
{
	struct itimerval it = { .it_value = { 0, 10000 } }, off = { 0 };
	uint64_t stack = chaos_rand() % 4 ? VCPU_TEST_STACK_GPA : 0;
	int i, intrs = 0, ret;

	t->fd = vcpu_create_vcpu(t->vm_fd, 0);
	ASSERT_LE(0, t->fd);
	t->run = vcpu_map_run(t->sys_fd, t->fd, &t->run_size);
	ASSERT_NE(NULL, t->run);
	chaos_fill(t->mem);
	guest_chaos_prepare(t->mem);
	ASSERT_OK(vcpu_setup(t->fd, mode, VCPU_TEST_CODE_GPA, stack,
			     vcpu_test_page_table(t, mode), chaos_rand()));
	ASSERT_OK(vcpu_bind(t->fd, t->cpu));
	tally->programs++;
	for (i = 0; i < CHAOS_RUNS && intrs < CHAOS_INTRS; i++) {
		setitimer(ITIMER_REAL, &it, NULL);
		ret = vcpu_run(t->fd);
		setitimer(ITIMER_REAL, &off, NULL);
		tally->runs++;
		if (ret && errno == EINTR) {
			intrs++;
			tally->intr++;
			continue;
		}
		if (ret)
			TH_LOG("mode %u run %d: %s", mode, i, vcpu_errno_name(errno));
		ASSERT_EQ(0, ret);
		ASSERT_GT(VCPU_EXIT_NR, t->run->exit_reason);
		tally->exits[t->run->exit_reason]++;
		if (vcpu_state(t->fd) == VCPU_STATE_INVALID) {
			tally->invalid++;
			/* Invalid is terminal: only EIO from now on. */
			ASSERT_ERRNO(EIO, vcpu_run(t->fd));
			break;
		}
		ASSERT_STATE(t->fd, VCPU_STATE_READY);
		chaos_answer(t->run);
	}
	munmap(t->run, t->run_size);
	t->run = NULL;
	ASSERT_EQ(0, close(t->fd));
	t->fd = -1;
}

static const uint32_t chaos_modes[] = {
#ifdef GUEST_ARCH_X86
	VCPU_MODE_X86_REAL, VCPU_MODE_X86_PROT32, VCPU_MODE_X86_LONG64,
#else
	VCPU_MODE_ARM64_EL1,
#endif
};

FIXTURE(chaos) {
	struct vcpu_test t;
};

FIXTURE_SETUP(chaos)
{
	VCPU_REQUIRE_DEV();
	ASSERT_OK(vcpu_install_kick_handler(SIGALRM));
	ASSERT_OK(vcpu_test_init(&self->t, VCPU_TEST_MEM_SIZE));
	/* The fixture's own vCPU is not used: each program makes its own. */
	munmap(self->t.run, self->t.run_size);
	self->t.run = NULL;
	close(self->t.fd);
	self->t.fd = -1;
	self->t.cpu = vcpu_current_cpu();
	ASSERT_OK(vcpu_pin_self(self->t.cpu));
	chaos_state = (uint64_t)chaos_env("VCPU_CHAOS_SEED", 0xc4a05) | 1;
}

FIXTURE_TEARDOWN(chaos)
{
	vcpu_test_fini(&self->t);
}

TEST_F_TIMEOUT(chaos, random_code_every_mode, 600)
{
	long n = chaos_env("VCPU_CHAOS_PROGRAMS", 100);
	struct chaos_tally tally = { 0 };
	unsigned int m, k;
	long p;

	TH_LOG("seed %#lx, %ld programs per mode",
	       chaos_env("VCPU_CHAOS_SEED", 0xc4a05), n);
	for (m = 0; m < sizeof(chaos_modes) / sizeof(chaos_modes[0]); m++) {
		for (p = 0; p < n; p++) {
			chaos_program(_metadata, &self->t, chaos_modes[m], &tally);
			if (!_metadata->passed)
				return;
		}
	}
	TH_LOG("%lu programs, %lu runs, %lu EINTR, %lu ended Invalid",
	       tally.programs, tally.runs, tally.intr, tally.invalid);
	for (k = 0; k < VCPU_EXIT_NR; k++)
		if (tally.exits[k])
			TH_LOG("  %-20s %lu", vcpu_exit_name(k), tally.exits[k]);
	/* The device is unharmed: a well-formed guest still runs. */
	self->t.fd = vcpu_create_vcpu(self->t.vm_fd, 1);
	ASSERT_LE(0, self->t.fd);
	self->t.run = vcpu_map_run(self->t.sys_fd, self->t.fd, &self->t.run_size);
	ASSERT_NE(NULL, self->t.run);
	vcpu_test_load(&self->t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(&self->t, GUEST_MODE, 0, self->t.cpu));
	ASSERT_RUN_EXIT(&self->t, VCPU_EXIT_HALT);
}

/*
 * Registers a VMM may set, for random_entry_states: x86 control and
 * segment state; arm64 EL1 system registers (PSTATE goes through
 * SET_REGS).
 */
static const uint64_t chaos_reg_ids[] = {
#ifdef GUEST_ARCH_X86
	VCPU_REG_X86_CR0, VCPU_REG_X86_CR3, VCPU_REG_X86_CR4, VCPU_REG_X86_EFER,
	VCPU_REG_X86_GDTR_LIMIT, VCPU_REG_X86_IDTR_LIMIT,
	VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_ATTRIB),
	VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_SELECTOR),
	VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_LIMIT),
	VCPU_REG_X86_SEG(VCPU_SEG_SS, VCPU_SEG_ATTRIB),
	VCPU_REG_X86_SEG(VCPU_SEG_SS, VCPU_SEG_SELECTOR),
	VCPU_REG_X86_SEG(VCPU_SEG_DS, VCPU_SEG_ATTRIB),
	VCPU_REG_X86_SEG(VCPU_SEG_TR, VCPU_SEG_ATTRIB),
	VCPU_REG_X86_SEG(VCPU_SEG_TR, VCPU_SEG_LIMIT),
	VCPU_REG_X86_SEG(VCPU_SEG_LDTR, VCPU_SEG_ATTRIB),
#else
	VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 0),	/* SCTLR_EL1 */
	VCPU_REG_ARM64_SYSREG(3, 0, 2, 0, 2),	/* TCR_EL1 */
	VCPU_REG_ARM64_SYSREG(3, 0, 12, 0, 0),	/* VBAR_EL1 */
	VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 2),	/* CPACR_EL1 */
	VCPU_REG_ARM64_SYSREG(3, 0, 4, 0, 0),	/* SPSR_EL1 */
#endif
};

/*
 * Lane quirk "svm-lme-without-pg-hangs" (x86-svm, QEMU 7.2 TCG): a guest
 * entered with EFER.LME=1 and CR0.PG=0 (legal: the step before paging
 * turns long mode on) hangs the emulated CPU for good, under Debian's KVM
 * just the same (checked with KVM_SET_SREGS in that lane).  There the
 * test clears LME again in that one combination.
 */
static void chaos_lane_quirks(struct __test_metadata *_metadata,
			      struct vcpu_test *t)
{
#ifdef GUEST_ARCH_X86
	const char *quirks = getenv("VCPU_LANE_QUIRKS");
	uint64_t efer, cr0;

	if (!quirks || !strstr(quirks, "svm-lme-without-pg-hangs"))
		return;
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_EFER, &efer));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_CR0, &cr0));
	if ((efer & X86_EFER_LME) && !(cr0 & X86_CR0_PG))
		ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_EFER,
					   efer & ~X86_EFER_LME));
#else
	(void)_metadata;
	(void)t;
#endif
}

/* A neighbour of @v: one or two bits flipped, or anything at all. */
static uint64_t chaos_mutate(uint64_t v)
{
	switch (chaos_rand() % 4) {
	case 0:
		return chaos_rand();
	case 1:
		v ^= 1ULL << (chaos_rand() % 64);
		/* fall through */
	default:
		return v ^ (1ULL << (chaos_rand() % 64));
	}
}

/*
 * Random guest states set through SET_ONE_REG and SET_REGS (control
 * registers, EFER, segments; PSTATE and EL1 system registers): each is
 * refused at once (EINVAL), or the entry fails (FAIL_ENTRY: the vCPU is
 * Invalid and says why), or the guest runs into whatever exit follows.
 */
TEST_F_TIMEOUT(chaos, random_entry_states, 600)
{
	long n = chaos_env("VCPU_CHAOS_PROGRAMS", 100) * 2, p;
	struct itimerval it = { .it_value = { 0, 10000 } }, off = { 0 };
	unsigned long refused = 0, failed = 0, invalid = 0, ran = 0;
	struct vcpu_test *t = &self->t;

	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	for (p = 0; p < n; p++) {
		struct vcpu_state_info info;
		struct vcpu_regs regs;
		int k, ret;

		t->fd = vcpu_create_vcpu(t->vm_fd, 0);
		ASSERT_LE(0, t->fd);
		t->run = vcpu_map_run(t->sys_fd, t->fd, &t->run_size);
		ASSERT_NE(NULL, t->run);
		ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, t->cpu));
		for (k = 0; k < 1 + (int)(chaos_rand() % 3); k++) {
			uint64_t id = chaos_reg_ids[chaos_rand() %
				(sizeof(chaos_reg_ids) / sizeof(chaos_reg_ids[0]))];
			uint64_t v;

			ASSERT_OK(vcpu_get_one_reg(t->fd, id, &v));
			ret = vcpu_set_one_reg(t->fd, id, chaos_mutate(v));
			if (ret) {
				ASSERT_EQ(EINVAL, errno);
				refused++;
			}
		}
		if (chaos_rand() % 2) {
			ASSERT_OK(vcpu_get_regs(t->fd, &regs));
			regs.flags = chaos_mutate(regs.flags);
			if (vcpu_set_regs(t->fd, &regs)) {
				ASSERT_EQ(EINVAL, errno);
				refused++;
			}
		}
		chaos_lane_quirks(_metadata, t);
		setitimer(ITIMER_REAL, &it, NULL);
		ret = vcpu_run(t->fd);
		setitimer(ITIMER_REAL, &off, NULL);
		ASSERT_TRUE(!ret || errno == EINTR);
		ASSERT_OK(vcpu_get_state(t->fd, &info));
		if (info.state == VCPU_STATE_INVALID) {
			invalid++;
			if (!ret && t->run->exit_reason == VCPU_EXIT_FAIL_ENTRY)
				failed++;
			/* It says why, in a NUL-terminated reason. */
			ASSERT_GT(strnlen(info.fail_reason, VCPU_FAIL_REASON_LEN), 0);
			ASSERT_LT(strnlen(info.fail_reason, VCPU_FAIL_REASON_LEN),
				  VCPU_FAIL_REASON_LEN);
			ASSERT_EQ(_IOC_NR(VCPU_RUN), info.fail_op);
		} else {
			ASSERT_EQ(VCPU_STATE_READY, info.state);
			ran++;
		}
		munmap(t->run, t->run_size);
		t->run = NULL;
		ASSERT_EQ(0, close(t->fd));
		t->fd = -1;
	}
	TH_LOG("%ld states: %lu writes refused (EINVAL), %lu FAIL_ENTRY, %lu Invalid in all, %lu ran",
	       n, refused, failed, invalid, ran);
}

/*
 * A guest never observes host memory.  The host first fills 64 MiB with a
 * canary and frees it, then gives the guest a fresh 4 MiB region (likely
 * made of those very pages, which the kernel must hand over zeroed).  The
 * guest counts canary words in that region, then reads one word in every
 * 2 MiB of guest-physical space above it up to 4 GiB: each of those 2,044
 * reads must exit as MMIO_READ at exactly its address (the host answers
 * 0), and the guest must count exactly the one canary the host planted in
 * the region (which shows that the scan sees what is there).
 */
#define CHAOS_CANARY		0x5ca1ab1eU
#define CHAOS_SCAN_GPA		0x400000ULL
#define CHAOS_SCAN_SIZE		0x400000ULL
#define CHAOS_SCAN_STEP		0x200000ULL

TEST_F_TIMEOUT(chaos, canary_scan_every_gpa_range, 300)
{
	struct vcpu_test *t = &self->t;
	uint64_t expect = CHAOS_SCAN_GPA + CHAOS_SCAN_SIZE;
	size_t big = 64 << 20, i;
	unsigned long exits = 0;
	uint32_t *p;
	uint8_t *region;

	p = vcpu_alloc_mem(big);
	ASSERT_NE(NULL, p);
	for (i = 0; i < big / 4; i++)
		p[i] = CHAOS_CANARY;
	vcpu_free_mem(p, big);
	region = vcpu_alloc_mem(CHAOS_SCAN_SIZE);
	ASSERT_NE(NULL, region);
	/* One canary planted on purpose: the scan must see that one only. */
	((uint32_t *)region)[0x1234] = CHAOS_CANARY;
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, 0, CHAOS_SCAN_GPA,
				  CHAOS_SCAN_SIZE, region));

	t->fd = vcpu_create_vcpu(t->vm_fd, 0);
	ASSERT_LE(0, t->fd);
	t->run = vcpu_map_run(t->sys_fd, t->fd, &t->run_size);
	ASSERT_NE(NULL, t->run);
	vcpu_test_load(t, guest_scan_start, guest_scan_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, t->cpu));
	for (;;) {
		ASSERT_OK(vcpu_run(t->fd));
		if (t->run->exit_reason != VCPU_EXIT_MMIO_READ)
			break;
		if (t->run->mmio.addr != expect)
			TH_LOG("MMIO read at %#llx, expected %#llx",
			       (unsigned long long)t->run->mmio.addr,
			       (unsigned long long)expect);
		ASSERT_EQ(expect, t->run->mmio.addr);
		ASSERT_EQ(4, t->run->mmio.width);
		t->run->mmio.data = 0;
		expect += CHAOS_SCAN_STEP;
		exits++;
	}
	ASSERT_EQ(0x100000000ULL, expect);	/* every range up to 4 GiB */
	ASSERT_EQ(GUEST_REPORT_EXIT, t->run->exit_reason);
	TH_LOG("%lu MMIO exits over the unbacked ranges; canary words seen: %llu (1 planted)",
	       exits, (unsigned long long)GUEST_REPORT_VALUE(t->run));
	ASSERT_EQ(1, GUEST_REPORT_VALUE(t->run));
	vcpu_free_mem(region, CHAOS_SCAN_SIZE);
}

TEST_HARNESS_MAIN
