// SPDX-License-Identifier: GPL-2.0
/*
 * One thread per vCPU: VCPU_RUN in a loop, each exit handled on this
 * thread and completed in the shared page before the next VCPU_RUN.  The
 * page is written by the kernel and may be scribbled on by anyone with
 * the mapping: every field is read once into a local and checked before
 * it is used (string I/O offsets in particular).
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../vmm.h"
#include "core.h"

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))

static uint64_t width_mask(unsigned int width)
{
	return width >= 8 ? ~0ULL : (1ULL << (width * 8)) - 1;
}

static void trace(struct vmm_vcpu *vcpu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void trace(struct vmm_vcpu *vcpu, const char *fmt, ...)
{
	FILE *f = vcpu->vm->trace;
	va_list ap;

	if (!f)
		return;
	flockfile(f);
	fprintf(f, "vcpu%u ", vcpu->id);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	funlockfile(f);
}

/* A port nobody claims reads as all ones, as on an ISA bus. */
static uint64_t pio_read(struct vmm_vcpu *vcpu, uint16_t port, unsigned int width)
{
	uint64_t val;

	if (vmm_bus_read(vcpu->vm, vcpu, VMM_SPACE_PIO, port, width, &val)) {
		vcpu->unhandled++;
		trace(vcpu, "unclaimed IN %#x/%u", port, width);
		return width_mask(width);
	}
	return val;
}

static void pio_write(struct vmm_vcpu *vcpu, uint16_t port, unsigned int width,
		      uint64_t val)
{
	if (vmm_bus_write(vcpu->vm, vcpu, VMM_SPACE_PIO, port, width, val)) {
		vcpu->unhandled++;
		trace(vcpu, "unclaimed OUT %#x/%u <- %#" PRIx64, port, width, val);
	}
}

static int handle_io(struct vmm_vcpu *vcpu, bool in)
{
	struct vcpu_exit_io *io = &vcpu->run->io;
	uint16_t port = READ_ONCE(io->port);
	unsigned int width = READ_ONCE(io->width), flags = READ_ONCE(io->flags);
	uint32_t count = READ_ONCE(io->count), off = READ_ONCE(io->data_offset);
	uint8_t *buf = (uint8_t *)vcpu->run;
	uint64_t val, end;
	uint32_t i;

	if (width != 1 && width != 2 && width != 4)
		goto bad;
	if (!(flags & VCPU_IO_F_STRING)) {
		if (in)
			io->data = pio_read(vcpu, port, width);
		else
			pio_write(vcpu, port, width, READ_ONCE(io->data) & width_mask(width));
		return 0;
	}
	end = (uint64_t)off + (uint64_t)count * width;
	if (off < VCPU_RUN_DATA_OFFSET || end > VCPU_RUN_DATA_OFFSET + VCPU_RUN_DATA_SIZE)
		goto bad;
	for (i = 0; i < count; i++) {
		if (in) {
			val = pio_read(vcpu, port, width);
			memcpy(buf + off + i * width, &val, width);
		} else {
			val = 0;
			memcpy(&val, buf + off + i * width, width);
			pio_write(vcpu, port, width, val);
		}
	}
	return 0;
bad:
	vmm_stop(vcpu->vm, 1, "vCPU %u: port I/O exit with a bad width or data area",
		 vcpu->id);
	return -1;
}

static int handle_mmio(struct vmm_vcpu *vcpu, bool read)
{
	struct vcpu_exit_mmio *m = &vcpu->run->mmio;
	uint64_t addr = READ_ONCE(m->addr), val = 0;
	unsigned int width = READ_ONCE(m->width);

	if (width != 1 && width != 2 && width != 4 && width != 8) {
		vmm_stop(vcpu->vm, 1, "vCPU %u: MMIO exit of width %u", vcpu->id, width);
		return -1;
	}
	if (read) {
		if (vmm_bus_read(vcpu->vm, vcpu, VMM_SPACE_MMIO, addr, width, &val)) {
			vcpu->unhandled++;
			trace(vcpu, "unclaimed MMIO read %#" PRIx64 "/%u", addr, width);
		}
		m->data = val;
	} else {
		val = READ_ONCE(m->data) & width_mask(width);
		if (vmm_bus_write(vcpu->vm, vcpu, VMM_SPACE_MMIO, addr, width, val)) {
			vcpu->unhandled++;
			trace(vcpu, "unclaimed MMIO write %#" PRIx64 "/%u <- %#" PRIx64,
			      addr, width, val);
		}
	}
	return 0;
}

static void handle_sysreg(struct vmm_vcpu *vcpu, bool read)
{
	const struct vmm_platform *p = vcpu->vm->plat;
	struct vcpu_exit_sysreg *s = &vcpu->run->sysreg;
	uint64_t addr = READ_ONCE(s->addr), val = 0;

	if (read) {
		if (!p || !p->sysreg_read || !p->sysreg_read(vcpu, addr, &val)) {
			vcpu->unhandled++;
			trace(vcpu, "unhandled sysreg read %#" PRIx64, addr);
			val = 0;
		}
		s->value = val;
		return;
	}
	val = READ_ONCE(s->value);
	if (!p || !p->sysreg_write || !p->sysreg_write(vcpu, addr, val)) {
		vcpu->unhandled++;
		trace(vcpu, "unhandled sysreg write %#" PRIx64 " <- %#" PRIx64, addr, val);
	}
}

static void dump_regs(struct vmm_vcpu *vcpu)
{
	struct vcpu_regs r;
	int i;

	if (vmm_get_regs(vcpu, &r))
		return;
	fprintf(stderr, "vmm: vCPU %u: pc %#llx flags %#llx\n", vcpu->id,
		(unsigned long long)r.pc, (unsigned long long)r.flags);
	for (i = 0; i < 32; i += 4)
		fprintf(stderr, "  r%-2d %016llx %016llx %016llx %016llx\n", i,
			(unsigned long long)r.gpr[i], (unsigned long long)r.gpr[i + 1],
			(unsigned long long)r.gpr[i + 2], (unsigned long long)r.gpr[i + 3]);
}

/* A vCPU the guest turned off waits here for a CPU_UP (or the stop). */
static bool park(struct vmm_vcpu *vcpu)
{
	struct vmm_vm *vm = vcpu->vm;
	struct vcpu_exit_cpu_up up;
	unsigned int i, on = 0;

	pthread_mutex_lock(&vm->lock);
	vcpu->state = VMM_VCPU_PARKED;
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->state == VMM_VCPU_RUNNING)
			on++;
	pthread_mutex_unlock(&vm->lock);
	if (!on)
		vmm_stop(vm, 0, "every vCPU halted");

	pthread_mutex_lock(&vm->lock);
	while (!vcpu->start_pending && !vm->stopping)
		pthread_cond_wait(&vcpu->wake, &vm->lock);
	up = vcpu->start;
	vcpu->start_pending = false;
	if (!vm->stopping)
		vcpu->state = VMM_VCPU_RUNNING;
	pthread_mutex_unlock(&vm->lock);
	if (vm->stopping)
		return false;
	if (!vm->plat || !vm->plat->vcpu_start ||
	    vm->plat->vcpu_start(vcpu, &up, false)) {
		vmm_stop(vm, 1, "vCPU %u: cannot restart it", vcpu->id);
		return false;
	}
	return true;
}

int vmm_vcpu_power_on(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up)
{
	struct vmm_vm *vm = vcpu->vm;
	int ret = 0;

	pthread_mutex_lock(&vm->lock);
	switch (vcpu->state) {
	case VMM_VCPU_PARKED:
		vcpu->start = *up;
		vcpu->start_pending = true;
		pthread_cond_signal(&vcpu->wake);
		break;
	case VMM_VCPU_OFF:
		vcpu->start = *up;
		vcpu->start_pending = true;
		break;
	default:
		ret = -1;	/* already on */
		break;
	}
	pthread_mutex_unlock(&vm->lock);
	if (!ret && !vcpu->thread_started)
		ret = vmm_vcpu_start(vcpu);
	return ret;
}

/* Handle one exit; false when this vCPU's thread should end. */
static bool handle_exit(struct vmm_vcpu *vcpu, uint32_t reason)
{
	struct vmm_vm *vm = vcpu->vm;
	const struct vmm_platform *p = vm->plat;
	struct vcpu_run *run = vcpu->run;

	switch (reason) {
	case VCPU_EXIT_NOTHING:
	case VCPU_EXIT_EXTERNAL_INTERRUPT:
	case VCPU_EXIT_HALT:	/* HALT in the kernel: only if the filter changed */
		return true;
	case VCPU_EXIT_IO_READ:
	case VCPU_EXIT_IO_WRITE:
		return !handle_io(vcpu, reason == VCPU_EXIT_IO_READ);
	case VCPU_EXIT_MMIO_READ:
	case VCPU_EXIT_MMIO_WRITE:
		return !handle_mmio(vcpu, reason == VCPU_EXIT_MMIO_READ);
	case VCPU_EXIT_SYSREG_READ:
	case VCPU_EXIT_SYSREG_WRITE:
		handle_sysreg(vcpu, reason == VCPU_EXIT_SYSREG_READ);
		return true;
	case VCPU_EXIT_HYPERCALL: {
		struct vcpu_exit_hypercall hc;

		memcpy(&hc, (const void *)&run->hypercall, sizeof(hc));
		trace(vcpu, "hypercall %#llx", (unsigned long long)hc.nr);
		run->hypercall.ret = p && p->hypercall ? p->hypercall(vcpu, &hc) : ~0ULL;
		return true;
	}
	case VCPU_EXIT_CPU_UP: {
		struct vcpu_exit_cpu_up up;

		memcpy(&up, (const void *)&run->cpu_up, sizeof(up));
		trace(vcpu, "cpu_up target %#llx entry %#llx",
		      (unsigned long long)up.target_cpu, (unsigned long long)up.entry_point);
		if (p && p->cpu_up)
			p->cpu_up(vcpu, &up);
		return true;
	}
	case VCPU_EXIT_SEND_IPI: {
		struct vcpu_exit_send_ipi ipi;

		memcpy(&ipi, (const void *)&run->send_ipi, sizeof(ipi));
		if (p && p->send_ipi)
			p->send_ipi(vcpu, &ipi);
		return true;
	}
	case VCPU_EXIT_CPU_DOWN:
		trace(vcpu, "cpu_down");
		return park(vcpu);
	case VCPU_EXIT_SYSTEM_DOWN:
		if (READ_ONCE(run->system_down.type) == VCPU_SYSTEM_DOWN_RESET)
			vmm_stop(vm, VMM_STATUS_RESET, "guest reset");
		else
			vmm_stop(vm, 0, "guest power-off");
		return false;
	case VCPU_EXIT_NESTED_PAGE_FAULT:
		vmm_stop(vm, 1, "vCPU %u: access to %#llx (gva %#llx, access %#x) with nothing behind it",
			 vcpu->id, (unsigned long long)READ_ONCE(run->npf.gpa),
			 (unsigned long long)READ_ONCE(run->npf.gva),
			 READ_ONCE(run->npf.access));
		dump_regs(vcpu);
		return false;
	case VCPU_EXIT_FAIL_ENTRY:
		vmm_stop(vm, 1, "vCPU %u: entry failed, reason %#llx", vcpu->id,
			 (unsigned long long)READ_ONCE(run->fail_entry.hardware_entry_failure_reason));
		dump_regs(vcpu);
		return false;
	case VCPU_EXIT_SHUTDOWN:
		vmm_stop(vm, VMM_STATUS_RESET, "vCPU %u: shutdown (x86 triple fault, arm64 SError)",
			 vcpu->id);
		dump_regs(vcpu);
		return false;
	case VCPU_EXIT_INTERNAL_ERROR:
		vmm_stop(vm, 1, "vCPU %u: internal error %u, data %#llx %#llx %#llx",
			 vcpu->id, READ_ONCE(run->internal.suberror),
			 (unsigned long long)READ_ONCE(run->internal.data[0]),
			 (unsigned long long)READ_ONCE(run->internal.data[1]),
			 (unsigned long long)READ_ONCE(run->internal.data[2]));
		dump_regs(vcpu);
		return false;
	default:
		vmm_stop(vm, 1, "vCPU %u: unknown exit %u", vcpu->id, reason);
		return false;
	}
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

void *vmm_vcpu_thread(void *arg)
{
	struct vmm_vcpu *vcpu = arg;
	struct vmm_vm *vm = vcpu->vm;
	struct vcpu_exit_cpu_up up;
	sigset_t block;
	bool first;
	uint32_t reason;

	/* Signals for the process go to the main thread (vmm_loop). */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pin_to(vcpu->host_cpu);

	pthread_mutex_lock(&vm->lock);
	first = vcpu->start_pending;
	up = vcpu->start;
	vcpu->start_pending = false;
	vcpu->state = VMM_VCPU_RUNNING;
	pthread_mutex_unlock(&vm->lock);
	/* A vCPU the guest started: the platform puts it in its start state. */
	if (first && (!vm->plat || !vm->plat->vcpu_start ||
		      vm->plat->vcpu_start(vcpu, &up, true))) {
		vmm_stop(vm, 1, "vCPU %u: cannot start it", vcpu->id);
		goto out;
	}

	while (!vm->stopping) {
		if (ioctl(vcpu->fd, VCPU_RUN, 0)) {
			if (errno == EINTR) {
				vcpu->exits[VCPU_EXIT_INTR]++;
				continue;
			}
			vmm_stop(vm, 1, "vCPU %u: VCPU_RUN: %s", vcpu->id, strerror(errno));
			break;
		}
		reason = READ_ONCE(vcpu->run->exit_reason);
		vcpu->exits[reason < VMM_EXIT_KINDS ? reason : 0]++;
		if (vm->trace && reason != VCPU_EXIT_IO_WRITE && reason != VCPU_EXIT_IO_READ)
			trace(vcpu, "%s", vmm_exit_name(reason));
		if (!handle_exit(vcpu, reason))
			break;
	}
out:
	pthread_mutex_lock(&vm->lock);
	vcpu->state = VMM_VCPU_OFF;
	vm->threads_running--;
	pthread_mutex_unlock(&vm->lock);
	vmm_loop_wake(vm);
	return NULL;
}
