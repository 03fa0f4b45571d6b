// SPDX-License-Identifier: GPL-2.0
/*
 * x86 guest page-table walker, for decoding the instruction that caused an
 * MMIO exit.  Entries are assembled from little-endian bytes so the code
 * does not depend on the host's byte order.
 */
#include <linux/types.h>
#include <linux/errno.h>

#include "walk.h"

#define VCPU_X86_CR0_PG		(1ULL << 31)
#define VCPU_X86_CR4_PSE	(1ULL << 4)
#define VCPU_X86_CR4_PAE	(1ULL << 5)
#define VCPU_X86_CR4_LA57	(1ULL << 12)
#define VCPU_X86_EFER_LMA	(1ULL << 10)

#define VCPU_X86_PTE_P		(1ULL << 0)
#define VCPU_X86_PTE_PS		(1ULL << 7)
/* Physical-address bits 51:12 of a 64-bit entry. */
#define VCPU_X86_PTE_ADDR	0x000ffffffffff000ULL

#define VCPU_X86_PAGE_SIZE	4096U

static int vcpu_x86_read_entry(const struct vcpu_x86_walk *w, u64 gpa,
			       unsigned int size, u64 *entry)
{
	u8 b[8];
	unsigned int i;
	u64 v = 0;

	if (w->read_gpa(w->opaque, gpa, b, size))
		return -EFAULT;
	for (i = 0; i < size; i++)
		v |= (u64)b[i] << (8 * i);
	*entry = v;
	return 0;
}

/* Legacy 2-level paging: 4-byte entries, 4 MiB pages with CR4.PSE. */
static int vcpu_x86_walk32(const struct vcpu_x86_walk *w, u32 va, u64 *gpa)
{
	u64 pde, pte;

	if (vcpu_x86_read_entry(w, (w->cr3 & 0xfffff000ULL) + (va >> 22) * 4,
				4, &pde) || !(pde & VCPU_X86_PTE_P))
		return -EFAULT;
	if ((pde & VCPU_X86_PTE_PS) && (w->cr4 & VCPU_X86_CR4_PSE)) {
		/* PSE-36: PDE bits 20:13 are physical-address bits 39:32 */
		*gpa = (pde & 0xffc00000ULL) | (((pde >> 13) & 0xff) << 32) |
		       (va & 0x3fffff);
		return 0;
	}
	if (vcpu_x86_read_entry(w, (pde & 0xfffff000ULL) +
				((va >> 12) & 0x3ff) * 4, 4, &pte) ||
	    !(pte & VCPU_X86_PTE_P))
		return -EFAULT;
	*gpa = (pte & 0xfffff000ULL) | (va & 0xfff);
	return 0;
}

/*
 * 64-bit entries: PAE (3 levels, 4-entry PDPT at CR3[31:5]), 4-level and
 * 5-level.  Large pages at level 2 (2 MiB) and level 3 (1 GiB, long mode).
 */
static int vcpu_x86_walk64(const struct vcpu_x86_walk *w, u64 va, u64 *gpa)
{
	unsigned int level, shift;
	u64 table, entry, mask;
	bool pae = !(w->efer & VCPU_X86_EFER_LMA);

	if (pae) {
		va &= 0xffffffffULL;
		level = 3;
		table = w->cr3 & 0xffffffe0ULL;
	} else {
		level = (w->cr4 & VCPU_X86_CR4_LA57) ? 5 : 4;
		table = w->cr3 & VCPU_X86_PTE_ADDR;
	}

	for (;; level--) {
		shift = 12 + 9 * (level - 1);
		if (vcpu_x86_read_entry(w, table + ((va >> shift) & 511) * 8,
					8, &entry) || !(entry & VCPU_X86_PTE_P))
			return -EFAULT;
		if (level == 1 || (level <= 3 && (entry & VCPU_X86_PTE_PS) &&
				   !(pae && level == 3)))
			break;
		table = entry & VCPU_X86_PTE_ADDR;
	}
	mask = (1ULL << shift) - 1;
	*gpa = (entry & VCPU_X86_PTE_ADDR & ~mask) | (va & mask);
	return 0;
}

int vcpu_x86_gva_to_gpa(const struct vcpu_x86_walk *w, u64 gva, u64 *gpa)
{
	if (!(w->cr0 & VCPU_X86_CR0_PG)) {
		*gpa = gva & 0xffffffffULL;
		return 0;
	}
	if (w->cr4 & VCPU_X86_CR4_PAE)
		return vcpu_x86_walk64(w, gva, gpa);
	return vcpu_x86_walk32(w, (u32)gva, gpa);
}

int vcpu_x86_fetch(const struct vcpu_x86_walk *w, u64 linear_rip, u8 *buf,
		   unsigned int len)
{
	unsigned int done = 0, chunk;
	u64 gpa;

	if (len > VCPU_X86_PAGE_SIZE)
		len = VCPU_X86_PAGE_SIZE;
	while (done < len) {
		u64 la = linear_rip + done;

		chunk = VCPU_X86_PAGE_SIZE - (la & (VCPU_X86_PAGE_SIZE - 1));
		if (chunk > len - done)
			chunk = len - done;
		if (vcpu_x86_gva_to_gpa(w, la, &gpa) ||
		    w->read_gpa(w->opaque, gpa, buf + done, chunk))
			break;
		done += chunk;
	}
	if (!done && len)
		return -EFAULT;
	return done;
}
