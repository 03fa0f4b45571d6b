/* SPDX-License-Identifier: GPL-2.0 */
/*
 * String port I/O guests (vcpu_strio_test): one INS/OUTS form each, then
 * HLT.  The host sets RSI, RDI, RCX, DX (port) and RFLAGS.DF through
 * VCPU_SET_REGS before running; the 16-bit guests load DS from BX and ES
 * from BP first.  Each NAME_insn label is the string instruction, NAME_hlt
 * the HLT after it.
 */
#include "guest_asm.h"

#define STR16(name, insn...)				\
GUEST_BEGIN(name)					\
	movw	%bx, %ds;				\
	movw	%bp, %es;				\
GUEST_LABEL(name##_insn)				\
	insn;						\
GUEST_LABEL(name##_hlt)					\
	hlt;						\
GUEST_END(name)

#define STR(name, insn...)				\
GUEST_BEGIN(name)					\
GUEST_LABEL(name##_insn)				\
	insn;						\
GUEST_LABEL(name##_hlt)					\
	hlt;						\
GUEST_END(name)

	.section .rodata.guest16, "a"
	.code16

STR16(guest16_str_rep_outsb, rep outsb)			/* F3 6E */
STR16(guest16_str_rep_outsd, rep outsl)			/* F3 66 6F */
STR16(guest16_str_rep_insw, rep insw)			/* F3 6D */
STR16(guest16_str_a32_rep_outsb, .byte 0x67, 0xf3, 0x6e)
STR16(guest16_str_es_outsb, .byte 0x26, 0x6e)		/* ES: OUTSB */

	.section .rodata.guest32, "a"
	.code32

/* OUTSB, OUTSW, OUTSD (or INS*) without REP, one after the other. */
GUEST_BEGIN(guest32_str_outs)
	outsb
GUEST_LABEL(guest32_str_outs_w)
	outsw
GUEST_LABEL(guest32_str_outs_d)
	outsl
GUEST_LABEL(guest32_str_outs_hlt)
	hlt
GUEST_END(guest32_str_outs)

GUEST_BEGIN(guest32_str_ins)
	insb
GUEST_LABEL(guest32_str_ins_w)
	insw
GUEST_LABEL(guest32_str_ins_d)
	insl
GUEST_LABEL(guest32_str_ins_hlt)
	hlt
GUEST_END(guest32_str_ins)

STR(guest32_str_rep_outsb, rep outsb)			/* F3 6E */
STR(guest32_str_rep_outsw, rep outsw)			/* F3 66 6F */
STR(guest32_str_rep_outsd, rep outsl)			/* F3 6F */
STR(guest32_str_rep_insb, rep insb)			/* F3 6C */
STR(guest32_str_rep_insw, rep insw)			/* F3 66 6D */
STR(guest32_str_rep_insd, rep insl)			/* F3 6D */
STR(guest32_str_repne_outsb, .byte 0xf2, 0x6e)		/* F2: REP too */
STR(guest32_str_a16_rep_outsb, .byte 0x67, 0xf3, 0x6e)
STR(guest32_str_fs_rep_outsb, .byte 0x64, 0xf3, 0x6e)
STR(guest32_str_rep_insd_es, .byte 0x2e, 0xf3, 0x6d)	/* CS: ignored */

/* Both with rCX = 0: neither exits, the guest reaches HLT. */
GUEST_BEGIN(guest32_str_zero)
	rep outsb
	rep insb
GUEST_LABEL(guest32_str_zero_hlt)
	hlt
GUEST_END(guest32_str_zero)

	.section .rodata.guest64, "a"
	.code64

STR(guest64_str_rep_outsb, rep outsb)			/* F3 6E */
STR(guest64_str_rep_outsd, rep outsl)			/* F3 6F */
STR(guest64_str_rep_insb, rep insb)			/* F3 6C */
STR(guest64_str_rep_insw, rep insw)			/* F3 66 6D */
STR(guest64_str_rep_insd, rep insl)			/* F3 6D */
STR(guest64_str_rexw_rep_outsd, .byte 0xf3, 0x48, 0x6f)	/* still dwords */
STR(guest64_str_a32_rep_insb, .byte 0x67, 0xf3, 0x6c)
STR(guest64_str_gs_rep_outsb, .byte 0x65, 0xf3, 0x6e)
STR(guest64_str_ds_rep_outsb, .byte 0x3e, 0xf3, 0x6e)	/* base ignored */

/*
 * Guest page faults on the memory operand (the pf_* tests), in long mode
 * with the test's page tables, GDT, IDT and TSS.  RBX = 0: the string
 * instruction runs at CPL 0; otherwise IRETQ to it at CPL 3 with IOPL 3
 * first (user code 0x1b, user data 0x23).  Once it is done: report on
 * port 0x83, then HLT (at CPL 3 the test stops at the report).  The #PF
 * handler (NAME_pf, a trap gate: IF stays set) reports CR2 on port 0x80,
 * the error code on 0x81 and the faulting RIP on 0x82, then HLTs
 * (NAME_pf_hlt).
 */
#define STRPF(name, insn...)				\
GUEST_BEGIN(name)					\
	testq	%rbx, %rbx;				\
	jz	name##_insn;				\
	leaq	name##_insn(%rip), %rax;		\
	movq	%rsp, %rbp;				\
	pushq	$0x23;					\
	pushq	%rbp;					\
	pushfq;						\
	orq	$0x3000, (%rsp);			\
	pushq	$0x1b;					\
	pushq	%rax;					\
	iretq;						\
GUEST_LABEL(name##_insn)				\
	insn;						\
GUEST_LABEL(name##_done)				\
	outl	%eax, $0x83;				\
	hlt;						\
GUEST_LABEL(name##_pf)					\
	movq	%cr2, %rax;				\
	outl	%eax, $0x80;				\
	popq	%rax;					\
	outl	%eax, $0x81;				\
	movq	(%rsp), %rax;				\
	outl	%eax, $0x82;				\
GUEST_LABEL(name##_pf_hlt)				\
	hlt;						\
GUEST_END(name)

STRPF(guest64_pf_rep_insb, rep insb)
STRPF(guest64_pf_rep_insd, rep insl)
STRPF(guest64_pf_outsb, outsb)
STRPF(guest64_pf_rep_outsb, rep outsb)

	.section .note.GNU-stack, "", @progbits
