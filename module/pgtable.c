// SPDX-License-Identifier: GPL-2.0
/*
 * Generic radix page-table builder: levels of 512 64-bit entries, 4 KiB
 * leaves, the entry encoding supplied by struct vcpu_pt_format.
 *
 * Tables are only ever added while the VM lives; vcpu_pt_unmap() clears the
 * leaf and leaves the (possibly now empty) tables in place, so a hardware
 * walker on another CPU can never follow a pointer to a freed table.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/compiler.h>

#include "pgtable.h"

#define VCPU_PT_SHIFT		12
#define VCPU_PT_BITS		9
#define VCPU_PT_ENTRIES		(1U << VCPU_PT_BITS)
#define VCPU_PT_MIN_LEVELS	2
#define VCPU_PT_MAX_LEVELS	5

static bool vcpu_pt_fmt_ok(const struct vcpu_pt_format *fmt)
{
	return fmt && fmt->levels >= VCPU_PT_MIN_LEVELS &&
	       fmt->levels <= VCPU_PT_MAX_LEVELS && fmt->table_entry &&
	       fmt->leaf_entry && fmt->present && fmt->leaf_prot;
}

u64 vcpu_pt_limit(const struct vcpu_pt_format *fmt)
{
	return 1ULL << (VCPU_PT_SHIFT + VCPU_PT_BITS * fmt->levels);
}

/* Index of gpa in a table at @level (1 = leaf table, fmt->levels = root). */
static unsigned int vcpu_pt_index(u64 gpa, unsigned int level)
{
	return (gpa >> (VCPU_PT_SHIFT + VCPU_PT_BITS * (level - 1))) &
	       (VCPU_PT_ENTRIES - 1);
}

static u64 *vcpu_pt_next(const struct vcpu_pt *pt, u64 entry)
{
	return vcpu_hal->phys_to_virt(entry & pt->fmt->addr_mask);
}

static bool vcpu_pt_gpa_ok(const struct vcpu_pt *pt, u64 gpa)
{
	return !(gpa & ((1ULL << VCPU_PT_SHIFT) - 1)) &&
	       gpa < vcpu_pt_limit(pt->fmt);
}

int vcpu_pt_init(struct vcpu_pt *pt, const struct vcpu_pt_format *fmt)
{
	u64 *root;

	pt->fmt = fmt;
	pt->root = NULL;
	pt->root_pa = 0;
	pt->nr_tables = 0;
	if (!vcpu_pt_fmt_ok(fmt))
		return -EINVAL;

	root = vcpu_hal->alloc_page();
	if (!root)
		return -ENOMEM;
	pt->root = root;
	pt->root_pa = vcpu_hal->virt_to_phys(root);
	pt->nr_tables = 1;
	return 0;
}

/*
 * Walk to the leaf table of @gpa.  With @alloc, missing tables are
 * allocated (zeroed by the HAL) and linked with one store each, after the
 * table is fully initialised; otherwise NULL means "not mapped".
 */
static u64 *vcpu_pt_leaf_table(struct vcpu_pt *pt, u64 gpa, bool alloc,
			       int *err)
{
	const struct vcpu_pt_format *fmt = pt->fmt;
	u64 *table = pt->root;
	unsigned int level;

	for (level = fmt->levels; level > 1; level--) {
		u64 *slot = &table[vcpu_pt_index(gpa, level)];
		u64 entry = READ_ONCE(*slot);

		if (!fmt->present(entry)) {
			u64 *new;

			if (!alloc)
				return NULL;
			new = vcpu_hal->alloc_page();
			if (!new) {
				*err = -ENOMEM;
				return NULL;
			}
			pt->nr_tables++;
			entry = fmt->table_entry(vcpu_hal->virt_to_phys(new));
			WRITE_ONCE(*slot, entry);
			table = new;
		} else {
			table = vcpu_pt_next(pt, entry);
		}
	}
	return table;
}

int vcpu_pt_map(struct vcpu_pt *pt, u64 gpa, u64 pa, unsigned int prot)
{
	int err = 0;
	u64 *table;

	if (!pt->root || !vcpu_pt_gpa_ok(pt, gpa) ||
	    (pa & ((1ULL << VCPU_PT_SHIFT) - 1)) ||
	    (pa & ~pt->fmt->addr_mask) ||
	    (prot & ~(VCPU_PT_READ | VCPU_PT_WRITE | VCPU_PT_EXEC)))
		return -EINVAL;

	table = vcpu_pt_leaf_table(pt, gpa, true, &err);
	if (!table)
		return err;
	WRITE_ONCE(table[vcpu_pt_index(gpa, 1)], pt->fmt->leaf_entry(pa, prot));
	return 0;
}

bool vcpu_pt_unmap(struct vcpu_pt *pt, u64 gpa)
{
	u64 *table, *slot;

	if (!pt->root || !vcpu_pt_gpa_ok(pt, gpa))
		return false;
	table = vcpu_pt_leaf_table(pt, gpa, false, NULL);
	if (!table)
		return false;
	slot = &table[vcpu_pt_index(gpa, 1)];
	if (!pt->fmt->present(READ_ONCE(*slot)))
		return false;
	WRITE_ONCE(*slot, 0);
	return true;
}

int vcpu_pt_lookup(const struct vcpu_pt *pt, u64 gpa, u64 *pa,
		   unsigned int *prot)
{
	const struct vcpu_pt_format *fmt = pt->fmt;
	const u64 *table = pt->root;
	unsigned int level;
	u64 entry;

	if (!table || !vcpu_pt_gpa_ok(pt, gpa))
		return -ENOENT;
	for (level = fmt->levels; level > 1; level--) {
		entry = READ_ONCE(table[vcpu_pt_index(gpa, level)]);
		if (!fmt->present(entry))
			return -ENOENT;
		table = vcpu_pt_next(pt, entry);
	}
	entry = READ_ONCE(table[vcpu_pt_index(gpa, 1)]);
	if (!fmt->present(entry))
		return -ENOENT;
	if (pa)
		*pa = entry & fmt->addr_mask;
	if (prot)
		*prot = fmt->leaf_prot(entry);
	return 0;
}

static void vcpu_pt_free_table(struct vcpu_pt *pt, u64 *table,
			       unsigned int level)
{
	unsigned int i;

	if (level > 1) {
		for (i = 0; i < VCPU_PT_ENTRIES; i++) {
			u64 entry = table[i];

			if (pt->fmt->present(entry))
				vcpu_pt_free_table(pt, vcpu_pt_next(pt, entry),
						   level - 1);
		}
	}
	vcpu_hal->free_page(table);
	pt->nr_tables--;
}

void vcpu_pt_destroy(struct vcpu_pt *pt)
{
	if (!pt->root)
		return;
	vcpu_pt_free_table(pt, pt->root, pt->fmt->levels);
	pt->root = NULL;
	pt->root_pa = 0;
}
