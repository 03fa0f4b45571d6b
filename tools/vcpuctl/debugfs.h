/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's read-only debugfs view (default /sys/kernel/debug/vcpu):
 *
 *   vcpus           header, then "vm vcpu pid state cpu exits last_exit"
 *                   per vCPU of every VM
 *   vm<VM>/info     one section per vCPU of the VM, in id order: a line
 *                   "vcpu <ID>", then "key value" lines (pid, state, cpu,
 *                   last_exit, fail_errno, fail_reason, exit_filter,
 *                   irqs_pending), an empty line
 *   vm<VM>/stats    the same sections of "name value" lines: entries,
 *                   exits, run_ns, guest_ns, samples_lost, exit_<KIND>
 *                   N..., hist_<KIND> 32 counts
 *   vm<VM>/history  the same sections of "<ns> <from> -> <to> <op>[
 *                   reason=<text>]" lines
 *
 * A VM's file is read whole once (struct dbg_vmfile) and each vCPU's
 * section parsed from it.  Parsers keep whatever exit kinds the file names,
 * in file order, so that a newer module with more kinds still reads.  The
 * root is VCPUCTL_DEBUGFS or --root, for fixtures.
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
	/* Histogram samples the module had no memory for (0 if absent). */
	uint64_t samples_lost;
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

/* One vCPU's lines in a VM file: [off, off + len) of the buffer. */
struct dbg_section {
	unsigned int vcpu;
	size_t off, len;
};

/* A VM's info, stats or history file, read whole. */
struct dbg_vmfile {
	const char *name;		/* "info", "stats", "history" */
	unsigned int vm;
	bool loaded;
	char *buf;
	size_t nsec;
	struct dbg_section *sec;
};

/*
 * Read vm<VM>/<name> into @vf (zeroed before its first use) unless it
 * holds that file already.  Returns 0, or -1 with errno set (ENOENT: the
 * VM went away).  Free with dbg_vmfile_free().
 */
int dbg_vmfile_load(struct dbg_vmfile *vf, unsigned int vm, const char *name);
void dbg_vmfile_free(struct dbg_vmfile *vf);

/*
 * Parse vCPU @vcpu's section of a loaded "stats", "info" or "history"
 * file; -1 with errno set (ENOENT: no such section, the vCPU went away;
 * EINVAL: @vf holds another file).
 */
int dbg_read_stats(const struct dbg_vmfile *vf, unsigned int vcpu,
		   struct dbg_stats *s);
int dbg_read_info(const struct dbg_vmfile *vf, unsigned int vcpu,
		  struct dbg_info *info);
int dbg_read_history(const struct dbg_vmfile *vf, unsigned int vcpu,
		     struct dbg_history *h);

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
