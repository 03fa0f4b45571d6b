// SPDX-License-Identifier: GPL-2.0
/*
 * An architecture without a Linux platform in libvmm yet: the strong
 * vmm_linux_boot() of tools/vmm/<arch>/linux.c replaces this one.
 */
#include <stdio.h>

#include "../vmm.h"

__attribute__((weak)) int vmm_linux_boot(struct vmm_vm *vm, const struct vmm_boot *boot)
{
	(void)vm;
	(void)boot;
	fprintf(stderr, "vmm: no Linux platform for this architecture\n");
	return -1;
}
