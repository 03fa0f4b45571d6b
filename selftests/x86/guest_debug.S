/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debug registers, #DB and #AC (vcpu_x86_debug_test).  64-bit guests at
 * VCPU_TEST_CODE_GPA; the host builds their GDT, IDT (#DB: NAME_db,
 * #AC: NAME_ac) and TSS.  Handlers record in the data page:
 *   0x3000 #DB count, 0x3008 DR6 in the handler, 0x3010 RIP of the frame,
 *   0x3018 vector, 0x3020 #AC error code, 0x3100 + 8 * n DRn as read.
 * Reports are OUT to port 0x80.
 */
#include "guest_asm.h"

#define D_COUNT		0x3000
#define D_DR6		0x3008
#define D_RIP		0x3010
#define D_VEC		0x3018
#define D_ERR		0x3020
#define D_DR		0x3100
#define D_WATCH		0x3800

	.section .rodata.guestdebug, "a"
	.code64

.macro READ_DRS
	mov	%dr0, %rax
	mov	%rax, D_DR + 0
	mov	%dr1, %rax
	mov	%rax, D_DR + 8
	mov	%dr2, %rax
	mov	%rax, D_DR + 16
	mov	%dr3, %rax
	mov	%rax, D_DR + 24
	mov	%dr4, %rax		/* CR4.DE clear: DR6 */
	mov	%rax, D_DR + 32
	mov	%dr5, %rax		/* DR7 */
	mov	%rax, D_DR + 40
	mov	%dr6, %rax
	mov	%rax, D_DR + 48
	mov	%dr7, %rax
	mov	%rax, D_DR + 56
.endm

/* Read DR0-7 into the data page, HLT. */
GUEST_BEGIN(guest64_dbg_read)
	READ_DRS
	hlt
GUEST_END(guest64_dbg_read)

/*
 * Write DR0-3 and DR7 (execution breakpoints, G0-G3, on addresses never
 * executed), HLT; then read them back, HLT.
 */
GUEST_BEGIN(guest64_dbg_write)
	mov	$0x1111000, %eax
	mov	%rax, %dr0
	mov	$0x2222000, %eax
	mov	%rax, %dr1
	mov	$0x3333000, %eax
	mov	%rax, %dr2
	mov	$0x4444000, %eax
	mov	%rax, %dr3
	mov	$0xaa, %eax
	mov	%rax, %dr7
	hlt
	READ_DRS
	hlt
GUEST_END(guest64_dbg_write)

/*
 * #DB: count, DR6, the frame's RIP; DR6 reset and DR7 disarmed as a
 * one-shot handler does; RF set (an execution breakpoint would fire
 * again), TF cleared.
 */
.macro DB_HANDLER name
GUEST_LABEL(\name)
	push	%rax
	incl	D_COUNT
	mov	%dr6, %rax
	mov	%rax, D_DR6
	mov	8(%rsp), %rax
	mov	%rax, D_RIP
	movq	$1, D_VEC
	mov	$0xffff0ff0, %eax
	mov	%rax, %dr6
	mov	$0x400, %eax
	mov	%rax, %dr7
	orq	$0x10000, 24(%rsp)
	andq	$~0x100, 24(%rsp)
	pop	%rax
	iretq
.endm

/*
 * A data write breakpoint (DR0, 4 bytes at D_WATCH), then an execution
 * breakpoint (DR1).  Each #DB is followed by a report 1, 2.
 */
GUEST_BEGIN(guest64_dbg_bp)
	mov	$D_WATCH, %eax
	mov	%rax, %dr0
	mov	$0xd0001, %eax		/* L0, write, 4 bytes */
	mov	%rax, %dr7
	movl	$0x5a5a, D_WATCH
GUEST_LABEL(guest64_dbg_bp_written)
	mov	$1, %eax
	out	%eax, $0x80
	lea	guest64_dbg_bp_exec(%rip), %rax
	mov	%rax, %dr1
	mov	$0x4, %eax		/* L1, execute */
	mov	%rax, %dr7
	nop
GUEST_LABEL(guest64_dbg_bp_exec)
	nop
	mov	$2, %eax
	out	%eax, $0x80
	hlt
	DB_HANDLER guest64_dbg_bp_db
GUEST_END(guest64_dbg_bp)

/*
 * A single step of the guest's own (POPF sets TF: the trap follows the
 * next instruction), report 3; then one of an instruction the kernel
 * completes (OUT, report 4), report 5.
 */
GUEST_BEGIN(guest64_dbg_step)
	pushfq
	orq	$0x100, (%rsp)
	popfq
	nop
GUEST_LABEL(guest64_dbg_step_stepped)
	mov	$3, %eax
	out	%eax, $0x80
	mov	$4, %eax
	pushfq
	orq	$0x100, (%rsp)
	popfq
	out	%eax, $0x80
GUEST_LABEL(guest64_dbg_step_out_done)
	mov	$5, %eax
	out	%eax, $0x80
	hlt
	DB_HANDLER guest64_dbg_step_db
GUEST_END(guest64_dbg_step)

/*
 * #AC: CR0.AM set, to CPL 3 with RFLAGS.AC (and IOPL 3), a misaligned
 * load.  The handler records the error code and RIP, reports 6 and
 * halts; a load that completed without #AC reports 7 from CPL 3.
 */
GUEST_BEGIN(guest64_dbg_ac)
	mov	%cr0, %rax
	or	$0x40000, %rax
	mov	%rax, %cr0
	pushq	$0x23
	pushq	$0x7000
	pushfq
	orq	$0x43000, (%rsp)	/* AC, IOPL 3 */
	pushq	$0x1b
	lea	guest64_dbg_ac_user(%rip), %rax
	push	%rax
	iretq
GUEST_LABEL(guest64_dbg_ac_user)
	mov	$0x3801, %eax
GUEST_LABEL(guest64_dbg_ac_insn)
	movl	(%rax), %ebx
	mov	$7, %eax
	out	%eax, $0x80
	hlt				/* CPL 3: #GP, no handler: shutdown */
GUEST_LABEL(guest64_dbg_ac_handler)
	pop	%rax
	mov	%rax, D_ERR
	mov	(%rsp), %rax
	mov	%rax, D_RIP
	movq	$17, D_VEC
	mov	$6, %eax
	out	%eax, $0x80
	hlt
GUEST_END(guest64_dbg_ac)

	.section .note.GNU-stack, "", @progbits
