/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: build_bug.h (ARRAY_SIZE in array_size.h needs nothing). */
#ifndef VCPU_SHIM_BUILD_BUG_H
#define VCPU_SHIM_BUILD_BUG_H
#endif
