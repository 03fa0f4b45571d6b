// SPDX-License-Identifier: GPL-2.0
/* Statistics descriptors, exit counters, histograms, state history. */
#include <string.h>

#include "unit.h"
#include "fake_hal.h"
#include "module/stats.h"

UNIT_TEST(stats_descs_cover_counters)
{
	unsigned int i;

	UNIT_ASSERT_EQ(vcpu_stat_ndescs, 5);
	UNIT_EXPECT(!strcmp(vcpu_stat_descs[0].name, "entries"));
	UNIT_EXPECT_EQ(vcpu_stat_descs[3].offset,
		       offsetof(struct vcpu_stats, guest_ns));
	UNIT_EXPECT(!strcmp(vcpu_stat_descs[4].name, "samples_lost"));
	for (i = 0; i < VCPU_EXIT_NR; i++)
		UNIT_EXPECT(vcpu_exit_names[i] != NULL);
	UNIT_EXPECT(!strcmp(vcpu_exit_names[VCPU_EXIT_IO_WRITE], "IO_WRITE"));
}

UNIT_TEST(stats_exit_and_histogram)
{
	static struct vcpu_stats s;
	long live = vcpu_fake_hal_live_small();
	unsigned int i;

	vcpu_stats_exit(&s, VCPU_EXIT_HALT);
	vcpu_stats_exit(&s, VCPU_EXIT_HALT);
	vcpu_stats_exit(&s, VCPU_EXIT_NR);		/* ignored */
	UNIT_EXPECT_EQ(s.exit_count[VCPU_EXIT_HALT], 2);
	/* No histogram before the first sample of its kind. */
	for (i = 0; i < VCPU_EXIT_NR; i++)
		UNIT_EXPECT(!s.exit_hist[i]);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_small(), live);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 0);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 1);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 1023);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 1024);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, ~0ULL);	/* clamps */
	vcpu_stats_handled(&s, VCPU_EXIT_NR, 5);	/* ignored */
	UNIT_ASSERT(s.exit_hist[VCPU_EXIT_HALT] != NULL);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][0], 2);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][9], 1);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][10], 1);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][VCPU_HIST_BUCKETS - 1], 1);
	/* One histogram, for the one kind sampled. */
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_small(), live + 1);
	for (i = 0; i < VCPU_EXIT_NR; i++)
		if (i != VCPU_EXIT_HALT)
			UNIT_EXPECT(!s.exit_hist[i]);
	UNIT_EXPECT_EQ(s.samples_lost, 0);
	vcpu_stats_free(&s);
	UNIT_EXPECT(!s.exit_hist[VCPU_EXIT_HALT]);
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_small(), live);
}

UNIT_TEST(stats_histogram_without_memory)
{
	static struct vcpu_stats s;
	long live = vcpu_fake_hal_live_small();

	/* The allocation fails: the sample is lost, and counted. */
	vcpu_fake_hal_fail_after(0);
	vcpu_stats_handled(&s, VCPU_EXIT_IO_WRITE, 100);
	vcpu_stats_handled(&s, VCPU_EXIT_IO_WRITE, 100);
	UNIT_EXPECT(!s.exit_hist[VCPU_EXIT_IO_WRITE]);
	UNIT_EXPECT_EQ(s.samples_lost, 2);
	/* Memory again: the next sample gets its histogram. */
	vcpu_fake_hal_reset();
	vcpu_stats_handled(&s, VCPU_EXIT_IO_WRITE, 100);
	UNIT_ASSERT(s.exit_hist[VCPU_EXIT_IO_WRITE] != NULL);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_IO_WRITE][6], 1);
	UNIT_EXPECT_EQ(s.samples_lost, 2);
	vcpu_stats_free(&s);
	vcpu_stats_free(&s);				/* twice is harmless */
	UNIT_EXPECT_EQ(vcpu_fake_hal_live_small(), live);
}

UNIT_TEST(stats_history_ring)
{
	static struct vcpu_history h;
	unsigned int i;

	for (i = 0; i < VCPU_HISTORY_LEN + 3; i++)
		vcpu_history_add(&h, i, VCPU_STATE_READY, VCPU_STATE_RUNNING,
				 VCPU_HIST_RUN);
	UNIT_EXPECT_EQ(h.next, VCPU_HISTORY_LEN + 3);
	/* The oldest kept entry is number 3, at slot 3. */
	UNIT_EXPECT_EQ(h.e[h.next % VCPU_HISTORY_LEN].ns, 3);
	UNIT_EXPECT(!strcmp(vcpu_history_op_names[VCPU_HIST_FAIL], "fail"));
}

/*
 * A busy vCPU's Running <-> Ready churn does not push its lifecycle out:
 * create, setup and bind stay, so does the last failure, each once, in
 * order, followed by the latest VCPU_HISTORY_LEN transitions.
 */
UNIT_TEST(stats_history_keeps_lifecycle)
{
	static struct vcpu_history h;
	static struct vcpu_history_entry l[VCPU_HISTORY_MAX];
	unsigned int i, n;

	vcpu_history_add(&h, 1, VCPU_STATE_CREATED, VCPU_STATE_CREATED,
			 VCPU_HIST_CREATE);
	vcpu_history_add(&h, 2, VCPU_STATE_CREATED, VCPU_STATE_FREE,
			 VCPU_HIST_SETUP);
	vcpu_history_add(&h, 3, VCPU_STATE_FREE, VCPU_STATE_READY,
			 VCPU_HIST_BIND);
	/* Too few to leave the ring: nothing is listed twice. */
	n = vcpu_history_list(&h, l);
	UNIT_EXPECT_EQ(n, 3);
	UNIT_EXPECT_EQ(l[0].op, VCPU_HIST_CREATE);
	UNIT_EXPECT_EQ(l[2].op, VCPU_HIST_BIND);
	vcpu_history_add(&h, 4, VCPU_STATE_READY, VCPU_STATE_RUNNING,
			 VCPU_HIST_RUN);
	vcpu_history_add(&h, 5, VCPU_STATE_RUNNING, VCPU_STATE_INVALID,
			 VCPU_HIST_FAIL);
	for (i = 0; i < 3 * VCPU_HISTORY_LEN; i++)
		vcpu_history_add(&h, 6 + i, VCPU_STATE_READY,
				 i & 1 ? VCPU_STATE_READY : VCPU_STATE_RUNNING,
				 i & 1 ? VCPU_HIST_EXIT : VCPU_HIST_RUN);
	n = vcpu_history_list(&h, l);
	UNIT_EXPECT_EQ(n, 4 + VCPU_HISTORY_LEN);
	UNIT_EXPECT_EQ(l[0].op, VCPU_HIST_CREATE);
	UNIT_EXPECT_EQ(l[1].op, VCPU_HIST_SETUP);
	UNIT_EXPECT_EQ(l[2].op, VCPU_HIST_BIND);
	UNIT_EXPECT_EQ(l[3].op, VCPU_HIST_FAIL);
	UNIT_EXPECT_EQ(l[3].ns, 5);
	/* then the latest, oldest first, up to the newest */
	UNIT_EXPECT_EQ(l[4].seq, h.next - VCPU_HISTORY_LEN);
	UNIT_EXPECT_EQ(l[n - 1].seq, h.next - 1);
	for (i = 1; i < n; i++)
		UNIT_EXPECT(l[i - 1].seq < l[i].seq);
	UNIT_EXPECT(!strcmp(vcpu_history_op_names[VCPU_HIST_CREATE], "create"));
}
