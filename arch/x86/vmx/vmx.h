/* SPDX-License-Identifier: GPL-2.0 */
/* The Intel VMX backend's private state. */
#ifndef VCPU_VMX_H
#define VCPU_VMX_H

#include <linux/list.h>
#include <linux/jump_label.h>
#include <linux/types.h>
#include <asm/vmx.h>

#include "vcpu.h"
#include "x86.h"
#include "vcpu_x86.h"
#include "apic.h"
#include "strio.h"
#include "sregs.h"

/*
 * Fields of IA32_VMX_BASIC and IA32_VMX_MISC (SDM Vol. 3, A.1 and A.6),
 * defined here: the kernel's macros for them changed in 6.12.
 */
#define VMX_CAP_BASIC_REVISION(b)	((u32)(b) & 0x7fffffff)
#define VMX_CAP_BASIC_VMCS_SIZE(b)	(((b) >> 32) & 0x1fff)
#define VMX_CAP_BASIC_MEM_TYPE(b)	(((b) >> 50) & 0xf)
#define VMX_CAP_MEM_TYPE_WB		6
#define VMX_CAP_MISC_TIMER_RATE(m)	((m) & 0x1f)

/* What the CPU offers, read once from the VMX capability MSRs. */
struct vcpu_vmx_caps {
	u32 revision;
	u32 pin, proc, proc2, exit, entry;	/* the controls we run with */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u32 preemption_timer;		/* VMX_PREEMPTION_TIMER_VALUE, or 0 */
	bool vpid;
	bool invept_context;
	bool invvpid_context;
};

extern struct vcpu_vmx_caps vcpu_vmx_caps;
extern void *vcpu_vmx_msr_bitmap;

/* What a VM exit reported, read while the VMCS was still current. */
struct vcpu_vmx_exit_info {
	bool vmfail;			/* VMLAUNCH/VMRESUME failed */
	u32 reason;			/* VM_EXIT_REASON or VM_INSTRUCTION_ERROR */
	u64 qual;
	u32 len;			/* VM_EXIT_INSTRUCTION_LEN */
	u32 intr_info;			/* VM_EXIT_INTR_INFO */
	u64 gpa;			/* GUEST_PHYSICAL_ADDRESS */
	u64 gla;			/* GUEST_LINEAR_ADDRESS */
	bool code64;			/* the guest ran 64-bit code (LMA, CS.L) */
};

/*
 * The per-entry host fields this VMCS holds
 * (vcpu_vmx_vmcs_write_host_per_entry()).
 */
struct vcpu_vmx_host_state {
	u64 cr3, cr4, fs_base, gs_base;
	bool valid;
};

/*
 * The SYSCALL MSRs, which VMX does not switch: the guest's are loaded for
 * the whole loaded window (vcpu_vmx_vcpu_load/put), in the order of
 * enum vcpu_x86_kept_msr from VCPU_X86_KEPT_STAR.
 */
#define VCPU_VMX_SYSCALL_MSRS	4

/*
 * The host's, saved by vcpu_vmx_vcpu_load() and put back by
 * vcpu_vmx_vcpu_put().
 */
struct vcpu_vmx_host_segs {
	u16 ds, es, fs, gs;
	u64 fs_base;
	u64 kernel_gs_base;
	u64 syscall[VCPU_VMX_SYSCALL_MSRS];	/* STAR, LSTAR, CSTAR, SFMASK */
};

struct vcpu_vmx_vcpu {
	/* First: to_x86().  RSP is mirrored to GUEST_RSP. */
	struct vcpu_x86 x86;
	struct list_head loaded; /* on vcpu_vmx_cpu_data.loaded of its CPU */
	struct vcpu *vcpu;
	void *vmcs;
	u64 vmcs_pa;
	int loaded_cpu;			/* CPU the VMCS is active on, or -1 */
	bool launched;
	/*
	 * L1TF, conditional flush: the host ran code since the last entry
	 * that may have left its data in the L1D (the task was scheduled
	 * in, or came back from userspace): vmx_l1d.c.
	 */
	bool l1d_dirty;
	/*
	 * The guest's system state.  Outside VMX operation this is the
	 * truth.  After an exit the VMCS is newer except for RIP, RFLAGS
	 * and RSP, which are read at every exit (sregs_stale); userspace
	 * changes make the VMCS older (sregs_dirty: rewritten at entry).
	 */
	struct vcpu_x86_sregs sregs;
	bool sregs_stale;
	bool sregs_dirty;
	bool tsc_offset_dirty;	/* x86.tsc_offset not yet in TSC_OFFSET */
	u64 cr0_actual, cr4_actual;	/* what the CPU runs with */
	u32 entry_ctls; /* vcpu_vmx_caps.entry + IA32E_MODE */
	u32 pending_event;		/* VM_ENTRY_INTR_INFO_FIELD */
	u32 pending_event_error;
	u32 pending_event_len;
	u64 guest_kernel_gs_base;
	u64 guest_syscall[VCPU_VMX_SYSCALL_MSRS];
	u64 guest_pat;
	/*
	 * GUEST_INTERRUPTIBILITY_INFO as of the last exit; an instruction
	 * skipped by the kernel ends its STI/MOV SS shadow (written back at
	 * the next entry when shadow_dirty).
	 */
	u32 interruptibility;
	bool shadow_dirty;
	/* Interrupt/NMI-window exiting on (vcpu_vmx_set_window()). */
	u32 windows;
	/*
	 * GUEST_DR7, written with the guest state (sregs_dirty): only the
	 * kernel's emulation changes it, every MOV to DR7 exits.
	 */
	u64 guest_dr7;
	/* The host's DEBUGCTL, which every exit clears (vcpu_vmx_vcpu_load). */
	u64 host_debugctl;
	u16 vpid;
	struct vcpu_vmx_host_state host;
	struct vcpu_vmx_host_segs host_segs;
	struct vcpu_vmx_exit_info exit;
};

static inline struct vcpu_vmx_vcpu *to_vmx(struct vcpu *vcpu)
{
	return vcpu->arch;
}

/* Per physical CPU. */
struct vcpu_vmx_cpu_data {
	void *vmxon_region;
	u64 vmxon_pa;
	struct vcpu_vmx_vcpu *current_vmcs; /* the VMCS VMPTRLD made current */
	struct list_head loaded;	/* VMCSs active on this CPU */
};

DECLARE_PER_CPU(struct vcpu_vmx_cpu_data, vcpu_vmx_cpu_data);

/*
 * vmx_vmenter.S: 0 after a VM exit, 1 when VMLAUNCH/VMRESUME failed, 2
 * when it faulted.
 */
int vcpu_vmx_vmenter(u64 *gprs, bool launched, unsigned long host_rsp_field);
void vcpu_vmx_vmexit(void);

/* vmx_vmcs.c */
void vcpu_vmx_vmcs_load(struct vcpu_vmx_vcpu *vmx, int cpu);
void vcpu_vmx_vmcs_unload(struct vcpu_vmx_vcpu *vmx);
void vcpu_vmx_vmcs_write_guest(struct vcpu_vmx_vcpu *vmx);
void vcpu_vmx_vmcs_read_guest(struct vcpu_vmx_vcpu *vmx);
void vcpu_vmx_vmcs_write_host_per_entry(struct vcpu_vmx_vcpu *vmx, int cpu);
/*
 * The CR0 bits the host owns (the guest/host mask): a guest write to one
 * exits, a guest read sees the read shadow.  Every other bit is the
 * guest's, in GUEST_CR0.  CR4's mask is every bit but the CPUID-proof
 * baseline (VCPU_X86_CR4_BASELINE, cpuid.h).
 */
#define VCPU_VMX_CR0_HOST_OWNED	(X86_CR0_PG | X86_CR0_NE)

void vcpu_vmx_set_cr0(struct vcpu_vmx_vcpu *vmx, u64 cr0);
void vcpu_vmx_set_cr4(struct vcpu_vmx_vcpu *vmx, u64 cr4);
void vcpu_vmx_set_efer(struct vcpu_vmx_vcpu *vmx, u64 efer);

/* vmx_ept.c */
const struct vcpu_pt_format *vcpu_vmx_ept_format(void);
u64 vcpu_vmx_ept_max_gpa(void);
u64 vcpu_vmx_eptp(struct vcpu_vm *vm);
void vcpu_vmx_ept_flush(struct vcpu_vm *vm);

/* vmx_run.c */
u32 vcpu_vmx_enter(struct vcpu *vcpu, int cpu);
void vcpu_vmx_vcpu_load(struct vcpu *vcpu);
void vcpu_vmx_vcpu_put(struct vcpu *vcpu);

void vcpu_vmx_set_window(struct vcpu_vmx_vcpu *vmx, u32 bit, bool open);

/* vmx_exit.c */
void vcpu_vmx_handle_exit(struct vcpu *vcpu, u32 vector, struct vcpu_run *exit);

/* L1TF: the L1D flush before VM entry the host asks for (vmx_l1d.c). */
DECLARE_STATIC_KEY_FALSE(vcpu_vmx_l1d_flush_key);
int vcpu_vmx_l1d_init(void);
void vcpu_vmx_l1d_exit(void);
void vcpu_vmx_l1d_flush(struct vcpu_vmx_vcpu *vmx);
bool vcpu_vmx_exit_needs_sregs(u32 basic_reason);
void vcpu_vmx_queue_exception(struct vcpu_vmx_vcpu *vmx, u8 vector, bool error,
			      u32 code);

#endif /* VCPU_VMX_H */
