/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VCPU_ARM64_EL2_BACKEND_H
#define VCPU_ARM64_EL2_BACKEND_H

struct vcpu_backend_ops;

/* The EL2 ops if this kernel runs at EL2 in VHE mode, else an ERR_PTR. */
const struct vcpu_backend_ops *vcpu_el2_backend_probe(void);

#endif /* VCPU_ARM64_EL2_BACKEND_H */
