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

/* Section headers: "vcpu <ID>" alone on its line. */
static bool section_header(const char *line, size_t len, unsigned int *vcpu)
{
	unsigned long id = 0;
	size_t i;

	if (len < 6 || strncmp(line, "vcpu ", 5))
		return false;
	for (i = 5; i < len; i++) {
		if (line[i] < '0' || line[i] > '9' || id > UINT_MAX / 10)
			return false;
		id = id * 10 + (line[i] - '0');
	}
	*vcpu = id;
	return true;
}

static int add_section(struct dbg_vmfile *vf, size_t *cap, unsigned int vcpu,
		       size_t off)
{
	struct dbg_section *ns;

	if (vf->nsec == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		ns = realloc(vf->sec, *cap * sizeof(*ns));
		if (!ns)
			return -1;
		vf->sec = ns;
	}
	vf->sec[vf->nsec].vcpu = vcpu;
	vf->sec[vf->nsec].off = off;
	vf->sec[vf->nsec].len = 0;
	vf->nsec++;
	return 0;
}

/* Cut buf into sections: each runs from its header to the next one. */
static int index_sections(struct dbg_vmfile *vf, size_t size)
{
	size_t off = 0, cap = 0, eol;
	unsigned int vcpu;
	char *nl;

	while (off < size) {
		nl = memchr(vf->buf + off, '\n', size - off);
		eol = nl ? (size_t)(nl - vf->buf) : size;
		if (section_header(vf->buf + off, eol - off, &vcpu)) {
			if (vf->nsec)
				vf->sec[vf->nsec - 1].len =
					off - vf->sec[vf->nsec - 1].off;
			if (add_section(vf, &cap, vcpu, nl ? eol + 1 : eol))
				return -1;
		}
		off = nl ? eol + 1 : eol;
	}
	if (vf->nsec)
		vf->sec[vf->nsec - 1].len = size - vf->sec[vf->nsec - 1].off;
	return 0;
}

void dbg_vmfile_free(struct dbg_vmfile *vf)
{
	free(vf->buf);
	free(vf->sec);
	memset(vf, 0, sizeof(*vf));
}

int dbg_vmfile_load(struct dbg_vmfile *vf, unsigned int vm, const char *name)
{
	size_t size = 0, cap = 0, n;
	char rel[64], *nb;
	FILE *f;
	int err;

	if (vf->loaded && vf->vm == vm && !strcmp(vf->name, name))
		return 0;
	dbg_vmfile_free(vf);
	snprintf(rel, sizeof(rel), "vm%u/%s", vm, name);
	f = open_file(rel);
	if (!f)
		return -1;
	for (;;) {
		if (cap - size < 4096) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(vf->buf, cap + 1);
			if (!nb) {
				errno = ENOMEM;
				goto err;
			}
			vf->buf = nb;
		}
		n = fread(vf->buf + size, 1, cap - size, f);
		size += n;
		if (!n)
			break;
	}
	if (ferror(f)) {
		errno = EIO;
		goto err;
	}
	fclose(f);
	vf->buf[size] = 0;
	if (index_sections(vf, size)) {
		dbg_vmfile_free(vf);
		errno = ENOMEM;
		return -1;
	}
	vf->name = name;
	vf->vm = vm;
	vf->loaded = true;
	return 0;

err:
	err = errno;
	fclose(f);
	dbg_vmfile_free(vf);
	errno = err;
	return -1;
}

/* A cursor over the lines of one vCPU's section. */
struct section_lines {
	const char *p, *end;
};

static int find_section(const struct dbg_vmfile *vf, const char *name,
			unsigned int vcpu, struct section_lines *sl)
{
	size_t i;

	if (!vf->loaded || strcmp(vf->name, name)) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < vf->nsec; i++)
		if (vf->sec[i].vcpu == vcpu) {
			sl->p = vf->buf + vf->sec[i].off;
			sl->end = sl->p + vf->sec[i].len;
			return 0;
		}
	errno = ENOENT;
	return -1;
}

/* The next line into @line (cut to @len - 1, no newline); false at the end. */
static bool next_line(struct section_lines *sl, char *line, size_t len)
{
	const char *nl;
	size_t n;

	if (sl->p >= sl->end)
		return false;
	nl = memchr(sl->p, '\n', sl->end - sl->p);
	n = (nl ? nl : sl->end) - sl->p;
	if (n >= len)
		n = len - 1;
	memcpy(line, sl->p, n);
	line[n] = 0;
	sl->p = nl ? nl + 1 : sl->end;
	return true;
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

int dbg_read_stats(const struct dbg_vmfile *vf, unsigned int vcpu,
		   struct dbg_stats *s)
{
	char line[1024], name[64];
	struct section_lines sl;
	unsigned long long v;
	int n, k;

	memset(s, 0, sizeof(*s));
	if (find_section(vf, "stats", vcpu, &sl))
		return -1;
	while (next_line(&sl, line, sizeof(line))) {
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
		else if (!strcmp(name, "samples_lost"))
			s->samples_lost = v;
		else if (!strncmp(name, "exit_", 5)) {
			k = dbg_stats_kind(s, name + 5);
			if (k >= 0)
				s->kind[k].count = v;
		}
	}
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
	a->samples_lost += b->samples_lost;
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

int dbg_read_info(const struct dbg_vmfile *vf, unsigned int vcpu,
		  struct dbg_info *info)
{
	char line[512], key[64];
	struct section_lines sl;
	const char *val;
	int n;

	memset(info, 0, sizeof(*info));
	info->pid = -1;
	info->cpu = -1;
	if (find_section(vf, "info", vcpu, &sl))
		return -1;
	while (next_line(&sl, line, sizeof(line))) {
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
	return 0;
}

int dbg_read_history(const struct dbg_vmfile *vf, unsigned int vcpu,
		     struct dbg_history *h)
{
	char line[512], from[DBG_NAME_LEN], to[DBG_NAME_LEN], op[DBG_NAME_LEN];
	struct section_lines sl;
	struct dbg_transition *t;
	unsigned long long ns;
	const char *r;
	int n;

	memset(h, 0, sizeof(*h));
	if (find_section(vf, "history", vcpu, &sl))
		return -1;
	while (h->n < DBG_HISTORY_MAX && next_line(&sl, line, sizeof(line))) {
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
