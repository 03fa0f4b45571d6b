// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CPUID: the module's default table (the host's minus what
 * the module does not virtualize) plus what this platform adds:
 *   leaf 1: x2APIC and the TSC-deadline timer (lapic.c emulates both),
 *     the APIC, the logical processor count;
 *   leaf 0x40000000/1: the KVM signature with only kvmclock and its
 *     stable bit (pvclock.c says why); 0x40000100: this VMM's own
 *     signature, for a guest that wants to know.
 * The module fills each vCPU's APIC ID fields itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "x86.h"

#define L1_ECX_X2APIC		(1U << 21)
#define L1_ECX_TSC_DEADLINE	(1U << 24)
#define L1_ECX_HYPERVISOR	(1U << 31)
#define L1_EDX_APIC		(1U << 9)
#define L1_EDX_HTT		(1U << 28)
#define KVM_FEATURE_CLOCKSOURCE2		(1U << 3)
#define KVM_FEATURE_CLOCKSOURCE_STABLE_BIT	(1U << 24)

static struct vcpu_cpuid_entry *find(struct vcpu_cpuid *c, uint32_t fn, uint32_t idx)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++) {
		struct vcpu_cpuid_entry *e = &c->entries[i];

		if (e->function == fn &&
		    (!(e->flags & VCPU_CPUID_F_SIGNIFICANT_INDEX) || e->index == idx))
			return e;
	}
	return NULL;
}

static struct vcpu_cpuid_entry *add(struct vcpu_cpuid *c, uint32_t fn)
{
	struct vcpu_cpuid_entry *e = find(c, fn, 0);

	if (e)
		return e;
	if (c->nent == VCPU_CPUID_MAX_ENTRIES)
		return NULL;
	e = &c->entries[c->nent++];
	memset(e, 0, sizeof(*e));
	e->function = fn;
	return e;
}

static void signature(struct vcpu_cpuid_entry *e, uint32_t max, const char *sig)
{
	e->eax = max;
	memcpy(&e->ebx, sig, 4);
	memcpy(&e->ecx, sig + 4, 4);
	memcpy(&e->edx, sig + 8, 4);
}

int x86_cpuid_setup(struct vmm_vcpu *vcpu)
{
	size_t sz = sizeof(struct vcpu_cpuid) +
		    VCPU_CPUID_MAX_ENTRIES * sizeof(struct vcpu_cpuid_entry);
	struct vcpu_cpuid *c = calloc(1, sz);
	struct vcpu_cpuid_entry *e;
	int ret = -1;

	if (!c)
		return -1;
	c->nent = VCPU_CPUID_MAX_ENTRIES;
	if (ioctl(vcpu->fd, VCPU_GET_CPUID, c)) {
		perror("vmm: VCPU_GET_CPUID");
		goto out;
	}
	e = find(c, 1, 0);
	if (!e)
		goto out;
	e->ecx |= L1_ECX_X2APIC | L1_ECX_TSC_DEADLINE | L1_ECX_HYPERVISOR;
	e->edx |= L1_EDX_APIC | L1_EDX_HTT;
	e->ebx = (e->ebx & ~0x00ff0000U) | ((vcpu->vm->nr_vcpus & 0xff) << 16);

	e = add(c, 0x40000000);
	if (!e)
		goto out;
	signature(e, 0x40000001, "KVMKVMKVM\0\0\0");
	e = add(c, 0x40000001);
	if (!e)
		goto out;
	e->eax = KVM_FEATURE_CLOCKSOURCE2 | KVM_FEATURE_CLOCKSOURCE_STABLE_BIT;
	e->ebx = e->ecx = e->edx = 0;
	e = add(c, 0x40000100);
	if (!e)
		goto out;
	signature(e, 0x40000100, VCPU_CPUID_HV_SIGNATURE);

	if (ioctl(vcpu->fd, VCPU_SET_CPUID, c)) {
		perror("vmm: VCPU_SET_CPUID");
		goto out;
	}
	ret = 0;
out:
	free(c);
	return ret;
}
