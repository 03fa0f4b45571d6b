/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim for <linux/errno.h>: the system's uapi values, which are the
 * kernel's, plus the kernel-internal codes user space does not see.
 */
#ifndef VCPU_SHIM_LINUX_ERRNO_H
#define VCPU_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#ifndef ERESTARTSYS
#define ERESTARTSYS	512
#endif
#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

#endif
