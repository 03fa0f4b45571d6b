// SPDX-License-Identifier: GPL-2.0
/*
 * x86 string port I/O exits (INS/OUTS, REP or not), shared by the SVM and
 * VMX backends.  The instruction is fetched through the guest's page
 * tables and decoded (strio_decode.c); its memory operand is translated
 * the same way and served from the VM's memory slots.
 *
 * When the registers change:
 *   OUTS  the elements are read from guest memory into the shared page at
 *         the exit, so rSI (and rCX) are stepped right away, by exactly
 *         the elements reported.
 *   INS   the data only exists once userspace has answered: rDI (and rCX)
 *         are stepped at the completion, when the data is in guest memory.
 *   RIP   moves past the instruction only when it is complete (no REP, or
 *         rCX reached 0; the backend moves it, as for any instruction it
 *         skips); otherwise it stays and the guest executes the
 *         instruction again for the remaining elements, as after an
 *         interrupted REP on hardware.
 * An element that cannot be served (no RAM behind it, INS into a read-only
 * region, no guest translation) ends the exit before it; once it is
 * element 0 the exit reports it instead of any I/O and the guest does not
 * advance.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/srcu.h>
#include <linux/string.h>

#include "vcpu.h"
#include "x86.h"
#include "strio.h"

/* Bytes moved between the shared page and guest memory at a time. */
#define VCPU_X86_STRIO_CHUNK	256

/* Per part of the range: no guest translation (the walk failed). */
#define VCPU_X86_STRIO_NO_WALK	(-ENOENT)

/* One exit or completion of a string instruction. */
struct vcpu_x86_strio_op {
	struct vcpu *vcpu;
	const struct vcpu_x86_sregs *s;
	const struct vcpu_x86_insn *insn;
	unsigned int code_bits;
	bool rep, df;
	struct vcpu_x86_strio_plan plan;
	/* The range's part in lo's page and, if any, in the next one. */
	u64 gpa[2];
	struct page *page[2];
	int err[2];
	/* The first byte that cannot be served, when element 0 has one. */
	int fault;
	u64 fault_la, fault_gpa;
};

static int vcpu_x86_strio_read_gpa(void *opaque, u64 gpa, void *buf,
				   unsigned int len)
{
	return vcpu_vm_read_gpa(opaque, gpa, buf, len);
}

static unsigned int vcpu_x86_strio_parts(const struct vcpu_x86_strio_op *op)
{
	return op->plan.split < op->plan.bytes ? 2 : 1;
}

/* Plan the elements @op serves next, at most @max_count of them. */
static void vcpu_x86_strio_prepare(struct vcpu_x86_strio_op *op, u64 *gprs,
				   unsigned int max_count)
{
	const struct vcpu_x86_insn *insn = op->insn;
	struct vcpu_x86_strio_args a = {
		.base = vcpu_x86_strio_seg_base(op->s,
						vcpu_x86_strio_seg(insn),
						op->code_bits),
		.addr = gprs[insn->reg & 15],
		.rcx = gprs[VCPU_REG_RCX],
		.rep = op->rep,
		.df = op->df,
		.width = insn->width,
		.addr_bytes = insn->addr_bytes,
		.code_bits = op->code_bits,
		.max_count = max_count,
	};

	vcpu_x86_strio_plan(&a, &op->plan);
}

/* The guest translation of each part. */
static void vcpu_x86_strio_translate(struct vcpu_x86_strio_op *op)
{
	const struct vcpu_x86_sregs *s = op->s;
	struct vcpu_x86_walk walk = {
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
		.read_gpa = vcpu_x86_strio_read_gpa, .opaque = op->vcpu->vm,
	};
	u64 la[2] = { op->plan.lo, op->plan.next };
	unsigned int i;

	for (i = 0; i < vcpu_x86_strio_parts(op); i++)
		op->err[i] = vcpu_x86_gva_to_gpa(&walk, la[i], &op->gpa[i]) ?
			     VCPU_X86_STRIO_NO_WALK : 0;
}

/*
 * Inside the VM's SRCU read section: the page of RAM at @gpa, if
 * @write-able.  It stays pinned until the section ends.
 */
static struct page *vcpu_x86_strio_page(struct vcpu_vm *vm, u64 gpa,
					bool write, int *err)
{
	struct vcpu_memslot *slot = vcpu_memslot_find(vm, gpa);

	if (!slot) {
		*err = -EFAULT;
		return NULL;
	}
	if (write && (slot->flags & VCPU_MEM_READONLY)) {
		*err = -EACCES;
		return NULL;
	}
	*err = 0;
	return slot->pages[(gpa - slot->gpa) >> PAGE_SHIFT];
}

/*
 * In the SRCU read section, after vcpu_x86_strio_translate(): the pages
 * of the range.  With @trim, an element other than element 0 that
 * reaches a page that cannot be served is dropped (only the last one of
 * an ascending range can reach the next page); otherwise, and for
 * element 0, op->fault says why the elements cannot be served.
 */
static void vcpu_x86_strio_resolve(struct vcpu_x86_strio_op *op, bool trim)
{
	struct vcpu_vm *vm = op->vcpu->vm;
	bool write = op->insn->is_write;
	unsigned int width = op->insn->width;
	unsigned int i;

	op->fault = 0;
	for (i = 0; i < vcpu_x86_strio_parts(op); i++) {
		if (!op->err[i])
			op->page[i] = vcpu_x86_strio_page(vm, op->gpa[i], write,
							  &op->err[i]);
	}
	/* Element 0's first byte is always in the first part. */
	if (op->err[0]) {
		op->fault = op->err[0];
		op->fault_la = op->plan.first;
		op->fault_gpa = op->err[0] == VCPU_X86_STRIO_NO_WALK ? 0 :
				op->gpa[0] + (op->plan.first - op->plan.lo);
		return;
	}
	if (vcpu_x86_strio_parts(op) < 2 || !op->err[1])
		return;
	/* Descending, the straddling element is element 0. */
	if (trim && !op->df && op->plan.count > 1) {
		vcpu_x86_strio_plan_drop_last(&op->plan, width);
		return;
	}
	op->fault = op->err[1];
	op->fault_la = op->plan.next;
	op->fault_gpa = op->err[1] == VCPU_X86_STRIO_NO_WALK ? 0 : op->gpa[1];
}

/*
 * In the same SRCU read section as a successful resolve: copy @len bytes at
 * offset @off of the range to (@to_guest) or from @buf.
 */
static void vcpu_x86_strio_copy(const struct vcpu_x86_strio_op *op,
				unsigned int off, u8 *buf, unsigned int len,
				bool to_guest)
{
	const struct vcpu_x86_strio_plan *p = &op->plan;

	while (len) {
		unsigned int part = off >= p->split;
		unsigned int start = part ? p->split : 0;
		unsigned int end = part ? p->bytes : p->split;
		unsigned int n = min(len, end - off);
		unsigned int pgoff = offset_in_page(op->gpa[part]) + off - start;

		if (to_guest)
			memcpy_to_page(op->page[part], pgoff, buf, n);
		else
			memcpy_from_page(buf, op->page[part], pgoff, n);
		off += n;
		buf += n;
		len -= n;
	}
}

static void vcpu_x86_strio_insn_bytes(u8 *len, u8 *dst, const u8 *bytes,
				      int n)
{
	*len = n;
	memcpy(dst, bytes, n);
}

/*
 * Element 0 cannot be served: say why, with the @n bytes of the decoded
 * instruction; the guest does not advance.
 */
static void vcpu_x86_strio_fault(const struct vcpu_x86_strio_op *op,
				 const struct vcpu_x86_strio_hw *hw,
				 const u8 *bytes, int n, struct vcpu_run *exit)
{
	if (op->fault == VCPU_X86_STRIO_NO_WALK) {
		/* As for an instruction the MMIO path cannot fetch. */
		exit->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
		exit->internal.suberror = VCPU_INTERNAL_FETCH;
		exit->internal.ndata = 2;
		exit->internal.data[0] = op->s->rip;
		exit->internal.data[1] = op->fault_la;
		vcpu_x86_strio_insn_bytes(&exit->internal.insn_len,
					  exit->internal.insn, bytes, n);
		return;
	}
	exit->exit_reason = VCPU_EXIT_NESTED_PAGE_FAULT;
	exit->npf.gpa = op->fault_gpa;
	exit->npf.gva = op->fault_la;
	exit->npf.access = op->insn->is_write ? VCPU_NPF_WRITE : VCPU_NPF_READ;
	if (op->fault == -EACCES)
		exit->npf.access |= VCPU_NPF_PRESENT;
	exit->npf.hw_info = hw->hw_info;
	vcpu_x86_strio_insn_bytes(&exit->npf.insn_len, exit->npf.insn, bytes,
				  n);
}

bool vcpu_x86_strio_exit(struct vcpu *vcpu, const struct vcpu_x86_sregs *s,
			 u64 *gprs, const struct vcpu_x86_strio_hw *hw,
			 struct vcpu_x86_insn *insn, struct vcpu_run *exit)
{
	struct vcpu_x86_strio_op op = { .vcpu = vcpu, .s = s, .insn = insn };
	u8 *data = (u8 *)vcpu->run + VCPU_RUN_DATA_OFFSET;
	u8 bytes[VCPU_X86_MAX_INSN_LEN];
	struct vcpu_x86_guest g;
	struct vcpu_vm *vm = vcpu->vm;
	int n, idx;

	vcpu_x86_guest_of(s, &g);
	op.code_bits = g.code_bits;
	n = vcpu_x86_fetch_insn(vcpu, &g, bytes);
	if (n <= 0) {
		exit->exit_reason = VCPU_EXIT_INTERNAL_ERROR;
		exit->internal.suberror = VCPU_INTERNAL_FETCH;
		exit->internal.ndata = 1;
		exit->internal.data[0] = s->rip;
		return false;
	}
	/*
	 * The bytes must be the instruction the hardware reported (another
	 * vCPU may have rewritten them since): otherwise say so rather than
	 * move data the guest did not ask for.
	 */
	if (vcpu_x86_strio_decode(bytes, n, g.code_bits, insn, &op.rep) ||
	    insn->is_write != hw->in || insn->width != hw->width ||
	    (hw->len && insn->len != hw->len)) {
		vcpu_x86_unsupported_exit(hw->code, hw->hw_info, hw->info2,
					  exit);
		vcpu_x86_strio_insn_bytes(&exit->internal.insn_len,
					  exit->internal.insn, bytes, n);
		return false;
	}
	op.df = s->rflags & VCPU_X86_RFLAGS_DF;

	vcpu_x86_strio_prepare(&op, gprs,
			       VCPU_X86_STRIO_MAX_BYTES / insn->width);
	if (!op.plan.total) {
		/* REP with rCX = 0: nothing moves, the instruction is done. */
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return true;
	}

	vcpu_x86_strio_translate(&op);
	idx = srcu_read_lock(&vm->srcu);
	vcpu_x86_strio_resolve(&op, true);
	/* OUTS: the guest's memory image of the range, into the page. */
	if (!op.fault && !insn->is_write)
		vcpu_x86_strio_copy(&op, 0, data, op.plan.bytes, false);
	srcu_read_unlock(&vm->srcu, idx);
	if (op.fault) {
		vcpu_x86_strio_fault(&op, hw, bytes, insn->len, exit);
		return false;
	}

	exit->exit_reason = insn->is_write ? VCPU_EXIT_IO_READ :
					     VCPU_EXIT_IO_WRITE;
	exit->io.port = hw->port;
	exit->io.width = insn->width;
	exit->io.flags = VCPU_IO_F_STRING | (op.rep ? VCPU_IO_F_REP : 0);
	exit->io.count = op.plan.count;
	exit->io.data_offset = VCPU_RUN_DATA_OFFSET;
	if (insn->is_write)
		return false;	/* INS: registers move at the completion */

	/* Descending, the memory image is in reverse access order. */
	if (op.df)
		vcpu_x86_strio_reverse(data, op.plan.count, insn->width);
	return vcpu_x86_strio_advance(gprs, insn, op.rep, op.df,
				      op.plan.count);
}

bool vcpu_x86_strio_complete(struct vcpu *vcpu,
			     const struct vcpu_x86_sregs *s,
			     u64 *gprs, const struct vcpu_x86_insn *insn,
			     const struct vcpu_run *exit)
{
	struct vcpu_x86_strio_op op = { .vcpu = vcpu, .s = s, .insn = insn };
	const u8 *data = (const u8 *)vcpu->run + VCPU_RUN_DATA_OFFSET;
	unsigned int count = exit->io.count, width = insn->width;
	struct vcpu_vm *vm = vcpu->vm;
	u8 buf[VCPU_X86_STRIO_CHUNK];
	unsigned int i, k, off;
	int idx;

	/* Our own record of the exit; checked all the same. */
	if (!insn->is_write || exit->io.width != width || !count ||
	    count > VCPU_X86_STRIO_MAX_BYTES / width)
		return false;
	op.code_bits = vcpu_x86_code_bits(s->cr0, s->efer,
					  s->seg[VCPU_SEG_CS].attrib);
	op.rep = exit->io.flags & VCPU_IO_F_REP;
	op.df = s->rflags & VCPU_X86_RFLAGS_DF;

	/*
	 * Recompute the exit's elements from the registers, which only
	 * userspace can have changed since: if they no longer are the
	 * exit's count of elements in writable RAM, the guest runs the
	 * instruction again instead.
	 */
	vcpu_x86_strio_prepare(&op, gprs, count);
	if (op.plan.count != count)
		return false;
	vcpu_x86_strio_translate(&op);
	idx = srcu_read_lock(&vm->srcu);
	vcpu_x86_strio_resolve(&op, false);
	if (op.fault) {
		srcu_read_unlock(&vm->srcu, idx);
		return false;
	}
	/*
	 * Each byte of the untrusted page is read once, into buf, and that
	 * copy is what reaches guest memory, element i at its own address.
	 */
	for (i = 0; i < count; i += k) {
		k = min(count - i, VCPU_X86_STRIO_CHUNK / width);
		memcpy(buf, data + i * width, k * width);
		/* Descending, element i + k - 1 is the lowest of the chunk. */
		if (op.df)
			vcpu_x86_strio_reverse(buf, k, width);
		off = vcpu_x86_strio_elem_offset(&op.plan, width, op.df,
						 op.df ? i + k - 1 : i);
		vcpu_x86_strio_copy(&op, off, buf, k * width, true);
	}
	srcu_read_unlock(&vm->srcu, idx);

	return vcpu_x86_strio_advance(gprs, insn, op.rep, op.df, count);
}
