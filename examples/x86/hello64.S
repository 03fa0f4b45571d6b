/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello64.S: the hello guest in 64-bit long mode.
 *
 *   vcpuctl run --mode long64 --trace examples/hello64.bin
 *
 * Entered at 0x1000 with paging on: vcpuctl's page tables map the first
 * 4 GiB one to one, so 0xc0000000 is a valid virtual address with no
 * guest-physical memory behind it.  It prints a greeting on the serial
 * port (polling the line status first), makes a VMMCALL hypercall with
 * six arguments, writes a byte and reads a dword at 0xc0000000 (MMIO
 * exits) and powers off with hypercall 0.  Expected: "Hello from a vcpu
 * guest", exit status 0, 52 exits.
 *
 * Position independent (RIP-relative), local labels only: no relocations.
 */
	.code64
	.text

	.set	COM1_THR,	0x3f8		/* transmit holding register */
	.set	COM1_LSR,	0x3fd		/* line status register */
	.set	LSR_THRE,	0x20		/* transmit holding register empty */
	.set	MMIO_ADDR,	0xc0000000	/* mapped, but no memory */
	.set	HC_POWER_OFF,	0
	.set	HC_HELLO,	1

start:
	cli
	cld

	/* Print the message, waiting for the transmitter each time. */
	lea	msg(%rip), %rsi
next_char:
	lodsb				/* %al = (%rsi++) */
	test	%al, %al
	jz	printed
	mov	%al, %bl
	mov	$COM1_LSR, %dx
wait_thre:
	in	%dx, %al
	test	$LSR_THRE, %al
	jz	wait_thre
	mov	$COM1_THR, %dx
	mov	%bl, %al
	out	%al, %dx
	jmp	next_char
printed:

	/* Hypercall: nr in RAX, arguments in RDI, RSI, RDX, RCX, R8, R9. */
	mov	$HC_HELLO, %eax
	mov	$0x11, %edi
	mov	$0x22, %esi
	mov	$0x33, %edx
	mov	$0x44, %ecx
	mov	$0x55, %r8d
	mov	$0x66, %r9d
	vmmcall

	/* MMIO: a byte store, then a dword load into EAX. */
	mov	$MMIO_ADDR, %ebx	/* zero-extended into RBX */
	movb	$'H', (%rbx)
	mov	4(%rbx), %eax

	/* Power off. */
	mov	$HC_POWER_OFF, %eax
	vmmcall

	/* Not reached under vcpuctl. */
halt:
	hlt
	jmp	halt

msg:
	.asciz	"Hello from a vcpu guest\n"
