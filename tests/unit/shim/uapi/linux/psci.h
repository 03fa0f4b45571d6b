/* SPDX-License-Identifier: GPL-2.0 */
/* Unit-test shim: the kernel's uapi PSCI header, as installed on the host. */
#include <linux/psci.h>
