// SPDX-License-Identifier: GPL-2.0
/* Parsers of the module's debugfs view (see debugfs.h). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "debugfs.h"
#include "vcpuctl.h"

static const char *root_override;

void dbg_set_root(const char *root)
{
	root_override = root;
}

const char *dbg_root(void)
{
	const char *env;

	if (root_override)
		return root_override;
	env = getenv("VCPUCTL_DEBUGFS");
	if (env && *env)
		return env;
	return DBG_DEFAULT_ROOT;
}

static FILE *open_file(const char *rel)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dbg_root(), rel) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(path, "re");
}

static FILE *open_vcpu_file(unsigned int vm, unsigned int vcpu,
			    const char *name)
{
	char rel[96];

	snprintf(rel, sizeof(rel), "vm%u/vcpu%u/%s", vm, vcpu, name);
	return open_file(rel);
}

static void chomp(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
}

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, DBG_NAME_LEN, "%s", src);
}

int dbg_read_list(struct dbg_list *list)
{
	char line[512], state[DBG_NAME_LEN], last[DBG_NAME_LEN];
	struct dbg_vcpu v, *nv;
	size_t cap = 0;
	unsigned long long exits;
	struct stat st;
	FILE *f;
	int lineno = 0;

	list->v = NULL;
	list->n = 0;
	f = open_file("vcpus");
	if (!f) {
		int err = errno;

		if (stat(dbg_root(), &st))
			pr_err("%s: %s (is the vcpu module loaded and debugfs mounted? "
			       "mount -t debugfs none /sys/kernel/debug)",
			       dbg_root(), strerror(errno));
		else
			pr_err("%s/vcpus: %s", dbg_root(), strerror(err));
		errno = err;
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		chomp(line);
		if (lineno == 1 && !strncmp(line, "vm ", 3))
			continue;		/* the header */
		if (!line[0])
			continue;
		if (sscanf(line, "%u %u %ld %31s %d %llu %31s", &v.vm, &v.vcpu,
			   &v.pid, state, &v.cpu, &exits, last) != 7) {
			pr_err("%s/vcpus:%d: cannot parse '%s'", dbg_root(),
			       lineno, line);
			continue;
		}
		copy_name(v.state, state);
		copy_name(v.last_exit, last);
		v.exits = exits;
		if (list->n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(list->v, cap * sizeof(*nv));
			if (!nv) {
				fclose(f);
				dbg_list_free(list);
				pr_err("out of memory");
				return -1;
			}
			list->v = nv;
		}
		list->v[list->n++] = v;
	}
	fclose(f);
	return 0;
}

void dbg_list_free(struct dbg_list *list)
{
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

int dbg_stats_kind(struct dbg_stats *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nkinds; i++)
		if (!strcmp(s->kind[i].name, name))
			return i;
	if (s->nkinds == DBG_MAX_KINDS)
		return -1;
	memset(&s->kind[i], 0, sizeof(s->kind[i]));
	copy_name(s->kind[i].name, name);
	s->nkinds++;
	return i;
}

static int parse_hist(char *p, uint64_t *hist)
{
	unsigned long long v;
	char *end;
	int i;

	for (i = 0; i < DBG_HIST_BUCKETS; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		v = strtoull(p, &end, 10);
		hist[i] = v;
		p = end;
	}
	return 0;
}

int dbg_read_stats(unsigned int vm, unsigned int vcpu, struct dbg_stats *s)
{
	char line[1024], name[64];
	unsigned long long v;
	FILE *f;
	int n, k;

	memset(s, 0, sizeof(*s));
	f = open_vcpu_file(vm, vcpu, "stats");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		chomp(line);
		if (sscanf(line, "%63s %n", name, &n) != 1)
			continue;
		if (!strncmp(name, "hist_", 5)) {
			k = dbg_stats_kind(s, name + 5);
			if (k < 0)
				continue;
			if (!parse_hist(line + n, s->kind[k].hist))
				s->kind[k].has_hist = true;
			continue;
		}
		if (sscanf(line + n, "%llu", &v) != 1)
			continue;
		if (!strcmp(name, "entries"))
			s->entries = v;
		else if (!strcmp(name, "exits"))
			s->exits = v;
		else if (!strcmp(name, "run_ns"))
			s->run_ns = v;
		else if (!strcmp(name, "guest_ns"))
			s->guest_ns = v;
		else if (!strncmp(name, "exit_", 5)) {
			k = dbg_stats_kind(s, name + 5);
			if (k >= 0)
				s->kind[k].count = v;
		}
	}
	fclose(f);
	return 0;
}

void dbg_stats_add(struct dbg_stats *a, const struct dbg_stats *b)
{
	size_t i, j;
	int k;

	a->entries += b->entries;
	a->exits += b->exits;
	a->run_ns += b->run_ns;
	a->guest_ns += b->guest_ns;
	for (i = 0; i < b->nkinds; i++) {
		k = dbg_stats_kind(a, b->kind[i].name);
		if (k < 0)
			continue;
		a->kind[k].count += b->kind[i].count;
		if (b->kind[i].has_hist) {
			a->kind[k].has_hist = true;
			for (j = 0; j < DBG_HIST_BUCKETS; j++)
				a->kind[k].hist[j] += b->kind[i].hist[j];
		}
	}
}

int dbg_read_info(unsigned int vm, unsigned int vcpu, struct dbg_info *info)
{
	char line[512], key[64];
	const char *val;
	FILE *f;
	int n;

	memset(info, 0, sizeof(*info));
	info->pid = -1;
	info->cpu = -1;
	f = open_vcpu_file(vm, vcpu, "info");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		chomp(line);
		n = 0;
		if (sscanf(line, "%63s%n", key, &n) != 1)
			continue;
		val = line + n;
		if (*val == ' ')
			val++;
		if (!strcmp(key, "pid"))
			info->pid = strtol(val, NULL, 10);
		else if (!strcmp(key, "state"))
			copy_name(info->state, val);
		else if (!strcmp(key, "cpu"))
			info->cpu = strtol(val, NULL, 10);
		else if (!strcmp(key, "last_exit"))
			copy_name(info->last_exit, val);
		else if (!strcmp(key, "fail_errno"))
			info->fail_errno = strtol(val, NULL, 10);
		else if (!strcmp(key, "fail_reason"))
			snprintf(info->fail_reason, sizeof(info->fail_reason),
				 "%s", val);
		else if (!strcmp(key, "exit_filter"))
			snprintf(info->exit_filter, sizeof(info->exit_filter),
				 "%s", val);
		else if (!strcmp(key, "irqs_pending"))
			snprintf(info->irqs_pending, sizeof(info->irqs_pending),
				 "%s", val);
	}
	fclose(f);
	return 0;
}

int dbg_read_history(unsigned int vm, unsigned int vcpu, struct dbg_history *h)
{
	char line[512], from[DBG_NAME_LEN], to[DBG_NAME_LEN], op[DBG_NAME_LEN];
	struct dbg_transition *t;
	unsigned long long ns;
	const char *r;
	FILE *f;
	int n;

	memset(h, 0, sizeof(*h));
	f = open_vcpu_file(vm, vcpu, "history");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && h->n < DBG_HISTORY_MAX) {
		chomp(line);
		n = 0;
		if (sscanf(line, "%llu %31s -> %31s %31s%n", &ns, from, to, op,
			   &n) != 4)
			continue;
		t = &h->t[h->n++];
		t->ns = ns;
		copy_name(t->from, from);
		copy_name(t->to, to);
		copy_name(t->op, op);
		r = strstr(line + n, "reason=");
		if (r) {
			t->has_reason = true;
			snprintf(t->reason, sizeof(t->reason), "%s", r + 7);
		}
	}
	fclose(f);
	return 0;
}

uint64_t dbg_hist_samples(const uint64_t *hist)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < DBG_HIST_BUCKETS; i++)
		n += hist[i];
	return n;
}

/*
 * Bucket i holds [2^i, 2^(i+1)) ns (bucket 0 also 0): find the bucket of
 * the sample of rank p% of the total and interpolate linearly inside it
 * (one sample alone in a bucket gives its middle for p50).
 */
double dbg_hist_percentile(const uint64_t *hist, double p)
{
	uint64_t total = dbg_hist_samples(hist), seen = 0;
	double rank, lo, hi;
	int i;

	if (!total)
		return 0;
	rank = p / 100.0 * (double)total;
	for (i = 0; i < DBG_HIST_BUCKETS; i++) {
		if (!hist[i])
			continue;
		if ((double)(seen + hist[i]) >= rank) {
			lo = i ? (double)(1ULL << i) : 0;
			hi = (double)(1ULL << (i + 1));
			return lo + (hi - lo) * (rank - (double)seen) /
				    (double)hist[i];
		}
		seen += hist[i];
	}
	return (double)(1ULL << DBG_HIST_BUCKETS);
}

int dbg_parse_selector(const char *s, long *vm, long *vcpu)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*vm = strtol(s, &end, 10);
	*vcpu = -1;
	if (*end == 0)
		return 0;
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	*vcpu = strtol(end + 1, &end, 10);
	return *end ? -1 : 0;
}

void json_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

const char *fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}
