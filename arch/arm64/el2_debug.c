// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's self-hosted debug state: MDSCR_EL1, the breakpoint and
 * watchpoint registers, the OS lock, the claim tags.
 *
 * Accesses: MDCR_EL2.TDA, TDOSA and TDRA stay set (el2_run.c), so every
 * access of the guest to a debug register traps to EL2 and is emulated
 * here from struct vcpu_el2_debug, without a VMM exit.  The guest never
 * reads a register of the hardware: what it wrote is what it reads, and
 * another VM's or the host's values cannot show through.  The debug
 * communications channel (MDCCSR_EL0, DBGDTR*_EL0, OSDTR*_EL1), the
 * external-debug registers (MDRAR_EL1, OSECCR_EL1) and the power-down
 * request (DBGPRCR_EL1) are RAZ/WI: no external debugger is attached to
 * a virtual CPU.  DBGVCR32_EL2 is an EL2 register the guest cannot reach.
 *
 * Effect: the registers act only while the guest runs.  MDSCR_EL1 has no
 * EL12 alias on a VHE host: the host's is saved and the guest's
 * effective value loaded at every entry, and the host's put back at the
 * exit, whatever the guest does, so the host's MDE/KDE/SS (a ptraced VMM
 * thread, perf, kgdb) never act in the guest.  With MDE clear no
 * breakpoint or watchpoint can fire in the guest's EL0/EL1, whatever
 * DBGBCR/DBGWCR hold: only a guest that set MDE gets its breakpoint and
 * watchpoint registers loaded (the host's read first and written back at
 * the exit exactly as they were), so a guest that does not debug pays
 * one MDSCR_EL1 read and two writes per entry.  The OS lock (set at
 * reset, as the architecture's cold reset leaves it; Linux clears it at
 * boot) disables breakpoint, watchpoint and step exceptions: the
 * effective MDSCR then has MDE, KDE and SS clear.  MDCR_EL2.TDE stays
 * clear, so the guest's debug exceptions are taken at its own EL1; its
 * software step uses its MDSCR_EL1.SS with the PSTATE.SS it keeps in
 * SPSR_EL2.
 *
 * Host breakpoints while the guest's are loaded: from the load to the
 * restore the PE runs only the switch itself, at EL2 with PSTATE.D set
 * (DAIF masked, el2_run.c), where no debug exception can be taken; the
 * host's values are back before anything unmasks it.  A ptraced VMM
 * thread's watchpoints therefore never fire on the guest's accesses and
 * the guest's never on the VMM's.  QEMU TCG implements breakpoints,
 * watchpoints and software step, but not an external debugger nor the
 * OS double lock: on hardware OSDLR_EL1.DLK is only the value the guest
 * wrote and never reaches the CPU, whose power-down behaviour stays the
 * host's.
 */
#include <linux/kernel.h>
#include <asm/debug-monitors.h>
#include <asm/esr.h>
#include <asm/hw_breakpoint.h>
#include <asm/sysreg.h>

#include "el2.h"

/* MDSCR_EL1 bits the guest may set: SS, TDCC, KDE, MDE. */
#define EL2_MDSCR_TDCC		BIT(12)
#define EL2_MDSCR_GUEST		(DBG_MDSCR_SS | EL2_MDSCR_TDCC | \
				 DBG_MDSCR_KDE | DBG_MDSCR_MDE)
/*
 * DBGBCR: E, PMC, BAS, SSC, LBN, BT; DBGWCR: E, PAC, LSC, BAS, SSC, LBN,
 * WT, MASK.  HMC (bit 13) is RES0 for the guest, whose CPU has no EL2
 * (ID_AA64PFR0_EL1.EL2 = 0): it also keeps a guest's comparator from ever
 * matching at the host's EL2 while it is loaded.
 */
#define EL2_DBGBCR_MASK		0x00ffc1e7ULL
#define EL2_DBGWCR_MASK		0x1f1fdfffULL
/* DBGBVR/DBGWVR: bits 1:0 RES0. */
#define EL2_DBGxVR_MASK		(~3ULL)
/* OSLSR_EL1: OSLM = 0b10 (the OS lock is implemented), OSLK. */
#define EL2_OSLSR_OSLM		BIT(3)
#define EL2_OSLSR_OSLK		BIT(1)

static unsigned int vcpu_el2_debug_brps, vcpu_el2_debug_wrps;

/*
 * The host's values while a guest's are loaded: per CPU (used with
 * interrupts off, from the load to the save of one entry), not on the
 * stack, where a kernel built with CONFIG_INIT_STACK_ALL_ZERO would clear
 * its 520 bytes at every entry.
 */
static DEFINE_PER_CPU(struct vcpu_el2_debug_host, vcpu_el2_debug_host);

/*
 * One encoding per register: the accessors need compile-time constants,
 * hence the switches (n is below the implemented count, at most 16).
 */
static u64 vcpu_el2_dbgbcr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg(dbgbcr0_el1);
	case 1:
		return read_sysreg(dbgbcr1_el1);
	case 2:
		return read_sysreg(dbgbcr2_el1);
	case 3:
		return read_sysreg(dbgbcr3_el1);
	case 4:
		return read_sysreg(dbgbcr4_el1);
	case 5:
		return read_sysreg(dbgbcr5_el1);
	case 6:
		return read_sysreg(dbgbcr6_el1);
	case 7:
		return read_sysreg(dbgbcr7_el1);
	case 8:
		return read_sysreg(dbgbcr8_el1);
	case 9:
		return read_sysreg(dbgbcr9_el1);
	case 10:
		return read_sysreg(dbgbcr10_el1);
	case 11:
		return read_sysreg(dbgbcr11_el1);
	case 12:
		return read_sysreg(dbgbcr12_el1);
	case 13:
		return read_sysreg(dbgbcr13_el1);
	case 14:
		return read_sysreg(dbgbcr14_el1);
	case 15:
		return read_sysreg(dbgbcr15_el1);
	}
	return 0;
}

static void vcpu_el2_dbgbcr_write(unsigned int n, u64 v)
{
	switch (n) {
	case 0:
		write_sysreg(v, dbgbcr0_el1);
		break;
	case 1:
		write_sysreg(v, dbgbcr1_el1);
		break;
	case 2:
		write_sysreg(v, dbgbcr2_el1);
		break;
	case 3:
		write_sysreg(v, dbgbcr3_el1);
		break;
	case 4:
		write_sysreg(v, dbgbcr4_el1);
		break;
	case 5:
		write_sysreg(v, dbgbcr5_el1);
		break;
	case 6:
		write_sysreg(v, dbgbcr6_el1);
		break;
	case 7:
		write_sysreg(v, dbgbcr7_el1);
		break;
	case 8:
		write_sysreg(v, dbgbcr8_el1);
		break;
	case 9:
		write_sysreg(v, dbgbcr9_el1);
		break;
	case 10:
		write_sysreg(v, dbgbcr10_el1);
		break;
	case 11:
		write_sysreg(v, dbgbcr11_el1);
		break;
	case 12:
		write_sysreg(v, dbgbcr12_el1);
		break;
	case 13:
		write_sysreg(v, dbgbcr13_el1);
		break;
	case 14:
		write_sysreg(v, dbgbcr14_el1);
		break;
	case 15:
		write_sysreg(v, dbgbcr15_el1);
		break;
	}
}

static u64 vcpu_el2_dbgbvr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg(dbgbvr0_el1);
	case 1:
		return read_sysreg(dbgbvr1_el1);
	case 2:
		return read_sysreg(dbgbvr2_el1);
	case 3:
		return read_sysreg(dbgbvr3_el1);
	case 4:
		return read_sysreg(dbgbvr4_el1);
	case 5:
		return read_sysreg(dbgbvr5_el1);
	case 6:
		return read_sysreg(dbgbvr6_el1);
	case 7:
		return read_sysreg(dbgbvr7_el1);
	case 8:
		return read_sysreg(dbgbvr8_el1);
	case 9:
		return read_sysreg(dbgbvr9_el1);
	case 10:
		return read_sysreg(dbgbvr10_el1);
	case 11:
		return read_sysreg(dbgbvr11_el1);
	case 12:
		return read_sysreg(dbgbvr12_el1);
	case 13:
		return read_sysreg(dbgbvr13_el1);
	case 14:
		return read_sysreg(dbgbvr14_el1);
	case 15:
		return read_sysreg(dbgbvr15_el1);
	}
	return 0;
}

static void vcpu_el2_dbgbvr_write(unsigned int n, u64 v)
{
	switch (n) {
	case 0:
		write_sysreg(v, dbgbvr0_el1);
		break;
	case 1:
		write_sysreg(v, dbgbvr1_el1);
		break;
	case 2:
		write_sysreg(v, dbgbvr2_el1);
		break;
	case 3:
		write_sysreg(v, dbgbvr3_el1);
		break;
	case 4:
		write_sysreg(v, dbgbvr4_el1);
		break;
	case 5:
		write_sysreg(v, dbgbvr5_el1);
		break;
	case 6:
		write_sysreg(v, dbgbvr6_el1);
		break;
	case 7:
		write_sysreg(v, dbgbvr7_el1);
		break;
	case 8:
		write_sysreg(v, dbgbvr8_el1);
		break;
	case 9:
		write_sysreg(v, dbgbvr9_el1);
		break;
	case 10:
		write_sysreg(v, dbgbvr10_el1);
		break;
	case 11:
		write_sysreg(v, dbgbvr11_el1);
		break;
	case 12:
		write_sysreg(v, dbgbvr12_el1);
		break;
	case 13:
		write_sysreg(v, dbgbvr13_el1);
		break;
	case 14:
		write_sysreg(v, dbgbvr14_el1);
		break;
	case 15:
		write_sysreg(v, dbgbvr15_el1);
		break;
	}
}

static u64 vcpu_el2_dbgwcr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg(dbgwcr0_el1);
	case 1:
		return read_sysreg(dbgwcr1_el1);
	case 2:
		return read_sysreg(dbgwcr2_el1);
	case 3:
		return read_sysreg(dbgwcr3_el1);
	case 4:
		return read_sysreg(dbgwcr4_el1);
	case 5:
		return read_sysreg(dbgwcr5_el1);
	case 6:
		return read_sysreg(dbgwcr6_el1);
	case 7:
		return read_sysreg(dbgwcr7_el1);
	case 8:
		return read_sysreg(dbgwcr8_el1);
	case 9:
		return read_sysreg(dbgwcr9_el1);
	case 10:
		return read_sysreg(dbgwcr10_el1);
	case 11:
		return read_sysreg(dbgwcr11_el1);
	case 12:
		return read_sysreg(dbgwcr12_el1);
	case 13:
		return read_sysreg(dbgwcr13_el1);
	case 14:
		return read_sysreg(dbgwcr14_el1);
	case 15:
		return read_sysreg(dbgwcr15_el1);
	}
	return 0;
}

static void vcpu_el2_dbgwcr_write(unsigned int n, u64 v)
{
	switch (n) {
	case 0:
		write_sysreg(v, dbgwcr0_el1);
		break;
	case 1:
		write_sysreg(v, dbgwcr1_el1);
		break;
	case 2:
		write_sysreg(v, dbgwcr2_el1);
		break;
	case 3:
		write_sysreg(v, dbgwcr3_el1);
		break;
	case 4:
		write_sysreg(v, dbgwcr4_el1);
		break;
	case 5:
		write_sysreg(v, dbgwcr5_el1);
		break;
	case 6:
		write_sysreg(v, dbgwcr6_el1);
		break;
	case 7:
		write_sysreg(v, dbgwcr7_el1);
		break;
	case 8:
		write_sysreg(v, dbgwcr8_el1);
		break;
	case 9:
		write_sysreg(v, dbgwcr9_el1);
		break;
	case 10:
		write_sysreg(v, dbgwcr10_el1);
		break;
	case 11:
		write_sysreg(v, dbgwcr11_el1);
		break;
	case 12:
		write_sysreg(v, dbgwcr12_el1);
		break;
	case 13:
		write_sysreg(v, dbgwcr13_el1);
		break;
	case 14:
		write_sysreg(v, dbgwcr14_el1);
		break;
	case 15:
		write_sysreg(v, dbgwcr15_el1);
		break;
	}
}

static u64 vcpu_el2_dbgwvr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg(dbgwvr0_el1);
	case 1:
		return read_sysreg(dbgwvr1_el1);
	case 2:
		return read_sysreg(dbgwvr2_el1);
	case 3:
		return read_sysreg(dbgwvr3_el1);
	case 4:
		return read_sysreg(dbgwvr4_el1);
	case 5:
		return read_sysreg(dbgwvr5_el1);
	case 6:
		return read_sysreg(dbgwvr6_el1);
	case 7:
		return read_sysreg(dbgwvr7_el1);
	case 8:
		return read_sysreg(dbgwvr8_el1);
	case 9:
		return read_sysreg(dbgwvr9_el1);
	case 10:
		return read_sysreg(dbgwvr10_el1);
	case 11:
		return read_sysreg(dbgwvr11_el1);
	case 12:
		return read_sysreg(dbgwvr12_el1);
	case 13:
		return read_sysreg(dbgwvr13_el1);
	case 14:
		return read_sysreg(dbgwvr14_el1);
	case 15:
		return read_sysreg(dbgwvr15_el1);
	}
	return 0;
}

static void vcpu_el2_dbgwvr_write(unsigned int n, u64 v)
{
	switch (n) {
	case 0:
		write_sysreg(v, dbgwvr0_el1);
		break;
	case 1:
		write_sysreg(v, dbgwvr1_el1);
		break;
	case 2:
		write_sysreg(v, dbgwvr2_el1);
		break;
	case 3:
		write_sysreg(v, dbgwvr3_el1);
		break;
	case 4:
		write_sysreg(v, dbgwvr4_el1);
		break;
	case 5:
		write_sysreg(v, dbgwvr5_el1);
		break;
	case 6:
		write_sysreg(v, dbgwvr6_el1);
		break;
	case 7:
		write_sysreg(v, dbgwvr7_el1);
		break;
	case 8:
		write_sysreg(v, dbgwvr8_el1);
		break;
	case 9:
		write_sysreg(v, dbgwvr9_el1);
		break;
	case 10:
		write_sysreg(v, dbgwvr10_el1);
		break;
	case 11:
		write_sysreg(v, dbgwvr11_el1);
		break;
	case 12:
		write_sysreg(v, dbgwvr12_el1);
		break;
	case 13:
		write_sysreg(v, dbgwvr13_el1);
		break;
	case 14:
		write_sysreg(v, dbgwvr14_el1);
		break;
	case 15:
		write_sysreg(v, dbgwvr15_el1);
		break;
	}
}

void vcpu_el2_debug_init(void)
{
	vcpu_el2_debug_brps = min(get_num_brps(), EL2_DBG_MAX);
	vcpu_el2_debug_wrps = min(get_num_wrps(), EL2_DBG_MAX);
}

/* SETUP: the architecture's cold reset; the OS lock is set. */
void vcpu_el2_debug_reset(struct vcpu_el2_debug *d)
{
	memset(d, 0, sizeof(*d));
	d->oslk = true;
}

/* MDSCR_EL1 as the hardware gets it while the guest runs. */
static u64 vcpu_el2_debug_mdscr(const struct vcpu_el2_debug *d)
{
	if (d->oslk)
		return d->mdscr & ~(u64)(DBG_MDSCR_SS | DBG_MDSCR_KDE |
					 DBG_MDSCR_MDE);
	return d->mdscr;
}

/* Interrupts and debug exceptions masked, in vcpu_el2_load(). */
void vcpu_el2_debug_load(struct vcpu_el2_debug *d)
{
	struct vcpu_el2_debug_host *h = this_cpu_ptr(&vcpu_el2_debug_host);
	u64 mdscr = vcpu_el2_debug_mdscr(d);
	unsigned int i;

	h->mdscr = read_sysreg(mdscr_el1);
	write_sysreg(mdscr, mdscr_el1);
	h->loaded = mdscr & DBG_MDSCR_MDE;
	if (!h->loaded)
		return;
	for (i = 0; i < vcpu_el2_debug_brps; i++) {
		h->bcr[i] = vcpu_el2_dbgbcr_read(i);
		h->bvr[i] = vcpu_el2_dbgbvr_read(i);
		vcpu_el2_dbgbcr_write(i, d->bcr[i]);
		vcpu_el2_dbgbvr_write(i, d->bvr[i]);
	}
	for (i = 0; i < vcpu_el2_debug_wrps; i++) {
		h->wcr[i] = vcpu_el2_dbgwcr_read(i);
		h->wvr[i] = vcpu_el2_dbgwvr_read(i);
		vcpu_el2_dbgwcr_write(i, d->wcr[i]);
		vcpu_el2_dbgwvr_write(i, d->wvr[i]);
	}
}

/*
 * After the exit, before the host's HCR_EL2 and its ISB: the guest
 * cannot have changed any of these (its accesses trap), so nothing is
 * read back; the host's values go back exactly as they were.
 */
void vcpu_el2_debug_save(void)
{
	const struct vcpu_el2_debug_host *h = this_cpu_ptr(&vcpu_el2_debug_host);
	unsigned int i;

	if (h->loaded) {
		for (i = 0; i < vcpu_el2_debug_brps; i++) {
			vcpu_el2_dbgbcr_write(i, h->bcr[i]);
			vcpu_el2_dbgbvr_write(i, h->bvr[i]);
		}
		for (i = 0; i < vcpu_el2_debug_wrps; i++) {
			vcpu_el2_dbgwcr_write(i, h->wcr[i]);
			vcpu_el2_dbgwvr_write(i, h->wvr[i]);
		}
	}
	write_sysreg(h->mdscr, mdscr_el1);
}

/*
 * The register a (sys_reg() encoded) breakpoint or watchpoint access
 * names: its slot in @d, with the mask of its writable bits, or NULL.
 */
static u64 *vcpu_el2_debug_bw(struct vcpu_el2_debug *d, u32 sr, u64 *mask)
{
	unsigned int n = sys_reg_CRm(sr);

	if (sys_reg_Op0(sr) != 2 || sys_reg_Op1(sr) || sys_reg_CRn(sr))
		return NULL;
	switch (sys_reg_Op2(sr)) {
	case 4:
		*mask = EL2_DBGxVR_MASK;
		return n < vcpu_el2_debug_brps ? &d->bvr[n] : NULL;
	case 5:
		*mask = EL2_DBGBCR_MASK;
		return n < vcpu_el2_debug_brps ? &d->bcr[n] : NULL;
	case 6:
		*mask = EL2_DBGxVR_MASK;
		return n < vcpu_el2_debug_wrps ? &d->wvr[n] : NULL;
	case 7:
		*mask = EL2_DBGWCR_MASK;
		return n < vcpu_el2_debug_wrps ? &d->wcr[n] : NULL;
	}
	return NULL;
}

/*
 * A trapped MRS/MSR of a debug register (@esr's ISS, ESR_ELx_EC_SYS64):
 * true when it was emulated (*@value the result of a read), false when
 * it is not a register this file keeps (a SYSREG exit to the VMM).
 */
bool vcpu_el2_debug_sysreg(struct vcpu_el2_vcpu *v, u64 esr, bool read,
			   u64 *value)
{
	struct vcpu_el2_debug *d = &v->debug;
	u32 sr = esr_sys64_to_sysreg(esr);
	u64 val = *value, mask, *p;

	if (sys_reg_Op0(sr) != 2)
		return false;
	p = vcpu_el2_debug_bw(d, sr, &mask);
	if (p) {
		if (read)
			*value = *p;
		else
			*p = val & mask;
		return true;
	}
	switch (sr) {
	case SYS_MDSCR_EL1:
		if (read)
			*value = d->mdscr;
		else
			d->mdscr = val & EL2_MDSCR_GUEST;
		return true;
	case SYS_OSLAR_EL1:
		if (!read)
			d->oslk = val & 1;
		else
			*value = 0;	/* write-only: UNKNOWN */
		return true;
	case SYS_OSLSR_EL1:
		if (read)
			*value = EL2_OSLSR_OSLM |
				 (d->oslk ? EL2_OSLSR_OSLK : 0);
		return true;
	case SYS_OSDLR_EL1:
		if (read)
			*value = d->osdlr;
		else
			d->osdlr = val & 1;
		return true;
	case SYS_DBGCLAIMSET_EL1:
	case SYS_DBGCLAIMCLR_EL1:
		if (read)
			*value = d->claim;
		else if (sr == SYS_DBGCLAIMSET_EL1)
			d->claim |= val & 0xff;
		else
			d->claim &= ~(val & 0xff);
		return true;
	case SYS_MDCCINT_EL1:
		if (read)
			*value = d->mdccint;
		else
			d->mdccint = val & (BIT(29) | BIT(30));
		return true;
	case SYS_DBGAUTHSTATUS_EL1:
		/* Non-secure invasive and non-invasive debug: enabled. */
		if (read)
			*value = 0xf;
		return true;
	case SYS_MDCCSR_EL0:
	case SYS_DBGDTR_EL0:
	case SYS_DBGDTRRX_EL0:	/* = SYS_DBGDTRTX_EL0 */
	case SYS_OSDTRRX_EL1:
	case SYS_OSDTRTX_EL1:
	case SYS_OSECCR_EL1:
	case SYS_MDRAR_EL1:
	case SYS_DBGPRCR_EL1:
		if (read)
			*value = 0;
		return true;
	}
	return false;
}

/* ONE_REG: the guest's view, by the registers' own encodings. */
static u64 *vcpu_el2_debug_one_reg(struct vcpu_el2_debug *d, u64 id,
				   u64 *mask)
{
	u32 sr;

	if ((id & ~0xffffULL) != VCPU_REG_ARCH_ARM64)
		return NULL;
	sr = sys_reg((id >> 14) & 3, (id >> 11) & 7, (id >> 7) & 15,
		     (id >> 3) & 15, id & 7);
	if (sr == SYS_MDSCR_EL1) {
		*mask = EL2_MDSCR_GUEST;
		return &d->mdscr;
	}
	return vcpu_el2_debug_bw(d, sr, mask);
}

#define EL2_ID_OSLSR	VCPU_REG_ARM64_SYSREG(2, 0, 1, 1, 4)

int vcpu_el2_debug_get_reg(struct vcpu_el2_vcpu *v, u64 id, u64 *value)
{
	struct vcpu_el2_debug *d = &v->debug;
	u64 mask, *p;

	if (id == EL2_ID_OSLSR) {
		*value = EL2_OSLSR_OSLM | (d->oslk ? EL2_OSLSR_OSLK : 0);
		return 0;
	}
	p = vcpu_el2_debug_one_reg(d, id, &mask);
	if (!p)
		return -ENOENT;
	*value = *p;
	return 0;
}

int vcpu_el2_debug_set_reg(struct vcpu_el2_vcpu *v, u64 id, u64 value)
{
	struct vcpu_el2_debug *d = &v->debug;
	u64 mask, *p;

	if (id == EL2_ID_OSLSR) {
		if (value & ~(u64)(EL2_OSLSR_OSLM | EL2_OSLSR_OSLK))
			return -EINVAL;
		d->oslk = value & EL2_OSLSR_OSLK;
		return 0;
	}
	p = vcpu_el2_debug_one_reg(d, id, &mask);
	if (!p)
		return -ENOENT;
	if (value & ~mask)
		return -EINVAL;
	*p = value;
	return 0;
}

unsigned int vcpu_el2_debug_reg_list(u64 *ids, unsigned int max)
{
	unsigned int i, n = 0;

#define EL2_DBG_LIST(id)				\
	do {						\
		if (n < max)				\
			ids[n] = (id);			\
		n++;					\
	} while (0)
	EL2_DBG_LIST(VCPU_REG_ARM64_SYSREG(2, 0, 0, 2, 2));	/* MDSCR */
	EL2_DBG_LIST(EL2_ID_OSLSR);
	for (i = 0; i < vcpu_el2_debug_brps; i++) {
		EL2_DBG_LIST(VCPU_REG_ARM64_SYSREG(2, 0, 0, i, 4));
		EL2_DBG_LIST(VCPU_REG_ARM64_SYSREG(2, 0, 0, i, 5));
	}
	for (i = 0; i < vcpu_el2_debug_wrps; i++) {
		EL2_DBG_LIST(VCPU_REG_ARM64_SYSREG(2, 0, 0, i, 6));
		EL2_DBG_LIST(VCPU_REG_ARM64_SYSREG(2, 0, 0, i, 7));
	}
#undef EL2_DBG_LIST
	return n;
}
