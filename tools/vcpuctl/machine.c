// SPDX-License-Identifier: GPL-2.0
/* The device model. */
#include <stdarg.h>
#include <string.h>

#include "machine.h"

void machine_init(struct machine *m, FILE *serial)
{
	memset(m, 0, sizeof(*m));
	m->serial = serial;
}

void machine_stop(struct machine *m, int status, const char *fmt, ...)
{
	va_list ap;

	if (m->stopped)
		return;
	m->stopped = true;
	m->status = status;
	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
}

void machine_end_serial_line(struct machine *m)
{
	if (m->serial_midline)
		fputc('\n', m->serial);
	m->serial_midline = false;
	fflush(m->serial);
}

uint64_t machine_io_read(struct machine *m, uint16_t port, unsigned int width)
{
	(void)m;
	if (port == MACHINE_PORT_SERIAL_LSR)
		return MACHINE_SERIAL_LSR_IDLE;
	/* Nothing else is decoded: the bus floats high. */
	return width_mask(width);
}

void machine_io_write(struct machine *m, uint16_t port, unsigned int width,
		      uint64_t data)
{
	data &= width_mask(width);
	switch (port) {
	case MACHINE_PORT_SERIAL_THR:
		fputc((int)(data & 0xff), m->serial);
		m->serial_midline = (data & 0xff) != '\n';
		break;
	case MACHINE_PORT_ACPI_PM1A_CNT:
		machine_stop(m, 0, "power off (port 0x%x)", port);
		break;
	case MACHINE_PORT_DEBUG_EXIT:
		/* As QEMU's isa-debug-exit: (value << 1) | 1, 8 bits kept. */
		machine_stop(m, (int)(((data << 1) | 1) & 0xff),
			     "debug exit (port 0x%x, value 0x%llx)", port,
			     (unsigned long long)data);
		break;
	default:
		break;
	}
}

uint64_t machine_mmio_read(struct machine *m, uint64_t addr, unsigned int width)
{
	(void)m;
	(void)addr;
	(void)width;
	return 0;
}

void machine_mmio_write(struct machine *m, uint64_t addr, unsigned int width,
			uint64_t data)
{
	(void)width;
	if (addr == MACHINE_PL011_DR) {
		fputc((int)(data & 0xff), m->serial);
		m->serial_midline = (data & 0xff) != '\n';
	}
}

uint64_t machine_hypercall(struct machine *m, uint64_t nr,
			   const uint64_t args[6])
{
	(void)args;
	if (nr == MACHINE_HC_POWER_OFF)
		machine_stop(m, 0, "power off (hypercall 0)");
	return 0;
}

uint64_t machine_sysreg_read(struct machine *m, uint64_t addr)
{
	(void)m;
	(void)addr;
	return 0;
}

void machine_sysreg_write(struct machine *m, uint64_t addr, uint64_t value)
{
	(void)m;
	(void)addr;
	(void)value;
}
