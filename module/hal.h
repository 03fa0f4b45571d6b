/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host services the core and the backends use, after the design's
 * AxVCpuHal / MmHal.  The module implements them on Linux (hal_linux.c);
 * the host unit tests implement a fake one, so that the pure logic
 * (state rules, decoders, page-table building) runs in user space.
 */
#ifndef VCPU_HAL_H
#define VCPU_HAL_H

#include <linux/types.h>

struct vcpu_hal {
	/* A zeroed, page-aligned page of PAGE_SIZE bytes; NULL on failure. */
	void *(*alloc_page)(void);
	void (*free_page)(void *va);
	/*
	 * Zeroed memory of @size bytes (less than a page), charged to the
	 * caller as the pages are; NULL on failure.  May sleep.  free(NULL)
	 * does nothing.
	 */
	void *(*zalloc)(size_t size);
	void (*free)(void *p);
	u64 (*virt_to_phys)(const void *va);
	void *(*phys_to_virt)(u64 pa);
	unsigned int (*current_cpu)(void);
	/*
	 * irq_fetch: the host vector of the interrupt that caused the last
	 * exit, read before it is serviced (0 if none is known).
	 * irq_handler: let the host service it (called with interrupts
	 * disabled, returns with them disabled).
	 */
	u32 (*irq_fetch)(void);
	void (*irq_handler)(void);
};

extern const struct vcpu_hal *vcpu_hal;

#endif /* VCPU_HAL_H */
