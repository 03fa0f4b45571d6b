// SPDX-License-Identifier: GPL-2.0
/*
 * The device bus: port I/O and MMIO ranges, each claimed by one device.
 * Ranges are added before the first vCPU starts and never change after,
 * so a lookup takes no lock; the device's own mutex serialises its
 * accessors (no VM-wide lock on the exit path).  A handful of ranges per
 * space: a linear scan is cheaper than anything cleverer.
 */
#include <errno.h>
#include <stdio.h>

#include "../vmm.h"

void vmm_device_init(struct vmm_device *dev, const char *name,
		     const struct vmm_device_ops *ops, void *priv)
{
	dev->name = name;
	dev->ops = ops;
	dev->priv = priv;
	dev->accesses = 0;
	pthread_mutex_init(&dev->lock, NULL);
}

int vmm_bus_add(struct vmm_vm *vm, enum vmm_space space, uint64_t base,
		uint64_t len, struct vmm_device *dev)
{
	struct vmm_bus *bus = &vm->bus[space];
	unsigned int i;

	if (vm->bus_frozen || !len || base + len < base) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < bus->n; i++) {
		const struct vmm_range *r = &bus->r[i];

		if (base < r->base + r->len && r->base < base + len) {
			fprintf(stderr, "vmm: %s [%#llx, +%#llx) overlaps %s\n",
				dev->name, (unsigned long long)base,
				(unsigned long long)len, r->dev->name);
			errno = EEXIST;
			return -1;
		}
	}
	if (bus->n == VMM_MAX_DEVS) {
		errno = ENOSPC;
		return -1;
	}
	bus->r[bus->n++] = (struct vmm_range){ base, len, dev };
	return 0;
}

static const struct vmm_range *bus_find(const struct vmm_bus *bus,
					 uint64_t addr, unsigned int width)
{
	unsigned int i;

	for (i = 0; i < bus->n; i++) {
		const struct vmm_range *r = &bus->r[i];

		if (addr >= r->base && addr - r->base < r->len &&
		    width <= r->len - (addr - r->base))
			return r;
	}
	return NULL;
}

int vmm_bus_read(struct vmm_vm *vm, struct vmm_vcpu *vcpu, enum vmm_space space,
		 uint64_t addr, unsigned int width, uint64_t *val)
{
	const struct vmm_range *r = bus_find(&vm->bus[space], addr, width);
	struct vmm_device *dev;

	if (!r)
		return -1;
	dev = r->dev;
	pthread_mutex_lock(&dev->lock);
	dev->accesses++;
	*val = dev->ops->read ? dev->ops->read(dev, vcpu, addr - r->base, width) : 0;
	pthread_mutex_unlock(&dev->lock);
	if (width < 8)
		*val &= (1ULL << (width * 8)) - 1;
	return 0;
}

int vmm_bus_write(struct vmm_vm *vm, struct vmm_vcpu *vcpu, enum vmm_space space,
		  uint64_t addr, unsigned int width, uint64_t val)
{
	const struct vmm_range *r = bus_find(&vm->bus[space], addr, width);
	struct vmm_device *dev;

	if (!r)
		return -1;
	dev = r->dev;
	if (width < 8)
		val &= (1ULL << (width * 8)) - 1;
	pthread_mutex_lock(&dev->lock);
	dev->accesses++;
	if (dev->ops->write)
		dev->ops->write(dev, vcpu, addr - r->base, width, val);
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

void vmm_irq_line(struct vmm_vm *vm, unsigned int line, int level)
{
	if (vm->plat && vm->plat->irq_line)
		vm->plat->irq_line(vm, line, level);
}
