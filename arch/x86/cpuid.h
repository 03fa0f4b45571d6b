/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's CPUID table (VCPU_SET_CPUID / VCPU_GET_CPUID) and the CR4
 * bits it allows.  cpuid.c: the pure part (table checks, lookup, the
 * default table built from a host seen through a callback, the per-vCPU
 * fields filled at CPUID time, the CR4 rules) also compiles into the host
 * unit tests; its kernel part (the ioctls, the CPUID exit, the MOV to CR4
 * check) does not.
 *
 * The bit numbers are spelled out here rather than taken from
 * asm/cpufeatures.h and asm/processor-flags.h, which the host unit tests
 * cannot include; cpuid.c checks them against the kernel's at build time.
 */
#ifndef VCPU_X86_CPUID_H
#define VCPU_X86_CPUID_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#include "xcr0.h"

/* CR4 bits (Intel SDM vol. 3 2.5, AMD APM vol. 2 3.1.3). */
#define VCPU_CR4_VME		(1ULL << 0)
#define VCPU_CR4_PVI		(1ULL << 1)
#define VCPU_CR4_TSD		(1ULL << 2)
#define VCPU_CR4_DE		(1ULL << 3)
#define VCPU_CR4_PSE		(1ULL << 4)
#define VCPU_CR4_PAE		(1ULL << 5)
#define VCPU_CR4_MCE		(1ULL << 6)
#define VCPU_CR4_PGE		(1ULL << 7)
#define VCPU_CR4_PCE		(1ULL << 8)
#define VCPU_CR4_OSFXSR		(1ULL << 9)
#define VCPU_CR4_OSXMMEXCPT	(1ULL << 10)
#define VCPU_CR4_UMIP		(1ULL << 11)
#define VCPU_CR4_LA57		(1ULL << 12)
#define VCPU_CR4_VMXE		(1ULL << 13)
#define VCPU_CR4_SMXE		(1ULL << 14)
#define VCPU_CR4_FSGSBASE	(1ULL << 16)
#define VCPU_CR4_PCIDE		(1ULL << 17)
#define VCPU_CR4_OSXSAVE	(1ULL << 18)
#define VCPU_CR4_SMEP		(1ULL << 20)
#define VCPU_CR4_SMAP		(1ULL << 21)
#define VCPU_CR4_PKE		(1ULL << 22)

/*
 * The CR4 bits every CPU this module runs on has and no CPUID table can
 * take away: the guest owns them (VMX lets it write them without an
 * exit).  Every other bit is either allowed by the table or reserved.
 */
#define VCPU_X86_CR4_BASELINE	(VCPU_CR4_VME | VCPU_CR4_PVI | VCPU_CR4_TSD | \
				 VCPU_CR4_DE | VCPU_CR4_PSE | VCPU_CR4_PAE | \
				 VCPU_CR4_MCE | VCPU_CR4_PGE | VCPU_CR4_PCE)

/* Changing these flushes the TLB (SDM vol. 3 4.10.4.1). */
#define VCPU_X86_CR4_TLB_BITS	(VCPU_CR4_PSE | VCPU_CR4_PAE | VCPU_CR4_PGE | \
				 VCPU_CR4_PCIDE | VCPU_CR4_SMEP | \
				 VCPU_CR4_SMAP | VCPU_CR4_LA57 | VCPU_CR4_PKE)

#define VCPU_X86_EFER_LMA	(1ULL << 10)

/* The XSAVE legacy area and header, where component 2 may start. */
#define VCPU_X86_XSAVE_BASE	576

/* Leaf 0x40000000: the highest hypervisor leaf, this module's name. */
#define VCPU_X86_CPUID_HV_BASE	0x40000000

/* What a vendor cannot let the guest execute (vcpu_x86_cpuid_host.hide). */
#define VCPU_X86_CPUID_HIDE_RDTSCP	(1U << 0)	/* and RDPID */
#define VCPU_X86_CPUID_HIDE_INVPCID	(1U << 1)
#define VCPU_X86_CPUID_HIDE_WAITPKG	(1U << 2)

/*
 * The host as the default table sees it: @cpuid executes (or, in the unit
 * tests, fakes) CPUID @fn/@index into @r[0..3] = EAX, EBX, ECX, EDX;
 * @xcr0 is the host's XCR0 (0 without CR4.OSXSAVE); @hide is the vendor's
 * VCPU_X86_CPUID_HIDE_* set.
 */
struct vcpu_x86_cpuid_host {
	void (*cpuid)(u32 fn, u32 index, u32 *r);
	u64 xcr0;
	u32 hide;
};

/* A table: nent entries, validated (vcpu_x86_cpuid_check()). */
struct vcpu_x86_cpuid {
	u32 nent;
	struct vcpu_cpuid_entry e[];
};

/* The vCPU's own fields, read when the guest executes CPUID. */
struct vcpu_x86_cpuid_dyn {
	u32 vcpu_id;
	u64 cr4;
	u64 xcr0;		/* the enabled XSAVE components */
	u64 xss;
};

/*
 * Build the default table into @e (room for @max entries).  Returns the
 * number of entries, or -E2BIG when they do not fit.
 */
int vcpu_x86_cpuid_default(const struct vcpu_x86_cpuid_host *host,
			   struct vcpu_cpuid_entry *e, u32 max);

/* SET_CPUID's rules on @nent entries: 0, -E2BIG or -EINVAL. */
int vcpu_x86_cpuid_check(const struct vcpu_cpuid_entry *e, u32 nent);

/* The entry answering @fn/@index, or NULL. */
const struct vcpu_cpuid_entry *
vcpu_x86_cpuid_find(const struct vcpu_x86_cpuid *t, u32 fn, u32 index);

/* CPUID @fn/@index as the guest sees it: @r[0..3] = EAX, EBX, ECX, EDX. */
void vcpu_x86_cpuid_eval(const struct vcpu_x86_cpuid *t, u32 fn, u32 index,
			 const struct vcpu_x86_cpuid_dyn *dyn, u32 *r);

/* The XCR0 components leaf 0xD index 0 offers (EDX:EAX). */
u64 vcpu_x86_cpuid_xcr0(const struct vcpu_x86_cpuid *t);

/*
 * The CR4 bits @t leaves reserved: VMXE and SMXE, every bit this module
 * does not know, and the feature bits whose CPUID bit @t clears.
 */
u64 vcpu_x86_cpuid_cr4_reserved(const struct vcpu_x86_cpuid *t);

/*
 * A MOV to CR4 of @cr4 over @old: 0, or -EINVAL for the #GP the guest
 * takes (a reserved bit, PAE cleared or LA57 changed in long mode, PCIDE
 * set outside long mode or with CR3[11:0] non-zero).
 */
int vcpu_x86_cr4_check(u64 old, u64 cr4, u64 reserved, u64 efer, u64 cr3);

#ifndef __VCPU_UNIT_TEST__
struct vcpu;
struct vcpu_x86;
struct vcpu_run;

int vcpu_x86_cpuid_init(u32 hide);
void vcpu_x86_cpuid_vcpu_init(struct vcpu_x86 *x86);
void vcpu_x86_cpuid_vcpu_destroy(struct vcpu_x86 *x86);
int vcpu_x86_set_cpuid(struct vcpu *vcpu, struct vcpu_cpuid __user *arg);
int vcpu_x86_get_cpuid(struct vcpu *vcpu, struct vcpu_cpuid __user *arg);
/*
 * The XCR0 bits XSETBV may set on @x86 under table @t: leaf 0xD index 0,
 * within what the host offers and the guest fpstate holds.
 */
u64 vcpu_x86_cpuid_xcr0_max(struct vcpu_x86 *x86,
			    const struct vcpu_x86_cpuid *t);
/* The guest's CPUID, answered from its table; RIP moves past it. */
void vcpu_x86_exit_cpuid(struct vcpu *vcpu, unsigned int len,
			 struct vcpu_run *exit);
/*
 * A guest MOV to CR4 of @cr4 (the vendor makes it with @set once
 * checked): #GP, or the write, a TLB flush when it needs one and RIP past
 * the @len-byte instruction.
 */
void vcpu_x86_exit_cr4_write(struct vcpu *vcpu, unsigned int len, u64 cr4,
			     struct vcpu_run *exit);
/* The same, for a vendor exit (@code) that names neither operand nor length. */
void vcpu_x86_exit_mov_cr4(struct vcpu *vcpu, u64 code, struct vcpu_run *exit);
#endif

#endif /* VCPU_X86_CPUID_H */
