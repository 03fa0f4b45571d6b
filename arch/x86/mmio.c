// SPDX-License-Identifier: GPL-2.0
/*
 * x86 MMIO exits: fetch the faulting instruction through the guest's own
 * page tables (no decode assists are assumed: QEMU's TCG has none, and
 * real chips only give the bytes on some exits), decode it, and describe
 * the access in the shared ABI.
 */
#include <linux/string.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include "vcpu.h"
#include "sregs.h"
#include "x86.h"

unsigned int vcpu_x86_code_bits(u64 cr0, u64 efer, u16 cs_attrib)
{
	/* Packed attributes: L is bit 9, D/B bit 10. */
	if ((efer & EFER_LMA) && (cs_attrib & BIT(9)))
		return 64;
	if ((cr0 & X86_CR0_PE) && (cs_attrib & BIT(10)))
		return 32;
	return 16;
}

void vcpu_x86_guest_of(const struct vcpu_x86_sregs *s,
		       struct vcpu_x86_guest *g)
{
	g->cr0 = s->cr0;
	g->cr3 = s->cr3;
	g->cr4 = s->cr4;
	g->efer = s->efer;
	g->cs_base = s->seg[VCPU_SEG_CS].base;
	g->rip = s->rip;
	g->code_bits = vcpu_x86_code_bits(s->cr0, s->efer,
					  s->seg[VCPU_SEG_CS].attrib);
}

static int vcpu_x86_read_gpa(void *opaque, u64 gpa, void *buf,
			     unsigned int len)
{
	return vcpu_vm_read_gpa(opaque, gpa, buf, len);
}

int vcpu_x86_fetch_insn(struct vcpu *vcpu, const struct vcpu_x86_guest *g,
			u8 *bytes)
{
	struct vcpu_x86_walk walk = {
		.cr0 = g->cr0, .cr3 = g->cr3, .cr4 = g->cr4, .efer = g->efer,
		.read_gpa = vcpu_x86_read_gpa, .opaque = vcpu->vm,
	};
	u64 linear = g->rip;

	if (g->code_bits != 64)
		linear = (u32)(g->cs_base + (g->code_bits == 16 ?
					     (u16)g->rip : (u32)g->rip));
	return vcpu_x86_fetch(&walk, linear, bytes, VCPU_X86_MAX_INSN_LEN);
}

/*
 * Both vendors' hypercall instructions are hypercalls on both backends
 * (VMCALL 0F 01 C1, VMMCALL 0F 01 D9): the other one raises #UD, which
 * the backends intercept and check with this, so that one guest image
 * runs on either.
 */
bool vcpu_x86_is_hypercall(const u8 *b, int n)
{
	return n >= 3 && b[0] == 0x0f && b[1] == 0x01 &&
	       (b[2] == 0xc1 || b[2] == 0xd9);
}

unsigned int vcpu_x86_mmio_exit(struct vcpu *vcpu,
				const struct vcpu_x86_guest *g, const u64 *gprs,
				u64 gpa, bool write, u64 hw_info,
				struct vcpu_x86_insn *insn,
				struct vcpu_run *exit)
{
	u8 bytes[VCPU_X86_MAX_INSN_LEN];
	int n, ret;

	n = vcpu_x86_fetch_insn(vcpu, g, bytes);
	if (n <= 0) {
		exit->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
		exit->internal.suberror = VCPU_INTERNAL_FETCH;
		exit->internal.ndata = 2;
		exit->internal.data[0] = g->rip;
		exit->internal.data[1] = gpa;
		return 0;
	}

	ret = vcpu_x86_decode(bytes, n, g->code_bits, insn);
	if (ret || insn->is_write != write) {
		/* Not a plain load or store: the VMM decides. */
		exit->exit_reason = VCPU_EXIT_NESTED_PAGE_FAULT;
		exit->npf.gpa = gpa;
		exit->npf.access = write ? VCPU_NPF_WRITE : VCPU_NPF_READ;
		exit->npf.hw_info = hw_info;
		exit->npf.insn_len = n;
		memcpy(exit->npf.insn, bytes, n);
		return 0;
	}

	if (insn->is_write) {
		exit->exit_reason = VCPU_EXIT_MMIO_WRITE;
		exit->mmio.addr = gpa;
		exit->mmio.width = insn->width;
		exit->mmio.data = vcpu_x86_mmio_write_value(gprs, insn);
	} else {
		exit->exit_reason = VCPU_EXIT_MMIO_READ;
		exit->mmio.addr = gpa;
		exit->mmio.width = insn->width;
		exit->mmio.reg = insn->reg;
		exit->mmio.reg_width = insn->reg_width;
		exit->mmio.sign_extend = insn->sign_extend;
		if (insn->high_byte)
			exit->mmio.flags = VCPU_MMIO_F_HIGH_BYTE;
	}
	return insn->len;
}
