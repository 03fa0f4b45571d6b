// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl top: a live view of the exit counters, like "jailhouse cell
 * stats" or kvm_stat: per exit kind the total (SUM) and the rate over the
 * last interval (PER SEC), sorted by change, for all vCPUs or one.
 *
 * On a terminal it redraws in place (ANSI: alternate screen, home, erase)
 * with the terminal in non-canonical, no-echo mode; q or Ctrl-C quit and
 * every exit path restores the terminal.  With --once, or when stdout is
 * not a terminal, it prints one plain snapshot (two samples an interval
 * apart) and exits.
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

enum { OPT_ROOT = 0x100, OPT_INTERVAL, OPT_ONCE, OPT_VCPU };

static const struct option top_options[] = {
	{ "interval",	required_argument,	NULL, OPT_INTERVAL },
	{ "once",	no_argument,		NULL, OPT_ONCE },
	{ "vcpu",	required_argument,	NULL, OPT_VCPU },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void top_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl top [--interval MS] [--once] [--vcpu VM/VCPU] [--root DIR]\n"
"\n"
"Live view of the exits of all vCPUs summed (or of one): per exit kind the\n"
"total count (SUM) and its rate over the last interval (PER SEC), the\n"
"kinds that changed most first, under a header with the entries, exits\n"
"and the share of VCPU_RUN time spent in the guest.  On a terminal the\n"
"view redraws every interval; q or Ctrl-C quit and restore the terminal.\n"
"With --once, or when stdout is not a terminal, print one plain snapshot\n"
"(rates over one interval) and exit.\n"
"\n"
"options:\n"
"  --interval MS   time between samples (default 1000, at least 10)\n"
"  --once          one snapshot, no terminal control\n"
"  --vcpu VM/VCPU  only this vCPU\n"
"  --root DIR      the debugfs directory (default $VCPUCTL_DEBUGFS, else\n"
"                  " DBG_DEFAULT_ROOT ")\n"
"  -h, --help      this text\n"
"\n"
"Exit status: 0 on q, Ctrl-C or after --once; 1 when the view cannot be\n"
"read.\n");
}

struct sample {
	struct dbg_stats sum;
	unsigned int nvcpus, nvms;
	bool found;		/* the --vcpu one exists */
	uint64_t t_ns;		/* CLOCK_MONOTONIC */
};

struct top {
	long vm, vcpu;		/* --vcpu, -1 for all */
	unsigned int interval_ms;
	struct sample prev, cur;
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

static void draw(struct top *top)
{
	const struct sample *c = &top->cur, *p = &top->prev;
	struct row rows[DBG_MAX_KINDS];
	uint64_t d_exits, d_entries, d_guest, d_run;
	char who[64], b1[32];
	size_t i, n = 0;
	int line = 0, k;

	for (i = 0; i < c->sum.nkinds; i++) {
		const struct dbg_kind *kind = &c->sum.kind[i];
		uint64_t before = 0;

		if (top->have_prev) {
			for (k = 0; k < (int)p->sum.nkinds; k++)
				if (!strcmp(p->sum.kind[k].name, kind->name))
					before = p->sum.kind[k].count;
		} else {
			before = kind->count;
		}
		if (!kind->count)
			continue;
		rows[n].name = kind->name;
		rows[n].sum = kind->count;
		rows[n].delta = delta_of(kind->count, before);
		rows[n].order = i;
		n++;
	}
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

	if (top->tty)
		fputs("\033[H", stdout);
	frame_line(top, &line, "vcpuctl top - %s, interval %u ms%s", who,
		   top->interval_ms, top->tty ? "  (q: quit)" : "");
	frame_line(top, &line, "entries %" PRIu64 " (%.0f/s)  exits %" PRIu64
		   " (%.0f/s)  in guest %s%s", c->sum.entries,
		   rate(top, d_entries), c->sum.exits, rate(top, d_exits),
		   fmt_ns(b1, sizeof(b1), c->sum.guest_ns),
		   "");
	if (d_run)
		frame_line(top, &line, "guest share of VCPU_RUN over the interval: %.1f%%",
			   100.0 * d_guest / d_run);
	else
		frame_line(top, &line, "%s", "");
	frame_line(top, &line, "%-24s %14s %12s", "EXIT", "SUM", "PER SEC");
	for (i = 0; i < n; i++)
		if (frame_line(top, &line, "%-24s %14" PRIu64 " %12.0f",
			       rows[i].name, rows[i].sum,
			       rate(top, rows[i].delta)))
			break;
	frame_line(top, &line, "%-24s %14" PRIu64 " %12.0f", "TOTAL",
		   c->sum.exits, rate(top, d_exits));
	if (top->tty)
		fputs("\033[J", stdout);	/* erase below the last line */
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
			for (i = 0; i < n; i++)
				if (buf[i] == 'q' || buf[i] == 'Q' || buf[i] == 3)
					goto out;
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

int cmd_top(int argc, char **argv)
{
	struct top top = { .vm = -1, .vcpu = -1, .interval_ms = 1000 };
	bool once = false;
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "h", top_options, NULL)) != -1) {
		switch (c) {
		case OPT_INTERVAL:
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
		case OPT_VCPU:
			if (dbg_parse_selector(optarg, &top.vm, &top.vcpu) ||
			    top.vcpu < 0) {
				pr_err("top: --vcpu wants VM/VCPU, not '%s'", optarg);
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
	install_signals();
	top.tty = !once && isatty(STDOUT_FILENO);
	if (!top.tty)
		return top_once(&top);
	return top_live(&top);
}
