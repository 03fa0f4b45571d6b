/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 guest's system state in the ABI's terms, shared by the SVM and
 * VMX backends: the initial state of each setup mode and the ONE_REG ids.
 * Segment attributes use the packed AMD layout of the ABI.  Pure logic.
 */
#ifndef VCPU_X86_SREGS_H
#define VCPU_X86_SREGS_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

struct vcpu_x86_segment {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

/* The MSRs a vendor may keep for the guest (VCPU_REG_X86_MSR()). */
enum vcpu_x86_kept_msr {
	VCPU_X86_KEPT_STAR, VCPU_X86_KEPT_LSTAR, VCPU_X86_KEPT_CSTAR,
	VCPU_X86_KEPT_SFMASK, VCPU_X86_KEPT_KERNEL_GS_BASE,
	VCPU_X86_KEPT_SYSENTER_CS, VCPU_X86_KEPT_SYSENTER_ESP,
	VCPU_X86_KEPT_SYSENTER_EIP, VCPU_X86_KEPT_PAT,
	VCPU_X86_KEPT_NR,
};

struct vcpu_x86_sregs {
	struct vcpu_x86_segment seg[VCPU_SEG_NR];
	struct vcpu_x86_segment gdtr, idtr;	/* base and limit only */
	u64 cr0, cr2, cr3, cr4, efer;	/* as the guest sees them */
	u64 rip, rflags;
	/* Kept MSRs; msr_valid: BIT(enum vcpu_x86_kept_msr) the vendor keeps. */
	u64 msr[VCPU_X86_KEPT_NR];
	u32 msr_valid;
};

/* Packed attributes (ABI layout) */
#define VCPU_X86_ATTR_CODE16	0x009b	/* P, S, execute/read, accessed */
#define VCPU_X86_ATTR_DATA16	0x0093	/* P, S, read/write, accessed */
#define VCPU_X86_ATTR_CODE32	0x0c9b	/* + D, G */
#define VCPU_X86_ATTR_DATA32	0x0c93
#define VCPU_X86_ATTR_CODE64	0x0a9b	/* + L, G */
#define VCPU_X86_ATTR_TSS	0x008b	/* P, busy 32/64-bit TSS */
#define VCPU_X86_ATTR_LDT	0x0082
#define VCPU_X86_ATTR_L		(1U << 9)
#define VCPU_X86_ATTR_DB	(1U << 10)

/* -EINVAL unless @setup's mode and addresses make sense on x86. */
int vcpu_x86_check_setup(const struct vcpu_setup *setup);
/* The architectural state a setup mode starts in; gprs[16] zeroed but RDI/RSP. */
void vcpu_x86_initial_state(const struct vcpu_setup *setup,
			    struct vcpu_x86_sregs *s, u64 *gprs);
/* The field of @s behind ONE_REG @id and its size in bytes, or NULL. */
void *vcpu_x86_one_reg(struct vcpu_x86_sregs *s, u64 id, unsigned int *size);
/* -EINVAL when @value in ONE_REG @id would be refused by the hardware. */
int vcpu_x86_one_reg_check(u64 id, u64 value);

#endif /* VCPU_X86_SREGS_H */
