/* SPDX-License-Identifier: GPL-2.0 */
/* The rules of VCPU_SET_EVENTS on x86 (event_rules.c, pure logic). */
#ifndef VCPU_X86_EVENTS_H
#define VCPU_X86_EVENTS_H

#include <linux/types.h>
#include <uapi/linux/vcpu.h>

#define VCPU_X86_EVENTS_ALL	(VCPU_X86_EVENTS_INJECTED | \
				 VCPU_X86_EVENTS_EXCEPTION | \
				 VCPU_X86_EVENTS_NMI | VCPU_X86_EVENTS_SHADOW)

/* May the VMM inject exception @vector with these? */
bool vcpu_x86_exception_valid(unsigned int vector, bool has_error,
			      bool has_payload);
/* 0, or -EINVAL for a state SET_EVENTS refuses (see the uapi header). */
int vcpu_x86_events_check(const struct vcpu_events *events);

#endif /* VCPU_X86_EVENTS_H */
