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
 * region, guest page tables that cannot be read, an access the guest's
 * page tables refuse) ends the exit before it; once it is element 0 the
 * exit reports it (or the guest takes #PF, below) instead of any I/O and
 * the guest does not advance.
 *
 * Guest page faults.  The I/O intercept is taken before the processor
 * touches the memory operand (it is a fault-like exit on the instruction
 * as a whole), so unlike an MMIO access, which the guest did make, the
 * operand's translation and its permissions have never been checked by
 * the hardware: the walk here checks them as the MMU would, at the
 * guest's CPL.  When the guest's tables refuse element 0 the guest takes
 * #PF (CR2 = the first byte that faults: element 0's address, or the
 * start of the next page when only the part of an element straddling the
 * page end faults), no I/O happens for it and nothing moves, exactly as
 * if the instruction had faulted on hardware before that element; the
 * elements of earlier exits stay done, rSI/rDI and rCX pointing at the
 * faulting one.  The guest's accessed and dirty bits are not set.  An
 * instruction whose own bytes cannot be fetched stays INTERNAL_ERROR
 * FETCH, as in the MMIO path, and so does an operand whose paging
 * structures cannot be read (no RAM behind them).
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

/* Per part of the range: the guest's tables could not be read. */
#define VCPU_X86_STRIO_NO_WALK	(-ENOENT)
/* Per part of the range: the guest's tables refuse it (#PF). */
#define VCPU_X86_STRIO_GUEST_PF	(-EPERM)

#define VCPU_X86_RFLAGS_AC	(1ULL << 18)
#define VCPU_X86_STRIO_PF_VECTOR	14

/* One exit or completion of a string instruction. */
struct vcpu_x86_strio_op {
	struct vcpu *vcpu;
	const struct vcpu_x86_sregs *s;
	const struct vcpu_x86_insn *insn;
	unsigned int code_bits;
	bool rep, df;
	struct vcpu_x86_access acc;	/* as the guest's MMU checks it */
	struct vcpu_x86_strio_plan plan;
	/* The range's part in lo's page and, if any, in the next one. */
	u64 gpa[2];
	struct page *page[2];
	int err[2];
	u32 pf_error[2];		/* with VCPU_X86_STRIO_GUEST_PF */
	/* The first byte that cannot be served, and whose element it is. */
	int fault;
	bool fault_elem0;
	u32 fault_pf_error;
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

/* The guest translation of each part, checked at @cpl. */
static void vcpu_x86_strio_translate(struct vcpu_x86_strio_op *op,
				     unsigned int cpl)
{
	const struct vcpu_x86_sregs *s = op->s;
	struct vcpu_x86_walk walk = {
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
		.read_gpa = vcpu_x86_strio_read_gpa, .opaque = op->vcpu->vm,
	};
	u64 la[2] = { op->plan.lo, op->plan.next };
	unsigned int i;
	int r;

	op->acc.write = op->insn->is_write;
	op->acc.user = cpl == 3;
	op->acc.ac = s->rflags & VCPU_X86_RFLAGS_AC;
	/*
	 * One walk per page: the permissions of the first byte of a part
	 * are those of all its bytes.
	 */
	for (i = 0; i < vcpu_x86_strio_parts(op); i++) {
		r = vcpu_x86_gva_to_gpa_access(&walk, la[i], &op->acc,
					       &op->gpa[i], &op->pf_error[i]);
		op->err[i] = r == -EFAULT ? VCPU_X86_STRIO_GUEST_PF :
			     r ? VCPU_X86_STRIO_NO_WALK : 0;
	}
}

/* Whether a part with error @err has a guest-physical address. */
static bool vcpu_x86_strio_walked(int err)
{
	return err != VCPU_X86_STRIO_NO_WALK && err != VCPU_X86_STRIO_GUEST_PF;
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
	op->fault_elem0 = true;
	for (i = 0; i < vcpu_x86_strio_parts(op); i++) {
		if (!op->err[i])
			op->page[i] = vcpu_x86_strio_page(vm, op->gpa[i], write,
							  &op->err[i]);
	}
	/*
	 * Element 0's first byte is always in the first part, and comes
	 * first: its fault wins over one in the next page.
	 */
	if (op->err[0]) {
		op->fault = op->err[0];
		op->fault_pf_error = op->pf_error[0];
		op->fault_la = op->plan.first;
		op->fault_gpa = vcpu_x86_strio_walked(op->err[0]) ?
				op->gpa[0] + (op->plan.first - op->plan.lo) : 0;
		return;
	}
	if (vcpu_x86_strio_parts(op) < 2 || !op->err[1])
		return;
	/* Descending, the straddling element is element 0. */
	if (trim && !op->df && op->plan.count > 1) {
		vcpu_x86_strio_plan_drop_last(&op->plan, width);
		return;
	}
	/*
	 * Only the bytes of an element straddling the page end are in the
	 * next page: its first byte there, the page's start, is the one
	 * that faults (CR2 of a #PF).  Ascending with more than one
	 * element, the straddler is the last one, not element 0.
	 */
	op->fault = op->err[1];
	op->fault_elem0 = op->df || op->plan.count == 1;
	op->fault_pf_error = op->pf_error[1];
	op->fault_la = op->plan.next;
	op->fault_gpa = vcpu_x86_strio_walked(op->err[1]) ? op->gpa[1] : 0;
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

/* Element 0 faults in the guest's own page tables: #PF to inject. */
static void vcpu_x86_strio_guest_pf(const struct vcpu_x86_strio_op *op,
				    struct vcpu_x86_fault *fault)
{
	fault->valid = true;
	fault->vector = VCPU_X86_STRIO_PF_VECTOR;
	fault->error = op->fault_pf_error;
	fault->cr2 = op->fault_la;
}

/*
 * Element 0 cannot be served: say why, with the @n bytes of the decoded
 * instruction; the guest does not advance.
 */
static void vcpu_x86_strio_fault(const struct vcpu_x86_strio_op *op,
				 const struct vcpu_x86_strio_hw *hw,
				 const u8 *bytes, int n, struct vcpu_run *exit,
				 struct vcpu_x86_fault *fault)
{
	if (op->fault == VCPU_X86_STRIO_GUEST_PF) {
		/* The guest handles it: no exit to userspace. */
		vcpu_x86_strio_guest_pf(op, fault);
		exit->exit_reason = VCPU_EXIT_NOTHING;
		return;
	}
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
			 struct vcpu_x86_insn *insn, struct vcpu_run *exit,
			 struct vcpu_x86_fault *fault)
{
	struct vcpu_x86_strio_op op = { .vcpu = vcpu, .s = s, .insn = insn };
	u8 *data = (u8 *)vcpu->run + VCPU_RUN_DATA_OFFSET;
	u8 bytes[VCPU_X86_MAX_INSN_LEN];
	struct vcpu_x86_guest g;
	struct vcpu_vm *vm = vcpu->vm;
	int n, idx;

	fault->valid = false;
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

	vcpu_x86_strio_translate(&op, hw->cpl);
	idx = srcu_read_lock(&vm->srcu);
	vcpu_x86_strio_resolve(&op, true);
	/* OUTS: the guest's memory image of the range, into the page. */
	if (!op.fault && !insn->is_write)
		vcpu_x86_strio_copy(&op, 0, data, op.plan.bytes, false);
	srcu_read_unlock(&vm->srcu, idx);
	if (op.fault) {
		vcpu_x86_strio_fault(&op, hw, bytes, insn->len, exit, fault);
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
			     const struct vcpu_x86_sregs *s, unsigned int cpl,
			     u64 *gprs, const struct vcpu_x86_insn *insn,
			     const struct vcpu_run *exit,
			     struct vcpu_x86_fault *fault)
{
	struct vcpu_x86_strio_op op = { .vcpu = vcpu, .s = s, .insn = insn };
	const u8 *data = (const u8 *)vcpu->run + VCPU_RUN_DATA_OFFSET;
	unsigned int count = exit->io.count, width = insn->width;
	struct vcpu_vm *vm = vcpu->vm;
	u8 buf[VCPU_X86_STRIO_CHUNK];
	unsigned int i, k, off;
	int idx;

	fault->valid = false;
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
	vcpu_x86_strio_translate(&op, cpl);
	idx = srcu_read_lock(&vm->srcu);
	vcpu_x86_strio_resolve(&op, false);
	if (op.fault) {
		srcu_read_unlock(&vm->srcu, idx);
		/*
		 * The guest's tables changed since the exit (another vCPU, or
		 * userspace) and now refuse element 0: the fault hardware
		 * would have raised on the write, the data is dropped as the
		 * port read it stands for would be.  Any other element: run
		 * the instruction again, whose next exit stops before it.
		 */
		if (op.fault == VCPU_X86_STRIO_GUEST_PF && op.fault_elem0)
			vcpu_x86_strio_guest_pf(&op, fault);
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
