/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSCI calls a guest makes with HVC or SMC (SMC Calling Convention: the
 * function id in w0, arguments in x1..x3).  Pure logic, also built into
 * the host unit tests.
 *
 * The guest sees PSCI 1.0 with CPU_ON, CPU_OFF, SYSTEM_OFF, SYSTEM_RESET,
 * PSCI_VERSION and PSCI_FEATURES.  VERSION and FEATURES are answered in
 * the kernel, as is every other id of the PSCI ranges (NOT_SUPPORTED); the
 * rest become exits.  An id outside the PSCI ranges is a plain hypercall.
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
};

struct vcpu_el2_psci {
	enum vcpu_el2_psci_kind kind;
	u64 ret;		/* EL2_PSCI_ANSWER, and x0 after CPU_ON */
	u64 target;		/* CPU_ON: target MPIDR */
	u64 entry;		/* CPU_ON: entry point */
	u64 context;		/* CPU_ON: context id */
};

/* @x: the caller's x0..x3. */
void vcpu_el2_psci_dispatch(const u64 *x, struct vcpu_el2_psci *p);

#endif /* VCPU_ARM64_PSCI_H */
