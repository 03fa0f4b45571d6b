// SPDX-License-Identifier: GPL-2.0
/* The x86 guest's initial state per setup mode, and the ONE_REG ids. */
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "sregs.h"

#define VCPU_X86_CR0_PE		(1ULL << 0)
#define VCPU_X86_CR0_ET		(1ULL << 4)
#define VCPU_X86_CR0_NE		(1ULL << 5)
#define VCPU_X86_CR0_WP		(1ULL << 16)
#define VCPU_X86_CR0_PG		(1ULL << 31)
#define VCPU_X86_CR4_PAE	(1ULL << 5)
#define VCPU_X86_EFER_LME	(1ULL << 8)
#define VCPU_X86_EFER_LMA	(1ULL << 10)
#define VCPU_X86_RFLAGS_FIXED	(1ULL << 1)
#define VCPU_X86_RFLAGS_IF	(1ULL << 9)

int vcpu_x86_check_setup(const struct vcpu_setup *setup)
{
	switch (setup->mode) {
	case VCPU_MODE_X86_REAL:
		/* Real-mode segments: base = selector << 4, below 1 MiB. */
		if (setup->entry >= 0x100000 || setup->stack >= 0x100000)
			return -EINVAL;
		return 0;
	case VCPU_MODE_X86_PROT32:
		if (setup->entry > 0xffffffffULL || setup->stack > 0xffffffffULL)
			return -EINVAL;
		return 0;
	case VCPU_MODE_X86_LONG64:
		return setup->page_table & 0xfff ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static void vcpu_x86_set_seg(struct vcpu_x86_segment *s, u16 sel, u64 base,
			     u32 limit, u16 attrib)
{
	s->selector = sel;
	s->base = base;
	s->limit = limit;
	s->attrib = attrib;
}

void vcpu_x86_initial_state(const struct vcpu_setup *setup,
			    struct vcpu_x86_sregs *s, u64 *gprs)
{
	struct vcpu_x86_segment *seg = s->seg;
	u64 base;
	int i;

	memset(s, 0, sizeof(*s));
	memset(gprs, 0, 16 * sizeof(*gprs));
	gprs[VCPU_REG_RDI] = setup->arg;

	if (setup->mode == VCPU_MODE_X86_REAL) {
		base = setup->entry & ~0xffffULL;
		vcpu_x86_set_seg(&seg[VCPU_SEG_CS], base >> 4, base, 0xffff,
				 VCPU_X86_ATTR_CODE16);
		base = setup->stack & ~0xffffULL;
		vcpu_x86_set_seg(&seg[VCPU_SEG_SS], base >> 4, base, 0xffff,
				 VCPU_X86_ATTR_DATA16);
		vcpu_x86_set_seg(&seg[VCPU_SEG_DS], 0, 0, 0xffff,
				 VCPU_X86_ATTR_DATA16);
		s->rip = setup->entry & 0xffff;
		gprs[VCPU_REG_RSP] = setup->stack & 0xffff;
		s->cr0 = VCPU_X86_CR0_ET | VCPU_X86_CR0_NE;
	} else {
		u16 code = VCPU_X86_ATTR_CODE32;

		s->cr0 = VCPU_X86_CR0_PE | VCPU_X86_CR0_ET | VCPU_X86_CR0_NE;
		if (setup->mode == VCPU_MODE_X86_LONG64) {
			code = VCPU_X86_ATTR_CODE64;
			s->cr0 |= VCPU_X86_CR0_WP | VCPU_X86_CR0_PG;
			s->cr3 = setup->page_table;
			s->cr4 = VCPU_X86_CR4_PAE;
			s->efer = VCPU_X86_EFER_LME | VCPU_X86_EFER_LMA;
		}
		vcpu_x86_set_seg(&seg[VCPU_SEG_CS], 0x08, 0, 0xffffffff, code);
		vcpu_x86_set_seg(&seg[VCPU_SEG_SS], 0x10, 0, 0xffffffff,
				 VCPU_X86_ATTR_DATA32);
		vcpu_x86_set_seg(&seg[VCPU_SEG_DS], 0x10, 0, 0xffffffff,
				 VCPU_X86_ATTR_DATA32);
		s->rip = setup->entry;
		gprs[VCPU_REG_RSP] = setup->stack;
	}
	for (i = VCPU_SEG_ES; i <= VCPU_SEG_GS; i++)
		if (i != VCPU_SEG_CS && i != VCPU_SEG_SS)
			seg[i] = seg[VCPU_SEG_DS];
	vcpu_x86_set_seg(&seg[VCPU_SEG_TR], 0, 0, 0xffff, VCPU_X86_ATTR_TSS);
	vcpu_x86_set_seg(&seg[VCPU_SEG_LDTR], 0, 0, 0xffff, VCPU_X86_ATTR_LDT);
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	/* IF set: an injected interrupt is taken once the guest has an IDT. */
	s->rflags = VCPU_X86_RFLAGS_FIXED | VCPU_X86_RFLAGS_IF;
}

#define VCPU_X86_SREG(field)	offsetof(struct vcpu_x86_sregs, field)

static const struct {
	u64 id;
	u16 offset;
	u8 size;
} vcpu_x86_regs[] = {
	{ VCPU_REG_X86_CR0, VCPU_X86_SREG(cr0), 8 },
	{ VCPU_REG_X86_CR2, VCPU_X86_SREG(cr2), 8 },
	{ VCPU_REG_X86_CR3, VCPU_X86_SREG(cr3), 8 },
	{ VCPU_REG_X86_CR4, VCPU_X86_SREG(cr4), 8 },
	{ VCPU_REG_X86_EFER, VCPU_X86_SREG(efer), 8 },
	{ VCPU_REG_X86_GDTR_BASE, VCPU_X86_SREG(gdtr.base), 8 },
	{ VCPU_REG_X86_GDTR_LIMIT, VCPU_X86_SREG(gdtr.limit), 4 },
	{ VCPU_REG_X86_IDTR_BASE, VCPU_X86_SREG(idtr.base), 8 },
	{ VCPU_REG_X86_IDTR_LIMIT, VCPU_X86_SREG(idtr.limit), 4 },
};

static const struct {
	u8 offset;
	u8 size;
} vcpu_x86_seg_fields[] = {
	[VCPU_SEG_SELECTOR] = { offsetof(struct vcpu_x86_segment, selector), 2 },
	[VCPU_SEG_BASE] = { offsetof(struct vcpu_x86_segment, base), 8 },
	[VCPU_SEG_LIMIT] = { offsetof(struct vcpu_x86_segment, limit), 4 },
	[VCPU_SEG_ATTRIB] = { offsetof(struct vcpu_x86_segment, attrib), 2 },
};

/* MSR index of each kept MSR (enum vcpu_x86_kept_msr). */
static const u32 vcpu_x86_kept_msrs[VCPU_X86_KEPT_NR] = {
	[VCPU_X86_KEPT_STAR] = 0xc0000081,
	[VCPU_X86_KEPT_LSTAR] = 0xc0000082,
	[VCPU_X86_KEPT_CSTAR] = 0xc0000083,
	[VCPU_X86_KEPT_SFMASK] = 0xc0000084,
	[VCPU_X86_KEPT_KERNEL_GS_BASE] = 0xc0000102,
	[VCPU_X86_KEPT_SYSENTER_CS] = 0x174,
	[VCPU_X86_KEPT_SYSENTER_ESP] = 0x175,
	[VCPU_X86_KEPT_SYSENTER_EIP] = 0x176,
	[VCPU_X86_KEPT_PAT] = 0x277,
};

static int vcpu_x86_kept_slot(u64 id)
{
	unsigned int i;

	if ((id & ~0xffffffffULL) != VCPU_REG_X86_MSR(0))
		return -1;
	for (i = 0; i < VCPU_X86_KEPT_NR; i++)
		if (vcpu_x86_kept_msrs[i] == (u32)id)
			return i;
	return -1;
}

static bool vcpu_x86_canonical(u64 va)
{
	return (u64)(((s64)va << 16) >> 16) == va;
}

int vcpu_x86_one_reg_check(u64 id, u64 value)
{
	unsigned int i;

	switch (vcpu_x86_kept_slot(id)) {
	case VCPU_X86_KEPT_LSTAR:
	case VCPU_X86_KEPT_CSTAR:
	case VCPU_X86_KEPT_KERNEL_GS_BASE:
	case VCPU_X86_KEPT_SYSENTER_ESP:
	case VCPU_X86_KEPT_SYSENTER_EIP:
		return vcpu_x86_canonical(value) ? 0 : -EINVAL;
	case VCPU_X86_KEPT_SFMASK:
		return value >> 32 ? -EINVAL : 0;
	case VCPU_X86_KEPT_PAT:
		/* Each byte a memory type: UC, WC, WT, WP, WB or UC-. */
		for (i = 0; i < 8; i++) {
			u8 type = value >> (i * 8);

			if (type > 7 || type == 2 || type == 3)
				return -EINVAL;
		}
		return 0;
	default:
		return 0;
	}
}

void *vcpu_x86_one_reg(struct vcpu_x86_sregs *s, u64 id, unsigned int *size)
{
	unsigned int seg, field, i;
	int slot = vcpu_x86_kept_slot(id);

	if (slot >= 0) {
		if (!(s->msr_valid & BIT(slot)))
			return NULL;
		*size = 8;
		return &s->msr[slot];
	}

	for (i = 0; i < ARRAY_SIZE(vcpu_x86_regs); i++) {
		if (vcpu_x86_regs[i].id == id) {
			*size = vcpu_x86_regs[i].size;
			return (u8 *)s + vcpu_x86_regs[i].offset;
		}
	}
	if ((id & ~0xffULL) != VCPU_REG_X86_SEG(0, 0))
		return NULL;
	seg = (id >> 4) & 0xf;
	field = id & 0xf;
	if (seg >= VCPU_SEG_NR || field > VCPU_SEG_ATTRIB)
		return NULL;
	*size = vcpu_x86_seg_fields[field].size;
	return (u8 *)&s->seg[seg] + vcpu_x86_seg_fields[field].offset;
}
