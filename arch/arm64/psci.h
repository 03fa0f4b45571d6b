/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSCI calls a guest makes with HVC or SMC (SMC Calling Convention: the
 * function id in w0, arguments in x1..x3).  Pure logic, also built into
 * the host unit tests.
 *
 * The guest sees PSCI 1.0 with CPU_ON, CPU_OFF, AFFINITY_INFO,
 * SYSTEM_OFF, SYSTEM_RESET, MIGRATE_INFO_TYPE, PSCI_VERSION and
 * PSCI_FEATURES.  VERSION, FEATURES and MIGRATE_INFO_TYPE (2: no Trusted
 * OS that needs migrating) are answered here, AFFINITY_INFO in the kernel
 * from the VM's vCPUs (el2_psci.c), every other id of the PSCI ranges
 * with NOT_SUPPORTED; CPU_ON, CPU_OFF, SYSTEM_OFF and SYSTEM_RESET become
 * exits.  An id outside the PSCI ranges is a plain hypercall.
 *
 * What Linux asks at boot (drivers/firmware/psci/psci.c) and gets:
 * PSCI_VERSION 1.0; MIGRATE_INFO_TYPE 2 (so no MIGRATE_INFO_UP_CPU);
 * PSCI_FEATURES of SMCCC_VERSION NOT_SUPPORTED (SMCCC 1.0 assumed, so no
 * SMCCC_ARCH_FEATURES probes), of CPU_SUSPEND, SYSTEM_SUSPEND and
 * SYSTEM_RESET2 NOT_SUPPORTED (no PSCI idle states, no suspend to RAM).
 * At CPU hotplug it calls CPU_OFF on the dying CPU and polls
 * AFFINITY_INFO from another until that one reads OFF.
 */
#ifndef VCPU_ARM64_PSCI_H
#define VCPU_ARM64_PSCI_H

#include <linux/types.h>

enum vcpu_el2_psci_kind {
	EL2_PSCI_NONE, /* not a PSCI function: a hypercall */
	EL2_PSCI_ANSWER, /* answered in the kernel: x0 = ret */
	EL2_PSCI_CPU_ON,
	EL2_PSCI_CPU_OFF,
	EL2_PSCI_SYSTEM_OFF,
	EL2_PSCI_SYSTEM_RESET,
	EL2_PSCI_AFFINITY_INFO, /* target, level: answered by el2_psci.c */
};

struct vcpu_el2_psci {
	enum vcpu_el2_psci_kind kind;
	u64 ret;		/* EL2_PSCI_ANSWER, and x0 after CPU_ON */
	u64 target;		/* CPU_ON, AFFINITY_INFO: target MPIDR */
	u64 level;		/* AFFINITY_INFO: lowest affinity level */
	u64 entry;		/* CPU_ON: entry point */
	u64 context;		/* CPU_ON: context id */
};

/* @x: the caller's x0..x3. */
void vcpu_el2_psci_dispatch(const u64 *x, struct vcpu_el2_psci *p);

#endif /* VCPU_ARM64_PSCI_H */
