// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl top: a live view of the exit counters, like "jailhouse cell
 * stats" or kvm_stat: per exit kind the total (SUM) and the rate over the
 * last interval (PER SEC), sorted by change, for all vCPUs or one.
 *
 * The rows are every exit kind the module counts, those it handled
 * itself included (NOTHING, EXTERNAL_INTERRUPT, HALT, HYPERCALL with the
 * exit filter), so TOTAL is their sum; the header's "to the VMM" is the
 * part VCPU_RUN returned.
 *
 * On a terminal it redraws in place (ANSI: alternate screen, home, erase)
 * with the terminal in non-canonical, no-echo mode; q or Ctrl-C quit, r
 * resets the counts, v and k step through the VM and exit-kind filters,
 * a clears them; every exit path restores the terminal.  With --once, or
 * when stdout is not a terminal, it prints one plain snapshot (two samples
 * an interval apart) and exits.  With --log, one line per interval (as
 * kvm_stat -l), for scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "debugfs.h"
#include "vcpuctl.h"

enum { OPT_ROOT = 0x100, OPT_ONCE, OPT_VCPU, OPT_VM };

static const struct option top_options[] = {
	{ "interval",	required_argument,	NULL, 'i' },
	{ "once",	no_argument,		NULL, OPT_ONCE },
	{ "log",	no_argument,		NULL, 'l' },
	{ "count",	required_argument,	NULL, 'n' },
	{ "pid",	required_argument,	NULL, 'p' },
	{ "vm",		required_argument,	NULL, OPT_VM },
	{ "vcpu",	required_argument,	NULL, OPT_VCPU },
	{ "exit",	required_argument,	NULL, 'e' },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void top_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl top [-i MS] [--once | -l [-n COUNT]] [-p PID] [--vm VM]\n"
"                   [--vcpu VM/VCPU] [-e KIND[,KIND...]] [--root DIR]\n"
"\n"
"Live view of the exits of the selected vCPUs summed (default all): per\n"
"exit kind the total count (SUM), its rate over the last interval (PER\n"
"SEC) and its share of all exits (%%, of the rate once there is one, else\n"
"of the sum), the kinds that changed most first, and TOTAL, the sum of\n"
"every row.  Every kind the module counts is a row, the exits it handled\n"
"itself included (NOTHING, EXTERNAL_INTERRUPT, HALT, HYPERCALL with the\n"
"exit filter); the header gives the entries, the exits VCPU_RUN returned\n"
"to the VMM, and the share of VCPU_RUN time spent in the guest.\n"
"\n"
"On a terminal the view redraws every interval.  Keys: q (or Ctrl-C)\n"
"quit, r reset the counts to zero (SUM since the reset), v next VM only\n"
"(cycles back to all), k next exit kind only (cycles back to all), a all\n"
"again.  With --once, or when stdout is not a terminal, print one plain\n"
"snapshot (rates over one interval) and exit.\n"
"\n"
"options:\n"
"  -i, --interval MS   time between samples (default 1000, at least 10)\n"
"      --once          one snapshot, no terminal control\n"
"  -l, --log           one line per interval: the time, TOTAL and each\n"
"                      kind's exits per second, under a header line\n"
"                      (kvm_stat -l); until Ctrl-C or COUNT lines\n"
"  -n, --count COUNT   with --log: stop after COUNT lines\n"
"  -p, --pid PID       only the vCPUs of VMs that process created\n"
"      --vm VM         only the vCPUs of VM\n"
"      --vcpu VM/VCPU  only this vCPU\n"
"  -e, --exit KINDS    only these exit kinds (comma-separated names, as\n"
"                      shown; TOTAL and %% are over these)\n"
"      --root DIR      the debugfs directory (default $VCPUCTL_DEBUGFS,\n"
"                      else " DBG_DEFAULT_ROOT ")\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 on q, Ctrl-C, after --once or COUNT lines; 1 when the\n"
"view cannot be read or an option is wrong.\n");
}

#define TOP_MAX_VMS	64

struct sample {
	struct dbg_stats sum;
	unsigned int nvcpus, nvms;
	bool found;		/* the --vcpu one exists */
	uint64_t t_ns;		/* CLOCK_MONOTONIC */
	/* Every VM listed (before the VM filter), for the v key. */
	unsigned int all_vms[TOP_MAX_VMS], nall_vms;
};

struct top {
	long pid;		/* --pid, -1 for all */
	long fvm;		/* --vm or the v key, -1 for all */
	long vm, vcpu;		/* --vcpu, -1 for all */
	/* --exit or the k key: the kinds shown, "" for all (",A,B,"). */
	char kinds[DBG_MAX_KINDS * DBG_NAME_LEN];
	unsigned int interval_ms;
	struct sample prev, cur;
	struct dbg_stats base;	/* the counts at the last reset (r) */
	bool have_prev;
	bool tty;
	int rows, cols;
};

static volatile sig_atomic_t quit_signal, winch;
static struct termios saved_termios;
static bool termios_saved, screen_active;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Idempotent; registered with atexit() and called on every return. */
static void term_restore(void)
{
	if (screen_active) {
		/* Show the cursor, leave the alternate screen. */
		fputs("\033[?25h\033[?1049l", stdout);
		fflush(stdout);
		screen_active = false;
	}
	if (termios_saved) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
		termios_saved = false;
	}
}

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		winch = 1;
	else
		quit_signal = sig;
}

static void install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns EINTR */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int term_setup(void)
{
	struct termios raw;

	atexit(term_restore);
	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved_termios)) {
		raw = saved_termios;
		/* Keys arrive one by one, unechoed; ISIG stays for Ctrl-C. */
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		/* No Ctrl-Z: a stopped top would leave the terminal raw. */
		raw.c_cc[VSUSP] = _POSIX_VDISABLE;
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw))
			return -1;
		termios_saved = true;
	}
	/* Alternate screen, cursor hidden, clear and home. */
	fputs("\033[?1049h\033[?25l\033[2J\033[H", stdout);
	fflush(stdout);
	screen_active = true;
	return 0;
}

static void term_size(struct top *top)
{
	struct winsize ws;

	top->rows = 24;
	top->cols = 80;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		top->rows = ws.ws_row;
		top->cols = ws.ws_col;
	}
}

/* Sum the stats of the selected vCPUs.  Returns -1 if the view is gone. */
static int collect(struct top *top, struct sample *s)
{
	struct dbg_vmfile vf = { 0 };
	struct dbg_list list;
	struct dbg_stats st;
	unsigned int *vms;
	size_t i, j;

	memset(s, 0, sizeof(*s));
	if (dbg_read_list(&list))
		return -1;
	vms = calloc(list.n ? list.n : 1, sizeof(*vms));
	if (!vms) {
		dbg_list_free(&list);
		pr_err("out of memory");
		return -1;
	}
	s->t_ns = now_ns();
	for (i = 0; i < list.n; i++) {
		struct dbg_vcpu *v = &list.v[i];

		if (top->pid >= 0 && v->pid != top->pid)
			continue;
		for (j = 0; j < s->nall_vms; j++)
			if (s->all_vms[j] == v->vm)
				break;
		if (j == s->nall_vms && j < TOP_MAX_VMS)
			s->all_vms[s->nall_vms++] = v->vm;
		if (top->fvm >= 0 && v->vm != (unsigned long)top->fvm)
			continue;
		if (top->vm >= 0 && (v->vm != (unsigned long)top->vm ||
				     v->vcpu != (unsigned long)top->vcpu))
			continue;
		/* Each VM's file once; skip what closed since the listing. */
		if (dbg_vmfile_load(&vf, v->vm, "stats") ||
		    dbg_read_stats(&vf, v->vcpu, &st))
			continue;
		dbg_stats_add(&s->sum, &st);
		s->nvcpus++;
		s->found = true;
		for (j = 0; j < s->nvms; j++)	/* distinct VMs summed */
			if (vms[j] == v->vm)
				break;
		if (j == s->nvms)
			vms[s->nvms++] = v->vm;
	}
	free(vms);
	dbg_vmfile_free(&vf);
	dbg_list_free(&list);
	return 0;
}

struct row {
	const char *name;
	uint64_t sum;
	uint64_t delta;
	size_t order;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->delta != y->delta)
		return x->delta < y->delta ? 1 : -1;
	if (x->sum != y->sum)
		return x->sum < y->sum ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static uint64_t delta_of(uint64_t cur, uint64_t prev)
{
	return cur > prev ? cur - prev : 0;	/* closed vCPUs lower a sum */
}

static double rate(const struct top *top, uint64_t delta)
{
	uint64_t dt;

	if (!top->have_prev)
		return 0;
	dt = top->cur.t_ns - top->prev.t_ns;
	return dt ? (double)delta * 1e9 / (double)dt : 0;
}

/* One line of the frame: cut to the width, erase the rest on a tty. */
static int frame_line(const struct top *top, int *line, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (top->tty && *line >= top->rows)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (top->tty) {
		if (top->cols < (int)sizeof(buf))
			buf[top->cols] = 0;
		/* No newline after the last row: it would scroll. */
		printf("%s\033[K%s", buf, *line + 1 < top->rows ? "\r\n" : "");
	} else {
		printf("%s\n", buf);
	}
	(*line)++;
	return 0;
}

/* The count of kind @name in @st, 0 if it has no such kind. */
static uint64_t kind_count(const struct dbg_stats *st, const char *name)
{
	size_t k;

	for (k = 0; k < st->nkinds; k++)
		if (!strcmp(st->kind[k].name, name))
			return st->kind[k].count;
	return 0;
}

/* Is @name among the kinds shown (--exit, the k key: ",A,B,")? */
static bool kind_shown(const struct top *top, const char *name)
{
	char key[DBG_NAME_LEN + 3];

	if (!top->kinds[0])
		return true;
	snprintf(key, sizeof(key), ",%s,", name);
	return strstr(top->kinds, key) != NULL;
}

/*
 * The rows: every kind shown, its count since the last reset and its
 * change over the interval.  Returns how many; @total and @dtotal are
 * their sums.
 */
static size_t make_rows(const struct top *top, struct row *rows,
			bool all, uint64_t *total, uint64_t *dtotal)
{
	const struct sample *c = &top->cur, *p = &top->prev;
	size_t i, n = 0;

	*total = *dtotal = 0;
	for (i = 0; i < c->sum.nkinds; i++) {
		const struct dbg_kind *kind = &c->sum.kind[i];
		uint64_t sum, before;

		if (!kind_shown(top, kind->name))
			continue;
		sum = delta_of(kind->count, kind_count(&top->base, kind->name));
		before = top->have_prev ? kind_count(&p->sum, kind->name) :
					  kind->count;
		if (!sum && !all)
			continue;
		rows[n].name = kind->name;
		rows[n].sum = sum;
		rows[n].delta = delta_of(kind->count, before);
		rows[n].order = i;
		*total += rows[n].sum;
		*dtotal += rows[n].delta;
		n++;
	}
	return n;
}

static double share(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void draw(struct top *top)
{
	const struct sample *c = &top->cur, *p = &top->prev;
	struct row rows[DBG_MAX_KINDS];
	uint64_t d_exits, d_entries, d_guest, d_run, total, dtotal;
	char who[64], filt[160], b1[32];
	size_t i, n;
	int line = 0;

	n = make_rows(top, rows, false, &total, &dtotal);
	qsort(rows, n, sizeof(rows[0]), row_cmp);

	d_exits = top->have_prev ? delta_of(c->sum.exits, p->sum.exits) : 0;
	d_entries = top->have_prev ? delta_of(c->sum.entries, p->sum.entries) : 0;
	d_guest = top->have_prev ? delta_of(c->sum.guest_ns, p->sum.guest_ns) : 0;
	d_run = top->have_prev ? delta_of(c->sum.run_ns, p->sum.run_ns) : 0;

	if (top->vm >= 0)
		snprintf(who, sizeof(who), "vCPU %ld/%ld%s", top->vm, top->vcpu,
			 c->found ? "" : " (not present)");
	else
		snprintf(who, sizeof(who), "%u vCPU%s in %u VM%s", c->nvcpus,
			 c->nvcpus == 1 ? "" : "s", c->nvms,
			 c->nvms == 1 ? "" : "s");
	filt[0] = 0;
	if (top->pid >= 0)
		snprintf(filt + strlen(filt), sizeof(filt) - strlen(filt),
			 " pid %ld", top->pid);
	if (top->fvm >= 0)
		snprintf(filt + strlen(filt), sizeof(filt) - strlen(filt),
			 " vm %ld", top->fvm);
	if (top->kinds[0])
		snprintf(filt + strlen(filt), sizeof(filt) - strlen(filt),
			 " exits %.*s", (int)strlen(top->kinds) - 2,
			 top->kinds + 1);

	if (top->tty)
		fputs("\033[H", stdout);
	frame_line(top, &line, "vcpuctl top - %s, interval %u ms%s%s%s", who,
		   top->interval_ms, filt[0] ? ", only" : "", filt,
		   top->tty ? "  (q quit, r reset, v/k/a filter)" : "");
	frame_line(top, &line, "entries %" PRIu64 " (%.0f/s)  to the VMM %" PRIu64
		   " (%.0f/s)  in guest %s", c->sum.entries,
		   rate(top, d_entries), c->sum.exits, rate(top, d_exits),
		   fmt_ns(b1, sizeof(b1), c->sum.guest_ns));
	if (d_run)
		frame_line(top, &line, "guest share of VCPU_RUN over the interval: %.1f%%",
			   100.0 * d_guest / d_run);
	else
		frame_line(top, &line, "%s", "");
	frame_line(top, &line, "%-24s %14s %12s %6s", "EXIT", "SUM", "PER SEC", "%");
	for (i = 0; i < n; i++)
		if (frame_line(top, &line, "%-24s %14" PRIu64 " %12.0f %6.1f",
			       rows[i].name, rows[i].sum,
			       rate(top, rows[i].delta),
			       dtotal ? share(rows[i].delta, dtotal) :
					share(rows[i].sum, total)))
			break;
	frame_line(top, &line, "%-24s %14" PRIu64 " %12.0f %6.1f", "TOTAL",
		   total, rate(top, dtotal), n ? 100.0 : 0.0);
	if (top->tty)
		fputs("\033[J", stdout);	/* erase below the last line */
	fflush(stdout);
}

/* --log: the header once (every kind shown), then a line per interval. */
static void log_line(struct top *top, unsigned long lineno, uint64_t t0)
{
	struct row rows[DBG_MAX_KINDS];
	uint64_t total, dtotal;
	size_t i, n;

	n = make_rows(top, rows, true, &total, &dtotal);
	if (lineno == 1) {
		printf("%10s %10s", "TIME", "TOTAL");
		for (i = 0; i < n; i++)
			printf(" %s", rows[i].name);
		putchar('\n');
	}
	printf("%10.3f %10.0f", (double)(top->cur.t_ns - t0) / 1e9,
	       rate(top, dtotal));
	for (i = 0; i < n; i++)
		printf(" %*.0f", (int)strlen(rows[i].name), rate(top, rows[i].delta));
	putchar('\n');
	fflush(stdout);
}

/* A new sample: the current one becomes the previous one. */
static int sample(struct top *top)
{
	struct sample s;

	if (collect(top, &s))
		return -1;
	if (top->cur.t_ns) {
		top->prev = top->cur;
		top->have_prev = true;
	}
	top->cur = s;
	return 0;
}

static int top_once(struct top *top)
{
	struct timespec ts = {
		.tv_sec = top->interval_ms / 1000,
		.tv_nsec = (top->interval_ms % 1000) * 1000000L,
	};

	if (sample(top))
		return VCPUCTL_EXIT_ERROR;
	if (top->vm >= 0 && !top->cur.found) {
		pr_err("top: no vCPU %ld/%ld", top->vm, top->vcpu);
		return VCPUCTL_EXIT_ERROR;
	}
	while (nanosleep(&ts, &ts) && errno == EINTR && !quit_signal)
		;
	if (sample(top))
		return VCPUCTL_EXIT_ERROR;
	draw(top);
	return VCPUCTL_EXIT_OK;
}

/* The next value after @cur in @vals (n of them), or -1 after the last. */
static long cycle_next(long cur, const unsigned int *vals, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((long)vals[i] == cur)
			return i + 1 < n ? (long)vals[i + 1] : -1;
	return n ? (long)vals[0] : -1;
}

/* The interactive keys other than quit: r, v, k, a.  Redraws at once. */
static void top_key(struct top *top, char key)
{
	unsigned int order[DBG_MAX_KINDS], n = 0, i;
	const struct dbg_stats *st = &top->cur.sum;
	char name[DBG_NAME_LEN + 3];
	long next;

	switch (key) {
	case 'r':
		top->base = top->cur.sum;
		break;
	case 'v':
		top->fvm = cycle_next(top->fvm, top->cur.all_vms,
				      top->cur.nall_vms);
		break;
	case 'k':
		/* The next kind with a count, in the module's order. */
		for (i = 0; i < st->nkinds; i++)
			if (st->kind[i].count)
				order[n++] = i;
		next = -1;
		for (i = 0; i < n; i++) {
			snprintf(name, sizeof(name), ",%s,",
				 st->kind[order[i]].name);
			if (!strcmp(top->kinds, name)) {
				next = i + 1 < n ? (long)order[i + 1] : -1;
				break;
			}
		}
		if (i == n && n)
			next = order[0];
		top->kinds[0] = 0;
		if (next >= 0)
			snprintf(top->kinds, sizeof(top->kinds), ",%s,",
				 st->kind[next].name);
		break;
	case 'a':
		top->fvm = -1;
		top->kinds[0] = 0;
		break;
	default:
		return;
	}
	/* The filters change what is summed: sample again, no stale rate. */
	top->have_prev = false;
	top->cur.t_ns = 0;
	if (!sample(top))
		draw(top);
}

/* --log: a line per interval, until a signal or @count lines. */
static int top_log(struct top *top, unsigned long count)
{
	struct timespec ts;
	unsigned long lines = 0;
	uint64_t t0;

	if (sample(top))
		return VCPUCTL_EXIT_ERROR;
	t0 = top->cur.t_ns;
	while (!quit_signal && (!count || lines < count)) {
		ts.tv_sec = top->interval_ms / 1000;
		ts.tv_nsec = (top->interval_ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) && errno == EINTR && !quit_signal)
			;
		if (quit_signal)
			break;
		if (sample(top))
			return VCPUCTL_EXIT_ERROR;
		log_line(top, ++lines, t0);
	}
	return VCPUCTL_EXIT_OK;
}

static int top_live(struct top *top)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	bool keys = isatty(STDIN_FILENO);
	uint64_t next;
	int ret = VCPUCTL_EXIT_OK;
	char buf[64];
	ssize_t n, i;

	if (sample(top))
		return VCPUCTL_EXIT_ERROR;
	if (term_setup()) {
		pr_errno("top: tcsetattr");
		term_restore();
		return VCPUCTL_EXIT_ERROR;
	}
	term_size(top);
	draw(top);
	next = now_ns() + top->interval_ms * 1000000ULL;
	while (!quit_signal) {
		uint64_t t = now_ns();
		int timeout = t >= next ? 0 : (int)((next - t + 999999) / 1000000);

		if (poll(&pfd, keys ? 1 : 0, timeout) > 0 &&
		    (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0)
				keys = false;	/* stdin closed: Ctrl-C still quits */
			for (i = 0; i < n; i++) {
				if (buf[i] == 'q' || buf[i] == 'Q' || buf[i] == 3)
					goto out;
				top_key(top, buf[i]);
			}
		}
		if (quit_signal)
			break;
		if (winch) {
			winch = 0;
			term_size(top);
			fputs("\033[2J", stdout);
			draw(top);
		}
		if (now_ns() >= next) {
			if (sample(top)) {
				ret = VCPUCTL_EXIT_ERROR;
				break;
			}
			draw(top);
			next += top->interval_ms * 1000000ULL;
			if (next < now_ns())
				next = now_ns() + top->interval_ms * 1000000ULL;
		}
	}
out:
	term_restore();
	return ret;
}

/* --exit A,B: the kinds as ",A,B," (names as the module spells them). */
static int parse_kinds(struct top *top, const char *arg)
{
	size_t len = strlen(arg);

	if (!len || len + 3 > sizeof(top->kinds) || arg[0] == ',' ||
	    arg[len - 1] == ',' || strstr(arg, ",,") || strchr(arg, ' '))
		return -1;
	snprintf(top->kinds, sizeof(top->kinds), ",%s,", arg);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	struct top top = { .pid = -1, .fvm = -1, .vm = -1, .vcpu = -1,
			   .interval_ms = 1000 };
	bool once = false, log = false;
	unsigned long count = 0;
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "i:ln:p:e:h", top_options, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_u64(optarg, &v, false) || v < 10 || v > 3600000) {
				pr_err("top: invalid --interval '%s' (10..3600000 ms)",
				       optarg);
				return VCPUCTL_EXIT_ERROR;
			}
			top.interval_ms = v;
			break;
		case OPT_ONCE:
			once = true;
			break;
		case 'l':
			log = true;
			break;
		case 'n':
			if (parse_u64(optarg, &v, false) || !v || v > 100000000) {
				pr_err("top: invalid --count '%s'", optarg);
				return VCPUCTL_EXIT_ERROR;
			}
			count = v;
			break;
		case 'p':
			if (parse_u64(optarg, &v, false) || !v || v > 0x7fffffff) {
				pr_err("top: invalid --pid '%s'", optarg);
				return VCPUCTL_EXIT_ERROR;
			}
			top.pid = v;
			break;
		case OPT_VM:
			if (parse_u64(optarg, &v, false) || v > 0xffffffffULL) {
				pr_err("top: invalid --vm '%s'", optarg);
				return VCPUCTL_EXIT_ERROR;
			}
			top.fvm = v;
			break;
		case OPT_VCPU:
			if (dbg_parse_selector(optarg, &top.vm, &top.vcpu) ||
			    top.vcpu < 0) {
				pr_err("top: --vcpu wants VM/VCPU, not '%s'", optarg);
				return VCPUCTL_EXIT_ERROR;
			}
			break;
		case 'e':
			if (parse_kinds(&top, optarg)) {
				pr_err("top: --exit wants KIND[,KIND...], not '%s'",
				       optarg);
				return VCPUCTL_EXIT_ERROR;
			}
			break;
		case OPT_ROOT:
			dbg_set_root(optarg);
			break;
		case 'h':
			top_usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'vcpuctl top --help'.\n");
			return VCPUCTL_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		pr_err("top: unexpected argument '%s'", argv[optind]);
		return VCPUCTL_EXIT_ERROR;
	}
	if (once && log) {
		pr_err("top: --once and --log exclude each other");
		return VCPUCTL_EXIT_ERROR;
	}
	if (count && !log) {
		pr_err("top: --count goes with --log");
		return VCPUCTL_EXIT_ERROR;
	}
	install_signals();
	if (log)
		return top_log(&top, count);
	top.tty = !once && isatty(STDOUT_FILENO);
	if (!top.tty)
		return top_once(&top);
	return top_live(&top);
}
