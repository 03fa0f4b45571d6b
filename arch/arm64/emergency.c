// SPDX-License-Identifier: GPL-2.0
/*
 * Crash, kexec and emergency reboot: nothing to do on arm64.  The EL2
 * backend keeps no state in EL2 between runs (VBAR_EL2 and HCR_EL2 are the
 * host's again after every exit), so a crash kernel finds EL2 as the host
 * kernel left it.
 */
#include "arch.h"

void vcpu_arch_emergency_get(void (*fn)(void))
{
}

void vcpu_arch_emergency_put(void (*fn)(void))
{
}
