/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An SMP guest for `vcpuctl run --vcpus N`: every vCPU starts here in real
 * mode with its id in DI (the SETUP arg), prints that id as a digit on the
 * serial port and halts.  vcpuctl ends the run when all have halted.
 */
	.code16
	.text

	.set	COM1_THR,	0x3f8		/* transmit holding register */

start:
	mov	%di, %ax
	add	$'0', %al
	mov	$COM1_THR, %dx
	out	%al, %dx
	hlt
