// SPDX-License-Identifier: GPL-2.0
/* arch/x86/walk.c: guest page walks in every paging mode, and fetch. */
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>
#include <linux/errno.h>

#include "unit.h"
#include "arch/x86/walk.h"

#define GMEM_SIZE	(4U << 20)	/* fake guest memory: 4 MiB */

#define CR0_PG		(1ULL << 31)
#define CR0_WP		(1ULL << 16)
#define CR0_PE		(1ULL << 0)
#define CR4_PSE		(1ULL << 4)
#define CR4_PAE		(1ULL << 5)
#define CR4_LA57	(1ULL << 12)
#define CR4_SMAP	(1ULL << 21)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define P		0x001ULL	/* present */
#define RW		0x002ULL
#define US		0x004ULL
#define PS		0x080ULL
#define NX		(1ULL << 63)

struct gmem {
	u8 *mem;
	u64 next;	/* bump allocator for table pages */
	int reads;
};

static int gmem_read(void *opaque, u64 gpa, void *buf, unsigned int len)
{
	struct gmem *g = opaque;

	g->reads++;
	if (gpa >= GMEM_SIZE || len > GMEM_SIZE - gpa)
		return -EFAULT;
	memcpy(buf, g->mem + gpa, len);
	return 0;
}

static void gmem_init(struct gmem *g, struct vcpu_x86_walk *w)
{
	g->mem = calloc(1, GMEM_SIZE);
	g->next = 0x10000;
	g->reads = 0;
	memset(w, 0, sizeof(*w));
	w->read_gpa = gmem_read;
	w->opaque = g;
}

static u64 gmem_page(struct gmem *g)
{
	u64 pa = g->next;

	g->next += 4096;
	return pa;
}

static void put32(struct gmem *g, u64 gpa, u32 v)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		g->mem[gpa + i] = v >> (8 * i);
}

static void put64(struct gmem *g, u64 gpa, u64 v)
{
	put32(g, gpa, (u32)v);
	put32(g, gpa + 4, (u32)(v >> 32));
}

/*
 * Map a 4 KiB page (levels 4 or 5) or a large page (leaf_level 2 or 3) in
 * long-mode tables rooted at @root, creating tables as needed.
 */
static void map64(struct gmem *g, u64 root, unsigned int levels, u64 va,
		  u64 pa, unsigned int leaf_level, u64 extra)
{
	u64 table = root, e;
	unsigned int level;

	for (level = levels; level > leaf_level; level--) {
		u64 slot = table + ((va >> (12 + 9 * (level - 1))) & 511) * 8;

		memcpy(&e, g->mem + slot, 8);
		if (!(e & P)) {
			e = gmem_page(g) | P | RW;
			put64(g, slot, e);
		}
		table = e & 0x000ffffffffff000ULL;
	}
	put64(g, table + ((va >> (12 + 9 * (leaf_level - 1))) & 511) * 8,
	      pa | P | RW | (leaf_level > 1 ? PS : 0) | extra);
}

static int xlate(const struct vcpu_x86_walk *w, u64 va, u64 *pa)
{
	*pa = 0xdeadbeef;
	return vcpu_x86_gva_to_gpa(w, va, pa);
}

UNIT_TEST(walk_paging_off)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 pa;

	gmem_init(&g, &w);
	w.cr0 = CR0_PE;
	w.cr3 = 0x1000;		/* ignored */
	UNIT_EXPECT_EQ(xlate(&w, 0x12345678, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x12345678);
	/* linear addresses are 32 bits without paging */
	UNIT_EXPECT_EQ(xlate(&w, 0x100001000ULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x1000);
	UNIT_EXPECT_EQ(g.reads, 0);
	free(g.mem);
}

UNIT_TEST(walk_32bit)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 pd, pt, pa;

	gmem_init(&g, &w);
	pd = gmem_page(&g);
	pt = gmem_page(&g);
	w.cr0 = CR0_PG | CR0_PE;
	w.cr3 = pd | 0x18;		/* PWT/PCD bits ignored */
	/* 0x00405000 -> 0x7000 through a page table */
	put32(&g, pd + 1 * 4, (u32)(pt | P | RW));
	put32(&g, pt + 5 * 4, 0x7000 | P | 0x60);	/* A/D bits */
	UNIT_EXPECT_EQ(xlate(&w, 0x00405abc, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x7abc);
	/* upper 32 bits of the address are ignored */
	UNIT_EXPECT_EQ(xlate(&w, 0xffffffff00405abcULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x7abc);
	/* PTE not present, PDE not present */
	UNIT_EXPECT_EQ(xlate(&w, 0x00406000, &pa), -EFAULT);
	UNIT_EXPECT_EQ(xlate(&w, 0x00800000, &pa), -EFAULT);
	/* last PDE, last PTE */
	put32(&g, pd + 1023 * 4, (u32)(pt | P));
	put32(&g, pt + 1023 * 4, 0x3ff000 | P);
	UNIT_EXPECT_EQ(xlate(&w, 0xfffffffe, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x3ffffe);

	/* 4 MiB page: PS honoured only with CR4.PSE */
	put32(&g, pd + 512 * 4, 0x00c00000 | PS | P);
	UNIT_EXPECT_EQ(xlate(&w, 0x80123456, &pa), -EFAULT);
	w.cr4 = CR4_PSE;
	UNIT_EXPECT_EQ(xlate(&w, 0x80123456, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x00d23456);
	/* PSE-36: PDE bits 20:13 are address bits 39:32; PAT bit 12 not */
	put32(&g, pd + 513 * 4, 0x01000000 | (0x03 << 13) | (1 << 12) | PS | P);
	UNIT_EXPECT_EQ(xlate(&w, 0x80412345, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x301012345ULL);
	/* 4 KiB translations still work with PSE on */
	UNIT_EXPECT_EQ(xlate(&w, 0x00405001, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x7001);
	free(g.mem);
}

UNIT_TEST(walk_pae)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 pdpt, pd, pt, pa;

	gmem_init(&g, &w);
	pdpt = gmem_page(&g) + 0x20;	/* PAE CR3 is 32-byte aligned */
	pd = gmem_page(&g);
	pt = gmem_page(&g);
	w.cr0 = CR0_PG | CR0_PE;
	w.cr4 = CR4_PAE;
	w.cr3 = pdpt | 0x18;
	/* 0xc0201000: PDPTE 3, PDE 1, PTE 1 */
	put64(&g, pdpt + 3 * 8, pd | P);
	put64(&g, pd + 1 * 8, pt | P | RW);
	/* NX and address bits above 32 */
	put64(&g, pt + 1 * 8, NX | 0xabcdef5000ULL | P);
	UNIT_EXPECT_EQ(xlate(&w, 0xc0201234, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0xabcdef5234ULL);
	UNIT_EXPECT_EQ(xlate(&w, 0x1c0201234ULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0xabcdef5234ULL);
	/* 2 MiB page at PDE 2, PAT bit 12 not part of the address */
	put64(&g, pd + 2 * 8, 0x40000000ULL | (1 << 12) | PS | P);
	UNIT_EXPECT_EQ(xlate(&w, 0xc0412345, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x40012345);
	/* not present at each level */
	UNIT_EXPECT_EQ(xlate(&w, 0x00000000, &pa), -EFAULT);	/* PDPTE 0 */
	UNIT_EXPECT_EQ(xlate(&w, 0xc0600000, &pa), -EFAULT);	/* PDE 3 */
	UNIT_EXPECT_EQ(xlate(&w, 0xc0202000, &pa), -EFAULT);	/* PTE 2 */
	/* PS in a PAE PDPTE is not a 1 GiB page */
	put64(&g, pdpt + 1 * 8, pd | PS | P);
	UNIT_EXPECT_EQ(xlate(&w, 0x40201234, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0xabcdef5234ULL);
	free(g.mem);
}

UNIT_TEST(walk_long4)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa;

	gmem_init(&g, &w);
	root = gmem_page(&g);
	w.cr0 = CR0_PG | CR0_PE;
	w.cr4 = CR4_PAE;
	w.efer = EFER_LME | EFER_LMA;
	w.cr3 = root | 0x5;		/* PCID bits ignored */

	map64(&g, root, 4, 0x00007f1234567000ULL, 0x000ffffffffff000ULL, 1,
	      NX | (0x7ffULL << 52));
	map64(&g, root, 4, 0xffff800000001000ULL, 0x3000, 1, 0);
	map64(&g, root, 4, 0x0000000040200000ULL, 0x12345600000ULL, 2, 0);
	map64(&g, root, 4, 0x0000008040000000ULL, 0x7c0000000ULL, 3, 0);

	UNIT_EXPECT_EQ(xlate(&w, 0x00007f1234567abcULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x000ffffffffffabcULL);
	UNIT_EXPECT_EQ(xlate(&w, 0xffff800000001ffeULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x3ffe);
	UNIT_EXPECT_EQ(xlate(&w, 0x00000000403fffffULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x123457fffffULL);
	UNIT_EXPECT_EQ(xlate(&w, 0x000000807fedcba9ULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x7ffedcba9ULL);
	/* not present: PML4E, PDPTE, PDE, PTE */
	UNIT_EXPECT_EQ(xlate(&w, 0x0000100000000000ULL, &pa), -EFAULT);
	UNIT_EXPECT_EQ(xlate(&w, 0x00007f0000000000ULL, &pa), -EFAULT);
	UNIT_EXPECT_EQ(xlate(&w, 0x00007f1200000000ULL, &pa), -EFAULT);
	UNIT_EXPECT_EQ(xlate(&w, 0x00007f1234568000ULL, &pa), -EFAULT);
	/* a table outside guest memory cannot be read */
	put64(&g, root + 5 * 8, 0x100000000ULL | P);
	UNIT_EXPECT_EQ(xlate(&w, 5ULL << 39, &pa), -EFAULT);
	/* without LA57 the 5-level bits 56:48 are ignored */
	UNIT_EXPECT_EQ(xlate(&w, 0x01ff800000001000ULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x3000);
	free(g.mem);
}

UNIT_TEST(walk_long5)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa, va = 0x0012345678abc000ULL;

	gmem_init(&g, &w);
	root = gmem_page(&g);
	w.cr0 = CR0_PG | CR0_PE;
	w.cr4 = CR4_PAE | CR4_LA57;
	w.efer = EFER_LME | EFER_LMA;
	w.cr3 = root;

	map64(&g, root, 5, va, 0x5000, 1, 0);
	map64(&g, root, 5, 0xff00000040000000ULL, 0x80000000ULL, 3, 0);
	map64(&g, root, 5, 0x0001000000200000ULL, 0x600000ULL, 2, 0);

	UNIT_EXPECT_EQ(xlate(&w, va | 0x123, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x5123);
	UNIT_EXPECT_EQ(xlate(&w, 0xff00000040000008ULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x80000008ULL);
	UNIT_EXPECT_EQ(xlate(&w, 0x00010000002fffffULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x6fffffULL);
	/* same low 48 bits, different PML5 index: not mapped */
	UNIT_EXPECT_EQ(xlate(&w, va ^ (1ULL << 48), &pa), -EFAULT);
	/* the same tables read as 4-level: the root index differs */
	w.cr4 &= ~CR4_LA57;
	UNIT_EXPECT_EQ(xlate(&w, va, &pa), -EFAULT);
	free(g.mem);
}

/* The guest-physical address of the 4 KiB leaf entry mapping @va. */
static u64 leaf_slot64(struct gmem *g, u64 root, u64 va)
{
	u64 table = root, e;
	unsigned int level;

	for (level = 4; level > 1; level--) {
		u64 slot = table + ((va >> (12 + 9 * (level - 1))) & 511) * 8;

		memcpy(&e, g->mem + slot, 8);
		table = e & 0x000ffffffffff000ULL;
	}
	return table + ((va >> 12) & 511) * 8;
}

UNIT_TEST(fetch_straddles_pages)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, va = 0x400ffaULL;
	u8 buf[16], want[16];
	unsigned int i;

	gmem_init(&g, &w);
	root = gmem_page(&g);
	w.cr0 = CR0_PG | CR0_PE;
	w.cr4 = CR4_PAE;
	w.efer = EFER_LME | EFER_LMA;
	w.cr3 = root;
	/* va page 0x400000 -> 0x9000 and 0x401000 -> 0x3000: not contiguous */
	map64(&g, root, 4, 0x400000, 0x9000, 1, 0);
	map64(&g, root, 4, 0x401000, 0x3000, 1, 0);
	for (i = 0; i < 15; i++) {
		want[i] = 0xa0 + i;
		if (i < 6)
			g.mem[0x9ffa + i] = want[i];
		else
			g.mem[0x3000 + i - 6] = want[i];
	}
	memset(buf, 0, sizeof(buf));
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, va, buf, 15), 15);
	UNIT_EXPECT(!memcmp(buf, want, 15));

	/* within one page */
	memset(buf, 0, sizeof(buf));
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, 0x401000, buf, 9), 9);
	UNIT_EXPECT(!memcmp(buf, want + 6, 9));

	/* second page not present: a short read of the first */
	put64(&g, leaf_slot64(&g, root, 0x401000), 0);
	memset(buf, 0, sizeof(buf));
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, va, buf, 15), 6);
	UNIT_EXPECT(!memcmp(buf, want, 6));
	UNIT_EXPECT_EQ(buf[6], 0);

	/* first byte not present */
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, 0x401000, buf, 15), -EFAULT);
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, 0x7000000, buf, 1), -EFAULT);

	/* second page maps outside guest memory: read fails, short read */
	map64(&g, root, 4, 0x401000, 0x80000000ULL, 1, 0);
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, va, buf, 15), 6);
	free(g.mem);
}

UNIT_TEST(fetch_paging_off)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u8 buf[15];
	unsigned int i;

	gmem_init(&g, &w);
	w.cr0 = CR0_PE;
	for (i = 0; i < 15; i++)
		g.mem[0x1ff8 + i] = i + 1;
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, 0x1ff8, buf, 15), 15);
	for (i = 0; i < 15; i++)
		UNIT_EXPECT_EQ(buf[i], i + 1);
	/* the end of guest memory */
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, GMEM_SIZE - 4, buf, 15), 4);
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, GMEM_SIZE, buf, 15), -EFAULT);
	UNIT_EXPECT_EQ(vcpu_x86_fetch(&w, 0, buf, 0), 0);
	free(g.mem);
}

/* ---- vcpu_x86_gva_to_gpa_access(): the MMU's checks of a data access ---- */

#define PF_P		VCPU_X86_PF_PRESENT
#define PF_W		VCPU_X86_PF_WRITE
#define PF_U		VCPU_X86_PF_USER
#define OK		0xffffffffU	/* no fault expected */

/* Access kinds: R/W, supervisor/user, AC. */
#define A_W		1U
#define A_U		2U
#define A_AC		4U

/*
 * The access of kind @kind at @va: OK with *pa set, else the error code
 * (-EFAULT); -EIO is reported as 0xeeeeeeee.
 */
static u32 chk(const struct vcpu_x86_walk *w, u64 va, unsigned int kind,
	       u64 *pa)
{
	struct vcpu_x86_access acc = {
		.write = kind & A_W, .user = kind & A_U, .ac = kind & A_AC,
	};
	u32 err = 0xdeadbeef;
	int r;

	*pa = 0xdeadbeef;
	r = vcpu_x86_gva_to_gpa_access(w, va, &acc, pa, &err);
	if (r == -EIO)
		return 0xeeeeeeeeU;
	if (r) {
		UNIT_EXPECT_EQ(r, -EFAULT);
		return err;
	}
	return OK;
}

/* The gpa of the entry at @level (1 = PTE) mapping @va in 64-bit tables. */
static u64 slot64(struct gmem *g, u64 root, unsigned int levels, u64 va,
		  unsigned int level)
{
	u64 table = root, e;
	unsigned int l;

	for (l = levels; l > level; l--) {
		memcpy(&e, g->mem + table + ((va >> (12 + 9 * (l - 1))) & 511) *
		       8, 8);
		table = e & 0x000ffffffffff000ULL;
	}
	return table + ((va >> (12 + 9 * (level - 1))) & 511) * 8;
}

static u64 get64(struct gmem *g, u64 gpa)
{
	u64 v;

	memcpy(&v, g->mem + gpa, 8);
	return v;
}

/* Long-mode tables with P | RW | US at every level of @va. */
static void map64_user(struct gmem *g, u64 root, unsigned int levels, u64 va,
		       u64 pa, unsigned int leaf_level)
{
	unsigned int l;

	map64(g, root, levels, va, pa, leaf_level, US);
	for (l = levels; l > leaf_level; l--) {
		u64 slot = slot64(g, root, levels, va, l);

		put64(g, slot, get64(g, slot) | US);
	}
}

static void long_mode(struct vcpu_x86_walk *w, u64 root, bool la57)
{
	w->cr0 = CR0_PG | CR0_PE | CR0_WP;
	w->cr4 = CR4_PAE | (la57 ? CR4_LA57 : 0);
	w->efer = EFER_LME | EFER_LMA;
	w->cr3 = root;
}

/* Every access to a P | RW | US page is allowed, SMAP aside. */
UNIT_TEST(access_all_allowed)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa;
	unsigned int kind;

	gmem_init(&g, &w);
	root = gmem_page(&g);
	long_mode(&w, root, false);
	map64_user(&g, root, 4, 0x7000123000ULL, 0x5000, 1);
	for (kind = 0; kind < 8; kind++) {
		UNIT_EXPECT_EQ(chk(&w, 0x7000123abcULL, kind, &pa), OK);
		UNIT_EXPECT_EQ(pa, 0x5abc);
	}
	/* the MMIO walker gives the same translation */
	UNIT_EXPECT_EQ(xlate(&w, 0x7000123abcULL, &pa), 0);
	UNIT_EXPECT_EQ(pa, 0x5abc);
	free(g.mem);
}

/* Not present at each level: no P in the error code, W and U as made. */
UNIT_TEST(access_not_present_each_level)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa, va = 0x00007f1234567000ULL;
	unsigned int level, kind;

	for (level = 1; level <= 4; level++) {
		gmem_init(&g, &w);
		root = gmem_page(&g);
		long_mode(&w, root, false);
		map64_user(&g, root, 4, va, 0x9000, 1);
		put64(&g, slot64(&g, root, 4, va, level),
		      get64(&g, slot64(&g, root, 4, va, level)) & ~P);
		for (kind = 0; kind < 8; kind++) {
			u32 want = (kind & A_W ? PF_W : 0) |
				   (kind & A_U ? PF_U : 0);

			UNIT_EXPECT_EQ(chk(&w, va | 0x10, kind, &pa), want);
		}
		UNIT_EXPECT_EQ(xlate(&w, va, &pa), -EFAULT);
		free(g.mem);
	}
}

/*
 * R/W clear at one level: supervisor writes fault only with CR0.WP, user
 * writes always; reads never.
 */
UNIT_TEST(access_read_only_each_level)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa, va = 0x00007f1234567000ULL;
	unsigned int level;

	for (level = 1; level <= 4; level++) {
		gmem_init(&g, &w);
		root = gmem_page(&g);
		long_mode(&w, root, false);
		map64_user(&g, root, 4, va, 0x9000, 1);
		put64(&g, slot64(&g, root, 4, va, level),
		      get64(&g, slot64(&g, root, 4, va, level)) & ~RW);
		UNIT_EXPECT_EQ(chk(&w, va, 0, &pa), OK);
		UNIT_EXPECT_EQ(pa, 0x9000);
		UNIT_EXPECT_EQ(chk(&w, va, A_U, &pa), OK);
		UNIT_EXPECT_EQ(chk(&w, va, A_W, &pa), PF_P | PF_W);
		UNIT_EXPECT_EQ(chk(&w, va, A_W | A_U, &pa),
			       PF_P | PF_W | PF_U);
		w.cr0 &= ~CR0_WP;
		UNIT_EXPECT_EQ(chk(&w, va, A_W, &pa), OK);
		UNIT_EXPECT_EQ(pa, 0x9000);
		UNIT_EXPECT_EQ(chk(&w, va, A_W | A_U, &pa),
			       PF_P | PF_W | PF_U);
		free(g.mem);
	}
}

/* U/S clear at one level: a supervisor page, user accesses fault. */
UNIT_TEST(access_supervisor_each_level)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa, va = 0x00007f1234567000ULL;
	unsigned int level;

	for (level = 1; level <= 4; level++) {
		gmem_init(&g, &w);
		root = gmem_page(&g);
		long_mode(&w, root, false);
		map64_user(&g, root, 4, va, 0x9000, 1);
		put64(&g, slot64(&g, root, 4, va, level),
		      get64(&g, slot64(&g, root, 4, va, level)) & ~US);
		UNIT_EXPECT_EQ(chk(&w, va, 0, &pa), OK);
		UNIT_EXPECT_EQ(chk(&w, va, A_W, &pa), OK);
		UNIT_EXPECT_EQ(chk(&w, va, A_U, &pa), PF_P | PF_U);
		UNIT_EXPECT_EQ(chk(&w, va, A_U | A_AC, &pa), PF_P | PF_U);
		UNIT_EXPECT_EQ(chk(&w, va, A_U | A_W, &pa),
			       PF_P | PF_W | PF_U);
		/* SMAP does not concern supervisor pages */
		w.cr4 |= CR4_SMAP;
		UNIT_EXPECT_EQ(chk(&w, va, A_W, &pa), OK);
		free(g.mem);
	}
}

/*
 * SMAP: a supervisor access to a user page faults (P, U/S clear) unless
 * RFLAGS.AC; user accesses are not concerned; with AC the usual write
 * rules still apply.
 */
UNIT_TEST(access_smap)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa, va = 0x400000ULL;

	gmem_init(&g, &w);
	root = gmem_page(&g);
	long_mode(&w, root, false);
	map64_user(&g, root, 4, va, 0x9000, 1);
	map64_user(&g, root, 4, va + 0x1000, 0xa000, 1);
	put64(&g, slot64(&g, root, 4, va + 0x1000, 1), 0xa000 | P | US);
	UNIT_EXPECT_EQ(chk(&w, va, 0, &pa), OK);	/* SMAP off */
	w.cr4 |= CR4_SMAP;
	UNIT_EXPECT_EQ(chk(&w, va, 0, &pa), PF_P);
	UNIT_EXPECT_EQ(chk(&w, va, A_W, &pa), PF_P | PF_W);
	UNIT_EXPECT_EQ(chk(&w, va, A_AC, &pa), OK);
	UNIT_EXPECT_EQ(chk(&w, va, A_W | A_AC, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x9000);
	UNIT_EXPECT_EQ(chk(&w, va, A_U, &pa), OK);
	UNIT_EXPECT_EQ(chk(&w, va, A_U | A_W, &pa), OK);
	/* read-only user page: AC lifts SMAP, not CR0.WP */
	UNIT_EXPECT_EQ(chk(&w, va + 0x1000, A_W | A_AC, &pa), PF_P | PF_W);
	UNIT_EXPECT_EQ(chk(&w, va + 0x1000, A_AC, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0xa000);
	w.cr0 &= ~CR0_WP;
	UNIT_EXPECT_EQ(chk(&w, va + 0x1000, A_W | A_AC, &pa), OK);
	UNIT_EXPECT_EQ(chk(&w, va + 0x1000, A_W, &pa), PF_P | PF_W);
	free(g.mem);
}

/* 2 MiB and 1 GiB pages: the leaf's own bits count, offsets kept. */
UNIT_TEST(access_large_pages)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa;
	u64 va2m = 0x40200000ULL, va1g = 0x8040000000ULL;

	gmem_init(&g, &w);
	root = gmem_page(&g);
	long_mode(&w, root, false);
	map64_user(&g, root, 4, va2m, 0x12345600000ULL, 2);
	map64_user(&g, root, 4, va1g, 0x7c0000000ULL, 3);
	UNIT_EXPECT_EQ(chk(&w, va2m + 0x1fffff, A_W | A_U, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x123457fffffULL);
	UNIT_EXPECT_EQ(chk(&w, va1g + 0x3edcba9, A_W | A_U, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x7c3edcba9ULL);
	/* the 2 MiB leaf read-only, the 1 GiB leaf supervisor */
	put64(&g, slot64(&g, root, 4, va2m, 2),
	      get64(&g, slot64(&g, root, 4, va2m, 2)) & ~RW);
	put64(&g, slot64(&g, root, 4, va1g, 3),
	      get64(&g, slot64(&g, root, 4, va1g, 3)) & ~US);
	UNIT_EXPECT_EQ(chk(&w, va2m + 0x1000, A_W, &pa), PF_P | PF_W);
	UNIT_EXPECT_EQ(chk(&w, va2m + 0x1000, A_U, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x12345601000ULL);
	UNIT_EXPECT_EQ(chk(&w, va1g + 8, A_U, &pa), PF_P | PF_U);
	UNIT_EXPECT_EQ(chk(&w, va1g + 8, A_W, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x7c0000008ULL);
	/* the large-page leaf not present */
	put64(&g, slot64(&g, root, 4, va2m, 2), 0);
	UNIT_EXPECT_EQ(chk(&w, va2m, A_W, &pa), PF_W);
	free(g.mem);
}

/* 5-level: the PML5E's bits count too. */
UNIT_TEST(access_long5)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa, va = 0x0012345678abc000ULL;

	gmem_init(&g, &w);
	root = gmem_page(&g);
	long_mode(&w, root, true);
	map64_user(&g, root, 5, va, 0x5000, 1);
	UNIT_EXPECT_EQ(chk(&w, va | 0x123, A_W | A_U, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x5123);
	put64(&g, slot64(&g, root, 5, va, 5),
	      get64(&g, slot64(&g, root, 5, va, 5)) & ~(RW | US));
	UNIT_EXPECT_EQ(chk(&w, va, A_U, &pa), PF_P | PF_U);
	UNIT_EXPECT_EQ(chk(&w, va, A_W, &pa), PF_P | PF_W);
	UNIT_EXPECT_EQ(chk(&w, va, 0, &pa), OK);
	put64(&g, slot64(&g, root, 5, va, 5), 0);
	UNIT_EXPECT_EQ(chk(&w, va, A_U, &pa), PF_U);
	free(g.mem);
}

/* 2-level 32-bit paging: PDE and PTE bits, 4 MiB pages. */
UNIT_TEST(access_32bit)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 pd, pt, pa;

	gmem_init(&g, &w);
	pd = gmem_page(&g);
	pt = gmem_page(&g);
	w.cr0 = CR0_PG | CR0_PE | CR0_WP;
	w.cr4 = CR4_PSE;
	w.cr3 = pd;
	put32(&g, pd + 1 * 4, (u32)(pt | P | RW | US));
	put32(&g, pt + 5 * 4, 0x7000 | P | RW | US);
	put32(&g, pt + 6 * 4, 0x8000 | P | US);		/* read-only */
	put32(&g, pt + 7 * 4, 0x9000 | P | RW);		/* supervisor */
	UNIT_EXPECT_EQ(chk(&w, 0x00405abc, A_W | A_U, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x7abc);
	UNIT_EXPECT_EQ(chk(&w, 0x00406000, A_W, &pa), PF_P | PF_W);
	UNIT_EXPECT_EQ(chk(&w, 0x00406000, A_U, &pa), OK);
	UNIT_EXPECT_EQ(chk(&w, 0x00407000, A_U, &pa), PF_P | PF_U);
	UNIT_EXPECT_EQ(chk(&w, 0x00407000, A_W, &pa), OK);
	UNIT_EXPECT_EQ(chk(&w, 0x00408000, A_W | A_U, &pa), PF_W | PF_U);
	UNIT_EXPECT_EQ(chk(&w, 0x00800000, 0, &pa), 0);	/* PDE absent */
	/* the PDE read-only: every page under it */
	put32(&g, pd + 1 * 4, (u32)(pt | P | US));
	UNIT_EXPECT_EQ(chk(&w, 0x00405000, A_W | A_U, &pa),
		       PF_P | PF_W | PF_U);
	w.cr0 &= ~CR0_WP;
	UNIT_EXPECT_EQ(chk(&w, 0x00405000, A_W, &pa), OK);
	/* 4 MiB supervisor page */
	put32(&g, pd + 512 * 4, 0x00c00000 | PS | P | RW);
	UNIT_EXPECT_EQ(chk(&w, 0x80123456, A_W, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x00d23456);
	UNIT_EXPECT_EQ(chk(&w, 0x80123456, A_U, &pa), PF_P | PF_U);
	/* SMAP on a 4 MiB user page */
	put32(&g, pd + 512 * 4, 0x00c00000 | PS | P | RW | US);
	w.cr4 |= CR4_SMAP;
	UNIT_EXPECT_EQ(chk(&w, 0x80123456, 0, &pa), PF_P);
	UNIT_EXPECT_EQ(chk(&w, 0x80123456, A_AC, &pa), OK);
	free(g.mem);
}

/* PAE: PDPTEs have no R/W or U/S; the PDE and PTE decide. */
UNIT_TEST(access_pae)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 pdpt, pd, pt, pa;

	gmem_init(&g, &w);
	pdpt = gmem_page(&g) + 0x20;
	pd = gmem_page(&g);
	pt = gmem_page(&g);
	w.cr0 = CR0_PG | CR0_PE | CR0_WP;
	w.cr4 = CR4_PAE;
	w.cr3 = pdpt;
	put64(&g, pdpt + 3 * 8, pd | P);
	put64(&g, pd + 1 * 8, pt | P | RW | US);
	put64(&g, pt + 1 * 8, 0xabcdef5000ULL | P | RW | US);
	put64(&g, pt + 2 * 8, 0x6000 | P | US);
	UNIT_EXPECT_EQ(chk(&w, 0xc0201234, A_W | A_U, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0xabcdef5234ULL);
	UNIT_EXPECT_EQ(chk(&w, 0xc0202000, A_W | A_U, &pa),
		       PF_P | PF_W | PF_U);
	UNIT_EXPECT_EQ(chk(&w, 0xc0203000, A_W, &pa), PF_W);	/* PTE */
	UNIT_EXPECT_EQ(chk(&w, 0x00000000, A_U, &pa), PF_U);	/* PDPTE */
	/* 2 MiB supervisor page */
	put64(&g, pd + 2 * 8, 0x40000000ULL | PS | P | RW);
	UNIT_EXPECT_EQ(chk(&w, 0xc0412345, A_W, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x40012345);
	UNIT_EXPECT_EQ(chk(&w, 0xc0412345, A_U, &pa), PF_P | PF_U);
	free(g.mem);
}

/*
 * Paging off: nothing to check.  A paging-structure entry that cannot be
 * read is -EIO here (no #PF), -EFAULT for the MMIO walker.
 */
UNIT_TEST(access_no_paging_and_unreadable)
{
	struct vcpu_x86_walk w;
	struct gmem g;
	u64 root, pa;

	gmem_init(&g, &w);
	w.cr0 = CR0_PE | CR0_WP;
	w.cr4 = CR4_SMAP;
	UNIT_EXPECT_EQ(chk(&w, 0x100001234ULL, A_W | A_U, &pa), OK);
	UNIT_EXPECT_EQ(pa, 0x1234);
	UNIT_EXPECT_EQ(g.reads, 0);

	root = gmem_page(&g);
	long_mode(&w, root, false);
	put64(&g, root + 5 * 8, 0x100000000ULL | P | RW | US);
	UNIT_EXPECT_EQ(chk(&w, 5ULL << 39, A_W, &pa), 0xeeeeeeeeU);
	UNIT_EXPECT_EQ(xlate(&w, 5ULL << 39, &pa), -EFAULT);
	free(g.mem);
}
