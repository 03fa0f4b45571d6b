// SPDX-License-Identifier: GPL-2.0
/* Statistics descriptors, exit counters, histograms, state history. */
#include <string.h>

#include "unit.h"
#include "module/stats.h"

UNIT_TEST(stats_descs_cover_counters)
{
	unsigned int i;

	UNIT_ASSERT_EQ(vcpu_stat_ndescs, 4);
	UNIT_EXPECT(!strcmp(vcpu_stat_descs[0].name, "entries"));
	UNIT_EXPECT_EQ(vcpu_stat_descs[3].offset,
		       offsetof(struct vcpu_stats, guest_ns));
	for (i = 0; i < VCPU_EXIT_NR; i++)
		UNIT_EXPECT(vcpu_exit_names[i] != NULL);
	UNIT_EXPECT(!strcmp(vcpu_exit_names[VCPU_EXIT_IO_WRITE], "IO_WRITE"));
}

UNIT_TEST(stats_exit_and_histogram)
{
	static struct vcpu_stats s;

	vcpu_stats_exit(&s, VCPU_EXIT_HALT);
	vcpu_stats_exit(&s, VCPU_EXIT_HALT);
	vcpu_stats_exit(&s, VCPU_EXIT_NR);		/* ignored */
	UNIT_EXPECT_EQ(s.exit_count[VCPU_EXIT_HALT], 2);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 0);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 1);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 1023);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, 1024);
	vcpu_stats_handled(&s, VCPU_EXIT_HALT, ~0ULL);	/* clamps */
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][0], 2);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][9], 1);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][10], 1);
	UNIT_EXPECT_EQ(s.exit_hist[VCPU_EXIT_HALT][VCPU_HIST_BUCKETS - 1], 1);
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
