// SPDX-License-Identifier: GPL-2.0
/*
 * Name tables for the vcpu ABI.  Designated initialisers keep each name
 * next to its enum constant; a gap in a table shows up as "?".
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "../names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *const vcpu_exit_reason_names[VCPU_EXIT_NR] = {
	[VCPU_EXIT_NOTHING]		= "NOTHING",
	[VCPU_EXIT_HYPERCALL]		= "HYPERCALL",
	[VCPU_EXIT_MMIO_READ]		= "MMIO_READ",
	[VCPU_EXIT_MMIO_WRITE]		= "MMIO_WRITE",
	[VCPU_EXIT_SYSREG_READ]		= "SYSREG_READ",
	[VCPU_EXIT_SYSREG_WRITE]	= "SYSREG_WRITE",
	[VCPU_EXIT_IO_READ]		= "IO_READ",
	[VCPU_EXIT_IO_WRITE]		= "IO_WRITE",
	[VCPU_EXIT_EXTERNAL_INTERRUPT]	= "EXTERNAL_INTERRUPT",
	[VCPU_EXIT_NESTED_PAGE_FAULT]	= "NESTED_PAGE_FAULT",
	[VCPU_EXIT_HALT]		= "HALT",
	[VCPU_EXIT_CPU_UP]		= "CPU_UP",
	[VCPU_EXIT_CPU_DOWN]		= "CPU_DOWN",
	[VCPU_EXIT_SYSTEM_DOWN]		= "SYSTEM_DOWN",
	[VCPU_EXIT_SEND_IPI]		= "SEND_IPI",
	[VCPU_EXIT_FAIL_ENTRY]		= "FAIL_ENTRY",
	[VCPU_EXIT_INTR]		= "INTR",
	[VCPU_EXIT_SHUTDOWN]		= "SHUTDOWN",
	[VCPU_EXIT_INTERNAL_ERROR]	= "INTERNAL_ERROR",
};

static const char *const vcpu_state_names[] = {
	[VCPU_STATE_INVALID]	= "Invalid",
	[VCPU_STATE_CREATED]	= "Created",
	[VCPU_STATE_FREE]	= "Free",
	[VCPU_STATE_READY]	= "Ready",
	[VCPU_STATE_RUNNING]	= "Running",
	[VCPU_STATE_BLOCKED]	= "Blocked",
};

/* Command-line names of enum vcpu_mode. */
static const char *const vcpu_mode_names[] = {
	[VCPU_MODE_X86_REAL]	= "real",
	[VCPU_MODE_X86_PROT32]	= "prot32",
	[VCPU_MODE_X86_LONG64]	= "long64",
	[VCPU_MODE_ARM64_EL1]	= "el1",
};

static const char *const vcpu_internal_error_names[] = {
	[VCPU_INTERNAL_UNKNOWN_EXIT]	= "UNKNOWN_EXIT",
	[VCPU_INTERNAL_DECODE]		= "DECODE",
	[VCPU_INTERNAL_UNSUPPORTED]	= "UNSUPPORTED",
	[VCPU_INTERNAL_FETCH]		= "FETCH",
};

/* By _IOC_NR() of each VCPU_* ioctl. */
static const char *const vcpu_ioctl_names[] = {
	[0x00] = "VCPU_GET_API_VERSION",
	[0x01] = "VCPU_CREATE_VM",
	[0x02] = "VCPU_GET_RUN_SIZE",
	[0x10] = "VCPU_SET_MEMORY_REGION",
	[0x11] = "VCPU_CREATE_VCPU",
	[0x20] = "VCPU_SETUP",
	[0x21] = "VCPU_BIND",
	[0x22] = "VCPU_UNBIND",
	[0x23] = "VCPU_RUN",
	[0x24] = "VCPU_GET_REGS",
	[0x25] = "VCPU_SET_REGS",
	[0x26] = "VCPU_GET_ONE_REG",
	[0x27] = "VCPU_SET_ONE_REG",
	[0x28] = "VCPU_GET_STATE",
};

static const struct {
	int err;
	const char *name;
} vcpu_errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
	{ EBADFD, "EBADFD" }, { EAGAIN, "EAGAIN" },
};

static const char *const x86_reg_names[] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const x86_high_byte_names[] = { "ah", "ch", "dh", "bh" };

static const char *const arm64_reg_names[] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
	"x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
	"x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
	"x24", "x25", "x26", "x27", "x28", "x29", "x30", "xzr",
};

static const char *lookup(const char *const *table, size_t n, unsigned int i)
{
	if (i < n && table[i])
		return table[i];
	return "?";
}

const char *vcpu_exit_reason_name(unsigned int reason)
{
	return lookup(vcpu_exit_reason_names,
		      ARRAY_SIZE(vcpu_exit_reason_names), reason);
}

const char *vcpu_state_name(unsigned int state)
{
	return lookup(vcpu_state_names, ARRAY_SIZE(vcpu_state_names), state);
}

const char *vcpu_mode_name(unsigned int mode)
{
	return lookup(vcpu_mode_names, ARRAY_SIZE(vcpu_mode_names), mode);
}

unsigned int vcpu_mode_parse(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcpu_mode_names); i++)
		if (vcpu_mode_names[i] && !strcmp(vcpu_mode_names[i], name))
			return i;
	return 0;
}

const char *vcpu_internal_error_name(unsigned int suberror)
{
	return lookup(vcpu_internal_error_names,
		      ARRAY_SIZE(vcpu_internal_error_names), suberror);
}

const char *vcpu_ioctl_name(unsigned int nr)
{
	return lookup(vcpu_ioctl_names, ARRAY_SIZE(vcpu_ioctl_names), nr);
}

const char *vcpu_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vcpu_errno_names); i++)
		if (vcpu_errno_names[i].err == err)
			return vcpu_errno_names[i].name;
	return NULL;
}

const char *vcpu_reg_name(unsigned int reg, bool high_byte, bool arm64)
{
	if (arm64)
		return lookup(arm64_reg_names, ARRAY_SIZE(arm64_reg_names), reg);
	if (high_byte)
		return reg >= 4 ? lookup(x86_high_byte_names,
					 ARRAY_SIZE(x86_high_byte_names),
					 reg - 4) : "?";
	return lookup(x86_reg_names, ARRAY_SIZE(x86_reg_names), reg);
}
