// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl run: load a flat guest image, run it on one vCPU and serve its
 * exits from the device model in machine.c.
 *
 * The run loop is a table of exit handlers indexed by enum
 * vcpu_exit_reason.  A handler reads the exit's payload from the shared
 * page, asks the machine for the value that completes it, writes that
 * value into the exit's "in" field (the kernel applies it at the next
 * VCPU_RUN) and appends its fields to the exit's trace line.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "machine.h"
#include "names.h"
#include "vcpuctl.h"

#define RUN_DEFAULT_MEM		(2ULL << 20)
#define RUN_DEFAULT_LOAD_ADDR	0x1000ULL
#define SZ_1G			(1ULL << 30)
#define SZ_4G			(1ULL << 32)
#define REAL_MODE_LIMIT		0x100000ULL	/* selector << 4 reaches below */

#if defined(__aarch64__)
#define RUN_DEFAULT_MODE	VCPU_MODE_ARM64_EL1
#else
#define RUN_DEFAULT_MODE	VCPU_MODE_X86_REAL
#endif

struct run_opts {
	uint64_t mem_size;
	uint64_t load_addr;
	uint64_t entry;
	uint64_t stack;
	uint64_t max_exits;		/* 0: no limit */
	unsigned int mode;		/* enum vcpu_mode */
	int cpu;			/* -1: the CPU vcpuctl starts on */
	unsigned int nr_vcpus;
	bool entry_set;
	bool stack_set;
	bool trace;
	bool halt_continue;
	bool vga_hole;
	const char *image;
};

struct trace_line {
	char buf[512];
	size_t len;
};

struct run_ctx {
	const struct run_opts *opts;
	struct machine *machine;	/* shared by every vCPU */
	struct vcpu_run *run;
	int vcpu_fd;
	unsigned int index;		/* vCPU id */
	bool halted;			/* SMP: this vCPU is done */
	pthread_t thread;
	int cpu;
	int status;
	bool arm64;
	bool print_line;		/* print this exit's line even untraced */
	bool dump;			/* print state and registers at the end */
	bool warned_cpu_up;
	uint64_t nr_exits;
	uint64_t per_reason[VCPU_EXIT_NR + 1];	/* last: unknown reasons */
	struct trace_line line;
};

typedef void (*exit_handler_t)(struct run_ctx *ctx);

static volatile sig_atomic_t run_signal;
#define RUN_MAX_VCPUS		64
#define RUN_STACK_PER_VCPU	0x1000ULL

static struct vcpu_run *volatile run_pages[RUN_MAX_VCPUS];
static int run_fds[RUN_MAX_VCPUS];
static unsigned int run_nr_vcpus;
/* Exits of different vCPUs reach the device model one at a time. */
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;

static void run_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl run [OPTIONS] IMAGE\n"
"       vcpuctl run --kernel IMAGE ...   (boot Linux: see --kernel --help)\n"
"\n"
"Load IMAGE (an ELF file: its PT_LOAD segments at their physical addresses;\n"
"otherwise a flat binary at --load-addr) into guest memory and run it on\n"
"one vCPU until\n"
"the guest stops, serving its exits from a minimal device model.\n"
"\n"
"options:\n"
"  -m, --mem SIZE     guest memory, from guest-physical 0 (default 2M):\n"
"                     MiB, or K, M, G, T suffixes (powers of 1024)\n"
"  --load-addr GPA    where IMAGE is loaded (default 0x1000)\n"
"  --entry GPA        first instruction (default: the ELF entry point,\n"
"                     else the load address)\n"
"  --stack GPA        initial stack pointer (default: top of low memory,\n"
"                     see below)\n"
"  --mode MODE        real (default on x86), prot32, long64, el1 (arm64)\n"
"  --cpu N            physical CPU to bind the vCPU to and run on\n"
"                     (default: the CPU vcpuctl starts on)\n"
"  --trace            print every exit on stderr, one line each\n"
"  --max-exits N      stop after N exits (status 4)\n"
"  --halt-continue    re-enter the guest after HLT/WFI instead of stopping\n"
"  --no-vga-hole      x86: back [0xa0000, 0xc0000) with memory as well\n"
"  --vcpus N          run N vCPUs (default 1, at most 64), each in its own\n"
"                     thread on the next CPU, all from the entry point with\n"
"                     their id as the SETUP arg (RDI / x0) and 4 KiB of\n"
"                     stack each below --stack; the run ends when all have\n"
"                     halted or one powers the machine off\n"
"  -h, --help         this text\n"
"\n"
"Guest memory: RAM covers [0, SIZE) except, on x86 with SIZE over 640K, the\n"
"legacy VGA window [0xa0000, 0xc0000), which is left unbacked as on a PC so\n"
"that a real-mode guest can reach MMIO.  RDI (x86) or x0 (arm64) holds SIZE\n"
"at entry.\n"
"Modes: real starts at CS:IP = (entry >> 4) & 0xf000 : entry & 0xffff with\n"
"SS:SP split the same way (default stack 0x9fff0 with SIZE >= 640K);\n"
"prot32 and long64 start with flat segments, stack at the top of memory.\n"
"long64: vcpuctl writes 4-level page tables at the top of memory that map\n"
"[0, max(4G, SIZE)) one to one with 2 MiB pages, and passes them as CR3;\n"
"the stack starts just below them.\n"
"\n"
"Device model:\n"
"  port 0x3f8 write    serial transmit: the byte goes to stdout\n"
"  port 0x3fd read     serial line status: 0x60 (transmitter empty)\n"
"  port 0x604 write    ACPI power off (any value): stop, status 0\n"
"  port 0xf4 write     isa-debug-exit: stop, status ((value << 1) | 1) & 0xff\n"
"  other port reads    all ones (0xff, 0xffff, 0xffffffff); writes ignored\n"
"  hypercall nr 0      power off: stop, status 0; other numbers return 0\n"
"  MMIO 0x09000000     arm64 PL011 data register: a written byte goes to\n"
"                     stdout (flag register 0x09000018 reads 0)\n"
"  other MMIO          reads return 0, writes are ignored (see --trace)\n"
"  MSR/sysreg          reads return 0, writes are ignored\n"
"  HLT/WFI             stop, status 0 (unless --halt-continue)\n"
"  SYSTEM_DOWN         (arm64 PSCI SYSTEM_OFF/RESET) stop, status 0\n"
"  CPU_DOWN            the only vCPU went down: stop, status 0\n"
"  CPU_UP, SEND_IPI    ignored (one vCPU only)\n"
"\n"
"Exit status:\n"
"  0    the guest powered off or halted\n"
"  1    vcpuctl error (usage, image, an ioctl failed)\n"
"  2    SHUTDOWN: the guest triple-faulted\n"
"  3    FAIL_ENTRY, INTERNAL_ERROR, NESTED_PAGE_FAULT or an unknown exit:\n"
"       details, the vCPU's state and registers are printed on stderr\n"
"  4    --max-exits reached\n"
"  130  interrupted (SIGINT; 128 + the signal number for SIGTERM, SIGHUP)\n"
"  N    the isa-debug-exit status above\n"
"A summary of the exits by reason and the wall time ends every run.\n");
}

/* Trace lines */

static void trace_start(struct run_ctx *ctx, unsigned int reason)
{
	struct trace_line *l = &ctx->line;
	int n;

	n = snprintf(l->buf, sizeof(l->buf), "exit #%" PRIu64 " ",
		     ctx->nr_exits);
	if (reason < VCPU_EXIT_NR)
		n += snprintf(l->buf + n, sizeof(l->buf) - n, "%s",
			      vcpu_exit_reason_name(reason));
	else
		n += snprintf(l->buf + n, sizeof(l->buf) - n, "UNKNOWN(%u)",
			      reason);
	l->len = (size_t)n < sizeof(l->buf) ? (size_t)n : sizeof(l->buf) - 1;
	ctx->print_line = false;
}

static void __attribute__((format(printf, 2, 3)))
trace_add(struct run_ctx *ctx, const char *fmt, ...)
{
	struct trace_line *l = &ctx->line;
	va_list ap;
	int n;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += n;
	if (l->len >= sizeof(l->buf))
		l->len = sizeof(l->buf) - 1;
}

static void trace_end(struct run_ctx *ctx)
{
	if (!ctx->opts->trace && !ctx->print_line)
		return;
	/*
	 * No fflush(stdout) here: with --trace the serial output is line
	 * buffered and comes out between trace lines, one line at a time.
	 */
	fprintf(stderr, "%s\n", ctx->line.buf);
}

/* ' 'H'' for a printable byte, ' '\n'' and friends, nothing otherwise. */
static void trace_char(struct run_ctx *ctx, uint64_t c)
{
	switch (c) {
	case '\n':
		trace_add(ctx, " '\\n'");
		break;
	case '\r':
		trace_add(ctx, " '\\r'");
		break;
	case '\t':
		trace_add(ctx, " '\\t'");
		break;
	default:
		if (c >= 0x20 && c < 0x7f)
			trace_add(ctx, " '%c'", (int)c);
		break;
	}
}

/* Exit handlers */

static void fatal(struct run_ctx *ctx, int status, const char *why)
{
	ctx->print_line = true;
	ctx->dump = true;
	machine_stop(ctx->machine, status, "%s", why);
}

static void handle_nothing(struct run_ctx *ctx)
{
	(void)ctx;
}

static void handle_hypercall(struct run_ctx *ctx)
{
	struct vcpu_exit_hypercall *hc = &ctx->run->hypercall;
	uint64_t nr = hc->nr, args[6], ret;
	unsigned int i;

	memcpy(args, hc->args, sizeof(args));
	ret = machine_hypercall(ctx->machine, nr, args);
	hc->ret = ret;

	trace_add(ctx, " nr=0x%" PRIx64 " args=[", nr);
	for (i = 0; i < ARRAY_SIZE(args); i++)
		trace_add(ctx, "%s0x%" PRIx64, i ? ", " : "", args[i]);
	trace_add(ctx, "] -> ret=0x%" PRIx64, ret);
}

static void trace_mmio_reg(struct run_ctx *ctx, const struct vcpu_exit_mmio *m)
{
	bool high = m->flags & VCPU_MMIO_F_HIGH_BYTE;

	trace_add(ctx, " reg=%s", vcpu_reg_name(m->reg, high, ctx->arm64));
	if (m->reg_width != m->width)
		trace_add(ctx, " reg_width=%u", m->reg_width);
	if (m->sign_extend)
		trace_add(ctx, " sign_extend");
}

static void handle_mmio_read(struct run_ctx *ctx)
{
	struct vcpu_exit_mmio *m = &ctx->run->mmio;
	uint64_t addr = m->addr, data;
	unsigned int width = m->width;

	data = machine_mmio_read(ctx->machine, addr, width) &
	       width_mask(width);
	m->data = data;

	trace_add(ctx, " addr=0x%" PRIx64 " width=%u", addr, width);
	trace_mmio_reg(ctx, m);
	trace_add(ctx, " -> 0x%" PRIx64, data);
}

static void handle_mmio_write(struct run_ctx *ctx)
{
	const struct vcpu_exit_mmio *m = &ctx->run->mmio;
	uint64_t addr = m->addr;
	unsigned int width = m->width;
	uint64_t data = m->data & width_mask(width);

	machine_mmio_write(ctx->machine, addr, width, data);
	trace_add(ctx, " addr=0x%" PRIx64 " width=%u data=0x%" PRIx64,
		  addr, width, data);
}

static void handle_sysreg_read(struct run_ctx *ctx)
{
	struct vcpu_exit_sysreg *s = &ctx->run->sysreg;
	uint64_t addr = s->addr, value;

	value = machine_sysreg_read(ctx->machine, addr);
	s->value = value;
	if (ctx->arm64)
		trace_add(ctx, " iss=0x%" PRIx64 " reg=%s", addr,
			  vcpu_reg_name(s->reg, false, true));
	else
		trace_add(ctx, " msr=0x%" PRIx64, addr);
	trace_add(ctx, " -> 0x%" PRIx64, value);
}

static void handle_sysreg_write(struct run_ctx *ctx)
{
	const struct vcpu_exit_sysreg *s = &ctx->run->sysreg;
	uint64_t addr = s->addr, value = s->value;

	machine_sysreg_write(ctx->machine, addr, value);
	if (ctx->arm64)
		trace_add(ctx, " iss=0x%" PRIx64 " reg=%s", addr,
			  vcpu_reg_name(s->reg, false, true));
	else
		trace_add(ctx, " msr=0x%" PRIx64, addr);
	trace_add(ctx, " value=0x%" PRIx64, value);
}

static void trace_io(struct run_ctx *ctx, const struct vcpu_exit_io *io)
{
	trace_add(ctx, " port=0x%x width=%u", io->port, io->width);
	if (io->flags & VCPU_IO_F_STRING)
		trace_add(ctx, " string%s count=%u",
			  io->flags & VCPU_IO_F_REP ? " rep" : "", io->count);
}

/*
 * String I/O (INS/OUTS): count elements of width bytes in the shared page
 * at data_offset, element 0 first.  The page is ours to read and write,
 * but the offsets come from it too: check them before use.
 */
static uint8_t *io_string_data(struct run_ctx *ctx,
			       const struct vcpu_exit_io *io)
{
	uint64_t end = (uint64_t)io->data_offset + (uint64_t)io->count * io->width;

	if (io->data_offset < VCPU_RUN_DATA_OFFSET ||
	    end > VCPU_RUN_DATA_OFFSET + VCPU_RUN_DATA_SIZE) {
		trace_add(ctx, " data_offset=%u", io->data_offset);
		fatal(ctx, VCPUCTL_EXIT_ERROR,
		      "string I/O data outside the shared page");
		return NULL;
	}
	return (uint8_t *)ctx->run + io->data_offset;
}

static void handle_io_read(struct run_ctx *ctx)
{
	struct vcpu_exit_io *io = &ctx->run->io;
	uint16_t port = io->port;
	unsigned int width = io->width, i;
	uint64_t data;
	uint8_t *buf;

	trace_io(ctx, io);
	if (io->flags & VCPU_IO_F_STRING) {
		buf = io_string_data(ctx, io);
		for (i = 0; buf && i < io->count; i++) {
			data = machine_io_read(ctx->machine, port, width);
			memcpy(buf + i * width, &data, width);
		}
		return;
	}
	data = machine_io_read(ctx->machine, port, width) & width_mask(width);
	io->data = data;
	trace_add(ctx, " -> 0x%" PRIx64, data);
}

static void io_write_one(struct run_ctx *ctx, uint16_t port,
			 unsigned int width, uint64_t data)
{
	machine_io_write(ctx->machine, port, width, data);
	if (port == MACHINE_PORT_SERIAL_THR && width == 1)
		trace_char(ctx, data);
}

static void handle_io_write(struct run_ctx *ctx)
{
	const struct vcpu_exit_io *io = &ctx->run->io;
	uint16_t port = io->port;
	unsigned int width = io->width, i;
	uint64_t data = io->data & width_mask(width);
	const uint8_t *buf;

	trace_io(ctx, io);
	if (io->flags & VCPU_IO_F_STRING) {
		buf = io_string_data(ctx, io);
		for (i = 0; buf && i < io->count; i++) {
			data = 0;
			memcpy(&data, buf + i * width, width);
			io_write_one(ctx, port, width, data);
		}
		return;
	}
	trace_add(ctx, " data=0x%" PRIx64, data);
	io_write_one(ctx, port, width, data);
}

static void handle_external_interrupt(struct run_ctx *ctx)
{
	trace_add(ctx, " vector=0x%x", ctx->run->external_interrupt.vector);
}

static void handle_npf(struct run_ctx *ctx)
{
	const struct vcpu_exit_npf *npf = &ctx->run->npf;
	uint32_t access = npf->access;

	trace_add(ctx, " gpa=0x%" PRIx64 " gva=0x%" PRIx64 " access=%s%s%s%s%s"
		  " hw_info=0x%" PRIx64, (uint64_t)npf->gpa,
		  (uint64_t)npf->gva,
		  access & VCPU_NPF_READ ? "r" : "-",
		  access & VCPU_NPF_WRITE ? "w" : "-",
		  access & VCPU_NPF_EXEC ? "x" : "-",
		  access & VCPU_NPF_PRESENT ? ",present" : "",
		  access & VCPU_NPF_USER ? ",user" : "",
		  (uint64_t)npf->hw_info);
	/* The guest does not advance: re-entering would fault again. */
	fatal(ctx, VCPUCTL_EXIT_GUEST_FAIL,
	      "nested page fault the device model cannot serve");
}

static void handle_halt(struct run_ctx *ctx)
{
	if (ctx->opts->halt_continue)
		return;
	/* With several vCPUs the machine stops when the last one halts. */
	if (ctx->opts->nr_vcpus > 1)
		ctx->halted = true;
	else
		machine_stop(ctx->machine, VCPUCTL_EXIT_OK, "guest halted");
}

static void handle_cpu_up(struct run_ctx *ctx)
{
	const struct vcpu_exit_cpu_up *up = &ctx->run->cpu_up;

	trace_add(ctx, " target=0x%" PRIx64 " entry=0x%" PRIx64
		  " arg=0x%" PRIx64 " (ignored)", (uint64_t)up->target_cpu,
		  (uint64_t)up->entry_point, (uint64_t)up->arg);
	if (!ctx->warned_cpu_up && !ctx->opts->trace) {
		ctx->warned_cpu_up = true;
		pr_err("CPU_UP ignored: vcpuctl runs a single vCPU");
	}
}

static void handle_cpu_down(struct run_ctx *ctx)
{
	trace_add(ctx, " state=0x%" PRIx64, (uint64_t)ctx->run->cpu_down.state);
	machine_stop(ctx->machine, VCPUCTL_EXIT_OK, "the only vCPU went down");
}

static void handle_system_down(struct run_ctx *ctx)
{
	uint32_t type = ctx->run->system_down.type;

	switch (type) {
	case VCPU_SYSTEM_DOWN_OFF:
		trace_add(ctx, " type=off");
		machine_stop(ctx->machine, VCPUCTL_EXIT_OK,
			     "power off (SYSTEM_DOWN)");
		break;
	case VCPU_SYSTEM_DOWN_RESET:
		trace_add(ctx, " type=reset");
		machine_stop(ctx->machine, VCPUCTL_EXIT_OK,
			     "reset requested (SYSTEM_DOWN), not emulated");
		break;
	default:
		trace_add(ctx, " type=%u", type);
		machine_stop(ctx->machine, VCPUCTL_EXIT_OK,
			     "SYSTEM_DOWN of unknown type %u", type);
		break;
	}
}

/* Does the IPI of this exit go to vCPU i? */
static bool ipi_targets(const struct run_ctx *ctx,
			const struct vcpu_exit_send_ipi *ipi, unsigned int i)
{
	if (i == ctx->index)
		return ipi->send_to_self;
	if (ipi->send_to_all)
		return true;
	if (ctx->arm64)		/* Aff1..3 zero: bit n of the list is Aff0 n */
		return !(ipi->target_cpu & ~0xffULL) && i < 16 &&
		       (ipi->target_cpu_aux >> (ipi->target_cpu + i)) & 1;
	/* x86: fixed or lowest-priority IPIs to a physical x2APIC ID. */
	return (ipi->target_cpu_aux >> 8 & 7) <= 1 &&
	       !(ipi->target_cpu_aux & (1 << 11)) && ipi->target_cpu == i;
}

/* Deliver a guest IPI to the vCPUs of this run it names. */
static void handle_send_ipi(struct run_ctx *ctx)
{
	const struct vcpu_exit_send_ipi *ipi = &ctx->run->send_ipi;
	struct vcpu_irq irq = { .irq = ipi->vector };
	unsigned int i, sent = 0;

	for (i = 0; i < run_nr_vcpus; i++) {
		if (!ipi_targets(ctx, ipi, i))
			continue;
		if (ioctl(run_fds[i], VCPU_INJECT_IRQ, &irq) == 0)
			sent++;
	}
	trace_add(ctx, " target=0x%" PRIx64 " aux=0x%" PRIx64
		  " all=%u self=%u vector=0x%x delivered to %u vCPU%s",
		  (uint64_t)ipi->target_cpu, (uint64_t)ipi->target_cpu_aux,
		  ipi->send_to_all, ipi->send_to_self, ipi->vector, sent,
		  sent == 1 ? "" : "s");
}

static void handle_fail_entry(struct run_ctx *ctx)
{
	const struct vcpu_exit_fail_entry *fe = &ctx->run->fail_entry;

	trace_add(ctx, " hardware_entry_failure_reason=0x%" PRIx64 " cpu=%u",
		  (uint64_t)fe->hardware_entry_failure_reason, fe->cpu);
	fatal(ctx, VCPUCTL_EXIT_GUEST_FAIL,
	      "VM entry failed: the hardware refused the guest state");
}

static void handle_intr(struct run_ctx *ctx)
{
	int sig = run_signal;

	/* An EINTR we did not ask for (job control, ...): just re-enter. */
	if (!sig)
		return;
	machine_stop(ctx->machine, VCPUCTL_EXIT_SIGNAL + sig,
		     "interrupted by signal %d (%s)", sig, strsignal(sig));
}

static void handle_shutdown(struct run_ctx *ctx)
{
	fatal(ctx, VCPUCTL_EXIT_SHUTDOWN, "guest shut down (triple fault)");
}

static void handle_internal_error(struct run_ctx *ctx)
{
	const struct vcpu_exit_internal *ie = &ctx->run->internal;
	unsigned int i, ndata = ie->ndata, len = ie->insn_len;

	if (ndata > VCPU_INTERNAL_NDATA)
		ndata = VCPU_INTERNAL_NDATA;
	if (len > sizeof(ie->insn))
		len = sizeof(ie->insn);

	trace_add(ctx, " suberror=%u (%s) data=[", ie->suberror,
		  vcpu_internal_error_name(ie->suberror));
	for (i = 0; i < ndata; i++)
		trace_add(ctx, "%s0x%" PRIx64, i ? ", " : "",
			  (uint64_t)ie->data[i]);
	trace_add(ctx, "] insn=[");
	for (i = 0; i < len; i++)
		trace_add(ctx, "%s%02x", i ? " " : "", ie->insn[i]);
	trace_add(ctx, "]");
	fatal(ctx, VCPUCTL_EXIT_GUEST_FAIL,
	      "the kernel could not handle a guest exit");
}

static const exit_handler_t exit_handlers[VCPU_EXIT_NR] = {
	[VCPU_EXIT_NOTHING]		= handle_nothing,
	[VCPU_EXIT_HYPERCALL]		= handle_hypercall,
	[VCPU_EXIT_MMIO_READ]		= handle_mmio_read,
	[VCPU_EXIT_MMIO_WRITE]		= handle_mmio_write,
	[VCPU_EXIT_SYSREG_READ]		= handle_sysreg_read,
	[VCPU_EXIT_SYSREG_WRITE]	= handle_sysreg_write,
	[VCPU_EXIT_IO_READ]		= handle_io_read,
	[VCPU_EXIT_IO_WRITE]		= handle_io_write,
	[VCPU_EXIT_EXTERNAL_INTERRUPT]	= handle_external_interrupt,
	[VCPU_EXIT_NESTED_PAGE_FAULT]	= handle_npf,
	[VCPU_EXIT_HALT]		= handle_halt,
	[VCPU_EXIT_CPU_UP]		= handle_cpu_up,
	[VCPU_EXIT_CPU_DOWN]		= handle_cpu_down,
	[VCPU_EXIT_SYSTEM_DOWN]		= handle_system_down,
	[VCPU_EXIT_SEND_IPI]		= handle_send_ipi,
	[VCPU_EXIT_FAIL_ENTRY]		= handle_fail_entry,
	[VCPU_EXIT_INTR]		= handle_intr,
	[VCPU_EXIT_SHUTDOWN]		= handle_shutdown,
	[VCPU_EXIT_INTERNAL_ERROR]	= handle_internal_error,
};

static void handle_exit(struct run_ctx *ctx, unsigned int reason)
{
	ctx->nr_exits++;
	ctx->per_reason[reason < VCPU_EXIT_NR ? reason : VCPU_EXIT_NR]++;
	trace_start(ctx, reason);
	if (reason < VCPU_EXIT_NR && exit_handlers[reason])
		exit_handlers[reason](ctx);
	else
		fatal(ctx, VCPUCTL_EXIT_GUEST_FAIL,
		      "unknown exit reason: cannot complete it");
	trace_end(ctx);
}

/* The loop */

static void run_signal_handler(int sig)
{
	unsigned int i;

	run_signal = sig;
	/* Covers a signal that lands between two VCPU_RUN calls. */
	for (i = 0; i < RUN_MAX_VCPUS; i++)
		if (run_pages[i])
			run_pages[i]->immediate_exit = 1;
}

/* SIGUSR1 only interrupts a VCPU_RUN of another vCPU (stop_others). */
static void run_kick_handler(int sig)
{
	(void)sig;
}

static int install_signal_handlers(void)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_signal_handler;	/* no SA_RESTART: want EINTR */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(signals); i++) {
		if (sigaction(signals[i], &sa, NULL) < 0) {
			pr_errno("sigaction");
			return -1;
		}
	}
	sa.sa_handler = run_kick_handler;
	if (sigaction(SIGUSR1, &sa, NULL) < 0) {
		pr_errno("sigaction");
		return -1;
	}
	return 0;
}

static bool is_terminal_exit(unsigned int reason)
{
	return reason == VCPU_EXIT_FAIL_ENTRY ||
	       reason == VCPU_EXIT_SHUTDOWN ||
	       reason == VCPU_EXIT_INTERNAL_ERROR;
}

#define READ_STOPPED(ctx)	__atomic_load_n(&(ctx)->machine->stopped, \
					__ATOMIC_ACQUIRE)

static int run_loop(struct run_ctx *ctx)
{
	const struct run_opts *opts = ctx->opts;
	struct vcpu_run *run = ctx->run;

	while (!READ_STOPPED(ctx) && !ctx->halted) {
		uint64_t seq;
		int ret;

		if (opts->max_exits && ctx->nr_exits >= opts->max_exits) {
			pthread_mutex_lock(&run_lock);
			machine_stop(ctx->machine, VCPUCTL_EXIT_MAX_EXITS,
				     "--max-exits %" PRIu64 " reached",
				     opts->max_exits);
			pthread_mutex_unlock(&run_lock);
			break;
		}

		seq = run->exit_seq;
		ret = ioctl(ctx->vcpu_fd, VCPU_RUN, 0);
		if (!ret) {
			pthread_mutex_lock(&run_lock);
			handle_exit(ctx, run->exit_reason);
			pthread_mutex_unlock(&run_lock);
			continue;
		}
		if (errno == EINTR) {
			pthread_mutex_lock(&run_lock);
			handle_exit(ctx, VCPU_EXIT_INTR);
			pthread_mutex_unlock(&run_lock);
			continue;
		}
		/*
		 * The ABI reports entry failures, shutdowns and internal
		 * errors as exits of a successful VCPU_RUN; should a module
		 * fail the call after delivering one, show the exit anyway.
		 */
		if (run->exit_seq != seq && is_terminal_exit(run->exit_reason)) {
			pthread_mutex_lock(&run_lock);
			handle_exit(ctx, run->exit_reason);
			pthread_mutex_unlock(&run_lock);
			continue;
		}
		pthread_mutex_lock(&run_lock);
		machine_end_serial_line(ctx->machine);
		pr_errno("VCPU_RUN (vcpu %u)", ctx->index);
		vcpu_dump(ctx->vcpu_fd, ctx->arm64);
		machine_stop(ctx->machine, VCPUCTL_EXIT_ERROR, "VCPU_RUN failed");
		pthread_mutex_unlock(&run_lock);
		return VCPUCTL_EXIT_ERROR;
	}
	if (ctx->dump)
		vcpu_dump(ctx->vcpu_fd, ctx->arm64);
	return ctx->machine->status;
}

static void print_summary(const struct run_ctx *ctx, double ms, int status)
{
	unsigned int i;
	bool first = true;

	fflush(stdout);
	fprintf(stderr, "vcpuctl: summary: %" PRIu64 " exit%s (",
		ctx->nr_exits, ctx->nr_exits == 1 ? "" : "s");
	for (i = 0; i <= VCPU_EXIT_NR; i++) {
		if (!ctx->per_reason[i])
			continue;
		fprintf(stderr, "%s%s %" PRIu64, first ? "" : ", ",
			i < VCPU_EXIT_NR ? vcpu_exit_reason_name(i) : "UNKNOWN",
			ctx->per_reason[i]);
		first = false;
	}
	fprintf(stderr, "), wall time %.3f ms, exit status %d\n", ms, status);
}

/* Setup */

static uint64_t ram_top(const struct guest_mem *mem)
{
	const struct guest_slot *s = &mem->slots[mem->nr_slots - 1];

	return s->gpa + s->size;
}

/*
 * Fill @setup from the options: stack, and for long64 the page tables
 * written into guest memory.  @image_end is the end of the loaded image.
 */
static int plan_setup(const struct run_opts *opts, struct guest_mem *mem,
		      uint64_t image_end, struct vcpu_setup *setup)
{
	uint64_t top = ram_top(mem);
	uint64_t entry = opts->entry_set ? opts->entry : opts->load_addr;
	uint64_t stack;

	memset(setup, 0, sizeof(*setup));
	setup->mode = opts->mode;
	setup->entry = entry;
	setup->arg = mem->size;

	if (opts->mode == VCPU_MODE_X86_LONG64) {
		uint64_t span = mem->size > SZ_4G ? mem->size : SZ_4G;
		uint64_t pages, tables;

		span = (span + SZ_1G - 1) & ~(SZ_1G - 1);
		pages = guest_identity_map_pages(span);
		if (top < pages * GUEST_PAGE_SIZE) {
			pr_err("--mem too small for the long64 page tables");
			return -1;
		}
		tables = top - pages * GUEST_PAGE_SIZE;
		if (image_end > tables) {
			pr_err("the image overlaps the page tables at 0x%" PRIx64
			       " (raise --mem)", tables);
			return -1;
		}
		if (guest_build_identity_map(mem, tables, span)) {
			pr_err("cannot place the page tables at 0x%" PRIx64,
			       tables);
			return -1;
		}
		setup->page_table = tables;
		top = tables;
	}

	switch (opts->mode) {
	case VCPU_MODE_X86_REAL:
		if (top > GUEST_VGA_HOLE_START)
			top = GUEST_VGA_HOLE_START;
		stack = top - 0x10;
		break;
	case VCPU_MODE_X86_PROT32:
		if (top > SZ_4G - GUEST_PAGE_SIZE)
			top = SZ_4G - GUEST_PAGE_SIZE;
		stack = top;
		break;
	default:
		stack = top;
		break;
	}
	setup->stack = opts->stack_set ? opts->stack : (stack & ~0xfULL);

	if (!guest_mem_is_ram(mem, entry, 1)) {
		pr_err("entry 0x%" PRIx64 " is not in guest memory", entry);
		return -1;
	}
	if (opts->mode == VCPU_MODE_X86_REAL &&
	    (entry >= REAL_MODE_LIMIT || setup->stack >= REAL_MODE_LIMIT)) {
		pr_err("real mode: entry and stack must be below 1 MiB");
		return -1;
	}
	if (opts->mode == VCPU_MODE_X86_PROT32 &&
	    (entry >= SZ_4G || setup->stack > SZ_4G)) {
		pr_err("prot32: entry and stack must be below 4 GiB");
		return -1;
	}
	return 0;
}

/* Create vCPU @i: fd, run page, SETUP (arg = its id, own stack), BIND. */
static int vcpu_start(struct run_ctx *c, int vm_fd, int run_size,
		      const struct vcpu_setup *base, unsigned int i, int cpu)
{
	struct vcpu_setup setup = *base;

	c->vcpu_fd = ioctl(vm_fd, VCPU_CREATE_VCPU, i);
	if (c->vcpu_fd < 0) {
		pr_errno("VCPU_CREATE_VCPU %u", i);
		return -1;
	}
	c->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c->vcpu_fd, 0);
	if (c->run == MAP_FAILED) {
		c->run = NULL;
		pr_errno("mmap the vcpu_run page");
		return -1;
	}
	/* Each vCPU gets its id as the SETUP arg and a stack of its own. */
	setup.arg = i;
	setup.stack -= (uint64_t)i * RUN_STACK_PER_VCPU;
	if (ioctl(c->vcpu_fd, VCPU_SETUP, &setup) < 0) {
		pr_errno("VCPU_SETUP (vcpu %u, mode %s, entry 0x%llx, stack 0x%llx)",
			 i, vcpu_mode_name(setup.mode),
			 (unsigned long long)setup.entry,
			 (unsigned long long)setup.stack);
		vcpu_dump(c->vcpu_fd, c->arm64);
		return -1;
	}
	if (ioctl(c->vcpu_fd, VCPU_BIND, cpu) < 0) {
		pr_errno("VCPU_BIND vcpu %u cpu %d", i, cpu);
		return -1;
	}
	return 0;
}

/* A secondary vCPU's thread; vCPU 0 runs in the main thread. */
static void *vcpu_thread(void *arg)
{
	struct run_ctx *c = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(c->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	c->status = run_loop(c);
	return NULL;
}

/* Make every other vCPU leave VCPU_RUN: the machine stopped. */
static void stop_others(struct run_ctx *ctxs, unsigned int n)
{
	unsigned int i;

	for (i = 1; i < n; i++) {
		if (!ctxs[i].run)
			continue;
		ctxs[i].run->immediate_exit = 1;
		pthread_kill(ctxs[i].thread, SIGUSR1);
	}
}

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

static int run_guest(const struct run_opts *opts)
{
	uint64_t image_len, image_end, elf_entry;
	struct run_ctx *ctxs, *ctx;
	struct vcpu_setup setup;
	struct machine machine;
	struct guest_mem mem;
	struct timespec t0, t1;
	struct run_opts eff;
	unsigned int i, n = opts->nr_vcpus, started = 0;
	int sys_fd, vm_fd, run_size, cpu = opts->cpu, ret;
	int status = VCPUCTL_EXIT_ERROR;
	bool arm64 = opts->mode == VCPU_MODE_ARM64_EL1;
	double ms;

	ctxs = calloc(n, sizeof(*ctxs));
	if (!ctxs) {
		pr_err("out of memory");
		return VCPUCTL_EXIT_ERROR;
	}
	ctx = &ctxs[0];
	machine_init(&machine, stdout);
	/*
	 * Serial output appears as the guest writes it; with --trace a line
	 * at a time, so that it does not tear the trace lines on a console.
	 */
	setvbuf(stdout, NULL, opts->trace ? _IOLBF : _IONBF, 0);

	if (guest_mem_create(&mem, opts->mem_size, opts->vga_hole && !arm64))
		goto err_ctxs;
	ret = guest_load_elf(&mem, opts->image, &elf_entry, &image_end);
	if (ret < 0)
		goto err_mem;
	if (ret == 0) {
		/* An ELF image brings its own entry point (--entry wins). */
		eff = *opts;
		if (!eff.entry_set) {
			eff.entry = elf_entry;
			eff.entry_set = true;
		}
		opts = &eff;
		image_len = image_end - opts->load_addr;
	} else if (guest_load_image(&mem, opts->image, opts->load_addr,
				    &image_len)) {
		goto err_mem;
	} else {
		image_end = opts->load_addr + image_len;
	}
	if (plan_setup(opts, &mem, image_end, &setup))
		goto err_mem;
	if (n > 1 && setup.stack < (uint64_t)n * RUN_STACK_PER_VCPU + image_end) {
		pr_err("--vcpus %u: no room for %u stacks of %llu bytes below 0x%llx",
		       n, n, RUN_STACK_PER_VCPU, (unsigned long long)setup.stack);
		goto err_mem;
	}

	sys_fd = vcpu_open_system();
	if (sys_fd < 0)
		goto err_mem;
	run_size = ioctl(sys_fd, VCPU_GET_RUN_SIZE, 0);
	if (run_size < 0) {
		pr_errno("VCPU_GET_RUN_SIZE");
		goto err_sys;
	}
	if ((size_t)run_size < sizeof(struct vcpu_run)) {
		pr_err("VCPU_GET_RUN_SIZE: %d bytes, struct vcpu_run needs %zu",
		       run_size, sizeof(struct vcpu_run));
		goto err_sys;
	}
	vm_fd = ioctl(sys_fd, VCPU_CREATE_VM, 0);
	if (vm_fd < 0) {
		pr_errno("VCPU_CREATE_VM");
		goto err_sys;
	}
	if (guest_mem_register(&mem, vm_fd))
		goto err_vm;
	if (vcpu_pin_cpu(&cpu))
		goto err_vm;

	for (i = 0; i < n; i++) {
		struct run_ctx *c = &ctxs[i];

		c->opts = opts;
		c->machine = &machine;
		c->vcpu_fd = -1;
		c->index = i;
		c->arm64 = arm64;
		/* vCPU i on the i-th CPU after vcpuctl's own, round robin. */
		c->cpu = (cpu + i) % online_cpus();
		started = i + 1;
		if (vcpu_start(c, vm_fd, run_size, &setup, i, c->cpu))
			goto err_vcpus;
		run_pages[i] = c->run;
		run_fds[i] = c->vcpu_fd;
		run_nr_vcpus = i + 1;
	}
	if (opts->trace) {
		fprintf(stderr, "vcpuctl: %s: %" PRIu64 " bytes at 0x%" PRIx64
			", %" PRIu64 " KiB of memory, %u vCPU%s from cpu %d\n",
			opts->image, image_len, opts->load_addr, mem.size >> 10,
			n, n == 1 ? "" : "s", cpu);
		fprintf(stderr, "vcpuctl: mode %s, entry 0x%llx, stack 0x%llx",
			vcpu_mode_name(setup.mode),
			(unsigned long long)setup.entry,
			(unsigned long long)setup.stack);
		if (setup.page_table)
			fprintf(stderr, ", page tables (CR3) 0x%llx",
				(unsigned long long)setup.page_table);
		fputc('\n', stderr);
	}

	if (install_signal_handlers())
		goto err_vcpus;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i < n; i++) {
		if (pthread_create(&ctxs[i].thread, NULL, vcpu_thread,
				   &ctxs[i])) {
			pr_err("cannot start the thread of vCPU %u", i);
			n = i;
			machine_stop(&machine, VCPUCTL_EXIT_ERROR,
				     "thread creation failed");
			break;
		}
	}
	status = run_loop(ctx);
	if (n > 1) {
		/* vCPU 0 is done: halted, or the machine stopped. */
		while (!__atomic_load_n(&machine.stopped, __ATOMIC_ACQUIRE)) {
			bool all = true;

			for (i = 1; i < n; i++)
				all &= __atomic_load_n(&ctxs[i].halted,
						       __ATOMIC_ACQUIRE);
			if (all) {
				pthread_mutex_lock(&run_lock);
				machine_stop(&machine, VCPUCTL_EXIT_OK,
					     "all %u vCPUs halted", n);
				pthread_mutex_unlock(&run_lock);
				break;
			}
			usleep(1000);
		}
		stop_others(ctxs, n);
		for (i = 1; i < n; i++)
			pthread_join(ctxs[i].thread, NULL);
		status = machine.status;
	} else if (ctx->halted) {
		status = VCPUCTL_EXIT_OK;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	memset((void *)run_pages, 0, sizeof(run_pages));

	machine_end_serial_line(&machine);
	if (machine.stopped)
		pr_err("%s", machine.why);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	for (i = 1; i < n; i++) {
		unsigned int r;

		ctx->nr_exits += ctxs[i].nr_exits;
		for (r = 0; r <= VCPU_EXIT_NR; r++)
			ctx->per_reason[r] += ctxs[i].per_reason[r];
	}
	print_summary(ctx, ms, status);

	/* Closing a vCPU fd unbinds it, whatever state it ended in. */
err_vcpus:
	for (i = 0; i < started; i++) {
		if (ctxs[i].run)
			munmap(ctxs[i].run, run_size);
		if (ctxs[i].vcpu_fd >= 0)
			close(ctxs[i].vcpu_fd);
	}
err_vm:
	close(vm_fd);
err_sys:
	close(sys_fd);
err_mem:
	guest_mem_destroy(&mem);
err_ctxs:
	free(ctxs);
	return status;
}

/* Options */

enum {
	OPT_LOAD_ADDR = 256,
	OPT_ENTRY,
	OPT_STACK,
	OPT_MODE,
	OPT_CPU,
	OPT_TRACE,
	OPT_MAX_EXITS,
	OPT_HALT_CONTINUE,
	OPT_NO_VGA_HOLE,
	OPT_VCPUS,
};

static const struct option run_options[] = {
	{ "mem",		required_argument,	NULL, 'm' },
	{ "load-addr",		required_argument,	NULL, OPT_LOAD_ADDR },
	{ "entry",		required_argument,	NULL, OPT_ENTRY },
	{ "stack",		required_argument,	NULL, OPT_STACK },
	{ "mode",		required_argument,	NULL, OPT_MODE },
	{ "cpu",		required_argument,	NULL, OPT_CPU },
	{ "trace",		no_argument,		NULL, OPT_TRACE },
	{ "max-exits",		required_argument,	NULL, OPT_MAX_EXITS },
	{ "halt-continue",	no_argument,		NULL, OPT_HALT_CONTINUE },
	{ "no-vga-hole",	no_argument,		NULL, OPT_NO_VGA_HOLE },
	{ "vcpus",		required_argument,	NULL, OPT_VCPUS },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL,			0,			NULL, 0 },
};

static int bad_value(const char *opt, const char *val)
{
	pr_err("run: invalid %s '%s'", opt, val);
	fprintf(stderr, "Try 'vcpuctl run --help'.\n");
	return VCPUCTL_EXIT_ERROR;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts opts = {
		.mem_size = RUN_DEFAULT_MEM,
		.load_addr = RUN_DEFAULT_LOAD_ADDR,
		.mode = RUN_DEFAULT_MODE,
		.cpu = -1,
		.nr_vcpus = 1,
		.vga_hole = true,
	};
	uint64_t v;
	int c;

	/* -k/--kernel: a Linux guest on libvmm's platform (boot.c). */
	for (c = 1; c < argc; c++)
		if (!strncmp(argv[c], "--kernel", 8) || !strncmp(argv[c], "-k", 2))
			return cmd_run_kernel(argc, argv);

	while ((c = getopt_long(argc, argv, "m:h", run_options, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_mem_size(optarg, &opts.mem_size))
				return bad_value("--mem", optarg);
			break;
		case OPT_LOAD_ADDR:
			if (parse_u64(optarg, &opts.load_addr, true))
				return bad_value("--load-addr", optarg);
			break;
		case OPT_ENTRY:
			if (parse_u64(optarg, &opts.entry, true))
				return bad_value("--entry", optarg);
			opts.entry_set = true;
			break;
		case OPT_STACK:
			if (parse_u64(optarg, &opts.stack, true))
				return bad_value("--stack", optarg);
			opts.stack_set = true;
			break;
		case OPT_MODE:
			opts.mode = vcpu_mode_parse(optarg);
			if (!opts.mode)
				return bad_value("--mode", optarg);
			break;
		case OPT_CPU:
			if (parse_u64(optarg, &v, false) || v >= INT_MAX)
				return bad_value("--cpu", optarg);
			opts.cpu = (int)v;
			break;
		case OPT_TRACE:
			opts.trace = true;
			break;
		case OPT_MAX_EXITS:
			if (parse_u64(optarg, &opts.max_exits, false) ||
			    !opts.max_exits)
				return bad_value("--max-exits", optarg);
			break;
		case OPT_HALT_CONTINUE:
			opts.halt_continue = true;
			break;
		case OPT_NO_VGA_HOLE:
			opts.vga_hole = false;
			break;
		case OPT_VCPUS:
			if (parse_u64(optarg, &v, false) || !v ||
			    v > RUN_MAX_VCPUS)
				return bad_value("--vcpus", optarg);
			opts.nr_vcpus = v;
			break;
		case 'h':
			run_usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'vcpuctl run --help'.\n");
			return VCPUCTL_EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		pr_err("run: %s", optind < argc ? "one IMAGE only" :
		       "no IMAGE given");
		fprintf(stderr, "Try 'vcpuctl run --help'.\n");
		return VCPUCTL_EXIT_ERROR;
	}
	opts.image = argv[optind];
	return run_guest(&opts);
}
