/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim for <linux/types.h>: the kernel's fixed-width types, with the
 * kernel's definitions (u64 is unsigned long long, as in the kernel, so
 * printf formats match printk's).  The __u* types come from the system's
 * uapi header.
 */
#ifndef VCPU_SHIM_LINUX_TYPES_H
#define VCPU_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

typedef u64 phys_addr_t;
typedef u64 dma_addr_t;

#endif
