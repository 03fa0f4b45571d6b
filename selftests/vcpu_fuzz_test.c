// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded ioctl fuzzer: random commands, sizes and pointers on every
 * kind of fd, and random sequences of valid calls.  The kernel must answer
 * each with a result or an errno and stay healthy; the lane harness fails
 * the run on any Oops, BUG or WARNING.  VCPU_FUZZ_ITERS and VCPU_FUZZ_SEED
 * (environment) change the length and the seed; the seed is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "guest.h"

static unsigned long fuzz_iters(void)
{
	const char *s = getenv("VCPU_FUZZ_ITERS");

	return s ? strtoul(s, NULL, 0) : 20000;
}

static unsigned int fuzz_seed(void)
{
	const char *s = getenv("VCPU_FUZZ_SEED");

	return s ? strtoul(s, NULL, 0) : 0x5eed;
}

/* xorshift: reproducible from the seed, no libc state. */
static uint64_t fuzz_state;

static uint64_t fuzz_rand(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 7;
	fuzz_state ^= fuzz_state << 17;
	return fuzz_state;
}

struct fuzz_ptrs {
	uint8_t *page;		/* a mapped page followed by a PROT_NONE one */
};

/* An argument: small numbers, NULL, kernel, unmapped, straddling, valid. */
static unsigned long fuzz_arg(const struct fuzz_ptrs *p)
{
	switch (fuzz_rand() % 8) {
	case 0:
		return 0;
	case 1:
		return fuzz_rand() % 4096;
	case 2:
		return 0xffff888000000000UL + (fuzz_rand() % 4096);
	case 3:
		return (unsigned long)p->page + 4096 + fuzz_rand() % 4096;
	case 4:
		/* The struct straddles into the PROT_NONE page. */
		return (unsigned long)p->page + 4096 - 1 - fuzz_rand() % 64;
	case 5:
		return -1UL - fuzz_rand() % 4096;
	default:
		memset(p->page, (int)fuzz_rand(), 4096);
		return (unsigned long)p->page + fuzz_rand() % 256;
	}
}

/* A command: one of ours with random size/direction bits, or noise. */
static unsigned long fuzz_cmd(void)
{
	unsigned long nr = fuzz_rand() % 0x30;

	switch (fuzz_rand() % 4) {
	case 0:
		return _IO(VCPU_IO, nr);
	case 1:
		return _IOC(fuzz_rand() % 4, VCPU_IO, nr, fuzz_rand() % 512);
	case 2:
		return (unsigned int)fuzz_rand();
	default:
		return _IOC(fuzz_rand() % 4, fuzz_rand() & 0xff, nr,
			    fuzz_rand() % 64);
	}
}

FIXTURE(fuzz) {
	struct vcpu_test t;
	struct fuzz_ptrs p;
};

FIXTURE_SETUP(fuzz)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
	self->p.page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->p.page);
	ASSERT_EQ(0, mprotect(self->p.page + 4096, 4096, PROT_NONE));
	fuzz_state = fuzz_seed() | 1;
	TH_LOG("seed %#x, %lu iterations", fuzz_seed(), fuzz_iters());
}

FIXTURE_TEARDOWN(fuzz)
{
	vcpu_test_fini(&self->t);
	munmap(self->p.page, 8192);
}

/* Close whatever fd a random call created, so the loop cannot run out. */
static void fuzz_close_new(long ret, unsigned long cmd, int sys, int vm)
{
	(void)sys;
	(void)vm;
	if (ret > 2 && (cmd == VCPU_CREATE_VM || cmd == VCPU_CREATE_VCPU))
		close(ret);
}

TEST_F_TIMEOUT(fuzz, random_ioctls_every_fd, 300)
{
	struct vcpu_test *t = &self->t;
	unsigned long i, n = fuzz_iters();

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	for (i = 0; i < n; i++) {
		int fds[3] = { t->sys_fd, t->vm_fd, t->fd };
		unsigned long cmd = fuzz_cmd(), arg = fuzz_arg(&self->p);
		int fd = fds[fuzz_rand() % 3];
		long ret;

		/* A real guest run could spin; leave VCPU_RUN to the next test. */
		if (cmd == VCPU_RUN)
			continue;
		ret = ioctl(fd, cmd, arg);
		ASSERT_TRUE(ret >= 0 || errno > 0);
		fuzz_close_new(ret, cmd, t->sys_fd, t->vm_fd);
	}
	/* Still a working device. */
	ASSERT_EQ(VCPU_API_VERSION, ioctl(t->sys_fd, VCPU_GET_API_VERSION, 0));
	ASSERT_LE(0, vcpu_state(t->fd));
}

/* The errnos a valid call may fail with, by the ABI. */
static bool fuzz_documented(int err)
{
	return err == EBADFD || err == EBUSY || err == EIO || err == EINVAL ||
	       err == EINTR || err == ENOENT || err == EEXIST || err == ENXIO;
}

TEST_F_TIMEOUT(fuzz, random_valid_sequences, 300)
{
	struct vcpu_test *t = &self->t;
	unsigned long i, n = fuzz_iters() / 10;
	struct vcpu_regs regs;
	struct vcpu_one_reg reg;
	struct vcpu_setup s;
	int cpu = vcpu_current_cpu();

	ASSERT_OK(vcpu_install_kick_handler(SIGALRM));
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_out_start, guest_out_end);
	ASSERT_OK(vcpu_pin_self(cpu));
	for (i = 0; i < n; i++) {
		long ret;

		memset(&s, 0, sizeof(s));
		s.mode = GUEST_MODE;
		s.entry = VCPU_TEST_CODE_GPA;
		s.stack = VCPU_TEST_STACK_GPA;
		switch (fuzz_rand() % 8) {
		case 0:
			ret = ioctl(t->fd, VCPU_SETUP, &s);
			break;
		case 1:
			ret = vcpu_bind(t->fd, cpu);
			break;
		case 2:
			ret = vcpu_unbind(t->fd);
			break;
		case 3: {
			/*
			 * Past its halt the guest runs whatever follows and
			 * may loop forever (arm64: UDF into a zero vector
			 * table): a timer signal ends such a run (EINTR).
			 */
			struct itimerval it = { .it_value = { 0, 50000 } };
			struct itimerval off = { 0 };

			setitimer(ITIMER_REAL, &it, NULL);
			ret = vcpu_run(t->fd);
			setitimer(ITIMER_REAL, &off, NULL);
			break;
		}
		case 4:
			ret = vcpu_get_regs(t->fd, &regs);
			break;
		case 5:
			ret = vcpu_get_regs(t->fd, &regs);
			if (!ret)
				ret = vcpu_set_regs(t->fd, &regs);
			break;
		case 6:
			reg.id = GUEST_ONE_REG;
			ret = ioctl(t->fd, VCPU_GET_ONE_REG, &reg);
			break;
		default:
			/* Start over with a fresh vCPU now and then. */
			close(t->fd);
			munmap(t->run, t->run_size);
			t->run = NULL;
			t->fd = vcpu_create_vcpu(t->vm_fd, 0);
			ASSERT_LE(0, t->fd);
			t->run = vcpu_map_run(t->sys_fd, t->fd, &t->run_size);
			ASSERT_NE(NULL, t->run);
			continue;
		}
		if (ret < 0 && !fuzz_documented(errno))
			TH_LOG("iteration %lu: errno %s", i,
			       vcpu_errno_name(errno));
		ASSERT_TRUE(ret >= 0 || fuzz_documented(errno));
	}
}

/* ---- several threads; fds closed and numbers reused under them -------- */

/*
 * Errnos a call may see while another thread closes and recreates the fds
 * it uses: the documented ones, EBADF (closed), ENOTTY (the number now
 * names the other kind of object) and EFAULT/ENOMEM.
 */
static bool fuzz_race_errno(int err)
{
	return fuzz_documented(err) || err == EBADF || err == ENOTTY ||
	       err == EFAULT || err == ENOMEM;
}

struct fuzz_race {
	int cpu;
	int stop;			/* atomic */
	int vm_fd, vcpu_fd;		/* atomic: the current numbers */
	unsigned long calls, bad;	/* per thread, summed at the end */
	int bad_err;
};

/* The thread that runs: reset the pc, RUN, over and over. */
static void *fuzz_race_runner(void *arg)
{
	struct fuzz_race *r = arg;
	struct vcpu_regs regs;

	vcpu_pin_self(r->cpu);
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		int fd = __atomic_load_n(&r->vcpu_fd, __ATOMIC_ACQUIRE);
		long ret = vcpu_get_regs(fd, &regs);

		if (!ret) {
			regs.pc = VCPU_TEST_CODE_GPA;
			ret = vcpu_set_regs(fd, &regs);
		}
		if (!ret)
			ret = vcpu_run(fd);
		r->calls++;
		if (ret < 0 && !fuzz_race_errno(errno)) {
			r->bad++;
			r->bad_err = errno;
		}
	}
	return NULL;
}

/* The thread that pokes: state queries, bind/unbind, VM calls. */
struct fuzz_poker {
	struct fuzz_race *r;
	const uint8_t *mem;
	unsigned long calls, bad;
	int bad_err;
};

static void *fuzz_race_poker(void *arg)
{
	struct fuzz_poker *p = arg;
	struct fuzz_race *r = p->r;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		int fd = __atomic_load_n(&r->vcpu_fd, __ATOMIC_ACQUIRE);
		int vm = __atomic_load_n(&r->vm_fd, __ATOMIC_ACQUIRE);
		struct vcpu_state_info info;
		uint64_t v;
		long ret;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (x % 6) {
		case 0:
			ret = vcpu_get_state(fd, &info);
			break;
		case 1:
			ret = vcpu_get_one_reg(fd, GUEST_ONE_REG, &v);
			break;
		case 2:
			ret = vcpu_unbind(fd);
			break;
		case 3:
			ret = vcpu_bind(fd, r->cpu);
			break;
		case 4:
			ret = vcpu_set_region(vm, 1, 0, 0x800000, 4096, p->mem);
			break;
		default:
			ret = vcpu_create_vcpu(vm, 8 + x % 8);
			if (ret >= 0)
				close(ret);
			break;
		}
		p->calls++;
		if (ret < 0 && !fuzz_race_errno(errno)) {
			p->bad++;
			p->bad_err = errno;
		}
	}
	return NULL;
}

/* A new VM (every @vm_too) and a new bound vCPU; the old fds closed. */
static int fuzz_race_swap(struct fuzz_race *r, int sys, uint8_t *mem,
			  unsigned int id, bool vm_too)
{
	int vm = __atomic_load_n(&r->vm_fd, __ATOMIC_ACQUIRE), fd, old;

	if (vm_too) {
		vm = vcpu_create_vm(sys);
		if (vm < 0 || vcpu_set_region(vm, 0, 0, 0, VCPU_TEST_MEM_SIZE, mem))
			return -1;
		old = __atomic_exchange_n(&r->vm_fd, vm, __ATOMIC_ACQ_REL);
		close(old);	/* its vCPUs keep the VM alive */
	}
	fd = vcpu_create_vcpu(vm, id);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;	/* still in use: next time */
	if (vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA, VCPU_TEST_STACK_GPA,
		       0, 0) || vcpu_bind(fd, r->cpu)) {
		close(fd);
		return -1;
	}
	old = __atomic_exchange_n(&r->vcpu_fd, fd, __ATOMIC_ACQ_REL);
	close(old);	/* possibly while the runner is inside RUN on it */
	return 0;
}

TEST_F_TIMEOUT(fuzz, threads_close_fds_under_use, 120)
{
	struct vcpu_test *t = &self->t;
	struct fuzz_race r = { 0 };
	struct fuzz_poker p = { .r = &r };
	pthread_t runner, poker;
	unsigned long i, swaps = fuzz_iters() / 50;

	ASSERT_OK(vcpu_install_kick_handler(SIGUSR1));
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_setup(t, GUEST_MODE, 0));
	r.cpu = vcpu_current_cpu();
	ASSERT_OK(vcpu_bind(t->fd, r.cpu));
	/* The threads own these numbers now: the fixture must not close them. */
	r.vm_fd = t->vm_fd;
	r.vcpu_fd = t->fd;
	t->vm_fd = t->fd = -1;
	p.mem = t->mem;
	ASSERT_EQ(0, pthread_create(&runner, NULL, fuzz_race_runner, &r));
	ASSERT_EQ(0, pthread_create(&poker, NULL, fuzz_race_poker, &p));
	for (i = 0; i < swaps; i++) {
		ASSERT_OK(fuzz_race_swap(&r, t->sys_fd, t->mem, i % 8, i % 16 == 15));
		/* A kick ends a run that went past the halts. */
		pthread_kill(runner, SIGUSR1);
		usleep(fuzz_rand() % 2000);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 1000 && pthread_tryjoin_np(runner, NULL); i++) {
		pthread_kill(runner, SIGUSR1);
		usleep(10000);
	}
	ASSERT_LT(i, 1000);
	ASSERT_EQ(0, pthread_join(poker, NULL));
	TH_LOG("%lu swaps; runner %lu calls, poker %lu calls", swaps, r.calls,
	       p.calls);
	if (r.bad || p.bad)
		TH_LOG("undocumented errno: runner %s, poker %s",
		       vcpu_errno_name(r.bad_err), vcpu_errno_name(p.bad_err));
	ASSERT_EQ(0, r.bad);
	ASSERT_EQ(0, p.bad);
	ASSERT_GT(r.calls, 0);

	/* The last vCPU still works, and so does the device. */
	t->vm_fd = r.vm_fd;
	t->fd = r.vcpu_fd;
	ASSERT_LE(0, vcpu_state(t->fd));
	ASSERT_EQ(VCPU_API_VERSION, ioctl(t->sys_fd, VCPU_GET_API_VERSION, 0));
}

/* ---- the shared page rewritten while the kernel uses it --------------- */

struct fuzz_scribbler {
	volatile uint64_t *page;
	size_t words;
	int stop;			/* atomic */
	unsigned long rounds;
};

static void *fuzz_scribble(void *arg)
{
	struct fuzz_scribbler *s = arg;
	uint64_t x = 0x2545f4914f6cdd1dULL;

	/* The word holding immediate_exit: set, it ends every run at once. */
	size_t ie = offsetof(struct vcpu_run, immediate_exit) / 8;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		bool all = !(s->rounds % 16);
		size_t i;

		for (i = 0; i < s->words; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (i == ie && !all)
				continue;
			/* Mostly small values: they hit the branches that matter. */
			s->page[i] = (x & 3) ? x % 8 : x;
		}
		if (!all)
			s->page[ie] = 0;
		s->rounds++;
	}
	return NULL;
}

/*
 * While RUN is in progress, another thread keeps rewriting the whole run
 * page with random bytes (exit reason, payload, completion values,
 * immediate_exit).  Every RUN still ends in a result or EINTR, the vCPU
 * stays Ready, and the kernel's own view (GET_STATE) is the truth; once
 * the page is left alone the next exit is published intact.
 */
TEST_F_TIMEOUT(fuzz, shared_page_hostility, 120)
{
	struct vcpu_test *t = &self->t;
	struct fuzz_scribbler s = { 0 };
	struct itimerval it = { .it_value = { 0, 50000 } }, off = { 0 };
	struct vcpu_state_info info;
	struct vcpu_regs regs;
	unsigned long i, n = fuzz_iters() / 10, ok = 0, intr = 0;
	pthread_t th;
	int ret;

	ASSERT_OK(vcpu_install_kick_handler(SIGALRM));
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_read_gap_start, guest_read_gap_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	s.page = (volatile uint64_t *)t->run;
	s.words = t->run_size / 8;
	ASSERT_EQ(0, pthread_create(&th, NULL, fuzz_scribble, &s));
	for (i = 0; i < n; i++) {
		/* The kernel's record, not the page, says where the guest is. */
		ASSERT_OK(vcpu_get_state(t->fd, &info));
		ASSERT_EQ(VCPU_STATE_READY, info.state);
		if (info.last_exit_reason != VCPU_EXIT_MMIO_READ &&
		    info.last_exit_reason != GUEST_REPORT_EXIT) {
			ASSERT_OK(vcpu_get_regs(t->fd, &regs));
			regs.pc = VCPU_TEST_CODE_GPA;
			ASSERT_OK(vcpu_set_regs(t->fd, &regs));
		}
		setitimer(ITIMER_REAL, &it, NULL);
		ret = vcpu_run(t->fd);
		setitimer(ITIMER_REAL, &off, NULL);
		if (ret && errno != EINTR)
			TH_LOG("run %lu: %s", i, vcpu_errno_name(errno));
		ASSERT_TRUE(!ret || errno == EINTR);
		if (ret)
			intr++;
		else
			ok++;
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, pthread_join(th, NULL));
	TH_LOG("%lu runs (%lu exits, %lu EINTR), %lu page rewrites", n, ok,
	       intr, s.rounds);
	ASSERT_GT(s.rounds, 0);

	/* Left alone, the page shows the next exit exactly. */
	memset(t->run, 0, t->run_size);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	regs.pc = VCPU_TEST_CODE_GPA;
	ASSERT_OK(vcpu_set_regs(t->fd, &regs));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_READ);
	ASSERT_EQ(VCPU_TEST_MEM_SIZE, t->run->mmio.addr);
	ASSERT_EQ(4, t->run->mmio.width);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
}

TEST_HARNESS_MAIN
