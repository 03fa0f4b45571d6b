// SPDX-License-Identifier: GPL-2.0
/*
 * x86 MMIO instruction decoder.  Only the plain MOV family is accepted:
 *   88/89 (store r), 8A/8B (load r), C6 /0 ib, C7 /0 iw/id, A0..A3 (moffs),
 *   0F B6/B7 (MOVZX), 0F BE/BF (MOVSX), REX.W 63 (MOVSXD),
 * with 66/67/segment prefixes and, in 64-bit code, one REX prefix placed
 * immediately before the opcode.  Everything else is -EINVAL, so that the
 * caller reports the instruction instead of emulating it wrongly.
 */
#include <linux/types.h>
#include <linux/errno.h>

#include "decode.h"

struct vcpu_x86_cursor {
	const u8 *bytes;
	unsigned int avail;
	unsigned int pos;
};

#define VCPU_X86_REX_W		0x08
#define VCPU_X86_REX_R		0x04

static int vcpu_x86_get(struct vcpu_x86_cursor *c, unsigned int n, u64 *val)
{
	unsigned int i;
	u64 v = 0;

	if (c->pos + n > VCPU_X86_MAX_INSN_LEN)
		return -EINVAL;
	if (c->pos + n > c->avail)
		return -EAGAIN;
	for (i = 0; i < n; i++)
		v |= (u64)c->bytes[c->pos + i] << (8 * i);
	c->pos += n;
	*val = v;
	return 0;
}

static int vcpu_x86_get_byte(struct vcpu_x86_cursor *c, u8 *b)
{
	u64 v;
	int ret = vcpu_x86_get(c, 1, &v);

	if (!ret)
		*b = (u8)v;
	return ret;
}

static u64 vcpu_x86_mask(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (8 * bytes)) - 1;
}

static u64 vcpu_x86_sext(u64 v, unsigned int bytes)
{
	u64 mask = vcpu_x86_mask(bytes);

	v &= mask;
	if (bytes < 8 && (v >> (8 * bytes - 1)) & 1)
		v |= ~mask;
	return v;
}

bool vcpu_x86_size_seg_prefix(u8 b, bool *opsize, bool *adsize, u8 *seg)
{
	switch (b) {
	case 0x66:
		*opsize = true;
		return true;
	case 0x67:
		*adsize = true;
		return true;
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		*seg = b;		/* the last one counts */
		return true;
	default:
		return false;
	}
}

static bool vcpu_x86_is_legacy_prefix(u8 b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	default:
		return false;
	}
}

/*
 * ModRM and what follows it up to the immediate: SIB and displacement.
 * Register operands (mod == 3) are not memory accesses.
 */
static int vcpu_x86_modrm(struct vcpu_x86_cursor *c, struct vcpu_x86_insn *out,
			  unsigned int code_bits, u8 *modrm)
{
	unsigned int mod, rm, disp = 0;
	u64 v;
	int ret;

	ret = vcpu_x86_get_byte(c, modrm);
	if (ret)
		return ret;
	mod = *modrm >> 6;
	rm = *modrm & 7;
	if (mod == 3)
		return -EINVAL;

	if (out->addr_bytes == 2) {
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || (mod == 0 && rm == 6))
			disp = 2;
	} else {
		if (rm == 4) {
			ret = vcpu_x86_get(c, 1, &v);	/* SIB */
			if (ret)
				return ret;
			/* base 5 with mod 0: disp32, no base register */
			if (mod == 0 && (v & 7) == 5)
				disp = 4;
		} else if (mod == 0 && rm == 5) {
			disp = 4;
			out->rip_relative = code_bits == 64;
		}
		if (mod == 1)
			disp = 1;
		else if (mod == 2)
			disp = 4;
	}
	if (disp)
		return vcpu_x86_get(c, disp, &v);
	return 0;
}


/*
 * The default operand and address sizes of @code_bits (16, 32, 64) code,
 * after the 0x66 (@opsize) and 0x67 (@adsize) prefixes; REX.W is the
 * caller's.
 */
void vcpu_x86_sizes(unsigned int code_bits, bool opsize, bool adsize,
		    u8 *op_bytes, u8 *addr_bytes)
{
	if (code_bits == 16)
		*op_bytes = opsize ? 4 : 2;
	else
		*op_bytes = opsize ? 2 : 4;
	if (code_bits == 64)
		*addr_bytes = adsize ? 4 : 8;
	else if (code_bits == 32)
		*addr_bytes = adsize ? 2 : 4;
	else
		*addr_bytes = adsize ? 4 : 2;
}

int vcpu_x86_decode(const u8 *insn, unsigned int avail, unsigned int code_bits,
		    struct vcpu_x86_insn *out)
{
	struct vcpu_x86_cursor c = { .bytes = insn, .avail = avail };
	bool opsize = false, adsize = false, byte_reg = false;
	u8 b, rex = 0, modrm = 0;
	unsigned int imm_bytes = 0;
	u64 v;
	int ret;

	if (code_bits != 16 && code_bits != 32 && code_bits != 64)
		return -EINVAL;
	*out = (struct vcpu_x86_insn){ .seg = VCPU_X86_SEG_NONE };

	for (;;) {
		ret = vcpu_x86_get_byte(&c, &b);
		if (ret)
			return ret;
		/* REX must be the last prefix; a prefix after it is refused. */
		if (rex && (vcpu_x86_is_legacy_prefix(b) || (b & 0xf0) == 0x40))
			return -EINVAL;
		if (code_bits == 64 && (b & 0xf0) == 0x40) {
			rex = b;
			continue;
		}
		if (vcpu_x86_size_seg_prefix(b, &opsize, &adsize, &out->seg))
			continue;
		if (vcpu_x86_is_legacy_prefix(b))
			return -EINVAL;		/* LOCK, REP/REPNE */
		break;
	}

	vcpu_x86_sizes(code_bits, opsize, adsize, &out->op_bytes,
		       &out->addr_bytes);
	if (rex & VCPU_X86_REX_W)
		out->op_bytes = 8;

	if (b == 0x0f) {
		ret = vcpu_x86_get_byte(&c, &b);
		if (ret)
			return ret;
		out->two_byte = true;
		switch (b) {
		case 0xb6: case 0xb7: case 0xbe: case 0xbf:
			out->width = (b & 1) ? 2 : 1;
			out->reg_width = out->op_bytes;
			out->sign_extend = b >= 0xbe;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (b) {
		case 0x88: case 0x8a: case 0xc6:
			out->width = 1;
			byte_reg = b != 0xc6;
			break;
		case 0x89: case 0x8b: case 0xc7:
			out->width = out->op_bytes;
			break;
		case 0x63:
			/* MOVSXD needs REX.W; outside 64-bit code 63 is ARPL */
			if (!(rex & VCPU_X86_REX_W))
				return -EINVAL;
			out->width = 4;
			out->sign_extend = true;
			break;
		case 0xa0: case 0xa1: case 0xa2: case 0xa3:
			out->width = (b & 1) ? out->op_bytes : 1;
			out->is_write = b >= 0xa2;
			out->reg = 0;
			out->reg_width = out->width;
			out->opcode = b;
			ret = vcpu_x86_get(&c, out->addr_bytes, &v);
			if (ret)
				return ret;
			out->len = c.pos;
			return 0;
		default:
			return -EINVAL;
		}
		out->is_write = b == 0x88 || b == 0x89 || b == 0xc6 ||
				b == 0xc7;
		out->reg_width = b == 0x63 ? 8 : out->width;
	}
	out->opcode = b;

	ret = vcpu_x86_modrm(&c, out, code_bits, &modrm);
	if (ret)
		return ret;

	if (!out->two_byte && (b == 0xc6 || b == 0xc7)) {
		if (modrm & 0x38)
			return -EINVAL;		/* only /0 is MOV */
		imm_bytes = out->width > 4 ? 4 : out->width;
		ret = vcpu_x86_get(&c, imm_bytes, &v);
		if (ret)
			return ret;
		out->has_imm = true;
		/* C7 with REX.W: imm32 sign-extended to 64 bits */
		out->imm = out->width == 8 ? vcpu_x86_sext(v, 4) : v;
	} else {
		out->reg = ((modrm >> 3) & 7) | ((rex & VCPU_X86_REX_R) << 1);
		if (byte_reg && !rex && out->reg >= 4)
			out->high_byte = true;
	}
	out->len = c.pos;
	return 0;
}

u64 vcpu_x86_read_gpr(const u64 *gprs, u8 reg, bool high_byte, u8 width)
{
	if (high_byte)
		return (gprs[reg & 3] >> 8) & 0xff;
	return gprs[reg & 15] & vcpu_x86_mask(width);
}

u64 vcpu_x86_mmio_write_value(const u64 *gprs,
			      const struct vcpu_x86_insn *insn)
{
	if (insn->has_imm)
		return insn->imm & vcpu_x86_mask(insn->width);
	return vcpu_x86_read_gpr(gprs, insn->reg, insn->high_byte, insn->width);
}

void vcpu_x86_mmio_complete_read(u64 *gprs, const struct vcpu_x86_insn *insn,
				 u64 data)
{
	u64 *r;

	if (insn->sign_extend)
		data = vcpu_x86_sext(data, insn->width);
	else
		data &= vcpu_x86_mask(insn->width);

	if (insn->high_byte) {
		r = &gprs[insn->reg & 3];
		*r = (*r & ~0xff00ULL) | ((data & 0xff) << 8);
		return;
	}
	r = &gprs[insn->reg & 15];
	switch (insn->reg_width) {
	case 8:
		*r = data;
		break;
	case 4:
		/* 32-bit register writes zero-extend to 64 bits */
		*r = data & 0xffffffffULL;
		break;
	case 1:
	case 2:
		*r = (*r & ~vcpu_x86_mask(insn->reg_width)) |
		     (data & vcpu_x86_mask(insn->reg_width));
		break;
	default:
		break;
	}
}

/*
 * MOV to control register (0F 22 /r) at @b, @avail bytes, in @code_bits
 * code: the instruction's length, with @cr the control register (ModRM.reg
 * plus REX.R) and @gpr the source (ModRM.rm plus REX.B; the mod field is
 * ignored, as the CPU does).  -EINVAL for anything else, LOCK (AMD's
 * alternative CR8 encoding) included; -EAGAIN when @avail is too short.
 */
int vcpu_x86_decode_mov_to_cr(const u8 *b, unsigned int avail,
			      unsigned int code_bits, u8 *cr, u8 *gpr)
{
	unsigned int pos = 0;
	u8 rex = 0;

	for (;; pos++) {
		if (pos + 3 > VCPU_X86_MAX_INSN_LEN)
			return -EINVAL;
		if (pos >= avail)
			return -EAGAIN;
		if (b[pos] == 0xf0)
			return -EINVAL;
		if (vcpu_x86_is_legacy_prefix(b[pos])) {
			rex = 0;	/* a REX before a prefix is ignored */
			continue;
		}
		if (code_bits == 64 && (b[pos] & 0xf0) == 0x40) {
			rex = b[pos];
			continue;
		}
		break;
	}
	if (pos + 3 > avail)
		return -EAGAIN;
	if (b[pos] != 0x0f || b[pos + 1] != 0x22)
		return -EINVAL;
	*cr = ((b[pos + 2] >> 3) & 7) | (rex & VCPU_X86_REX_R ? 8 : 0);
	*gpr = (b[pos + 2] & 7) | (rex & 1 ? 8 : 0);
	return pos + 3;
}

int vcpu_x86_decode_mov_dr(const u8 *insn, unsigned int avail,
			   unsigned int code_bits, unsigned int *gpr)
{
	bool opsize, adsize;
	unsigned int i = 0;
	u8 seg, rex = 0;

	while (i < avail && i < VCPU_X86_MAX_INSN_LEN &&
	       (vcpu_x86_size_seg_prefix(insn[i], &opsize, &adsize, &seg) ||
		insn[i] == 0xf2 || insn[i] == 0xf3))
		i++;
	if (code_bits == 64 && i < avail && (insn[i] & 0xf0) == 0x40)
		rex = insn[i++];
	if (i + 3 > avail || i + 3 > VCPU_X86_MAX_INSN_LEN ||
	    insn[i] != 0x0f || (insn[i + 1] != 0x21 && insn[i + 1] != 0x23) ||
	    (rex & 0x04))
		return -EINVAL;
	*gpr = (insn[i + 2] & 7) | (rex & 1 ? 8 : 0);
	return i + 3;
}
