// SPDX-License-Identifier: GPL-2.0
/* module/pgtable.c with a toy entry format over the fake HAL. */
#include <linux/types.h>
#include <linux/errno.h>

#include "unit.h"
#include "fake_hal.h"
#include "module/pgtable.h"

/*
 * Toy format: bit 0 valid, bit 1 table, bits 2..4 R/W/X, address 51:12.
 * A leaf with no permission is still present (bit 0).
 */
#define TOY_V		(1ULL << 0)
#define TOY_T		(1ULL << 1)
#define TOY_ADDR	0x000ffffffffff000ULL

static u64 toy_table(u64 pa)
{
	return pa | TOY_V | TOY_T;
}

static u64 toy_leaf(u64 pa, unsigned int prot)
{
	return pa | TOY_V | ((u64)prot << 2);
}

static bool toy_present(u64 e)
{
	return e & TOY_V;
}

static unsigned int toy_prot(u64 e)
{
	return (e >> 2) & 7;
}

static const struct vcpu_pt_format toy4 = {
	.levels = 4, .addr_mask = TOY_ADDR, .table_entry = toy_table,
	.leaf_entry = toy_leaf, .present = toy_present, .leaf_prot = toy_prot,
};

static const struct vcpu_pt_format toy5 = {
	.levels = 5, .addr_mask = TOY_ADDR, .table_entry = toy_table,
	.leaf_entry = toy_leaf, .present = toy_present, .leaf_prot = toy_prot,
};

static const struct vcpu_pt_format toy2 = {
	.levels = 2, .addr_mask = TOY_ADDR, .table_entry = toy_table,
	.leaf_entry = toy_leaf, .present = toy_present, .leaf_prot = toy_prot,
};

#define RWX	(VCPU_PT_READ | VCPU_PT_WRITE | VCPU_PT_EXEC)

static void map_lookup_unmap(const struct vcpu_pt_format *fmt)
{
	const u64 limit = vcpu_pt_limit(fmt);
	const u64 gpas[] = {
		0, 0x1000, 0x200000, 0x1ff000, 0x40000000, 0x8000000000ULL,
		limit - 0x1000, limit / 2, limit / 2 + 0x1000,
	};
	struct vcpu_pt pt;
	unsigned int i, prot;
	long live = vcpu_fake_hal_live_pages();
	u64 pa;

	vcpu_fake_hal_reset();
	UNIT_ASSERT_EQ(vcpu_pt_init(&pt, fmt), 0);
	UNIT_EXPECT_EQ(pt.nr_tables, 1);
	UNIT_EXPECT(pt.root != NULL);
	UNIT_EXPECT_EQ(pt.root_pa, vcpu_hal->virt_to_phys(pt.root));

	for (i = 0; i < UNIT_ARRAY_SIZE(gpas); i++) {
		if (gpas[i] >= limit)
			continue;
		UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, gpas[i], &pa, &prot),
			       -ENOENT);
		UNIT_EXPECT_EQ(vcpu_pt_map(&pt, gpas[i], 0x100000000ULL +
					   i * 0x1000, i % 8), 0);
	}
	for (i = 0; i < UNIT_ARRAY_SIZE(gpas); i++) {
		if (gpas[i] >= limit)
			continue;
		pa = 0;
		prot = 99;
		UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, gpas[i], &pa, &prot), 0);
		UNIT_EXPECT_EQ(pa, 0x100000000ULL + i * 0x1000);
		UNIT_EXPECT_EQ(prot, i % 8);
	}
	UNIT_EXPECT_EQ(pt.nr_tables, vcpu_fake_hal_live_pages() - live);
	/* neighbours are not mapped */
	UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0x2000, NULL, NULL), -ENOENT);
	UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0x201000, NULL, NULL), -ENOENT);

	/* remap changes the leaf in place, no new table */
	{
		unsigned long n = pt.nr_tables;

		UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x1000, 0xabc000, VCPU_PT_READ),
			       0);
		UNIT_EXPECT_EQ(pt.nr_tables, n);
		UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0x1000, &pa, &prot), 0);
		UNIT_EXPECT_EQ(pa, 0xabc000);
		UNIT_EXPECT_EQ(prot, VCPU_PT_READ);
	}

	/* unmap: true once, then false; other mappings stay */
	UNIT_EXPECT(vcpu_pt_unmap(&pt, 0x1000));
	UNIT_EXPECT(!vcpu_pt_unmap(&pt, 0x1000));
	UNIT_EXPECT(!vcpu_pt_unmap(&pt, 0x5000));
	UNIT_EXPECT(!vcpu_pt_unmap(&pt, 0x7000000000ULL % limit + 0x3000));
	UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0x1000, &pa, &prot), -ENOENT);
	UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0, &pa, &prot), 0);
	UNIT_EXPECT_EQ(pa, 0x100000000ULL);
	/* unmapping keeps tables (a hardware walker may still be in them) */
	UNIT_EXPECT_EQ(pt.nr_tables, vcpu_fake_hal_live_pages() - live);

	vcpu_pt_destroy(&pt);
	UNIT_EXPECT(pt.root == NULL);
	UNIT_EXPECT_EQ(pt.nr_tables, 0);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages(), live);
	UNIT_EXPECT_EQ(vcpu_fake_hal_errors(), 0);
	/* destroying twice is harmless */
	vcpu_pt_destroy(&pt);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages(), live);
}

UNIT_TEST(pgtable_4level)
{
	map_lookup_unmap(&toy4);
}

UNIT_TEST(pgtable_5level)
{
	map_lookup_unmap(&toy5);
}

UNIT_TEST(pgtable_2level)
{
	map_lookup_unmap(&toy2);
}

UNIT_TEST(pgtable_limit)
{
	struct vcpu_pt_format f = toy4;

	UNIT_EXPECT_EQ(vcpu_pt_limit(&toy4), 1ULL << 48);
	UNIT_EXPECT_EQ(vcpu_pt_limit(&toy5), 1ULL << 57);
	UNIT_EXPECT_EQ(vcpu_pt_limit(&toy2), 1ULL << 30);
	f.levels = 3;
	UNIT_EXPECT_EQ(vcpu_pt_limit(&f), 1ULL << 39);
}

UNIT_TEST(pgtable_table_count)
{
	struct vcpu_pt pt;
	long live = vcpu_fake_hal_live_pages();
	u64 gpa;

	vcpu_fake_hal_reset();
	UNIT_ASSERT_EQ(vcpu_pt_init(&pt, &toy4), 0);
	/* 512 pages in one leaf table: root + 3 tables */
	for (gpa = 0; gpa < 0x200000; gpa += 0x1000)
		UNIT_ASSERT_EQ(vcpu_pt_map(&pt, gpa, gpa, RWX), 0);
	UNIT_EXPECT_EQ(pt.nr_tables, 4);
	/* the next 2 MiB needs one more leaf table */
	UNIT_ASSERT_EQ(vcpu_pt_map(&pt, 0x200000, 0, RWX), 0);
	UNIT_EXPECT_EQ(pt.nr_tables, 5);
	/* the next 1 GiB: one PD and one PT more */
	UNIT_ASSERT_EQ(vcpu_pt_map(&pt, 0x40000000, 0, RWX), 0);
	UNIT_EXPECT_EQ(pt.nr_tables, 7);
	/* the next 512 GiB: PDPT, PD, PT */
	UNIT_ASSERT_EQ(vcpu_pt_map(&pt, 0x8000000000ULL, 0, RWX), 0);
	UNIT_EXPECT_EQ(pt.nr_tables, 10);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages() - live, 10);
	UNIT_EXPECT_EQ(vcpu_fake_hal_total_allocs(), 10);
	/* the root entry points at the PDPT through table_entry() */
	UNIT_EXPECT(pt.root[0] & TOY_T);
	UNIT_EXPECT(pt.root[1] & TOY_T);
	vcpu_pt_destroy(&pt);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages(), live);
	UNIT_EXPECT_EQ(vcpu_fake_hal_errors(), 0);
}

UNIT_TEST(pgtable_einval)
{
	struct vcpu_pt_format bad = toy4;
	struct vcpu_pt pt;
	long live = vcpu_fake_hal_live_pages();

	vcpu_fake_hal_reset();
	bad.levels = 1;
	UNIT_EXPECT_EQ(vcpu_pt_init(&pt, &bad), -EINVAL);
	bad.levels = 6;
	UNIT_EXPECT_EQ(vcpu_pt_init(&pt, &bad), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages(), live);
	/* destroy after a failed init is harmless */
	vcpu_pt_destroy(&pt);

	UNIT_ASSERT_EQ(vcpu_pt_init(&pt, &toy4), 0);
	/* unaligned gpa or pa, gpa out of range, pa outside addr_mask */
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x1001, 0, RWX), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x1800, 0, RWX), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x1000, 0x2004, RWX), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 1ULL << 48, 0, RWX), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, ~0xfffULL, 0, RWX), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x1000, 1ULL << 52, RWX), -EINVAL);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x1000, 0, 8), -EINVAL);
	/* nothing was allocated by the failures */
	UNIT_EXPECT_EQ(pt.nr_tables, 1);
	UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 1ULL << 48, NULL, NULL), -ENOENT);
	UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0x1001, NULL, NULL), -ENOENT);
	UNIT_EXPECT(!vcpu_pt_unmap(&pt, 1ULL << 48));
	/* the last page below the limit is fine */
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, (1ULL << 48) - 0x1000,
				   (1ULL << 52) - 0x1000, RWX), 0);
	vcpu_pt_destroy(&pt);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages(), live);
	UNIT_EXPECT_EQ(vcpu_fake_hal_errors(), 0);
}

UNIT_TEST(pgtable_enomem)
{
	struct vcpu_pt pt;
	long live = vcpu_fake_hal_live_pages();
	unsigned int budget;

	vcpu_fake_hal_reset();
	vcpu_fake_hal_fail_after(0);
	UNIT_EXPECT_EQ(vcpu_pt_init(&pt, &toy5), -ENOMEM);
	UNIT_EXPECT(pt.root == NULL);
	vcpu_pt_destroy(&pt);

	/* a first map needs 4 tables below the root: fail each one */
	for (budget = 0; budget < 4; budget++) {
		vcpu_fake_hal_fail_after(-1);
		UNIT_ASSERT_EQ(vcpu_pt_init(&pt, &toy5), 0);
		vcpu_fake_hal_fail_after(budget);
		UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x123456789000ULL, 0x1000,
					   RWX), -ENOMEM);
		UNIT_EXPECT_EQ(pt.nr_tables, 1 + budget);
		UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0x123456789000ULL, NULL,
					      NULL), -ENOENT);
		/* once memory is back, the map completes */
		vcpu_fake_hal_fail_after(-1);
		UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x123456789000ULL, 0x1000,
					   RWX), 0);
		UNIT_EXPECT_EQ(pt.nr_tables, 5);
		UNIT_EXPECT_EQ(vcpu_pt_lookup(&pt, 0x123456789000ULL, NULL,
					      NULL), 0);
		vcpu_pt_destroy(&pt);
		UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages(), live);
	}
	/* a mapping in existing tables needs no memory */
	UNIT_ASSERT_EQ(vcpu_pt_init(&pt, &toy5), 0);
	UNIT_ASSERT_EQ(vcpu_pt_map(&pt, 0x1000, 0x1000, RWX), 0);
	vcpu_fake_hal_fail_after(0);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x2000, 0x2000, RWX), 0);
	UNIT_EXPECT_EQ(vcpu_pt_map(&pt, 0x200000, 0x2000, RWX), -ENOMEM);
	vcpu_fake_hal_fail_after(-1);
	vcpu_pt_destroy(&pt);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_pages(), live);
	UNIT_EXPECT_EQ(vcpu_fake_hal_errors(), 0);
}
