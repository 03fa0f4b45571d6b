/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VCPU_VMX_BACKEND_H
#define VCPU_VMX_BACKEND_H

struct vcpu_backend_ops;

/* The VMX ops if this CPU can run them, else an ERR_PTR. */
const struct vcpu_backend_ops *vcpu_vmx_backend_probe(void);

#endif /* VCPU_VMX_BACKEND_H */
