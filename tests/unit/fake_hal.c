// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_hal.h"

#define VCPU_FAKE_MAX_PAGES	65536

static void *vcpu_fake_pages[VCPU_FAKE_MAX_PAGES];
static long vcpu_fake_live, vcpu_fake_total, vcpu_fake_budget = -1;
static long vcpu_fake_errs, vcpu_fake_used;	/* slots ever used */
static long vcpu_fake_small_live;

static long vcpu_fake_find(const void *va)
{
	long i;

	for (i = 0; i < vcpu_fake_used; i++)
		if (vcpu_fake_pages[i] == va)
			return i;
	if (!va && vcpu_fake_used < VCPU_FAKE_MAX_PAGES)
		return vcpu_fake_used++;
	return -1;
}

static void *vcpu_fake_alloc_page(void)
{
	long slot;
	void *p;

	if (vcpu_fake_budget == 0)
		return NULL;
	slot = vcpu_fake_find(NULL);
	if (slot < 0)
		return NULL;
	p = aligned_alloc(VCPU_FAKE_PAGE_SIZE, VCPU_FAKE_PAGE_SIZE);
	if (!p)
		return NULL;
	memset(p, 0, VCPU_FAKE_PAGE_SIZE);
	if (vcpu_fake_budget > 0)
		vcpu_fake_budget--;
	vcpu_fake_pages[slot] = p;
	vcpu_fake_live++;
	vcpu_fake_total++;
	return p;
}

static void vcpu_fake_free_page(void *va)
{
	long slot = va ? vcpu_fake_find(va) : -1;

	if (slot < 0) {
		fprintf(stderr, "fake_hal: free of unknown page %p\n", va);
		vcpu_fake_errs++;
		return;
	}
	vcpu_fake_pages[slot] = NULL;
	vcpu_fake_live--;
	free(va);
}

/* Small allocations share the pages' failure budget. */
static void *vcpu_fake_zalloc(size_t size)
{
	void *p;

	if (vcpu_fake_budget == 0 || size >= VCPU_FAKE_PAGE_SIZE)
		return NULL;
	p = calloc(1, size);
	if (!p)
		return NULL;
	if (vcpu_fake_budget > 0)
		vcpu_fake_budget--;
	vcpu_fake_small_live++;
	return p;
}

static void vcpu_fake_free(void *p)
{
	if (p)
		vcpu_fake_small_live--;
	free(p);
}

static u64 vcpu_fake_virt_to_phys(const void *va)
{
	return (u64)(uintptr_t)va;
}

static void *vcpu_fake_phys_to_virt(u64 pa)
{
	void *va = (void *)(uintptr_t)pa;
	void *page = (void *)(uintptr_t)(pa & ~(u64)(VCPU_FAKE_PAGE_SIZE - 1));

	if (!page || vcpu_fake_find(page) < 0) {
		fprintf(stderr, "fake_hal: phys_to_virt(%#llx): not a page\n",
			(unsigned long long)pa);
		vcpu_fake_errs++;
	}
	return va;
}

static const struct vcpu_hal vcpu_fake_hal = {
	.alloc_page	= vcpu_fake_alloc_page,
	.free_page	= vcpu_fake_free_page,
	.zalloc		= vcpu_fake_zalloc,
	.free		= vcpu_fake_free,
	.virt_to_phys	= vcpu_fake_virt_to_phys,
	.phys_to_virt	= vcpu_fake_phys_to_virt,
};

const struct vcpu_hal *vcpu_hal = &vcpu_fake_hal;

long vcpu_fake_hal_live_pages(void)
{
	return vcpu_fake_live;
}

long vcpu_fake_hal_live_small(void)
{
	return vcpu_fake_small_live;
}

long vcpu_fake_hal_total_allocs(void)
{
	return vcpu_fake_total;
}

void vcpu_fake_hal_fail_after(long n)
{
	vcpu_fake_budget = n;
}

long vcpu_fake_hal_errors(void)
{
	return vcpu_fake_errs;
}

void vcpu_fake_hal_reset(void)
{
	vcpu_fake_budget = -1;
	vcpu_fake_total = 0;
	vcpu_fake_errs = 0;
}
