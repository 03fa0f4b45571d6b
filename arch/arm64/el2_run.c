// SPDX-License-Identifier: GPL-2.0
/*
 * The world switch on a VHE host, in the steps of module/entry.h's
 * sequence (preemption and interrupts off around them, on the bound CPU).
 * Names below drop the vcpu_el2_ prefix.
 *   enter_guest():
 *     pstate_valid()      a PSTATE the guest may not start in is not
 *                         entered (EL2_EXIT_REFUSED: FAIL_ENTRY)
 *     inject_apply()      the VMM's exception taken (el2_inject.c)
 *     prepare_entry()     the VMID and TLB decisions
 *     local_daif_mask()   nothing at all (not even a pseudo-NMI) may be
 *                         taken at EL2 while the guest's HCR_EL2 and our
 *                         vectors are live
 *     vgic_flush()        queued interrupts into the list registers
 *                         (after vcpu_guest_enter(): see el2_vgic.c)
 *     load()              save what the host shares with the guest, load
 *                         the guest's EL1 registers, its GIC virtual CPU
 *                         interface and the EL2 controls (HCR_EL2 with TGE
 *                         clear: from here the EL1&0 regime is the
 *                         guest's), TLB maintenance
 *     enter()             the world switch (el2_entry.S)
 *     save()              the reverse, host HCR_EL2 (TGE set) back first
 *   (the core)            with IMO set a host interrupt exits the guest
 *                         and stays pending: its INTID is read, and the
 *                         host takes it once interrupts are unmasked, as
 *                         KVM does between entries
 *   leave()               the virtual CPU interface out, ICH_HCR_EL2 and
 *                         the LRs cleared; after the INTID was read, so
 *                         that a GIC maintenance interrupt is still the
 *                         one named; DAIF back to interrupts-only masked
 *   handle_exit()         el2_exit.c, interrupts on
 */
#include <linux/preempt.h>
#include <linux/sched.h>
#include <asm/barrier.h>
#include <asm/cputype.h>
#include <asm/daifflags.h>
#include <asm/kvm_arm.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>

#include "el2.h"
#include "backend.h"

/* EL2 controls and shared registers of the host, restored at the exit. */
struct vcpu_el2_host {
	u64 hcr;
	u64 cptr;
	u64 mdcr;
	u64 vttbr;
	u64 vtcr;
	u64 vpidr;
	u64 vmpidr;
	u64 shared[EL2_SR_NR_SHARED];
};

/*
 * The guest may not touch the PMU (the host's counters): its accesses
 * trap and reach the VMM as SYSREG exits.  Its debug-register accesses
 * trap too, and are emulated from the guest's own state (el2_debug.c).
 */
#define EL2_MDCR_GUEST	(MDCR_EL2_TPM | MDCR_EL2_TPMCR | MDCR_EL2_TDA | \
			 MDCR_EL2_TDOSA | MDCR_EL2_TDRA | MDCR_EL2_TPMS | \
			 MDCR_EL2_TTRF)

/*
 * TLB maintenance, with the guest's VTTBR_EL2 and HCR_EL2 (TGE clear)
 * loaded: VMALLS12E1 acts on the current VMID, and the EL1&0 regime it
 * names is the guest's only while TGE is clear.  Local (non-broadcast)
 * operations suffice: VTTBR_EL2.CnP is 0, so only this PE can hold
 * translations of a VMID it handed out (el2_vmid.c).  The DSB before
 * makes any page-table store of this CPU visible to the walker; stores of
 * other CPUs were published by the IPI of vcpu_vm_flush_tlb().
 */
static void vcpu_el2_tlb_flush(enum vcpu_el2_flush flush)
{
	if (flush == EL2_FLUSH_NONE)
		return;
	dsb(ishst);
	if (flush == EL2_FLUSH_ALL)
		__tlbi(alle1);
	else
		__tlbi(vmalls12e1);
	dsb(nsh);
	isb();
}

/* The guest's EL1 registers in; the host's shared ones saved in @host. */
static void vcpu_el2_load_el1(const u64 *s, u64 *host)
{
	write_sysreg_s(s[EL2_SR_SCTLR], SYS_SCTLR_EL12);
	write_sysreg_s(s[EL2_SR_CPACR], EL2_SYS_CPACR_EL12);
	write_sysreg_s(s[EL2_SR_TTBR0], SYS_TTBR0_EL12);
	write_sysreg_s(s[EL2_SR_TTBR1], SYS_TTBR1_EL12);
	write_sysreg_s(s[EL2_SR_TCR], SYS_TCR_EL12);
	write_sysreg_s(s[EL2_SR_SPSR], SYS_SPSR_EL12);
	write_sysreg_s(s[EL2_SR_ELR], SYS_ELR_EL12);
	write_sysreg_s(s[EL2_SR_AFSR0], SYS_AFSR0_EL12);
	write_sysreg_s(s[EL2_SR_AFSR1], SYS_AFSR1_EL12);
	write_sysreg_s(s[EL2_SR_ESR], SYS_ESR_EL12);
	write_sysreg_s(s[EL2_SR_FAR], EL2_SYS_FAR_EL12);
	write_sysreg_s(s[EL2_SR_MAIR], SYS_MAIR_EL12);
	write_sysreg_s(s[EL2_SR_AMAIR], SYS_AMAIR_EL12);
	write_sysreg_s(s[EL2_SR_VBAR], SYS_VBAR_EL12);
	write_sysreg_s(s[EL2_SR_CONTEXTIDR], EL2_SYS_CONTEXTIDR_EL12);
	write_sysreg_s(s[EL2_SR_CNTKCTL], SYS_CNTKCTL_EL12);
	host[0] = read_sysreg_s(SYS_TPIDR_EL0);
	write_sysreg_s(s[EL2_SR_TPIDR_EL0], SYS_TPIDR_EL0);
	host[1] = read_sysreg_s(SYS_TPIDRRO_EL0);
	write_sysreg_s(s[EL2_SR_TPIDRRO_EL0], SYS_TPIDRRO_EL0);
	host[2] = read_sysreg_s(EL2_SYS_TPIDR_EL1);
	write_sysreg_s(s[EL2_SR_TPIDR_EL1], EL2_SYS_TPIDR_EL1);
	host[3] = read_sysreg_s(SYS_PAR_EL1);
	write_sysreg_s(s[EL2_SR_PAR], SYS_PAR_EL1);
	host[4] = read_sysreg(csselr_el1);
	write_sysreg(s[EL2_SR_CSSELR], csselr_el1);
	if (vcpu_el2_has_tpidr2) {
		host[5] = read_sysreg_s(SYS_TPIDR2_EL0);
		write_sysreg_s(s[EL2_SR_TPIDR2], SYS_TPIDR2_EL0);
	}
}

static void vcpu_el2_save_el1(u64 *s, const u64 *host)
{
	s[EL2_SR_SCTLR] = read_sysreg_s(SYS_SCTLR_EL12);
	s[EL2_SR_CPACR] = read_sysreg_s(EL2_SYS_CPACR_EL12);
	s[EL2_SR_TTBR0] = read_sysreg_s(SYS_TTBR0_EL12);
	s[EL2_SR_TTBR1] = read_sysreg_s(SYS_TTBR1_EL12);
	s[EL2_SR_TCR] = read_sysreg_s(SYS_TCR_EL12);
	s[EL2_SR_SPSR] = read_sysreg_s(SYS_SPSR_EL12);
	s[EL2_SR_ELR] = read_sysreg_s(SYS_ELR_EL12);
	s[EL2_SR_AFSR0] = read_sysreg_s(SYS_AFSR0_EL12);
	s[EL2_SR_AFSR1] = read_sysreg_s(SYS_AFSR1_EL12);
	s[EL2_SR_ESR] = read_sysreg_s(SYS_ESR_EL12);
	s[EL2_SR_FAR] = read_sysreg_s(EL2_SYS_FAR_EL12);
	s[EL2_SR_MAIR] = read_sysreg_s(SYS_MAIR_EL12);
	s[EL2_SR_AMAIR] = read_sysreg_s(SYS_AMAIR_EL12);
	s[EL2_SR_VBAR] = read_sysreg_s(SYS_VBAR_EL12);
	s[EL2_SR_CONTEXTIDR] = read_sysreg_s(EL2_SYS_CONTEXTIDR_EL12);
	s[EL2_SR_CNTKCTL] = read_sysreg_s(SYS_CNTKCTL_EL12);
	s[EL2_SR_TPIDR_EL0] = read_sysreg_s(SYS_TPIDR_EL0);
	write_sysreg_s(host[0], SYS_TPIDR_EL0);
	s[EL2_SR_TPIDRRO_EL0] = read_sysreg_s(SYS_TPIDRRO_EL0);
	write_sysreg_s(host[1], SYS_TPIDRRO_EL0);
	s[EL2_SR_TPIDR_EL1] = read_sysreg_s(EL2_SYS_TPIDR_EL1);
	write_sysreg_s(host[2], EL2_SYS_TPIDR_EL1);
	s[EL2_SR_PAR] = read_sysreg_s(SYS_PAR_EL1);
	write_sysreg_s(host[3], SYS_PAR_EL1);
	s[EL2_SR_CSSELR] = read_sysreg(csselr_el1);
	write_sysreg(host[4], csselr_el1);
	if (vcpu_el2_has_tpidr2) {
		s[EL2_SR_TPIDR2] = read_sysreg_s(SYS_TPIDR2_EL0);
		write_sysreg_s(host[5], SYS_TPIDR2_EL0);
	}
}

static void vcpu_el2_load(struct vcpu_el2_vcpu *v, struct vcpu_el2_host *h,
			  u64 vttbr, enum vcpu_el2_flush flush)
{
	h->hcr = read_sysreg(hcr_el2);
	h->cptr = read_sysreg(cpacr_el1);	/* CPTR_EL2 under E2H */
	h->mdcr = read_sysreg(mdcr_el2);
	h->vttbr = read_sysreg(vttbr_el2);
	h->vtcr = read_sysreg(vtcr_el2);
	h->vpidr = read_sysreg(vpidr_el2);
	h->vmpidr = read_sysreg(vmpidr_el2);

	vcpu_el2_load_el1(v->sys, h->shared);
	vcpu_el2_vgic_load(&v->vgic);
	vcpu_el2_debug_load(&v->debug);
	vcpu_el2_timer_load(&v->timer);

	write_sysreg(v->sp_el1, sp_el1);
	write_sysreg(v->pc, elr_el2);
	write_sysreg(v->pstate, spsr_el2);
	write_sysreg(read_cpuid_id(), vpidr_el2);
	write_sysreg(v->mpidr, vmpidr_el2);
	write_sysreg(vcpu_el2_vtcr, vtcr_el2);
	write_sysreg(vttbr, vttbr_el2);
	write_sysreg((h->mdcr & MDCR_EL2_HPMN_MASK) | EL2_MDCR_GUEST,
		     mdcr_el2);
	/* ZEN, SMEN 0: SVE and SME trap to EL2; FPEN: el2_fp.c. */
	write_sysreg(vcpu_el2_fp_load(&v->fp), cpacr_el1);
	write_sysreg(vcpu_el2_hcr_guest | vcpu_el2_inject_load(v), hcr_el2);
	isb();
	vcpu_el2_tlb_flush(flush);
}

static void vcpu_el2_save(struct vcpu_el2_vcpu *v, struct vcpu_el2_host *h)
{
	vcpu_el2_fp_save(&v->fp);
	v->pc = read_sysreg(elr_el2);
	v->pstate = read_sysreg(spsr_el2);
	v->sp_el1 = read_sysreg(sp_el1);

	vcpu_el2_save_el1(v->sys, h->shared);
	vcpu_el2_debug_save();
	vcpu_el2_timer_save(&v->timer);

	/* Leave nothing tagged with a VMID another hypervisor may reuse. */
	if (vcpu_el2_kvm_present)
		vcpu_el2_tlb_flush(EL2_FLUSH_VMID);

	vcpu_el2_inject_save(v);
	write_sysreg(h->hcr, hcr_el2);
	write_sysreg(h->cptr, cpacr_el1);
	write_sysreg(h->mdcr, mdcr_el2);
	write_sysreg(h->vttbr, vttbr_el2);
	write_sysreg(h->vtcr, vtcr_el2);
	write_sysreg(h->vpidr, vpidr_el2);
	write_sysreg(h->vmpidr, vmpidr_el2);
	isb();
}

/*
 * An AArch64 EL0t, EL1t or EL1h PSTATE is all the guest may start in; any
 * other (AArch32, EL2, EL3) would be an illegal exception return, which
 * leaves the PE at EL2 executing at the guest's PC.  Refuse it the way
 * hardware refuses an invalid VMCB: a FAIL_ENTRY exit.
 */
static bool vcpu_el2_pstate_valid(u64 pstate)
{
	if (pstate & PSR_MODE32_BIT)
		return false;
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL0t:
	case PSR_MODE_EL1t:
	case PSR_MODE_EL1h:
		return true;
	default:
		return false;
	}
}

/* Interrupts off, on the bound CPU (module/entry.h). */
static void vcpu_el2_prepare_entry(struct vcpu *vcpu, struct vcpu_el2_vcpu *v,
				   int cpu)
{
	s64 gen;

	/* Pairs with the increment in vcpu_vm_flush_tlb(): see there. */
	gen = atomic64_read(&vcpu->vm->tlb_gen);
	v->flush = vcpu_el2_vmid_prepare(v, this_cpu_ptr(&vcpu_el2_cpu_data),
					 cpu, gen != v->tlb_gen);
	v->tlb_gen = gen;
	v->vttbr = vcpu->vm->pt.root_pa | ((u64)v->vmid << VTTBR_VMID_SHIFT);
}

u32 vcpu_el2_enter_guest(struct vcpu *vcpu, int cpu)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	struct vcpu_el2_exit_info *ei = &v->exit;
	struct vcpu_el2_host h;

	if (!vcpu_el2_pstate_valid(v->pstate)) {
		ei->code = EL2_EXIT_REFUSED;
		return 0;
	}
	vcpu_el2_inject_apply(v);
	WRITE_ONCE(v->power, EL2_POWER_ON);	/* PSCI AFFINITY_INFO */
	vcpu_el2_prepare_entry(vcpu, v, cpu);
	local_daif_mask();
	vcpu_el2_vgic_flush(vcpu);
	vcpu_el2_timer_flush(vcpu);
	vcpu_el2_load(v, &h, v->vttbr, v->flush);
	ei->code = vcpu_el2_enter(&v->ctxt, vcpu_el2_vectors);
	if (ei->code == EL2_EXIT_SYNC || ei->code == EL2_EXIT_HYP) {
		ei->esr = read_sysreg(esr_el2);
		ei->far = read_sysreg(far_el2);
		ei->hpfar = read_sysreg(hpfar_el2);
	}
	vcpu_el2_save(v, &h);
	return ei->code == EL2_EXIT_IRQ ? VCPU_ENTER_HOST_IRQ : 0;
}

/* After the core named the host interrupt: see vcpu_el2_vgic_save(). */
void vcpu_el2_leave(struct vcpu *vcpu)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);

	if (v->exit.code == EL2_EXIT_REFUSED)
		return;		/* nothing was loaded */
	vcpu_el2_vgic_save(&v->vgic);
	local_daif_restore(DAIF_PROCCTX_NOIRQ);
}

void vcpu_el2_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
			    u64 value)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);

	if (!vcpu_el2_inject_completes(v))
		return;
	switch (exit->exit_reason) {
	case VCPU_EXIT_HYPERCALL:
		v->ctxt.x[0] = value;
		break;
	case VCPU_EXIT_SYSREG_READ:
		if (v->sysreg_rt != EL2_REG_XZR)
			v->ctxt.x[v->sysreg_rt] = value;
		break;
	case VCPU_EXIT_MMIO_READ:
		if (v->mmio.reg != EL2_REG_XZR)
			v->ctxt.x[v->mmio.reg] =
				vcpu_el2_dabt_load_value(&v->mmio, value);
		break;
	}
}
