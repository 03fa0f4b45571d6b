/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 string port I/O: INS and OUTS, with or without a REP prefix, on both
 * backends.  The hardware gives the port, the element width and the
 * direction; the prefixes (operand and address size, segment override,
 * REP) come from decoding the instruction bytes.
 *
 * One exit moves the elements whose first byte lies in the guest page of
 * element 0 (an element that straddles into the next page included),
 * bounded by rCX (REP), by VCPU_RUN_DATA_SIZE and by the wrap of the
 * address register.  Element 0 is at rSI/rDI, element i at
 * rSI/rDI +/- i * width (RFLAGS.DF), and the data travels in the shared
 * page in that order, element 0 first.
 *
 * The first half of this header (strio_decode.c) is pure logic, built
 * into the module and into the host unit tests; the second (strio.c)
 * needs the kernel.
 */
#ifndef VCPU_X86_STRIO_H
#define VCPU_X86_STRIO_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#include "decode.h"
#include "sregs.h"

#define VCPU_X86_STRIO_PAGE_SIZE	4096U
/* An element is 1, 2 or 4 bytes: a REP exit moves this many bytes at most. */
#define VCPU_X86_STRIO_MAX_BYTES	VCPU_RUN_DATA_SIZE

#define VCPU_X86_RFLAGS_DF		(1ULL << 10)

/*
 * Decode INS (6C/6D) or OUTS (6E/6F) at @bytes (@avail readable) in code
 * of default size @code_bits (16, 32 or 64).  Fills @out: len, width (the
 * element: 1, or 2/4 by the operand size; REX.W does not widen it),
 * op_bytes, addr_bytes, is_write (INS: the guest's memory is written),
 * reg (VCPU_REG_RDI for INS, VCPU_REG_RSI for OUTS), opcode and seg (the
 * last segment override prefix, or VCPU_X86_SEG_NONE); *rep is set by
 * F3 or F2 (both mean REP for INS/OUTS).  Returns 0, -EINVAL (not
 * INS/OUTS, LOCK, longer than 15 bytes) or -EAGAIN (@avail too short).
 */
int vcpu_x86_strio_decode(const u8 *bytes, unsigned int avail,
			  unsigned int code_bits, struct vcpu_x86_insn *out,
			  bool *rep);

/*
 * The segment (VCPU_SEG_*) of the memory operand: ES for INS (no
 * override possible), DS or the override for OUTS.
 */
unsigned int vcpu_x86_strio_seg(const struct vcpu_x86_insn *insn);

/*
 * The base of segment @seg as the address computation uses it: in 64-bit
 * code only FS and GS have one, ES/CS/SS/DS count as 0.
 */
u64 vcpu_x86_strio_seg_base(const struct vcpu_x86_sregs *s, unsigned int seg,
			    unsigned int code_bits);

/*
 * The linear address of offset @off (taken with @addr_bytes bits) in a
 * segment at @base: 32 bits wide outside 64-bit code.
 */
u64 vcpu_x86_strio_linear(u64 base, u64 off, unsigned int addr_bytes,
			  unsigned int code_bits);

/* What the next elements of a string instruction depend on. */
struct vcpu_x86_strio_args {
	u64 base;		/* segment base (vcpu_x86_strio_seg_base()) */
	u64 addr;		/* rSI (OUTS) or rDI (INS) */
	u64 rcx;
	bool rep;
	bool df;		/* RFLAGS.DF: addresses go down */
	unsigned int width;	/* 1, 2 or 4 */
	unsigned int addr_bytes;	/* 2, 4 or 8 */
	unsigned int code_bits;
	unsigned int max_count;	/* at most this many elements (>= 1) */
};

/*
 * The elements of one exit.  Their bytes are the linear range
 * [lo, lo + bytes): its first @split bytes are in lo's page, the rest
 * (only an element straddling the page end) at linear @next, the start
 * of the following page (which wraps to 0 at 4 GiB outside 64-bit code).
 */
struct vcpu_x86_strio_plan {
	u64 total;		/* elements the instruction still moves */
	unsigned int count;	/* elements of this exit */
	u64 first;		/* linear address of element 0 */
	u64 lo;
	u64 next;
	unsigned int bytes;	/* count * width */
	unsigned int split;
};

/*
 * Plan the next exit of the string instruction described by @a: total is
 * rCX (taken with the address size) with REP, 1 without; count is 0 only
 * when total is.
 */
void vcpu_x86_strio_plan(const struct vcpu_x86_strio_args *a,
			 struct vcpu_x86_strio_plan *p);

/*
 * Drop the last element of @p (DF clear: the one at the highest address,
 * the only one that can reach the next page).  @p->count must be >= 2.
 */
void vcpu_x86_strio_plan_drop_last(struct vcpu_x86_strio_plan *p,
				   unsigned int width);

/* Where element @i of @p starts in its range [lo, lo + bytes). */
unsigned int vcpu_x86_strio_elem_offset(const struct vcpu_x86_strio_plan *p,
					unsigned int width, bool df,
					unsigned int i);

/*
 * Reverse the order of the @count elements of @width bytes at @buf: the
 * memory image of a DF=1 range and the guest's access order are each
 * other's reverse.
 */
void vcpu_x86_strio_reverse(u8 *buf, unsigned int count, unsigned int width);

/*
 * @n elements of @insn were moved: step rSI or rDI by n * width (down
 * with @df) and, with @rep, count rCX down by n, each within the address
 * size (a 2-byte register merges, a 4-byte one zero-extends, as a 32-bit
 * register write does).  Returns true when the instruction is complete:
 * without REP after its one element, with REP when rCX reached 0.
 */
bool vcpu_x86_strio_advance(u64 *gprs, const struct vcpu_x86_insn *insn,
			    bool rep, bool df, unsigned int n);

/* ---- strio.c: the exits, in the kernel ---- */

struct vcpu;

/* What the hardware reported about a string I/O exit. */
struct vcpu_x86_strio_hw {
	u16 port;
	u8 width;		/* 1, 2 or 4 */
	bool in;		/* INS */
	u8 len;			/* instruction length (0: unknown) */
	u8 cpl;			/* SVM: save.cpl; VMX: SS.DPL */
	u64 hw_info;		/* npf.hw_info: SVM EXITINFO1, VMX qualification */
	u64 code, info2;	/* INTERNAL_ERROR data[0] and data[2] */
};

/*
 * An exception for the backend to inject at the next entry, instead of
 * any exit to userspace: vector (only X86_TRAP_PF, 14, so far) with error
 * code @error, and for #PF the guest's CR2 set to @cr2 first.
 */
struct vcpu_x86_fault {
	bool valid;
	u8 vector;
	u32 error;
	u64 cr2;
};

/*
 * A string I/O exit.  @s is the guest's system state (segments, control
 * registers, RIP, RFLAGS); @gprs get rSI (OUTS) and rCX (REP) stepped by
 * the elements the exit moves, as described in the uapi header; @insn
 * keeps the decoded instruction for vcpu_x86_strio_complete().  Fills
 * @exit with IO_READ/IO_WRITE (VCPU_IO_F_STRING), NOTHING (REP with
 * rCX = 0, or a guest page fault), NESTED_PAGE_FAULT or INTERNAL_ERROR.
 * When the guest's own page tables refuse element 0 (not present, or a
 * protection violation at hw->cpl), @fault is the #PF to inject and the
 * exit is NOTHING; otherwise fault->valid is false.  Returns true when
 * the instruction is complete: the caller then moves RIP past it
 * (insn->len bytes, the hardware's length).
 */
bool vcpu_x86_strio_exit(struct vcpu *vcpu, const struct vcpu_x86_sregs *s,
			 u64 *gprs, const struct vcpu_x86_strio_hw *hw,
			 struct vcpu_x86_insn *insn, struct vcpu_run *exit,
			 struct vcpu_x86_fault *fault);

/*
 * Complete a string IO_READ (INS) exit: take the data userspace left in
 * the shared page, write it to the guest's memory and step rDI (and rCX)
 * in @gprs.  Returns true when the instruction is complete (the caller
 * moves RIP past it, insn->len bytes).  When that memory is no longer
 * writable RAM (a region deleted, the guest's page tables changed, the
 * registers set meanwhile so that the exit's elements no longer fit),
 * nothing changes and the guest executes the instruction again; when the
 * guest's page tables (checked at @cpl) now refuse element 0, nothing is
 * written either and @fault is the #PF to inject.
 */
bool vcpu_x86_strio_complete(struct vcpu *vcpu,
			     const struct vcpu_x86_sregs *s, unsigned int cpl,
			     u64 *gprs, const struct vcpu_x86_insn *insn,
			     const struct vcpu_run *exit,
			     struct vcpu_x86_fault *fault);

#endif /* VCPU_X86_STRIO_H */
