// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for the PC (ACPI 6.x layouts): RSDP -> XSDT -> FADT (with
 * FACS and DSDT) and MADT.  Why ACPI rather than an MP table: it is how
 * Linux learns that there is no 8259, no 8042, no VGA and no CMOS clock
 * (FADT IAPC_BOOT_ARCH), where the CPUs and the IOAPIC are (MADT), and
 * how it powers off (the \_S5 package in the DSDT, then SLP_EN written
 * to PM1a_CNT at QEMU's port 0x604, which the module turns into a
 * SYSTEM_DOWN OFF exit) and resets (the FADT reset register, port 0xCF9,
 * SYSTEM_DOWN RESET in the module).  No PM timer and no GPE blocks: the
 * TSC (through kvmclock) is the clock, and nothing raises an SCI.
 */
#include <string.h>

#include "x86.h"

#define OEM_ID		"VCPU  "
#define OEM_TABLE	"VCPUVMM "

struct acpi_header {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

struct acpi_gas {
	uint8_t space;		/* 1: system I/O */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;	/* 1 byte, 2 word, 3 dword */
	uint64_t address;
} __attribute__((packed));

struct acpi_rsdp {
	char sig[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_fadt {
	struct acpi_header h;
	uint32_t firmware_ctrl, dsdt;
	uint8_t reserved0, pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt, pm1b_evt, pm1a_cnt, pm1b_cnt, pm2_cnt, pm_tmr, gpe0, gpe1;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_len, gpe1_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl, x_dsdt;
	struct acpi_gas x_pm1a_evt, x_pm1b_evt, x_pm1a_cnt, x_pm1b_cnt, x_pm2_cnt,
			x_pm_tmr, x_gpe0, x_gpe1, sleep_control, sleep_status;
	uint64_t hypervisor_id;
} __attribute__((packed));

struct acpi_facs {
	char sig[4];
	uint32_t length;
	uint32_t hw_signature, waking_vector, global_lock, flags;
	uint64_t x_waking_vector;
	uint8_t version;
	uint8_t reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved2[24];
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT 6.x");
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS");
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP");

#define BOOT_ARCH_NO_VGA	(1U << 2)
#define BOOT_ARCH_NO_MSI	(1U << 3)
#define BOOT_ARCH_NO_CMOS_RTC	(1U << 5)
#define FADT_WBINVD		(1U << 0)
#define FADT_PROC_C1		(1U << 2)
#define FADT_PWR_BUTTON		(1U << 4)	/* no fixed power button */
#define FADT_SLP_BUTTON		(1U << 5)	/* no fixed sleep button */
#define FADT_RESET_REG_SUP	(1U << 10)

/*
 * DSDT body: Name (_S5, Package () { 5, 5, 0, 0 }).  Only SLP_EN (bit 13
 * of PM1a_CNT) matters to the module; SLP_TYP 5 is as good as any.
 */
static const uint8_t dsdt_aml[] = {
	0x08, '_', 'S', '5', '_',		/* NameOp "_S5_" */
	0x12, 0x08, 0x04,			/* PackageOp, length 8, 4 elements */
	0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,	/* BytePrefix 5, 5, Zero, Zero */
};

static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return (uint8_t)-sum;
}

static void header(struct acpi_header *h, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(h->sig, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, OEM_ID, 6);
	memcpy(h->oem_table_id, OEM_TABLE, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "VCPU", 4);
	h->creator_revision = 1;
}

static void finish(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = checksum(h, h->length);
}

static struct acpi_gas io_gas(uint16_t port, uint8_t bits)
{
	return (struct acpi_gas){
		.space = 1, .bit_width = bits,
		.access_size = bits == 8 ? 1 : bits == 16 ? 2 : 3, .address = port,
	};
}

/* Layout in the 64 KiB at @gpa; each table 64-byte aligned. */
uint64_t x86_acpi_build(struct vmm_vm *vm, uint64_t gpa, unsigned int nr_cpus)
{
	uint64_t rsdp_gpa = gpa, xsdt_gpa = gpa + 0x40, fadt_gpa = gpa + 0x100,
		 facs_gpa = gpa + 0x240, dsdt_gpa = gpa + 0x280, madt_gpa = gpa + 0x300;
	uint8_t *base = vmm_gpa(vm, gpa, 0x10000);
	struct acpi_rsdp *rsdp;
	struct acpi_header *xsdt, *dsdt, *madt;
	struct acpi_fadt *fadt;
	struct acpi_facs *facs;
	uint64_t *xsdt_entries;
	uint8_t *m;
	unsigned int i;

	if (!base || nr_cpus > 255)
		return 0;
	memset(base, 0, 0x10000);

	dsdt = (void *)(base + (dsdt_gpa - gpa));
	header(dsdt, "DSDT", sizeof(*dsdt) + sizeof(dsdt_aml), 2);
	memcpy(dsdt + 1, dsdt_aml, sizeof(dsdt_aml));
	finish(dsdt);

	facs = (void *)(base + (facs_gpa - gpa));
	memcpy(facs->sig, "FACS", 4);
	facs->length = sizeof(*facs);
	facs->version = 2;

	fadt = (void *)(base + (fadt_gpa - gpa));
	header(&fadt->h, "FACP", sizeof(*fadt), 6);
	fadt->firmware_ctrl = facs_gpa;
	fadt->dsdt = dsdt_gpa;
	fadt->x_firmware_ctrl = facs_gpa;
	fadt->x_dsdt = dsdt_gpa;
	fadt->sci_int = X86_ACPI_SCI_GSI;
	fadt->smi_cmd = 0;		/* always in ACPI mode */
	fadt->pm1a_evt = X86_PM1A_EVT_PORT;
	fadt->pm1a_cnt = X86_PM1A_CNT_PORT;
	fadt->pm1_evt_len = 4;
	fadt->pm1_cnt_len = 2;
	fadt->x_pm1a_evt = io_gas(X86_PM1A_EVT_PORT, 32);
	fadt->x_pm1a_cnt = io_gas(X86_PM1A_CNT_PORT, 16);
	fadt->p_lvl2_lat = 101;		/* > 100: no C2 */
	fadt->p_lvl3_lat = 1001;	/* > 1000: no C3 */
	fadt->iapc_boot_arch = BOOT_ARCH_NO_VGA | BOOT_ARCH_NO_MSI | BOOT_ARCH_NO_CMOS_RTC;
	fadt->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON |
		      FADT_RESET_REG_SUP;
	fadt->reset_reg = io_gas(0xcf9, 8);
	fadt->reset_value = 0x06;	/* RST_CPU | SYS_RST */
	fadt->minor_version = 1;
	finish(&fadt->h);

	madt = (void *)(base + (madt_gpa - gpa));
	m = (uint8_t *)(madt + 1);
	*(uint32_t *)m = X86_LAPIC_BASE;	/* local APIC address */
	*(uint32_t *)(m + 4) = 0;		/* no PCAT_COMPAT: no 8259 */
	m += 8;
	for (i = 0; i < nr_cpus; i++) {
		m[0] = 0;			/* processor local APIC */
		m[1] = 8;
		m[2] = i;			/* ACPI processor UID */
		m[3] = i;			/* APIC ID = vCPU id (the module's CPUID) */
		*(uint32_t *)(m + 4) = 1;	/* enabled */
		m += 8;
	}
	m[0] = 1;				/* IOAPIC */
	m[1] = 12;
	m[2] = 0;				/* its ID */
	*(uint32_t *)(m + 4) = X86_IOAPIC_BASE;
	*(uint32_t *)(m + 8) = 0;		/* GSI base */
	m += 12;
	m[0] = 2;				/* interrupt source override: the SCI */
	m[1] = 10;
	m[2] = 0;				/* ISA */
	m[3] = X86_ACPI_SCI_GSI;
	*(uint32_t *)(m + 4) = X86_ACPI_SCI_GSI;
	*(uint16_t *)(m + 8) = 0x000d;		/* active high, level */
	m += 10;
	header(madt, "APIC", m - (uint8_t *)madt, 4);
	finish(madt);

	xsdt = (void *)(base + (xsdt_gpa - gpa));
	header(xsdt, "XSDT", sizeof(*xsdt) + 2 * 8, 1);
	xsdt_entries = (uint64_t *)(xsdt + 1);
	xsdt_entries[0] = fadt_gpa;
	xsdt_entries[1] = madt_gpa;
	finish(xsdt);

	rsdp = (void *)(base + (rsdp_gpa - gpa));
	memcpy(rsdp->sig, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, OEM_ID, 6);
	rsdp->revision = 2;
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt = xsdt_gpa;
	rsdp->checksum = checksum(rsdp, 20);
	rsdp->ext_checksum = checksum(rsdp, sizeof(*rsdp));
	return rsdp_gpa;
}
