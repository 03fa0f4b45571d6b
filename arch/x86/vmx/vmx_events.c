// SPDX-License-Identifier: GPL-2.0
/*
 * VMX NMI mechanism and the pending-event primitives (vcpu_x86.h).
 *
 * With virtual NMIs the CPU keeps the guest's NMI blocking in
 * GUEST_INTERRUPTIBILITY_INFO: set when an injected NMI is delivered,
 * cleared by the guest's IRET; NMI-window exiting makes the guest exit
 * as soon as it no longer blocks one.  The entry checks refuse an NMI
 * injected while blocking by NMI or by MOV SS is set; an STI shadow is
 * treated as blocking too (the SDM lets processors block NMIs there).
 * Called at entry with the VMCS current (inject_nmi, nmi_window) or on
 * the copies of the last exit (the others).
 */
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "vmx.h"

#define VMX_EVENT_BLOCKING	(GUEST_INTR_STATE_STI | \
				 GUEST_INTR_STATE_MOV_SS | \
				 GUEST_INTR_STATE_NMI)

bool vcpu_vmx_x86_event_queued(struct vcpu *vcpu)
{
	return to_vmx(vcpu)->pending_event & INTR_INFO_VALID_MASK;
}

bool vcpu_vmx_x86_nmi_allowed(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	return !(vmx->pending_event & INTR_INFO_VALID_MASK) &&
	       !(vmx->interruptibility & VMX_EVENT_BLOCKING);
}

/* Through pending_event, so that no interrupt is injected over it. */
void vcpu_vmx_x86_inject_nmi(struct vcpu *vcpu)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	vmx->pending_event = X86_TRAP_NMI | INTR_TYPE_NMI_INTR |
			     INTR_INFO_VALID_MASK;
	vmx->pending_event_error = 0;
	vmx->pending_event_len = 0;
}

void vcpu_vmx_x86_nmi_window(struct vcpu *vcpu, bool open)
{
	vcpu_vmx_set_window(to_vmx(vcpu), CPU_BASED_NMI_WINDOW_EXITING, open);
}

void vcpu_vmx_x86_get_events(struct vcpu *vcpu, struct vcpu_x86_events *e)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);
	u32 ev = vmx->pending_event;

	memset(e, 0, sizeof(*e));
	if (ev & INTR_INFO_VALID_MASK) {
		e->injected_vector = ev & INTR_INFO_VECTOR_MASK;
		switch (ev & INTR_INFO_INTR_TYPE_MASK) {
		case INTR_TYPE_EXT_INTR:
			e->injected = VCPU_X86_EVENT_INTERRUPT;
			break;
		case INTR_TYPE_NMI_INTR:
			e->injected = VCPU_X86_EVENT_NMI;
			e->injected_vector = 0;
			break;
		case INTR_TYPE_HARD_EXCEPTION:
			e->injected = VCPU_X86_EVENT_EXCEPTION;
			e->injected_has_error =
				!!(ev & INTR_INFO_DELIVER_CODE_MASK);
			if (e->injected_has_error)
				e->injected_error = vmx->pending_event_error;
			break;
		default:
			e->injected = VCPU_X86_EVENT_SOFT;
		}
	}
	e->nmi_masked = !!(vmx->interruptibility & GUEST_INTR_STATE_NMI);
	if (vmx->interruptibility & GUEST_INTR_STATE_STI)
		e->shadow |= VCPU_X86_SHADOW_STI;
	if (vmx->interruptibility & GUEST_INTR_STATE_MOV_SS)
		e->shadow |= VCPU_X86_SHADOW_MOV_SS;
}

void vcpu_vmx_x86_set_events(struct vcpu *vcpu,
			     const struct vcpu_x86_events *e, u32 flags)
{
	struct vcpu_vmx_vcpu *vmx = to_vmx(vcpu);

	if (flags & VCPU_X86_EVENTS_INJECTED) {
		vmx->pending_event = 0;
		switch (e->injected) {
		case VCPU_X86_EVENT_EXCEPTION:
			vcpu_vmx_queue_exception(vmx, e->injected_vector,
						 e->injected_has_error,
						 e->injected_error);
			break;
		case VCPU_X86_EVENT_INTERRUPT:
			vmx->pending_event = e->injected_vector |
					     INTR_TYPE_EXT_INTR |
					     INTR_INFO_VALID_MASK;
			vmx->pending_event_len = 0;
			break;
		case VCPU_X86_EVENT_NMI:
			vcpu_vmx_x86_inject_nmi(vcpu);
			break;
		}
	}
	if (flags & VCPU_X86_EVENTS_NMI) {
		vmx->interruptibility &= ~GUEST_INTR_STATE_NMI;
		if (e->nmi_masked)
			vmx->interruptibility |= GUEST_INTR_STATE_NMI;
		vmx->shadow_dirty = true;
	}
	if (flags & VCPU_X86_EVENTS_SHADOW) {
		vmx->interruptibility &= ~(GUEST_INTR_STATE_STI |
					   GUEST_INTR_STATE_MOV_SS);
		/* Both at once fail the entry checks: MOV SS wins. */
		if (e->shadow & VCPU_X86_SHADOW_MOV_SS)
			vmx->interruptibility |= GUEST_INTR_STATE_MOV_SS;
		else if (e->shadow & VCPU_X86_SHADOW_STI)
			vmx->interruptibility |= GUEST_INTR_STATE_STI;
		vmx->shadow_dirty = true;
	}
}
