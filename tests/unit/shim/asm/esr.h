/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit-test shim: the ESR_ELx data-abort syndrome bits arch/arm64/dabt.c
 * uses (Arm ARM, ISS encoding for an exception from a Data Abort).
 */
#ifndef VCPU_SHIM_ASM_ESR_H
#define VCPU_SHIM_ASM_ESR_H

#define ESR_ELx_ISV_SHIFT	24
#define ESR_ELx_ISV		(1ULL << ESR_ELx_ISV_SHIFT)
#define ESR_ELx_SAS_SHIFT	22
#define ESR_ELx_SAS		(3ULL << ESR_ELx_SAS_SHIFT)
#define ESR_ELx_SSE		(1ULL << 21)
#define ESR_ELx_SRT_SHIFT	16
#define ESR_ELx_SRT_MASK	(0x1fULL << ESR_ELx_SRT_SHIFT)
#define ESR_ELx_SF		(1ULL << 15)
#define ESR_ELx_WNR		(1ULL << 6)

#endif
