/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's read-only debugfs view (default /sys/kernel/debug/vcpu):
 *
 *   vcpus                    header, then "vm vcpu pid state cpu exits
 *                            last_exit" per vCPU of every VM
 *   vm<VM>/vcpu<ID>/info     "key value" lines (vm, vcpu, pid, state, cpu,
 *                            last_exit, fail_errno, fail_reason)
 *   vm<VM>/vcpu<ID>/stats    "name value" lines: entries, exits, run_ns,
 *                            guest_ns, exit_<KIND> N..., hist_<KIND> 32 counts
 *   vm<VM>/vcpu<ID>/history  "<ns> <from> -> <to> <op>[ reason=<text>]"
 *
 * Parsers keep whatever exit kinds the file names, in file order, so that a
 * newer module with more kinds still reads.  The root is VCPUCTL_DEBUGFS
 * or --root, for fixtures.
 */
#ifndef VCPUCTL_DEBUGFS_H
#define VCPUCTL_DEBUGFS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define DBG_DEFAULT_ROOT	"/sys/kernel/debug/vcpu"
#define DBG_NAME_LEN		32
#define DBG_MAX_KINDS		64
#define DBG_HIST_BUCKETS	32
#define DBG_HISTORY_MAX		64
#define DBG_REASON_LEN		256

struct dbg_vcpu {
	unsigned int vm, vcpu;
	long pid;
	char state[DBG_NAME_LEN];
	int cpu;
	uint64_t exits;
	char last_exit[DBG_NAME_LEN];
};

struct dbg_list {
	struct dbg_vcpu *v;
	size_t n;
};

struct dbg_kind {
	char name[DBG_NAME_LEN];
	uint64_t count;
	bool has_hist;
	uint64_t hist[DBG_HIST_BUCKETS];
};

struct dbg_stats {
	uint64_t entries, exits, run_ns, guest_ns;
	size_t nkinds;
	struct dbg_kind kind[DBG_MAX_KINDS];
};

struct dbg_info {
	long pid;
	char state[DBG_NAME_LEN];
	int cpu;
	char last_exit[DBG_NAME_LEN];
	long fail_errno;
	char fail_reason[DBG_REASON_LEN];
	/* Space-separated names / numbers, "-" for none, "" if unknown. */
	char exit_filter[DBG_REASON_LEN];
	char irqs_pending[DBG_REASON_LEN];
};

struct dbg_transition {
	uint64_t ns;
	char from[DBG_NAME_LEN], to[DBG_NAME_LEN], op[DBG_NAME_LEN];
	bool has_reason;
	char reason[DBG_REASON_LEN];
};

struct dbg_history {
	size_t n;
	struct dbg_transition t[DBG_HISTORY_MAX];
};

/* The root: --root if set by dbg_set_root(), else $VCPUCTL_DEBUGFS, else default. */
void dbg_set_root(const char *root);
const char *dbg_root(void);

/*
 * Read "vcpus".  Returns 0, or -1 after printing why (with a hint when the
 * directory is missing).  Free with dbg_list_free().
 */
int dbg_read_list(struct dbg_list *list);
void dbg_list_free(struct dbg_list *list);

/* Per-vCPU files; -1 with errno set (ENOENT: the vCPU went away). */
int dbg_read_stats(unsigned int vm, unsigned int vcpu, struct dbg_stats *s);
int dbg_read_info(unsigned int vm, unsigned int vcpu, struct dbg_info *info);
int dbg_read_history(unsigned int vm, unsigned int vcpu, struct dbg_history *h);

/* Index of kind @name in @s, adding it (count 0) if absent; -1 if full. */
int dbg_stats_kind(struct dbg_stats *s, const char *name);
/* Add @b's counters into @a (kinds matched by name). */
void dbg_stats_add(struct dbg_stats *a, const struct dbg_stats *b);

/* Samples of a histogram, and its p-th percentile (0..100) estimate in ns. */
uint64_t dbg_hist_samples(const uint64_t *hist);
double dbg_hist_percentile(const uint64_t *hist, double p);

/* "VM" or "VM/VCPU"; *vcpu = -1 when absent.  Returns 0 or -1. */
int dbg_parse_selector(const char *s, long *vm, long *vcpu);

/* A JSON string literal of @s (quotes and escapes) on @f. */
void json_string(FILE *f, const char *s);
/* "1.23 us" style duration for @ns into @buf. */
const char *fmt_ns(char *buf, size_t len, double ns);

#endif /* VCPUCTL_DEBUGFS_H */
