/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello.S: a 16-bit real-mode guest for vcpuctl.
 *
 *   vcpuctl run --trace examples/hello.bin	(--mode real, the default)
 *
 * Loaded and entered at 0x1000 (CS:IP = 0000:1000).  It prints a greeting
 * on the serial port, polling the line status register before every byte
 * (an IN and an OUT exit per character), makes a VMMCALL hypercall, writes
 * a byte and reads a dword in the VGA window at 0xb8000 (vcpuctl leaves it
 * without memory, so both are MMIO exits) and powers off through the ACPI
 * port.  Expected: "Hello from a vcpu guest", exit status 0, 52 exits.
 *
 * A flat binary has no loader: addresses are computed from the load
 * address (LOAD_ADDR), and only local labels are used so that the
 * assembler leaves no relocation behind.
 */
	.code16
	.text

	.set	LOAD_ADDR,	0x1000
	.set	COM1_THR,	0x3f8		/* transmit holding register */
	.set	COM1_LSR,	0x3fd		/* line status register */
	.set	LSR_THRE,	0x20		/* transmit holding register empty */
	.set	PM1A_CNT,	0x604		/* ACPI PM1a control, as in QEMU */
	.set	PM1A_SLP_EN,	0x2000		/* SLP_EN, SLP_TYP 0 (S5) */
	.set	VGA_SEG,	0xb800		/* 0xb8000, no memory behind it */
	.set	HC_HELLO,	1		/* an ordinary hypercall */

start:
	cli
	cld
	xor	%ax, %ax
	mov	%ax, %ds

	/* Print the message, waiting for the transmitter each time. */
	mov	$(msg - start + LOAD_ADDR), %si
next_char:
	lodsb				/* %al = %ds:(%si++) */
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
	vmmcall

	/* MMIO: a byte store, then a dword load into EAX. */
	mov	$VGA_SEG, %ax
	mov	%ax, %es
	xor	%bx, %bx
	movb	$'H', %es:(%bx)
	mov	%es:4(%bx), %eax

	/* Power off. */
	mov	$PM1A_CNT, %dx
	mov	$PM1A_SLP_EN, %ax
	out	%ax, %dx

	/* Not reached under vcpuctl. */
halt:
	hlt
	jmp	halt

msg:
	.asciz	"Hello from a vcpu guest\n"
