// SPDX-License-Identifier: GPL-2.0
/*
 * SVM NMI mechanism and the pending-event primitives (vcpu_x86.h).
 *
 * SVM without V_NMI does not track NMI blocking for a guest: after
 * injecting an NMI through EVENTINJ the hypervisor must keep further NMIs
 * out until the guest's handler returns.  The IRET intercept fires before
 * the IRET executes, so the blocking ends only at a later exit whose RIP
 * shows the IRET done (vcpu_svm_nmi_exit()).  An NMI waiting for that
 * point, or for an STI/MOV SS shadow or an event in EVENTINJ to pass,
 * gets its window by single-stepping the guest one instruction (RFLAGS.TF
 * with the #DB intercept): the #DB trap after the IRET exits.
 *
 * What TCG does not show and hardware needs: the #DB of the single step
 * sets DR6.BS in the guest's DR6 (kept aside and put back here), and
 * RFLAGS.RF is set with TF so that an instruction breakpoint at the IRET
 * does not fire twice.
 */
#include <asm/svm.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <uapi/asm/debugreg.h>

#include "svm.h"

static struct vmcb_control_area *vcpu_svm_nmi_ctl(struct vcpu *vcpu)
{
	return &to_svm(vcpu)->vmcb->control;
}

bool vcpu_svm_x86_event_queued(struct vcpu *vcpu)
{
	return vcpu_svm_nmi_ctl(vcpu)->event_inj & SVM_EVTINJ_VALID;
}

bool vcpu_svm_x86_nmi_allowed(struct vcpu *vcpu)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;

	return !(c->event_inj & SVM_EVTINJ_VALID) && !svm->nmi_masked &&
	       !(c->int_state & SVM_INTERRUPT_SHADOW_MASK);
}

static void vcpu_svm_nmi_block(struct vcpu_svm_vcpu *svm, bool masked)
{
	struct vmcb_control_area *c = &svm->vmcb->control;

	svm->nmi_masked = masked;
	svm->iret_seen = false;
	if (masked)
		vcpu_svm_set_intercept(c, INTERCEPT_IRET);
	else
		vcpu_svm_clr_intercept(c, INTERCEPT_IRET);
}

void vcpu_svm_x86_inject_nmi(struct vcpu *vcpu)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	svm->vmcb->control.event_inj = X86_TRAP_NMI | SVM_EVTINJ_VALID |
				       SVM_EVTINJ_TYPE_NMI;
	vcpu_svm_nmi_block(svm, true);
}

static void vcpu_svm_nmi_step(struct vcpu_svm_vcpu *svm, bool on)
{
	struct vmcb *vmcb = svm->vmcb;

	if (on == svm->nmi_step)
		return;
	svm->nmi_step = on;
	if (on) {
		svm->nmi_step_rflags = vmcb->save.rflags;
		svm->nmi_step_dr6 = vmcb->save.dr6;
		vmcb->save.rflags |= X86_EFLAGS_TF | X86_EFLAGS_RF;
		return;
	}
	/* The guest's own TF and RF, whatever IRET popped meanwhile. */
	vmcb->save.rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_RF);
	vmcb->save.rflags |= svm->nmi_step_rflags &
			     (X86_EFLAGS_TF | X86_EFLAGS_RF);
	vmcb->save.dr6 = svm->nmi_step_dr6;
}

/*
 * The window: a masked NMI not yet at its IRET needs nothing (the IRET
 * intercept exits); anything else that blocks passes in one instruction.
 */
void vcpu_svm_x86_nmi_window(struct vcpu *vcpu, bool open)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	vcpu_svm_nmi_step(svm, open && (!svm->nmi_masked || svm->iret_seen));
}

/* At every exit: the blocking ends once the IRET has executed. */
void vcpu_svm_nmi_exit(struct vcpu_svm_vcpu *svm)
{
	if (svm->iret_seen && svm->vmcb->save.rip != svm->iret_rip)
		vcpu_svm_nmi_block(svm, false);
}

/* IRET intercepted, before it executes: see the top of the file. */
void vcpu_svm_exit_iret(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	vcpu_svm_clr_intercept(&svm->vmcb->control, INTERCEPT_IRET);
	svm->iret_seen = true;
	svm->iret_rip = svm->vmcb->save.rip;
	exit->exit_reason = VCPU_EXIT_NOTHING;
}

/*
 * #DB, always intercepted (debugreg.c: the guest's own #DB is reflected,
 * with the DR6 bits the hardware wrote in the VMCB).  While single-
 * stepping for an NMI window, the step is over: only a guest that was
 * single-stepping itself gets the trap.
 */
void vcpu_svm_exit_db(struct vcpu *vcpu, struct vcpu_run *exit)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);

	exit->exit_reason = VCPU_EXIT_NOTHING;
	if (svm->nmi_step) {
		bool guest_tf = svm->nmi_step_rflags & X86_EFLAGS_TF;

		vcpu_svm_nmi_step(svm, false);
		if (guest_tf)
			vcpu_x86_debug_trap(vcpu, DR_STEP);
		return;
	}
	vcpu_x86_debug_trap(vcpu, svm->vmcb->save.dr6 ^ DR6_RESERVED);
}

void vcpu_svm_x86_get_events(struct vcpu *vcpu, struct vcpu_x86_events *e)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;
	u32 inj = c->event_inj;

	memset(e, 0, sizeof(*e));
	if (inj & SVM_EVTINJ_VALID) {
		e->injected_vector = inj & SVM_EVTINJ_VEC_MASK;
		switch (inj & SVM_EVTINJ_TYPE_MASK) {
		case SVM_EVTINJ_TYPE_INTR:
			e->injected = VCPU_X86_EVENT_INTERRUPT;
			break;
		case SVM_EVTINJ_TYPE_NMI:
			e->injected = VCPU_X86_EVENT_NMI;
			e->injected_vector = 0;
			break;
		case SVM_EVTINJ_TYPE_EXEPT:
			e->injected = VCPU_X86_EVENT_EXCEPTION;
			e->injected_has_error = !!(inj & SVM_EVTINJ_VALID_ERR);
			if (e->injected_has_error)
				e->injected_error = c->event_inj_err;
			break;
		default:
			e->injected = VCPU_X86_EVENT_SOFT;
		}
	}
	e->nmi_masked = svm->nmi_masked;
	/* SVM does not tell an STI shadow from a MOV SS one. */
	if (c->int_state & SVM_INTERRUPT_SHADOW_MASK)
		e->shadow = VCPU_X86_SHADOW_STI;
}

void vcpu_svm_x86_set_events(struct vcpu *vcpu,
			     const struct vcpu_x86_events *e, u32 flags)
{
	struct vcpu_svm_vcpu *svm = to_svm(vcpu);
	struct vmcb_control_area *c = &svm->vmcb->control;

	if (flags & VCPU_X86_EVENTS_INJECTED) {
		switch (e->injected) {
		case VCPU_X86_EVENT_EXCEPTION:
			c->event_inj = e->injected_vector | SVM_EVTINJ_VALID |
				       SVM_EVTINJ_TYPE_EXEPT |
				       (e->injected_has_error ?
						SVM_EVTINJ_VALID_ERR : 0);
			c->event_inj_err = e->injected_error;
			break;
		case VCPU_X86_EVENT_INTERRUPT:
			c->event_inj = e->injected_vector | SVM_EVTINJ_VALID |
				       SVM_EVTINJ_TYPE_INTR;
			break;
		case VCPU_X86_EVENT_NMI:
			vcpu_svm_x86_inject_nmi(vcpu);
			break;
		default:
			c->event_inj = 0;
		}
	}
	if (flags & VCPU_X86_EVENTS_NMI)
		vcpu_svm_nmi_block(svm, e->nmi_masked);
	if (flags & VCPU_X86_EVENTS_SHADOW) {
		c->int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
		if (e->shadow)
			c->int_state |= SVM_INTERRUPT_SHADOW_MASK;
	}
}
