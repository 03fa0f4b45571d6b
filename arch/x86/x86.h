/* SPDX-License-Identifier: GPL-2.0 */
/* x86 code shared by the SVM and VMX backends. */
#ifndef VCPU_X86_H
#define VCPU_X86_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#include "decode.h"
#include "walk.h"

struct vcpu;

/* The guest state the MMIO path needs, read from the VMCB or VMCS. */
struct vcpu_x86_guest {
	u64 cr0, cr3, cr4, efer;
	u64 cs_base;
	u64 rip;
	unsigned int code_bits;		/* 16, 32 or 64 */
};

unsigned int vcpu_x86_code_bits(u64 cr0, u64 efer, u16 cs_attrib);
struct vcpu_x86_sregs;
/* The MMIO path's view of the full system state @s. */
void vcpu_x86_guest_of(const struct vcpu_x86_sregs *s,
		       struct vcpu_x86_guest *g);

/* The instruction at the guest's RIP: bytes read (> 0) or -EFAULT. */
int vcpu_x86_fetch_insn(struct vcpu *vcpu, const struct vcpu_x86_guest *g,
			u8 *bytes);
bool vcpu_x86_is_hypercall(const u8 *bytes, int n);

/*
 * An access to @gpa with no memory behind it: fetch and decode the
 * instruction and fill @exit with MMIO_READ/MMIO_WRITE (storing the
 * decoded instruction in @insn for the completion), NESTED_PAGE_FAULT
 * when it is not a plain load or store, or INTERNAL_ERROR when it cannot
 * be fetched.  @write says what the hardware reported.  Returns the
 * instruction length to advance RIP by, or 0 when the guest must not
 * advance.
 */
unsigned int vcpu_x86_mmio_exit(struct vcpu *vcpu,
				const struct vcpu_x86_guest *g, const u64 *gprs,
				u64 gpa, bool write, u64 hw_info,
				struct vcpu_x86_insn *insn,
				struct vcpu_run *exit);

/* exit.c: vendor-independent exits and completion */
void vcpu_x86_hypercall_exit(const u64 *gprs, struct vcpu_run *exit);
void vcpu_x86_io_exit(const u64 *gprs, u16 port, unsigned int width, bool in,
		      struct vcpu_run *exit);
void vcpu_x86_unsupported_exit(u64 code, u64 info1, u64 info2,
			       struct vcpu_run *exit);
/*
 * A second-stage fault at @gpa (@access: VCPU_NPF_READ/WRITE/EXEC): a
 * write to a read-only region or an instruction fetch is a
 * NESTED_PAGE_FAULT, a GPA with no memory an MMIO exit (see
 * vcpu_x86_mmio_exit()).  Returns the length to advance RIP by.
 */
unsigned int vcpu_x86_npf_exit(struct vcpu *vcpu,
			       const struct vcpu_x86_guest *g, const u64 *gprs,
			       u64 gpa, unsigned int access, u64 hw_info,
			       struct vcpu_x86_insn *insn,
			       struct vcpu_run *exit);
/* Apply userspace's completion @value of @exit to the registers. */
void vcpu_x86_complete(u64 *gprs, const struct vcpu_x86_insn *insn,
		       const struct vcpu_run *exit, u64 value);

#endif /* VCPU_X86_H */
