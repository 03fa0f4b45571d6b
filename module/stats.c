// SPDX-License-Identifier: GPL-2.0
/* Per-vCPU statistics and state history: the definitions. Pure logic. */
#include <linux/array_size.h>
#include <linux/compiler.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <asm/barrier.h>

#include "hal.h"
#include "stats.h"

#define VCPU_STAT(field)	{ #field, offsetof(struct vcpu_stats, field) }

const struct vcpu_stat_desc vcpu_stat_descs[] = {
	VCPU_STAT(entries),
	VCPU_STAT(exits),
	VCPU_STAT(run_ns),
	VCPU_STAT(guest_ns),
	VCPU_STAT(samples_lost),
};

const unsigned int vcpu_stat_ndescs = ARRAY_SIZE(vcpu_stat_descs);

const char * const vcpu_exit_names[VCPU_EXIT_NR] = {
	[VCPU_EXIT_NOTHING]		= "NOTHING",
	[VCPU_EXIT_HYPERCALL]		= "HYPERCALL",
	[VCPU_EXIT_MMIO_READ]		= "MMIO_READ",
	[VCPU_EXIT_MMIO_WRITE]		= "MMIO_WRITE",
	[VCPU_EXIT_SYSREG_READ]		= "SYSREG_READ",
	[VCPU_EXIT_SYSREG_WRITE]	= "SYSREG_WRITE",
	[VCPU_EXIT_IO_READ]		= "IO_READ",
	[VCPU_EXIT_IO_WRITE]		= "IO_WRITE",
	[VCPU_EXIT_EXTERNAL_INTERRUPT]	= "EXTERNAL_INTERRUPT",
	[VCPU_EXIT_NESTED_PAGE_FAULT]	= "NESTED_PAGE_FAULT",
	[VCPU_EXIT_HALT]		= "HALT",
	[VCPU_EXIT_CPU_UP]		= "CPU_UP",
	[VCPU_EXIT_CPU_DOWN]		= "CPU_DOWN",
	[VCPU_EXIT_SYSTEM_DOWN]		= "SYSTEM_DOWN",
	[VCPU_EXIT_SEND_IPI]		= "SEND_IPI",
	[VCPU_EXIT_FAIL_ENTRY]		= "FAIL_ENTRY",
	[VCPU_EXIT_INTR]		= "INTR",
	[VCPU_EXIT_SHUTDOWN]		= "SHUTDOWN",
	[VCPU_EXIT_INTERNAL_ERROR]	= "INTERNAL_ERROR",
};

const char * const vcpu_history_op_names[] = {
	[VCPU_HIST_SETUP]	= "setup",
	[VCPU_HIST_BIND]	= "bind",
	[VCPU_HIST_UNBIND]	= "unbind",
	[VCPU_HIST_RUN]		= "run",
	[VCPU_HIST_EXIT]	= "exit",
	[VCPU_HIST_FAIL]	= "fail",
	[VCPU_HIST_BLOCK]	= "block",
	[VCPU_HIST_WAKE]	= "wake",
	[VCPU_HIST_CREATE]	= "create",
};

void vcpu_stats_exit(struct vcpu_stats *s, u32 reason)
{
	if (reason < VCPU_EXIT_NR)
		s->exit_count[reason]++;
}

/*
 * @outside_ns: from the exit of kind @reason to the next entry.  Without
 * memory for the kind's histogram the sample is counted as lost and the
 * allocation tried again at the next one.
 */
void vcpu_stats_handled(struct vcpu_stats *s, u32 reason, u64 outside_ns)
{
	unsigned int b = outside_ns ? ilog2(outside_ns) : 0;
	u32 *hist;

	if (reason >= VCPU_EXIT_NR)
		return;
	hist = s->exit_hist[reason];
	if (unlikely(!hist)) {
		hist = vcpu_hal->zalloc(VCPU_HIST_SIZE);
		if (!hist) {
			s->samples_lost++;
			return;
		}
		/* Readers see the zeroed buckets before the pointer. */
		smp_store_release(&s->exit_hist[reason], hist);
	}
	hist[min(b, VCPU_HIST_BUCKETS - 1)]++;
}

void vcpu_stats_free(struct vcpu_stats *s)
{
	unsigned int i;

	for (i = 0; i < VCPU_EXIT_NR; i++) {
		vcpu_hal->free(s->exit_hist[i]);
		s->exit_hist[i] = NULL;
	}
}

void vcpu_history_add(struct vcpu_history *h, u64 ns, u32 from, u32 to,
		      enum vcpu_history_op op)
{
	struct vcpu_history_entry *e = &h->e[h->next % VCPU_HISTORY_LEN];

	e->ns = ns;
	e->seq = h->next++;
	e->from = from;
	e->to = to;
	e->op = op;
	if (op == VCPU_HIST_FAIL) {
		h->fail = *e;
		h->has_fail = true;
	} else if (op != VCPU_HIST_RUN && op != VCPU_HIST_EXIT &&
		   op != VCPU_HIST_BLOCK && op != VCPU_HIST_WAKE &&
		   h->nlife < VCPU_HISTORY_LIFE) {
		h->life[h->nlife++] = *e;
	}
}

/* Append @e unless an entry with its sequence number is already there. */
static unsigned int vcpu_history_put(struct vcpu_history_entry *out,
				     unsigned int n,
				     const struct vcpu_history_entry *e)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (out[i].seq == e->seq)
			return n;
	out[n] = *e;
	return n + 1;
}

unsigned int vcpu_history_list(const struct vcpu_history *h,
			       struct vcpu_history_entry *out)
{
	unsigned int i, j, n = 0, first;

	for (i = 0; i < h->nlife; i++)
		n = vcpu_history_put(out, n, &h->life[i]);
	if (h->has_fail)
		n = vcpu_history_put(out, n, &h->fail);
	first = h->next > VCPU_HISTORY_LEN ? h->next - VCPU_HISTORY_LEN : 0;
	for (i = first; i < h->next; i++)
		n = vcpu_history_put(out, n, &h->e[i % VCPU_HISTORY_LEN]);
	/* Insertion sort by sequence: at most VCPU_HISTORY_MAX entries. */
	for (i = 1; i < n; i++) {
		struct vcpu_history_entry e = out[i];

		for (j = i; j > 0 && out[j - 1].seq > e.seq; j--)
			out[j] = out[j - 1];
		out[j] = e;
	}
	return n;
}
