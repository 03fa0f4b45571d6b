// SPDX-License-Identifier: GPL-2.0
/* Messages and number parsing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vcpuctl.h"

static void __attribute__((format(printf, 2, 0)))
vpr(int err, const char *fmt, va_list ap)
{
	/* Whatever the guest printed so far goes out before the message. */
	fflush(stdout);
	fputs("vcpuctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr(0, fmt, ap);
	va_end(ap);
}

void pr_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vpr(err, fmt, ap);
	va_end(ap);
}

static int suffix_shift(const char *s, unsigned int *shift)
{
	static const struct {
		const char *name;
		unsigned int shift;
	} suffixes[] = {
		{ "", 0 },
		{ "K", 10 }, { "KB", 10 }, { "KiB", 10 },
		{ "M", 20 }, { "MB", 20 }, { "MiB", 20 },
		{ "G", 30 }, { "GB", 30 }, { "GiB", 30 },
		{ "T", 40 }, { "TB", 40 }, { "TiB", 40 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		if (!strcasecmp(s, suffixes[i].name)) {
			*shift = suffixes[i].shift;
			return 0;
		}
	}
	return -1;
}

/*
 * A decimal or (base 0) prefixed number, scaled by @shift unless a suffix
 * (allow_suffix) names another; no sign, no blanks, no overflow.
 */
static int parse_scaled(const char *s, int base, unsigned int shift,
			bool allow_suffix, uint64_t *val)
{
	unsigned long long v;
	char *end;

	/* strtoull() accepts a sign and leading blanks: refuse both. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno)
		return -1;
	if (*end && (!allow_suffix || suffix_shift(end, &shift)))
		return -1;
	if (v > (~0ULL >> shift))
		return -1;
	*val = (uint64_t)v << shift;
	return 0;
}

/*
 * A memory size as lkvm's -m takes it: MiB without a suffix; with one (K,
 * M, G, T, optionally followed by B or iB, any case) that many bytes.
 * Decimal only, not 0, no overflow.
 */
int parse_mem_size(const char *s, uint64_t *bytes)
{
	uint64_t v;

	if (parse_scaled(s, 10, 20, true, &v) || !v)
		return -1;
	*bytes = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *val, bool allow_suffix)
{
	return parse_scaled(s, 0, 0, allow_suffix, val);
}
