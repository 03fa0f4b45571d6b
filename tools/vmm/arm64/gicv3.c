// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 distributor and redistributors (one RD_base + SGI_base frame pair
 * per vCPU), what Linux's irq-gic-v3 driver reads and writes.  One
 * security state (GICD_CTLR.DS reads 1, as a guest sees KVM's vGIC),
 * affinity routing always on, no LPIs/ITS, A64_NR_SPIS SPIs.
 *
 * Delivery: an interrupt that is pending and enabled is handed to its
 * vCPU with VCPU_INJECT_IRQ and stops being pending here: from then on
 * it is the module's (list registers: pending, active, the guest's EOI).
 * The module does not report EOIs, so a level-triggered line is
 * delivered on each rising edge and again when the guest re-pends it
 * (ISPENDR); a device whose line stays high across its handler must drop
 * and raise it (the PL011 model does: writing data clears the transmit
 * condition, which comes back when the byte is sent).  Linux's handlers
 * drain their device until its status reads clear, which lowers the line.
 * Priorities, groups and the enable bit of a group are kept and read back
 * but not applied: the module's list registers deliver group 1 and the
 * guest's PMR/BPR (in ICH_VMCR) mask by priority in hardware.
 */
#include <stdlib.h>
#include <string.h>

#include "arm64.h"

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8

#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_PIDR2		0xffe8
#define GICR_SGI		0x10000	/* SGI_base frame: GICD layout for INTIDs 0-31 */

#define CTLR_DS			(1U << 6)
#define CTLR_ARE		(1U << 4)
#define WAKER_PS		(1U << 1)
#define WAKER_CA		(1U << 2)
#define IIDR_ARM		0x0100043b
#define PIDR2_GICV3		0x30
#define IROUTER_IRM		(1ULL << 31)

/* One bank of 32 interrupts' state: SGIs/PPIs per vCPU, SPIs in the distributor. */
struct gic_bank {
	uint32_t group, enabled, pending, active, grpmod;
	uint32_t cfg[2];
	uint8_t prio[32];
	uint32_t level;			/* device lines (SPIs only) */
};

struct gic_redist {
	struct vmm_device dev;
	struct a64_gic *gic;
	struct vmm_vcpu *vcpu;
	unsigned int idx;
	uint32_t waker;
	struct gic_bank priv;		/* INTIDs 0-31 */
};

struct a64_gic {
	struct vmm_device dist_dev;
	pthread_mutex_t lock;		/* all interrupt state, taken inside device locks */
	struct vmm_vm *vm;
	unsigned int nr_cpus;
	uint32_t ctlr;
	struct gic_bank spi[A64_NR_SPIS / 32];
	uint64_t irouter[A64_NR_SPIS];
	struct gic_redist *rd;
};

static struct vmm_vcpu *spi_target(struct a64_gic *g, unsigned int intid)
{
	uint64_t r = g->irouter[intid - 32];
	unsigned int i;

	if (r & IROUTER_IRM)
		return g->rd[0].vcpu;	/* any participating PE: the first */
	for (i = 0; i < g->nr_cpus; i++)	/* Aff0 = vCPU id (MPIDR) */
		if ((r & 0xff00ffffffULL) == g->rd[i].vcpu->id)
			return g->rd[i].vcpu;
	return NULL;
}

/* Hand every pending, enabled interrupt of @b to @vcpu; lock held. */
static void bank_deliver(struct gic_bank *b, unsigned int base, struct vmm_vcpu *vcpu)
{
	uint32_t ready = b->pending & b->enabled;

	while (ready) {
		unsigned int bit = __builtin_ctz(ready);

		ready &= ready - 1;
		if (vcpu && !vmm_vcpu_inject(vcpu, base + bit))
			b->pending &= ~(1U << bit);
	}
}

static void spi_deliver(struct a64_gic *g, unsigned int bank)
{
	struct gic_bank *b = &g->spi[bank];
	uint32_t ready = b->pending & b->enabled;

	while (ready) {
		unsigned int bit = __builtin_ctz(ready), intid = 32 + bank * 32 + bit;
		struct vmm_vcpu *t = spi_target(g, intid);

		ready &= ready - 1;
		if (t && !vmm_vcpu_inject(t, intid))
			b->pending &= ~(1U << bit);
	}
}

void a64_gic_set_spi(struct vmm_vm *vm, unsigned int intid, int level)
{
	struct a64_gic *g = a64_vm(vm)->gic;
	unsigned int bank, bit;
	struct gic_bank *b;

	if (!g || intid < 32 || intid >= A64_NR_IRQS)
		return;
	bank = (intid - 32) / 32;
	bit = (intid - 32) % 32;
	b = &g->spi[bank];
	pthread_mutex_lock(&g->lock);
	if (level && !(b->level & (1U << bit))) {
		b->pending |= 1U << bit;
		spi_deliver(g, bank);
	}
	if (level)
		b->level |= 1U << bit;
	else
		b->level &= ~(1U << bit);
	pthread_mutex_unlock(&g->lock);
}

/* ICC_SGI1R_EL1 as the module reports it (see the uapi SEND_IPI text). */
void a64_gic_send_sgi(struct vmm_vcpu *src, const struct vcpu_exit_send_ipi *ipi)
{
	struct a64_gic *g = a64_vm(src->vm)->gic;
	unsigned int i, sgi = ipi->vector & 15;

	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	for (i = 0; i < g->nr_cpus; i++) {
		struct gic_redist *rd = &g->rd[i];
		uint64_t mpidr = rd->vcpu->id;	/* Aff0 = id, Aff1.. = 0 */
		bool hit;

		if (ipi->send_to_all)
			hit = rd->vcpu != src;
		else
			hit = (mpidr & ~0xfULL) == (ipi->target_cpu & ~0xfULL) &&
			      (ipi->target_cpu_aux & (1U << (mpidr & 0xf)));
		if (!hit)
			continue;
		rd->priv.pending |= 1U << sgi;
		bank_deliver(&rd->priv, 0, rd->vcpu);
	}
	pthread_mutex_unlock(&g->lock);
}

/* Registers of a bank at @off of a GICD-layout frame (32-bit accesses). */
static bool bank_read(const struct gic_bank *b, uint64_t off, uint32_t *val)
{
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) {
		memcpy(val, &b->prio[off - GICD_IPRIORITYR], 4);
		return true;
	}
	switch (off) {
	case GICD_IGROUPR:
		*val = b->group;
		return true;
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		*val = b->enabled;
		return true;
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		*val = b->pending;
		return true;
	case GICD_ISACTIVER:
	case GICD_ICACTIVER:
		*val = b->active;
		return true;
	case GICD_ICFGR:
		*val = b->cfg[0];
		return true;
	case GICD_ICFGR + 4:
		*val = b->cfg[1];
		return true;
	case GICD_IGRPMODR:
		*val = b->grpmod;
		return true;
	}
	return false;
}

/* A write; true when something may now be deliverable. */
static bool bank_write(struct gic_bank *b, uint64_t off, uint32_t val, bool sgi_ppi)
{
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) {
		memcpy(&b->prio[off - GICD_IPRIORITYR], &val, 4);
		return false;
	}
	switch (off) {
	case GICD_IGROUPR:
		b->group = val;
		break;
	case GICD_ISENABLER:
		b->enabled |= val;
		return true;
	case GICD_ICENABLER:
		b->enabled &= ~val;
		break;
	case GICD_ISPENDR:
		b->pending |= val;
		return true;
	case GICD_ICPENDR:
		b->pending &= ~val;
		break;
	case GICD_ISACTIVER:
		b->active |= val;
		break;
	case GICD_ICACTIVER:
		b->active &= ~val;
		break;
	case GICD_ICFGR:
		if (!sgi_ppi) /* SGIs: fixed edge */
			b->cfg[0] = val & 0xaaaaaaaa;
		break;
	case GICD_ICFGR + 4:
		b->cfg[1] = val & 0xaaaaaaaa;
		break;
	case GICD_IGRPMODR:
		b->grpmod = val;
		break;
	}
	return false;
}

/* Byte-wide priority accesses are the usual ones; others are 32-bit. */
static bool prio_access(uint64_t off, unsigned int width)
{
	return off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400 && width == 1;
}

/*
 * A distributor offset in a per-INTID register array: the register's
 * GICD_* base (for ICFGR, which of the bank's two words) and the bank of
 * 32 INTIDs it covers (0: SGIs and PPIs, the redistributors').
 */
static bool dist_bank_reg(uint64_t off, uint64_t *reg, unsigned int *bank)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {	/* one bit each */
		*reg = off & ~0x7fULL;
		*bank = (off & 0x7f) / 4;
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {	/* two bits each */
		*reg = GICD_ICFGR + (((off - GICD_ICFGR) / 4) & 1) * 4;
		*bank = (off - GICD_ICFGR) / 8;
		return true;
	}
	if (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 0x80) {
		*reg = GICD_IGRPMODR;
		*bank = (off - GICD_IGRPMODR) / 4;
		return true;
	}
	return false;
}

static uint64_t dist_read(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			  uint64_t off, unsigned int width)
{
	struct a64_gic *g = dev->priv;
	unsigned int n, bank;
	uint32_t val = 0;
	uint64_t reg;

	(void)vcpu;
	pthread_mutex_lock(&g->lock);
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * A64_NR_IRQS) {
		uint64_t r = g->irouter[(off - GICD_IROUTER) / 8 - 32];

		pthread_mutex_unlock(&g->lock);
		return width == 8 ? r : (off & 4) ? r >> 32 : (uint32_t)r;
	}
	if (prio_access(off, width)) {
		n = off - GICD_IPRIORITYR;
		val = n >= 32 && n < A64_NR_IRQS ? g->spi[(n - 32) / 32].prio[n % 32] : 0;
		pthread_mutex_unlock(&g->lock);
		return val;
	}
	switch (off) {
	case GICD_CTLR:
		val = g->ctlr | CTLR_DS | CTLR_ARE;	/* RWP: never busy */
		break;
	case GICD_TYPER:
		/* ITLinesNumber, IDbits 10, no LPIs, MBIS or security extension. */
		val = (A64_NR_IRQS / 32 - 1) | (9U << 19);
		break;
	case GICD_IIDR:
		val = IIDR_ARM;
		break;
	case GICD_PIDR2:
		val = PIDR2_GICV3;
		break;
	default:
		if (off >= GICD_IPRIORITYR && off < GICD_ICFGR) {
			/* 32-bit priority access: four INTIDs */
			n = off - GICD_IPRIORITYR;
			if (n >= 32 && n + 4 <= A64_NR_IRQS)
				memcpy(&val, &g->spi[(n - 32) / 32].prio[n % 32], 4);
		} else if (dist_bank_reg(off, &reg, &bank) && bank >= 1 &&
			   bank <= A64_NR_SPIS / 32) {
			bank_read(&g->spi[bank - 1], reg, &val);
		}
		break;
	}
	pthread_mutex_unlock(&g->lock);
	return val;
}

static void dist_write(struct vmm_device *dev, struct vmm_vcpu *vcpu,
		       uint64_t off, unsigned int width, uint64_t val)
{
	struct a64_gic *g = dev->priv;
	unsigned int n, bank;
	uint64_t reg;

	(void)vcpu;
	pthread_mutex_lock(&g->lock);
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * A64_NR_IRQS) {
		uint64_t *r = &g->irouter[(off - GICD_IROUTER) / 8 - 32];

		if (width == 8)
			*r = val;
		else if (off & 4)
			*r = (*r & 0xffffffffULL) | val << 32;
		else
			*r = (*r & ~0xffffffffULL) | (uint32_t)val;
		*r &= IROUTER_IRM | 0xff00ffffffULL;
		goto out;
	}
	if (prio_access(off, width)) {
		n = off - GICD_IPRIORITYR;
		if (n >= 32 && n < A64_NR_IRQS)
			g->spi[(n - 32) / 32].prio[n % 32] = val;
		goto out;
	}
	if (off == GICD_CTLR) {
		g->ctlr = val & 0x3;	/* EnableGrp0, EnableGrp1 */
		goto out;
	}
	if (width != 4)
		goto out;
	if (off >= GICD_IPRIORITYR && off < GICD_ICFGR) {
		n = off - GICD_IPRIORITYR;
		if (n >= 32 && n + 4 <= A64_NR_IRQS)
			memcpy(&g->spi[(n - 32) / 32].prio[n % 32], &val, 4);
	} else if (dist_bank_reg(off, &reg, &bank) && bank >= 1 &&
		   bank <= A64_NR_SPIS / 32) {
		if (bank_write(&g->spi[bank - 1], reg, val, false))
			spi_deliver(g, bank - 1);
	}
out:
	pthread_mutex_unlock(&g->lock);
}

static const struct vmm_device_ops dist_ops = { .read = dist_read, .write = dist_write };

static uint64_t rd_read(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			uint64_t off, unsigned int width)
{
	struct gic_redist *rd = dev->priv;
	struct a64_gic *g = rd->gic;
	uint64_t val = 0;
	uint32_t v32 = 0;

	(void)vcpu;
	pthread_mutex_lock(&g->lock);
	if (off >= GICR_SGI) {
		off -= GICR_SGI;
		if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) {
			memcpy(&val, &rd->priv.prio[off - GICD_IPRIORITYR], width);
		} else if (bank_read(&rd->priv, off, &v32)) {
			val = v32;
		}
		goto out;
	}
	switch (off) {
	case GICR_CTLR:
		val = 0;
		break;
	case GICR_IIDR:
		val = IIDR_ARM;
		break;
	case GICR_TYPER:
	case GICR_TYPER + 4: {
		/* Affinity (MPIDR: Aff0 = vCPU id), processor number, Last. */
		uint64_t t = (uint64_t)rd->vcpu->id << 32 | (uint64_t)rd->idx << 8 |
			     (rd->idx == g->nr_cpus - 1 ? 1U << 4 : 0);

		val = width == 8 ? t : (off & 4) ? t >> 32 : (uint32_t)t;
		break;
	}
	case GICR_WAKER:
		val = rd->waker | ((rd->waker & WAKER_PS) ? WAKER_CA : 0);
		break;
	case GICR_PIDR2:
		val = PIDR2_GICV3;
		break;
	}
out:
	pthread_mutex_unlock(&g->lock);
	return val;
}

static void rd_write(struct vmm_device *dev, struct vmm_vcpu *vcpu,
		     uint64_t off, unsigned int width, uint64_t val)
{
	struct gic_redist *rd = dev->priv;
	struct a64_gic *g = rd->gic;

	(void)vcpu;
	pthread_mutex_lock(&g->lock);
	if (off >= GICR_SGI) {
		off -= GICR_SGI;
		if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) {
			if (off - GICD_IPRIORITYR + width <= 32)
				memcpy(&rd->priv.prio[off - GICD_IPRIORITYR], &val, width);
		} else if (width == 4 && bank_write(&rd->priv, off, val, true)) {
			bank_deliver(&rd->priv, 0, rd->vcpu);
		}
	} else if (off == GICR_WAKER) {
		rd->waker = val & WAKER_PS;
	}
	pthread_mutex_unlock(&g->lock);
}

static const struct vmm_device_ops rd_ops = { .read = rd_read, .write = rd_write };

int a64_gic_create(struct vmm_vm *vm, unsigned int nr_cpus)
{
	struct a64_gic *g = calloc(1, sizeof(*g));
	unsigned int i;

	if (!g)
		return -1;
	g->rd = calloc(nr_cpus, sizeof(*g->rd));
	if (!g->rd) {
		free(g);
		return -1;
	}
	g->vm = vm;
	g->nr_cpus = nr_cpus;
	pthread_mutex_init(&g->lock, NULL);
	vmm_device_init(&g->dist_dev, "gicd", &dist_ops, g);
	if (vmm_bus_add(vm, VMM_SPACE_MMIO, A64_GICD_BASE, A64_GICD_SIZE, &g->dist_dev))
		return -1;
	for (i = 0; i < nr_cpus; i++) {
		struct gic_redist *rd = &g->rd[i];

		rd->gic = g;
		rd->idx = i;
		rd->vcpu = vm->vcpus[i];
		rd->waker = WAKER_PS;		/* asleep until the guest wakes it */
		rd->priv.enabled = 0;
		rd->priv.cfg[0] = 0xaaaaaaaa;	/* SGIs: edge */
		vmm_device_init(&rd->dev, "gicr", &rd_ops, rd);
		if (vmm_bus_add(vm, VMM_SPACE_MMIO, A64_GICR_BASE + i * A64_GICR_STRIDE,
				A64_GICR_STRIDE, &rd->dev))
			return -1;
	}
	a64_vm(vm)->gic = g;
	return 0;
}
