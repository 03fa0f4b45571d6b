/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny host unit-test framework.
 *
 * In any tests/unit/test_*.c (the Makefile picks them up):
 *
 *	UNIT_TEST(name)
 *	{
 *		UNIT_EXPECT_EQ(1 + 1, 2);	(on failure: continue)
 *		UNIT_ASSERT(p != NULL);		(on failure: return)
 *	}
 *
 * or, table driven (the element's first member must be "const char *name";
 * each element runs and is reported as its own test "table/name"):
 *
 *	static void check(const struct my_case *c) { ... }
 *	UNIT_TABLE(table, my_cases, check);
 *
 * Each test prints one line ("ok" or "FAIL"), failures are detailed on the
 * lines before it, and the run ends with "unit: N passed, N failed".
 * "./unit PATTERN" runs only tests whose name contains PATTERN.
 */
#ifndef VCPU_UNIT_H
#define VCPU_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct vcpu_unit_test {
	const char *name;
	void (*fn)(void);
	/* table tests */
	void (*case_fn)(const void *elem);
	const void *table;
	size_t count, size;
	struct vcpu_unit_test *next;
};

void vcpu_unit_register(struct vcpu_unit_test *t);
void vcpu_unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool vcpu_unit_expect(bool ok, const char *file, int line, const char *expr);
bool vcpu_unit_expect_eq(unsigned long long a, unsigned long long b,
			 const char *file, int line, const char *sa,
			 const char *sb);

#define UNIT_TEST(tname)						\
	static void vcpu_unit_fn_##tname(void);				\
	static struct vcpu_unit_test vcpu_unit_t_##tname = {		\
		.name = #tname, .fn = vcpu_unit_fn_##tname,		\
	};								\
	__attribute__((constructor)) static void vcpu_unit_reg_##tname(void) \
	{								\
		vcpu_unit_register(&vcpu_unit_t_##tname);		\
	}								\
	static void vcpu_unit_fn_##tname(void)

#define UNIT_TABLE(tname, array, checker)				\
	static void vcpu_unit_case_##tname(const void *elem)		\
	{								\
		checker((const __typeof__((array)[0]) *)elem);		\
	}								\
	static struct vcpu_unit_test vcpu_unit_t_##tname = {		\
		.name = #tname, .case_fn = vcpu_unit_case_##tname,	\
		.table = (array),					\
		.count = sizeof(array) / sizeof((array)[0]),		\
		.size = sizeof((array)[0]),				\
	};								\
	__attribute__((constructor)) static void vcpu_unit_reg_##tname(void) \
	{								\
		vcpu_unit_register(&vcpu_unit_t_##tname);		\
	}

/* Both return whether the check held, so they can guard further checks. */
#define UNIT_EXPECT(cond)						\
	vcpu_unit_expect(!!(cond), __FILE__, __LINE__, #cond)

#define UNIT_ASSERT(cond)						\
	do {								\
		if (!UNIT_EXPECT(cond))					\
			return;						\
	} while (0)

/* Integer comparison, both sides shown in hex and decimal on failure. */
#define UNIT_EXPECT_EQ(a, b)						\
	vcpu_unit_expect_eq((unsigned long long)(a),			\
			    (unsigned long long)(b), __FILE__, __LINE__, #a, #b)

#define UNIT_ASSERT_EQ(a, b)						\
	do {								\
		if (!UNIT_EXPECT_EQ(a, b))				\
			return;						\
	} while (0)

#define UNIT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* VCPU_UNIT_H */
