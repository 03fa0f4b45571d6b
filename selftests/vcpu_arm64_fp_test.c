// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 FP/SIMD belongs to the guest (V0-V31, FPSR, FPCR):
 *   - a new vCPU's registers, as its guest reads them, are zero whatever
 *     another VM on the same CPU left there (it loaded a pattern, exited
 *     and stays Ready) and whatever the VMM holds in its own registers;
 *   - the guest's registers survive many exits to a VMM that loads its own
 *     pattern into its registers around each RUN, and the VMM's survive
 *     the RUNs;
 *   - they survive preemption by another process on the same CPU that
 *     loads its own pattern and yields, while the guest verifies them in
 *     long loops (and that process's survive the guest);
 *   - ONE_REG: the VMM reads the guest's pattern through V(n, half),
 *     FPSR and FPCR; every REG_LIST id saved and set into a new VM's
 *     vCPU: the guest there continues and finds its registers; bad ids
 *     ENOENT, RES0 bits EINVAL.
 * The VMM's registers are loaded and read back in one asm statement
 * around a raw VCPU_RUN system call, so that no compiled code of the
 * test can touch them in between.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "vcpu_asserts.h"
#include "guest_fp.h"

VCPU_GUEST_SNIPPET(guest_fp);

#define MODE		VCPU_MODE_ARM64_EL1
#define PART_DUMP	1
#define PART_VERIFY	2

#define REPORT_DUMPED	0x1001
#define REPORT_LOADED	0x2000
#define REPORT_ROUND	0x2001
#define REPORT_BAD	0xbad00000ULL

/* Patterns: QC and the cumulative flags; AHP, DN, FZ, RMode (two ways). */
#define GUEST_FPSR	0x0800001fU
#define GUEST_FPCR	0x07800000U
#define VMM_FPSR	0x08000011U
#define VMM_FPCR	0x00400000U

struct fp_image {
	__uint128_t v[32];
	uint32_t fpsr;
	uint32_t fpcr;
} __attribute__((aligned(16)));

_Static_assert(offsetof(struct fp_image, fpcr) + 4 == FP_IMAGE_SIZE,
	       "guest_fp.S image layout");

static void make_image(struct fp_image *img, uint64_t seed, uint32_t fpsr,
		       uint32_t fpcr)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
	int i;

	for (i = 0; i < 32; i++) {
		uint64_t lo, hi;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		lo = x;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		hi = x;
		img->v[i] = ((__uint128_t)hi << 64) | lo;
	}
	img->fpsr = fpsr;
	img->fpcr = fpcr;
}

#define LDP_Q(a, b, off)	"ldp q" #a ", q" #b ", [%[in], #" #off "]\n"
#define STP_Q(a, b, off)	"stp q" #a ", q" #b ", [%[out], #" #off "]\n"
#define FOR_Q_PAIRS(op)							\
	op(0, 1, 0) op(2, 3, 32) op(4, 5, 64) op(6, 7, 96)		\
	op(8, 9, 128) op(10, 11, 160) op(12, 13, 192) op(14, 15, 224)	\
	op(16, 17, 256) op(18, 19, 288) op(20, 21, 320) op(22, 23, 352)	\
	op(24, 25, 384) op(26, 27, 416) op(28, 29, 448) op(30, 31, 480)

#define V_CLOBBERS							\
	"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",	\
	"v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18",	\
	"v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27",	\
	"v28", "v29", "v30", "v31"

/*
 * Load @in into this thread's V0-V31, FPSR and FPCR, make the system
 * call @nr(@a0, @a1, 0), store the registers in @out, and put FPSR and
 * FPCR back as they were.  Returns the system call's result (-errno).
 */
static long syscall_with_fp(long nr, long a0, long a1,
			    const struct fp_image *in, struct fp_image *out)
{
	register long x0 asm("x0") = a0;
	register long x1 asm("x1") = a1;
	register long x2 asm("x2") = 0;
	register long x8 asm("x8") = nr;

	asm volatile(
		"mrs x9, fpsr\n"
		"mrs x10, fpcr\n"
		FOR_Q_PAIRS(LDP_Q)
		"ldr w11, [%[in], #512]\n"
		"msr fpsr, x11\n"
		"ldr w11, [%[in], #516]\n"
		"msr fpcr, x11\n"
		"svc #0\n"
		FOR_Q_PAIRS(STP_Q)
		"mrs x11, fpsr\n"
		"str w11, [%[out], #512]\n"
		"mrs x11, fpcr\n"
		"str w11, [%[out], #516]\n"
		"msr fpsr, x9\n"
		"msr fpcr, x10\n"
		: "+r" (x0)
		: "r" (x1), "r" (x2), "r" (x8), [in] "r" (in), [out] "r" (out)
		: "memory", "cc", "x9", "x10", "x11", V_CLOBBERS);
	return x0;
}

/* VCPU_RUN with the VMM's registers = @in; what they were after: @out. */
static long run_with_fp(int fd, const struct fp_image *in,
			struct fp_image *out)
{
	memset(out, 0, sizeof(*out));
	return syscall_with_fp(__NR_ioctl, fd, VCPU_RUN, in, out);
}

static bool image_eq(const struct fp_image *a, const struct fp_image *b)
{
	return !memcmp(a, b, FP_IMAGE_SIZE);
}

static void log_image_diff(struct __test_metadata *_metadata,
			   const char *what, const struct fp_image *want,
			   const struct fp_image *got)
{
	int i;

	for (i = 0; i < 32; i++)
		if (want->v[i] != got->v[i])
			TH_LOG("%s: V%d %016llx%016llx, expected %016llx%016llx",
			       what, i,
			       (unsigned long long)(got->v[i] >> 64),
			       (unsigned long long)got->v[i],
			       (unsigned long long)(want->v[i] >> 64),
			       (unsigned long long)want->v[i]);
	if (want->fpsr != got->fpsr || want->fpcr != got->fpcr)
		TH_LOG("%s: FPSR %#x FPCR %#x, expected %#x %#x", what,
		       got->fpsr, got->fpcr, want->fpsr, want->fpcr);
}

#define EXPECT_IMAGE(what, want, got) do {				\
	if (!image_eq(want, got))					\
		log_image_diff(_metadata, what, want, got);		\
	EXPECT_TRUE(image_eq(want, got));				\
} while (0)

/* A guest-physical address of region 0, in the VMM. */
static void *gpa(struct vcpu_test *t, uint64_t addr)
{
	return t->mem + addr;
}

/*
 * A VM running guest_fp part @part on @cpu; for the verify part the
 * image it loads is @want and its loops are @count long.
 */
static void prepare(struct __test_metadata *_metadata, struct vcpu_test *t,
		    uint64_t part, const struct fp_image *want, uint64_t count,
		    int cpu)
{
	t->sys_fd = t->vm_fd = t->fd = -1;
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_fp_start, guest_fp_end);
	if (want)
		memcpy(gpa(t, FP_WANT), want, FP_IMAGE_SIZE);
	memcpy(gpa(t, FP_COUNT), &count, sizeof(count));
	ASSERT_OK(vcpu_test_start(t, MODE, part, cpu));
}

/* One RUN with the VMM's @vmm loaded: the guest's report must be @nr. */
static void expect_report(struct __test_metadata *_metadata,
			  struct vcpu_test *t, const struct fp_image *vmm,
			  uint64_t nr)
{
	struct fp_image after;
	long r = run_with_fp(t->fd, vmm, &after);

	if (r || t->run->exit_reason != VCPU_EXIT_HYPERCALL ||
	    t->run->hypercall.nr != nr) {
		TH_LOG("VCPU_RUN %ld, exit %s, report %#llx; expected %#llx",
		       r, vcpu_exit_name(t->run->exit_reason),
		       (unsigned long long)t->run->hypercall.nr,
		       (unsigned long long)nr);
		if ((t->run->hypercall.nr & ~0xffffULL) == REPORT_BAD)
			TH_LOG("the guest found a difference at byte %llu of its image",
			       (unsigned long long)(t->run->hypercall.nr &
						    0xffff) * 8);
	}
	ASSERT_EQ(0, r);
	ASSERT_EQ(VCPU_EXIT_HYPERCALL, t->run->exit_reason);
	ASSERT_EQ(nr, t->run->hypercall.nr);
	EXPECT_IMAGE("VMM registers after VCPU_RUN", vmm, &after);
}

FIXTURE(fp) {
	struct vcpu_test a, b;
};

FIXTURE_SETUP(fp)
{
	VCPU_REQUIRE_DEV();
	self->a.sys_fd = self->a.vm_fd = self->a.fd = -1;
	self->b.sys_fd = self->b.vm_fd = self->b.fd = -1;
}

FIXTURE_TEARDOWN(fp)
{
	vcpu_test_fini(&self->a);
	vcpu_test_fini(&self->b);
}

/*
 * VM A's guest loads a pattern and exits (Ready, its registers its own);
 * VM B's new guest on the same CPU, run while the VMM holds a pattern of
 * its own, reads zeros; then A's guest still finds its pattern.
 */
TEST_F(fp, new_vcpu_reads_zero)
{
	struct fp_image guest, vmm, zero = { 0 };

	make_image(&guest, 1, GUEST_FPSR, GUEST_FPCR);
	make_image(&vmm, 2, VMM_FPSR, VMM_FPCR);
	prepare(_metadata, &self->a, PART_VERIFY, &guest, 1, VCPU_CPU_CURRENT);
	expect_report(_metadata, &self->a, &vmm, REPORT_LOADED);
	expect_report(_metadata, &self->a, &vmm, REPORT_ROUND);
	ASSERT_STATE(self->a.fd, VCPU_STATE_READY);

	prepare(_metadata, &self->b, PART_DUMP, NULL, 0, self->a.cpu);
	memset(gpa(&self->b, FP_DUMP), 0x5a, FP_IMAGE_SIZE);
	expect_report(_metadata, &self->b, &vmm, REPORT_DUMPED);
	EXPECT_IMAGE("new guest's registers", &zero,
		     (struct fp_image *)gpa(&self->b, FP_DUMP));

	expect_report(_metadata, &self->a, &vmm, REPORT_ROUND);
	EXPECT_IMAGE("guest A's registers", &guest,
		     (struct fp_image *)gpa(&self->a, FP_DUMP));
}

/*
 * 300 exits, each RUN with another VMM pattern (FPCR too): the guest
 * checks its registers 10 times per RUN, the VMM its own after each RUN.
 */
TEST_F(fp, survive_exits)
{
	struct vcpu_test *t = &self->a;
	struct fp_image guest, vmm;
	int i;

	make_image(&guest, 3, GUEST_FPSR, GUEST_FPCR);
	prepare(_metadata, t, PART_VERIFY, &guest, 10, VCPU_CPU_CURRENT);
	make_image(&vmm, 4, VMM_FPSR, VMM_FPCR);
	expect_report(_metadata, t, &vmm, REPORT_LOADED);
	for (i = 0; i < 300; i++) {
		make_image(&vmm, 100 + i, VMM_FPSR ^ (i & 0xe),
			   i & 1 ? VMM_FPCR : 0);
		expect_report(_metadata, t, &vmm, REPORT_ROUND);
		EXPECT_IMAGE("guest's registers", &guest,
			     (struct fp_image *)gpa(t, FP_DUMP));
	}
}

/* What the other process on the vCPU's CPU shares with the test. */
struct rival {
	volatile uint64_t rounds;	/* load, yield, check */
	volatile uint64_t bad;		/* checks that failed */
	volatile int stop;
};

/*
 * Pinned to @cpu: load a pattern of its own (through a sched_yield()
 * system call, the asm above), check it came back, until told to stop.
 */
static void rival_loop(struct rival *r, int cpu)
{
	struct fp_image mine, after;
	uint64_t i;

	if (vcpu_pin_self(cpu))
		_exit(2);
	for (i = 0; !r->stop; i++) {
		make_image(&mine, 1000 + (i & 7), VMM_FPSR,
			   i & 1 ? VMM_FPCR : 0);
		syscall_with_fp(__NR_sched_yield, 0, 0, &mine, &after);
		if (!image_eq(&mine, &after))
			r->bad++;
		r->rounds++;
	}
	_exit(0);
}

/*
 * While the guest checks its registers in long loops (2,000 checks per
 * exit, 100 exits), another process pinned to the same CPU loads its own
 * and yields: the kernel switches between them inside VCPU_RUN (the
 * host's timer interrupts are serviced in the kernel) and at the returns
 * to the VMM.  The rival must have run meanwhile and this thread must have
 * been preempted, or the test shows nothing.
 */
TEST_F_TIMEOUT(fp, survive_preemption, 120)
{
	struct vcpu_test *t = &self->a;
	struct fp_image guest, vmm;
	struct rusage ru0, ru1;
	struct rival *r;
	uint64_t rounds0;
	int status, i;
	pid_t pid;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)r);
	make_image(&guest, 5, GUEST_FPSR, GUEST_FPCR);
	make_image(&vmm, 6, VMM_FPSR, VMM_FPCR);
	prepare(_metadata, t, PART_VERIFY, &guest, 2000, VCPU_CPU_CURRENT);
	expect_report(_metadata, t, &vmm, REPORT_LOADED);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		rival_loop(r, t->cpu);
	while (!r->rounds) {
		ASSERT_EQ(0, waitpid(pid, &status, WNOHANG));
		sched_yield();
	}

	rounds0 = r->rounds;
	ASSERT_OK(getrusage(RUSAGE_THREAD, &ru0));
	for (i = 0; i < 100; i++)
		expect_report(_metadata, t, &vmm, REPORT_ROUND);
	ASSERT_OK(getrusage(RUSAGE_THREAD, &ru1));
	r->stop = 1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	TH_LOG("rival rounds during the guest's: %llu, involuntary switches: %ld",
	       (unsigned long long)(r->rounds - rounds0),
	       ru1.ru_nivcsw - ru0.ru_nivcsw);
	EXPECT_EQ(0, r->bad);
	EXPECT_LT(rounds0, r->rounds);
	EXPECT_LT(ru0.ru_nivcsw, ru1.ru_nivcsw);
	EXPECT_IMAGE("guest's registers", &guest,
		     (struct fp_image *)gpa(t, FP_DUMP));
	munmap(r, sizeof(*r));
}

static bool listed(const struct vcpu_reg_list *list, uint64_t id)
{
	uint64_t i;

	for (i = 0; i < list->n; i++)
		if (list->reg[i] == id)
			return true;
	return false;
}

/*
 * The guest's pattern through ONE_REG; every REG_LIST id saved (with the
 * registers and memory) and set into a new VM's vCPU, which then
 * continues the loop and finds its registers; ENOENT and EINVAL.
 */
TEST_F(fp, one_reg_and_restore)
{
	struct vcpu_test *t = &self->a, *u = &self->b;
	struct vcpu_one_regs one = {};
	struct vcpu_reg_list *list;
	struct fp_image guest, vmm;
	struct vcpu_regs regs;
	uint64_t v;
	int n;

	make_image(&guest, 7, GUEST_FPSR, GUEST_FPCR);
	make_image(&vmm, 8, VMM_FPSR, VMM_FPCR);
	prepare(_metadata, t, PART_VERIFY, &guest, 5, VCPU_CPU_CURRENT);

	/* Zero after SETUP. */
	for (n = 0; n < 64; n++) {
		ASSERT_OK(vcpu_get_one_reg(t->fd,
					   VCPU_REG_ARM64_V(n / 2, n & 1), &v));
		EXPECT_EQ(0, v);
	}
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_FPSR, &v));
	EXPECT_EQ(0, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_FPCR, &v));
	EXPECT_EQ(0, v);

	expect_report(_metadata, t, &vmm, REPORT_LOADED);
	expect_report(_metadata, t, &vmm, REPORT_ROUND);
	for (n = 0; n < 32; n++) {
		uint64_t lo, hi;

		ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_V(n, 0), &lo));
		ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_V(n, 1), &hi));
		EXPECT_EQ((uint64_t)guest.v[n], lo);
		EXPECT_EQ((uint64_t)(guest.v[n] >> 64), hi);
	}
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_FPSR, &v));
	EXPECT_EQ(GUEST_FPSR, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_FPCR, &v));
	EXPECT_EQ(GUEST_FPCR, v);

	/* Bad ids and values, and nothing changed by them. */
	ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_V(32, 0),
					      &v));
	ASSERT_ERRNO(ENOENT, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_V(32, 0),
					      0));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_FPSR,
					      GUEST_FPSR | (1 << 5)));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_FPSR,
					      1ULL << 32));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_FPCR,
					      GUEST_FPCR | (1 << 14)));
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_FPCR,
					      1ULL << 32));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_FPSR, &v));
	EXPECT_EQ(GUEST_FPSR, v);
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_ARM64_FPCR, &v));
	EXPECT_EQ(GUEST_FPCR, v);

	/* Save everything. */
	ASSERT_OK(vcpu_one_regs_save(t->fd, &one));
	list = one.list;
	for (n = 0; n < 32; n++) {
		EXPECT_TRUE(listed(list, VCPU_REG_ARM64_V(n, 0)));
		EXPECT_TRUE(listed(list, VCPU_REG_ARM64_V(n, 1)));
	}
	EXPECT_TRUE(listed(list, VCPU_REG_ARM64_FPSR));
	EXPECT_TRUE(listed(list, VCPU_REG_ARM64_FPCR));
	EXPECT_FALSE(listed(list, VCPU_REG_ARM64_V(32, 0)));
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));

	/* Into a new VM, on the same CPU (where A's registers were last). */
	prepare(_metadata, u, PART_DUMP, NULL, 0, t->cpu);
	memcpy(u->mem, t->mem, t->mem_size);
	ASSERT_OK(vcpu_one_regs_restore(u->fd, &one));
	ASSERT_OK(vcpu_set_regs(u->fd, &regs));
	/* A's guest must not be what B finds: change A's. */
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_ARM64_V(0, 0), ~0ULL));
	expect_report(_metadata, t, &vmm, REPORT_BAD | 0);

	memset(gpa(u, FP_DUMP), 0, FP_IMAGE_SIZE);
	expect_report(_metadata, u, &vmm, REPORT_ROUND);
	expect_report(_metadata, u, &vmm, REPORT_ROUND);
	EXPECT_IMAGE("restored guest's registers", &guest,
		     (struct fp_image *)gpa(u, FP_DUMP));
	vcpu_one_regs_free(&one);
}

TEST_HARNESS_MAIN
