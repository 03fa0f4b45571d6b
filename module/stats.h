/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-vCPU statistics, defined once as data: every interface that shows
 * them (debugfs today) walks vcpu_stat_descs[] and the exit-kind tables.
 * Updated only by the thread running the vCPU; readers see each u64 as
 * a whole (no lock, as KVM's stats).
 */
#ifndef VCPU_STATS_H
#define VCPU_STATS_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#define VCPU_HIST_BUCKETS	32	/* log2 of nanoseconds */
#define VCPU_HISTORY_LEN	16

struct vcpu_stats {
	u64 entries;			/* guest entries */
	u64 exits;			/* exits delivered to userspace */
	u64 run_ns;			/* time inside VCPU_RUN */
	/* Time inside the backend calls (exits absorbed in the kernel included). */
	u64 guest_ns;
	u64 exit_count[VCPU_EXIT_NR];	/* every exit, absorbed ones too */
	/*
	 * Time outside the guest from an exit to the next entry.  32-bit
	 * buckets (a bucket wraps after 2^32 samples, which a reader of a
	 * distribution can live with) keep struct vcpu small: memory per
	 * vCPU is one of make bench's figures.
	 */
	u32 exit_hist[VCPU_EXIT_NR][VCPU_HIST_BUCKETS];
};

struct vcpu_stat_desc {
	const char *name;
	unsigned int offset;		/* of a u64 in struct vcpu_stats */
};

extern const struct vcpu_stat_desc vcpu_stat_descs[];
extern const unsigned int vcpu_stat_ndescs;
extern const char * const vcpu_exit_names[VCPU_EXIT_NR];

/* Operations recorded in the state history. */
enum vcpu_history_op {
	VCPU_HIST_SETUP, VCPU_HIST_BIND, VCPU_HIST_UNBIND, VCPU_HIST_RUN,
	VCPU_HIST_EXIT, VCPU_HIST_FAIL, VCPU_HIST_BLOCK, VCPU_HIST_WAKE,
};

struct vcpu_history_entry {
	u64 ns;				/* vcpu_now_ns() */
	u8 from, to, op;
};

struct vcpu_history {
	struct vcpu_history_entry e[VCPU_HISTORY_LEN];
	unsigned int next;		/* total recorded; next % LEN is oldest */
};

extern const char * const vcpu_history_op_names[];

/* Count an exit of kind @reason, then, at the next entry, its handling. */
void vcpu_stats_exit(struct vcpu_stats *s, u32 reason);
void vcpu_stats_handled(struct vcpu_stats *s, u32 reason, u64 outside_ns);
void vcpu_history_add(struct vcpu_history *h, u64 ns, u32 from, u32 to,
		      enum vcpu_history_op op);

#endif /* VCPU_STATS_H */
