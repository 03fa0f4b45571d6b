// SPDX-License-Identifier: GPL-2.0
/*
 * x86 guest page-table walker, for decoding the instruction that caused an
 * MMIO exit and for the memory operand of string I/O (which, unlike an
 * MMIO access, the guest has not made yet: see strio.c).  Entries are assembled from little-endian bytes so the code
 * does not depend on the host's byte order.
 */
#include <linux/types.h>
#include <linux/errno.h>

#include "walk.h"

#define VCPU_X86_CR0_WP		(1ULL << 16)
#define VCPU_X86_CR0_PG		(1ULL << 31)
#define VCPU_X86_CR4_PSE	(1ULL << 4)
#define VCPU_X86_CR4_PAE	(1ULL << 5)
#define VCPU_X86_CR4_LA57	(1ULL << 12)
#define VCPU_X86_CR4_SMAP	(1ULL << 21)
#define VCPU_X86_EFER_LMA	(1ULL << 10)

#define VCPU_X86_PTE_P		(1ULL << 0)
#define VCPU_X86_PTE_RW		(1ULL << 1)
#define VCPU_X86_PTE_US		(1ULL << 2)
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
		return -EIO;
	for (i = 0; i < size; i++)
		v |= (u64)b[i] << (8 * i);
	*entry = v;
	return 0;
}

/*
 * The walkers return 0, -EFAULT (an entry is not present) or -EIO (an
 * entry could not be read), and in *perm the R/W and U/S bits ANDed over
 * the levels walked.
 */

/* Legacy 2-level paging: 4-byte entries, 4 MiB pages with CR4.PSE. */
static int vcpu_x86_walk32(const struct vcpu_x86_walk *w, u32 va, u64 *gpa,
			   u64 *perm)
{
	u64 pde, pte;

	if (vcpu_x86_read_entry(w, (w->cr3 & 0xfffff000ULL) + (va >> 22) * 4,
				4, &pde))
		return -EIO;
	if (!(pde & VCPU_X86_PTE_P))
		return -EFAULT;
	*perm &= pde;
	if ((pde & VCPU_X86_PTE_PS) && (w->cr4 & VCPU_X86_CR4_PSE)) {
		/* PSE-36: PDE bits 20:13 are physical-address bits 39:32 */
		*gpa = (pde & 0xffc00000ULL) | (((pde >> 13) & 0xff) << 32) |
		       (va & 0x3fffff);
		return 0;
	}
	if (vcpu_x86_read_entry(w, (pde & 0xfffff000ULL) +
				((va >> 12) & 0x3ff) * 4, 4, &pte))
		return -EIO;
	if (!(pte & VCPU_X86_PTE_P))
		return -EFAULT;
	*perm &= pte;
	*gpa = (pte & 0xfffff000ULL) | (va & 0xfff);
	return 0;
}

/*
 * 64-bit entries: PAE (3 levels, 4-entry PDPT at CR3[31:5]), 4-level and
 * 5-level.  Large pages at level 2 (2 MiB) and level 3 (1 GiB, long mode).
 */
static int vcpu_x86_walk64(const struct vcpu_x86_walk *w, u64 va, u64 *gpa,
			   u64 *perm)
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
					8, &entry))
			return -EIO;
		if (!(entry & VCPU_X86_PTE_P))
			return -EFAULT;
		/* PAE PDPTEs have no R/W or U/S (those bits are reserved). */
		if (!(pae && level == 3))
			*perm &= entry;
		if (level == 1 || (level <= 3 && (entry & VCPU_X86_PTE_PS) &&
				   !(pae && level == 3)))
			break;
		table = entry & VCPU_X86_PTE_ADDR;
	}
	mask = (1ULL << shift) - 1;
	*gpa = (entry & VCPU_X86_PTE_ADDR & ~mask) | (va & mask);
	return 0;
}

/* The walk, and the permissions of the translation in *perm. */
static int vcpu_x86_walk(const struct vcpu_x86_walk *w, u64 gva, u64 *gpa,
			 u64 *perm)
{
	*perm = VCPU_X86_PTE_RW | VCPU_X86_PTE_US;
	if (!(w->cr0 & VCPU_X86_CR0_PG)) {
		*gpa = gva & 0xffffffffULL;
		return 0;
	}
	if (w->cr4 & VCPU_X86_CR4_PAE)
		return vcpu_x86_walk64(w, gva, gpa, perm);
	return vcpu_x86_walk32(w, (u32)gva, gpa, perm);
}

int vcpu_x86_gva_to_gpa(const struct vcpu_x86_walk *w, u64 gva, u64 *gpa)
{
	u64 perm;

	return vcpu_x86_walk(w, gva, gpa, &perm) ? -EFAULT : 0;
}

/* Whether the MMU allows @acc to a translation with permissions @perm. */
static bool vcpu_x86_access_ok(const struct vcpu_x86_walk *w, u64 perm,
			       const struct vcpu_x86_access *acc)
{
	bool user_page = perm & VCPU_X86_PTE_US;
	bool writable = perm & VCPU_X86_PTE_RW;

	if (acc->user)
		return user_page && (writable || !acc->write);
	/* SMAP: an explicit supervisor access to a user page needs AC. */
	if (user_page && (w->cr4 & VCPU_X86_CR4_SMAP) && !acc->ac)
		return false;
	return writable || !acc->write || !(w->cr0 & VCPU_X86_CR0_WP);
}

int vcpu_x86_gva_to_gpa_access(const struct vcpu_x86_walk *w, u64 gva,
			       const struct vcpu_x86_access *acc, u64 *gpa,
			       u32 *pf_error)
{
	u32 code = (acc->write ? VCPU_X86_PF_WRITE : 0) |
		   (acc->user ? VCPU_X86_PF_USER : 0);
	u64 perm;
	int r;

	r = vcpu_x86_walk(w, gva, gpa, &perm);
	if (r == -EIO)
		return -EIO;
	if (r) {
		*pf_error = code;	/* not present */
		return -EFAULT;
	}
	if (!vcpu_x86_access_ok(w, perm, acc)) {
		*pf_error = code | VCPU_X86_PF_PRESENT;
		return -EFAULT;
	}
	return 0;
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
