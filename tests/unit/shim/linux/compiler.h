/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <linux/compiler.h>: single-access loads and stores. */
#ifndef VCPU_SHIM_LINUX_COMPILER_H
#define VCPU_SHIM_LINUX_COMPILER_H

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	\
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" : : : "memory")

#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif
#define __always_unused		__attribute__((__unused__))
#define __maybe_unused		__attribute__((__unused__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))

#endif
