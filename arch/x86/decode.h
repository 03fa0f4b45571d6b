/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 MMIO instruction decoder: the MOV forms a compiler emits for device
 * accesses.  Pure logic, built both into the module and into the host unit
 * tests.  Registers use the hardware encoding (0 RAX .. 15 R15), as in the
 * ABI's VCPU_REG_* numbering.
 */
#ifndef VCPU_X86_DECODE_H
#define VCPU_X86_DECODE_H

#include <linux/types.h>

#define VCPU_X86_MAX_INSN_LEN	15

/* insn->seg when no segment override prefix was given */
#define VCPU_X86_SEG_NONE	0xff

struct vcpu_x86_insn {
	u8 len;			/* total length, prefixes included */
	bool is_write;		/* guest stores to memory */
	u8 width;		/* bytes accessed in memory: 1, 2, 4 or 8 */
	/*
	 * Register stored (write) or loaded (read).  Without REX, byte
	 * registers 4..7 are AH/CH/DH/BH: reg stays 4..7 and high_byte is
	 * set, meaning bits 15:8 of register (reg - 4).  Unused (0) for an
	 * immediate store.
	 */
	u8 reg;
	bool high_byte;
	u8 reg_width;		/* bytes of reg written on a read */
	bool sign_extend;	/* read: sign- (else zero-) extend */
	bool has_imm;		/* write of an immediate (C6/C7) */
	u64 imm;		/* the immediate, extended to width bytes */

	/* Informational; the MMIO path needs none of these. */
	u8 opcode;		/* last opcode byte (after 0F for two-byte) */
	bool two_byte;		/* 0F-escaped opcode */
	u8 seg;			/* segment override prefix or SEG_NONE */
	u8 op_bytes;		/* effective operand size */
	u8 addr_bytes;		/* effective address size */
	bool rip_relative;	/* 64-bit [rip + disp32] */
};

/*
 * Decode the instruction at @insn (@avail bytes readable) executed with a
 * code segment of default size @code_bits (16, 32 or 64).  Returns 0,
 * -EINVAL for anything that is not a supported MMIO form (register
 * operands, LOCK/REP prefixes, unknown opcodes, over-long instructions),
 * or -EAGAIN when @avail is too short to decode it.
 */
/*
 * @b is 0x66, 0x67 or a segment override: note it (in @opsize, @adsize or
 * @seg) and return true; false for any other byte.
 */
bool vcpu_x86_size_seg_prefix(u8 b, bool *opsize, bool *adsize, u8 *seg);
/* Default operand/address sizes of @code_bits code after 0x66/0x67. */
void vcpu_x86_sizes(unsigned int code_bits, bool opsize, bool adsize,
		    u8 *op_bytes, u8 *addr_bytes);
int vcpu_x86_decode(const u8 *insn, unsigned int avail, unsigned int code_bits,
		    struct vcpu_x86_insn *out);

/*
 * MOV to or from a debug register (0F 21 /r, 0F 23 /r, any prefixes
 * before): the general register (ModRM.rm, REX.B) in @gpr and the
 * length, or -EINVAL (another instruction, REX.R: DR8-15 are #UD).
 */
int vcpu_x86_decode_mov_dr(const u8 *insn, unsigned int avail,
			   unsigned int code_bits, unsigned int *gpr);

/* @width bytes of register @reg (bits 15:8 of reg - 4 with @high_byte). */
u64 vcpu_x86_read_gpr(const u64 *gprs, u8 reg, bool high_byte, u8 width);

/* The value a decoded write stores: width bytes, zero-extended. */
u64 vcpu_x86_mmio_write_value(const u64 *gprs,
			      const struct vcpu_x86_insn *insn);

/*
 * Complete a decoded read with @data (width bytes): extend it to reg_width
 * as sign_extend says and write it with x86 semantics: 4-byte writes
 * zero-extend to 64 bits, 1- and 2-byte writes merge into the low bits,
 * high_byte writes bits 15:8 of register reg - 4.
 */
void vcpu_x86_mmio_complete_read(u64 *gprs, const struct vcpu_x86_insn *insn,
				 u64 data);

/*
 * MOV to CR (0F 22 /r): the length, @cr and the source register @gpr;
 * -EINVAL when the bytes are not one (or carry LOCK), -EAGAIN when
 * @avail is too short.
 */
int vcpu_x86_decode_mov_to_cr(const u8 *b, unsigned int avail,
			      unsigned int code_bits, u8 *cr, u8 *gpr);

#endif /* VCPU_X86_DECODE_H */
