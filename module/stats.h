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
#define VCPU_HISTORY_LIFE	8

struct vcpu_stats {
	u64 entries;			/* guest entries */
	u64 exits;			/* exits delivered to userspace */
	u64 run_ns;			/* time inside VCPU_RUN */
	/* Time inside the backend calls (exits absorbed in the kernel included). */
	u64 guest_ns;
	u64 exit_count[VCPU_EXIT_NR];	/* every exit, absorbed ones too */
	/* Samples lost: their histogram could not be allocated. */
	u64 samples_lost;
	/*
	 * Time outside the guest from an exit to the next entry, one
	 * histogram per exit kind, allocated (zeroed, by the HAL) for the
	 * first sample of that kind: a vCPU pays for the kinds it has
	 * seen, usually a few of the 19, not for all of them up front.
	 * NULL reads as all zeros; written only by the thread running the
	 * vCPU, published with a release store, freed with the vCPU.
	 * 32-bit buckets: a bucket wraps after 2^32 samples, which a reader
	 * of a distribution can live with.
	 */
	u32 *exit_hist[VCPU_EXIT_NR];
};

#define VCPU_HIST_SIZE		(VCPU_HIST_BUCKETS * sizeof(u32))

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
	VCPU_HIST_CREATE,
};

struct vcpu_history_entry {
	u64 ns;				/* vcpu_now_ns() */
	u32 seq;			/* its place in the whole history */
	u8 from, to, op;
};

/*
 * The latest VCPU_HISTORY_LEN transitions, which a busy vCPU fills with
 * Running <-> Ready; kept apart from them, its lifecycle: the first
 * VCPU_HISTORY_LIFE transitions made by anything but RUN (create, setup,
 * bind, unbind), and the last failure.
 */
struct vcpu_history {
	struct vcpu_history_entry e[VCPU_HISTORY_LEN];
	unsigned int next;		/* total recorded; next % LEN is oldest */
	struct vcpu_history_entry life[VCPU_HISTORY_LIFE];
	unsigned int nlife;
	struct vcpu_history_entry fail;	/* valid if has_fail */
	bool has_fail;
};

/* Room for every entry vcpu_history_list() may return. */
#define VCPU_HISTORY_MAX	(VCPU_HISTORY_LEN + VCPU_HISTORY_LIFE + 1)

extern const char * const vcpu_history_op_names[];

/*
 * Count an exit of kind @reason, then, at the next entry, its handling.
 * vcpu_stats_handled() may sleep (it allocates the kind's histogram the
 * first time): the run loop calls it preemptible, before the entry.
 */
void vcpu_stats_exit(struct vcpu_stats *s, u32 reason);
void vcpu_stats_handled(struct vcpu_stats *s, u32 reason, u64 outside_ns);
/* Free the histograms (the vCPU goes, no reader is left). */
void vcpu_stats_free(struct vcpu_stats *s);
void vcpu_history_add(struct vcpu_history *h, u64 ns, u32 from, u32 to,
		      enum vcpu_history_op op);
/*
 * The lifecycle, the last failure and the latest transitions, each once,
 * oldest first, into @out (VCPU_HISTORY_MAX entries); returns how many.
 */
unsigned int vcpu_history_list(const struct vcpu_history *h,
			       struct vcpu_history_entry *out);

#endif /* VCPU_STATS_H */
