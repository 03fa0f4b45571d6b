// SPDX-License-Identifier: GPL-2.0
/* Loading the OS-like x86 test guest (guest_os.h). */
#include <errno.h>
#include <string.h>

#include "guest_os.h"

extern const uint8_t guest_os_start[], guest_os_end[];

int vcpu_os_boot(struct vcpu_test *t, const void *start, const void *end,
		   uint32_t arg, int cpu)
{
	size_t n = (const uint8_t *)end - (const uint8_t *)start;
	struct vcpu_regs regs;

	if (vcpu_test_init(t, VCPU_TEST_MEM_SIZE))
		return -1;
	if (GUEST_OS_BODY_GPA + n > t->mem_size) {
		errno = E2BIG;
		return -1;
	}
	vcpu_test_load(t, guest_os_start, guest_os_end);
	memcpy(t->mem + GUEST_OS_BODY_GPA, start, n);
	if (vcpu_test_setup(t, VCPU_MODE_X86_REAL, 0))
		return -1;
	if (vcpu_get_regs(t->fd, &regs))
		return -1;
	regs.gpr[VCPU_REG_RSI] = arg;
	if (vcpu_set_regs(t->fd, &regs))
		return -1;
	if (cpu == VCPU_CPU_CURRENT)
		cpu = vcpu_current_cpu();
	if (vcpu_pin_self(cpu) || vcpu_bind(t->fd, cpu))
		return -1;
	t->cpu = cpu;
	return 0;
}
