// SPDX-License-Identifier: GPL-2.0
/*
 * Object lifetimes: fds closed in any order, the run page unmapped, many
 * VMs and vCPUs, one vCPU on every CPU, the kernel memory a vCPU costs.
 * Shared by every architecture (guests from lib/guest.h).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "guest.h"

#define MAX_CPUS	256

FIXTURE(life) {
	struct vcpu_test t;
};

FIXTURE_SETUP(life)
{
	VCPU_REQUIRE_DEV();
	ASSERT_OK(vcpu_test_init(&self->t, VCPU_TEST_MEM_SIZE));
}

FIXTURE_TEARDOWN(life)
{
	vcpu_test_fini(&self->t);
}

/* A fresh VM + vCPU on cpu runs a halting guest to its HALT exit. */
static void run_fresh_hlt(struct __test_metadata *_metadata, int cpu)
{
	struct vcpu_test t2;

	ASSERT_OK(vcpu_test_init(&t2, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(&t2, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(&t2, GUEST_MODE, 0, cpu));
	ASSERT_RUN_EXIT(&t2, VCPU_EXIT_HALT);
	vcpu_test_fini(&t2);
}

TEST_F(life, close_bound_vcpu_then_vm)
{
	struct vcpu_test *t = &self->t;
	int cpu;

	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
	cpu = t->cpu;
	ASSERT_EQ(0, munmap(t->run, t->run_size));
	t->run = NULL;
	ASSERT_EQ(0, close(t->fd));
	t->fd = -1;
	ASSERT_EQ(0, close(t->vm_fd));
	t->vm_fd = -1;
	ASSERT_EQ(0, close(t->sys_fd));
	t->sys_fd = -1;
	/* The CPU is usable by another vCPU. */
	run_fresh_hlt(_metadata, cpu);
}

TEST_F(life, close_vm_then_bound_vcpu)
{
	struct vcpu_test *t = &self->t;
	int cpu;

	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	cpu = t->cpu;
	ASSERT_EQ(0, close(t->vm_fd));
	t->vm_fd = -1;
	ASSERT_EQ(0, close(t->sys_fd));
	t->sys_fd = -1;
	ASSERT_EQ(0, munmap(t->run, t->run_size));
	t->run = NULL;
	ASSERT_EQ(0, close(t->fd));
	t->fd = -1;
	run_fresh_hlt(_metadata, cpu);
}

/* The vCPU holds its VM: with the VM and system fds closed it still runs. */
TEST_F(life, vm_closed_first_vcpu_still_works)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_state_info info;

	vcpu_test_load(t, guest_out_start, guest_out_end);
	ASSERT_EQ(0, close(t->vm_fd));
	t->vm_fd = -1;
	ASSERT_EQ(0, close(t->sys_fd));
	t->sys_fd = -1;
	ASSERT_STATE(t->fd, VCPU_STATE_CREATED);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_REPORT(t, 0x11);
	ASSERT_REPORT(t, 0x2233);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_READY, info.state);
	ASSERT_EQ(2, info.exits);
	ASSERT_OK(vcpu_unbind(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_FREE);
}

/* VCPU_RUN works without the run page mapped; the page keeps the exit. */
TEST_F(life, munmap_run_page_then_run)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_state_info info;

	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_EQ(0, munmap(t->run, t->run_size));
	t->run = NULL;
	ASSERT_OK(vcpu_run(t->fd));
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_READY, info.state);
	ASSERT_EQ(VCPU_EXIT_HALT, info.last_exit_reason);
	ASSERT_EQ(1, info.exits);
	ASSERT_PC(t, VCPU_TEST_CODE_GPA + GUEST_HALT_LEN);
	/* Mapping it again shows the exit the kernel wrote. */
	t->run = vcpu_map_run(t->sys_fd, t->fd, &t->run_size);
	ASSERT_NE(NULL, t->run);
	ASSERT_EQ(VCPU_EXIT_HALT, t->run->exit_reason);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_PC(t, VCPU_TEST_CODE_GPA + 2 * GUEST_HALT_LEN);
}

/*
 * The run page unmapped while another thread is inside VCPU_RUN: the
 * kernel writes the exit through its own mapping, never the user's, so
 * RUN ends normally and a new mapping shows the exit.
 */
TEST_F_TIMEOUT(life, munmap_run_page_during_run, 60)
{
	struct vcpu_test *t = &self->t;
	volatile uint32_t *data;
	struct vcpu_runner r;
	int cpu = vcpu_current_cpu();

	vcpu_test_load(t, guest_spin_start, guest_spin_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, cpu));
	data = (volatile uint32_t *)(t->mem + VCPU_TEST_DATA_GPA);
	r = (struct vcpu_runner){ .fd = t->fd, .cpu = cpu };
	ASSERT_OK(vcpu_runner_start(&r));
	/* The guest is counting: it is inside RUN. */
	ASSERT_OK(vcpu_wait_nonzero(&data[0], &r.done, 10000));
	ASSERT_FALSE(vcpu_runner_done(&r));
	ASSERT_EQ(0, munmap(t->run, t->run_size));
	t->run = NULL;
	data[1] = 0x4d4d;		/* ends the spin: the guest reports it */
	ASSERT_OK(vcpu_runner_wait(&r, 10000));
	ASSERT_OK(vcpu_runner_join(&r));
	ASSERT_EQ(0, r.ret);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
	t->run = vcpu_map_run(t->sys_fd, t->fd, &t->run_size);
	ASSERT_NE(NULL, t->run);
	ASSERT_EQ(GUEST_REPORT_EXIT, t->run->exit_reason);
	ASSERT_EQ(0x4d4d, GUEST_REPORT_VALUE(t->run));
}

TEST_F_TIMEOUT(life, create_destroy_loop, 300)
{
	uint8_t *mem = self->t.mem;
	int sys = self->t.sys_fd;
	int i, cpu = vcpu_current_cpu();

	vcpu_load_code(mem, 0, VCPU_TEST_CODE_GPA, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_pin_self(cpu));
	for (i = 0; i < 200; i++) {
		struct vcpu_run *run;
		size_t run_size;
		int vm, fd, fd2;

		vm = vcpu_create_vm(sys);
		ASSERT_GE(vm, 0);
		ASSERT_OK(vcpu_set_region(vm, 0, 0, 0, VCPU_TEST_MEM_SIZE, mem));
		fd = vcpu_create_vcpu(vm, i % VCPU_MAX_VCPUS);
		ASSERT_GE(fd, 0);
		fd2 = vcpu_create_vcpu(vm, VCPU_MAX_VCPUS - 1);
		ASSERT_GE(fd2, 0);
		run = vcpu_map_run(sys, fd, &run_size);
		ASSERT_NE(NULL, run);
		if (i % 20 == 0) {
			ASSERT_OK(vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
					     VCPU_TEST_STACK_GPA, 0, 0));
			ASSERT_OK(vcpu_bind(fd, cpu));
			ASSERT_OK(vcpu_run(fd));
			ASSERT_EQ(VCPU_EXIT_HALT, run->exit_reason);
		}
		/* Vary the close order. */
		if (i & 1) {
			ASSERT_EQ(0, close(vm));
			ASSERT_EQ(0, munmap(run, run_size));
			ASSERT_EQ(0, close(fd));
		} else {
			ASSERT_EQ(0, munmap(run, run_size));
			ASSERT_EQ(0, close(fd));
			ASSERT_EQ(0, close(vm));
		}
		ASSERT_EQ(0, close(fd2));
	}
}

TEST_F(life, many_vcpus_one_vm)
{
	static int fds[128];
	struct vcpu_state_info info;
	int i;

	for (i = 0; i < 128; i++) {
		fds[i] = vcpu_create_vcpu(self->t.vm_fd, 1 + i * 7);
		ASSERT_GE(fds[i], 0);
	}
	for (i = 0; i < 128; i++) {
		ASSERT_OK(vcpu_get_state(fds[i], &info));
		ASSERT_EQ(VCPU_STATE_CREATED, info.state);
		ASSERT_EQ((uint32_t)(1 + i * 7), info.vcpu_id);
	}
	/* The VM goes first; the vCPUs keep it until the last one closes. */
	ASSERT_EQ(0, close(self->t.vm_fd));
	self->t.vm_fd = -1;
	for (i = 0; i < 128; i++)
		ASSERT_EQ(0, close(fds[i]));
}

struct percpu_job {
	int sys_fd, vm_fd, cpu, id;
	uint64_t page_table;
	/* results */
	int step;		/* 0 on success, else the failed step */
	int err;
	uint32_t exit1, exit2;
	uint64_t nr, arg0;
	int bound;
};

static void *percpu_fn(void *arg)
{
	struct percpu_job *j = arg;
	struct vcpu_state_info info;
	struct vcpu_run *run;
	size_t run_size;
	int fd;

	j->step = 1;
	if (vcpu_pin_self(j->cpu))
		goto fail;
	j->step = 2;
	fd = vcpu_create_vcpu(j->vm_fd, j->id);
	if (fd < 0)
		goto fail;
	j->step = 3;
	run = vcpu_map_run(j->sys_fd, fd, &run_size);
	if (!run)
		goto fail;
	j->step = 4;
	if (vcpu_setup(fd, GUEST_MODE_64, VCPU_TEST_CODE_GPA,
		       VCPU_TEST_STACK_GPA - 0x100 * j->id, j->page_table,
		       0x1000 + j->cpu))
		goto fail;
	j->step = 5;
	if (vcpu_bind(fd, j->cpu))
		goto fail;
	j->step = 6;
	if (vcpu_get_state(fd, &info))
		goto fail;
	j->bound = info.bound_cpu;
	j->step = 7;
	if (vcpu_run(fd))
		goto fail;
	j->exit1 = run->exit_reason;
	j->nr = run->hypercall.nr;
	j->arg0 = run->hypercall.args[0];
	run->hypercall.ret = 0;
	j->step = 8;
	if (vcpu_run(fd))
		goto fail;
	j->exit2 = run->exit_reason;
	munmap(run, run_size);
	close(fd);
	j->step = 0;
	return NULL;
fail:
	j->err = errno;
	return NULL;
}

TEST_F_TIMEOUT(life, vcpu_per_online_cpu, 120)
{
	static struct percpu_job jobs[MAX_CPUS];
	static pthread_t threads[MAX_CPUS];
	int cpus[MAX_CPUS];
	uint64_t page_table;
	int i, n;

	n = vcpu_online_cpus(cpus, MAX_CPUS);
	ASSERT_GT(n, 0);
	TH_LOG("%d CPUs (sysconf: %ld online)", n, sysconf(_SC_NPROCESSORS_ONLN));
	vcpu_test_load(&self->t, guest_hypercall_arg_start, guest_hypercall_arg_end);
	page_table = vcpu_test_page_table(&self->t, GUEST_MODE_64);
	for (i = 0; i < n; i++) {
		jobs[i] = (struct percpu_job){
			.sys_fd = self->t.sys_fd, .vm_fd = self->t.vm_fd,
			.cpu = cpus[i], .id = i + 1, .page_table = page_table,
		};
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, percpu_fn, &jobs[i]));
	}
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, pthread_join(threads[i], NULL));
	for (i = 0; i < n; i++) {
		struct percpu_job *j = &jobs[i];

		if (j->step)
			TH_LOG("cpu %d: failed at step %d: %s", j->cpu, j->step,
			       vcpu_errno_name(j->err));
		ASSERT_EQ(0, j->step);
		ASSERT_EQ(j->cpu, j->bound);
		ASSERT_EQ(VCPU_EXIT_HYPERCALL, j->exit1);
		ASSERT_EQ(0x77, j->nr);
		ASSERT_EQ(0x1000 + (uint64_t)j->cpu, j->arg0);
		ASSERT_EQ(VCPU_EXIT_HALT, j->exit2);
	}
}

/*
 * The owning process dies (SIGKILL) while its vCPU spins in the guest:
 * the kernel tears the VM down (the vCPU leaves the system-wide view),
 * and the CPU is usable again by a new VM.
 */
TEST_F_TIMEOUT(life, owner_killed_in_run, 60)
{
	struct vcpu_test *t = &self->t;
	char line[256], pidstr[32];
	uint32_t *shared;
	FILE *f;
	int status, cpu = vcpu_current_cpu();
	pid_t pid;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct vcpu_test c = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };

		if (vcpu_test_init(&c, VCPU_TEST_MEM_SIZE))
			_exit(2);
		vcpu_test_load(&c, guest_spin_start, guest_spin_end);
		if (vcpu_test_start(&c, GUEST_MODE, 0, cpu))
			_exit(3);
		__atomic_store_n(&shared[0], 1, __ATOMIC_RELEASE);
		vcpu_run(c.fd);		/* spins until killed */
		_exit(4);
	}
	/* Wait for the child to be set up, then a little spinning. */
	while (!__atomic_load_n(&shared[0], __ATOMIC_ACQUIRE))
		usleep(1000);
	usleep(200 * 1000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
	munmap(shared, 4096);

	/* Its vCPU left the system-wide view (when debugfs is there). */
	f = fopen("/sys/kernel/debug/vcpu/vcpus", "r");
	if (f) {
		snprintf(pidstr, sizeof(pidstr), " %d ", pid);
		while (fgets(line, sizeof(line), f))
			ASSERT_EQ(NULL, strstr(line, pidstr));
		fclose(f);
	}

	/* The same CPU runs a new guest. */
	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, cpu));
	ASSERT_OK(vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_HALT, t->run->exit_reason);
}

#define KMEM_VCPUS	1000
#define KMEM_BUDGET	(12 * 1024)	/* bytes per vCPU, every backend */
#define KMEM_CG		"/sys/fs/cgroup/vcpu_kmem"

static long long kmem_current(void)
{
	long long v = -1;
	FILE *f = fopen(KMEM_CG "/memory.current", "r");

	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

struct kmem_result {
	long long bytes;	/* memory.current's growth, or -step */
	int err;		/* errno of the failed step */
};

/*
 * The child: on one CPU, in the cgroup, KMEM_VCPUS vCPUs created and set
 * up in one VM; writes the result to @w.
 */
static void __attribute__((noreturn)) kmem_child(int w, int cpu)
{
	static int fds[KMEM_VCPUS];
	struct rlimit rl = { KMEM_VCPUS + 64, KMEM_VCPUS + 64 };
	struct kmem_result r;
	long long c0, c1, res = -1;
	int sys, vm, i;
	FILE *f;

	if (vcpu_pin_self(cpu))
		goto out;
	res = -2;
	f = fopen(KMEM_CG "/cgroup.procs", "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
		goto out;
	res = -3;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		goto out;
	res = -4;
	sys = vcpu_open_dev();
	vm = sys < 0 ? -1 : vcpu_create_vm(sys);
	if (vm < 0)
		goto out;
	c0 = kmem_current();
	for (i = 0; i < KMEM_VCPUS; i++) {
		res = -5;
		fds[i] = vcpu_create_vcpu(vm, i);
		if (fds[i] < 0)
			goto out;
		res = -6;
		if (vcpu_setup(fds[i], GUEST_MODE, VCPU_TEST_CODE_GPA,
			       VCPU_TEST_STACK_GPA, 0, 0))
			goto out;
	}
	c1 = kmem_current();
	res = c0 < 0 || c1 < 0 ? -7 : c1 - c0;
out:
	r.bytes = res;
	r.err = errno;
	if (write(w, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

/*
 * Kernel memory per vCPU, as make bench measures it: KMEM_VCPUS vCPUs
 * created and set up in one VM by a process in a memory cgroup of its own,
 * which the module charges for everything it allocates for them (the run
 * page, the VMCB/VMCS, the vCPU object, the fd's struct file).  At most
 * KMEM_BUDGET each.  The child stays on one CPU: memory.current also holds
 * what that CPU charged ahead (64 pages, 0.26 KiB per vCPU at most).
 * Debug kernels (KASAN redzones, lockdep) only report the figure.
 */
TEST(kernel_memory_per_vcpu)
{
	bool debug = !access("/proc/lockdep_stats", F_OK);
	struct kmem_result r;
	long long bytes;
	int p[2], st;
	pid_t pid;

	VCPU_REQUIRE_DEV();
	if (!vcpu_memcg_create(KMEM_CG))
		SKIP(return, "no cgroup2 memory controller");
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(p[0]);
		kmem_child(p[1], vcpu_current_cpu());
	}
	close(p[1]);
	ASSERT_EQ((ssize_t)sizeof(r), read(p[0], &r, sizeof(r)));
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	rmdir(KMEM_CG);
	bytes = r.bytes;
	if (bytes < 0)
		TH_LOG("child failed at step %lld: %s", -bytes, strerror(r.err));
	ASSERT_GE(bytes, 0);
	TH_LOG("%d vCPUs: %.2f KiB of kernel memory each (budget %d KiB%s)",
	       KMEM_VCPUS, bytes / 1024.0 / KMEM_VCPUS, KMEM_BUDGET / 1024,
	       debug ? ", not enforced on a debug kernel" : "");
	if (!debug)
		EXPECT_LE(bytes, (long long)KMEM_BUDGET * KMEM_VCPUS);
}

TEST_HARNESS_MAIN
