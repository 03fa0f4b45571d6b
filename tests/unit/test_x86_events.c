// SPDX-License-Identifier: GPL-2.0
/* VCPU_SET_EVENTS rules on x86 (arch/x86/event_rules.c). */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "arch/x86/events.h"

UNIT_TEST(x86_exception_valid)
{
	unsigned int v;

	/* Every vector 0..31 but NMI and the reserved ones, error as pushed. */
	for (v = 0; v < 40; v++) {
		bool refused = v == 2 || v == 15 || (v >= 22 && v <= 27) ||
			       v >= 31;
		bool err = v == 8 || (v >= 10 && v <= 14) || v == 17 ||
			   v == 21 || v == 29 || v == 30;

		UNIT_EXPECT_EQ(vcpu_x86_exception_valid(v, err, false),
			       !refused);
		UNIT_EXPECT_EQ(vcpu_x86_exception_valid(v, !err, false), false);
	}
	/* A payload only for #DB and #PF. */
	UNIT_EXPECT_EQ(vcpu_x86_exception_valid(14, true, true), true);
	UNIT_EXPECT_EQ(vcpu_x86_exception_valid(1, false, true), true);
	UNIT_EXPECT_EQ(vcpu_x86_exception_valid(13, true, true), false);
}

UNIT_TEST(x86_events_check)
{
	struct vcpu_events e;

	memset(&e, 0, sizeof(e));
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), 0);
	e.flags = VCPU_X86_EVENTS_ALL;
	e.x86.injected = VCPU_X86_EVENT_INTERRUPT;
	e.x86.injected_vector = 0x40;
	e.x86.nmi_pending = 1;
	e.x86.shadow = VCPU_X86_SHADOW_STI;
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), 0);
	e.x86.injected_vector = 31;		/* not an interrupt vector */
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), -EINVAL);
	e.x86.injected_vector = 0x40;
	e.x86.nmi_masked = 2;			/* booleans are 0 or 1 */
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), -EINVAL);
	e.x86.nmi_masked = 0;
	e.x86.injected = VCPU_X86_EVENT_SOFT;	/* SET cannot restart it */
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), -EINVAL);
	e.x86.injected = VCPU_X86_EVENT_NONE;
	e.x86.injected_vector = 0;
	e.x86.pad1[0] = 1;
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), -EINVAL);
	e.x86.pad1[0] = 0;
	e.arch[sizeof(e.x86)] = 1;		/* beyond the x86 part */
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), -EINVAL);
	e.arch[sizeof(e.x86)] = 0;
	e.flags = 1U << 4;
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), -EINVAL);
	e.flags = VCPU_X86_EVENTS_EXCEPTION;
	e.x86.exception_vector = 14;		/* fields without pending */
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), -EINVAL);
	e.x86.exception_pending = 1;
	e.x86.exception_has_error = 1;
	e.x86.exception_has_payload = 1;
	e.x86.exception_payload = 0xdead0000;
	UNIT_EXPECT_EQ(vcpu_x86_events_check(&e), 0);
}
