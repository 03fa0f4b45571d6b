// SPDX-License-Identifier: GPL-2.0
/*
 * x86 events beyond the interrupt queue, the policy for both vendors:
 * NMIs (VCPU_INJECT_NMI), exceptions from the VMM and the pending-event
 * state (VCPU_GET_EVENTS / VCPU_SET_EVENTS).
 *
 * One event goes in per entry, in the hardware's order of priority: an
 * event whose delivery an exit interrupted (the vendor re-injects it by
 * itself), then the VMM's exception, then an NMI, then an external
 * interrupt (vcpu_x86_inject_irq()).  What cannot go in at this entry
 * waits for a window: the vendor makes the guest exit as soon as it can
 * take it.
 *
 * NMI blocking is the guest's: from the delivery of an NMI until its IRET
 * completes.  VMX tracks it in hardware (virtual NMIs); SVM without V_NMI
 * has the vendor track it by intercepting IRET (svm_exit.c).
 */
#include <linux/bitops.h>
#include <asm/trapnr.h>

#include "vcpu_x86.h"
#include "events.h"

static void vcpu_x86_events_update(struct vcpu_x86 *x86)
{
	x86->events = x86->nmi_pending || x86->nmi_window || x86->exc_pending;
}

/* The VMM's exception, its payload applied as the hardware would. */
static void vcpu_x86_inject_vmm_exception(struct vcpu *vcpu)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);

	if (x86->exc_has_payload) {
		if (x86->exc_vector == X86_TRAP_PF)
			vcpu_x86_call(vcpu, set_cr2, x86->exc_payload);
		else
			vcpu_x86_dbg_payload(vcpu, x86->exc_payload);
	}
	vcpu_x86_call(vcpu, inject_exception, x86->exc_vector,
		      x86->exc_has_error, x86->exc_error);
	x86->exc_pending = false;
}

/*
 * At entry, interrupts off, after vcpu_guest_enter(): an NMI requested
 * before it is seen here (kick.c), one requested later makes the guest
 * exit and is seen at the next entry.
 */
void vcpu_x86_inject_events(struct vcpu *vcpu)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	bool window;

	/* A second NMI while one is latched is the same NMI. */
	if (test_bit(VCPU_REQ_NMI, &vcpu->requests) &&
	    test_and_clear_bit(VCPU_REQ_NMI, &vcpu->requests))
		x86->nmi_pending = true;

	if (x86->exc_pending && !vcpu_x86_call(vcpu, event_queued))
		vcpu_x86_inject_vmm_exception(vcpu);
	if (x86->nmi_pending && vcpu_x86_call(vcpu, nmi_allowed)) {
		vcpu_x86_call(vcpu, inject_nmi);
		x86->nmi_pending = false;
	}
	window = x86->nmi_pending;
	if (window || x86->nmi_window)
		vcpu_x86_call(vcpu, nmi_window, window);
	x86->nmi_window = window;
	vcpu_x86_events_update(x86);
}

/* A latched NMI or the VMM's exception wakes a HLT (vcpu_irq_pending()). */
bool vcpu_x86_vcpu_irq_held(struct vcpu *vcpu)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);

	return x86->nmi_pending || x86->exc_pending;
}

int vcpu_x86_get_events(struct vcpu *vcpu, struct vcpu_events *events)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	struct vcpu_x86_events *e = &events->x86;

	/* An NMI requested since the last entry is latched by now. */
	if (test_and_clear_bit(VCPU_REQ_NMI, &vcpu->requests))
		x86->nmi_pending = true;
	vcpu_x86_events_update(x86);

	events->flags = VCPU_X86_EVENTS_ALL;
	vcpu_x86_call(vcpu, get_events, e);
	e->exception_pending = x86->exc_pending;
	if (x86->exc_pending) {
		e->exception_vector = x86->exc_vector;
		e->exception_has_error = x86->exc_has_error;
		e->exception_error = x86->exc_has_error ? x86->exc_error : 0;
		e->exception_has_payload = x86->exc_has_payload;
		e->exception_payload = x86->exc_payload;
	}
	e->nmi_pending = x86->nmi_pending;
	return 0;
}

int vcpu_x86_set_events(struct vcpu *vcpu, const struct vcpu_events *events)
{
	struct vcpu_x86 *x86 = to_x86(vcpu);
	const struct vcpu_x86_events *e = &events->x86;
	bool queued;
	int ret;

	ret = vcpu_x86_events_check(events);
	if (ret)
		return ret;
	/*
	 * One event in delivery and a pending exception at once would need
	 * an exit between the two: the VMM lets the guest run first.
	 */
	queued = events->flags & VCPU_X86_EVENTS_INJECTED ?
		 e->injected != VCPU_X86_EVENT_NONE :
		 vcpu_x86_call(vcpu, event_queued);
	if ((events->flags & VCPU_X86_EVENTS_EXCEPTION) &&
	    e->exception_pending && queued)
		return -EBUSY;

	vcpu_x86_call(vcpu, set_events, e, events->flags);
	if (events->flags & VCPU_X86_EVENTS_EXCEPTION) {
		x86->exc_pending = e->exception_pending;
		x86->exc_vector = e->exception_vector;
		x86->exc_has_error = e->exception_has_error;
		x86->exc_error = e->exception_error;
		x86->exc_has_payload = e->exception_has_payload;
		x86->exc_payload = e->exception_payload;
	}
	if (events->flags & VCPU_X86_EVENTS_NMI) {
		clear_bit(VCPU_REQ_NMI, &vcpu->requests);
		x86->nmi_pending = e->nmi_pending;
	}
	vcpu_x86_events_update(x86);
	return 0;
}
