// SPDX-License-Identifier: GPL-2.0
/*
 * x86 exits whose meaning does not depend on the vendor: the backends
 * decode their own exit information and call these to fill the shared
 * ABI and to apply userspace's completion.
 */
#include <linux/mm.h>

#include "vcpu.h"
#include "x86.h"
#include "apic.h"

/* Hypercall: nr in RAX, arguments in RDI, RSI, RDX, RCX, R8, R9. */
void vcpu_x86_hypercall_exit(const u64 *gprs, struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_HYPERCALL;
	exit->hypercall.nr = gprs[VCPU_REG_RAX];
	exit->hypercall.args[0] = gprs[VCPU_REG_RDI];
	exit->hypercall.args[1] = gprs[VCPU_REG_RSI];
	exit->hypercall.args[2] = gprs[VCPU_REG_RDX];
	exit->hypercall.args[3] = gprs[VCPU_REG_RCX];
	exit->hypercall.args[4] = gprs[VCPU_REG_R8];
	exit->hypercall.args[5] = gprs[VCPU_REG_R9];
}

/* IN or OUT of @width bytes (1, 2 or 4) at @port, data in/from RAX. */
void vcpu_x86_io_exit(const u64 *gprs, u16 port, unsigned int width, bool in,
		      struct vcpu_run *exit)
{
	if (!in && vcpu_x86_platform_out(port, width, gprs[VCPU_REG_RAX], exit))
		return;
	exit->io.port = port;
	exit->io.width = width;
	exit->io.count = 1;
	if (in) {
		exit->exit_reason = VCPU_EXIT_IO_READ;
	} else {
		exit->exit_reason = VCPU_EXIT_IO_WRITE;
		exit->io.data = gprs[VCPU_REG_RAX] &
				(width == 4 ? 0xffffffffULL :
					      (1ULL << (width * 8)) - 1);
	}
}

void vcpu_x86_unsupported_exit(u64 code, u64 info1, u64 info2,
			       struct vcpu_run *exit)
{
	exit->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
	exit->internal.suberror = VCPU_INTERNAL_UNSUPPORTED;
	exit->internal.ndata = 3;
	exit->internal.data[0] = code;
	exit->internal.data[1] = info1;
	exit->internal.data[2] = info2;
}

unsigned int vcpu_x86_npf_exit(struct vcpu *vcpu,
			       const struct vcpu_x86_guest *g, const u64 *gprs,
			       u64 gpa, unsigned int access, u64 hw_info,
			       struct vcpu_x86_insn *insn,
			       struct vcpu_run *exit)
{
	unsigned int prot;

	if (!vcpu_pt_lookup(&vcpu->vm->pt, gpa & PAGE_MASK, NULL, &prot)) {
		if ((access & VCPU_NPF_WRITE) && !(prot & VCPU_PT_WRITE)) {
			exit->exit_reason = VCPU_EXIT_NESTED_PAGE_FAULT;
			exit->npf.gpa = gpa;
			exit->npf.access = VCPU_NPF_WRITE | VCPU_NPF_PRESENT;
			exit->npf.hw_info = hw_info;
			return 0;
		}
		/* Mapped meanwhile (a region was added): just retry. */
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return 0;
	}
	if (access & VCPU_NPF_EXEC) {
		exit->exit_reason = VCPU_EXIT_NESTED_PAGE_FAULT;
		exit->npf.gpa = gpa;
		exit->npf.access = VCPU_NPF_EXEC;
		exit->npf.hw_info = hw_info;
		return 0;
	}
	return vcpu_x86_mmio_exit(vcpu, g, gprs, gpa, access & VCPU_NPF_WRITE,
				  hw_info, insn, exit);
}

void vcpu_x86_complete(u64 *gprs, const struct vcpu_x86_insn *insn,
		       const struct vcpu_run *exit, u64 value)
{
	u64 *rax = &gprs[VCPU_REG_RAX];

	switch (exit->exit_reason) {
	case VCPU_EXIT_HYPERCALL:
		*rax = value;
		break;
	case VCPU_EXIT_IO_READ:
		/* IN AL/AX merges; IN EAX zero-extends, as on hardware. */
		if (exit->io.width == 1)
			*rax = (*rax & ~0xffULL) | (value & 0xff);
		else if (exit->io.width == 2)
			*rax = (*rax & ~0xffffULL) | (value & 0xffff);
		else
			*rax = (u32)value;
		break;
	case VCPU_EXIT_SYSREG_READ:
		*rax = (u32)value;
		gprs[VCPU_REG_RDX] = value >> 32;
		break;
	case VCPU_EXIT_MMIO_READ:
		vcpu_x86_mmio_complete_read(gprs, insn, value);
		break;
	}
}
