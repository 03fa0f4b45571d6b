/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A radix page-table builder shared by every second-stage format: AMD NPT,
 * Intel EPT and arm64 stage-2 differ only in how an entry is encoded, which
 * struct vcpu_pt_format describes.  Pure logic over struct vcpu_hal.
 *
 * Concurrency: callers serialise map/unmap (the VM's memory lock).  Tables
 * are never freed before vcpu_pt_destroy(), so a hardware walker running
 * concurrently on another CPU never reads a freed table; entries are
 * written with single 64-bit stores.  TLB invalidation is the caller's job.
 */
#ifndef VCPU_PGTABLE_H
#define VCPU_PGTABLE_H

#include <linux/types.h>
#include "hal.h"

#define VCPU_PT_READ	(1U << 0)
#define VCPU_PT_WRITE	(1U << 1)
#define VCPU_PT_EXEC	(1U << 2)

struct vcpu_pt_format {
	unsigned int levels;		/* 2..5, 9 index bits per level, 4 KiB pages */
	u64 addr_mask;			/* output-address bits of an entry */
	u64 (*table_entry)(u64 table_pa);
	u64 (*leaf_entry)(u64 pa, unsigned int prot);
	bool (*present)(u64 entry);	/* entry maps something (table or leaf) */
	unsigned int (*leaf_prot)(u64 entry);	/* VCPU_PT_* of a leaf */
};

struct vcpu_pt {
	const struct vcpu_pt_format *fmt;
	u64 *root;
	u64 root_pa;
	unsigned long nr_tables;	/* pages used by tables, root included */
};

int vcpu_pt_init(struct vcpu_pt *pt, const struct vcpu_pt_format *fmt);
/* Map one 4 KiB page. -ENOMEM, -EINVAL (unaligned / out of range). */
int vcpu_pt_map(struct vcpu_pt *pt, u64 gpa, u64 pa, unsigned int prot);
/* Clear one leaf; returns true if a mapping was removed. */
bool vcpu_pt_unmap(struct vcpu_pt *pt, u64 gpa);
/* 0 and *pa, *prot when mapped; -ENOENT otherwise. */
int vcpu_pt_lookup(const struct vcpu_pt *pt, u64 gpa, u64 *pa, unsigned int *prot);
void vcpu_pt_destroy(struct vcpu_pt *pt);
/* Highest guest-physical address + 1 the format can map. */
u64 vcpu_pt_limit(const struct vcpu_pt_format *fmt);

#endif /* VCPU_PGTABLE_H */
