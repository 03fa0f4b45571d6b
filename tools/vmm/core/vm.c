// SPDX-License-Identifier: GPL-2.0
/*
 * The VM: /dev/vcpu, the VM fd, guest memory, the vCPU objects and the
 * thin wrappers over the vCPU ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sched.h>
#include <unistd.h>

#include "../vmm.h"
#include "core.h"

struct vmm_vm *vmm_vm_create(void)
{
	struct vmm_vm *vm = calloc(1, sizeof(*vm));
	int ret;

	if (!vm) {
		perror("vmm: VM");
		return NULL;
	}
	vm->sys_fd = vm->vm_fd = vm->stop_efd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	vm->t0_ns = vmm_now_ns();

	vm->sys_fd = open("/dev/" VCPU_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0) {
		perror("vmm: open /dev/" VCPU_DEVICE_NAME);
		goto err;
	}
	ret = ioctl(vm->sys_fd, VCPU_GET_API_VERSION, 0);
	if (ret != VCPU_API_VERSION) {
		fprintf(stderr, "vmm: /dev/vcpu speaks API %d, this VMM %d\n",
			ret, VCPU_API_VERSION);
		goto err;
	}
	ret = ioctl(vm->sys_fd, VCPU_GET_RUN_SIZE, 0);
	if (ret < (int)sizeof(struct vcpu_run)) {
		perror("vmm: VCPU_GET_RUN_SIZE");
		goto err;
	}
	vm->run_size = ret;
	vm->vm_fd = ioctl(vm->sys_fd, VCPU_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		perror("vmm: VCPU_CREATE_VM");
		goto err;
	}
	vm->stop_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->stop_efd < 0) {
		perror("vmm: eventfd");
		goto err;
	}
	return vm;
err:
	vmm_vm_destroy(vm);
	return NULL;
}

void vmm_vm_destroy(struct vmm_vm *vm)
{
	unsigned int i;

	if (!vm)
		return;
	if (vm->plat && vm->plat->destroy)
		vm->plat->destroy(vm);
	vmm_console_close(vm);
	for (i = 0; i < VMM_MAX_VCPUS; i++) {
		struct vmm_vcpu *vcpu = vm->vcpus[i];

		if (!vcpu)
			continue;
		if (vcpu->run)
			munmap(vcpu->run, vcpu->run_size);
		if (vcpu->fd >= 0)
			close(vcpu->fd);
		pthread_cond_destroy(&vcpu->wake);
		free(vcpu);
	}
	/* Closing the VM unpins its memory; only then unmap it. */
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	for (i = 0; i < vm->nr_mem; i++)
		munmap(vm->mem[i].host, vm->mem[i].size);
	if (vm->stop_efd >= 0)
		close(vm->stop_efd);
	if (vm->sys_fd >= 0)
		close(vm->sys_fd);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

void *vmm_mem_add(struct vmm_vm *vm, uint64_t gpa, uint64_t size, bool readonly)
{
	struct vcpu_memory_region r = {
		.slot = vm->nr_mem,
		.flags = readonly ? VCPU_MEM_READONLY : 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
	};
	void *host;

	if (vm->nr_mem == VMM_MAX_MEM) {
		fprintf(stderr, "vmm: more than %d memory regions\n", VMM_MAX_MEM);
		return NULL;
	}
	host = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED) {
		perror("vmm: guest memory");
		return NULL;
	}
	r.userspace_addr = (uintptr_t)host;
	if (ioctl(vm->vm_fd, VCPU_SET_MEMORY_REGION, &r)) {
		fprintf(stderr, "vmm: VCPU_SET_MEMORY_REGION [%#llx, +%#llx): %s\n",
			(unsigned long long)gpa, (unsigned long long)size,
			strerror(errno));
		munmap(host, size);
		return NULL;
	}
	vm->mem[vm->nr_mem++] = (struct vmm_mem){ gpa, size, host };
	return host;
}

void *vmm_gpa(struct vmm_vm *vm, uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < vm->nr_mem; i++) {
		const struct vmm_mem *m = &vm->mem[i];

		if (gpa >= m->gpa && gpa - m->gpa <= m->size &&
		    len <= m->size - (gpa - m->gpa))
			return m->host + (gpa - m->gpa);
	}
	return NULL;
}

int vmm_copy_to_guest(struct vmm_vm *vm, uint64_t gpa, const void *src, size_t len)
{
	void *dst = vmm_gpa(vm, gpa, len);

	if (!dst) {
		fprintf(stderr, "vmm: [%#llx, +%#zx) is not guest memory\n",
			(unsigned long long)gpa, len);
		return -1;
	}
	memcpy(dst, src, len);
	return 0;
}

struct vmm_vcpu *vmm_vcpu_create(struct vmm_vm *vm, unsigned int id, int host_cpu)
{
	struct vmm_vcpu *vcpu;

	if (id >= VMM_MAX_VCPUS || vm->vcpus[id]) {
		fprintf(stderr, "vmm: bad or duplicate vCPU id %u\n", id);
		return NULL;
	}
	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->host_cpu = host_cpu;
	vcpu->run_size = vm->run_size;
	pthread_cond_init(&vcpu->wake, NULL);
	vcpu->fd = ioctl(vm->vm_fd, VCPU_CREATE_VCPU, id);
	if (vcpu->fd < 0) {
		fprintf(stderr, "vmm: VCPU_CREATE_VCPU %u: %s\n", id, strerror(errno));
		goto err;
	}
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		vcpu->run = NULL;
		fprintf(stderr, "vmm: mmap vCPU %u: %s\n", id, strerror(errno));
		goto err;
	}
	pthread_mutex_lock(&vm->lock);
	vm->vcpus[id] = vcpu;
	if (id >= vm->nr_vcpus)
		vm->nr_vcpus = id + 1;
	pthread_mutex_unlock(&vm->lock);
	return vcpu;
err:
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	pthread_cond_destroy(&vcpu->wake);
	free(vcpu);
	return NULL;
}

struct vmm_vcpu *vmm_vcpu_by_id(struct vmm_vm *vm, unsigned int id)
{
	return id < VMM_MAX_VCPUS ? vm->vcpus[id] : NULL;
}

int vmm_vcpu_setup(struct vmm_vcpu *vcpu, uint32_t mode, uint64_t entry,
		   uint64_t stack, uint64_t page_table, uint64_t arg)
{
	struct vcpu_setup s = {
		.mode = mode, .flags = vcpu->vm->setup_flags, .entry = entry,
		.stack = stack, .page_table = page_table, .arg = arg,
	};

	if (ioctl(vcpu->fd, VCPU_SETUP, &s)) {
		fprintf(stderr, "vmm: vCPU %u: VCPU_SETUP: %s\n", vcpu->id,
			strerror(errno));
		return -1;
	}
	return 0;
}

int vmm_vcpu_bind(struct vmm_vcpu *vcpu)
{
	if (ioctl(vcpu->fd, VCPU_BIND, vcpu->host_cpu)) {
		fprintf(stderr, "vmm: vCPU %u: VCPU_BIND %d: %s\n", vcpu->id,
			vcpu->host_cpu, strerror(errno));
		return -1;
	}
	return 0;
}

int vmm_get_regs(struct vmm_vcpu *vcpu, struct vcpu_regs *regs)
{
	return ioctl(vcpu->fd, VCPU_GET_REGS, regs);
}

int vmm_set_regs(struct vmm_vcpu *vcpu, const struct vcpu_regs *regs)
{
	return ioctl(vcpu->fd, VCPU_SET_REGS, regs);
}

int vmm_get_one_reg(struct vmm_vcpu *vcpu, uint64_t id, uint64_t *val)
{
	struct vcpu_one_reg r = { .id = id };

	if (ioctl(vcpu->fd, VCPU_GET_ONE_REG, &r))
		return -1;
	*val = r.value;
	return 0;
}

int vmm_set_one_reg(struct vmm_vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct vcpu_one_reg r = { .id = id, .value = val };

	return ioctl(vcpu->fd, VCPU_SET_ONE_REG, &r);
}

int vmm_vcpu_inject(struct vmm_vcpu *vcpu, uint32_t irq)
{
	struct vcpu_irq i = { .irq = irq };

	return ioctl(vcpu->fd, VCPU_INJECT_IRQ, &i);
}

void vmm_vcpu_kick(struct vmm_vcpu *vcpu)
{
	ioctl(vcpu->fd, VCPU_KICK, 0);
}

int vmm_host_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int i, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (i = 0; i < CPU_SETSIZE && n < max; i++)
		if (CPU_ISSET(i, &set))
			cpus[n++] = i;
	return n;
}
