// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPIC (82093AA register model, version 0x11, 24 pins) at
 * 0xfec00000: IOREGSEL at 0x00, IOWIN at 0x10, and the EOI register at
 * 0x40 of later versions.  Device lines (GSIs) come in through the
 * platform's irq_line hook.  An edge pin delivers on a rising level; a
 * level pin delivers while asserted and not waiting for its EOI (remote
 * IRR), which the local APIC reports when the guest ends that vector.  A
 * masked pin keeps its level and delivers when unmasked.
 */
#include <stdlib.h>
#include <string.h>

#include "x86.h"

#define REDIR_MASKED		(1ULL << 16)
#define REDIR_LEVEL		(1ULL << 15)
#define REDIR_REMOTE_IRR	(1ULL << 14)
#define REDIR_LOGICAL		(1ULL << 11)
#define REDIR_MODE(r)		(((r) >> 8) & 7)
#define REDIR_RO_BITS		(REDIR_REMOTE_IRR | (1ULL << 12))	/* + delivery status */

struct x86_ioapic {
	struct vmm_device dev;
	pthread_mutex_t lock;		/* pins: taken by lines and EOIs too */
	struct vmm_vm *vm;
	uint32_t regsel, id;
	uint64_t redir[X86_IOAPIC_PINS];
	uint32_t level;			/* line levels, one bit per pin */
};

/* Deliver pin @pin's vector, lock held; the APIC calls need no lock of ours. */
static void ioapic_deliver(struct x86_ioapic *io, unsigned int pin)
{
	uint64_t r = io->redir[pin];
	uint32_t dest = r >> 56;
	bool logical = r & REDIR_LOGICAL;
	unsigned int i;

	if (r & REDIR_MASKED)
		return;
	if (r & REDIR_LEVEL) {
		if (r & REDIR_REMOTE_IRR)
			return;
		io->redir[pin] |= REDIR_REMOTE_IRR;
	}
	/*
	 * xAPIC format destinations (8 bits) without interrupt remapping:
	 * 0xff broadcasts.  Lowest priority goes to the first match.
	 */
	for (i = 0; i < io->vm->nr_vcpus; i++) {
		struct vmm_vcpu *v = io->vm->vcpus[i];
		bool match;

		if (!v)
			continue;
		match = logical ? (dest & (1U << (v->id & 7))) && v->id < 8 :
				  dest == 0xff || dest == v->id;
		if (!match)
			continue;
		if (REDIR_MODE(r) == 0 || REDIR_MODE(r) == 1)
			x86_lapic_deliver(v, r & 0xff, r & REDIR_LEVEL);
		if (REDIR_MODE(r) == 1)
			break;
	}
}

void x86_ioapic_set_line(struct vmm_vm *vm, unsigned int gsi, int level)
{
	struct x86_ioapic *io = x86_vm(vm)->ioapic;
	uint32_t bit = 1U << gsi, old;

	if (!io || gsi >= X86_IOAPIC_PINS)
		return;
	pthread_mutex_lock(&io->lock);
	old = io->level;
	io->level = level ? old | bit : old & ~bit;
	if (level && (!(old & bit) || (io->redir[gsi] & REDIR_LEVEL)))
		ioapic_deliver(io, gsi);
	pthread_mutex_unlock(&io->lock);
}

void x86_ioapic_eoi(struct vmm_vm *vm, uint8_t vector)
{
	struct x86_ioapic *io = x86_vm(vm)->ioapic;
	unsigned int pin;

	if (!io)
		return;
	pthread_mutex_lock(&io->lock);
	for (pin = 0; pin < X86_IOAPIC_PINS; pin++) {
		uint64_t *r = &io->redir[pin];

		if ((*r & 0xff) != vector || !(*r & REDIR_REMOTE_IRR))
			continue;
		*r &= ~REDIR_REMOTE_IRR;
		if (io->level & (1U << pin))
			ioapic_deliver(io, pin);
	}
	pthread_mutex_unlock(&io->lock);
}

static uint64_t ioapic_read(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			    uint64_t off, unsigned int width)
{
	struct x86_ioapic *io = dev->priv;
	uint32_t sel, val = 0;
	unsigned int pin;

	(void)vcpu;
	if (off == 0x00)
		return io->regsel;
	if (off != 0x10 || width != 4)
		return 0;
	pthread_mutex_lock(&io->lock);
	sel = io->regsel;
	switch (sel) {
	case 0x00:
		val = io->id << 24;
		break;
	case 0x01:
		val = ((X86_IOAPIC_PINS - 1) << 16) | 0x11;
		break;
	case 0x02:
		val = io->id << 24;
		break;
	default:
		pin = (sel - 0x10) / 2;
		if (sel >= 0x10 && pin < X86_IOAPIC_PINS)
			val = io->redir[pin] >> (sel & 1 ? 32 : 0);
		break;
	}
	pthread_mutex_unlock(&io->lock);
	return val;
}

static void ioapic_write(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			 uint64_t off, unsigned int width, uint64_t val)
{
	struct x86_ioapic *io = dev->priv;
	unsigned int pin;
	uint64_t r;
	uint32_t sel;

	(void)vcpu;
	if (off == 0x00) {
		io->regsel = val & 0xff;
		return;
	}
	if (off == 0x40) {
		x86_ioapic_eoi(io->vm, val & 0xff);
		return;
	}
	if (off != 0x10 || width != 4)
		return;
	pthread_mutex_lock(&io->lock);
	sel = io->regsel;
	if (sel == 0x00) {
		io->id = (val >> 24) & 0xf;
	} else if (sel >= 0x10 && (sel - 0x10) / 2 < X86_IOAPIC_PINS) {
		pin = (sel - 0x10) / 2;
		r = io->redir[pin];
		if (sel & 1)
			r = (r & 0xffffffffULL) | (val << 32);
		else
			r = (r & (0xffffffff00000000ULL | REDIR_RO_BITS)) |
			    (val & 0xffffffffULL & ~REDIR_RO_BITS);
		io->redir[pin] = r;
		/* Unmasked with its line up: an edge seen late, or a level. */
		if (!(r & REDIR_MASKED) && (io->level & (1U << pin)))
			ioapic_deliver(io, pin);
	}
	pthread_mutex_unlock(&io->lock);
}

static const struct vmm_device_ops ioapic_ops = {
	.read = ioapic_read,
	.write = ioapic_write,
};

int x86_ioapic_create(struct vmm_vm *vm)
{
	struct x86_ioapic *io = calloc(1, sizeof(*io));
	unsigned int pin;

	if (!io)
		return -1;
	io->vm = vm;
	pthread_mutex_init(&io->lock, NULL);
	for (pin = 0; pin < X86_IOAPIC_PINS; pin++)
		io->redir[pin] = REDIR_MASKED;
	vmm_device_init(&io->dev, "ioapic", &ioapic_ops, io);
	if (vmm_bus_add(vm, VMM_SPACE_MMIO, X86_IOAPIC_BASE, 0x1000, &io->dev)) {
		free(io);
		return -1;
	}
	x86_vm(vm)->ioapic = io;
	return 0;
}
