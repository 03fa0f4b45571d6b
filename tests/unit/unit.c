// SPDX-License-Identifier: GPL-2.0
/* The test runner: runs every registered test, prints the summary. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

static struct vcpu_unit_test *vcpu_unit_head, **vcpu_unit_tail = &vcpu_unit_head;
static bool vcpu_unit_failed;

void vcpu_unit_register(struct vcpu_unit_test *t)
{
	t->next = NULL;
	*vcpu_unit_tail = t;
	vcpu_unit_tail = &t->next;
}

void vcpu_unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	vcpu_unit_failed = true;
	printf("    %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

bool vcpu_unit_expect(bool ok, const char *file, int line, const char *expr)
{
	if (!ok)
		vcpu_unit_fail(file, line, "expected %s", expr);
	return ok;
}

bool vcpu_unit_expect_eq(unsigned long long a, unsigned long long b,
			 const char *file, int line, const char *sa,
			 const char *sb)
{
	if (a == b)
		return true;
	vcpu_unit_fail(file, line,
		       "%s == %s: got %#llx (%lld), want %#llx (%lld)",
		       sa, sb, a, (long long)a, b, (long long)b);
	return false;
}

static void vcpu_unit_report(const char *name, const char *sub,
			     int *passed, int *failed)
{
	printf("%s %s%s%s\n", vcpu_unit_failed ? "FAIL" : "ok  ", name,
	       sub ? "/" : "", sub ? sub : "");
	fflush(stdout);
	if (vcpu_unit_failed)
		(*failed)++;
	else
		(*passed)++;
}

static bool vcpu_unit_match(const char *pattern, const char *name,
			    const char *sub)
{
	char full[256];

	if (!pattern)
		return true;
	snprintf(full, sizeof(full), "%s%s%s", name, sub ? "/" : "",
		 sub ? sub : "");
	return strstr(full, pattern) != NULL;
}

int main(int argc, char **argv)
{
	const char *pattern = argc > 1 ? argv[1] : NULL;
	struct vcpu_unit_test *t;
	int passed = 0, failed = 0;
	size_t i;

	for (t = vcpu_unit_head; t; t = t->next) {
		if (t->fn) {
			if (!vcpu_unit_match(pattern, t->name, NULL))
				continue;
			vcpu_unit_failed = false;
			t->fn();
			vcpu_unit_report(t->name, NULL, &passed, &failed);
			continue;
		}
		for (i = 0; i < t->count; i++) {
			const void *elem = (const char *)t->table + i * t->size;
			const char *sub = *(const char * const *)elem;

			if (!vcpu_unit_match(pattern, t->name, sub))
				continue;
			vcpu_unit_failed = false;
			t->case_fn(elem);
			vcpu_unit_report(t->name, sub, &passed, &failed);
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
