/* SPDX-License-Identifier: GPL-2.0 */
/* The arm64 EL2 (VHE) backend's private state. */
#ifndef VCPU_ARM64_EL2_H
#define VCPU_ARM64_EL2_H

#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <asm/sysreg.h>

#include "dabt.h"
#include "el2_ctxt.h"
#include "el2_fp.h"
#include "vcpu.h"

/* EL1 encodings the kernel's sysreg.h does not name. */
#define EL2_SYS_CPACR_EL12	sys_reg(3, 5, 1, 0, 2)
#define EL2_SYS_FAR_EL12	sys_reg(3, 5, 6, 0, 0)
#define EL2_SYS_CONTEXTIDR_EL12	sys_reg(3, 5, 13, 0, 1)
#define EL2_SYS_TPIDR_EL1	sys_reg(3, 0, 13, 0, 4)

/*
 * The guest's EL1 system registers, switched at every entry and exit
 * (el2_run.c) and offered through ONE_REG under their EL1 encodings
 * (el2_regs.c).  From a VHE host the *_EL12 encodings reach the EL1
 * registers (the *_EL1 names reach EL2's own).  The registers from
 * EL2_SR_FIRST_SHARED on have no EL12 alias: the host and the guest share
 * them, so they are saved and restored around the guest (TPIDR_EL0 and
 * TPIDRRO_EL0 hold the host thread's TLS, PAR_EL1 the result of the
 * host's AT lookups).
 *
 * CSSELR_EL1 is shared too (the host's cache-size lookups), and so is
 * TPIDR2_EL0 (the host thread's SME state): EL2_SR_TPIDR2 is switched
 * only where SME exists (vcpu_el2_has_tpidr2), since no EL2 control traps
 * it short of the fine-grained traps (HFGxTR_EL2.nTPIDR2_EL0).
 *
 * Audit of the other EL1 state a guest at EL1 could reach (QEMU 7.2
 * -cpu max as the lanes run it, and hardware):
 *   trapped by EL2, never the guest's to change:
 *     APxKEY_EL1 (PAuth)          HCR_EL2.API/APK clear (el2_inject.c)
 *     TFSR_EL1, TFSRE0_EL1,       HCR_EL2.ATA clear (MTE: QEMU's virt
 *     GCR_EL1, RGSR_EL1             board leaves MTE off anyway)
 *     SCXTNUM_EL0/EL1             HCR_EL2.EnSCXT clear (FEAT_CSV2_2)
 *     ZCR_EL1, SMCR_EL1,          CPTR_EL2.ZEN/SMEN clear (CPACR_EL1 under
 *     SMPRI_EL1, SVCR               E2H, el2_run.c)
 *     ACTLR_EL1, IMP DEF          HCR_EL2.TACR, TIDCP
 *     LORxx_EL1                   HCR_EL2.TLOR
 *     PMU, SPE, trace filter      MDCR_EL2.TPM/TPMCR/TPMS/TTRF
 *     debug (MDSCR, DBGBxR...)    MDCR_EL2.TDA/TDOSA/TDRA
 *     CNTP_*_EL0 (EL1 phys timer) CNTHCTL_EL2.EL1PTEN clear (el2_timer.c)
 *     ID registers                HCR_EL2.TID3
 *   switched: the table above, the EL1 virtual timer (el2_timer.c), the
 *     GIC virtual CPU interface and ICC_SRE_EL1 (el2_vgic.c).
 *   not switched, hardware only (QEMU 7.2 implements none of them):
 *     TCR2_EL1 (FEAT_TCR2, reachable when the host sets HCRX_EL2.TCR2En),
 *     PIR_EL1/PIRE0_EL1/POR_EL1/POR_EL0 (FEAT_S1PIE/S1POE, unless
 *     HFGxTR_EL2 traps them), SCTLR2_EL1 (HCRX_EL2.SCTLR2En), and the
 *     RAS error record registers ERRSELR_EL1/ERX*_EL1 (HCR_EL2.TERR is
 *     clear; QEMU's ERRIDR_EL1 has no records).  VDISR_EL2 (DISR_EL1 of
 *     the guest under HCR_EL2.AMO) is EL2 state el2_inject.c owns.
 */
enum vcpu_el2_sysreg {
	EL2_SR_SCTLR,
	EL2_SR_CPACR,
	EL2_SR_TTBR0,
	EL2_SR_TTBR1,
	EL2_SR_TCR,
	EL2_SR_SPSR,
	EL2_SR_ELR,
	EL2_SR_AFSR0,
	EL2_SR_AFSR1,
	EL2_SR_ESR,
	EL2_SR_FAR,
	EL2_SR_MAIR,
	EL2_SR_AMAIR,
	EL2_SR_VBAR,
	EL2_SR_CONTEXTIDR,
	EL2_SR_CNTKCTL,
	EL2_SR_TPIDR_EL0,
	EL2_SR_TPIDRRO_EL0,
	EL2_SR_TPIDR_EL1,
	EL2_SR_PAR,
	EL2_SR_CSSELR,
	EL2_SR_TPIDR2,
	EL2_SR_NR,
};

#define EL2_SR_FIRST_SHARED	EL2_SR_TPIDR_EL0
#define EL2_SR_NR_SHARED	(EL2_SR_NR - EL2_SR_FIRST_SHARED)

/*
 * The guest's GICv3 virtual CPU interface (el2_vgic.c): the list
 * registers, the virtual machine control register and the active
 * priorities, switched at every entry and exit.
 */
#define EL2_VGIC_MAX_LR		16	/* ICH_VTR_EL2.ListRegs + 1 <= 16 */
#define EL2_VGIC_MAX_APR	4	/* 7 preemption bits */

struct vcpu_el2_vgic {
	u64 lr[EL2_VGIC_MAX_LR];	/* ICH_LR<n>_EL2 */
	u32 ap0r[EL2_VGIC_MAX_APR];	/* ICH_AP0R<n>_EL2 */
	u32 ap1r[EL2_VGIC_MAX_APR];	/* ICH_AP1R<n>_EL2 */
	u32 vmcr;			/* ICH_VMCR_EL2 */
	u32 hcr;			/* ICH_HCR_EL2 of the next entry */
	unsigned int used;		/* lr[0..used) loaded at the entry */
	u64 host_sre;			/* ICC_SRE_EL1 outside the run */
};

/*
 * Exceptions for the guest's EL1 (el2_inject.c): the VMM's synchronous
 * exception, taken at the next entry, and a virtual SError, pending in
 * HCR_EL2.VSE across entries until the guest takes it.
 */
struct vcpu_el2_inject {
	bool exc_pending;
	bool exc_has_far;
	bool serror_pending;
	bool serror_has_esr;
	u64 exc_esr;
	u64 exc_far;
	u64 serror_esr;			/* VSESR_EL2 */
	/* The instruction the last synchronous exit trapped on. */
	u64 trap_pc;
	bool trap_valid;
	/* The exit's completion is dropped: its instruction faults instead. */
	bool no_complete;
};

/*
 * The guest's ID group 3 registers, CRm 1..7 x op2 0..7 (el2_idregs.c),
 * and its PSCI power state (el2_psci.c).
 */
#define EL2_IDREG_NR		56

enum vcpu_el2_power {
	EL2_POWER_RESET,	/* never entered: OFF */
	EL2_POWER_ON,		/* entered */
	EL2_POWER_OFF,		/* CPU_OFF */
};

/* What the exit left, read at EL2 before the host's state is back. */
struct vcpu_el2_exit_info {
	unsigned long code;		/* EL2_EXIT_*: how the guest left */
	u64 esr;			/* ESR_EL2, FAR_EL2, HPFAR_EL2 of a */
	u64 far;			/* synchronous exit (EL2_EXIT_SYNC, */
	u64 hpfar;			/* EL2_EXIT_HYP) */
};

/* What a run needs from the VMID allocator before the guest is entered. */
enum vcpu_el2_flush {
	EL2_FLUSH_NONE,
	EL2_FLUSH_VMID, /* this vCPU's VMID */
	EL2_FLUSH_ALL, /* every VMID (new generation) */
};

/*
 * The guest's self-hosted debug registers (el2_debug.c): what its trapped
 * accesses read and write, loaded around its runs.
 */
#define EL2_DBG_MAX		16	/* breakpoints, watchpoints */

struct vcpu_el2_debug {
	u64 mdscr;
	u64 bcr[EL2_DBG_MAX], bvr[EL2_DBG_MAX];
	u64 wcr[EL2_DBG_MAX], wvr[EL2_DBG_MAX];
	u64 osdlr, claim, mdccint;
	bool oslk;
};

/* The host's values while the guest's are loaded (per CPU, el2_debug.c). */
struct vcpu_el2_debug_host {
	u64 mdscr;
	bool loaded;		/* the registers below hold the host's */
	u64 bcr[EL2_DBG_MAX], bvr[EL2_DBG_MAX];
	u64 wcr[EL2_DBG_MAX], wvr[EL2_DBG_MAX];
};

/*
 * The guest's EL1 virtual timer (el2_timer.c): CNTV_CTL_EL0 and
 * CNTV_CVAL_EL0 as the last exit left them, the VM's CNTVOFF_EL2 taken at
 * the entry, the host's offset and timer controls while the guest runs,
 * and the wake-up of a vCPU blocked in WFI.
 */
struct vcpu_el2_timer {
	u64 ctl;
	u64 cval;
	u64 cntvoff;
	u64 host_cntvoff;
	u64 host_cnthctl;
	struct vcpu *vcpu;
	struct hrtimer wake;
};

struct vcpu_el2_vcpu {
	struct vcpu_el2_ctxt ctxt; /* x0..x30, sp_el0 */
	u64 pc;				/* ELR_EL2 */
	u64 pstate;			/* SPSR_EL2 */
	u64 sp_el1;
	u64 sys[EL2_SR_NR];
	u64 mpidr;			/* VMPIDR_EL2 */
	struct vcpu_el2_vgic vgic;
	struct vcpu_el2_debug debug;
	struct vcpu_el2_inject inject;
	u64 idreg[EL2_IDREG_NR];
	u8 power;			/* enum vcpu_el2_power */
	struct vcpu_el2_timer timer;
	struct vcpu_el2_fp fp;
	/* The MMIO load or sysreg read waiting for its completion. */
	struct vcpu_el2_dabt mmio;
	u8 sysreg_rt;
	/* VMID and the generation of the per-CPU allocator it came from. */
	u32 vmid;
	u64 vmid_gen;
	int vmid_cpu;
	/* vm->tlb_gen this vCPU's translations are up to date with. */
	s64 tlb_gen;
	/* From vcpu_el2_prepare_entry() to vcpu_el2_load(): VTTBR_EL2, TLB flush. */
	u64 vttbr;
	enum vcpu_el2_flush flush;
	/* The last exit, from vcpu_el2_enter() to vcpu_el2_handle_exit(). */
	struct vcpu_el2_exit_info exit;
};

static inline struct vcpu_el2_vcpu *to_el2(struct vcpu *vcpu)
{
	return vcpu->arch;
}

/* Per physical CPU: the VMID allocator. */
struct vcpu_el2_cpu_data {
	u32 next_vmid;
	u64 vmid_gen;
};

DECLARE_PER_CPU(struct vcpu_el2_cpu_data, vcpu_el2_cpu_data);
extern u32 vcpu_el2_max_vmid;
extern u64 vcpu_el2_vtcr;
extern u64 vcpu_el2_hcr_guest;
extern bool vcpu_el2_kvm_present;
extern bool vcpu_el2_has_tpidr2;

/* el2_vmid.c */
void vcpu_el2_vmid_cpu_enable(struct vcpu_el2_cpu_data *cd);
enum vcpu_el2_flush vcpu_el2_vmid_prepare(struct vcpu_el2_vcpu *v,
					  struct vcpu_el2_cpu_data *cd, int cpu,
					  bool changed);

/* el2_s2.c */
const struct vcpu_pt_format *vcpu_el2_s2_format(void);
u64 vcpu_el2_s2_max_gpa(void);
int vcpu_el2_s2_init(void);

/* el2_run.c */
u32 vcpu_el2_enter_guest(struct vcpu *vcpu, int cpu);
void vcpu_el2_leave(struct vcpu *vcpu);
void vcpu_el2_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
			    u64 value);

/* el2_vgic.c */
int vcpu_el2_vgic_init(void);
void vcpu_el2_vgic_exit(void);
void vcpu_el2_vgic_cpu_enable(void);
void vcpu_el2_vgic_cpu_disable(void);
void vcpu_el2_vgic_reset(struct vcpu_el2_vgic *g);
void vcpu_el2_vgic_flush(struct vcpu *vcpu);
void vcpu_el2_vgic_load(struct vcpu_el2_vgic *g);
void vcpu_el2_vgic_save(struct vcpu_el2_vgic *g);
bool vcpu_el2_vgic_irq_held(struct vcpu *vcpu);
extern unsigned int vcpu_el2_vgic_nr_lr;
u64 vcpu_el2_lr_make(u32 intid);
int vcpu_el2_vgic_get_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_el2_vgic_set_reg(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_el2_vgic_reg_list(u64 *ids, unsigned int max);

/* el2_timer.c */
int vcpu_el2_timer_init(void);
void vcpu_el2_timer_exit(void);
void vcpu_el2_timer_cpu_enable(void);
void vcpu_el2_timer_cpu_disable(void);
void vcpu_el2_timer_create(struct vcpu *vcpu);
void vcpu_el2_timer_destroy(struct vcpu *vcpu);
void vcpu_el2_timer_flush(struct vcpu *vcpu);
void vcpu_el2_timer_load(struct vcpu_el2_timer *t);
void vcpu_el2_timer_save(struct vcpu_el2_timer *t);
bool vcpu_el2_timer_lr_keep(u64 lr);
void vcpu_el2_timer_vcpu_load(void);
bool vcpu_el2_timer_line(struct vcpu *vcpu);
void vcpu_el2_timer_block(struct vcpu *vcpu, bool blocked);
bool vcpu_el2_timer_is_reg(u64 id);
int vcpu_el2_timer_get_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_el2_timer_set_reg(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_el2_timer_reg_list(u64 *ids, unsigned int max);

/* el2_inject.c */
void vcpu_el2_inject_init(void);
void vcpu_el2_inject_undef(struct vcpu *vcpu);
void vcpu_el2_inject_apply(struct vcpu_el2_vcpu *v);
u64 vcpu_el2_inject_load(const struct vcpu_el2_vcpu *v);
void vcpu_el2_inject_save(struct vcpu_el2_vcpu *v);
bool vcpu_el2_inject_held(const struct vcpu_el2_vcpu *v);
bool vcpu_el2_inject_completes(struct vcpu_el2_vcpu *v);
void vcpu_el2_exit_undef(struct vcpu *vcpu,
			 const struct vcpu_el2_exit_info *ei,
			 struct vcpu_run *exit);
int vcpu_el2_get_events(struct vcpu *vcpu, struct vcpu_events *events);
int vcpu_el2_set_events(struct vcpu *vcpu, const struct vcpu_events *events);

/* el2_idregs.c */
void vcpu_el2_idregs_init(void);
void vcpu_el2_idregs_reset(struct vcpu_el2_vcpu *v);
bool vcpu_el2_idreg_trap(struct vcpu *vcpu,
			 const struct vcpu_el2_exit_info *ei,
			 struct vcpu_run *exit);
bool vcpu_el2_idreg_id(u64 id);
int vcpu_el2_idreg_get(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_el2_idreg_set(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_el2_idreg_list(u64 *ids, unsigned int max);

/* el2_psci.c */
u64 vcpu_el2_psci_affinity_info(struct vcpu *vcpu, u64 target, u64 level);
void vcpu_el2_psci_cpu_off(struct vcpu *vcpu);

/* el2_fp.c */
void vcpu_el2_fp_reset(struct vcpu_el2_fp *fp);
void vcpu_el2_exit_fp(struct vcpu *vcpu, const struct vcpu_el2_exit_info *ei,
		      struct vcpu_run *exit);
bool vcpu_el2_fp_owns_reg(u64 id);
int vcpu_el2_fp_get_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_el2_fp_set_reg(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_el2_fp_reg_list(u64 *ids, unsigned int max);

/* el2_exit.c */
void vcpu_el2_handle_exit(struct vcpu *vcpu, u32 irq, struct vcpu_run *exit);
void vcpu_el2_skip(struct vcpu *vcpu);

/* el2_regs.c */
int vcpu_el2_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_el2_set_one_reg(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_el2_reg_list(struct vcpu *vcpu, u64 *ids, unsigned int max);

/* el2_debug.c */
void vcpu_el2_debug_init(void);
void vcpu_el2_debug_reset(struct vcpu_el2_debug *d);
void vcpu_el2_debug_load(struct vcpu_el2_debug *d);
void vcpu_el2_debug_save(void);
bool vcpu_el2_debug_sysreg(struct vcpu_el2_vcpu *v, u64 esr, bool read,
			   u64 *value);
int vcpu_el2_debug_get_reg(struct vcpu_el2_vcpu *v, u64 id, u64 *value);
int vcpu_el2_debug_set_reg(struct vcpu_el2_vcpu *v, u64 id, u64 value);
unsigned int vcpu_el2_debug_reg_list(u64 *ids, unsigned int max);

#endif /* VCPU_ARM64_EL2_H */
