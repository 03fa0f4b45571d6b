// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's EL1 virtual timer.
 *
 * A VHE host runs Linux's arch_timer on the EL2 physical timer (CNTHP_*,
 * reached through the CNTP_*_EL0 encodings under E2H, INTID 26) and reads
 * the physical counter; the EL2 virtual timer (CNTHV_*, the CNTV_*_EL0
 * encodings under E2H) is unused, and so is the EL1 virtual timer, which
 * only the *_EL02 encodings reach from EL2.  That one is the guest's: its
 * CNTV_CTL_EL0 and CNTV_CVAL_EL0 are loaded at every entry and saved at
 * every exit, with CNTVOFF_EL2 = the VM's offset while the guest runs
 * (the guest's CNTVCT_EL0 = physical count - offset) and the host's back
 * at the exit.  At the exit the timer is also disabled in hardware: its
 * comparison would otherwise go on against the host's offset, and a
 * firing timer would keep its PPI asserted at the host outside the guest.
 *
 * The EL1 physical timer is trapped, not switched: CNTHCTL_EL2.EL1PTEN is
 * clear while the guest runs, so its CNTP_CTL/CVAL/TVAL_EL0 accesses are
 * SYSREG exits to the VMM (a guest OS at EL1 uses the virtual timer; a
 * VMM that wants to offer the physical one emulates it there).  The
 * physical counter stays readable (EL1PCTEN set).  The host's CNTHCTL_EL2
 * is back at the exit.
 *
 * Delivery: the timer's output is a level-sensitive PPI, INTID 27.  At
 * every entry, interrupts masked, right after vcpu_el2_vgic_flush(), the
 * line (ENABLE && !IMASK && guest counter >= CVAL) is sampled from the
 * saved state; high and no list register holding INTID 27 -> a pending,
 * virtual (HW = 0) LR with ICH_LR_EOI, so that the guest's deactivation
 * raises a maintenance interrupt, which exits the guest, and the next
 * entry samples again.  A timer LR still only pending at the exit is
 * dropped (vcpu_el2_timer_lr_keep()), never queued as an edge: the next
 * entry samples the line instead.
 *
 * Masked at the host as KVM does: while an LR holds INTID 27, the physical
 * PPI is kept active in the host's GIC (irq_set_irqchip_state()), so the
 * guest's still-firing timer does not exit the guest again and again
 * while the guest handles the virtual one.  When no LR holds it, the
 * physical PPI is inactive and enabled: a timer expiring while the guest
 * runs exits the guest (HCR_EL2.IMO), the host's handler (which only
 * returns) runs after the exit, by when the timer is disabled in hardware
 * and the line low, and the next entry samples the line high.  QEMU TCG
 * shows that this delivers; what it cannot show is the timing of a real
 * GIC: a PPI latched just before the exit disabled the timer is taken
 * once by the host (or read as spurious), harmlessly.
 *
 * The Linux IRQ of that PPI is the "arm,armv8-timer" node's virtual timer
 * entry.  Without KVM this file requests it per CPU and enables it on
 * every CPU this module enabled.  With KVM initialised, KVM owns it (it
 * requested and enables it, and marks it forwarded to a vCPU, so that the
 * host's EOI does not deactivate it): the IRQ is only looked up here for
 * its active state, which is written again at the first entry after this
 * vCPU's task was scheduled in (KVM sets it at each of its own
 * vcpu_load(), which only a task that scheduled ours out can run).  Without a device tree entry (ACPI)
 * the guest's timer is sampled only at its other exits.
 *
 * A vCPU blocked in WFI (vcpu_el2_timer_block()) with its timer armed and
 * unmasked has an hrtimer at the deadline that wakes the runner; the
 * saved line being high is an interrupt the WFI wakes on
 * (vcpu_el2_vgic_irq_held()).
 */
#include <linux/bitfield.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>
#include <clocksource/arm_arch_timer.h>
#include <asm/arch_timer.h>
#include <asm/sysreg.h>

#include "el2.h"

#define EL2_TIMER_INTID		27	/* the EL1 virtual timer's PPI */

/* CNTV_CTL_EL0: what SET_ONE_REG accepts (ISTATUS is ignored). */
#define EL2_TIMER_CTL_RW	(ARCH_TIMER_CTRL_ENABLE | ARCH_TIMER_CTRL_IT_MASK)
#define EL2_TIMER_CTL_ALL	(EL2_TIMER_CTL_RW | ARCH_TIMER_CTRL_IT_STAT)

/* CNTHCTL_EL2 under E2H: the EL1 controls sit 10 bits up. */
#define EL2_CNTHCTL_EL1PCTEN	(CNTHCTL_EL1PCTEN << 10)
#define EL2_CNTHCTL_EL1PTEN	(CNTHCTL_EL1PCEN << 10)

#define EL2_ID_CNTVOFF		VCPU_REG_ARM64_CNTVOFF
#define EL2_ID_CNTV_CTL		VCPU_REG_ARM64_CNTV_CTL
#define EL2_ID_CNTV_CVAL	VCPU_REG_ARM64_CNTV_CVAL
#define EL2_ID_CNTVCT		VCPU_REG_ARM64_CNTVCT

static unsigned int vcpu_el2_timer_irq;	/* Linux IRQ of INTID 27, or 0 */
static bool vcpu_el2_timer_requested;	/* ... and we requested it */
static u32 vcpu_el2_timer_freq;		/* CNTFRQ_EL0, Hz */
static DEFINE_PER_CPU(u8, vcpu_el2_timer_dev);
/* This CPU's INTID 27 is active in the GIC because an LR holds it. */
/*
 * This CPU's INTID 27 active state as this file last wrote it, or
 * EL2_TIMER_PPI_UNKNOWN: KVM (when initialised) writes it too, but only
 * from its own vCPU's load, in a task that scheduled this one out first,
 * so the cache is reset whenever this vCPU's task is scheduled in
 * (vcpu_el2_timer_vcpu_load()) and one write per loaded window suffices
 * instead of one per entry.
 */
enum {
	EL2_TIMER_PPI_INACTIVE,
	EL2_TIMER_PPI_ACTIVE,
	EL2_TIMER_PPI_UNKNOWN,
};
static DEFINE_PER_CPU(u8, vcpu_el2_timer_active);

/*
 * The VM's CNTVOFF_EL2.  The arm64 backend keeps nothing else per VM, so
 * vm->arch, a pointer-sized slot nobody else uses on arm64 (zeroed at
 * creation: offset 0), holds the value itself; an allocation would need a
 * VM-destroy hook for nothing.  Written by SET_ONE_REG on any vCPU of the
 * VM, read at every entry of each: a vCPU running meanwhile takes the new
 * offset at its next entry.
 */
static_assert(sizeof(((struct vcpu_vm *)0)->arch) == sizeof(u64));

static u64 *vcpu_el2_timer_vm_off(struct vcpu_vm *vm)
{
	return (u64 *)&vm->arch;
}

/*
 * The physical count.  A VHE host's arch_timer reads the same register;
 * an erratum workaround it applies to unstable counters is not repeated
 * here (an error of a few ticks only moves a sample to the next entry).
 */
static u64 vcpu_el2_timer_pcount(void)
{
	return __arch_counter_get_cntpct();
}

static bool vcpu_el2_timer_armed(u64 ctl)
{
	return (ctl & EL2_TIMER_CTL_RW) == ARCH_TIMER_CTRL_ENABLE;
}

/* The level of the guest's timer output now, from the saved state. */
static bool vcpu_el2_timer_level(const struct vcpu_el2_timer *t, u64 off)
{
	return vcpu_el2_timer_armed(t->ctl) &&
	       vcpu_el2_timer_pcount() - off >= t->cval;
}

bool vcpu_el2_timer_line(struct vcpu *vcpu)
{
	return vcpu_el2_timer_level(&to_el2(vcpu)->timer,
				    READ_ONCE(*vcpu_el2_timer_vm_off(vcpu->vm)));
}

/* Nanoseconds until the armed timer fires, rounded up; 0 if due or not armed. */
static u64 vcpu_el2_timer_ns_left(struct vcpu *vcpu)
{
	const struct vcpu_el2_timer *t = &to_el2(vcpu)->timer;
	u64 now, ticks, sec;

	if (!vcpu_el2_timer_armed(t->ctl) || !vcpu_el2_timer_freq)
		return 0;
	now = vcpu_el2_timer_pcount() -
	      READ_ONCE(*vcpu_el2_timer_vm_off(vcpu->vm));
	if (now >= t->cval)
		return 0;
	ticks = t->cval - now;
	/* Capped at 2^32 s: a deadline that far is never reached anyway. */
	sec = min_t(u64, ticks / vcpu_el2_timer_freq, U32_MAX);
	return sec * NSEC_PER_SEC +
	       DIV_ROUND_UP((ticks % vcpu_el2_timer_freq) * NSEC_PER_SEC,
			    vcpu_el2_timer_freq);
}

/*
 * The deadline of a blocked vCPU.  The hrtimer's clock and the counter
 * may disagree by a rounding or an NTP slew: early, it waits the rest.
 */
static enum hrtimer_restart vcpu_el2_timer_wake(struct hrtimer *h)
{
	struct vcpu_el2_timer *t = container_of(h, struct vcpu_el2_timer, wake);
	u64 ns = vcpu_el2_timer_ns_left(t->vcpu);

	if (ns) {
		hrtimer_forward_now(h, ns_to_ktime(ns));
		return HRTIMER_RESTART;
	}
	wake_up_interruptible(&t->vcpu->wq);
	return HRTIMER_NORESTART;
}

/* The backend's vcpu_block: around the runner's sleep in a halt. */
void vcpu_el2_timer_block(struct vcpu *vcpu, bool blocked)
{
	struct vcpu_el2_timer *t = &to_el2(vcpu)->timer;
	u64 ns;

	if (!blocked) {
		hrtimer_cancel(&t->wake);
		return;
	}
	ns = vcpu_el2_timer_ns_left(vcpu);
	if (ns)
		hrtimer_start(&t->wake, ns_to_ktime(ns), HRTIMER_MODE_REL);
}

void vcpu_el2_timer_create(struct vcpu *vcpu)
{
	struct vcpu_el2_timer *t = &to_el2(vcpu)->timer;

	t->vcpu = vcpu;
	hrtimer_init(&t->wake, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->wake.function = vcpu_el2_timer_wake;
}

void vcpu_el2_timer_destroy(struct vcpu *vcpu)
{
	hrtimer_cancel(&to_el2(vcpu)->timer.wake);
}

/* This CPU's INTID 27 active (masked) or not in the host's GIC. */
static void vcpu_el2_timer_mask(bool active)
{
	u8 state = active ? EL2_TIMER_PPI_ACTIVE : EL2_TIMER_PPI_INACTIVE;

	if (!vcpu_el2_timer_irq)
		return;
	if (__this_cpu_read(vcpu_el2_timer_active) == state)
		return;
	__this_cpu_write(vcpu_el2_timer_active,
			 irq_set_irqchip_state(vcpu_el2_timer_irq,
					       IRQCHIP_STATE_ACTIVE, active) ?
			 EL2_TIMER_PPI_UNKNOWN : state);
}

/*
 * The vCPU's task runs on this CPU again (backend vcpu_load, preemption
 * off): with KVM initialised, one of its vCPUs may have been loaded here
 * meanwhile and left INTID 27 active; write it again at the next entry.
 */
void vcpu_el2_timer_vcpu_load(void)
{
	if (vcpu_el2_kvm_present)
		__this_cpu_write(vcpu_el2_timer_active, EL2_TIMER_PPI_UNKNOWN);
}

/*
 * At entry, interrupts masked, after vcpu_el2_vgic_flush(): the line into
 * the list registers (see the top of this file).  Takes the VM's offset
 * for vcpu_el2_timer_load().
 */
void vcpu_el2_timer_flush(struct vcpu *vcpu)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	struct vcpu_el2_timer *t = &v->timer;
	struct vcpu_el2_vgic *g = &v->vgic;
	unsigned int i, n = vcpu_el2_vgic_nr_lr;
	bool held = false;

	t->cntvoff = READ_ONCE(*vcpu_el2_timer_vm_off(vcpu->vm));
	for (i = 0; i < g->used; i++) {
		if ((g->lr[i] & ICH_LR_STATE) &&
		    (g->lr[i] & ICH_LR_VIRTUAL_ID_MASK) == EL2_TIMER_INTID) {
			/* Also an LR the VMM set: its EOI samples again. */
			g->lr[i] |= ICH_LR_EOI;
			held = true;
		}
	}
	if (!held && vcpu_el2_timer_level(t, t->cntvoff)) {
		for (i = 0; i < n; i++)
			if (!(g->lr[i] & ICH_LR_STATE))
				break;
		if (i < n) {
			g->lr[i] = vcpu_el2_lr_make(EL2_TIMER_INTID) |
				   ICH_LR_EOI;
			g->used = max(g->used, i + 1);
			held = true;
		} else if (n > 1) {
			/* Every LR busy: come back when they drain. */
			g->hcr |= ICH_HCR_UIE;
		}
	}
	vcpu_el2_timer_mask(held);
}

/*
 * A list register the exit saved: false for a timer LR (vINTID 27 with
 * EOI) that is only pending: dropped, the next entry samples the line.
 */
bool vcpu_el2_timer_lr_keep(u64 lr)
{
	return !((lr & ICH_LR_EOI) &&
		 (lr & ICH_LR_STATE) == ICH_LR_PENDING_BIT &&
		 (lr & ICH_LR_VIRTUAL_ID_MASK) == EL2_TIMER_INTID);
}

/*
 * In vcpu_el2_load(), before its ISB.  CVAL before CTL: the timer is not
 * enabled against a stale compare value (with every exception masked it
 * could not be taken yet anyway).
 */
void vcpu_el2_timer_load(struct vcpu_el2_timer *t)
{
	t->host_cntvoff = read_sysreg(cntvoff_el2);
	t->host_cnthctl = read_sysreg(cnthctl_el2);
	write_sysreg(t->cntvoff, cntvoff_el2);
	write_sysreg((t->host_cnthctl | EL2_CNTHCTL_EL1PCTEN) &
		     ~EL2_CNTHCTL_EL1PTEN, cnthctl_el2);
	write_sysreg_s(t->cval, SYS_CNTV_CVAL_EL02);
	write_sysreg_s(t->ctl & EL2_TIMER_CTL_RW, SYS_CNTV_CTL_EL02);
}

/*
 * In vcpu_el2_save(), before its ISB: the guest's timer out and disabled
 * (its PPI deasserted before the host unmasks interrupts), the host's
 * offset and controls back.
 */
void vcpu_el2_timer_save(struct vcpu_el2_timer *t)
{
	t->ctl = read_sysreg_s(SYS_CNTV_CTL_EL02);
	t->cval = read_sysreg_s(SYS_CNTV_CVAL_EL02);
	write_sysreg_s(0, SYS_CNTV_CTL_EL02);
	write_sysreg(t->host_cntvoff, cntvoff_el2);
	write_sysreg(t->host_cnthctl, cnthctl_el2);
}

/*
 * The host's handler of INTID 27: the exit it caused was the point; the
 * timer is disabled by the time interrupts are unmasked, so usually the
 * GIC reports a spurious INTID and this does not even run.
 */
static irqreturn_t vcpu_el2_timer_handler(int irq, void *dev)
{
	return IRQ_HANDLED;
}

int vcpu_el2_timer_init(void)
{
	struct device_node *np;
	unsigned int irq;
	int ret;

	vcpu_el2_timer_freq = read_sysreg(cntfrq_el0);
	if (!vcpu_el2_timer_freq)
		pr_info("CNTFRQ_EL0 is 0: a vCPU blocked in WFI is not woken by its timer\n");
	np = of_find_compatible_node(NULL, NULL, "arm,armv8-timer");
	if (!np) {
		pr_info("no arm,armv8-timer device tree node: the guest's timer interrupt waits for its next exit\n");
		return 0;
	}
	irq = irq_of_parse_and_map(np, ARCH_TIMER_VIRT_PPI);
	of_node_put(np);
	if (!irq) {
		pr_info("no virtual timer interrupt in the device tree: the guest's timer interrupt waits for its next exit\n");
		return 0;
	}
	if (!vcpu_el2_kvm_present) {
		ret = request_percpu_irq(irq, vcpu_el2_timer_handler,
					 "vcpu-vtimer", &vcpu_el2_timer_dev);
		if (ret) {
			pr_info("cannot request the virtual timer interrupt (%d): the guest's timer interrupt waits for its next exit\n",
				ret);
			return 0;
		}
		vcpu_el2_timer_requested = true;
	}
	vcpu_el2_timer_irq = irq;
	return 0;
}

void vcpu_el2_timer_exit(void)
{
	if (vcpu_el2_timer_requested)
		free_percpu_irq(vcpu_el2_timer_irq, &vcpu_el2_timer_dev);
	vcpu_el2_timer_requested = false;
	vcpu_el2_timer_irq = 0;
}

/* On this CPU, interrupts disabled (el2.c's cpu_enable / cpu_disable). */
void vcpu_el2_timer_cpu_enable(void)
{
	if (!vcpu_el2_timer_requested)
		return;
	__this_cpu_write(vcpu_el2_timer_active, EL2_TIMER_PPI_UNKNOWN);
	vcpu_el2_timer_mask(false);
	enable_percpu_irq(vcpu_el2_timer_irq, IRQ_TYPE_NONE);
}

void vcpu_el2_timer_cpu_disable(void)
{
	if (!vcpu_el2_timer_requested)
		return;
	disable_percpu_irq(vcpu_el2_timer_irq);
	vcpu_el2_timer_mask(false);
}

/*
 * ONE_REG (include/uapi/linux/vcpu.h, VCPU_REG_ARM64_CNT*): the saved
 * timer, between runs.  CNTVOFF_EL2 is the VM's, whichever vCPU names it;
 * CNTVCT_EL0 is the guest's counter now (SET moves the VM's offset), not
 * listed: CNTVOFF_EL2 is what a restore sets.
 */
bool vcpu_el2_timer_is_reg(u64 id)
{
	return id == EL2_ID_CNTVOFF || id == EL2_ID_CNTV_CTL ||
	       id == EL2_ID_CNTV_CVAL || id == EL2_ID_CNTVCT;
}

int vcpu_el2_timer_get_reg(struct vcpu *vcpu, u64 id, u64 *value)
{
	struct vcpu_el2_timer *t = &to_el2(vcpu)->timer;
	u64 off = READ_ONCE(*vcpu_el2_timer_vm_off(vcpu->vm));

	switch (id) {
	case EL2_ID_CNTVOFF:
		*value = off;
		return 0;
	case EL2_ID_CNTV_CTL:
		/* ISTATUS as the hardware would show it now. */
		*value = t->ctl & EL2_TIMER_CTL_RW;
		if ((t->ctl & ARCH_TIMER_CTRL_ENABLE) &&
		    vcpu_el2_timer_pcount() - off >= t->cval)
			*value |= ARCH_TIMER_CTRL_IT_STAT;
		return 0;
	case EL2_ID_CNTV_CVAL:
		*value = t->cval;
		return 0;
	case EL2_ID_CNTVCT:
		*value = vcpu_el2_timer_pcount() - off;
		return 0;
	}
	return -ENOENT;
}

int vcpu_el2_timer_set_reg(struct vcpu *vcpu, u64 id, u64 value)
{
	struct vcpu_el2_timer *t = &to_el2(vcpu)->timer;
	u64 *off = vcpu_el2_timer_vm_off(vcpu->vm);

	switch (id) {
	case EL2_ID_CNTVOFF:
		WRITE_ONCE(*off, value);
		return 0;
	case EL2_ID_CNTV_CTL:
		if (value & ~EL2_TIMER_CTL_ALL)
			return -EINVAL;
		t->ctl = value & EL2_TIMER_CTL_RW;
		return 0;
	case EL2_ID_CNTV_CVAL:
		t->cval = value;
		return 0;
	case EL2_ID_CNTVCT:
		WRITE_ONCE(*off, vcpu_el2_timer_pcount() - value);
		return 0;
	}
	return -ENOENT;
}

/* The listed ids, in restore order: at most @max into @ids. */
unsigned int vcpu_el2_timer_reg_list(u64 *ids, unsigned int max)
{
	static const u64 list[] = {
		EL2_ID_CNTVOFF, EL2_ID_CNTV_CVAL, EL2_ID_CNTV_CTL,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(list) && i < max; i++)
		ids[i] = list[i];
	return ARRAY_SIZE(list);
}
