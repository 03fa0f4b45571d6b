// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl list and vcpuctl stats: read-only views of every vCPU in the
 * system, from the module's debugfs tree (debugfs.h).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "debugfs.h"
#include "vcpuctl.h"

enum { OPT_ROOT = 0x100, OPT_JSON };

static const struct option view_options[] = {
	{ "json",	no_argument,		NULL, OPT_JSON },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void list_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl list [--json] [--root DIR]\n"
"\n"
"List every vCPU of every VM in the system, whatever process owns it: VM\n"
"and vCPU ids, owner pid, state, bound physical CPU (- when unbound), the\n"
"number of exits and the last exit.  Reads DIR/vcpus from the module's\n"
"debugfs view.\n"
"\n"
"options:\n"
"  --json       one JSON object: {\"vcpus\": [{\"vm\", \"vcpu\", \"pid\", \"state\",\n"
"               \"cpu\", \"exits\", \"last_exit\"}, ...]} (cpu null when unbound)\n"
"  --root DIR   the debugfs directory (default $VCPUCTL_DEBUGFS, else\n"
"               " DBG_DEFAULT_ROOT ")\n"
"  -h, --help   this text\n"
"\n"
"Exit status: 0, or 1 when the view cannot be read (module not loaded or\n"
"debugfs not mounted: mount -t debugfs none /sys/kernel/debug).\n");
}

static void stats_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl stats [VM[/VCPU]] [--json] [--root DIR]\n"
"\n"
"Print the counters of every vCPU (or those of VM, or the one vCPU): VM\n"
"entries, exits, time in VCPU_RUN and in the guest, exits per kind, and\n"
"per exit kind a log2 histogram of the time spent outside the guest\n"
"between that exit and the next entry.  The human form shows the kinds\n"
"with samples, with p50/p99 estimates interpolated inside the buckets\n"
"and the non-empty buckets as 2^i:COUNT (bucket i: [2^i, 2^(i+1)) ns),\n"
"then the failure record and the last state transitions.\n"
"\n"
"options:\n"
"  --json       one JSON object {\"vcpus\": [...]}; per vCPU: vm, vcpu, pid,\n"
"               state, cpu, last_exit, fail_errno, fail_reason,\n"
"               exit_filter, irqs_pending, counters\n"
"               {entries, exits, run_ns, guest_ns, samples_lost,\n"
"               exit_<KIND>...},\n"
"               histograms {<KIND>: {samples, p50_ns, p99_ns, buckets[32]}},\n"
"               history [{ns, from, to, op, reason}]; every exit kind the\n"
"               module defines is present, zero or not.  exit_filter\n"
"               (names) and irqs_pending (numbers) are arrays; what the\n"
"               view does not have is null: cpu when unbound, fail_errno\n"
"               and fail_reason unless Invalid, p50_ns and p99_ns\n"
"               without samples, a transition's reason\n"
"  --root DIR   the debugfs directory (default $VCPUCTL_DEBUGFS, else\n"
"               " DBG_DEFAULT_ROOT ")\n"
"  -h, --help   this text\n"
"\n"
"Exit status: 0, or 1 when the view cannot be read or VM[/VCPU] does not\n"
"exist.\n");
}

/* Common options; returns optind, -1 to exit 1, -2 to exit 0 (help). */
static int view_options_parse(int argc, char **argv, bool *json,
			      void (*usage)(FILE *))
{
	int c;

	*json = false;
	while ((c = getopt_long(argc, argv, "h", view_options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			*json = true;
			break;
		case OPT_ROOT:
			dbg_set_root(optarg);
			break;
		case 'h':
			usage(stdout);
			return -2;
		default:
			fprintf(stderr, "Try '%s --help'.\n", argv[0]);
			return -1;
		}
	}
	return optind;
}

/*
 * JSON values: a number, or null where the view has none (-1: unbound
 * CPU, unknown pid); a string, or null when absent; a list written by the
 * module as space-separated words ("-" for none) as an array, of numbers
 * or strings, null when the module did not say.
 */
static void json_num_or_null(long v)
{
	if (v < 0)
		printf("null");
	else
		printf("%ld", v);
}

static void json_string_or_null(const char *s)
{
	if (*s)
		json_string(stdout, s);
	else
		printf("null");
}

static void json_words(const char *s, bool numbers)
{
	char buf[DBG_REASON_LEN], *w, *save = NULL;
	bool first = true;

	if (!*s) {
		printf("null");
		return;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	putchar('[');
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (!strcmp(w, "-"))
			continue;
		printf("%s", first ? "" : ", ");
		first = false;
		if (numbers)
			printf("%s", w);
		else
			json_string(stdout, w);
	}
	putchar(']');
}

int cmd_list(int argc, char **argv)
{
	struct dbg_list list;
	bool json;
	size_t i;
	int idx;

	idx = view_options_parse(argc, argv, &json, list_usage);
	if (idx < 0)
		return idx == -2 ? VCPUCTL_EXIT_OK : VCPUCTL_EXIT_ERROR;
	if (idx < argc) {
		pr_err("list: unexpected argument '%s'", argv[idx]);
		return VCPUCTL_EXIT_ERROR;
	}
	if (dbg_read_list(&list))
		return VCPUCTL_EXIT_ERROR;

	if (json) {
		printf("{\"vcpus\": [");
		for (i = 0; i < list.n; i++) {
			struct dbg_vcpu *v = &list.v[i];

			printf("%s\n  {\"vm\": %u, \"vcpu\": %u, \"pid\": ",
			       i ? "," : "", v->vm, v->vcpu);
			json_num_or_null(v->pid);
			printf(", \"state\": ");
			json_string_or_null(v->state);
			printf(", \"cpu\": ");
			json_num_or_null(v->cpu);
			printf(", \"exits\": %" PRIu64 ", \"last_exit\": ",
			       v->exits);
			json_string_or_null(v->last_exit);
			printf("}");
		}
		printf("%s]}\n", list.n ? "\n" : "");
	} else {
		printf("%4s %4s %8s %-8s %4s %12s  %s\n", "VM", "VCPU", "PID",
		       "STATE", "CPU", "EXITS", "LAST EXIT");
		for (i = 0; i < list.n; i++) {
			struct dbg_vcpu *v = &list.v[i];
			char cpu[16];

			if (v->cpu < 0)
				snprintf(cpu, sizeof(cpu), "-");
			else
				snprintf(cpu, sizeof(cpu), "%d", v->cpu);
			printf("%4u %4u %8ld %-8s %4s %12" PRIu64 "  %s\n",
			       v->vm, v->vcpu, v->pid, v->state, cpu, v->exits,
			       v->last_exit);
		}
	}
	dbg_list_free(&list);
	return VCPUCTL_EXIT_OK;
}

static void stats_human(const struct dbg_vcpu *v, const struct dbg_info *info,
			const struct dbg_stats *s, const struct dbg_history *h)
{
	char b1[32], b2[32], cpu[16];
	bool header = false;
	size_t i;
	int j;

	if (info->cpu < 0)
		snprintf(cpu, sizeof(cpu), "-");
	else
		snprintf(cpu, sizeof(cpu), "%d", info->cpu);
	printf("vm %u vcpu %u: pid %ld, %s, cpu %s, last exit %s\n", v->vm,
	       v->vcpu, info->pid, info->state, cpu, info->last_exit);
	printf("  entries %" PRIu64 ", exits %" PRIu64 ", run %s, in guest %s",
	       s->entries, s->exits, fmt_ns(b1, sizeof(b1), s->run_ns),
	       fmt_ns(b2, sizeof(b2), s->guest_ns));
	if (s->run_ns)
		printf(" (%.1f%%)", 100.0 * s->guest_ns / s->run_ns);
	if (s->samples_lost)
		printf(", %" PRIu64 " histogram samples lost (no memory)",
		       s->samples_lost);
	printf("\n");
	for (i = 0; i < s->nkinds; i++) {
		const struct dbg_kind *k = &s->kind[i];
		uint64_t n = dbg_hist_samples(k->hist);

		if (!k->count && !n)
			continue;
		if (!header) {
			printf("  %-20s %10s %9s %9s  %s\n", "EXIT", "COUNT",
			       "P50", "P99", "HISTOGRAM (2^i ns: samples)");
			header = true;
		}
		printf("  %-20s %10" PRIu64, k->name, k->count);
		if (!n) {
			printf(" %9s %9s\n", "-", "-");
			continue;
		}
		printf(" %9s %9s ",
		       fmt_ns(b1, sizeof(b1), dbg_hist_percentile(k->hist, 50)),
		       fmt_ns(b2, sizeof(b2), dbg_hist_percentile(k->hist, 99)));
		for (j = 0; j < DBG_HIST_BUCKETS; j++)
			if (k->hist[j])
				printf(" 2^%d:%" PRIu64, j, k->hist[j]);
		printf("\n");
	}
	if (info->exit_filter[0])
		printf("  handled in the kernel: %s; interrupts queued: %s\n",
		       info->exit_filter, info->irqs_pending[0] ?
		       info->irqs_pending : "-");
	if (info->fail_errno || info->fail_reason[0])
		printf("  failure: errno %ld, reason: %s\n", info->fail_errno,
		       info->fail_reason[0] ? info->fail_reason : "(none)");
	if (h->n) {
		printf("  history (ns since boot):\n");
		for (i = 0; i < h->n; i++) {
			const struct dbg_transition *t = &h->t[i];

			printf("    %20" PRIu64 "  %-8s -> %-8s %s", t->ns,
			       t->from, t->to, t->op);
			if (t->has_reason)
				printf("  reason=%s", t->reason);
			printf("\n");
		}
	}
}

static void stats_json(const struct dbg_vcpu *v, const struct dbg_info *info,
		       const struct dbg_stats *s, const struct dbg_history *h)
{
	size_t i;
	int j;

	printf("  {\"vm\": %u, \"vcpu\": %u, \"pid\": ", v->vm, v->vcpu);
	json_num_or_null(info->pid);
	printf(", \"state\": ");
	json_string_or_null(info->state);
	printf(", \"cpu\": ");
	json_num_or_null(info->cpu);
	printf(", \"last_exit\": ");
	json_string_or_null(info->last_exit);
	/* errno and reason only for a vCPU that failed (Invalid). */
	printf(", \"fail_errno\": ");
	json_num_or_null(info->fail_errno ? info->fail_errno : -1);
	printf(", \"fail_reason\": ");
	json_string_or_null(info->fail_errno ? info->fail_reason : "");
	printf(", \"exit_filter\": ");
	json_words(info->exit_filter, false);
	printf(", \"irqs_pending\": ");
	json_words(info->irqs_pending, true);
	printf(",\n   \"counters\": {\"entries\": %" PRIu64 ", \"exits\": %" PRIu64
	       ", \"run_ns\": %" PRIu64 ", \"guest_ns\": %" PRIu64
	       ", \"samples_lost\": %" PRIu64,
	       s->entries, s->exits, s->run_ns, s->guest_ns, s->samples_lost);
	for (i = 0; i < s->nkinds; i++)
		printf(", \"exit_%s\": %" PRIu64, s->kind[i].name,
		       s->kind[i].count);
	printf("},\n   \"histograms\": {");
	for (i = 0; i < s->nkinds; i++) {
		const struct dbg_kind *k = &s->kind[i];

		/* No sample: no percentile (null), not 0 ns. */
		printf("%s\n    \"%s\": {\"samples\": %" PRIu64,
		       i ? "," : "", k->name, dbg_hist_samples(k->hist));
		if (dbg_hist_samples(k->hist))
			printf(", \"p50_ns\": %.0f, \"p99_ns\": %.0f",
			       dbg_hist_percentile(k->hist, 50),
			       dbg_hist_percentile(k->hist, 99));
		else
			printf(", \"p50_ns\": null, \"p99_ns\": null");
		printf(", \"buckets\": [");
		for (j = 0; j < DBG_HIST_BUCKETS; j++)
			printf("%s%" PRIu64, j ? ", " : "", k->hist[j]);
		printf("]}");
	}
	printf("},\n   \"history\": [");
	for (i = 0; i < h->n; i++) {
		const struct dbg_transition *t = &h->t[i];

		printf("%s\n    {\"ns\": %" PRIu64 ", \"from\": ", i ? "," : "",
		       t->ns);
		json_string(stdout, t->from);
		printf(", \"to\": ");
		json_string(stdout, t->to);
		printf(", \"op\": ");
		json_string(stdout, t->op);
		printf(", \"reason\": ");
		if (t->has_reason)
			json_string(stdout, t->reason);
		else
			printf("null");
		printf("}");
	}
	printf("]}");
}

int cmd_stats(int argc, char **argv)
{
	struct dbg_vmfile f_info = { 0 }, f_stats = { 0 }, f_hist = { 0 };
	struct dbg_history hist;
	struct dbg_stats stats;
	struct dbg_info info;
	struct dbg_list list;
	long want_vm = -1, want_vcpu = -1;
	size_t i, shown = 0;
	bool json;
	int idx, ret = VCPUCTL_EXIT_OK;

	idx = view_options_parse(argc, argv, &json, stats_usage);
	if (idx < 0)
		return idx == -2 ? VCPUCTL_EXIT_OK : VCPUCTL_EXIT_ERROR;
	if (idx < argc) {
		if (dbg_parse_selector(argv[idx], &want_vm, &want_vcpu)) {
			pr_err("stats: '%s' is not VM or VM/VCPU", argv[idx]);
			return VCPUCTL_EXIT_ERROR;
		}
		idx++;
	}
	if (idx < argc) {
		pr_err("stats: unexpected argument '%s'", argv[idx]);
		return VCPUCTL_EXIT_ERROR;
	}
	if (dbg_read_list(&list))
		return VCPUCTL_EXIT_ERROR;

	if (json)
		printf("{\"vcpus\": [");
	for (i = 0; i < list.n; i++) {
		struct dbg_vcpu *v = &list.v[i];

		if (want_vm >= 0 && v->vm != (unsigned long)want_vm)
			continue;
		if (want_vcpu >= 0 && v->vcpu != (unsigned long)want_vcpu)
			continue;
		/*
		 * Each file of the VM is read once.  A vCPU (or VM) closed
		 * since the listing is gone: skip it.
		 */
		if (dbg_vmfile_load(&f_info, v->vm, "info") ||
		    dbg_vmfile_load(&f_stats, v->vm, "stats") ||
		    dbg_read_info(&f_info, v->vcpu, &info) ||
		    dbg_read_stats(&f_stats, v->vcpu, &stats)) {
			if (errno == ENOENT)
				continue;
			pr_errno("vm %u vcpu %u", v->vm, v->vcpu);
			ret = VCPUCTL_EXIT_ERROR;
			continue;
		}
		if (dbg_vmfile_load(&f_hist, v->vm, "history") ||
		    dbg_read_history(&f_hist, v->vcpu, &hist))
			hist.n = 0;
		if (json) {
			printf("%s\n", shown ? "," : "");
			stats_json(v, &info, &stats, &hist);
		} else {
			if (shown)
				printf("\n");
			stats_human(v, &info, &stats, &hist);
		}
		shown++;
	}
	if (json)
		printf("%s]}\n", shown ? "\n" : "");
	dbg_vmfile_free(&f_info);
	dbg_vmfile_free(&f_stats);
	dbg_vmfile_free(&f_hist);
	dbg_list_free(&list);
	if (!shown && want_vm >= 0) {
		if (want_vcpu >= 0)
			pr_err("stats: no vCPU %ld/%ld", want_vm, want_vcpu);
		else
			pr_err("stats: no VM %ld", want_vm);
		return VCPUCTL_EXIT_ERROR;
	}
	return ret;
}
