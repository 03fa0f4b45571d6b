/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <linux/ioctl.h>: the system's uapi definitions. */
#ifndef VCPU_SHIM_LINUX_IOCTL_H
#define VCPU_SHIM_LINUX_IOCTL_H

#include_next <linux/ioctl.h>

#endif
