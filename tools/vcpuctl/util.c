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
 * A memory size as lkvm's -m takes it: MiB without a suffix; with one (K,
 * M, G, T, optionally followed by B or iB, any case) that many bytes.
 * Decimal only, not 0, no overflow.
 */
int parse_mem_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	unsigned int shift = 20;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !v || (*end && suffix_shift(end, &shift)))
		return -1;
	if (v > (~0ULL >> shift))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

int parse_u64(const char *s, uint64_t *val, bool allow_suffix)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	/* strtoull() accepts a sign and leading blanks: refuse both. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	if (*end) {
		if (!allow_suffix || suffix_shift(end, &shift))
			return -1;
		if (shift && v > (~0ULL >> shift))
			return -1;
	}
	*val = (uint64_t)v << shift;
	return 0;
}
