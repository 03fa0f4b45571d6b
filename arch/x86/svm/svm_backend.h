/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VCPU_SVM_BACKEND_H
#define VCPU_SVM_BACKEND_H

struct vcpu_backend_ops;

/* The SVM ops if this CPU can run them, else an ERR_PTR. */
const struct vcpu_backend_ops *vcpu_svm_backend_probe(void);

#endif /* VCPU_SVM_BACKEND_H */
