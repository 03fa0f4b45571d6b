// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 identity page tables for guests that start in long mode
 * (VCPU_MODE_X86_LONG64 takes CR3): vcpuctl's flat and ELF images and the
 * selftests' guests.  Plain memory work, no VM needed: the caller passes
 * the host view of the table pages.
 */
#include <string.h>

#include "../vmm.h"

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_PS		(1ULL << 7)	/* 2 MiB page in a PD entry */
#define SZ_4K		4096ULL
#define SZ_2M		(1ULL << 21)
#define SZ_1G		(1ULL << 30)
#define PT_ENTRIES	512

static uint64_t identity_pds(uint64_t span)
{
	return (span + SZ_1G - 1) / SZ_1G;
}

uint64_t vmm_x86_identity_map_pages(uint64_t span)
{
	return 2 + identity_pds(span);	/* PML4, PDPT, the PDs */
}

int vmm_x86_identity_map(void *table, uint64_t table_gpa, uint64_t span)
{
	uint64_t nr_pds = identity_pds(span), *pml4 = table, *pdpt, *pd, i;

	/* One PDPT maps 512 GiB. */
	if (!nr_pds || nr_pds > PT_ENTRIES || table_gpa % SZ_4K)
		return -1;
	pdpt = pml4 + PT_ENTRIES;
	pd = pdpt + PT_ENTRIES;
	memset(table, 0, vmm_x86_identity_map_pages(span) * SZ_4K);
	pml4[0] = (table_gpa + SZ_4K) | PTE_P | PTE_RW;
	for (i = 0; i < nr_pds; i++)
		pdpt[i] = (table_gpa + (2 + i) * SZ_4K) | PTE_P | PTE_RW;
	/*
	 * The PDs are contiguous: entry i maps i * 2 MiB, up to @span.
	 * Accessed and dirty are set: the guest's walks never write them.
	 */
	for (i = 0; i * SZ_2M < span; i++)
		pd[i] = (i * SZ_2M) | PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PS;
	return 0;
}
