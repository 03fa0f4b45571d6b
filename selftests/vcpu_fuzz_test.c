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

TEST_HARNESS_MAIN
