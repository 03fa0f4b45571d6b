/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each architecture (arch/x86, arch/arm64) provides to the core,
 * whatever the vendor backend.
 */
#ifndef VCPU_ARCH_H
#define VCPU_ARCH_H

#include <linux/types.h>

struct vcpu_backend_ops;

/*
 * Around every guest entry (entry.h), inline from the architecture's
 * arch_entry.h, with interrupts on: vcpu_arch_entry_begin(vcpu) disables
 * preemption and prepares the CPU for the vendor's world switch (arm64:
 * takes the FP/SIMD registers for a guest that uses them);
 * vcpu_arch_entry_end(vcpu) undoes it.
 * Around a run loop (RUN, the bench floor), preemptible, on the bound
 * CPU, also from arch_entry.h: vcpu_arch_run_begin() loads guest state the
 * task keeps for the whole loop (x86: the guest's FPU registers in place
 * of the task's), vcpu_arch_run_end() puts the task's back; every path out
 * of the loop calls the end.
 */
#include "arch_entry.h"

/*
 * After an exit caused by a host interrupt, interrupts off: irq_fetch
 * names it (its vector or INTID, read before it is serviced; 0 if none is
 * known); irq_handler lets the host service it (returns with interrupts
 * disabled).
 */
u32 vcpu_arch_irq_fetch(void);
void vcpu_arch_irq_handler(void);

/*
 * Before an entry: handle pending task work (reschedule; notify-resume is
 * left for the return to user space).  Returns -EINTR when a signal is
 * pending.  Called preemptible.  The same on every architecture:
 * module/work.c.
 */
int vcpu_arch_handle_work(void);
bool vcpu_arch_work_pending(void);

/*
 * While at least one CPU is enabled: make sure a crash, kexec or emergency
 * reboot turns the extensions off on every CPU (@fn does it on the CPU it
 * runs on).  get/put pair up; called under the core's CPU lock, may sleep.
 */
void vcpu_arch_emergency_get(void (*fn)(void));
void vcpu_arch_emergency_put(void (*fn)(void));

/* Pick the backend for this CPU: an ops table or an ERR_PTR. */
const struct vcpu_backend_ops *vcpu_arch_probe(void);

#endif /* VCPU_ARCH_H */
