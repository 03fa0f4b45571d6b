/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 machine libvmm builds for an unmodified Linux, laid out as
 * QEMU's virt machine: a GICv3 distributor and redistributors (the
 * module drives the CPU interface: VCPU_INJECT_IRQ puts an INTID in the
 * vCPU's list registers, the guest acknowledges and ends it itself), a
 * PL011 UART, RAM from 1 GiB, the architected timer (the module's), PSCI
 * (the module's, CPU_ON as CPU_UP exits), and a device tree written at run
 * time with libfdt.
 */
#ifndef VMM_ARM64_H
#define VMM_ARM64_H

#include <stdint.h>

#include "../vmm.h"

#define A64_GICD_BASE		0x08000000ULL
#define A64_GICD_SIZE		0x10000ULL
#define A64_GICR_BASE		0x080a0000ULL
#define A64_GICR_STRIDE		0x20000ULL	/* RD_base + SGI_base frames */
#define A64_PL011_BASE		0x09000000ULL
#define A64_PL011_SIZE		0x1000ULL
#define A64_PL011_SPI		1		/* INTID 33 */
#define A64_RAM_BASE		0x40000000ULL
#define A64_NR_SPIS		64		/* INTIDs 32..95 */
#define A64_NR_IRQS		(32 + A64_NR_SPIS)

/* gicv3.c */
int a64_gic_create(struct vmm_vm *vm, unsigned int nr_cpus);
void a64_gic_set_spi(struct vmm_vm *vm, unsigned int intid, int level);
void a64_gic_send_sgi(struct vmm_vcpu *src, const struct vcpu_exit_send_ipi *ipi);

/* pl011.c */
int a64_pl011_create(struct vmm_vm *vm);

/* fdt.c: the device tree at @gpa (at most @max bytes); its size, 0 on failure. */
struct a64_fdt_info {
	uint64_t mem_size;
	unsigned int nr_cpus;
	const char *bootargs;
	uint64_t initrd_start, initrd_end;	/* 0, 0: none */
};
size_t a64_fdt_build(void *buf, size_t max, const struct a64_fdt_info *info);

struct a64_vm {
	struct a64_gic *gic;
};

static inline struct a64_vm *a64_vm(struct vmm_vm *vm)
{
	return vm->arch;
}

#endif /* VMM_ARM64_H */
