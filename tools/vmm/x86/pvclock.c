// SPDX-License-Identifier: GPL-2.0
/*
 * kvmclock, the paravirtual clock Linux reads when CPUID leaf 0x40000000
 * says "KVMKVMKVM" and leaf 0x40000001 offers KVM_FEATURE_CLOCKSOURCE2
 * (cpuid.c; no other KVM feature is offered).  Why: an unmodified Linux
 * on an AMD CPU has no architectural way to learn the TSC rate (CPUID
 * leaf 0x15 is read on Intel only) and would calibrate it against the
 * PIT, the HPET or the ACPI PM timer, thousands of exits whose latency
 * under emulation spoils the result.  kvmclock gives the rate in one
 * structure per vCPU, written once: the guest's TSC is the host's (offset
 * 0 on every vCPU), constant and synchronised, so the structure never
 * changes (PVCLOCK_TSC_STABLE_BIT) and reading the clock never exits.
 *
 * Layouts (Linux's Documentation/virt/kvm/x86/msr.rst): MSR_KVM_SYSTEM_TIME_NEW
 * (0x4b564d01) = guest-physical address of a pvclock_vcpu_time_info | 1;
 * MSR_KVM_WALL_CLOCK_NEW (0x4b564d00) = address of a pvclock_wall_clock,
 * the wall-clock time at the clock's zero.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include "x86.h"

#define MSR_KVM_WALL_CLOCK_NEW	0x4b564d00
#define MSR_KVM_SYSTEM_TIME_NEW	0x4b564d01
#define PVCLOCK_TSC_STABLE_BIT	(1 << 0)

struct pvclock_vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((packed));

struct pvclock_wall_clock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
} __attribute__((packed));

uint64_t x86_tsc_khz(struct vmm_vm *vm)
{
	return x86_vm(vm)->tsc_khz;
}

/*
 * ns = ((tsc delta << shift, or >> -shift) * mul) >> 32 with mul < 2^32:
 * scale 10^9 / rate into [0.5, 1) by powers of two.
 */
static void time_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
	uint64_t num = 1000000000ULL, den = hz;
	int s = 0;

	while (num >= den) {
		den <<= 1;
		s++;
	}
	while (num * 2 < den) {
		num <<= 1;
		s--;
	}
	*mul = (uint32_t)(((unsigned __int128)num << 32) / den);
	*shift = s;
}

int x86_pvclock_init(struct vmm_vm *vm, struct vmm_vcpu *vcpu0)
{
	struct x86_vm *x = x86_vm(vm);
	uint64_t khz;

	if (vmm_get_one_reg(vcpu0, VCPU_REG_X86_TSC_KHZ, &khz) || !khz) {
		fprintf(stderr, "vmm: the module does not give the TSC rate (VCPU_REG_X86_TSC_KHZ)\n");
		return -1;
	}
	x->tsc_khz = khz;
	x->tsc0 = __rdtsc();
	time_scale(khz * 1000, &x->pvclock_mul, &x->pvclock_shift);
	return 0;
}

static uint64_t clock_ns_now(struct x86_vm *x)
{
	return (uint64_t)((unsigned __int128)(__rdtsc() - x->tsc0) * 1000000 / x->tsc_khz);
}

bool x86_pvclock_wrmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t val)
{
	struct x86_vm *x = x86_vm(vcpu->vm);
	struct pvclock_vcpu_time_info ti;
	struct pvclock_wall_clock wc;
	struct timespec now;
	uint64_t ns, wall;
	void *p;

	switch (msr) {
	case MSR_KVM_SYSTEM_TIME_NEW:
		if (!(val & 1))
			return true;	/* disabled: the guest stops reading it */
		p = vmm_gpa(vcpu->vm, val & ~1ULL, sizeof(ti));
		if (!p)
			return true;
		memset(&ti, 0, sizeof(ti));
		ti.version = 2;		/* even: consistent */
		ti.tsc_timestamp = x->tsc0;
		ti.system_time = 0;
		ti.tsc_to_system_mul = x->pvclock_mul;
		ti.tsc_shift = x->pvclock_shift;
		ti.flags = PVCLOCK_TSC_STABLE_BIT;
		memcpy(p, &ti, sizeof(ti));
		return true;
	case MSR_KVM_WALL_CLOCK_NEW:
		p = vmm_gpa(vcpu->vm, val, sizeof(wc));
		if (!p)
			return true;
		clock_gettime(CLOCK_REALTIME, &now);
		ns = clock_ns_now(x);
		wall = (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec - ns;
		wc.version = 2;
		wc.sec = wall / 1000000000ULL;
		wc.nsec = wall % 1000000000ULL;
		memcpy(p, &wc, sizeof(wc));
		return true;
	}
	return false;
}

bool x86_pvclock_rdmsr(struct vmm_vcpu *vcpu, uint32_t msr, uint64_t *val)
{
	(void)vcpu;
	if (msr == MSR_KVM_SYSTEM_TIME_NEW || msr == MSR_KVM_WALL_CLOCK_NEW) {
		*val = 0;
		return true;
	}
	return false;
}
