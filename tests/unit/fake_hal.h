/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake struct vcpu_hal of the host unit tests: pages from
 * aligned_alloc(), physical address == virtual address, every live page
 * tracked so that tests can prove everything was freed.
 */
#ifndef VCPU_FAKE_HAL_H
#define VCPU_FAKE_HAL_H

#include <linux/types.h>
#include "module/hal.h"

#define VCPU_FAKE_PAGE_SIZE	4096

/* Pages currently allocated through the fake HAL. */
long vcpu_fake_hal_live_pages(void);
/* Small allocations (zalloc) currently live. */
long vcpu_fake_hal_live_small(void);
/* Total successful page allocations since the last reset. */
long vcpu_fake_hal_total_allocs(void);
/*
 * Let the next @n allocations (pages and small ones) succeed and fail
 * every later one (n < 0: never fail, the default).
 */
void vcpu_fake_hal_fail_after(long n);
/* Bad calls seen (free or phys_to_virt of an address not allocated here). */
long vcpu_fake_hal_errors(void);
/* Forget failures/counters (live pages are kept). */
void vcpu_fake_hal_reset(void);

#endif /* VCPU_FAKE_HAL_H */
