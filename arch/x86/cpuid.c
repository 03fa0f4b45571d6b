// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CPUID, under the VMM's control (see VCPU_SET_CPUID in the
 * uapi header), and the CR4 bits it allows.
 *
 * The pure part (up to the __VCPU_UNIT_TEST__ guard) also builds into the
 * host unit tests: the default table sees the host only through struct
 * vcpu_x86_cpuid_host, so a test can feed it a fake CPU.  The kernel part
 * below keeps one default table for the module, built at load, which
 * every vCPU starts with; SET_CPUID gives a vCPU its own copy.
 *
 * Lookup is a linear scan of at most VCPU_CPUID_MAX_ENTRIES entries: the
 * default table has some 50, and a guest executes CPUID at boot, rarely
 * afterwards.
 */
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>

#include "cpuid.h"

/* CPUID bits by leaf and register (Intel SDM vol. 2A CPUID, AMD APM vol. 3). */
#define L1_ECX_DTES64		BIT(2)
#define L1_ECX_MONITOR		BIT(3)
#define L1_ECX_DSCPL		BIT(4)
#define L1_ECX_VMX		BIT(5)
#define L1_ECX_SMX		BIT(6)
#define L1_ECX_EST		BIT(7)
#define L1_ECX_TM2		BIT(8)
#define L1_ECX_FMA		BIT(12)
#define L1_ECX_PDCM		BIT(15)
#define L1_ECX_PCID		BIT(17)
#define L1_ECX_TSC_DEADLINE	BIT(24)
#define L1_ECX_XSAVE		BIT(26)
#define L1_ECX_OSXSAVE		BIT(27)
#define L1_ECX_AVX		BIT(28)
#define L1_ECX_F16C		BIT(29)
#define L1_ECX_HYPERVISOR	BIT(31)
#define L1_EDX_FXSR		BIT(24)
#define L1_EDX_SSE		BIT(25)
#define L1_EDX_DS		BIT(21)
#define L1_EDX_ACPI		BIT(22)
#define L1_EDX_TM		BIT(29)
#define L1_EDX_PBE		BIT(31)
#define L6_EAX_ARAT		BIT(2)
#define L7_EBX_FSGSBASE		BIT(0)
#define L7_EBX_SGX		BIT(2)
#define L7_EBX_AVX2		BIT(5)
#define L7_EBX_SMEP		BIT(7)
#define L7_EBX_INVPCID		BIT(10)
#define L7_EBX_PQM		BIT(12)
#define L7_EBX_PQE		BIT(15)
#define L7_EBX_AVX512F		BIT(16)
#define L7_EBX_SMAP		BIT(20)
#define L7_EBX_PT		BIT(25)
#define L7_ECX_UMIP		BIT(2)
#define L7_ECX_PKU		BIT(3)
#define L7_ECX_OSPKE		BIT(4)
#define L7_ECX_WAITPKG		BIT(5)
#define L7_ECX_CET_SS		BIT(7)
#define L7_ECX_TME		BIT(13)
#define L7_ECX_LA57		BIT(16)
#define L7_ECX_RDPID		BIT(22)
#define L7_ECX_KL		BIT(23)
#define L7_ECX_ENQCMD		BIT(29)
#define L7_ECX_SGX_LC		BIT(30)
#define L7_ECX_PKS		BIT(31)
#define L7_EDX_UINTR		BIT(5)
#define L7_EDX_PCONFIG		BIT(18)
#define L7_EDX_ARCH_LBR		BIT(19)
#define L7_EDX_CET_IBT		BIT(20)
#define L7_EDX_AMX		(BIT(22) | BIT(24) | BIT(25))
#define L7_1_EAX_FRED_LKGS	(BIT(17) | BIT(18))
#define L7_1_EAX_AMX_FP16	BIT(21)
#define L7_1_EAX_LAM		BIT(26)
#define L7_1_EDX_AMX_COMPLEX	BIT(8)
#define L7_1_EDX_CET_SSS	BIT(18)
#define LD1_EAX_XSAVES		BIT(3)
#define LD1_EAX_XFD		BIT(4)
#define LX1_ECX_SVM		BIT(2)
#define LX1_ECX_IBS		BIT(10)
#define LX1_ECX_SKINIT		BIT(12)
#define LX1_ECX_WDT		BIT(13)
#define LX1_ECX_PERFCTR		(BIT(23) | BIT(24) | BIT(28))
#define LX1_ECX_MONITORX	BIT(29)
#define LX1_EDX_RDTSCP		BIT(27)
#define LX7_EDX_INVARIANT_TSC	BIT(8)

/* Leaves the default table passes on, filtered; any other is zero. */
static const u32 vcpu_x86_cpuid_basic[] = {
	0x0, 0x1, 0x2, 0x4, 0x6, 0x7, 0xb, 0xd, 0x15, 0x16, 0x1f,
};
static const u32 vcpu_x86_cpuid_ext[] = {
	0x80000000, 0x80000001, 0x80000002, 0x80000003, 0x80000004,
	0x80000005, 0x80000006, 0x80000007, 0x80000008, 0x80000019,
	0x8000001d, 0x8000001e,
};

#define VCPU_X86_CPUID_MAX_BASIC	0x1f
#define VCPU_X86_CPUID_MAX_EXT		0x8000001e

struct vcpu_x86_cpuid_builder {
	const struct vcpu_x86_cpuid_host *host;
	struct vcpu_cpuid_entry *e;
	u32 n, max;
	u64 xcr0;		/* the XCR0 components offered */
};

static struct vcpu_cpuid_entry *
vcpu_x86_cpuid_add(struct vcpu_x86_cpuid_builder *b, u32 fn, u32 index,
		   bool indexed)
{
	struct vcpu_cpuid_entry *e;
	u32 r[4];

	if (b->n >= b->max) {
		b->n = b->max + 1;	/* remembered as too many */
		return NULL;
	}
	b->host->cpuid(fn, index, r);
	e = &b->e[b->n++];
	*e = (struct vcpu_cpuid_entry){
		.function = fn, .index = indexed ? index : 0,
		.flags = indexed ? VCPU_CPUID_F_SIGNIFICANT_INDEX : 0,
		.eax = r[0], .ebx = r[1], .ecx = r[2], .edx = r[3],
	};
	return e;
}

/* Leaf 1: the features this module cannot give a guest go. */
static void vcpu_x86_cpuid_filter_1(struct vcpu_x86_cpuid_builder *b,
				    struct vcpu_cpuid_entry *e)
{
	e->ecx &= ~(L1_ECX_DTES64 | L1_ECX_MONITOR | L1_ECX_DSCPL |
		    L1_ECX_VMX | L1_ECX_SMX | L1_ECX_EST | L1_ECX_TM2 |
		    L1_ECX_PDCM | L1_ECX_TSC_DEADLINE | L1_ECX_OSXSAVE);
	e->ecx |= L1_ECX_HYPERVISOR;
	e->edx &= ~(L1_EDX_DS | L1_EDX_ACPI | L1_EDX_TM | L1_EDX_PBE);
	/* The initial APIC ID is the vCPU's (vcpu_x86_cpuid_eval()). */
	e->ebx &= 0x00ffffff;
	if (!(b->xcr0 & VCPU_XCR0_SSE))
		e->ecx &= ~L1_ECX_XSAVE;
	if (!(e->ecx & L1_ECX_XSAVE) || !(b->xcr0 & VCPU_XCR0_AVX))
		e->ecx &= ~(L1_ECX_AVX | L1_ECX_FMA | L1_ECX_F16C);
}

static void vcpu_x86_cpuid_filter_7(struct vcpu_x86_cpuid_builder *b,
				    struct vcpu_cpuid_entry *e)
{
	u32 hide = b->host->hide;

	if (e->index == 0) {
		e->ebx &= ~(L7_EBX_SGX | L7_EBX_PQM | L7_EBX_PQE | L7_EBX_PT);
		if (hide & VCPU_X86_CPUID_HIDE_INVPCID)
			e->ebx &= ~L7_EBX_INVPCID;
		if (!(b->xcr0 & VCPU_XCR0_AVX))
			e->ebx &= ~L7_EBX_AVX2;
		/* The other AVX-512 bits mean nothing without F. */
		if ((b->xcr0 & VCPU_XCR0_AVX512) != VCPU_XCR0_AVX512)
			e->ebx &= ~L7_EBX_AVX512F;
		/* PKRU is not switched yet: no protection keys. */
		e->ecx &= ~(L7_ECX_PKU | L7_ECX_OSPKE | L7_ECX_WAITPKG |
			    L7_ECX_CET_SS | L7_ECX_TME | L7_ECX_KL |
			    L7_ECX_ENQCMD | L7_ECX_SGX_LC | L7_ECX_PKS);
		if (hide & VCPU_X86_CPUID_HIDE_RDTSCP)
			e->ecx &= ~L7_ECX_RDPID;
		e->edx &= ~(L7_EDX_UINTR | L7_EDX_PCONFIG | L7_EDX_ARCH_LBR |
			    L7_EDX_CET_IBT | L7_EDX_AMX);
	} else if (e->index == 1) {
		e->eax &= ~(L7_1_EAX_FRED_LKGS | L7_1_EAX_AMX_FP16 |
			    L7_1_EAX_LAM);
		e->edx &= ~(L7_1_EDX_AMX_COMPLEX | L7_1_EDX_CET_SSS);
	} else {
		e->eax = e->ebx = e->ecx = e->edx = 0;
	}
}

/*
 * Leaf 0xD for the components offered: index 0 and 1, then one index per
 * component from 2 up.  Index 0 ECX is the size of them all; the sizes
 * for the enabled ones (index 0 and 1 EBX) are the vCPU's.
 */
static void vcpu_x86_cpuid_add_xsave(struct vcpu_x86_cpuid_builder *b)
{
	struct vcpu_cpuid_entry *e0, *e;
	u32 size = VCPU_X86_XSAVE_BASE;
	unsigned int i;

	e0 = vcpu_x86_cpuid_add(b, 0xd, 0, true);
	e = vcpu_x86_cpuid_add(b, 0xd, 1, true);
	if (!e0 || !e)
		return;
	e0->eax = (u32)b->xcr0;
	e0->edx = b->xcr0 >> 32;
	e0->ebx = 0;
	/* No supervisor state (IA32_XSS is not switched): no XSAVES. */
	e->eax &= ~(LD1_EAX_XSAVES | LD1_EAX_XFD);
	e->ebx = e->ecx = e->edx = 0;
	for (i = 2; i < 63; i++) {
		if (!(b->xcr0 & BIT_ULL(i)))
			continue;
		e = vcpu_x86_cpuid_add(b, 0xd, i, true);
		if (!e)
			return;
		if (e->eax + e->ebx > size)
			size = e->eax + e->ebx;
	}
	e0->ecx = size;
}

/*
 * A leaf with index-dependent values: one entry per index up to and
 * including the first that ends the list (cache type or level type 0).
 */
static void vcpu_x86_cpuid_add_list(struct vcpu_x86_cpuid_builder *b, u32 fn,
				    unsigned int limit)
{
	struct vcpu_cpuid_entry *e;
	unsigned int i;

	for (i = 0; i < limit; i++) {
		e = vcpu_x86_cpuid_add(b, fn, i, true);
		if (!e)
			return;
		if (fn == 0xb || fn == 0x1f) {
			e->edx = 0;	/* the x2APIC ID: the vCPU's */
			if (!(e->ecx & 0xff00))
				return;
		} else if (!(e->eax & 0x1f)) {
			return;
		}
	}
}

static void vcpu_x86_cpuid_add_leaf(struct vcpu_x86_cpuid_builder *b, u32 fn,
				    u32 max)
{
	struct vcpu_cpuid_entry *e;
	unsigned int i;

	switch (fn) {
	case 0x4:
	case 0x8000001d:
		vcpu_x86_cpuid_add_list(b, fn, 16);
		return;
	case 0xb:
	case 0x1f:
		vcpu_x86_cpuid_add_list(b, fn, 8);
		return;
	case 0x7:
		e = vcpu_x86_cpuid_add(b, fn, 0, true);
		if (!e)
			return;
		/* Leaf 7 indexes this module knows: 0 and 1. */
		if (e->eax > 1)
			e->eax = 1;
		vcpu_x86_cpuid_filter_7(b, e);
		for (i = 1; i <= e->eax; i++) {
			struct vcpu_cpuid_entry *s = vcpu_x86_cpuid_add(b, fn, i,
									true);

			if (s)
				vcpu_x86_cpuid_filter_7(b, s);
		}
		return;
	case 0xd:
		if (b->xcr0)
			vcpu_x86_cpuid_add_xsave(b);
		return;
	}

	e = vcpu_x86_cpuid_add(b, fn, 0, false);
	if (!e)
		return;
	switch (fn) {
	case 0x0:
	case 0x80000000:
		if (e->eax > max)
			e->eax = max;
		break;
	case 0x1:
		vcpu_x86_cpuid_filter_1(b, e);
		break;
	case 0x6:
		/* Thermal and power management are the host's: ARAT only. */
		e->eax &= L6_EAX_ARAT;
		e->ebx = e->ecx = e->edx = 0;
		break;
	case 0x80000001:
		e->ecx &= ~(LX1_ECX_SVM | LX1_ECX_IBS | LX1_ECX_SKINIT |
			    LX1_ECX_WDT | LX1_ECX_PERFCTR | LX1_ECX_MONITORX);
		if (b->host->hide & VCPU_X86_CPUID_HIDE_RDTSCP)
			e->edx &= ~LX1_EDX_RDTSCP;
		break;
	case 0x80000007:
		e->eax = e->ebx = e->ecx = 0;
		e->edx &= LX7_EDX_INVARIANT_TSC;
		break;
	}
}

int vcpu_x86_cpuid_default(const struct vcpu_x86_cpuid_host *host,
			   struct vcpu_cpuid_entry *e, u32 max)
{
	struct vcpu_x86_cpuid_builder b = {
		.host = host, .e = e, .max = max,
		.xcr0 = host->xcr0 & ~(VCPU_XCR0_PKRU | VCPU_XCR0_AMX),
	};
	struct vcpu_cpuid_entry *hv;
	u32 r[4], top;
	unsigned int i;

	/* Without x87 and SSE state there is no XSAVE to offer. */
	if ((b.xcr0 & (VCPU_XCR0_X87 | VCPU_XCR0_SSE)) !=
	    (VCPU_XCR0_X87 | VCPU_XCR0_SSE))
		b.xcr0 = 0;

	host->cpuid(0, 0, r);
	top = r[0] < VCPU_X86_CPUID_MAX_BASIC ? r[0] : VCPU_X86_CPUID_MAX_BASIC;
	for (i = 0; i < ARRAY_SIZE(vcpu_x86_cpuid_basic); i++)
		if (vcpu_x86_cpuid_basic[i] <= top)
			vcpu_x86_cpuid_add_leaf(&b, vcpu_x86_cpuid_basic[i],
						top);

	if (b.n < b.max) {
		hv = &e[b.n++];
		*hv = (struct vcpu_cpuid_entry){
			.function = VCPU_X86_CPUID_HV_BASE,
			.eax = VCPU_X86_CPUID_HV_BASE,
		};
		/* "VcpuVcpuVcpu" in EBX, ECX, EDX, little-endian. */
		hv->ebx = hv->ecx = hv->edx = 'V' | 'c' << 8 | 'p' << 16 |
					      'u' << 24;
	} else {
		b.n = b.max + 1;
	}

	host->cpuid(0x80000000, 0, r);
	top = r[0] < VCPU_X86_CPUID_MAX_EXT ? r[0] : VCPU_X86_CPUID_MAX_EXT;
	for (i = 0; i < ARRAY_SIZE(vcpu_x86_cpuid_ext); i++)
		if (r[0] >= 0x80000000 && vcpu_x86_cpuid_ext[i] <= top)
			vcpu_x86_cpuid_add_leaf(&b, vcpu_x86_cpuid_ext[i], top);

	return b.n > b.max ? -E2BIG : (int)b.n;
}

int vcpu_x86_cpuid_check(const struct vcpu_cpuid_entry *e, u32 nent)
{
	u32 i, j;

	if (nent > VCPU_CPUID_MAX_ENTRIES)
		return -E2BIG;
	for (i = 0; i < nent; i++) {
		if (e[i].flags & ~VCPU_CPUID_F_SIGNIFICANT_INDEX ||
		    e[i].reserved[0] || e[i].reserved[1] || e[i].reserved[2])
			return -EINVAL;
		for (j = 0; j < i; j++) {
			if (e[j].function != e[i].function)
				continue;
			/* Two entries that could answer the same CPUID. */
			if (!(e[i].flags & e[j].flags &
			      VCPU_CPUID_F_SIGNIFICANT_INDEX) ||
			    e[i].index == e[j].index)
				return -EINVAL;
		}
	}
	return 0;
}

const struct vcpu_cpuid_entry *
vcpu_x86_cpuid_find(const struct vcpu_x86_cpuid *t, u32 fn, u32 index)
{
	const struct vcpu_cpuid_entry *e;
	u32 i;

	for (i = 0; i < t->nent; i++) {
		e = &t->e[i];
		if (e->function == fn &&
		    (!(e->flags & VCPU_CPUID_F_SIGNIFICANT_INDEX) ||
		     e->index == index))
			return e;
	}
	return NULL;
}

/* The XSAVE area size for components @xfeatures (compacted: @compact). */
static u32 vcpu_x86_xsave_size(const struct vcpu_x86_cpuid *t, u64 xfeatures,
			       bool compact)
{
	const struct vcpu_cpuid_entry *e;
	u32 size = VCPU_X86_XSAVE_BASE, end;
	unsigned int i;

	for (i = 2; i < 63; i++) {
		if (!(xfeatures & BIT_ULL(i)))
			continue;
		e = vcpu_x86_cpuid_find(t, 0xd, i);
		if (!e)
			continue;
		if (compact) {
			/* ECX[1]: the component starts 64-byte aligned. */
			if (e->ecx & BIT(1))
				size = (size + 63) & ~63U;
			size += e->eax;
		} else {
			end = e->ebx + e->eax;
			if (end > size)
				size = end;
		}
	}
	return size;
}

void vcpu_x86_cpuid_eval(const struct vcpu_x86_cpuid *t, u32 fn, u32 index,
			 const struct vcpu_x86_cpuid_dyn *dyn, u32 *r)
{
	const struct vcpu_cpuid_entry *e = vcpu_x86_cpuid_find(t, fn, index);

	if (!e) {
		r[0] = r[1] = r[2] = r[3] = 0;
		return;
	}
	r[0] = e->eax;
	r[1] = e->ebx;
	r[2] = e->ecx;
	r[3] = e->edx;
	switch (fn) {
	case 0x1:
		r[1] = (r[1] & 0x00ffffff) | (dyn->vcpu_id & 0xff) << 24;
		r[2] &= ~L1_ECX_OSXSAVE;
		if ((dyn->cr4 & VCPU_CR4_OSXSAVE) && (r[2] & L1_ECX_XSAVE))
			r[2] |= L1_ECX_OSXSAVE;
		break;
	case 0x7:
		if (index != 0)
			break;
		r[2] &= ~L7_ECX_OSPKE;
		if ((dyn->cr4 & VCPU_CR4_PKE) && (r[2] & L7_ECX_PKU))
			r[2] |= L7_ECX_OSPKE;
		break;
	case 0xb:
	case 0x1f:
		r[3] = dyn->vcpu_id;
		break;
	case 0xd:
		if (index == 0)
			r[1] = vcpu_x86_xsave_size(t, dyn->xcr0, false);
		else if (index == 1)
			r[1] = vcpu_x86_xsave_size(t, dyn->xcr0 | dyn->xss,
						   true);
		break;
	}
}

u64 vcpu_x86_cpuid_xcr0(const struct vcpu_x86_cpuid *t)
{
	const struct vcpu_cpuid_entry *e = vcpu_x86_cpuid_find(t, 0xd, 0);

	return e ? (u64)e->edx << 32 | e->eax : 0;
}

/* @reg of @fn/@index in @t (0 when absent) has every bit of @bits. */
static bool vcpu_x86_cpuid_has(const struct vcpu_x86_cpuid *t, u32 fn,
			       u32 index, unsigned int reg, u32 bits)
{
	const struct vcpu_cpuid_entry *e = vcpu_x86_cpuid_find(t, fn, index);
	u32 regs[4];

	if (!e)
		return false;
	regs[0] = e->eax;
	regs[1] = e->ebx;
	regs[2] = e->ecx;
	regs[3] = e->edx;
	return (regs[reg] & bits) == bits;
}

enum { R_EAX, R_EBX, R_ECX, R_EDX };

/* Each CR4 feature bit and the CPUID bit that allows it. */
static const struct {
	u64 cr4;
	u32 fn, reg, bits;
} vcpu_x86_cr4_features[] = {
	{ VCPU_CR4_OSFXSR, 0x1, R_EDX, L1_EDX_FXSR },
	{ VCPU_CR4_OSXMMEXCPT, 0x1, R_EDX, L1_EDX_SSE },
	{ VCPU_CR4_UMIP, 0x7, R_ECX, L7_ECX_UMIP },
	{ VCPU_CR4_LA57, 0x7, R_ECX, L7_ECX_LA57 },
	{ VCPU_CR4_FSGSBASE, 0x7, R_EBX, L7_EBX_FSGSBASE },
	{ VCPU_CR4_PCIDE, 0x1, R_ECX, L1_ECX_PCID },
	{ VCPU_CR4_OSXSAVE, 0x1, R_ECX, L1_ECX_XSAVE },
	{ VCPU_CR4_SMEP, 0x7, R_EBX, L7_EBX_SMEP },
	{ VCPU_CR4_SMAP, 0x7, R_EBX, L7_EBX_SMAP },
	{ VCPU_CR4_PKE, 0x7, R_ECX, L7_ECX_PKU },
};

u64 vcpu_x86_cpuid_cr4_reserved(const struct vcpu_x86_cpuid *t)
{
	u64 allowed = VCPU_X86_CR4_BASELINE;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcpu_x86_cr4_features); i++)
		if (vcpu_x86_cpuid_has(t, vcpu_x86_cr4_features[i].fn, 0,
				       vcpu_x86_cr4_features[i].reg,
				       vcpu_x86_cr4_features[i].bits))
			allowed |= vcpu_x86_cr4_features[i].cr4;
	/* VMXE, SMXE, CET, PKS and every bit not named above stay reserved. */
	return ~allowed;
}

int vcpu_x86_cr4_check(u64 old, u64 cr4, u64 reserved, u64 efer, u64 cr3)
{
	if (cr4 & reserved)
		return -EINVAL;
	if (efer & VCPU_X86_EFER_LMA) {
		if (!(cr4 & VCPU_CR4_PAE) || ((old ^ cr4) & VCPU_CR4_LA57))
			return -EINVAL;
	}
	if ((cr4 & VCPU_CR4_PCIDE) && !(old & VCPU_CR4_PCIDE) &&
	    (!(efer & VCPU_X86_EFER_LMA) || (cr3 & 0xfff)))
		return -EINVAL;
	return 0;
}

#ifndef __VCPU_UNIT_TEST__
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vcpu_x86.h"

/* The bits spelled out in cpuid.h and above are the kernel's. */
#define VCPU_X86_SAME_BIT(ours, kernel) \
	static_assert(!((u64)(ours) ^ (u64)(kernel)), #ours)
VCPU_X86_SAME_BIT(VCPU_CR4_OSXSAVE, X86_CR4_OSXSAVE);
VCPU_X86_SAME_BIT(VCPU_CR4_PKE, X86_CR4_PKE);
VCPU_X86_SAME_BIT(VCPU_CR4_LA57, X86_CR4_LA57);
VCPU_X86_SAME_BIT(VCPU_CR4_PCIDE, X86_CR4_PCIDE);
VCPU_X86_SAME_BIT(VCPU_CR4_VMXE, X86_CR4_VMXE);
VCPU_X86_SAME_BIT(VCPU_CR4_SMEP, X86_CR4_SMEP);
VCPU_X86_SAME_BIT(VCPU_CR4_SMAP, X86_CR4_SMAP);
VCPU_X86_SAME_BIT(VCPU_CR4_UMIP, X86_CR4_UMIP);
VCPU_X86_SAME_BIT(VCPU_CR4_FSGSBASE, X86_CR4_FSGSBASE);
VCPU_X86_SAME_BIT(VCPU_X86_EFER_LMA, EFER_LMA);
VCPU_X86_SAME_BIT(L1_ECX_XSAVE, BIT(X86_FEATURE_XSAVE & 31));
VCPU_X86_SAME_BIT(L1_ECX_VMX, BIT(X86_FEATURE_VMX & 31));
VCPU_X86_SAME_BIT(LX1_ECX_SVM, BIT(X86_FEATURE_SVM & 31));
VCPU_X86_SAME_BIT(L7_ECX_PKU, BIT(X86_FEATURE_PKU & 31));
VCPU_X86_SAME_BIT(L7_EBX_SMEP, BIT(X86_FEATURE_SMEP & 31));
VCPU_X86_SAME_BIT(VCPU_XCR0_PKRU, XFEATURE_MASK_PKRU);

/* The module's default table, built once at load. */
static struct {
	struct vcpu_x86_cpuid t;
	struct vcpu_cpuid_entry e[VCPU_CPUID_MAX_ENTRIES];
} vcpu_x86_cpuid_default_table;
static u64 vcpu_x86_cpuid_default_cr4_reserved;

static void vcpu_x86_cpuid_host_read(u32 fn, u32 index, u32 *r)
{
	cpuid_count(fn, index, &r[0], &r[1], &r[2], &r[3]);
}

int vcpu_x86_cpuid_init(u32 hide)
{
	struct vcpu_x86_cpuid_host host = {
		.cpuid = vcpu_x86_cpuid_host_read,
		.xcr0 = boot_cpu_has(X86_FEATURE_OSXSAVE) ?
			xgetbv(XCR_XFEATURE_ENABLED_MASK) : 0,
		.hide = hide,
	};
	int n;

	n = vcpu_x86_cpuid_default(&host, vcpu_x86_cpuid_default_table.e,
				   VCPU_CPUID_MAX_ENTRIES);
	if (n < 0)
		return n;
	vcpu_x86_cpuid_default_table.t.nent = n;
	/*
	 * What the module does not offer stays reserved whatever a vCPU's
	 * table says: the host may lack it, or the module not switch it.
	 */
	vcpu_x86_cpuid_default_cr4_reserved =
		vcpu_x86_cpuid_cr4_reserved(&vcpu_x86_cpuid_default_table.t);
	return 0;
}

void vcpu_x86_cpuid_vcpu_init(struct vcpu_x86 *x86)
{
	x86->cpuid = &vcpu_x86_cpuid_default_table.t;
	x86->cr4_reserved = vcpu_x86_cpuid_default_cr4_reserved;
}

static void vcpu_x86_cpuid_free(struct vcpu_x86_cpuid *t)
{
	if (t != &vcpu_x86_cpuid_default_table.t)
		kvfree(t);
}

void vcpu_x86_cpuid_vcpu_destroy(struct vcpu_x86 *x86)
{
	vcpu_x86_cpuid_free(x86->cpuid);
	x86->cpuid = NULL;
}

/* Called within a Free/Ready operation: no RUN can read the table. */
int vcpu_x86_set_cpuid(struct vcpu *vcpu, struct vcpu_cpuid __user *arg)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_sregs s;
	struct vcpu_x86_cpuid *t;
	struct vcpu_cpuid head;
	u64 reserved, xcr0_max;
	int ret;

	if (copy_from_user(&head, arg, sizeof(head)))
		return -EFAULT;
	if (head.nent > VCPU_CPUID_MAX_ENTRIES)
		return -E2BIG;
	if (head.flags)
		return -EINVAL;
	t = kvmalloc(struct_size(t, e, head.nent), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->nent = head.nent;
	ret = -EFAULT;
	if (copy_from_user(t->e, arg->entries, flex_array_size(t, e, t->nent)))
		goto err;
	ret = vcpu_x86_cpuid_check(t->e, t->nent);
	if (ret)
		goto err;
	reserved = vcpu_x86_cpuid_cr4_reserved(t) |
		   vcpu_x86_cpuid_default_cr4_reserved;
	/* The guest's CR4 must stay one the new table allows. */
	vcpu_x86_call(vcpu, get_sregs, &s);
	ret = -EINVAL;
	if (s.cr4 & reserved)
		goto err;
	/* So must its XCR0: leaf 0xD says what XSETBV may enable. */
	xcr0_max = vcpu_x86_cpuid_xcr0_max(x86, t);
	if (x86->xcr0 & ~xcr0_max)
		goto err;
	vcpu_x86_cpuid_free(x86->cpuid);
	x86->cpuid = t;
	x86->cr4_reserved = reserved;
	x86->xcr0_max = xcr0_max;
	return 0;
err:
	kvfree(t);
	return ret;
}

int vcpu_x86_get_cpuid(struct vcpu *vcpu, struct vcpu_cpuid __user *arg)
{
	const struct vcpu_x86_cpuid *t = to_x86(vcpu)->cpuid;
	u32 nent;

	if (get_user(nent, &arg->nent))
		return -EFAULT;
	if (put_user(t->nent, &arg->nent))
		return -EFAULT;
	if (nent < t->nent)
		return -E2BIG;
	if (copy_to_user(arg->entries, t->e, flex_array_size(t, e, t->nent)))
		return -EFAULT;
	return 0;
}

u64 vcpu_x86_cpuid_xcr0_max(struct vcpu_x86 *x86,
			     const struct vcpu_x86_cpuid *t)
{
	/*
	 * What table @t's leaf 0xD offers, never more than the host's
	 * default table and what the guest fpstate holds; x87 always.
	 */
	return vcpu_x86_fpu_xcr0_supported(x86) &
	       ((vcpu_x86_cpuid_xcr0(t) &
		 vcpu_x86_cpuid_xcr0(&vcpu_x86_cpuid_default_table.t)) |
		VCPU_XCR0_X87);
}

void vcpu_x86_exit_cpuid(struct vcpu *vcpu, unsigned int len,
			 struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_cpuid_dyn dyn = {
		.vcpu_id = vcpu->id,
		.cr4 = vcpu_x86_call(vcpu, get_cr4),
		/*
		 * The guest's XCR0 (its XSETBV, or SET_ONE_REG): leaf 0xD's
		 * EBX sizes the area for what is enabled now, which Linux
		 * checks against the component offsets after its XSETBV.
		 */
		.xcr0 = x86->xcr0,
	};
	u64 *r = x86->gprs;
	u32 out[4];

	vcpu_x86_cpuid_eval(x86->cpuid, r[VCPU_REG_RAX], r[VCPU_REG_RCX], &dyn,
			    out);
	r[VCPU_REG_RAX] = out[0];
	r[VCPU_REG_RBX] = out[1];
	r[VCPU_REG_RCX] = out[2];
	r[VCPU_REG_RDX] = out[3];
	vcpu_x86_skip(vcpu, len);
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

void vcpu_x86_exit_cr4_write(struct vcpu *vcpu, unsigned int len, u64 cr4,
			     struct vcpu_run *exit)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_sregs s;
	u64 old;

	exit->exit_reason = VCPU_EXIT_NOTHING;
	vcpu_x86_call(vcpu, get_sregs, &s);
	old = s.cr4;
	if (vcpu_x86_cr4_check(old, cr4, x86->cr4_reserved, s.efer, s.cr3)) {
		vcpu_x86_call(vcpu, inject_exception, X86_TRAP_GP, true, 0);
		return;
	}
	s.cr4 = cr4;
	vcpu_x86_call(vcpu, set_sregs, &s);
	/*
	 * The hardware flushes the TLB when these change; it did not see
	 * this write, so the guest's translations are dropped at the next
	 * entry.  QEMU's TCG and Bochs flush at every entry anyway and would
	 * not show the stale entries a real CPU keeps.
	 */
	if ((old ^ cr4) & VCPU_X86_CR4_TLB_BITS)
		x86->tlb_gen = atomic64_read(&vcpu->vm->tlb_gen) - 1;
	vcpu_x86_skip(vcpu, len);
}

/*
 * A MOV to CR4 the vendor reports without its operand (SVM without decode
 * assists, as QEMU's TCG; with them EXITINFO1 would name the register,
 * but the length still needs next-RIP): fetch and decode it.
 */
void vcpu_x86_exit_mov_cr4(struct vcpu *vcpu, u64 code, struct vcpu_run *exit)
{
	struct vcpu_x86_sregs s;
	struct vcpu_x86_guest g;
	u8 bytes[VCPU_X86_MAX_INSN_LEN];
	int n, len;
	u8 cr, gpr;
	u64 val;

	vcpu_x86_call(vcpu, get_sregs, &s);
	vcpu_x86_guest_of(&s, &g);
	n = vcpu_x86_fetch_insn(vcpu, &g, bytes);
	len = n > 0 ? vcpu_x86_decode_mov_to_cr(bytes, n, g.code_bits, &cr,
						&gpr) : -EFAULT;
	if (len < 0 || cr != 4) {
		vcpu_x86_unsupported_exit(code, len, g.rip, exit);
		return;
	}
	val = to_x86(vcpu)->gprs[gpr];
	if (g.code_bits != 64)
		val = (u32)val;
	vcpu_x86_exit_cr4_write(vcpu, len, val, exit);
}
#endif /* __VCPU_UNIT_TEST__ */
