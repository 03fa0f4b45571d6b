// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl state: a self-test of the state machine.  It walks one vCPU
 * Created -> Free -> Ready -> Free, makes a call the ABI forbids in each
 * state, and checks after every step the errno, the state and the bound
 * CPU that VCPU_GET_STATE reports.  Nothing is run.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest.h"
#include "names.h"
#include "vcpuctl.h"

#define STATE_MEM_SIZE		0x10000ULL
#define STATE_ENTRY		0x1000ULL
#define STATE_STACK		0xfff0ULL
#define UNBOUND			-1

struct walk {
	int vcpu_fd;
	unsigned int checks;
	unsigned int failed;
};

static void state_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl state [--cpu N]\n"
"\n"
"Self-test of the vCPU state machine: create a VM (with 64 KiB of memory)\n"
"and vCPU 0, then SETUP (real mode, entry 0x1000), BIND and UNBIND it,\n"
"printing VCPU_GET_STATE after every step.  Between the steps, calls the\n"
"ABI forbids in the current state must fail with EBADFD and leave the\n"
"state as it was.  The guest never runs.\n"
"\n"
"options:\n"
"  --cpu N      the physical CPU to bind to (default: the current CPU)\n"
"  -h, --help   this text\n"
"\n"
"Exit status: 0 when every check passed, 1 otherwise.\n");
}

/* 0 or the errno of the call. */
static int call(int fd, unsigned long req, unsigned long arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

static void print_errno(int err, int width)
{
	const char *name = vcpu_errno_name(err);

	if (!err)
		printf("%-*s", width, "ok");
	else if (name)
		printf("%-*s", width, name);
	else
		printf("errno %-*d", width > 6 ? width - 6 : 0, err);
}

/*
 * After @step returned @err (0 or an errno), expect @want_err and the
 * vCPU in @want_state bound to @want_cpu.  Prints one line; true if met.
 */
static bool check(struct walk *w, const char *step, int err, int want_err,
		  unsigned int want_state, int want_cpu)
{
	struct vcpu_state_info info;
	bool ok;

	w->checks++;
	memset(&info, 0, sizeof(info));
	if (ioctl(w->vcpu_fd, VCPU_GET_STATE, &info) < 0) {
		printf("  %-26s VCPU_GET_STATE failed: %s  FAIL\n", step,
		       strerror(errno));
		w->failed++;
		return false;
	}
	ok = err == want_err && info.state == want_state &&
	     info.bound_cpu == want_cpu && info.vcpu_id == 0;

	printf("  %-26s ", step);
	print_errno(err, 8);
	printf(" state=%-8s bound_cpu=%-3d %s", vcpu_state_name(info.state),
	       info.bound_cpu, ok ? "ok" : "FAIL");
	if (!ok) {
		printf(" (expected ");
		print_errno(want_err, 0);
		printf(" state=%s bound_cpu=%d vcpu_id=0; got vcpu_id=%u)",
		       vcpu_state_name(want_state), want_cpu, info.vcpu_id);
		w->failed++;
	}
	putchar('\n');
	if (info.state == VCPU_STATE_INVALID) {
		info.fail_reason[VCPU_FAIL_REASON_LEN - 1] = '\0';
		printf("  %-26s ", "");
		vcpu_print_state(stdout, &info);
	}
	return ok;
}

static int walk_states(int vm_fd, int cpu)
{
	struct vcpu_setup setup = {
		.mode = VCPU_MODE_X86_REAL,
		.entry = STATE_ENTRY,
		.stack = STATE_STACK,
	};
	struct walk w = { .vcpu_fd = -1 };
	struct vcpu_regs regs;
	char step[32];
	int err;

#if defined(__aarch64__)
	setup.mode = VCPU_MODE_ARM64_EL1;
#endif
	w.vcpu_fd = ioctl(vm_fd, VCPU_CREATE_VCPU, 0);
	if (w.vcpu_fd < 0) {
		pr_errno("VCPU_CREATE_VCPU");
		return VCPUCTL_EXIT_ERROR;
	}

	if (!check(&w, "VCPU_CREATE_VCPU 0", 0, 0, VCPU_STATE_CREATED,
		   UNBOUND))
		goto out;
	err = call(w.vcpu_fd, VCPU_BIND, cpu);
	check(&w, "VCPU_BIND in Created", err, EBADFD, VCPU_STATE_CREATED,
	      UNBOUND);
	err = call(w.vcpu_fd, VCPU_GET_REGS, (unsigned long)&regs);
	check(&w, "VCPU_GET_REGS in Created", err, EBADFD, VCPU_STATE_CREATED,
	      UNBOUND);

	snprintf(step, sizeof(step), "VCPU_SETUP %s 0x%llx",
		 vcpu_mode_name(setup.mode), (unsigned long long)setup.entry);
	err = call(w.vcpu_fd, VCPU_SETUP, (unsigned long)&setup);
	if (!check(&w, step, err, 0, VCPU_STATE_FREE, UNBOUND))
		goto out;
	err = call(w.vcpu_fd, VCPU_RUN, 0);
	check(&w, "VCPU_RUN in Free", err, EBADFD, VCPU_STATE_FREE, UNBOUND);
	err = call(w.vcpu_fd, VCPU_UNBIND, 0);
	check(&w, "VCPU_UNBIND in Free", err, EBADFD, VCPU_STATE_FREE,
	      UNBOUND);
	err = call(w.vcpu_fd, VCPU_GET_REGS, (unsigned long)&regs);
	check(&w, "VCPU_GET_REGS in Free", err, 0, VCPU_STATE_FREE, UNBOUND);

	snprintf(step, sizeof(step), "VCPU_BIND cpu %d", cpu);
	err = call(w.vcpu_fd, VCPU_BIND, cpu);
	if (!check(&w, step, err, 0, VCPU_STATE_READY, cpu))
		goto out;
	err = call(w.vcpu_fd, VCPU_SETUP, (unsigned long)&setup);
	check(&w, "VCPU_SETUP in Ready", err, EBADFD, VCPU_STATE_READY, cpu);
	err = call(w.vcpu_fd, VCPU_BIND, cpu);
	check(&w, "VCPU_BIND in Ready", err, EBADFD, VCPU_STATE_READY, cpu);
	err = call(w.vcpu_fd, VCPU_GET_REGS, (unsigned long)&regs);
	check(&w, "VCPU_GET_REGS in Ready", err, 0, VCPU_STATE_READY, cpu);

	err = call(w.vcpu_fd, VCPU_UNBIND, 0);
	check(&w, "VCPU_UNBIND", err, 0, VCPU_STATE_FREE, UNBOUND);

out:
	close(w.vcpu_fd);
	printf("%u checks, %u failed\n", w.checks, w.failed);
	return w.failed ? VCPUCTL_EXIT_ERROR : VCPUCTL_EXIT_OK;
}

static const struct option state_options[] = {
	{ "cpu",	required_argument,	NULL, 'c' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 },
};

int cmd_state(int argc, char **argv)
{
	struct guest_mem mem;
	int sys_fd, vm_fd, cpu = -1, c;
	int status = VCPUCTL_EXIT_ERROR;
	uint64_t v;

	while ((c = getopt_long(argc, argv, "h", state_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (parse_u64(optarg, &v, false) || v >= INT_MAX) {
				pr_err("state: invalid --cpu '%s'", optarg);
				return VCPUCTL_EXIT_ERROR;
			}
			cpu = (int)v;
			break;
		case 'h':
			state_usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'vcpuctl state --help'.\n");
			return VCPUCTL_EXIT_ERROR;
		}
	}
	if (optind != argc) {
		pr_err("state: unexpected argument '%s'", argv[optind]);
		fprintf(stderr, "Try 'vcpuctl state --help'.\n");
		return VCPUCTL_EXIT_ERROR;
	}
	if (vcpu_pin_cpu(&cpu))
		return VCPUCTL_EXIT_ERROR;

	if (guest_mem_create(&mem, STATE_MEM_SIZE, false))
		return VCPUCTL_EXIT_ERROR;
	sys_fd = vcpu_open_system();
	if (sys_fd < 0)
		goto err_mem;
	vm_fd = ioctl(sys_fd, VCPU_CREATE_VM, 0);
	if (vm_fd < 0) {
		pr_errno("VCPU_CREATE_VM");
		goto err_sys;
	}
	if (guest_mem_register(&mem, vm_fd))
		goto err_vm;

	printf("vcpu state machine, API version %d, cpu %d:\n",
	       VCPU_API_VERSION, cpu);
	fflush(stdout);
	status = walk_states(vm_fd, cpu);

err_vm:
	close(vm_fd);
err_sys:
	close(sys_fd);
err_mem:
	guest_mem_destroy(&mem);
	return status;
}
