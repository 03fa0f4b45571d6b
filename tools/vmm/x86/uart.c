// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550A UART: what Linux's 8250 driver probes and uses.  Transmit is
 * instant (each THR write goes to the console), so the transmitter is
 * always empty; receive comes from the console into a 16-byte FIFO fed
 * from a larger buffer, so no input is lost while the guest is slow.
 *
 * Interrupts (IIR priority order): receiver data when the FIFO holds
 * bytes and IER.ERBFI is set; THR empty when IER.ETBEI is set, raised
 * when THR empties (after every THR write, and when ETBEI goes from 0 to
 * 1) and cleared by an IIR read that reports it or by a THR write.  The
 * line to the interrupt controller is that condition gated by MCR.OUT2,
 * as on a PC.  Loopback (MCR.LOOP) echoes THR into the receiver and the
 * modem control outputs into MSR: the driver's probe checks it.
 */
#include <stdlib.h>
#include <string.h>

#include "x86.h"

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };

#define IER_ERBFI	0x01
#define IER_ETBEI	0x02
#define IIR_NONE	0x01
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_FIFO	0xc0
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

#define RX_BUF		4096

struct x86_uart {
	struct vmm_device dev;
	struct vmm_vm *vm;
	unsigned int gsi;
	uint8_t ier, fcr, lcr, mcr, scr, dll, dlm;
	bool thre_pending;
	int line;
	uint8_t rx[RX_BUF];
	unsigned int rx_head, rx_len;
};

static bool rx_ready(const struct x86_uart *u)
{
	return u->rx_len != 0;
}

static uint8_t uart_iir(const struct x86_uart *u)
{
	uint8_t fifo = (u->fcr & FCR_ENABLE) ? IIR_FIFO : 0;

	if ((u->ier & IER_ERBFI) && rx_ready(u))
		return IIR_RDA | fifo;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return IIR_THRE | fifo;
	return IIR_NONE | fifo;
}

/* Called with the device lock held: the line goes to the IOAPIC. */
static void uart_update(struct x86_uart *u)
{
	int line = !(uart_iir(u) & IIR_NONE) && (u->mcr & MCR_OUT2);

	if (line == u->line)
		return;
	u->line = line;
	x86_ioapic_set_line(u->vm, u->gsi, line);
}

static void rx_push(struct x86_uart *u, uint8_t c)
{
	if (u->rx_len == RX_BUF)
		return;		/* overrun: the byte is lost */
	u->rx[(u->rx_head + u->rx_len++) % RX_BUF] = c;
}

static uint8_t rx_pop(struct x86_uart *u)
{
	uint8_t c;

	if (!u->rx_len)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % RX_BUF;
	u->rx_len--;
	return c;
}

static uint64_t uart_read(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			  uint64_t off, unsigned int width)
{
	struct x86_uart *u = dev->priv;
	uint8_t val = 0, iir;

	(void)vcpu;
	(void)width;
	switch (off) {
	case RBR_THR:
		val = (u->lcr & LCR_DLAB) ? u->dll : rx_pop(u);
		break;
	case IER:
		val = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case IIR_FCR:
		iir = uart_iir(u);
		if ((iir & 0x0f) == IIR_THRE)
			u->thre_pending = false;
		val = iir;
		break;
	case LCR:
		val = u->lcr;
		break;
	case MCR:
		val = u->mcr;
		break;
	case LSR:
		val = LSR_THRE | LSR_TEMT | (rx_ready(u) ? LSR_DR : 0);
		break;
	case MSR:
		if (u->mcr & MCR_LOOP)
			val = ((u->mcr & 0x02) ? MSR_CTS : 0) | ((u->mcr & 0x01) ? MSR_DSR : 0) |
			      ((u->mcr & 0x04) ? MSR_RI : 0) | ((u->mcr & 0x08) ? MSR_DCD : 0);
		else
			val = MSR_DCD | MSR_DSR | MSR_CTS;
		break;
	case SCR:
		val = u->scr;
		break;
	}
	uart_update(u);
	return val;
}

static void uart_write(struct vmm_device *dev, struct vmm_vcpu *vcpu,
		       uint64_t off, unsigned int width, uint64_t val64)
{
	struct x86_uart *u = dev->priv;
	uint8_t val = val64, c;

	(void)vcpu;
	(void)width;
	switch (off) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = val;
			break;
		}
		c = val;
		if (u->mcr & MCR_LOOP)
			rx_push(u, c);
		else
			vmm_console_write(u->vm, &c, 1);
		/*
		 * The write clears the THR-empty interrupt and the byte is
		 * sent at once, which sets it again: the line drops and
		 * rises, a new edge for the IOAPIC.
		 */
		u->thre_pending = false;
		uart_update(u);
		u->thre_pending = true;
		break;
	case IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = val;
			break;
		}
		if (!(u->ier & IER_ETBEI) && (val & IER_ETBEI))
			u->thre_pending = true;
		u->ier = val & 0x0f;
		break;
	case IIR_FCR:
		u->fcr = val & (FCR_ENABLE | 0xc0 | 0x08);
		if (val & FCR_CLEAR_RX)
			u->rx_len = 0;
		break;
	case LCR:
		u->lcr = val;
		break;
	case MCR:
		u->mcr = val & 0x1f;
		break;
	case SCR:
		u->scr = val;
		break;
	}
	uart_update(u);
}

static const struct vmm_device_ops uart_ops = {
	.read = uart_read,
	.write = uart_write,
};

static void uart_input(void *arg, const uint8_t *buf, size_t n)
{
	struct x86_uart *u = arg;

	pthread_mutex_lock(&u->dev.lock);
	while (n--) {
		uint8_t c = *buf++;

		/* A terminal's Enter is CR; the guest's tty maps it (ICRNL). */
		rx_push(u, c);
	}
	uart_update(u);
	pthread_mutex_unlock(&u->dev.lock);
}

int x86_uart_create(struct vmm_vm *vm, uint16_t port, unsigned int gsi)
{
	struct x86_uart *u = calloc(1, sizeof(*u));

	if (!u)
		return -1;
	u->vm = vm;
	u->gsi = gsi;
	vmm_device_init(&u->dev, "uart", &uart_ops, u);
	if (vmm_bus_add(vm, VMM_SPACE_PIO, port, 8, &u->dev) ||
	    vmm_console_open(vm, uart_input, u)) {
		free(u);
		return -1;
	}
	return 0;
}
