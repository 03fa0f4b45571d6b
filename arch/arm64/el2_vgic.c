// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt injection through the GICv3 virtual CPU interface.
 *
 * With HCR_EL2.IMO/FMO set (vcpu_el2_hcr_guest), the guest's EL1 accesses to
 * the GIC CPU interface registers (ICC_IAR1_EL1, ICC_EOIR1_EL1,
 * ICC_PMR_EL1, ICC_IGRPEN1_EL1, ICC_CTLR_EL1, ICC_BPR1_EL1, ICC_AP1R<n>,
 * ICC_HPPIR1_EL1, ICC_RPR_EL1, ICC_DIR_EL1) reach the virtual interface
 * (ICV_*) without trapping; what they see is the list registers, the
 * virtual machine control register and the active priorities that this
 * file switches at every entry and exit.  ICC_SGI1R_EL1 writes still trap
 * (the architecture traps SGI generation from EL1 whenever IMO or FMO is
 * set) and become SEND_IPI exits (el2_exit.c).  ICC_SRE_EL1 is not
 * virtualised: see vcpu_el2_vgic_load().
 *
 * Every injected interrupt is a virtual group-1 interrupt with no
 * physical counterpart (HW = 0) and one priority, EL2_VGIC_PRIO.
 *
 * List register policy: refilled at every entry.  The queue is
 * vcpu->irq_pending (kick.c), taken highest INTID first.
 *   - An LR the guest has not acknowledged yet (pending only) goes back
 *     to the queue and is taken again: invisible to the guest, and it
 *     keeps the LRs sorted, the highest queued INTID in the lowest free LR.
 *     Among pending interrupts of equal priority the virtual CPU
 *     interface's choice is IMPLEMENTATION DEFINED; QEMU takes the
 *     lowest-numbered LR, so there the guest receives queued interrupts
 *     highest INTID first (what vcpu_arm64_irq_test checks).  Hardware
 *     may pick another order: nothing else depends on it.
 *   - An LR that is active (acknowledged, not yet deactivated) stays
 *     where it is.  Injecting its INTID again makes it active and pending
 *     (delivered again after the EOI); injecting an INTID that is already
 *     pending merges with it, as for an edge-triggered line.  An INTID is
 *     never in two LRs (UNPREDICTABLE for the GIC).
 *   - More queued interrupts than free LRs: the rest stay queued and
 *     ICH_HCR_EL2.UIE asks for a maintenance interrupt once at most one
 *     LR is still valid.  That interrupt is a host PPI: it exits the guest
 *     (HCR_EL2.IMO) and the next entry refills.  UIE, not NPIE: the
 *     underflow condition cannot hold at an entry that overflowed (every
 *     LR is valid then, and we require at least two LRs), whereas NPIE
 *     would fire at once when every LR is active (a guest that
 *     acknowledged them all but has not deactivated any yet) and the
 *     guest would never run.  The PPI must be enabled in the host GIC:
 *     KVM, when it initialised, owns and enables it; otherwise this file
 *     requests it from the device tree.  Without it (ACPI host, no
 *     "interrupts" property) the remaining interrupts wait for the
 *     guest's next exit (at the latest the host's tick).
 *
 * Outside a guest run, on every CPU this module enabled: ICH_HCR_EL2 is 0
 * and every LR is 0.  KVM relies on the same (its world switch writes only
 * the LRs it uses, and expects ICH_HCR_EL2.En clear, with no maintenance
 * condition, while it runs a vCPU that uses none), so vcpu_el2_vgic_save()
 * clears what the entry loaded.  ICH_VMCR_EL2 and the active priority
 * registers are left with the guest's values: KVM loads its own in
 * vcpu_load(), and a KVM vCPU is never loaded while this module runs a
 * guest (its thread was scheduled out, or we run in that very thread
 * outside KVM_RUN).
 */
#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>
#include <asm/barrier.h>
#include <asm/sysreg.h>

#include "el2.h"
#include "vgic_regs.h"

/* The one priority of injected interrupts (5 priority bits suffice). */
#define EL2_VGIC_PRIO		0xa0

/* ICH_VTR_EL2 fields the kernel's headers do not name. */
#define EL2_ICH_VTR_LISTREGS	GENMASK_ULL(4, 0)
#define EL2_ICH_VTR_PREBITS	GENMASK_ULL(28, 26)

/* What the guest sees in ICC_SRE_EL1: the system register interface. */
#define EL2_VGIC_GUEST_SRE	(ICC_SRE_EL1_SRE | ICC_SRE_EL1_DFB | \
				 ICC_SRE_EL1_DIB)

unsigned int vcpu_el2_vgic_nr_lr;
static unsigned int vcpu_el2_vgic_nr_apr;
static u32 vcpu_el2_vgic_vmcr_reset;
static unsigned int vcpu_el2_vgic_maint_irq; /* Linux IRQ we requested, or 0 */
static DEFINE_PER_CPU(u8, vcpu_el2_vgic_maint_dev);

/*
 * The list and active priority registers have one encoding each: the
 * accessors need compile-time constants, hence the switches.
 */
static u64 vcpu_el2_lr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return read_sysreg_s(SYS_ICH_LR0_EL2);
	case 1:
		return read_sysreg_s(SYS_ICH_LR1_EL2);
	case 2:
		return read_sysreg_s(SYS_ICH_LR2_EL2);
	case 3:
		return read_sysreg_s(SYS_ICH_LR3_EL2);
	case 4:
		return read_sysreg_s(SYS_ICH_LR4_EL2);
	case 5:
		return read_sysreg_s(SYS_ICH_LR5_EL2);
	case 6:
		return read_sysreg_s(SYS_ICH_LR6_EL2);
	case 7:
		return read_sysreg_s(SYS_ICH_LR7_EL2);
	case 8:
		return read_sysreg_s(SYS_ICH_LR8_EL2);
	case 9:
		return read_sysreg_s(SYS_ICH_LR9_EL2);
	case 10:
		return read_sysreg_s(SYS_ICH_LR10_EL2);
	case 11:
		return read_sysreg_s(SYS_ICH_LR11_EL2);
	case 12:
		return read_sysreg_s(SYS_ICH_LR12_EL2);
	case 13:
		return read_sysreg_s(SYS_ICH_LR13_EL2);
	case 14:
		return read_sysreg_s(SYS_ICH_LR14_EL2);
	case 15:
		return read_sysreg_s(SYS_ICH_LR15_EL2);
	}
	return 0;
}

static void vcpu_el2_lr_write(unsigned int n, u64 v)
{
	switch (n) {
	case 0:
		write_sysreg_s(v, SYS_ICH_LR0_EL2);
		break;
	case 1:
		write_sysreg_s(v, SYS_ICH_LR1_EL2);
		break;
	case 2:
		write_sysreg_s(v, SYS_ICH_LR2_EL2);
		break;
	case 3:
		write_sysreg_s(v, SYS_ICH_LR3_EL2);
		break;
	case 4:
		write_sysreg_s(v, SYS_ICH_LR4_EL2);
		break;
	case 5:
		write_sysreg_s(v, SYS_ICH_LR5_EL2);
		break;
	case 6:
		write_sysreg_s(v, SYS_ICH_LR6_EL2);
		break;
	case 7:
		write_sysreg_s(v, SYS_ICH_LR7_EL2);
		break;
	case 8:
		write_sysreg_s(v, SYS_ICH_LR8_EL2);
		break;
	case 9:
		write_sysreg_s(v, SYS_ICH_LR9_EL2);
		break;
	case 10:
		write_sysreg_s(v, SYS_ICH_LR10_EL2);
		break;
	case 11:
		write_sysreg_s(v, SYS_ICH_LR11_EL2);
		break;
	case 12:
		write_sysreg_s(v, SYS_ICH_LR12_EL2);
		break;
	case 13:
		write_sysreg_s(v, SYS_ICH_LR13_EL2);
		break;
	case 14:
		write_sysreg_s(v, SYS_ICH_LR14_EL2);
		break;
	case 15:
		write_sysreg_s(v, SYS_ICH_LR15_EL2);
		break;
	}
}

/* ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2, n < vcpu_el2_vgic_nr_apr. */
static void vcpu_el2_apr_save(struct vcpu_el2_vgic *g)
{
	switch (vcpu_el2_vgic_nr_apr) {
	case 4:
		g->ap0r[3] = read_sysreg_s(SYS_ICH_AP0R3_EL2);
		g->ap1r[3] = read_sysreg_s(SYS_ICH_AP1R3_EL2);
		g->ap0r[2] = read_sysreg_s(SYS_ICH_AP0R2_EL2);
		g->ap1r[2] = read_sysreg_s(SYS_ICH_AP1R2_EL2);
		fallthrough;
	case 2:
		g->ap0r[1] = read_sysreg_s(SYS_ICH_AP0R1_EL2);
		g->ap1r[1] = read_sysreg_s(SYS_ICH_AP1R1_EL2);
		fallthrough;
	default:
		g->ap0r[0] = read_sysreg_s(SYS_ICH_AP0R0_EL2);
		g->ap1r[0] = read_sysreg_s(SYS_ICH_AP1R0_EL2);
	}
}

static void vcpu_el2_apr_load(const struct vcpu_el2_vgic *g)
{
	switch (vcpu_el2_vgic_nr_apr) {
	case 4:
		write_sysreg_s(g->ap0r[3], SYS_ICH_AP0R3_EL2);
		write_sysreg_s(g->ap1r[3], SYS_ICH_AP1R3_EL2);
		write_sysreg_s(g->ap0r[2], SYS_ICH_AP0R2_EL2);
		write_sysreg_s(g->ap1r[2], SYS_ICH_AP1R2_EL2);
		fallthrough;
	case 2:
		write_sysreg_s(g->ap0r[1], SYS_ICH_AP0R1_EL2);
		write_sysreg_s(g->ap1r[1], SYS_ICH_AP1R1_EL2);
		fallthrough;
	default:
		write_sysreg_s(g->ap0r[0], SYS_ICH_AP0R0_EL2);
		write_sysreg_s(g->ap1r[0], SYS_ICH_AP1R0_EL2);
	}
}

static bool vcpu_el2_lr_valid(u64 lr)
{
	return lr & ICH_LR_STATE;
}

static u32 vcpu_el2_lr_intid(u64 lr)
{
	return lr & ICH_LR_VIRTUAL_ID_MASK;
}

/* A pending, virtual (HW = 0) group-1 interrupt at EL2_VGIC_PRIO. */
u64 vcpu_el2_lr_make(u32 intid)
{
	return intid | ICH_LR_GROUP | ICH_LR_PENDING_BIT |
	       FIELD_PREP(ICH_LR_PRIORITY_MASK, EL2_VGIC_PRIO);
}

/*
 * Only the PPI that signals the maintenance interrupt; its level follows
 * ICH_MISR_EL2, which vcpu_el2_vgic_save() clears with ICH_HCR_EL2 before
 * interrupts are unmasked, so by the time this runs there is usually
 * nothing left (the GIC then hands out a spurious INTID and this does
 * not even run).  The exit it caused was the point.
 */
static irqreturn_t vcpu_el2_vgic_maint(int irq, void *dev)
{
	return IRQ_HANDLED;
}

/*
 * The maintenance interrupt's Linux IRQ: the first "interrupts" entry of
 * the GICv3 node (the binding's "VGIC maintenance interrupt").  KVM, when
 * it initialised, requested and enabled it already: its handler does
 * nothing either, which is all an exit needs.
 */
static void vcpu_el2_vgic_maint_setup(void)
{
	struct device_node *np;
	unsigned int irq;
	int ret;

	if (vcpu_el2_kvm_present)
		return;
	np = of_find_compatible_node(NULL, NULL, "arm,gic-v3");
	if (!np) {
		pr_info("no GICv3 device tree node: injected interrupts beyond the %u list registers wait for the guest's next exit\n",
			vcpu_el2_vgic_nr_lr);
		return;
	}
	irq = irq_of_parse_and_map(np, 0);
	of_node_put(np);
	if (!irq) {
		pr_info("no GICv3 maintenance interrupt in the device tree: injected interrupts beyond the %u list registers wait for the guest's next exit\n",
			vcpu_el2_vgic_nr_lr);
		return;
	}
	ret = request_percpu_irq(irq, vcpu_el2_vgic_maint, "vcpu-vgic",
				 &vcpu_el2_vgic_maint_dev);
	if (ret) {
		pr_info("cannot request the GICv3 maintenance interrupt (%d): injected interrupts beyond the %u list registers wait for the guest's next exit\n",
			ret, vcpu_el2_vgic_nr_lr);
		return;
	}
	vcpu_el2_vgic_maint_irq = irq;
}

int vcpu_el2_vgic_init(void)
{
	u64 vtr = read_sysreg_s(SYS_ICH_VTR_EL2);
	unsigned int pre, bpr0;

	vcpu_el2_vgic_nr_lr = min_t(unsigned int,
				    FIELD_GET(EL2_ICH_VTR_LISTREGS, vtr) + 1,
				    EL2_VGIC_MAX_LR);
	/* 5, 6 or 7 preemption bits: 1, 2 or 4 active priority registers. */
	pre = clamp_t(unsigned int, FIELD_GET(EL2_ICH_VTR_PREBITS, vtr) + 1,
		      5, 7);
	vcpu_el2_vgic_nr_apr = 1U << (pre - 5);

	/*
	 * The guest's virtual CPU interface starts as if its boot code had
	 * set it up: VPMR 0xff (every priority unmasked; unimplemented low
	 * bits read as zero) and group 1 enabled (VENG1), so a guest that
	 * never touches ICC_PMR_EL1 / ICC_IGRPEN1_EL1 still receives what
	 * is injected; one that writes them changes these very fields.
	 * Group 0 is off (nothing injects it).  The binary points are the
	 * smallest the preemption bits allow, their reset values; EOImode 0
	 * (ICC_EOIR1_EL1 drops the priority and deactivates).  VFIQEn is
	 * RES1 with the system register interface.
	 */
	bpr0 = 7 - pre;
	vcpu_el2_vgic_vmcr_reset = FIELD_PREP(ICH_VMCR_PMR_MASK, 0xff) |
				   FIELD_PREP(ICH_VMCR_BPR0_MASK, bpr0) |
				   FIELD_PREP(ICH_VMCR_BPR1_MASK, bpr0 + 1) |
				   ICH_VMCR_FIQ_EN_MASK | ICH_VMCR_ENG1_MASK;

	vcpu_el2_vgic_maint_setup();
	pr_info("GICv3 virtual CPU interface: %u list registers, %u preemption bits%s\n",
		vcpu_el2_vgic_nr_lr, pre,
		vcpu_el2_vgic_maint_irq ? ", maintenance interrupt requested" :
		vcpu_el2_kvm_present	? ", KVM's maintenance interrupt" :
					  "");
	return 0;
}

void vcpu_el2_vgic_exit(void)
{
	if (vcpu_el2_vgic_maint_irq)
		free_percpu_irq(vcpu_el2_vgic_maint_irq,
				&vcpu_el2_vgic_maint_dev);
	vcpu_el2_vgic_maint_irq = 0;
}

/*
 * On this CPU, interrupts disabled.  The list registers reset to UNKNOWN
 * values and nothing cleared them unless KVM initialised (it clears them
 * at its own init, and its world switch keeps them clear): establish the
 * "all zero outside a run" rule here.  Not with KVM present: this runs
 * from an IPI that may interrupt a thread with a KVM vCPU loaded, whose
 * ICH_HCR_EL2 (trap configurations) must stay as KVM set it.
 */
void vcpu_el2_vgic_cpu_enable(void)
{
	unsigned int i;

	if (!vcpu_el2_kvm_present) {
		write_sysreg_s(0, SYS_ICH_HCR_EL2);
		for (i = 0; i < vcpu_el2_vgic_nr_lr; i++)
			vcpu_el2_lr_write(i, 0);
		isb();
	}
	if (vcpu_el2_vgic_maint_irq)
		enable_percpu_irq(vcpu_el2_vgic_maint_irq, IRQ_TYPE_NONE);
}

void vcpu_el2_vgic_cpu_disable(void)
{
	if (vcpu_el2_vgic_maint_irq)
		disable_percpu_irq(vcpu_el2_vgic_maint_irq);
}

/* SETUP: a GIC CPU interface just out of reset, nothing in flight. */
void vcpu_el2_vgic_reset(struct vcpu_el2_vgic *g)
{
	memset(g, 0, sizeof(*g));
	g->vmcr = vcpu_el2_vgic_vmcr_reset;
}

/*
 * Build the LRs of the next entry from the saved ones and the queue (see
 * the policy at the top).  Called on the bound CPU with interrupts masked,
 * after vcpu_guest_enter(): whatever was queued before that is injected
 * by this entry, anything later exits the guest through the kick IPI.
 */
void vcpu_el2_vgic_flush(struct vcpu *vcpu)
{
	struct vcpu_el2_vgic *g = &to_el2(vcpu)->vgic;
	unsigned int i, n = vcpu_el2_vgic_nr_lr, used = 0;
	bool overflow = false;
	int irq;

	/* lr[used..n) are zero (invalid) by construction. */
	for (i = 0; i < g->used; i++) {
		if ((g->lr[i] & ICH_LR_STATE) == ICH_LR_PENDING_BIT) {
			vcpu_irq_requeue(vcpu, vcpu_el2_lr_intid(g->lr[i]));
			g->lr[i] = 0;
		}
	}

	while ((irq = vcpu_irq_take(vcpu)) >= 0) {
		/* Already in an LR (active, or active and pending)? */
		for (i = 0; i < n; i++)
			if (vcpu_el2_lr_valid(g->lr[i]) &&
			    vcpu_el2_lr_intid(g->lr[i]) == irq)
				break;
		if (i < n) {
			g->lr[i] |= ICH_LR_PENDING_BIT;
			continue;
		}
		for (i = 0; i < n; i++)
			if (!vcpu_el2_lr_valid(g->lr[i]))
				break;
		if (i == n) {
			vcpu_irq_requeue(vcpu, irq);
			overflow = true;
			break;
		}
		g->lr[i] = vcpu_el2_lr_make(irq);
	}

	for (i = 0; i < n; i++)
		if (vcpu_el2_lr_valid(g->lr[i]))
			used = i + 1;
	g->used = used;
	g->hcr = ICH_HCR_EN;
	if (overflow && n > 1)
		g->hcr |= ICH_HCR_UIE;
}

/*
 * Load the guest's virtual CPU interface; in vcpu_el2_load(), before its ISB.
 * These writes reach the virtual interface only after a context
 * synchronization event: that ISB (the ERET into the guest is one as well,
 * but only with SCTLR_EL2.EOS set when FEAT_ExS is implemented, so the
 * ISB is what we rely on).  Their order among themselves does not matter:
 * nothing at EL1 runs until then.
 *
 * ICC_SRE_EL1 is a real EL1 register, not part of the virtual interface:
 * the guest must find SRE set (system registers), and on the rare GIC
 * that supports the legacy memory-mapped interface it could clear it.
 * Linux's resting value (and KVM's, which relies on it) is SRE set, so
 * this reads it at entry, sets it if needed, and vcpu_el2_vgic_save() puts the
 * host's value back if the guest changed it.
 */
void vcpu_el2_vgic_load(struct vcpu_el2_vgic *g)
{
	unsigned int i;

	g->host_sre = read_sysreg_s(SYS_ICC_SRE_EL1);
	if (g->host_sre != EL2_VGIC_GUEST_SRE)
		write_sysreg_s(EL2_VGIC_GUEST_SRE, SYS_ICC_SRE_EL1);
	vcpu_el2_apr_load(g);
	write_sysreg_s(g->vmcr, SYS_ICH_VMCR_EL2);
	for (i = 0; i < g->used; i++)
		vcpu_el2_lr_write(i, g->lr[i]);
	write_sysreg_s(g->hcr, SYS_ICH_HCR_EL2);
}

/*
 * After the exit, interrupts masked, after vcpu_el2_save() (its ISB orders
 * these reads after the guest's last ICV_* accesses, besides the exception
 * entry itself) and after the host interrupt's INTID was read: a
 * maintenance interrupt is still asserted then and is reported as the exit
 * vector.
 *
 * ICH_HCR_EL2 is cleared here, not left for the next entry: En set with
 * UIE (or an LR the guest deactivated) keeps the maintenance interrupt
 * asserted in the host, and KVM enters a vCPU that uses no LR without
 * writing ICH_HCR_EL2 at all, expecting it clear.  The LRs we loaded are
 * zeroed for the same reason.  The ISB makes both take effect before the
 * host unmasks interrupts; a maintenance interrupt the GIC had already
 * latched is then taken once, harmlessly, or read as spurious.
 */
void vcpu_el2_vgic_save(struct vcpu_el2_vgic *g)
{
	unsigned int i;
	u64 lr, sre;

	for (i = 0; i < g->used; i++) {
		lr = vcpu_el2_lr_read(i);
		g->lr[i] = vcpu_el2_lr_valid(lr) &&
			   vcpu_el2_timer_lr_keep(lr) ? lr : 0;
		vcpu_el2_lr_write(i, 0);
	}
	g->vmcr = read_sysreg_s(SYS_ICH_VMCR_EL2);
	vcpu_el2_apr_save(g);
	write_sysreg_s(0, SYS_ICH_HCR_EL2);
	sre = read_sysreg_s(SYS_ICC_SRE_EL1);
	if (sre != g->host_sre)
		write_sysreg_s(g->host_sre, SYS_ICC_SRE_EL1);
	isb();
}

/*
 * An injected interrupt sits pending in an LR and would be signalled to
 * the guest: group 1 enabled and its priority above the priority mask
 * (ICH_VMCR_EL2, as the last exit left it).  A WFI then completes at once
 * in hardware, so the vCPU must not block on it.  PSTATE.I does not count
 * (a masked interrupt still ends a WFI).  The running priority is
 * ignored on purpose: erring this way costs a guest that waits inside its
 * handler a WFI exit per wake-up check instead of sleeping, the other way
 * would put a vCPU to sleep with an interrupt the hardware would deliver.
 * Called by the runner between runs, when @g is the saved state.
 */
bool vcpu_el2_vgic_irq_held(struct vcpu *vcpu)
{
	const struct vcpu_el2_vgic *g = &to_el2(vcpu)->vgic;
	u32 pmr = FIELD_GET(ICH_VMCR_PMR_MASK, g->vmcr);
	unsigned int i;

	if (vcpu_el2_inject_held(to_el2(vcpu)))
		return true;
	if (!(g->vmcr & ICH_VMCR_ENG1_MASK))
		return false;
	if (pmr > EL2_VGIC_PRIO && vcpu_el2_timer_line(vcpu))
		return true;
	for (i = 0; i < g->used; i++)
		if ((g->lr[i] & ICH_LR_PENDING_BIT) &&
		    FIELD_GET(ICH_LR_PRIORITY_MASK, g->lr[i]) < pmr)
			return true;
	return false;
}

/*
 * ONE_REG: the saved virtual CPU interface (include/uapi/linux/vcpu.h,
 * VCPU_REG_ARM64_ICH_*), read and written between runs.  g->lr[] and
 * g->used stay what vcpu_el2_vgic_flush() expects: an invalid LR is 0, and
 * lr[used..) are all invalid.  The values go to the hardware unchanged at
 * the next entry, hence the checks of vgic_regs.c.
 *
 * Which register @id names on this CPU: list register *lr (*reg NULL), or
 * the 32-bit *reg; -ENOENT for none.
 */
static int vcpu_el2_vgic_lookup(struct vcpu_el2_vgic *g, u64 id,
				unsigned int *lr, u32 **reg)
{
	unsigned int n;

	*reg = NULL;
	if (id == VCPU_REG_ARM64_ICH_VMCR) {
		*reg = &g->vmcr;
		return 0;
	}
	for (n = 0; n < vcpu_el2_vgic_nr_apr; n++) {
		if (id == VCPU_REG_ARM64_ICH_AP0R(n))
			*reg = &g->ap0r[n];
		else if (id == VCPU_REG_ARM64_ICH_AP1R(n))
			*reg = &g->ap1r[n];
		if (*reg)
			return 0;
	}
	for (n = 0; n < vcpu_el2_vgic_nr_lr; n++) {
		if (id == VCPU_REG_ARM64_ICH_LR(n)) {
			*lr = n;
			return 0;
		}
	}
	return -ENOENT;
}

int vcpu_el2_vgic_get_reg(struct vcpu *vcpu, u64 id, u64 *value)
{
	struct vcpu_el2_vgic *g = &to_el2(vcpu)->vgic;
	unsigned int lr;
	u32 *reg;
	int ret;

	ret = vcpu_el2_vgic_lookup(g, id, &lr, &reg);
	if (ret)
		return ret;
	*value = reg ? *reg : g->lr[lr] & ~ICH_LR_EOI; /* el2_timer.c's */
	return 0;
}

int vcpu_el2_vgic_set_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	struct vcpu_el2_vgic *g = &to_el2(vcpu)->vgic;
	unsigned int lr, i;
	u32 *reg;
	s64 vmcr;
	int ret;

	ret = vcpu_el2_vgic_lookup(g, id, &lr, &reg);
	if (ret)
		return ret;
	if (!reg) {
		ret = vcpu_el2_vgic_lr_check(g->lr, vcpu_el2_vgic_nr_lr, lr,
					     value);
		if (ret)
			return ret;
		g->lr[lr] = vcpu_el2_lr_valid(value) ? value : 0;
		g->used = 0;
		for (i = 0; i < vcpu_el2_vgic_nr_lr; i++)
			if (vcpu_el2_lr_valid(g->lr[i]))
				g->used = i + 1;
		return 0;
	}
	if (value >> 32)
		return -EINVAL;
	if (reg == &g->vmcr) {
		vmcr = vcpu_el2_vgic_vmcr_check(value);
		if (vmcr < 0)
			return vmcr;
		value = vmcr;
	}
	*reg = value;
	return 0;
}

static void vcpu_el2_vgic_list_add(u64 *ids, unsigned int max,
				   unsigned int *n, u64 id)
{
	if (*n < max)
		ids[*n] = id;
	(*n)++;
}

/* The ids of this CPU's virtual CPU interface: at most @max into @ids. */
unsigned int vcpu_el2_vgic_reg_list(u64 *ids, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < vcpu_el2_vgic_nr_lr; i++)
		vcpu_el2_vgic_list_add(ids, max, &n, VCPU_REG_ARM64_ICH_LR(i));
	vcpu_el2_vgic_list_add(ids, max, &n, VCPU_REG_ARM64_ICH_VMCR);
	for (i = 0; i < vcpu_el2_vgic_nr_apr; i++)
		vcpu_el2_vgic_list_add(ids, max, &n,
				       VCPU_REG_ARM64_ICH_AP0R(i));
	for (i = 0; i < vcpu_el2_vgic_nr_apr; i++)
		vcpu_el2_vgic_list_add(ids, max, &n,
				       VCPU_REG_ARM64_ICH_AP1R(i));
	return n;
}
