// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC, in x2APIC mode only (IA32_APIC_BASE reads EN | EXTD
 * from reset, as firmware that enabled it would leave it): every register
 * is an MSR, so the guest never touches the xAPIC page and no access
 * needs decoding.  The module handles ICR writes (SEND_IPI and CPU_UP
 * exits) and queues and delivers vectors (VCPU_INJECT_IRQ: highest
 * first, when the guest can take one); this file keeps the registers the
 * guest reads back and the timer.
 *
 * Interrupt state: the module does not report when a vector is taken or
 * ended, so IRR/ISR are not modelled: a vector is handed to the module
 * when it is raised and EOI only matters to level-triggered IOAPIC pins
 * (their remote IRR).  ISR, IRR and TMR read as zero.  Priorities (TPR)
 * are kept and read back but do not hold vectors back: Linux runs with
 * TPR 0.  A hardware APIC would hold a vector raised while the same one
 * is in service until its EOI; the module's queue does the same in effect
 * (one instance queued, delivered after the guest's IRET re-enables).
 *
 * Timer: TSC-deadline (what Linux uses when CPUID says so), one-shot and
 * periodic; one timerfd per vCPU in the main loop.  The timer's bus clock
 * is 1 GHz, divided by TDCR.  The guest's TSC is the host's (offset 0 on
 * every vCPU, so the vCPUs agree), so a deadline converts to host time
 * with the TSC rate (x86_tsc_khz()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <x86intrin.h>

#include "x86.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_BSP		(1ULL << 8)
#define APIC_BASE_EXTD		(1ULL << 10)
#define APIC_BASE_EN		(1ULL << 11)
#define MSR_TSC_DEADLINE	0x6e0
#define X2APIC_MSR(off)		(0x800 + ((off) >> 4))

enum {
	APIC_ID = 0x20, APIC_LVR = 0x30, APIC_TPR = 0x80, APIC_PPR = 0xa0,
	APIC_EOI = 0xb0, APIC_LDR = 0xd0, APIC_SVR = 0xf0, APIC_ISR = 0x100,
	APIC_TMR = 0x180, APIC_IRR = 0x200, APIC_ESR = 0x280,
	APIC_LVT_CMCI = 0x2f0, APIC_ICR = 0x300, APIC_LVTT = 0x320,
	APIC_LVT_THERM = 0x330, APIC_LVT_PERF = 0x340, APIC_LVT0 = 0x350,
	APIC_LVT1 = 0x360, APIC_LVT_ERR = 0x370, APIC_TMICT = 0x380,
	APIC_TMCCT = 0x390, APIC_TDCR = 0x3e0, APIC_SELF_IPI = 0x3f0,
};

#define APIC_VERSION		0x50014	/* 6 LVT entries (max index 5), version 0x14 */
#define APIC_SVR_ENABLE		(1U << 8)
#define LVT_MASKED		(1U << 16)
#define LVTT_MODE(v)		(((v) >> 17) & 3)
enum { LVTT_ONESHOT, LVTT_PERIODIC, LVTT_DEADLINE };
#define LVT_NR			7	/* CMCI, timer, thermal, perf, LINT0, LINT1, error */

struct x86_lapic {
	pthread_mutex_t lock;
	struct vmm_vcpu *vcpu;
	uint64_t apic_base;
	uint32_t tpr, svr, esr, icr_lo, icr_hi, tdcr;
	uint32_t lvt[LVT_NR];
	uint32_t tmict;
	uint64_t tsc_deadline;
	uint64_t timer_start_ns;	/* one-shot/periodic: when TMICT was written */
	uint64_t timer_period_ns;
	int tfd;
	uint64_t level_vectors[4];	/* level-triggered vectors not yet EOIed */
	uint64_t timer_fired;
};

static int lvt_index(uint32_t off)
{
	return off == APIC_LVT_CMCI ? 0 : (int)((off - APIC_LVTT) >> 4) + 1;
}

static uint64_t ns_per_tick(const struct x86_lapic *a)
{
	/* TDCR bits 0, 1, 3: divide by 2^((bits + 1) & 7), 0b111 = 1. */
	unsigned int d = (a->tdcr & 3) | ((a->tdcr >> 1) & 4);

	return d == 7 ? 1 : 2ULL << d;
}

static void timer_arm(struct x86_lapic *a, uint64_t when_ns, uint64_t period_ns)
{
	struct itimerspec its = { 0 };

	if (when_ns) {
		its.it_value.tv_sec = when_ns / 1000000000ULL;
		its.it_value.tv_nsec = when_ns % 1000000000ULL;
		its.it_interval.tv_sec = period_ns / 1000000000ULL;
		its.it_interval.tv_nsec = period_ns % 1000000000ULL;
	}
	timerfd_settime(a->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Guest TSC ticks from now to @deadline in host nanoseconds (0: past). */
static uint64_t deadline_ns(struct vmm_vm *vm, uint64_t deadline)
{
	uint64_t tsc = __rdtsc(), khz = x86_tsc_khz(vm);

	if ((int64_t)(deadline - tsc) <= 0 || !khz)
		return 0;
	return (uint64_t)((unsigned __int128)(deadline - tsc) * 1000000 / khz);
}

static void timer_fire_locked(struct x86_lapic *a)
{
	uint32_t lvtt = a->lvt[1];

	a->timer_fired++;
	if (LVTT_MODE(lvtt) == LVTT_DEADLINE)
		a->tsc_deadline = 0;
	if (!(lvtt & LVT_MASKED) && (a->svr & APIC_SVR_ENABLE) && (lvtt & 0xff) >= 16)
		vmm_vcpu_inject(a->vcpu, lvtt & 0xff);
}

static void timer_update(struct x86_lapic *a)
{
	uint32_t lvtt = a->lvt[1];
	uint64_t now = vmm_now_ns(), ns;

	switch (LVTT_MODE(lvtt)) {
	case LVTT_DEADLINE:
		if (!a->tsc_deadline) {
			timer_arm(a, 0, 0);
			return;
		}
		ns = deadline_ns(a->vcpu->vm, a->tsc_deadline);
		if (!ns) {
			timer_arm(a, 0, 0);
			timer_fire_locked(a);
			return;
		}
		timer_arm(a, now + ns, 0);
		return;
	case LVTT_ONESHOT:
	case LVTT_PERIODIC:
		if (!a->tmict) {
			timer_arm(a, 0, 0);
			return;
		}
		a->timer_start_ns = now;
		a->timer_period_ns = (uint64_t)a->tmict * ns_per_tick(a);
		timer_arm(a, now + a->timer_period_ns,
			  LVTT_MODE(lvtt) == LVTT_PERIODIC ? a->timer_period_ns : 0);
		return;
	default:
		timer_arm(a, 0, 0);
	}
}

static void timer_expired(struct vmm_vm *vm, int fd, void *arg)
{
	struct x86_lapic *a = arg;
	uint64_t n;

	(void)vm;
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return;		/* re-armed meanwhile: nothing expired */
	pthread_mutex_lock(&a->lock);
	timer_fire_locked(a);
	pthread_mutex_unlock(&a->lock);
}

static uint32_t timer_current(const struct x86_lapic *a)
{
	uint64_t now = vmm_now_ns(), elapsed;

	if (!a->tmict || LVTT_MODE(a->lvt[1]) > LVTT_PERIODIC || !a->timer_period_ns)
		return 0;
	elapsed = now - a->timer_start_ns;
	if (LVTT_MODE(a->lvt[1]) == LVTT_ONESHOT && elapsed >= a->timer_period_ns)
		return 0;
	elapsed %= a->timer_period_ns;
	return (a->timer_period_ns - elapsed) / ns_per_tick(a);
}

static struct x86_lapic *lapic(struct vmm_vcpu *vcpu)
{
	return vcpu->arch;
}

int x86_lapic_create(struct vmm_vcpu *vcpu)
{
	struct x86_lapic *a = calloc(1, sizeof(*a));
	int i;

	if (!a)
		return -1;
	pthread_mutex_init(&a->lock, NULL);
	a->vcpu = vcpu;
	a->apic_base = X86_LAPIC_BASE | APIC_BASE_EN | APIC_BASE_EXTD |
		       (vcpu->id == 0 ? APIC_BASE_BSP : 0);
	a->svr = 0xff;
	for (i = 0; i < LVT_NR; i++)
		a->lvt[i] = LVT_MASKED;
	a->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (a->tfd < 0 || vmm_loop_add_fd(vcpu->vm, a->tfd, timer_expired, a)) {
		perror("vmm: APIC timer");
		if (a->tfd >= 0)
			close(a->tfd);
		free(a);
		return -1;
	}
	vcpu->arch = a;
	return 0;
}

void x86_lapic_destroy(struct vmm_vcpu *vcpu)
{
	struct x86_lapic *a = lapic(vcpu);

	if (!a)
		return;
	close(a->tfd);
	pthread_mutex_destroy(&a->lock);
	free(a);
	vcpu->arch = NULL;
}

bool x86_lapic_match(struct vmm_vcpu *vcpu, uint32_t dest, bool logical)
{
	uint32_t id = vcpu->id;

	if (!logical)
		return dest == 0xffffffff || dest == id;
	/* x2APIC logical: cluster in 31:16, one bit per APIC of the cluster. */
	return (dest >> 16) == (id >> 4) && (dest & (1U << (id & 15)));
}

void x86_lapic_deliver(struct vmm_vcpu *vcpu, uint8_t vector, bool level)
{
	struct x86_lapic *a = lapic(vcpu);

	if (!a || vector < 16)
		return;
	pthread_mutex_lock(&a->lock);
	if (!(a->svr & APIC_SVR_ENABLE)) {
		/* A software-disabled APIC takes nothing (SDM 11.4.7.2). */
		pthread_mutex_unlock(&a->lock);
		return;
	}
	if (level)
		a->level_vectors[vector / 64] |= 1ULL << (vector % 64);
	pthread_mutex_unlock(&a->lock);
	vmm_vcpu_inject(vcpu, vector);
}

/* EOI: only a level-triggered vector has someone to tell (the IOAPIC). */
static void lapic_eoi(struct x86_lapic *a)
{
	int i, v = -1;

	pthread_mutex_lock(&a->lock);
	for (i = 3; i >= 0 && v < 0; i--)
		if (a->level_vectors[i]) {
			v = i * 64 + 63 - __builtin_clzll(a->level_vectors[i]);
			a->level_vectors[i] &= ~(1ULL << (v % 64));
		}
	pthread_mutex_unlock(&a->lock);
	if (v >= 0)
		x86_ioapic_eoi(a->vcpu->vm, v);
}

bool x86_lapic_rdmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t *val)
{
	struct x86_lapic *a = lapic(vcpu);
	uint32_t off;

	if (!a)
		return false;
	if (msr == MSR_APIC_BASE) {
		*val = a->apic_base;
		return true;
	}
	if (msr == MSR_TSC_DEADLINE) {
		*val = a->tsc_deadline;
		return true;
	}
	if (msr < 0x800 || msr > 0x8ff)
		return false;
	off = (msr - 0x800) << 4;
	pthread_mutex_lock(&a->lock);
	switch (off) {
	case APIC_ID:
		*val = vcpu->id;
		break;
	case APIC_LVR:
		*val = APIC_VERSION;
		break;
	case APIC_TPR:
	case APIC_PPR:
		*val = a->tpr;
		break;
	case APIC_LDR:
		*val = ((vcpu->id >> 4) << 16) | (1U << (vcpu->id & 15));
		break;
	case APIC_SVR:
		*val = a->svr;
		break;
	case APIC_ISR ... APIC_ISR + 0x70:
	case APIC_TMR ... APIC_TMR + 0x70:
	case APIC_IRR ... APIC_IRR + 0x70:
		*val = 0;
		break;
	case APIC_ESR:
		*val = a->esr;
		break;
	case APIC_ICR:
		*val = (uint64_t)a->icr_hi << 32 | a->icr_lo;
		break;
	case APIC_LVT_CMCI:
	case APIC_LVTT ... APIC_LVT_ERR:
		*val = a->lvt[lvt_index(off)];
		break;
	case APIC_TMICT:
		*val = a->tmict;
		break;
	case APIC_TMCCT:
		*val = timer_current(a);
		break;
	case APIC_TDCR:
		*val = a->tdcr;
		break;
	default:
		/* Reserved or write-only x2APIC MSRs: #GP on hardware. */
		*val = 0;
		pthread_mutex_unlock(&a->lock);
		return false;
	}
	pthread_mutex_unlock(&a->lock);
	return true;
}

bool x86_lapic_wrmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t val)
{
	struct x86_lapic *a = lapic(vcpu);
	uint32_t off, v = (uint32_t)val;
	bool ok = true;

	if (!a)
		return false;
	if (msr == MSR_APIC_BASE) {
		/* The base and x2APIC mode stay: the xAPIC page is not offered. */
		pthread_mutex_lock(&a->lock);
		a->apic_base = (a->apic_base & ~APIC_BASE_EN) | (val & APIC_BASE_EN);
		pthread_mutex_unlock(&a->lock);
		return true;
	}
	if (msr == MSR_TSC_DEADLINE) {
		pthread_mutex_lock(&a->lock);
		a->tsc_deadline = val;
		if (LVTT_MODE(a->lvt[1]) == LVTT_DEADLINE)
			timer_update(a);
		pthread_mutex_unlock(&a->lock);
		return true;
	}
	if (msr < 0x800 || msr > 0x8ff)
		return false;
	off = (msr - 0x800) << 4;
	if (off == APIC_EOI) {
		lapic_eoi(a);
		return true;
	}
	if (off == APIC_SELF_IPI) {
		x86_lapic_deliver(vcpu, v & 0xff, false);
		return true;
	}
	pthread_mutex_lock(&a->lock);
	switch (off) {
	case APIC_TPR:
		a->tpr = v & 0xff;
		break;
	case APIC_SVR:
		a->svr = v & 0x11ff;
		if (!(a->svr & APIC_SVR_ENABLE)) {
			/* Software disable masks every LVT (SDM 11.4.7.2). */
			for (int i = 0; i < LVT_NR; i++)
				a->lvt[i] |= LVT_MASKED;
		}
		break;
	case APIC_ESR:
		a->esr = 0;
		break;
	case APIC_ICR:
		/* Sent by the module already (SEND_IPI); kept for reads. */
		a->icr_lo = v;
		a->icr_hi = val >> 32;
		break;
	case APIC_LVTT: {
		uint32_t old = a->lvt[1];

		if (!(a->svr & APIC_SVR_ENABLE))
			v |= LVT_MASKED;
		a->lvt[1] = v & 0x700ff;
		if (LVTT_MODE(old) != LVTT_MODE(a->lvt[1])) {
			/* A mode change stops the timer (SDM 11.5.4.1). */
			a->tmict = 0;
			a->tsc_deadline = 0;
			timer_update(a);
		}
		break;
	}
	case APIC_LVT_CMCI:
	case APIC_LVT_THERM ... APIC_LVT_ERR:
		if (!(a->svr & APIC_SVR_ENABLE))
			v |= LVT_MASKED;
		a->lvt[lvt_index(off)] = v & 0x1f7ff;
		break;
	case APIC_TMICT:
		if (LVTT_MODE(a->lvt[1]) == LVTT_DEADLINE)
			break;	/* ignored in TSC-deadline mode */
		a->tmict = v;
		timer_update(a);
		break;
	case APIC_TDCR:
		a->tdcr = v & 0xb;
		break;
	default:
		ok = false;	/* read-only or reserved: #GP on hardware */
		break;
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}

void x86_lapic_send_ipi(struct vmm_vcpu *src, const struct vcpu_exit_send_ipi *ipi)
{
	struct vmm_vm *vm = src->vm;
	uint32_t icr = (uint32_t)ipi->target_cpu_aux, mode = (icr >> 8) & 7;
	bool logical = icr & (1U << 11);
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vmm_vcpu *t = vm->vcpus[i];

		if (!t)
			continue;
		if (t == src ? !ipi->send_to_self :
		    !(ipi->send_to_all || x86_lapic_match(t, (uint32_t)ipi->target_cpu, logical)))
			continue;
		switch (mode) {
		case 0:		/* fixed */
		case 1:		/* lowest priority: every target, no arbitration */
			x86_lapic_deliver(t, ipi->vector & 0xff, false);
			break;
		case 4:		/* NMI */
			ioctl(t->fd, VCPU_INJECT_NMI, 0);
			break;
		default:	/* SMI, INIT/SIPI with a shorthand: not offered */
			t->unhandled++;
			break;
		}
	}
}
