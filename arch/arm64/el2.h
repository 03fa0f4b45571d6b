/* SPDX-License-Identifier: GPL-2.0 */
/* The arm64 EL2 (VHE) backend's private state. */
#ifndef VCPU_ARM64_EL2_H
#define VCPU_ARM64_EL2_H

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

struct vcpu_el2_vcpu {
	struct vcpu_el2_ctxt ctxt; /* x0..x30, sp_el0 */
	u64 pc;				/* ELR_EL2 */
	u64 pstate;			/* SPSR_EL2 */
	u64 sp_el1;
	u64 sys[EL2_SR_NR];
	u64 mpidr;			/* VMPIDR_EL2 */
	struct vcpu_el2_vgic vgic;
	struct vcpu_el2_inject inject;
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
int vcpu_el2_vgic_get_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_el2_vgic_set_reg(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_el2_vgic_reg_list(u64 *ids, unsigned int max);

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

/* el2_regs.c */
int vcpu_el2_get_one_reg(struct vcpu *vcpu, u64 id, u64 *value);
int vcpu_el2_set_one_reg(struct vcpu *vcpu, u64 id, u64 value);
unsigned int vcpu_el2_reg_list(struct vcpu *vcpu, u64 *ids, unsigned int max);

#endif /* VCPU_ARM64_EL2_H */
