/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The minimal machine behind the guest: a write-only serial port, two
 * power-off ports, one power-off hypercall and an MMIO space that reads as
 * zero.  Each access returns the value to complete the exit with; a guest
 * request to stop sets machine.stopped.
 */
#ifndef VCPUCTL_MACHINE_H
#define VCPUCTL_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define MACHINE_PORT_SERIAL_THR		0x3f8	/* COM1 transmit register */
#define MACHINE_PORT_SERIAL_LSR		0x3fd	/* COM1 line status */
#define MACHINE_SERIAL_LSR_IDLE		0x60	/* THRE | TEMT */
#define MACHINE_PORT_ACPI_PM1A_CNT	0x604	/* QEMU's ACPI power-off port */
#define MACHINE_PORT_DEBUG_EXIT		0xf4	/* QEMU's isa-debug-exit */

#define MACHINE_HC_POWER_OFF		0	/* hypercall nr */

/*
 * arm64: a PL011-style UART at the base QEMU's virt machine uses.  A store
 * to the data register transmits its low byte; the flag register reads 0
 * (transmit FIFO never full, never busy).
 */
#define MACHINE_PL011_BASE		0x09000000ULL
#define MACHINE_PL011_DR		(MACHINE_PL011_BASE + 0x00)
#define MACHINE_PL011_FR		(MACHINE_PL011_BASE + 0x18)

struct machine {
	FILE *serial;		/* where port 0x3f8 writes go */
	bool serial_midline;	/* the last serial byte was not a newline */
	bool stopped;		/* the guest asked to stop */
	int status;		/* then: the process exit status */
	char why[64];		/* then: what it did */
};

void machine_init(struct machine *m, FILE *serial);

uint64_t machine_io_read(struct machine *m, uint16_t port, unsigned int width);
void machine_io_write(struct machine *m, uint16_t port, unsigned int width,
		      uint64_t data);
uint64_t machine_mmio_read(struct machine *m, uint64_t addr,
			   unsigned int width);
void machine_mmio_write(struct machine *m, uint64_t addr, unsigned int width,
			uint64_t data);
uint64_t machine_hypercall(struct machine *m, uint64_t nr,
			   const uint64_t args[6]);
uint64_t machine_sysreg_read(struct machine *m, uint64_t addr);
void machine_sysreg_write(struct machine *m, uint64_t addr, uint64_t value);

/* End a partial serial line, so that messages start on their own. */
void machine_end_serial_line(struct machine *m);

/* Stop the machine with @status; @fmt says why. */
void machine_stop(struct machine *m, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* All ones in the low @width bytes. */
static inline uint64_t width_mask(unsigned int width)
{
	return width >= 8 ? ~0ULL : (1ULL << (8 * width)) - 1;
}

#endif /* VCPUCTL_MACHINE_H */
