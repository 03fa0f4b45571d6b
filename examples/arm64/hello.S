/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 example guest for `vcpuctl run --mode el1` (AArch64 EL1, MMU off,
 * loaded and entered at 0x1000; x0 holds the memory size).
 *
 * Prints a line on the PL011 UART that vcpuctl models at 0x09000000 (one
 * MMIO_READ of the flag register and one MMIO_WRITE of the data register
 * per byte), makes hypercall 1 with four arguments, then powers off with
 * PSCI SYSTEM_OFF (an SMC Calling Convention call by HVC), which ends
 * vcpuctl with status 0.
 */
	.text
	.globl	_start
_start:
	movz	x1, #0x0900, lsl #16		/* PL011 base */
	adr	x2, msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 3f
2:	ldr	w4, [x1, #0x18]			/* FR: TXFF (bit 5) clear? */
	tbnz	w4, #5, 2b
	strb	w3, [x1]			/* DR */
	b	1b

3:	mov	x0, #1				/* hypercall 1 */
	mov	x1, #0x11
	mov	x2, #0x22
	mov	x3, #0x33
	mov	x4, #0x44
	hvc	#0

	movz	x0, #0x8400, lsl #16		/* PSCI SYSTEM_OFF */
	movk	x0, #0x0008
	hvc	#0
	wfi					/* not reached */

msg:	.asciz	"Hello from an arm64 vcpu guest\n"
	.balign	4
