/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for a few <linux/kernel.h> helpers. */
#ifndef VCPU_SHIM_LINUX_KERNEL_H
#define VCPU_SHIM_LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/compiler.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))

#endif
