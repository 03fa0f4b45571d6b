// SPDX-License-Identifier: GPL-2.0
/* The Linux implementation of struct vcpu_hal. */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hal.h"

static void *vcpu_linux_alloc_page(void)
{
	return (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
}

static void vcpu_linux_free_page(void *va)
{
	free_page((unsigned long)va);
}

static void *vcpu_linux_zalloc(size_t size)
{
	return kzalloc(size, GFP_KERNEL_ACCOUNT);
}

static void vcpu_linux_free(void *p)
{
	kfree(p);
}

static u64 vcpu_linux_virt_to_phys(const void *va)
{
	return __pa(va);
}

static void *vcpu_linux_phys_to_virt(u64 pa)
{
	return __va(pa);
}

static const struct vcpu_hal vcpu_linux_hal = {
	.alloc_page	= vcpu_linux_alloc_page,
	.free_page	= vcpu_linux_free_page,
	.zalloc		= vcpu_linux_zalloc,
	.free		= vcpu_linux_free,
	.virt_to_phys	= vcpu_linux_virt_to_phys,
	.phys_to_virt	= vcpu_linux_phys_to_virt,
};

const struct vcpu_hal *vcpu_hal = &vcpu_linux_hal;
