// SPDX-License-Identifier: GPL-2.0
/*
 * The device tree Linux boots with, written at run time with libfdt's
 * sequential-write API: the machine of arm64.h and what the guest needs
 * to know about the vCPUs (their MPIDR Aff0 is the vCPU id).
 */
#include <libfdt.h>
#include <stdio.h>

#include "arm64.h"

#define PHANDLE_GIC	1
#define PHANDLE_CLK	2

#define GIC_SPI		0
#define GIC_PPI		1
#define IRQ_LEVEL_HIGH	4
#define IRQ_LEVEL_LOW	8
#define PPI_ALL_CPUS(n)	(((1U << (n)) - 1) << 8)

/* Append a big-endian cell. */
static uint32_t *cell(uint32_t *p, uint32_t v)
{
	*p = cpu_to_fdt32(v);
	return p + 1;
}

static uint32_t *reg64(uint32_t *p, uint64_t addr, uint64_t size)
{
	p = cell(p, addr >> 32);
	p = cell(p, (uint32_t)addr);
	p = cell(p, size >> 32);
	return cell(p, (uint32_t)size);
}

size_t a64_fdt_build(void *buf, size_t max, const struct a64_fdt_info *in)
{
	uint32_t cells[64], *p;
	unsigned int i, cpus = in->nr_cpus > 8 ? 8 : in->nr_cpus;
	char name[64];
	int e = 0;

#define F(x)	do { if (!e) e = (x); } while (0)
	F(fdt_create(buf, max));
	F(fdt_finish_reservemap(buf));
	F(fdt_begin_node(buf, ""));
	F(fdt_property_string(buf, "compatible", "linux,dummy-virt"));
	F(fdt_property_u32(buf, "#address-cells", 2));
	F(fdt_property_u32(buf, "#size-cells", 2));
	F(fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC));

	F(fdt_begin_node(buf, "chosen"));
	F(fdt_property_string(buf, "bootargs", in->bootargs));
	snprintf(name, sizeof(name), "/pl011@%llx", (unsigned long long)A64_PL011_BASE);
	F(fdt_property_string(buf, "stdout-path", name));
	if (in->initrd_end > in->initrd_start) {
		F(fdt_property_u64(buf, "linux,initrd-start", in->initrd_start));
		F(fdt_property_u64(buf, "linux,initrd-end", in->initrd_end));
	}
	F(fdt_end_node(buf));

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)A64_RAM_BASE);
	F(fdt_begin_node(buf, name));
	F(fdt_property_string(buf, "device_type", "memory"));
	p = reg64(cells, A64_RAM_BASE, in->mem_size);
	F(fdt_property(buf, "reg", cells, (p - cells) * 4));
	F(fdt_end_node(buf));

	F(fdt_begin_node(buf, "cpus"));
	F(fdt_property_u32(buf, "#address-cells", 1));
	F(fdt_property_u32(buf, "#size-cells", 0));
	for (i = 0; i < in->nr_cpus; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		F(fdt_begin_node(buf, name));
		F(fdt_property_string(buf, "device_type", "cpu"));
		F(fdt_property_string(buf, "compatible", "arm,arm-v8"));
		F(fdt_property_u32(buf, "reg", i));
		F(fdt_property_string(buf, "enable-method", "psci"));
		F(fdt_end_node(buf));
	}
	F(fdt_end_node(buf));

	F(fdt_begin_node(buf, "psci"));
	F(fdt_property(buf, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci",
		       sizeof("arm,psci-1.0\0arm,psci-0.2\0arm,psci")));
	F(fdt_property_string(buf, "method", "hvc"));
	F(fdt_end_node(buf));

	snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)A64_GICD_BASE);
	F(fdt_begin_node(buf, name));
	F(fdt_property_string(buf, "compatible", "arm,gic-v3"));
	F(fdt_property_u32(buf, "#interrupt-cells", 3));
	F(fdt_property(buf, "interrupt-controller", NULL, 0));
	F(fdt_property_u32(buf, "#redistributor-regions", 1));
	p = reg64(cells, A64_GICD_BASE, A64_GICD_SIZE);
	p = reg64(p, A64_GICR_BASE, A64_GICR_STRIDE * in->nr_cpus);
	F(fdt_property(buf, "reg", cells, (p - cells) * 4));
	F(fdt_property_u32(buf, "phandle", PHANDLE_GIC));
	F(fdt_end_node(buf));

	/* Secure and non-secure physical, virtual, hypervisor: PPIs 13, 14, 11, 10. */
	F(fdt_begin_node(buf, "timer"));
	F(fdt_property_string(buf, "compatible", "arm,armv8-timer"));
	p = cells;
	for (i = 0; i < 4; i++) {
		static const uint32_t ppi[4] = { 13, 14, 11, 10 };

		p = cell(p, GIC_PPI);
		p = cell(p, ppi[i]);
		p = cell(p, IRQ_LEVEL_LOW | PPI_ALL_CPUS(cpus));
	}
	F(fdt_property(buf, "interrupts", cells, (p - cells) * 4));
	F(fdt_property(buf, "always-on", NULL, 0));
	F(fdt_end_node(buf));

	F(fdt_begin_node(buf, "apb-pclk"));
	F(fdt_property_string(buf, "compatible", "fixed-clock"));
	F(fdt_property_u32(buf, "#clock-cells", 0));
	F(fdt_property_u32(buf, "clock-frequency", 24000000));
	F(fdt_property_string(buf, "clock-output-names", "clk24mhz"));
	F(fdt_property_u32(buf, "phandle", PHANDLE_CLK));
	F(fdt_end_node(buf));

	snprintf(name, sizeof(name), "pl011@%llx", (unsigned long long)A64_PL011_BASE);
	F(fdt_begin_node(buf, name));
	F(fdt_property(buf, "compatible", "arm,pl011\0arm,primecell",
		       sizeof("arm,pl011\0arm,primecell")));
	p = reg64(cells, A64_PL011_BASE, A64_PL011_SIZE);
	F(fdt_property(buf, "reg", cells, (p - cells) * 4));
	p = cell(cells, GIC_SPI);
	p = cell(p, A64_PL011_SPI);
	p = cell(p, IRQ_LEVEL_HIGH);
	F(fdt_property(buf, "interrupts", cells, (p - cells) * 4));
	p = cell(cells, PHANDLE_CLK);
	p = cell(p, PHANDLE_CLK);
	F(fdt_property(buf, "clocks", cells, (p - cells) * 4));
	F(fdt_property(buf, "clock-names", "uartclk\0apb_pclk", sizeof("uartclk\0apb_pclk")));
	F(fdt_end_node(buf));

	F(fdt_end_node(buf));
	F(fdt_finish(buf));
#undef F
	if (e) {
		fprintf(stderr, "vmm: device tree: %s\n", fdt_strerror(e));
		return 0;
	}
	return fdt_totalsize(buf);
}
