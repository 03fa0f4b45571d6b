// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_linux_boot() for x86: an unmodified bzImage through the boot
 * protocol's 32-bit entry (Documentation/arch/x86/boot.rst): the
 * protected-mode kernel at 1 MiB, struct boot_params (the image's setup
 * header, the e820 map, the command line, the initrd, the RSDP address),
 * vCPU 0 in flat 32-bit mode with ESI = boot_params and interrupts off.
 * The kernel goes to long mode itself; the other vCPUs wait for the
 * guest's INIT/SIPI (the module's CPU_UP exit) and start in real mode at
 * the SIPI vector.
 *
 * Where each piece is, and why (the measure: exits of an idle guest):
 *   - local APIC and its timer, IOAPIC, UART, ACPI fixed registers: here,
 *     in userspace.  An idle Linux with NO_HZ takes a few timer
 *     interrupts a second per vCPU: each costs an exit for the deadline
 *     write and one for the EOI, a few hundred exits a second in all,
 *     which the emulated lanes show (vcpuctl's summary counts them).  A
 *     busy guest would want the timer and EOI in the kernel; the module
 *     already handles what is per-entry hot (ICR writes, HLT blocking,
 *     interrupt windows, EFER, XSETBV).
 *   - kvmclock (pvclock.c): written once per vCPU, never exits after.
 *
 * Guest-physical map: RAM [0, mem) in one slot (the legacy hole at 640
 * KiB - 1 MiB is RAM too, marked reserved in e820, with the ACPI tables
 * at 0xE0000), the IOAPIC at 0xFEC00000, nothing else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "x86.h"

#define BOOT_PARAMS_GPA		0x7000ULL
#define CMDLINE_GPA		0x20000ULL
#define CMDLINE_MAX		0x10000ULL
#define ACPI_GPA		0xe0000ULL
#define KERNEL_GPA		0x100000ULL
#define STACK_GPA		0x8000ULL

/* struct boot_params / setup_header offsets (arch/x86/include/uapi/asm/bootparam.h) */
#define BP_ACPI_RSDP		0x070
#define BP_E820_ENTRIES		0x1e8
#define BP_HDR			0x1f1
#define BP_E820_TABLE		0x2d0
#define HDR_SETUP_SECTS		0x1f1
#define HDR_BOOT_FLAG		0x1fe
#define HDR_MAGIC		0x202
#define HDR_VERSION		0x206
#define HDR_TYPE_OF_LOADER	0x210
#define HDR_LOADFLAGS		0x211
#define HDR_CODE32_START	0x214
#define HDR_RAMDISK_IMAGE	0x218
#define HDR_RAMDISK_SIZE	0x21c
#define HDR_HEAP_END_PTR	0x224
#define HDR_CMD_LINE_PTR	0x228
#define HDR_INITRD_ADDR_MAX	0x22c
#define HDR_CMDLINE_SIZE	0x238
#define HDR_INIT_SIZE		0x260
#define LOADED_HIGH		0x01
#define CAN_USE_HEAP		0x80

#define E820_RAM		1
#define E820_RESERVED		2

#define DEFAULT_APPEND		"console=ttyS0"

static uint16_t get16(const uint8_t *p, size_t off)
{
	uint16_t v;

	memcpy(&v, p + off, 2);
	return v;
}

static uint32_t get32(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	memcpy(p + off, &v, 8);
}

static void e820_add(uint8_t *bp, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t n = bp[BP_E820_ENTRIES];
	uint8_t *e = bp + BP_E820_TABLE + n * 20;

	put64(e, 0, addr);
	put64(e, 8, size);
	put32(e, 16, type);
	bp[BP_E820_ENTRIES] = n + 1;
}

/*
 * ACPI PM1a event (status, enable) and control registers.  Nothing ever
 * sets a status bit (no SCI source), the enables read back (ACPICA checks
 * the global lock's), SCI_EN reads set: always in ACPI mode.  The
 * SLP_EN write that powers off never gets here: the module turns it into
 * SYSTEM_DOWN OFF.
 */
static uint64_t pm_read(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			uint64_t off, unsigned int width)
{
	struct x86_vm *x = dev->priv;
	uint64_t regs = (uint64_t)x->pm1_en << 16 | (uint64_t)(x->pm1_cnt | 1) << 32;

	(void)vcpu;
	return regs >> (off * 8) & (width == 4 ? 0xffffffffULL : (1ULL << (width * 8)) - 1);
}

static void pm_write(struct vmm_device *dev, struct vmm_vcpu *vcpu,
		     uint64_t off, unsigned int width, uint64_t val)
{
	struct x86_vm *x = dev->priv;
	unsigned int i;

	(void)vcpu;
	for (i = 0; i < width && off + i < 6; i++) {
		uint8_t b = val >> (i * 8);

		if (off + i == 2 || off + i == 3)
			x->pm1_en = (x->pm1_en & ~(0xff << (off + i - 2) * 8)) | b << (off + i - 2) * 8;
		else if (off + i == 4 || off + i == 5)
			x->pm1_cnt = (x->pm1_cnt & ~(0xff << (off + i - 4) * 8)) | b << (off + i - 4) * 8;
	}
}

static const struct vmm_device_ops pm_ops = { .read = pm_read, .write = pm_write };

static bool x86_sysreg_read(struct vmm_vcpu *vcpu, uint64_t addr, uint64_t *val)
{
	return x86_msr_read(vcpu, addr, val);
}

static bool x86_sysreg_write(struct vmm_vcpu *vcpu, uint64_t addr, uint64_t val)
{
	return x86_msr_write(vcpu, addr, val);
}

static void x86_irq_line(struct vmm_vm *vm, unsigned int line, int level)
{
	x86_ioapic_set_line(vm, line, level);
}

static void x86_cpu_up(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up)
{
	struct vmm_vcpu *t = vmm_vcpu_by_id(vcpu->vm, up->target_cpu);

	/* The module sends INIT-SIPI to an APIC ID: ours are the vCPU ids. */
	if (!t || t == vcpu) {
		vcpu->unhandled++;
		return;
	}
	vmm_vcpu_power_on(t, up);
}

/* An AP starts in real mode at the SIPI vector's page (CS = vector << 8). */
static int x86_vcpu_start(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up,
			  bool first)
{
	if (!first) {
		/*
		 * A second INIT-SIPI after the guest took the CPU down: a
		 * vCPU cannot go back to Created, and resetting a Ready one
		 * to real mode needs every segment: not offered yet.
		 */
		fprintf(stderr, "vmm: vCPU %u: restart after CPU_DOWN is not supported\n",
			vcpu->id);
		return -1;
	}
	if (vmm_vcpu_setup(vcpu, VCPU_MODE_X86_REAL, up->entry_point, 0, 0, 0) ||
	    x86_cpuid_setup(vcpu))
		return -1;
	return vmm_vcpu_bind(vcpu);
}

static void x86_send_ipi(struct vmm_vcpu *vcpu, const struct vcpu_exit_send_ipi *ipi)
{
	x86_lapic_send_ipi(vcpu, ipi);
}

static void x86_destroy(struct vmm_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i])
			x86_lapic_destroy(vm->vcpus[i]);
	free(vm->arch);
	vm->arch = NULL;
}

static const struct vmm_platform x86_pc = {
	.name = "x86-pc",
	.vcpu_start = x86_vcpu_start,
	.sysreg_read = x86_sysreg_read,
	.sysreg_write = x86_sysreg_write,
	.irq_line = x86_irq_line,
	.cpu_up = x86_cpu_up,
	.send_ipi = x86_send_ipi,
	.destroy = x86_destroy,
};

/* The bzImage's protected-mode part at 1 MiB; the setup header into @bp. */
static int load_bzimage(struct vmm_vm *vm, const char *path, uint8_t *bp,
			uint64_t mem)
{
	size_t len, setup, hdr_end;
	uint8_t *img = vmm_read_file(path, &len);
	int ret = -1;

	if (!img)
		return -1;
	if (len < 0x1000 || get16(img, HDR_BOOT_FLAG) != 0xaa55 ||
	    memcmp(img + HDR_MAGIC, "HdrS", 4)) {
		fprintf(stderr, "vmm: %s: not a bzImage (no boot sector or HdrS)\n", path);
		goto out;
	}
	if (get16(img, HDR_VERSION) < 0x020c || !(img[HDR_LOADFLAGS] & LOADED_HIGH)) {
		fprintf(stderr, "vmm: %s: boot protocol %#x: 2.12 or later, loaded high, needed\n",
			path, get16(img, HDR_VERSION));
		goto out;
	}
	setup = (img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4) + 1;
	setup *= 512;
	if (setup >= len) {
		fprintf(stderr, "vmm: %s: truncated\n", path);
		goto out;
	}
	if (KERNEL_GPA + get32(img, HDR_INIT_SIZE) > mem) {
		fprintf(stderr, "vmm: %s needs %u MiB of RAM above 1 MiB to decompress\n",
			path, get32(img, HDR_INIT_SIZE) >> 20);
		goto out;
	}
	if (vmm_copy_to_guest(vm, KERNEL_GPA, img + setup, len - setup))
		goto out;
	/* The setup header: from 0x1f1 to 0x202 + the length byte at 0x201. */
	hdr_end = 0x202 + img[0x201];
	if (hdr_end > 0x1000 || hdr_end > len)
		hdr_end = 0x280;
	memcpy(bp + BP_HDR, img + BP_HDR, hdr_end - BP_HDR);
	ret = 0;
out:
	free(img);
	return ret;
}

int vmm_linux_boot(struct vmm_vm *vm, const struct vmm_boot *boot)
{
	uint64_t mem = boot->mem_mib << 20, rsdp, initrd_gpa = 0, max;
	const char *append = boot->append ? boot->append : DEFAULT_APPEND;
	int cpus[VMM_MAX_VCPUS], ncpus;
	struct vmm_vcpu *vcpu0 = NULL;
	struct x86_vm *x;
	struct vcpu_regs regs;
	size_t initrd_len = 0;
	uint8_t *bp;
	unsigned int i;

	if (mem < (64ULL << 20) || mem > (3ULL << 30)) {
		fprintf(stderr, "vmm: guest RAM: 64 MiB to 3 GiB\n");
		return -1;
	}
	if (!boot->nr_cpus || boot->nr_cpus > 255 || boot->nr_cpus > VMM_MAX_VCPUS) {
		fprintf(stderr, "vmm: vCPUs: 1 to %d\n", VMM_MAX_VCPUS);
		return -1;
	}
	x = calloc(1, sizeof(*x));
	if (!x)
		return -1;
	vm->arch = x;
	vm->plat = &x86_pc;
	vm->setup_flags = VCPU_SETUP_F_HALT_IN_KERNEL;
	if (!vmm_mem_add(vm, 0, mem, false))
		return -1;

	ncpus = vmm_host_cpus(cpus, VMM_MAX_VCPUS);
	if (!ncpus)
		cpus[ncpus++] = 0;
	/* Every vCPU exists from the start: IPIs and the APIC IDs need them. */
	for (i = 0; i < boot->nr_cpus; i++) {
		struct vmm_vcpu *v = vmm_vcpu_create(vm, i, cpus[i % ncpus]);

		if (!v || x86_lapic_create(v))
			return -1;
	}
	vcpu0 = vm->vcpus[0];
	if (vmm_vcpu_setup(vcpu0, VCPU_MODE_X86_PROT32, KERNEL_GPA, STACK_GPA, 0, 0) ||
	    x86_cpuid_setup(vcpu0) || x86_pvclock_init(vm, vcpu0) ||
	    x86_ioapic_create(vm) ||
	    x86_uart_create(vm, X86_COM1_PORT, X86_COM1_GSI))
		return -1;
	vmm_device_init(&x->pm_dev, "acpi-pm", &pm_ops, x);
	if (vmm_bus_add(vm, VMM_SPACE_PIO, X86_PM1A_EVT_PORT, 6, &x->pm_dev))
		return -1;

	bp = vmm_gpa(vm, BOOT_PARAMS_GPA, 4096);
	memset(bp, 0, 4096);
	if (load_bzimage(vm, boot->kernel, bp, mem))
		return -1;
	bp[HDR_TYPE_OF_LOADER] = 0xff;
	bp[HDR_LOADFLAGS] |= CAN_USE_HEAP;
	memcpy(bp + HDR_HEAP_END_PTR, &(uint16_t){ 0xfe00 }, 2);

	if (strlen(append) + 1 > CMDLINE_MAX ||
	    strlen(append) + 1 > get32(bp, HDR_CMDLINE_SIZE) + 1) {
		fprintf(stderr, "vmm: command line too long\n");
		return -1;
	}
	vmm_copy_to_guest(vm, CMDLINE_GPA, append, strlen(append) + 1);
	put32(bp, HDR_CMD_LINE_PTR, CMDLINE_GPA);

	if (boot->initrd) {
		void *rd = vmm_read_file(boot->initrd, &initrd_len);

		if (!rd)
			return -1;
		max = get32(bp, HDR_INITRD_ADDR_MAX);
		max = max && max < mem - 1 ? max + 1 : mem;
		initrd_gpa = (max - initrd_len) & ~0xfffULL;
		if (initrd_len >= max || initrd_gpa < KERNEL_GPA + get32(bp, HDR_INIT_SIZE) ||
		    vmm_copy_to_guest(vm, initrd_gpa, rd, initrd_len)) {
			fprintf(stderr, "vmm: the initrd does not fit below %#llx\n",
				(unsigned long long)max);
			free(rd);
			return -1;
		}
		free(rd);
		put32(bp, HDR_RAMDISK_IMAGE, initrd_gpa);
		put32(bp, HDR_RAMDISK_SIZE, initrd_len);
	}

	e820_add(bp, 0, 0x9fc00, E820_RAM);
	e820_add(bp, 0x9fc00, 0x400, E820_RESERVED);
	e820_add(bp, ACPI_GPA, 0x100000 - ACPI_GPA, E820_RESERVED);
	e820_add(bp, KERNEL_GPA, mem - KERNEL_GPA, E820_RAM);
	rsdp = x86_acpi_build(vm, ACPI_GPA, boot->nr_cpus);
	if (!rsdp)
		return -1;
	put64(bp, BP_ACPI_RSDP, rsdp);

	if (vmm_get_regs(vcpu0, &regs))
		return -1;
	memset(regs.gpr, 0, sizeof(regs.gpr));
	regs.pc = get32(bp, HDR_CODE32_START);
	regs.gpr[VCPU_REG_RSI] = BOOT_PARAMS_GPA;
	regs.gpr[VCPU_REG_RSP] = STACK_GPA;
	regs.flags = 0x2;		/* interrupts off */
	if (vmm_set_regs(vcpu0, &regs)) {
		perror("vmm: VCPU_SET_REGS");
		return -1;
	}
	if (vmm_vcpu_bind(vcpu0))
		return -1;
	if (vm->verbose)
		fprintf(stderr, "vmm: x86 PC, %llu MiB, %u vCPUs, TSC %llu kHz, initrd %zu bytes at %#llx\n",
			(unsigned long long)boot->mem_mib, boot->nr_cpus,
			(unsigned long long)x->tsc_khz, initrd_len,
			(unsigned long long)initrd_gpa);
	return vmm_vcpu_start(vcpu0);
}
