/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory services of the pure logic that also runs in the host unit
 * tests (page tables: pgtable.c; histograms: stats.c), after the design's
 * MmHal.  The module implements them on Linux (hal_linux.c), the unit tests
 * with a fake that checks every allocation is freed (tests/unit/fake_hal.c).
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
};

extern const struct vcpu_hal *vcpu_hal;

#endif /* VCPU_HAL_H */
