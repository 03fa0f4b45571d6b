/* SPDX-License-Identifier: GPL-2.0 */
/* The data layout vcpu_arm64_fp_test shares with its guest (guest_fp.S). */
#ifndef VCPU_GUEST_FP_H
#define VCPU_GUEST_FP_H

#include "vcpu_util.h"

#define FP_IMAGE_SIZE	(32 * 16 + 8)	/* V0..V31, FPSR, FPCR */
#define FP_WANT		VCPU_TEST_DATA_GPA		/* an image */
#define FP_DUMP		(VCPU_TEST_DATA_GPA + 0x400)	/* an image */
#define FP_COUNT	(VCPU_TEST_DATA_GPA + 0x800)	/* u64 */

#endif
