/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <linux/string.h> */
#ifndef VCPU_SHIM_LINUX_STRING_H
#define VCPU_SHIM_LINUX_STRING_H

#include <string.h>

#endif
