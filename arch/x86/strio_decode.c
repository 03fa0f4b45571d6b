// SPDX-License-Identifier: GPL-2.0
/*
 * x86 string port I/O, the pure part: the INS/OUTS decoder, the element
 * addresses of one exit and the register updates.  Built both into the
 * module and into the host unit tests.
 */
#include <linux/types.h>
#include <linux/errno.h>

#include "strio.h"

static u64 vcpu_x86_strio_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

int vcpu_x86_strio_decode(const u8 *bytes, unsigned int avail,
			  unsigned int code_bits, struct vcpu_x86_insn *out,
			  bool *rep)
{
	bool opsize = false, adsize = false;
	unsigned int pos;
	u8 b;

	if (code_bits != 16 && code_bits != 32 && code_bits != 64)
		return -EINVAL;
	*out = (struct vcpu_x86_insn){ .seg = VCPU_X86_SEG_NONE };
	*rep = false;

	for (pos = 0;; pos++) {
		if (pos >= VCPU_X86_MAX_INSN_LEN)
			return -EINVAL;
		if (pos >= avail)
			return -EAGAIN;
		b = bytes[pos];
		if (vcpu_x86_size_seg_prefix(b, &opsize, &adsize, &out->seg))
			continue;
		if (b == 0xf2 || b == 0xf3)
			*rep = true;
		else if (b == 0xf0)
			return -EINVAL;		/* LOCK: #UD on hardware */
		else if (code_bits != 64 || (b & 0xf0) != 0x40)
			break;
		/*
		 * A REX prefix changes nothing here (W does not widen the
		 * element, R/X/B name no register), wherever it stands.
		 */
	}
	if (b < 0x6c || b > 0x6f)
		return -EINVAL;

	vcpu_x86_sizes(code_bits, opsize, adsize, &out->op_bytes,
		       &out->addr_bytes);

	out->len = pos + 1;
	out->opcode = b;
	out->width = (b & 1) ? out->op_bytes : 1;
	out->is_write = b <= 0x6d;		/* INS stores to memory */
	out->reg = out->is_write ? VCPU_REG_RDI : VCPU_REG_RSI;
	return 0;
}

unsigned int vcpu_x86_strio_seg(const struct vcpu_x86_insn *insn)
{
	if (insn->is_write)
		return VCPU_SEG_ES;
	switch (insn->seg) {
	case 0x26:
		return VCPU_SEG_ES;
	case 0x2e:
		return VCPU_SEG_CS;
	case 0x36:
		return VCPU_SEG_SS;
	case 0x64:
		return VCPU_SEG_FS;
	case 0x65:
		return VCPU_SEG_GS;
	default:
		return VCPU_SEG_DS;
	}
}

u64 vcpu_x86_strio_seg_base(const struct vcpu_x86_sregs *s, unsigned int seg,
			    unsigned int code_bits)
{
	if (code_bits == 64 && seg != VCPU_SEG_FS && seg != VCPU_SEG_GS)
		return 0;
	return s->seg[seg].base;
}

u64 vcpu_x86_strio_linear(u64 base, u64 off, unsigned int addr_bytes,
			  unsigned int code_bits)
{
	u64 la = base + (off & vcpu_x86_strio_mask(addr_bytes));

	return code_bits == 64 ? la : (u32)la;
}

static void vcpu_x86_strio_range(struct vcpu_x86_strio_plan *p,
				 unsigned int width, bool df,
				 unsigned int code_bits)
{
	unsigned int room;
	u64 next;

	p->bytes = p->count * width;
	p->lo = df ? p->first - (u64)(p->count - 1) * width : p->first;
	room = VCPU_X86_STRIO_PAGE_SIZE -
	       (p->lo & (VCPU_X86_STRIO_PAGE_SIZE - 1));
	p->split = p->bytes < room ? p->bytes : room;
	next = p->lo + room;
	p->next = code_bits == 64 ? next : (u32)next;
}

void vcpu_x86_strio_plan(const struct vcpu_x86_strio_args *a,
			 struct vcpu_x86_strio_plan *p)
{
	u64 mask = vcpu_x86_strio_mask(a->addr_bytes);
	u64 off = a->addr & mask;
	unsigned int w = a->width, page_off;
	u64 n, in_page, last_before_wrap;

	*p = (struct vcpu_x86_strio_plan){ 0 };
	p->total = a->rep ? a->rcx & mask : 1;
	p->first = vcpu_x86_strio_linear(a->base, off, a->addr_bytes,
					 a->code_bits);
	if (!p->total || !w || !a->max_count)
		return;

	/*
	 * Elements whose first byte is in element 0's page, and the index
	 * of the last element before the address register wraps (16-bit SI
	 * at 64 KiB, 32-bit ESI at 4 GiB): the next one is not contiguous.
	 */
	page_off = p->first & (VCPU_X86_STRIO_PAGE_SIZE - 1);
	if (!a->df) {
		in_page = (VCPU_X86_STRIO_PAGE_SIZE - page_off + w - 1) / w;
		last_before_wrap = (mask - off) / w;
	} else {
		in_page = page_off / w + 1;
		last_before_wrap = off / w;
	}
	n = p->total;
	if (n > a->max_count)
		n = a->max_count;
	if (n > in_page)
		n = in_page;
	if (n - 1 > last_before_wrap)
		n = last_before_wrap + 1;
	p->count = n;
	vcpu_x86_strio_range(p, w, a->df, a->code_bits);
}

void vcpu_x86_strio_plan_drop_last(struct vcpu_x86_strio_plan *p,
				   unsigned int width)
{
	/* DF clear: element 0 is lo, the range just gets shorter. */
	p->count--;
	p->bytes -= width;
	if (p->split > p->bytes)
		p->split = p->bytes;
}

unsigned int vcpu_x86_strio_elem_offset(const struct vcpu_x86_strio_plan *p,
					unsigned int width, bool df,
					unsigned int i)
{
	return (df ? p->count - 1 - i : i) * width;
}

void vcpu_x86_strio_reverse(u8 *buf, unsigned int count, unsigned int width)
{
	unsigned int i, j, k;
	u8 t;

	if (!count)
		return;
	for (i = 0, j = count - 1; i < j; i++, j--) {
		for (k = 0; k < width; k++) {
			t = buf[i * width + k];
			buf[i * width + k] = buf[j * width + k];
			buf[j * width + k] = t;
		}
	}
}

/* Write @v to @r as a register of @bytes bytes. */
static void vcpu_x86_strio_set(u64 *r, u64 v, unsigned int bytes)
{
	if (bytes == 2)
		*r = (*r & ~0xffffULL) | (v & 0xffff);
	else if (bytes == 4)
		*r = (u32)v;
	else
		*r = v;
}

bool vcpu_x86_strio_advance(u64 *gprs, const struct vcpu_x86_insn *insn,
			    bool rep, bool df, unsigned int n)
{
	u64 delta = (u64)n * insn->width;
	u64 *addr = &gprs[insn->reg & 15];
	u64 *rcx = &gprs[VCPU_REG_RCX];

	vcpu_x86_strio_set(addr, df ? *addr - delta : *addr + delta,
			   insn->addr_bytes);
	if (!rep)
		return true;
	vcpu_x86_strio_set(rcx, *rcx - n, insn->addr_bytes);
	return !(*rcx & vcpu_x86_strio_mask(insn->addr_bytes));
}
