/* SPDX-License-Identifier: GPL-2.0 */
/* The AMD SVM backend's private state. */
#ifndef VCPU_SVM_H
#define VCPU_SVM_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/svm.h>

#include "vcpu.h"
#include "x86.h"
#include "vcpu_x86.h"
#include "apic.h"
#include "strio.h"
#include "sregs.h"

struct vcpu_svm_vcpu {
	/* First: to_x86().  RAX and RSP go to and from the VMCB at VMRUN. */
	struct vcpu_x86 x86;
	struct vmcb *vmcb;
	u64 vmcb_pa;
	/* ASID and the generation of the per-CPU allocator it came from. */
	u32 asid;
	u64 asid_gen;
	int asid_cpu;
	/* The save area as userspace last set it: see vcpu_svm_enter(). */
	bool user_dirty;		/* userspace wrote the save area */
	/* VMRUN, VMLOAD or VMSAVE faulted at the last entry. */
	bool entry_faulted;
	/*
	 * NMI blocking, which SVM without V_NMI leaves to the hypervisor
	 * (svm_nmi.c): set at the injection of an NMI, ended once the
	 * guest's IRET has executed: the IRET intercept fires before it,
	 * so the blocking ends at the first exit with RIP elsewhere
	 * (iret_rip).  nmi_step: single-stepping the guest for an NMI
	 * window (TF, RF and DR6 as they were kept aside).
	 */
	bool nmi_masked;
	bool iret_seen;
	u64 iret_rip;
	bool nmi_step;
	u64 nmi_step_rflags;
	u64 nmi_step_dr6;
};

static inline struct vcpu_svm_vcpu *to_svm(struct vcpu *vcpu)
{
	return vcpu->arch;
}

/* Per physical CPU: host save areas and the ASID allocator. */
struct vcpu_svm_cpu_data {
	struct page *hsave;		/* MSR_VM_HSAVE_PA, used by VMRUN */
	struct page *host_vmsave;	/* the host's VMSAVE state */
	u64 host_vmsave_pa;
	u32 next_asid;
	u64 asid_gen;
};

DECLARE_PER_CPU(struct vcpu_svm_cpu_data, vcpu_svm_cpu_data);
extern u32 vcpu_svm_max_asid;
extern bool vcpu_svm_flush_by_asid;

int vcpu_svm_vmenter(u64 *gprs, u64 vmcb_pa, u64 host_vmsave_pa);

/* svm_asid.c */
void vcpu_svm_asid_cpu_enable(struct vcpu_svm_cpu_data *sd);
void vcpu_svm_asid_prepare(struct vcpu_svm_vcpu *svm,
			   struct vcpu_svm_cpu_data *sd, int cpu, bool flush);

/* svm_npt.c */
const struct vcpu_pt_format *vcpu_svm_npt_format(void);
u64 vcpu_svm_npt_max_gpa(void);

/* svm_run.c */
u32 vcpu_svm_enter(struct vcpu *vcpu, int cpu);

/* svm_nmi.c */
void vcpu_svm_nmi_exit(struct vcpu_svm_vcpu *svm);
void vcpu_svm_exit_iret(struct vcpu *vcpu, struct vcpu_run *exit);
void vcpu_svm_exit_db(struct vcpu *vcpu, struct vcpu_run *exit);

/* svm_exit.c */
void vcpu_svm_handle_exit(struct vcpu *vcpu, u32 vector, struct vcpu_run *exit);
static inline void vcpu_svm_set_intercept(struct vmcb_control_area *c,
					  unsigned int bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

static inline void vcpu_svm_clr_intercept(struct vmcb_control_area *c,
					  unsigned int bit)
{
	c->intercepts[bit / 32] &= ~BIT(bit % 32);
}

#endif /* VCPU_SVM_H */
