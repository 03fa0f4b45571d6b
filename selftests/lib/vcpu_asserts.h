/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest_harness assertions for the vcpu selftests.  Include after
 * kselftest_harness.h; the macros need the harness' _metadata.
 */
#ifndef VCPU_ASSERTS_H
#define VCPU_ASSERTS_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The 6.1 harness' TEST()/TEST_F() wrappers have parameters a test need not
 * use, and its ASSERT_EQ(expected, seen) compares whatever types it is
 * given (equality of an int constant with a __u32 field is what we mean).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"
#include "vcpu_util.h"

/*
 * kselftest_harness (6.1) runs the test body even when FIXTURE_SETUP used
 * SKIP(); a setup that cannot go on leaves the child with the harness' SKIP
 * exit status instead.
 */
#define VCPU_HARNESS_SKIP_EXIT	255

/* Open the device or skip the test when the module is not loaded. */
#define VCPU_REQUIRE_DEV() do {						\
	int __fd = vcpu_open_dev();					\
	if (__fd < 0) {							\
		int __e = errno;					\
		if (__e == ENOENT || __e == ENODEV || __e == ENXIO)	\
			SKIP(_exit(VCPU_HARNESS_SKIP_EXIT),		\
			     "/dev/vcpu not available (%s)",		\
			     vcpu_errno_name(__e));			\
		TH_LOG("open /dev/vcpu: %s", vcpu_errno_name(__e));	\
		ASSERT_GE(__fd, 0);					\
	}								\
	close(__fd);							\
} while (0)

/* expr must fail with -1 and errno err. */
#define ASSERT_ERRNO(err, expr) do {					\
	long __r;							\
	int __e;							\
	errno = 0;							\
	__r = (long)(expr);						\
	__e = errno;							\
	if (__r != -1 || __e != (err))					\
		TH_LOG("%s: returned %ld errno %s, expected -1 errno %s", \
		       #expr, __r, vcpu_errno_name(__e),		\
		       vcpu_errno_name(err));				\
	ASSERT_EQ(-1, __r);						\
	ASSERT_EQ((err), __e);						\
} while (0)

/* expr must return 0. */
#define ASSERT_OK(expr) do {						\
	long __r;							\
	int __e;							\
	errno = 0;							\
	__r = (long)(expr);						\
	__e = errno;							\
	if (__r != 0)							\
		TH_LOG("%s: returned %ld errno %s, expected 0",		\
		       #expr, __r, vcpu_errno_name(__e));		\
	ASSERT_EQ(0, __r);						\
} while (0)

/* The vCPU on fd must be in state st. */
#define ASSERT_STATE(fd, st) do {					\
	int __s = vcpu_state(fd);					\
	if (__s != (int)(st))						\
		TH_LOG("state %s(%d), expected %s(%d)",		\
		       __s < 0 ? vcpu_errno_name(errno) :		\
				 vcpu_state_name(__s), __s,		\
		       vcpu_state_name(st), (int)(st));		\
	ASSERT_EQ((int)(st), __s);					\
} while (0)

/* VCPU_RUN on t must return 0 with exit reason r; dumps the vCPU if not. */
#define ASSERT_RUN_EXIT(t, r) do {					\
	int __r = vcpu_run((t)->fd);					\
	int __e = errno;						\
	if (__r != 0 || (t)->run->exit_reason != (uint32_t)(r)) {	\
		TH_LOG("VCPU_RUN: returned %d (%s), exit %s(%u), expected 0 and %s(%u)", \
		       __r, __r ? vcpu_errno_name(__e) : "ok",		\
		       vcpu_exit_name((t)->run->exit_reason),		\
		       (t)->run->exit_reason, vcpu_exit_name(r), (unsigned)(r)); \
		vcpu_dump(stderr, (t)->fd, (t)->run);			\
	}								\
	ASSERT_EQ(0, __r);						\
	ASSERT_EQ((uint32_t)(r), (t)->run->exit_reason);		\
} while (0)

/* The guest's pc (GET_REGS) must be pc. */
#define ASSERT_PC(t, expected) do {					\
	struct vcpu_regs __regs;					\
	ASSERT_OK(vcpu_get_regs((t)->fd, &__regs));			\
	if (__regs.pc != (uint64_t)(expected))				\
		TH_LOG("pc %#llx, expected %#llx",			\
		       (unsigned long long)__regs.pc,			\
		       (unsigned long long)(expected));			\
	ASSERT_EQ((uint64_t)(expected), __regs.pc);			\
} while (0)

#endif /* VCPU_ASSERTS_H */
