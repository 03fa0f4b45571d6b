/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <asm/barrier.h>: release stores and acquire loads. */
#ifndef VCPU_SHIM_ASM_BARRIER_H
#define VCPU_SHIM_ASM_BARRIER_H

#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)

#endif
