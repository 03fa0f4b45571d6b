// SPDX-License-Identifier: GPL-2.0
/*
 * A PL011 UART (ARM DDI 0183), what Linux's amba-pl011 driver probes and
 * uses, as a level-sensitive SPI.  Transmit is instant: the transmit FIFO
 * is always empty (FR.TXFE), and the transmit interrupt (TXRIS: FIFO at
 * or below its trigger level) is true except for the moment of a write
 * to DR, which clears it as a real FIFO filling past the level would:
 * the line drops and rises, so the guest gets one transmit interrupt per
 * burst it writes.  Receive comes from the console through a larger
 * buffer; RXRIS and RTRIS (the receive timeout) are set while it holds
 * data.  The PrimeCell identification registers let the AMBA bus find it.
 */
#include <stdlib.h>
#include <string.h>

#include "arm64.h"

#define DR		0x000
#define RSR		0x004
#define FR		0x018
#define ILPR		0x020
#define IBRD		0x024
#define FBRD		0x028
#define LCR_H		0x02c
#define CR		0x030
#define IFLS		0x034
#define IMSC		0x038
#define RIS		0x03c
#define MIS		0x040
#define ICR		0x044
#define DMACR		0x048
#define PERIPH_ID	0xfe0

#define FR_RXFE		(1U << 4)
#define FR_TXFE		(1U << 7)
#define INT_RX		(1U << 4)
#define INT_TX		(1U << 5)
#define INT_RT		(1U << 6)
#define CR_LBE		(1U << 7)

#define RX_BUF		4096

/* PeriphID0-3 (PL011 r1p5, as QEMU's) then PrimeCell ID0-3. */
static const uint8_t pl011_ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct a64_pl011 {
	struct vmm_device dev;
	struct vmm_vm *vm;
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr, ilpr;
	bool tx_busy;		/* the instant of a DR write */
	int line;
	uint8_t rx[RX_BUF];
	unsigned int rx_head, rx_len;
};

static uint32_t pl011_ris(const struct a64_pl011 *u)
{
	return (u->rx_len ? INT_RX | INT_RT : 0) | (u->tx_busy ? 0 : INT_TX);
}

/* Device lock held: the line goes to the GIC. */
static void pl011_update(struct a64_pl011 *u)
{
	int line = !!(pl011_ris(u) & u->imsc);

	if (line == u->line)
		return;
	u->line = line;
	a64_gic_set_spi(u->vm, 32 + A64_PL011_SPI, line);
}

static void rx_push(struct a64_pl011 *u, uint8_t c)
{
	if (u->rx_len < RX_BUF)
		u->rx[(u->rx_head + u->rx_len++) % RX_BUF] = c;
}

static uint64_t pl011_read(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			   uint64_t off, unsigned int width)
{
	struct a64_pl011 *u = dev->priv;
	uint32_t val = 0;

	(void)vcpu;
	(void)width;
	if (off >= PERIPH_ID && off < PERIPH_ID + 0x20)
		return (off & 3) ? 0 : pl011_ids[(off - PERIPH_ID) / 4];
	switch (off) {
	case DR:
		if (u->rx_len) {
			val = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % RX_BUF;
			u->rx_len--;
		}
		break;
	case FR:
		val = FR_TXFE | (u->rx_len ? 0 : FR_RXFE);
		break;
	case ILPR:
		val = u->ilpr;
		break;
	case IBRD:
		val = u->ibrd;
		break;
	case FBRD:
		val = u->fbrd;
		break;
	case LCR_H:
		val = u->lcr_h;
		break;
	case CR:
		val = u->cr;
		break;
	case IFLS:
		val = u->ifls;
		break;
	case IMSC:
		val = u->imsc;
		break;
	case RIS:
		val = pl011_ris(u);
		break;
	case MIS:
		val = pl011_ris(u) & u->imsc;
		break;
	case DMACR:
		val = u->dmacr;
		break;
	}
	pl011_update(u);
	return val;
}

static void pl011_write(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			uint64_t off, unsigned int width, uint64_t val64)
{
	struct a64_pl011 *u = dev->priv;
	uint32_t val = val64;
	uint8_t c;

	(void)vcpu;
	(void)width;
	switch (off) {
	case DR:
		c = val;
		if (u->cr & CR_LBE)
			rx_push(u, c);
		else
			vmm_console_write(u->vm, &c, 1);
		/* The write fills the FIFO for an instant: TX drops, then rises. */
		u->tx_busy = true;
		pl011_update(u);
		u->tx_busy = false;
		break;
	case RSR:
		break; /* clears errors: there are none */
	case ILPR:
		u->ilpr = val & 0xff;
		break;
	case IBRD:
		u->ibrd = val & 0xffff;
		break;
	case FBRD:
		u->fbrd = val & 0x3f;
		break;
	case LCR_H:
		u->lcr_h = val & 0xff;
		break;
	case CR:
		u->cr = val & 0xff87;
		break;
	case IFLS:
		u->ifls = val & 0x3f;
		break;
	case IMSC:
		u->imsc = val & 0x7ff;
		break;
	case ICR:
		break; /* the conditions are the FIFOs' state */
	case DMACR:
		u->dmacr = val & 7;
		break;
	}
	pl011_update(u);
}

static const struct vmm_device_ops pl011_ops = { .read = pl011_read, .write = pl011_write };

static void pl011_input(void *arg, const uint8_t *buf, size_t n)
{
	struct a64_pl011 *u = arg;

	pthread_mutex_lock(&u->dev.lock);
	while (n--)
		rx_push(u, *buf++);
	pl011_update(u);
	pthread_mutex_unlock(&u->dev.lock);
}

int a64_pl011_create(struct vmm_vm *vm)
{
	struct a64_pl011 *u = calloc(1, sizeof(*u));

	if (!u)
		return -1;
	u->vm = vm;
	u->cr = 0x300;			/* TXE, RXE (reset value) */
	u->ifls = 0x12;
	vmm_device_init(&u->dev, "pl011", &pl011_ops, u);
	if (vmm_bus_add(vm, VMM_SPACE_MMIO, A64_PL011_BASE, A64_PL011_SIZE, &u->dev) ||
	    vmm_console_open(vm, pl011_input, u)) {
		free(u);
		return -1;
	}
	return 0;
}
