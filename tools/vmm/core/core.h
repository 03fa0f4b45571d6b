/* SPDX-License-Identifier: GPL-2.0 */
/* What the core's files share and the rest of libvmm does not see. */
#ifndef VMM_CORE_H
#define VMM_CORE_H

#include "../vmm.h"

void vmm_console_close(struct vmm_vm *vm);
void *vmm_vcpu_thread(void *arg);

#endif /* VMM_CORE_H */
