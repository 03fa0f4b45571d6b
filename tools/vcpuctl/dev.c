// SPDX-License-Identifier: GPL-2.0
/* Helpers around the /dev/vcpu system fd and a vCPU fd. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "names.h"
#include "vcpuctl.h"

int vcpu_open_system(void)
{
	int fd, version;

	fd = open(VCPU_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		pr_errno("open %s (is the vcpu module loaded?)",
			 VCPU_DEVICE_PATH);
		return -1;
	}
	version = ioctl(fd, VCPU_GET_API_VERSION, 0);
	if (version < 0) {
		pr_errno("VCPU_GET_API_VERSION");
		goto err_close;
	}
	if (version != VCPU_API_VERSION) {
		pr_err("module API version %d, vcpuctl was built for %d",
		       version, VCPU_API_VERSION);
		goto err_close;
	}
	return fd;

err_close:
	close(fd);
	return -1;
}

int vcpu_get_state(int vcpu_fd, struct vcpu_state_info *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(vcpu_fd, VCPU_GET_STATE, info) < 0) {
		pr_errno("VCPU_GET_STATE");
		return -1;
	}
	/* Never trust the module to terminate the string. */
	info->fail_reason[VCPU_FAIL_REASON_LEN - 1] = '\0';
	return 0;
}

void vcpu_print_state(FILE *f, const struct vcpu_state_info *info)
{
	/* The ABI says "the errno": accept either sign. */
	int err = info->fail_errno < 0 ? -info->fail_errno : info->fail_errno;

	fprintf(f, "state=%s bound_cpu=%d exits=%" PRIu64,
		vcpu_state_name(info->state), info->bound_cpu,
		(uint64_t)info->exits);
	if (info->exits)
		fprintf(f, " last_exit=%s",
			vcpu_exit_reason_name(info->last_exit_reason));
	if (info->state == VCPU_STATE_INVALID)
		fprintf(f, " failed_op=%s errno=%d (%s) hw_code=0x%" PRIx64
			" reason=\"%s\"",
			vcpu_ioctl_name(info->fail_op), err, strerror(err),
			(uint64_t)info->fail_hw_code, info->fail_reason);
	fputc('\n', f);
}

void vcpu_dump(int vcpu_fd, bool arm64)
{
	struct vcpu_state_info info;
	struct vcpu_regs regs;
	unsigned int i, n = arm64 ? 31 : 16;

	fflush(stdout);
	if (!vcpu_get_state(vcpu_fd, &info)) {
		fputs("vcpuctl: vcpu ", stderr);
		vcpu_print_state(stderr, &info);
	}

	memset(&regs, 0, sizeof(regs));
	if (ioctl(vcpu_fd, VCPU_GET_REGS, &regs) < 0) {
		pr_errno("VCPU_GET_REGS");
		return;
	}
	fprintf(stderr, "vcpuctl: pc=0x%016" PRIx64 " flags=0x%" PRIx64 "\n",
		(uint64_t)regs.pc, (uint64_t)regs.flags);
	for (i = 0; i < n; i++) {
		fprintf(stderr, "%s%-3s=0x%016" PRIx64,
			i % 4 ? " " : "vcpuctl: ",
			vcpu_reg_name(i, false, arm64), (uint64_t)regs.gpr[i]);
		if (i % 4 == 3 || i == n - 1)
			fputc('\n', stderr);
	}
	if (arm64)
		fprintf(stderr, "vcpuctl: sp_el1=0x%016" PRIx64 "\n",
			(uint64_t)regs.gpr[31]);
}

int vcpu_pin_cpu(int *cpu)
{
	cpu_set_t *set;
	size_t size;
	int ret;

	if (*cpu < 0) {
		*cpu = sched_getcpu();
		if (*cpu < 0) {
			pr_errno("sched_getcpu");
			return -1;
		}
	}
	set = CPU_ALLOC(*cpu + 1);
	if (!set) {
		pr_errno("CPU_ALLOC");
		return -1;
	}
	size = CPU_ALLOC_SIZE(*cpu + 1);
	CPU_ZERO_S(size, set);
	CPU_SET_S(*cpu, size, set);
	ret = sched_setaffinity(0, size, set);
	CPU_FREE(set);
	if (ret < 0) {
		pr_errno("cannot run on CPU %d", *cpu);
		return -1;
	}
	return 0;
}
