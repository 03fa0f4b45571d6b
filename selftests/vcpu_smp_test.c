// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-vCPU guests: one VM, two vCPUs bound to different physical CPUs
 * (when the machine has two) and running at the same time.  The guest
 * sends IPIs between its vCPUs (x2APIC ICR / ICC_SGI1R_EL1); each SEND_IPI
 * exit reaches this test's VMM loop, one thread per vCPU, which delivers
 * it with VCPU_INJECT_IRQ on the peer.  Both vCPUs halt in the kernel
 * between IPIs (Blocked), so a round trip is: exit, inject, wake, entry,
 * interrupt, exit, inject, wake, entry, interrupt.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define PINGPONG_ROUNDS	1000

struct smp_vcpu {
	int fd;
	struct vcpu_run *run;
	size_t run_size;
	int cpu;
	unsigned int index;
	pthread_t thread;
	/* results */
	unsigned long ipis, exits;
	int error;			/* first unexpected event, 0 if none */
	int done;			/* its VMM loop returned */
	char why[128];
};

struct smp_vm {
	struct vcpu_test t;		/* the VM, its memory and vCPU 0 */
	struct smp_vcpu v[2];
	volatile int stop;
	uint32_t rounds;
};

FIXTURE(smp) {
	struct smp_vm vm;
};

FIXTURE_SETUP(smp)
{
	VCPU_REQUIRE_DEV();
	memset(&self->vm, 0, sizeof(self->vm));
	self->vm.t.sys_fd = self->vm.t.vm_fd = self->vm.t.fd = -1;
	self->vm.v[1].fd = -1;
}

FIXTURE_TEARDOWN(smp)
{
	if (self->vm.v[1].run)
		munmap(self->vm.v[1].run, self->vm.v[1].run_size);
	if (self->vm.v[1].fd >= 0)
		close(self->vm.v[1].fd);
	vcpu_test_fini(&self->vm.t);
}

static int inject(int fd, uint32_t irq)
{
	struct vcpu_irq i = { .irq = irq };

	return ioctl(fd, VCPU_INJECT_IRQ, &i);
}

static void smp_fail(struct smp_vcpu *v, const char *why, uint64_t a,
		     uint64_t b)
{
	if (!v->error) {
		v->error = 1;
		snprintf(v->why, sizeof(v->why), "vCPU %u: %s (%#llx, %#llx)",
			 v->index, why, (unsigned long long)a,
			 (unsigned long long)b);
	}
}

struct smp_arg {
	struct smp_vm *vm;
	unsigned int index;
};

/* The VMM loop of one vCPU, on its own thread pinned to its CPU. */
static void *smp_vmm(struct smp_arg *a)
{
	struct smp_vm *vm = a->vm;
	struct smp_vcpu *v = &vm->v[a->index];
	struct smp_vcpu *peer = &vm->v[1 - a->index];
	struct vcpu_run *run = v->run;
	int r;

	if (vcpu_pin_self(v->cpu)) {
		smp_fail(v, "pin", v->cpu, errno);
		return NULL;
	}
	for (;;) {
		r = vcpu_run(v->fd);
		v->exits++;
		if (r) {
			if (errno == EINTR && vm->stop)
				return NULL;
			if (errno == EINTR)
				continue;
			smp_fail(v, "VCPU_RUN failed", r, errno);
			return NULL;
		}
		switch (run->exit_reason) {
		case VCPU_EXIT_SEND_IPI:
			if (guest_ipi_target(run) != peer->index ||
			    run->send_ipi.vector != GUEST_IPI_IRQ) {
				smp_fail(v, "IPI to the wrong vCPU or vector",
					 guest_ipi_target(run),
					 run->send_ipi.vector);
				return NULL;
			}
			v->ipis++;
			if (inject(peer->fd, run->send_ipi.vector)) {
				smp_fail(v, "INJECT_IRQ failed", errno, 0);
				return NULL;
			}
			break;
		case GUEST_REPORT_EXIT:
			if (v->index != 0 ||
			    (uint32_t)GUEST_REPORT_VALUE(run) != vm->rounds) {
				smp_fail(v, "unexpected report",
					 GUEST_REPORT_VALUE(run), v->index);
				return NULL;
			}
			/* Done: stop the peer, blocked in its HLT/WFI. */
			vm->stop = 1;
			__sync_synchronize();
			if (ioctl(peer->fd, VCPU_KICK, 0))
				smp_fail(v, "KICK failed", errno, 0);
			return NULL;
		default:
			/* Everything known about it, for the log. */
			vcpu_dump(stderr, v->fd, run);
			smp_fail(v, "unexpected exit", run->exit_reason, 0);
			return NULL;
		}
	}
}

static void smp_prepare(struct __test_metadata *_metadata, struct smp_vm *vm,
			uint32_t rounds)
{
	struct vcpu_test *t = &vm->t;
	int cpus[2], n, i;

	n = vcpu_online_cpus(cpus, 2);
	ASSERT_GE(n, 1);
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_ipi_pingpong_start, guest_ipi_pingpong_end);
	*(uint32_t *)(t->mem + VCPU_TEST_DATA_GPA + GUEST_PINGPONG_ROUNDS) =
		rounds;
	vm->rounds = rounds;
	vm->v[0].fd = t->fd;
	vm->v[0].run = t->run;
	vm->v[1].fd = vcpu_create_vcpu(t->vm_fd, 1);
	ASSERT_GE(vm->v[1].fd, 0);
	vm->v[1].run = vcpu_map_run(t->sys_fd, vm->v[1].fd,
				    &vm->v[1].run_size);
	ASSERT_NE(NULL, vm->v[1].run);
	for (i = 0; i < 2; i++) {
		struct vcpu_setup s = {
			.mode = GUEST_MODE,
			.flags = VCPU_SETUP_F_HALT_IN_KERNEL,
			.entry = VCPU_TEST_CODE_GPA,
			/* separate stacks, one page each */
			.stack = VCPU_TEST_STACK_GPA - i * 0x1000,
			.arg = i,
		};
		struct smp_vcpu *v = &vm->v[i];

		v->index = i;
		v->cpu = cpus[i % n];
		ASSERT_OK(ioctl(v->fd, VCPU_SETUP, &s));
		guest_smp_prepare(_metadata, v->fd, i);
		ASSERT_OK(vcpu_bind(v->fd, v->cpu));
	}
	if (n < 2)
		TH_LOG("one CPU online: both vCPUs share CPU %d", cpus[0]);
}

static void *smp_vmm_thread(void *p)
{
	struct smp_arg *a = p;

	smp_vmm(a);
	__atomic_store_n(&a->vm->v[a->index].done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * Run both VMM loops; if they have not finished after timeout_s, log where
 * each vCPU is, stop them (kick) and fail.
 */
static double smp_run(struct __test_metadata *_metadata, struct smp_vm *vm,
		      int timeout_s)
{
	struct smp_arg args[2] = { { vm, 0 }, { vm, 1 } };
	uint8_t *data = vm->t.mem + VCPU_TEST_DATA_GPA;
	struct timespec t0, t1;
	int i, ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	/*
	 * vCPU 1 first, and vCPU 0 only once it waits in its HLT/WFI with
	 * its vectors in place, as a VMM parks an AP before the boot CPU
	 * can send it anything (an x86 vCPU starts with IF set).
	 */
	ASSERT_EQ(0, pthread_create(&vm->v[1].thread, NULL, smp_vmm_thread,
				    &args[1]));
	for (ms = 0; ms < 10000; ms++) {
		if (vcpu_state(vm->v[1].fd) == VCPU_STATE_BLOCKED)
			break;
		usleep(1000);
	}
	ASSERT_EQ(VCPU_STATE_BLOCKED, vcpu_state(vm->v[1].fd));
	ASSERT_EQ(0, pthread_create(&vm->v[0].thread, NULL, smp_vmm_thread,
				    &args[0]));
	for (ms = 0; ms < timeout_s * 1000; ms += 10) {
		if (__atomic_load_n(&vm->v[0].done, __ATOMIC_SEQ_CST) &&
		    __atomic_load_n(&vm->v[1].done, __ATOMIC_SEQ_CST))
			break;
		usleep(10000);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ms >= timeout_s * 1000) {
		for (i = 0; i < 2; i++) {
			struct vcpu_state_info s;

			vcpu_get_state(vm->v[i].fd, &s);
			TH_LOG("timeout: vCPU %d %s, exits %lu, IPIs %lu, count %u, last exit %s",
			       i, vcpu_state_name(s.state), vm->v[i].exits,
			       vm->v[i].ipis,
			       *(uint32_t *)(data + GUEST_PINGPONG_COUNT + 4 * i),
			       vcpu_exit_name(vm->v[i].run->exit_reason));
		}
		vm->stop = 1;
		__sync_synchronize();
		for (i = 0; i < 2; i++)
			ioctl(vm->v[i].fd, VCPU_KICK, 0);
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(vm->v[i].thread, NULL));
	for (i = 0; i < 2; i++)
		if (vm->v[i].error)
			TH_LOG("%s", vm->v[i].why);
	ASSERT_LT(ms, timeout_s * 1000);
	ASSERT_EQ(0, vm->v[0].error);
	ASSERT_EQ(0, vm->v[1].error);
	return (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
}

TEST_F_TIMEOUT(smp, ipi_pingpong, 600)
{
	struct smp_vm *vm = &self->vm;
	struct vcpu_state_info s0, s1;
	uint8_t *data;
	uint32_t c0, c1;
	double secs;

	smp_prepare(_metadata, vm, PINGPONG_ROUNDS);
	data = vm->t.mem + VCPU_TEST_DATA_GPA;
	ASSERT_OK(vcpu_get_state(vm->v[0].fd, &s0));
	ASSERT_OK(vcpu_get_state(vm->v[1].fd, &s1));
	TH_LOG("vCPU 0 on CPU %d, vCPU 1 on CPU %d", s0.bound_cpu,
	       s1.bound_cpu);
	secs = smp_run(_metadata, vm, 120);

	c0 = *(uint32_t *)(data + GUEST_PINGPONG_COUNT);
	c1 = *(uint32_t *)(data + GUEST_PINGPONG_COUNT + 4);
	TH_LOG("%u round trips in %.2f s (%.0f/s); IPIs sent: vCPU 0 %lu, vCPU 1 %lu; exits %lu + %lu",
	       c0, secs, c0 / secs, vm->v[0].ipis, vm->v[1].ipis,
	       vm->v[0].exits, vm->v[1].exits);
	ASSERT_EQ(PINGPONG_ROUNDS, c0);
	ASSERT_EQ(PINGPONG_ROUNDS, c1);
	ASSERT_EQ(PINGPONG_ROUNDS, vm->v[0].ipis);
	ASSERT_EQ(PINGPONG_ROUNDS, vm->v[1].ipis);
	ASSERT_STATE(vm->v[0].fd, VCPU_STATE_READY);
	ASSERT_STATE(vm->v[1].fd, VCPU_STATE_READY);
}

/*
 * Both vCPUs of one VM in the guest at once, on two CPUs, each in a loop
 * that never exits by itself; then each gets its own interrupt.
 */
TEST_F_TIMEOUT(smp, concurrent_running, 120)
{
	struct smp_vm *vm = &self->vm;
	struct vcpu_test *t = &vm->t;
	struct vcpu_runner r[2];
	int cpus[2], i, both = 0;

	if (vcpu_online_cpus(cpus, 2) < 2)
		SKIP(return, "one CPU online: no two vCPUs can run at once");
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_irq_wait_start, guest_irq_wait_end);
	vm->v[0].fd = t->fd;
	vm->v[1].fd = vcpu_create_vcpu(t->vm_fd, 1);
	ASSERT_GE(vm->v[1].fd, 0);
	for (i = 0; i < 2; i++) {
		struct vcpu_setup s = {
			.mode = GUEST_MODE, .entry = VCPU_TEST_CODE_GPA,
			.stack = VCPU_TEST_STACK_GPA - i * 0x1000, .arg = 1,
		};

		ASSERT_OK(ioctl(vm->v[i].fd, VCPU_SETUP, &s));
		ASSERT_OK(vcpu_bind(vm->v[i].fd, cpus[i]));
		r[i].fd = vm->v[i].fd;
		r[i].cpu = cpus[i];
		r[i].start = NULL;
		ASSERT_OK(vcpu_runner_start(&r[i]));
	}
	for (i = 0; i < 5000 && both < 100; i++) {
		if (vcpu_state(vm->v[0].fd) == VCPU_STATE_RUNNING &&
		    vcpu_state(vm->v[1].fd) == VCPU_STATE_RUNNING)
			both++;
		usleep(100);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_OK(inject(vm->v[i].fd, i ? GUEST_IRQ_B : GUEST_IRQ_A));
		ASSERT_EQ(0, vcpu_runner_wait(&r[i], 5000));
		ASSERT_OK(vcpu_runner_join(&r[i]));
		ASSERT_EQ(0, r[i].ret);
	}
	TH_LOG("both vCPUs Running at once in %d samples, on CPUs %d and %d",
	       both, cpus[0], cpus[1]);
	ASSERT_EQ(100, both);
	ASSERT_EQ(GUEST_REPORT_EXIT, t->run->exit_reason);
	ASSERT_EQ(GUEST_IRQ_A, (uint32_t)GUEST_REPORT_VALUE(t->run));
}

TEST_HARNESS_MAIN
