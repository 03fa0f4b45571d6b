/* SPDX-License-Identifier: GPL-2.0 */
/* The AMD SVM backend's private state. */
#ifndef VCPU_SVM_H
#define VCPU_SVM_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/page.h>		/* PAGE_SIZE, for asm/fpu/types.h */
#include <asm/fpu/types.h>
#include <asm/svm.h>

#include "vcpu.h"
#include "x86.h"
#include "apic.h"
#include "strio.h"
#include "sregs.h"

struct svm_vcpu {
	struct vmcb *vmcb;
	u64 vmcb_pa;
	/*
	 * Guest GPRs in hardware order, authoritative between entries; RAX
	 * and RSP are copied to and from the VMCB around VMRUN.
	 */
	u64 gprs[16];
	/* The x86 MMIO instruction decoded at the last MMIO exit. */
	struct vcpu_x86_insn mmio_insn;
	/* ASID and the generation of the per-CPU allocator it came from. */
	u32 asid;
	u64 asid_gen;
	int asid_cpu;
	/* vm->tlb_gen this vCPU's translations are up to date with. */
	s64 tlb_gen;
	/* The save area as userspace last set it: see svm_enter(). */
	bool user_dirty;		/* userspace wrote the save area */
	/* INIT seen, waiting for its SIPI (x2APIC ICR writes). */
	struct vcpu_x86_apic apic;
	/*
	 * Guest FPU/SSE state (FXSAVE layout), kept across exits.  Last:
	 * 16-byte aligned, as FXSAVE requires.
	 */
	struct fxregs_state fpu;
};

static inline struct svm_vcpu *to_svm(struct vcpu *vcpu)
{
	return vcpu->arch;
}

/* Per physical CPU: host save areas and the ASID allocator. */
struct svm_cpu_data {
	struct page *hsave;		/* MSR_VM_HSAVE_PA, used by VMRUN */
	struct page *host_vmsave;	/* the host's VMSAVE state */
	u64 host_vmsave_pa;
	u32 next_asid;
	u64 asid_gen;
};

DECLARE_PER_CPU(struct svm_cpu_data, svm_cpu_data);
extern u32 svm_max_asid;
extern bool svm_flush_by_asid;

void svm_vmenter(u64 *gprs, u64 vmcb_pa, u64 host_vmsave_pa);

/* svm_asid.c */
void svm_asid_cpu_enable(struct svm_cpu_data *sd);
void svm_asid_prepare(struct svm_vcpu *svm, struct svm_cpu_data *sd, int cpu,
		      bool flush);

/* svm_npt.c */
const struct vcpu_pt_format *svm_npt_format(void);
u64 svm_npt_max_gpa(void);

/* svm_run.c */
u32 svm_enter(struct vcpu *vcpu, int cpu);
void svm_vcpu_complete(struct vcpu *vcpu, const struct vcpu_run *exit,
		       u64 value);

/* svm_exit.c */
void svm_handle_exit(struct vcpu *vcpu, u32 vector, struct vcpu_run *exit);
static inline void svm_set_intercept(struct vmcb_control_area *c,
				     unsigned int bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

static inline void svm_clr_intercept(struct vmcb_control_area *c,
				     unsigned int bit)
{
	c->intercepts[bit / 32] &= ~BIT(bit % 32);
}

void svm_inject_ud(struct svm_vcpu *svm);
void svm_inject_fault(struct svm_vcpu *svm, const struct vcpu_x86_fault *f);
/* Advance RIP past @len bytes; ends an STI/MOV SS interrupt shadow. */
void svm_skip(struct vcpu *vcpu, unsigned int len);
/* The save area's system state in the shared x86 form. */
void svm_sregs_save(struct vcpu_x86_sregs *s, struct vmcb_save_area *v);

#endif /* VCPU_SVM_H */
