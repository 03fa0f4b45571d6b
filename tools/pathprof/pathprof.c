// SPDX-License-Identifier: GPL-2.0
/*
 * pathprof: the guest-side driver of make pathprof.  It runs the round
 * trips of vcpubench's user-exit and in-kernel-exit figures on /dev/vcpu
 * and on /dev/kvm, each scenario bracketed by a marker syscall that the
 * host's gdb (attached to QEMU's gdbstub) breaks on; from there gdb
 * single-steps the next two VCPU_RUN / KVM_RUN ioctls and the host side
 * (tools/pathprof/pathprof_gdb.py, pathprof_report.py) attributes every
 * instruction of one round trip to a function.
 *
 *   pathprof [--wait DEV] [-w WARMUP] [-k K] [--no-vcpu] [--no-kvm]
 *
 * --wait DEV: read one byte from DEV (a serial port, set raw by /init)
 * before the first scenario, so that the host can attach gdb and set its
 * breakpoint first (under -icount sleep=off the guest cannot just sleep).
 *
 * Per scenario: create the VM and the vCPU as vcpubench does (arch_*.c of
 * tools/vcpubench is linked in: the same guest code, the same setup),
 * WARMUP round trips, the marker sched_get_priority_min(PATHPROF_MAGIC +
 * id), then PATHPROF_TRIPS more round trips in the same loop shape as
 * vcpubench's (ioctl, check the exit), then close everything.  The marker
 * is a syscall nothing else in the initramfs makes; its argument names
 * the scenario (the kernel answers EINVAL, which is ignored).  A final
 * marker with id PATHPROF_DONE tells gdb to detach.
 *
 * The in-kernel exit guest makes K (default 4) in-kernel exits per user
 * exit; the host side cuts the in-kernel round trips out of the trace.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../vcpubench/arch.h"

#define PATHPROF_MAGIC		0x50a70000L
#define PATHPROF_DONE		0xff
#define PATHPROF_TRIPS		4	/* round trips after the marker */

/* Scenario ids: the marker argument minus PATHPROF_MAGIC. */
enum { SC_VCPU_USER = 1, SC_VCPU_KERNEL, SC_KVM_USER, SC_KVM_KERNEL };

static const char * const sc_name[] = {
	[SC_VCPU_USER] = "vcpu-user",
	[SC_VCPU_KERNEL] = "vcpu-kernel",
	[SC_KVM_USER] = "kvm-user",
	[SC_KVM_KERNEL] = "kvm-kernel",
};

static int warmup = 500, kloop = 4;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "pathprof: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(1);
}

/* The marker gdb breaks on (__x64_sys_ / __arm64_sys_sched_get_priority_min). */
static void marker(int id)
{
	syscall(SYS_sched_get_priority_min, PATHPROF_MAGIC + id);
}

static void *guest_mem(void (*code)(uint8_t *mem, int k), int k)
{
	uint8_t *mem = mmap(NULL, BENCH_GUEST_MEM, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (mem == MAP_FAILED)
		die("mmap guest memory");
	bench_arch_fill(mem, BENCH_GUEST_MEM);
	code(mem, k);
	return mem;
}

static void guest_user(uint8_t *mem, int k)
{
	(void)k;
	bench_arch_guest_user(mem);
}

/*
 * The loops below have the shape of vcpubench's mrun_outs / krun_outs:
 * one ioctl, one check of the exit, per round trip.  noinline keeps them
 * whole functions, easy to find in the trace.
 */
static __attribute__((noinline)) void vcpu_trips(int fd, struct vcpu_run *run, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		if (ioctl(fd, VCPU_RUN, 0))
			die("VCPU_RUN");
		if (!bench_arch_vcpu_user_exit(run))
			die("unexpected exit %u", run->exit_reason);
	}
}

static __attribute__((noinline)) void kvm_trips(int fd, struct kvm_run *run, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		if (ioctl(fd, KVM_RUN, 0))
			die("KVM_RUN");
		if (!bench_arch_kvm_user_exit(run))
			die("unexpected KVM exit %u", run->exit_reason);
	}
}

static void scenario_vcpu(int id)
{
	struct vcpu_memory_region r = { 0 };
	struct vcpu_setup s = { 0 };
	struct vcpu_run *run;
	int sys, vm, fd, run_size;
	uint8_t *mem;

	sys = open("/dev/vcpu", O_RDWR | O_CLOEXEC);
	if (sys < 0)
		die("open /dev/vcpu");
	run_size = ioctl(sys, VCPU_GET_RUN_SIZE, 0);
	vm = ioctl(sys, VCPU_CREATE_VM, 0);
	if (vm < 0)
		die("VCPU_CREATE_VM");
	mem = guest_mem(id == SC_VCPU_USER ? guest_user : bench_arch_guest_kernel, kloop);
	r.slot = 0;
	r.guest_phys_addr = 0;
	r.memory_size = BENCH_GUEST_MEM;
	r.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, VCPU_SET_MEMORY_REGION, &r))
		die("VCPU_SET_MEMORY_REGION");
	fd = ioctl(vm, VCPU_CREATE_VCPU, 0);
	if (fd < 0)
		die("VCPU_CREATE_VCPU");
	bench_arch_vcpu_setup(&s);
	if (ioctl(fd, VCPU_SETUP, &s))
		die("VCPU_SETUP");
	if (ioctl(fd, VCPU_BIND, 0UL))
		die("VCPU_BIND");
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (run == MAP_FAILED)
		die("mmap run page");

	vcpu_trips(fd, run, warmup);
	marker(id);
	vcpu_trips(fd, run, PATHPROF_TRIPS);

	munmap(run, run_size);
	close(fd);
	close(vm);
	close(sys);
	munmap(mem, BENCH_GUEST_MEM);
}

__attribute__((weak)) int bench_arch_kvm_vm_init(int vm)
{
	(void)vm;
	return 0;
}

struct kvm {
	int sys, vm, fd, run_size;
	struct kvm_run *run;
	uint8_t *mem;
};

static int kvm_open(struct kvm *k, void (*code)(uint8_t *mem, int k))
{
	struct kvm_userspace_memory_region r = { 0 };

	k->sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->sys < 0)
		return -1;
	k->run_size = ioctl(k->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	k->vm = ioctl(k->sys, KVM_CREATE_VM, 0);
	if (k->vm < 0)
		die("KVM_CREATE_VM");
	if (bench_arch_kvm_vm_init(k->vm))
		die("initialise the KVM VM");
	k->mem = guest_mem(code, kloop);
	r.slot = 0;
	r.guest_phys_addr = 0;
	r.memory_size = BENCH_GUEST_MEM;
	r.userspace_addr = (uintptr_t)k->mem;
	if (ioctl(k->vm, KVM_SET_USER_MEMORY_REGION, &r))
		die("KVM_SET_USER_MEMORY_REGION");
	k->fd = ioctl(k->vm, KVM_CREATE_VCPU, 0);
	if (k->fd < 0)
		die("KVM_CREATE_VCPU");
	k->run = mmap(NULL, k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, k->fd, 0);
	if (k->run == MAP_FAILED)
		die("mmap kvm_run");
	if (bench_arch_kvm_vcpu_init(k->vm, k->fd))
		die("initialise the KVM vCPU");
	return 0;
}

static void kvm_close(struct kvm *k)
{
	munmap(k->run, k->run_size);
	close(k->fd);
	close(k->vm);
	close(k->sys);
	munmap(k->mem, BENCH_GUEST_MEM);
}

static void scenario_kvm(int id)
{
	struct kvm k;

	if (kvm_open(&k, id == SC_KVM_USER ? guest_user : bench_arch_guest_kernel))
		die("open /dev/kvm");
	kvm_trips(k.fd, k.run, warmup);
	marker(id);
	kvm_trips(k.fd, k.run, PATHPROF_TRIPS);
	kvm_close(&k);
}

int main(int argc, char **argv)
{
	const char *wait_dev = NULL;
	int i, do_vcpu = 1, do_kvm = 1;
	/*
	 * As in vcpubench: one KVM VM with a vCPU stays open through the KVM
	 * scenarios, so KVM's static keys do not flip between them.
	 */
	struct kvm keep;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--wait") && i + 1 < argc)
			wait_dev = argv[++i];
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			warmup = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			kloop = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-vcpu"))
			do_vcpu = 0;
		else if (!strcmp(argv[i], "--no-kvm"))
			do_kvm = 0;
		else {
			fprintf(stderr, "usage: pathprof [--wait DEV] [-w WARMUP] [-k K] [--no-vcpu] [--no-kvm]\n");
			return 2;
		}
	}
	if (warmup < 0 || kloop < 2 || kloop > 65535)
		die("bad arguments");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (wait_dev) {
		char c;
		int fd = open(wait_dev, O_RDONLY | O_NOCTTY);

		if (fd < 0)
			die("open %s", wait_dev);
		printf("PATHPROF-WAIT\n");
		if (read(fd, &c, 1) != 1)
			die("read %s", wait_dev);
		close(fd);
	}
	printf("PATHPROF-GO warmup %d k %d trips %d\n", warmup, kloop, PATHPROF_TRIPS);
	if (do_vcpu) {
		for (i = SC_VCPU_USER; i <= SC_VCPU_KERNEL; i++) {
			scenario_vcpu(i);
			printf("PATHPROF-SCENARIO %s done\n", sc_name[i]);
		}
	}
	if (do_kvm) {
		if (kvm_open(&keep, guest_user)) {
			printf("PATHPROF-SCENARIO kvm: /dev/kvm not available\n");
		} else {
			for (i = SC_KVM_USER; i <= SC_KVM_KERNEL; i++) {
				scenario_kvm(i);
				printf("PATHPROF-SCENARIO %s done\n", sc_name[i]);
			}
			kvm_close(&keep);
		}
	}
	marker(PATHPROF_DONE);
	printf("PATHPROF-END\n");
	return 0;
}
