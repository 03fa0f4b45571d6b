/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest virtual -> guest physical translation by walking the guest's own
 * page tables, and instruction fetch at a linear address.  Pure logic:
 * guest memory is read through a callback.
 */
#ifndef VCPU_X86_WALK_H
#define VCPU_X86_WALK_H

#include <linux/types.h>

struct vcpu_x86_walk {
	u64 cr0, cr3, cr4, efer;	/* the guest's control registers */
	/* Read @len bytes of guest-physical memory: 0 or a negative errno. */
	int (*read_gpa)(void *opaque, u64 gpa, void *buf, unsigned int len);
	void *opaque;
};

/*
 * Translate a linear address.  Handles paging off (identity, 32-bit
 * linear addresses), 2-level 32-bit paging (4 MiB pages with CR4.PSE),
 * PAE, 4-level and 5-level (CR4.LA57) long-mode paging with 2 MiB / 1 GiB
 * pages.  Permissions and reserved bits are not checked: the guest already
 * made the access.  -EFAULT when an entry is not present or unreadable.
 */
int vcpu_x86_gva_to_gpa(const struct vcpu_x86_walk *w, u64 gva, u64 *gpa);

/* The architectural page-fault error code bits this walker reports. */
#define VCPU_X86_PF_PRESENT	(1U << 0)	/* a protection violation */
#define VCPU_X86_PF_WRITE	(1U << 1)
#define VCPU_X86_PF_USER	(1U << 2)	/* the access was at CPL 3 */

/* An explicit data access, as the MMU checks it. */
struct vcpu_x86_access {
	bool write;
	bool user;		/* CPL 3 */
	bool ac;		/* RFLAGS.AC: lifts SMAP for supervisor accesses */
};

/*
 * vcpu_x86_gva_to_gpa() for an access the guest has not made yet: also
 * checks what the MMU checks for an explicit data access @acc.  Every
 * level must be present; a user access needs U/S at every level; a write
 * needs R/W at every level when it is a user access or CR0.WP is set;
 * with CR4.SMAP and RFLAGS.AC clear a supervisor access to a user page
 * (U/S at every level) is refused.  PAE PDPTEs carry no permissions.
 * Reserved bits, protection keys and NX (no instruction fetch here) are
 * not checked, and accessed/dirty bits are not set.  Returns 0; -EFAULT
 * with *@pf_error the page-fault error code (P, W/R and U/S) when the
 * guest should take #PF at @gva; or -EIO when a paging-structure entry
 * could not be read (no RAM behind the guest's tables: no #PF either).
 */
int vcpu_x86_gva_to_gpa_access(const struct vcpu_x86_walk *w, u64 gva,
			       const struct vcpu_x86_access *acc, u64 *gpa,
			       u32 *pf_error);

/*
 * Read @len bytes at linear address @linear_rip, translating each page
 * separately (at most one page's worth).  Returns the number of bytes read
 * (short when a later page is not mapped or not readable), or -EFAULT when
 * not even the first byte could be read.
 */
int vcpu_x86_fetch(const struct vcpu_x86_walk *w, u64 linear_rip, u8 *buf,
		   unsigned int len);

#endif /* VCPU_X86_WALK_H */
