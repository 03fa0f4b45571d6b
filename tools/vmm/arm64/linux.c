// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_linux_boot() for arm64: an unmodified Image (Documentation/arch/
 * arm64/booting.rst) at RAM base + text_offset, the device tree and the
 * initrd at the top of RAM, vCPU 0 at the image's first instruction with
 * x0 = the device tree, MMU off, at EL1h with every exception masked (the
 * module's VCPU_MODE_ARM64_EL1).  The other vCPUs wait for the guest's
 * PSCI CPU_ON (the module's CPU_UP exit) and start at its entry point
 * with x0 = its context id.  WFI blocks in the kernel
 * (VCPU_SETUP_F_HALT_IN_KERNEL): the virtual timer and injected
 * interrupts wake it, so an idle guest exits only for what it does
 * (SGIs, device registers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64.h"

#define IMAGE_MAGIC		0x644d5241	/* "ARM\x64" */
#define DTB_MAX			0x10000
#define DEFAULT_APPEND		"console=ttyAMA0"

struct image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

static bool a64_sysreg_read(struct vmm_vcpu *vcpu, uint64_t addr, uint64_t *val)
{
	/*
	 * What traps to the VMM and Linux may touch: the PMU (hidden by the
	 * ID registers, no DT node), the EL1 physical timer (the guest at
	 * EL1 uses the virtual one), ACTLR, implementation-defined and LOR
	 * registers: RAZ/WI, counted as unclaimed.
	 */
	(void)vcpu;
	(void)addr;
	*val = 0;
	return false;
}

static bool a64_sysreg_write(struct vmm_vcpu *vcpu, uint64_t addr, uint64_t val)
{
	(void)vcpu;
	(void)addr;
	(void)val;
	return false;
}

/* HVC/SMC outside PSCI (the module answers PSCI): SMCCC NOT_SUPPORTED. */
static uint64_t a64_hypercall(struct vmm_vcpu *vcpu, const struct vcpu_exit_hypercall *hc)
{
	(void)vcpu;
	(void)hc;
	return (uint64_t)-1;
}

static void a64_irq_line(struct vmm_vm *vm, unsigned int line, int level)
{
	a64_gic_set_spi(vm, line, level);
}

static void a64_cpu_up(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up)
{
	struct vmm_vm *vm = vcpu->vm;
	unsigned int i;

	/* MPIDR Aff0 is the vCPU id (the module's default, the DT's reg). */
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vmm_vcpu *t = vm->vcpus[i];

		if (t && t != vcpu && (up->target_cpu & 0xff00ffffffULL) == t->id) {
			vmm_vcpu_power_on(t, up);
			return;
		}
	}
	vcpu->unhandled++;
}

static int a64_vcpu_start(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up,
			  bool first)
{
	struct vcpu_regs regs;

	if (first) {
		if (vmm_vcpu_setup(vcpu, VCPU_MODE_ARM64_EL1, up->entry_point, 0, 0,
				   up->arg))
			return -1;
		return vmm_vcpu_bind(vcpu);
	}
	/*
	 * CPU_ON after the guest's CPU_OFF: the vCPU is Ready; its entry
	 * point, context id and EL1h with DAIF masked, MMU off as at boot.
	 */
	if (vmm_get_regs(vcpu, &regs))
		return -1;
	memset(regs.gpr, 0, sizeof(regs.gpr));
	regs.gpr[0] = up->arg;
	regs.pc = up->entry_point;
	regs.flags = 0x3c5;		/* EL1h, D, A, I, F */
	if (vmm_set_regs(vcpu, &regs) ||
	    vmm_set_one_reg(vcpu, VCPU_REG_ARM64_SYSREG(3, 0, 1, 0, 0), 0x30d00800))
		return -1;		/* SCTLR_EL1: MMU and caches off, RES1 bits */
	return 0;
}

static void a64_send_ipi(struct vmm_vcpu *vcpu, const struct vcpu_exit_send_ipi *ipi)
{
	a64_gic_send_sgi(vcpu, ipi);
}

static void a64_destroy(struct vmm_vm *vm)
{
	free(vm->arch);
	vm->arch = NULL;
}

static const struct vmm_platform a64_virt = {
	.name = "arm64-virt",
	.vcpu_start = a64_vcpu_start,
	.sysreg_read = a64_sysreg_read,
	.sysreg_write = a64_sysreg_write,
	.hypercall = a64_hypercall,
	.irq_line = a64_irq_line,
	.cpu_up = a64_cpu_up,
	.send_ipi = a64_send_ipi,
	.destroy = a64_destroy,
};

int vmm_linux_boot(struct vmm_vm *vm, const struct vmm_boot *boot)
{
	uint64_t mem = boot->mem_mib << 20, kernel_gpa, kernel_end, dtb_gpa, rd_gpa = 0;
	struct a64_fdt_info fi = { .mem_size = mem, .nr_cpus = boot->nr_cpus };
	int cpus[VMM_MAX_VCPUS], ncpus;
	struct image_header h;
	size_t len, rd_len = 0, dtb_len;
	uint8_t *img, *ram;
	void *rd = NULL;
	unsigned int i;
	int ret = -1;

	if (mem < (64ULL << 20) || mem > (3ULL << 30)) {
		fprintf(stderr, "vmm: guest RAM: 64 MiB to 3 GiB\n");
		return -1;
	}
	if (!boot->nr_cpus || boot->nr_cpus > VMM_MAX_VCPUS) {
		fprintf(stderr, "vmm: vCPUs: 1 to %d\n", VMM_MAX_VCPUS);
		return -1;
	}
	vm->arch = calloc(1, sizeof(struct a64_vm));
	if (!vm->arch)
		return -1;
	vm->plat = &a64_virt;
	vm->setup_flags = VCPU_SETUP_F_HALT_IN_KERNEL;
	ram = vmm_mem_add(vm, A64_RAM_BASE, mem, false);
	if (!ram)
		return -1;

	img = vmm_read_file(boot->kernel, &len);
	if (!img)
		return -1;
	memcpy(&h, img, len < sizeof(h) ? len : sizeof(h));
	if (len < sizeof(h) || h.magic != IMAGE_MAGIC) {
		fprintf(stderr, "vmm: %s: not an arm64 Image (no ARM\\x64 magic; a gzip'd vmlinuz must be decompressed)\n",
			boot->kernel);
		goto out;
	}
	if (!h.image_size) {		/* before 3.17: text_offset 0x80000 */
		h.text_offset = 0x80000;
		h.image_size = len;
	}
	kernel_gpa = A64_RAM_BASE + h.text_offset;
	kernel_end = kernel_gpa + (h.image_size > len ? h.image_size : len);
	if (kernel_end + DTB_MAX > A64_RAM_BASE + mem ||
	    vmm_copy_to_guest(vm, kernel_gpa, img, len)) {
		fprintf(stderr, "vmm: the kernel does not fit in %llu MiB\n",
			(unsigned long long)boot->mem_mib);
		goto out;
	}

	/* The device tree in the last 2 MiB (8-byte aligned), the initrd below. */
	dtb_gpa = A64_RAM_BASE + mem - (2ULL << 20);
	if (boot->initrd) {
		rd = vmm_read_file(boot->initrd, &rd_len);
		if (!rd)
			goto out;
		rd_gpa = (dtb_gpa - rd_len) & ~0xfffULL;
		if (rd_len >= dtb_gpa || rd_gpa < kernel_end ||
		    vmm_copy_to_guest(vm, rd_gpa, rd, rd_len)) {
			fprintf(stderr, "vmm: the initrd does not fit\n");
			goto out;
		}
		fi.initrd_start = rd_gpa;
		fi.initrd_end = rd_gpa + rd_len;
	}
	fi.bootargs = boot->append ? boot->append : DEFAULT_APPEND;
	dtb_len = a64_fdt_build(ram + (dtb_gpa - A64_RAM_BASE), DTB_MAX, &fi);
	if (!dtb_len)
		goto out;

	ncpus = vmm_host_cpus(cpus, VMM_MAX_VCPUS);
	if (!ncpus)
		cpus[ncpus++] = 0;
	for (i = 0; i < boot->nr_cpus; i++)
		if (!vmm_vcpu_create(vm, i, cpus[i % ncpus]))
			goto out;
	if (a64_gic_create(vm, boot->nr_cpus) || a64_pl011_create(vm))
		goto out;
	if (vmm_vcpu_setup(vm->vcpus[0], VCPU_MODE_ARM64_EL1, kernel_gpa, 0, 0, dtb_gpa) ||
	    vmm_vcpu_bind(vm->vcpus[0]))
		goto out;
	if (vm->verbose)
		fprintf(stderr, "vmm: arm64 virt, %llu MiB, %u vCPUs, Image at %#llx, DTB %zu bytes at %#llx, initrd %zu bytes at %#llx\n",
			(unsigned long long)boot->mem_mib, boot->nr_cpus,
			(unsigned long long)kernel_gpa, dtb_len, (unsigned long long)dtb_gpa,
			rd_len, (unsigned long long)rd_gpa);
	ret = vmm_vcpu_start(vm->vcpus[0]);
out:
	free(img);
	free(rd);
	return ret;
}
