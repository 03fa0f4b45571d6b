// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the vcpu module, for testing vcpuctl on hosts without
 * virtualization: LD_PRELOAD it and /dev/vcpu becomes a user-space model of
 * the ABI's fds, state machine and shared page.  Instead of a CPU it plays
 * the scripted guest named by $FAKE_VCPU_SCENARIO, and checks every
 * completion vcpuctl writes; a wrong one ends the run with an
 * INTERNAL_ERROR exit whose suberror is 99.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vcpu.h>

#define FAKE_BAD_COMPLETION	99
static const char hello_msg[] = "Hello from a vcpu guest\n";

static int sys_fd = -1, vm_fd = -1, vcpu_fd = -1;
static struct vcpu_run *run;
static struct vcpu_state_info info = { .bound_cpu = -1 };
static struct vcpu_setup setup;
static struct vcpu_memory_region slots[VCPU_MAX_MEM_SLOTS];
static const char *scenario = "hello";
static unsigned int step;		/* exits delivered so far */
static unsigned int pending;		/* exit awaiting completion */
static uint64_t want;			/* the completion expected */

static int (*real_open)(const char *, int, ...);
static int (*real_ioctl)(int, unsigned long, ...);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);

static void __attribute__((constructor)) fake_init(void)
{
	const char *s = getenv("FAKE_VCPU_SCENARIO");

	real_open = dlsym(RTLD_NEXT, "open");
	real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	real_mmap = dlsym(RTLD_NEXT, "mmap");
	if (s)
		scenario = s;
}

static int new_fd(void)
{
	return real_open("/dev/null", O_RDWR | O_CLOEXEC);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	if (!strcmp(path, "/dev/vcpu")) {
		sys_fd = new_fd();
		return sys_fd;
	}
	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	return real_open(path, flags, mode);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd >= 0 && fd == vcpu_fd) {
		run = real_mmap(NULL, len, prot, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0);
		return run;
	}
	return real_mmap(addr, len, prot, flags, fd, off);
}

static uint8_t *guest(uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < VCPU_MAX_MEM_SLOTS; i++) {
		struct vcpu_memory_region *r = &slots[i];

		if (r->memory_size && gpa >= r->guest_phys_addr &&
		    gpa < r->guest_phys_addr + r->memory_size)
			return (uint8_t *)(uintptr_t)(r->userspace_addr +
						      gpa - r->guest_phys_addr);
	}
	return NULL;
}

/* Walk the guest's 4-level tables: the physical address of @va, or ~0. */
static uint64_t walk(uint64_t cr3, uint64_t va)
{
	static const unsigned int shifts[] = { 39, 30, 21, 12 };
	uint64_t table = cr3 & ~0xfffULL, e = 0;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		uint8_t *p = guest(table + ((va >> shifts[i]) & 511) * 8);

		if (!p)
			return ~0ULL;
		memcpy(&e, p, 8);
		if (!(e & 1))
			return ~0ULL;
		if (i == 2 && (e & 0x80))
			return (e & 0xffffffe00000ULL) | (va & 0x1fffff);
		table = e & 0xffffffffff000ULL;
	}
	return table | (va & 0xfff);
}

/* Exits */

static void exit_io(int write, uint16_t port, uint8_t width, uint64_t data)
{
	run->exit_reason = write ? VCPU_EXIT_IO_WRITE : VCPU_EXIT_IO_READ;
	run->io.port = port;
	run->io.width = width;
	run->io.count = 1;
	run->io.data = write ? data : 0xdeadbeef;
	want = data;
}

static void exit_mmio(int write, uint64_t addr, uint8_t width, uint64_t data)
{
	run->exit_reason = write ? VCPU_EXIT_MMIO_WRITE : VCPU_EXIT_MMIO_READ;
	run->mmio.addr = addr;
	run->mmio.width = width;
	run->mmio.reg = VCPU_REG_RAX;
	run->mmio.reg_width = width;
	run->mmio.sign_extend = 0;
	run->mmio.data = write ? data : 0xdeadbeef;
	want = data;
}

static void exit_hypercall(uint64_t nr)
{
	unsigned int i;

	run->exit_reason = VCPU_EXIT_HYPERCALL;
	run->hypercall.nr = nr;
	for (i = 0; i < 6; i++)
		run->hypercall.args[i] = nr ? 0x11 * (i + 1) : 0;
	run->hypercall.ret = 0xdeadbeef;
	want = 0;
}

static void exit_internal(unsigned int suberror, uint64_t d0)
{
	run->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 1;
	run->internal.data[0] = d0;
	run->internal.insn_len = 3;
	memcpy(run->internal.insn, "\x0f\x01\xd9", 3);
}

static void make_invalid(int err, const char *why)
{
	info.state = VCPU_STATE_INVALID;
	info.fail_errno = err;
	info.fail_op = 0x23;
	snprintf(info.fail_reason, sizeof(info.fail_reason), "%s", why);
}

/* The value vcpuctl wrote to complete the pending exit, if any. */
static int check_completion(void)
{
	uint64_t got;

	switch (pending) {
	case VCPU_EXIT_IO_READ:
		got = run->io.data;
		break;
	case VCPU_EXIT_MMIO_READ:
		got = run->mmio.data;
		break;
	case VCPU_EXIT_HYPERCALL:
		got = run->hypercall.ret;
		break;
	default:
		return 0;
	}
	if (got == want)
		return 0;
	fprintf(stderr, "fake: exit %u: completion 0x%llx, expected 0x%llx\n",
		step, (unsigned long long)got, (unsigned long long)want);
	return -1;
}

/* hello and hello64: 24 x (IN 0x3fd, OUT 0x3f8), VMMCALL, 2 MMIO, off. */
static int play_hello(int is64)
{
	unsigned int n = sizeof(hello_msg) - 1, i = step;
	uint64_t mmio = is64 ? 0xc0000000 : 0xb8000;

	if (i < 2 * n) {
		if (i % 2)
			exit_io(1, 0x3f8, 1, (uint8_t)hello_msg[i / 2]);
		else
			exit_io(0, 0x3fd, 1, 0x60);
		return 0;
	}
	switch (i - 2 * n) {
	case 0:
		exit_hypercall(1);
		return 0;
	case 1:
		exit_mmio(1, mmio, 1, 'H');
		return 0;
	case 2:
		exit_mmio(0, mmio + 4, 4, 0);
		return 0;
	case 3:
		if (is64)
			exit_hypercall(0);
		else
			exit_io(1, 0x604, 2, 0x2000);
		return 0;
	}
	exit_internal(FAKE_BAD_COMPLETION, 0);	/* ran past power off */
	return 0;
}

static int play(void)
{
	if (!strcmp(scenario, "hello"))
		return play_hello(0);
	if (!strcmp(scenario, "hello64"))
		return play_hello(1);
	if (!strcmp(scenario, "halt")) {
		run->exit_reason = VCPU_EXIT_HALT;
		return 0;
	}
	if (!strcmp(scenario, "debugexit")) {
		exit_io(1, 0xf4, 1, 0x10);
		return 0;
	}
	if (!strcmp(scenario, "ports")) {	/* unknown port, then off */
		if (step == 0)
			exit_io(0, 0x80, 2, 0xffff);
		else if (step == 1)
			exit_io(0, 0x71, 4, 0xffffffff);
		else
			exit_hypercall(0);
		return 0;
	}
	if (!strcmp(scenario, "loop")) {
		exit_io(0, 0x3fd, 1, 0x60);
		return 0;
	}
	if (!strcmp(scenario, "spurious-eintr")) {
		if (step == 0) {
			run->exit_reason = VCPU_EXIT_INTR;
			errno = EINTR;
			return -1;
		}
		run->exit_reason = VCPU_EXIT_HALT;
		return 0;
	}
	if (!strcmp(scenario, "sigint")) {
		if (step == 3) {
			kill(getpid(), SIGINT);
			run->exit_reason = VCPU_EXIT_INTR;
			errno = EINTR;
			return -1;
		}
		exit_io(0, 0x3fd, 1, 0x60);
		return 0;
	}
	if (!strcmp(scenario, "fail-entry")) {
		run->exit_reason = VCPU_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_entry_failure_reason = 0xffffffffULL;
		run->fail_entry.cpu = info.bound_cpu;
		make_invalid(EINVAL, "VMRUN: VMEXIT_INVALID");
		info.fail_hw_code = 0xffffffffULL;
		return 0;
	}
	if (!strcmp(scenario, "shutdown")) {
		run->exit_reason = VCPU_EXIT_SHUTDOWN;
		make_invalid(EFAULT, "triple fault");
		return 0;
	}
	if (!strcmp(scenario, "internal")) {
		exit_internal(VCPU_INTERNAL_DECODE, 0xc0000000);
		return 0;
	}
	if (!strcmp(scenario, "npf")) {
		run->exit_reason = VCPU_EXIT_NESTED_PAGE_FAULT;
		run->npf.gpa = 0x2000;
		run->npf.access = VCPU_NPF_WRITE | VCPU_NPF_PRESENT;
		run->npf.hw_info = 0x7;
		return 0;
	}
	if (!strcmp(scenario, "unknown")) {
		run->exit_reason = 77;
		return 0;
	}
	if (!strcmp(scenario, "run-error")) {
		make_invalid(ENOMEM, "out of memory");
		errno = EIO;
		return -1;
	}
	fprintf(stderr, "fake: unknown scenario %s\n", scenario);
	errno = ENOSYS;
	return -1;
}

static int do_run(void)
{
	int ret;

	if (info.state != VCPU_STATE_READY) {
		errno = info.state == VCPU_STATE_INVALID ? EIO : EBADFD;
		return -1;
	}
	if (run->immediate_exit) {
		run->exit_reason = VCPU_EXIT_INTR;
		errno = EINTR;
		return -1;
	}
	if (check_completion()) {
		exit_internal(FAKE_BAD_COMPLETION, step);
		make_invalid(EINVAL, "bad completion");
		return 0;
	}
	pending = 0;
	ret = play();
	if (ret < 0) {
		if (errno == EINTR)
			step++;		/* scenarios count it as a step */
		return ret;
	}
	pending = run->exit_reason;
	run->exit_seq++;
	info.exits++;
	info.last_exit_reason = run->exit_reason;
	step++;
	return 0;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

/* State rule: @from is required, else EIO (Invalid) or EBADFD. */
static int need(unsigned int from)
{
	if (info.state == from)
		return 0;
	return fail(info.state == VCPU_STATE_INVALID ? EIO : EBADFD);
}

static int vcpu_ioctl(unsigned long req, unsigned long arg)
{
	switch (req) {
	case VCPU_SETUP:
		if (need(VCPU_STATE_CREATED))
			return -1;
		memcpy(&setup, (void *)arg, sizeof(setup));
		if (setup.mode == VCPU_MODE_X86_LONG64) {
			/* The tables must map code and the MMIO address. */
			if (walk(setup.page_table, setup.entry) != setup.entry ||
			    walk(setup.page_table, 0xc0000004) != 0xc0000004 ||
			    !guest(setup.stack - 8)) {
				fprintf(stderr, "fake: bad long64 setup\n");
				return fail(EINVAL);
			}
		}
		if (!strncmp(scenario, "hello", 5) &&
		    (!guest(setup.entry) || *guest(setup.entry) != 0xfa)) {
			fprintf(stderr, "fake: no image (cli) at the entry\n");
			return fail(EINVAL);
		}
		info.state = VCPU_STATE_FREE;
		return 0;
	case VCPU_BIND:
		if (need(VCPU_STATE_FREE))
			return -1;
		if ((long)arg != sched_getcpu())
			fprintf(stderr, "fake: bind %ld from cpu %d\n",
				(long)arg, sched_getcpu());
		info.state = VCPU_STATE_READY;
		info.bound_cpu = (int)arg;
		return 0;
	case VCPU_UNBIND:
		if (need(VCPU_STATE_READY))
			return -1;
		info.state = VCPU_STATE_FREE;
		info.bound_cpu = -1;
		return 0;
	case VCPU_RUN:
		return do_run();
	case VCPU_GET_REGS:
		if (info.state != VCPU_STATE_FREE &&
		    info.state != VCPU_STATE_READY &&
		    info.state != VCPU_STATE_INVALID)
			return fail(EBADFD);
		memset((void *)arg, 0, sizeof(struct vcpu_regs));
		((struct vcpu_regs *)arg)->pc = setup.entry + 0x10;
		((struct vcpu_regs *)arg)->gpr[VCPU_REG_RSP] = setup.stack;
		return 0;
	case VCPU_GET_STATE:
		memcpy((void *)arg, &info, sizeof(info));
		return 0;
	}
	return fail(ENOTTY);
}

int ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	if (fd < 0 || (fd != sys_fd && fd != vm_fd && fd != vcpu_fd))
		return real_ioctl(fd, req, arg);

	if (fd == sys_fd) {
		switch (req) {
		case VCPU_GET_API_VERSION:
			return VCPU_API_VERSION;
		case VCPU_GET_RUN_SIZE:
			return 4096;
		case VCPU_CREATE_VM:
			vm_fd = new_fd();
			return vm_fd;
		}
		return fail(ENOTTY);
	}
	if (fd == vm_fd) {
		struct vcpu_memory_region *r = (void *)arg;

		switch (req) {
		case VCPU_SET_MEMORY_REGION:
			if (r->slot >= VCPU_MAX_MEM_SLOTS ||
			    (r->guest_phys_addr | r->memory_size |
			     r->userspace_addr) & 0xfff)
				return fail(EINVAL);
			slots[r->slot] = *r;
			return 0;
		case VCPU_CREATE_VCPU:
			if (vcpu_fd >= 0)
				return fail(EEXIST);
			vcpu_fd = new_fd();
			info.state = VCPU_STATE_CREATED;
			info.vcpu_id = (uint32_t)arg;
			return vcpu_fd;
		}
		return fail(ENOTTY);
	}
	return vcpu_ioctl(req, arg);
}
