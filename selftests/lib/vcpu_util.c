// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the /dev/vcpu selftests.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kselftest.h"
#include "vcpu_util.h"
#include "vmm.h"

#define PAGE_SIZE_4K	4096ULL
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL

int vcpu_open_dev(void)
{
	return open("/dev/" VCPU_DEVICE_NAME, O_RDWR | O_CLOEXEC);
}

/*
 * The kselftest convention for a missing subsystem: the whole binary
 * skips (KSFT_SKIP, "1..0 # SKIP"), before the harness reports each of
 * its tests as a pass that skipped.  Run before main() in every binary;
 * a device that exists but cannot be opened (EACCES) is left to the tests.
 */
__attribute__((constructor)) static void vcpu_require_device(void)
{
	int fd = vcpu_open_dev();

	if (fd >= 0) {
		close(fd);
		return;
	}
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO) {
		ksft_print_header();
		ksft_exit_skip("/dev/%s: %s (is the %s module loaded?)\n",
			       VCPU_DEVICE_NAME, strerror(errno),
			       VCPU_DEVICE_NAME);
	}
}

int vcpu_create_vm(int sys_fd)
{
	return ioctl(sys_fd, VCPU_CREATE_VM, 0);
}

int vcpu_create_vcpu(int vm_fd, unsigned long id)
{
	return ioctl(vm_fd, VCPU_CREATE_VCPU, id);
}

void *vcpu_alloc_mem(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void vcpu_free_mem(void *mem, size_t size)
{
	if (mem)
		munmap(mem, size);
}

int vcpu_set_region(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa,
		    uint64_t size, const void *uaddr)
{
	struct vcpu_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)uaddr,
	};

	return ioctl(vm_fd, VCPU_SET_MEMORY_REGION, &r);
}

struct vcpu_run *vcpu_map_run(int sys_fd, int vcpu_fd, size_t *size)
{
	int sz = ioctl(sys_fd, VCPU_GET_RUN_SIZE, 0);
	void *p;

	if (sz < 0)
		return NULL;
	if ((size_t)sz < sizeof(struct vcpu_run)) {
		errno = ERANGE;
		return NULL;
	}
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (size)
		*size = sz;
	return p;
}

int vcpu_setup(int fd, uint32_t mode, uint64_t entry, uint64_t stack,
	       uint64_t page_table, uint64_t arg)
{
	struct vcpu_setup s = {
		.mode = mode,
		.entry = entry,
		.stack = stack,
		.page_table = page_table,
		.arg = arg,
	};

	return ioctl(fd, VCPU_SETUP, &s);
}

int vcpu_bind(int fd, long cpu)
{
	return ioctl(fd, VCPU_BIND, (unsigned long)cpu);
}

int vcpu_unbind(int fd)
{
	return ioctl(fd, VCPU_UNBIND, 0);
}

int vcpu_run(int fd)
{
	return ioctl(fd, VCPU_RUN, 0);
}

int vcpu_get_regs(int fd, struct vcpu_regs *regs)
{
	return ioctl(fd, VCPU_GET_REGS, regs);
}

int vcpu_set_regs(int fd, const struct vcpu_regs *regs)
{
	return ioctl(fd, VCPU_SET_REGS, regs);
}

int vcpu_get_one_reg(int fd, uint64_t id, uint64_t *value)
{
	struct vcpu_one_reg r = { .id = id };
	int ret = ioctl(fd, VCPU_GET_ONE_REG, &r);

	if (!ret)
		*value = r.value;
	return ret;
}

int vcpu_set_one_reg(int fd, uint64_t id, uint64_t value)
{
	struct vcpu_one_reg r = { .id = id, .value = value };

	return ioctl(fd, VCPU_SET_ONE_REG, &r);
}

struct vcpu_reg_list *vcpu_get_reg_list(int fd)
{
	struct vcpu_reg_list *list;
	uint64_t n = 0;

	if (ioctl(fd, VCPU_GET_REG_LIST, &n) == 0 || errno != E2BIG)
		return NULL;
	list = calloc(1, sizeof(*list) + n * sizeof(list->reg[0]));
	if (!list)
		return NULL;
	list->n = n;
	if (ioctl(fd, VCPU_GET_REG_LIST, list)) {
		free(list);
		return NULL;
	}
	return list;
}

int vcpu_one_regs_save(int fd, struct vcpu_one_regs *s)
{
	uint64_t i;

	s->values = NULL;
	s->list = vcpu_get_reg_list(fd);
	if (!s->list)
		return -1;
	s->values = calloc(s->list->n ? s->list->n : 1, sizeof(*s->values));
	if (!s->values)
		return -1;
	for (i = 0; i < s->list->n; i++)
		if (vcpu_get_one_reg(fd, s->list->reg[i], &s->values[i]))
			return -1;
	return 0;
}

int vcpu_one_regs_restore(int fd, const struct vcpu_one_regs *s)
{
	uint64_t i;

	for (i = 0; i < s->list->n; i++) {
		if (vcpu_set_one_reg(fd, s->list->reg[i], s->values[i])) {
			fprintf(stderr, "SET_ONE_REG %#llx = %#llx: %s\n",
				(unsigned long long)s->list->reg[i],
				(unsigned long long)s->values[i],
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

void vcpu_one_regs_free(struct vcpu_one_regs *s)
{
	free(s->list);
	free(s->values);
	s->list = NULL;
	s->values = NULL;
}

int vcpu_get_state(int fd, struct vcpu_state_info *info)
{
	memset(info, 0, sizeof(*info));
	return ioctl(fd, VCPU_GET_STATE, info);
}

int vcpu_state(int fd)
{
	struct vcpu_state_info info;

	if (vcpu_get_state(fd, &info))
		return -1;
	return (int)info.state;
}

void vcpu_load_code(void *mem, uint64_t mem_gpa, uint64_t gpa,
		    const void *start, const void *end)
{
	size_t len = (const uint8_t *)end - (const uint8_t *)start;

	memcpy((uint8_t *)mem + (gpa - mem_gpa), start, len);
}

uint64_t vcpu_build_page_tables(void *mem, uint64_t mem_gpa, uint64_t pt_gpa,
				uint64_t map_size)
{
	/* libvmm's identity map (tools/vmm/core/pgtable.c). */
	if (vmm_x86_identity_map((uint8_t *)mem + (pt_gpa - mem_gpa), pt_gpa, map_size))
		return 0;
	return pt_gpa;
}

int vcpu_current_cpu(void)
{
	int cpu = sched_getcpu();

	return cpu < 0 ? 0 : cpu;
}

int vcpu_pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int vcpu_unpin_self(void)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int vcpu_online_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus[n++] = cpu;
	return n;
}

static void vcpu_kick_handler(int sig)
{
	(void)sig;
}

int vcpu_install_kick_handler(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vcpu_kick_handler;
	sa.sa_flags = 0;	/* no SA_RESTART: VCPU_RUN must see EINTR */
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

int vcpu_cpu_is_amd(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t eax = 0, ebx, ecx, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	/* "AuthenticAMD" */
	return ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163;
#else
	return 0;
#endif
}

static void *vcpu_runner_fn(void *arg)
{
	struct vcpu_runner *r = arg;

	if (r->cpu >= 0)
		vcpu_pin_self(r->cpu);
	if (r->start)
		pthread_barrier_wait(r->start);
	r->ret = vcpu_run(r->fd);
	r->err = errno;
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int vcpu_runner_start(struct vcpu_runner *r)
{
	int err;

	r->ret = -1;
	r->err = 0;
	r->done = 0;
	err = pthread_create(&r->thread, NULL, vcpu_runner_fn, r);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int vcpu_runner_join(struct vcpu_runner *r)
{
	int err = pthread_join(r->thread, NULL);

	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int vcpu_runner_done(struct vcpu_runner *r)
{
	return __atomic_load_n(&r->done, __ATOMIC_SEQ_CST);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vcpu_wait_nonzero(const volatile uint32_t *p, const int *done,
		      int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;

	for (;;) {
		if (p && __atomic_load_n(p, __ATOMIC_SEQ_CST))
			return 0;
		if (done && __atomic_load_n(done, __ATOMIC_SEQ_CST))
			return 0;
		if (now_ms() >= end) {
			errno = ETIMEDOUT;
			return -1;
		}
		usleep(1000);
	}
}

int vcpu_runner_wait(struct vcpu_runner *r, int timeout_ms)
{
	return vcpu_wait_nonzero(NULL, &r->done, timeout_ms);
}

/* Names come from vcpuctl's tables (tools/vcpuctl/names.c). */
const char *vcpu_exit_name(uint32_t reason)
{
	return vcpu_exit_reason_name(reason);
}

void vcpu_dump(FILE *f, int fd, const struct vcpu_run *run)
{
	static const char *const names[16] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	struct vcpu_state_info info;
	struct vcpu_regs regs;
	int i;

	if (!vcpu_get_state(fd, &info)) {
		info.fail_reason[VCPU_FAIL_REASON_LEN - 1] = '\0';
		fprintf(f, "# vcpu %u: state %s(%u) cpu %d last_exit %s(%u) exits %llu\n",
			info.vcpu_id, vcpu_state_name(info.state), info.state,
			info.bound_cpu, vcpu_exit_name(info.last_exit_reason),
			info.last_exit_reason, (unsigned long long)info.exits);
		if (info.state == VCPU_STATE_INVALID)
			fprintf(f, "#   failed: op %#x errno %s hw %#llx \"%s\"\n",
				info.fail_op, vcpu_errno_name(info.fail_errno),
				(unsigned long long)info.fail_hw_code,
				info.fail_reason);
	} else {
		fprintf(f, "# VCPU_GET_STATE: %s\n", vcpu_errno_name(errno));
	}
	if (run) {
		const uint64_t *w = (const uint64_t *)&run->hypercall;

		fprintf(f, "# run: exit %s(%u) seq %llu payload %016llx %016llx %016llx %016llx\n",
			vcpu_exit_name(run->exit_reason), run->exit_reason,
			(unsigned long long)run->exit_seq,
			(unsigned long long)w[0], (unsigned long long)w[1],
			(unsigned long long)w[2], (unsigned long long)w[3]);
	}
	if (vcpu_get_regs(fd, &regs)) {
		fprintf(f, "# VCPU_GET_REGS: %s\n", vcpu_errno_name(errno));
		return;
	}
	for (i = 0; i < 16; i += 4)
		fprintf(f, "#   %-3s %016llx %-3s %016llx %-3s %016llx %-3s %016llx\n",
			names[i], (unsigned long long)regs.gpr[i],
			names[i + 1], (unsigned long long)regs.gpr[i + 1],
			names[i + 2], (unsigned long long)regs.gpr[i + 2],
			names[i + 3], (unsigned long long)regs.gpr[i + 3]);
	fprintf(f, "#   pc  %016llx flags %016llx\n",
		(unsigned long long)regs.pc, (unsigned long long)regs.flags);
}

int vcpu_test_init_id(struct vcpu_test *t, size_t mem_size, unsigned int id)
{
	int saved;

	memset(t, 0, sizeof(*t));
	t->sys_fd = t->vm_fd = t->fd = -1;
	t->cpu = -1;
	t->id = id;
	t->sys_fd = vcpu_open_dev();
	if (t->sys_fd < 0)
		return -1;
	t->vm_fd = vcpu_create_vm(t->sys_fd);
	if (t->vm_fd < 0)
		goto fail;
	if (mem_size) {
		t->mem = vcpu_alloc_mem(mem_size);
		if (!t->mem)
			goto fail;
		t->mem_size = mem_size;
		if (vcpu_set_region(t->vm_fd, 0, 0, 0, mem_size, t->mem))
			goto fail;
	}
	t->fd = vcpu_create_vcpu(t->vm_fd, id);
	if (t->fd < 0)
		goto fail;
	t->run = vcpu_map_run(t->sys_fd, t->fd, &t->run_size);
	if (!t->run)
		goto fail;
	return 0;
fail:
	saved = errno;
	vcpu_test_fini(t);
	errno = saved;
	return -1;
}

int vcpu_test_init(struct vcpu_test *t, size_t mem_size)
{
	return vcpu_test_init_id(t, mem_size, 0);
}

void vcpu_test_load(struct vcpu_test *t, const void *start, const void *end)
{
	vcpu_load_code(t->mem, 0, VCPU_TEST_CODE_GPA, start, end);
}

uint64_t vcpu_test_page_table(struct vcpu_test *t, uint32_t mode)
{
	if (mode != VCPU_MODE_X86_LONG64)
		return 0;
	return vcpu_build_page_tables(t->mem, 0, VCPU_TEST_PT_GPA,
				      VCPU_TEST_PT_MAP);
}

int vcpu_test_setup(struct vcpu_test *t, uint32_t mode, uint64_t arg)
{
	return vcpu_setup(t->fd, mode, VCPU_TEST_CODE_GPA, VCPU_TEST_STACK_GPA,
			  vcpu_test_page_table(t, mode), arg);
}

int vcpu_test_start(struct vcpu_test *t, uint32_t mode, uint64_t arg, int cpu)
{
	if (vcpu_test_setup(t, mode, arg))
		return -1;
	if (cpu == VCPU_CPU_CURRENT)
		cpu = vcpu_current_cpu();
	if (vcpu_pin_self(cpu))
		return -1;
	if (vcpu_bind(t->fd, cpu))
		return -1;
	t->cpu = cpu;
	return 0;
}

void vcpu_test_fini(struct vcpu_test *t)
{
	if (t->run)
		munmap(t->run, t->run_size);
	if (t->fd >= 0)
		close(t->fd);
	if (t->vm_fd >= 0)
		close(t->vm_fd);
	if (t->sys_fd >= 0)
		close(t->sys_fd);
	vcpu_free_mem(t->mem, t->mem_size);
	memset(t, 0, sizeof(*t));
	t->sys_fd = t->vm_fd = t->fd = -1;
	t->cpu = -1;
}

bool vcpu_memcg_create(const char *path)
{
	char current[256];
	FILE *f;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) &&
	    mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL))
		return false;
	f = fopen("/sys/fs/cgroup/cgroup.subtree_control", "w");
	if (f) {
		fputs("+memory", f);
		fclose(f);
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return false;
	snprintf(current, sizeof(current), "%s/memory.current", path);
	return !access(current, R_OK);
}
