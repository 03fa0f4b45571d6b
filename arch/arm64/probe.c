// SPDX-License-Identifier: GPL-2.0
/* Pick the arm64 backend: there is one, EL2 on a VHE host. */
#include "arch.h"
#include "backend.h"
#include "el2_backend.h"

const struct vcpu_backend_ops *vcpu_arch_probe(void)
{
	return vcpu_el2_backend_probe();
}
