/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 PC that libvmm builds for an unmodified Linux: RAM from 0, the
 * 64-bit capable boot protocol (entered at its 32-bit entry), ACPI tables
 * (MADT, FADT with QEMU's PM1a_CNT at 0x604 for power-off, DSDT with _S5),
 * a local x2APIC per vCPU with its TSC-deadline and one-shot timer, an
 * IOAPIC, a 16550 UART on COM1 and kvmclock for the TSC rate.  No 8259,
 * no PIT, no PCI: see linux.c for why each piece is where it is.
 */
#ifndef VMM_X86_H
#define VMM_X86_H

#include <stdint.h>

#include "../vmm.h"

#define X86_IOAPIC_BASE		0xfec00000ULL
#define X86_IOAPIC_PINS		24
#define X86_LAPIC_BASE		0xfee00000ULL
#define X86_COM1_PORT		0x3f8
#define X86_COM1_GSI		4
#define X86_ACPI_SCI_GSI	9
#define X86_PM1A_EVT_PORT	0x600
#define X86_PM1A_CNT_PORT	0x604	/* the module's SYSTEM_DOWN OFF port */

/* ---- local APIC (lapic.c) ---- */
struct x86_lapic;

int x86_lapic_create(struct vmm_vcpu *vcpu);
void x86_lapic_destroy(struct vmm_vcpu *vcpu);
/* The x2APIC MSRs 0x800-0x8ff and IA32_TSC_DEADLINE, IA32_APIC_BASE. */
bool x86_lapic_rdmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t *val);
bool x86_lapic_wrmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t val);
/* Deliver @vector (fixed) to @vcpu's APIC; level: the IOAPIC wants its EOI. */
void x86_lapic_deliver(struct vmm_vcpu *vcpu, uint8_t vector, bool level);
/* An IPI from a guest ICR write (the module's SEND_IPI exit). */
void x86_lapic_send_ipi(struct vmm_vcpu *src, const struct vcpu_exit_send_ipi *ipi);
/* The vCPUs a destination names (x2APIC physical or logical). */
bool x86_lapic_match(struct vmm_vcpu *vcpu, uint32_t dest, bool logical);

/* ---- IOAPIC (ioapic.c) ---- */
int x86_ioapic_create(struct vmm_vm *vm);
void x86_ioapic_set_line(struct vmm_vm *vm, unsigned int gsi, int level);
void x86_ioapic_eoi(struct vmm_vm *vm, uint8_t vector);

/* ---- 16550 UART (uart.c) ---- */
int x86_uart_create(struct vmm_vm *vm, uint16_t port, unsigned int gsi);

/* ---- kvmclock (pvclock.c) ---- */
int x86_pvclock_init(struct vmm_vm *vm, struct vmm_vcpu *vcpu0);
bool x86_pvclock_wrmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t val);
bool x86_pvclock_rdmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t *val);
uint64_t x86_tsc_khz(struct vmm_vm *vm);

/* ---- CPUID (cpuid.c), other MSRs (msr.c), ACPI (acpi.c) ---- */
int x86_cpuid_setup(struct vmm_vcpu *vcpu);
bool x86_msr_read(struct vmm_vcpu *vcpu, uint64_t msr, uint64_t *val);
bool x86_msr_write(struct vmm_vcpu *vcpu, uint64_t msr, uint64_t val);
/* Write RSDP/XSDT/FADT/FACS/DSDT/MADT at @gpa (below 1 MiB); the RSDP's address. */
uint64_t x86_acpi_build(struct vmm_vm *vm, uint64_t gpa, unsigned int nr_cpus);

/* Per-VM state. */
struct x86_vm {
	struct x86_ioapic *ioapic;
	uint64_t tsc_khz;
	uint64_t tsc0;			/* guest TSC at kvmclock's time zero */
	uint32_t pvclock_mul;
	int8_t pvclock_shift;
	int pm1_sts, pm1_en, pm1_cnt;	/* ACPI fixed hardware */
	struct vmm_device pm_dev;
};

static inline struct x86_vm *x86_vm(struct vmm_vm *vm)
{
	return vm->arch;
}

#endif /* VMM_X86_H */
