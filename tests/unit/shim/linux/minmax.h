/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim for <linux/minmax.h>. */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#include <linux/kernel.h>

#endif
