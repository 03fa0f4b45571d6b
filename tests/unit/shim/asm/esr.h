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

/* Exception classes and fields arch/arm64/exception.c uses. */
#define ESR_ELx_EC_UNKNOWN	0x00
#define ESR_ELx_EC_FP_ASIMD	0x07
#define ESR_ELx_EC_PAC		0x09
#define ESR_ELx_EC_SVC64	0x15
#define ESR_ELx_EC_HVC64	0x16
#define ESR_ELx_EC_SYS64	0x18
#define ESR_ELx_EC_SVE		0x19
#define ESR_ELx_EC_SME		0x1D
#define ESR_ELx_EC_IABT_LOW	0x20
#define ESR_ELx_EC_IABT_CUR	0x21
#define ESR_ELx_EC_PC_ALIGN	0x22
#define ESR_ELx_EC_DABT_LOW	0x24
#define ESR_ELx_EC_DABT_CUR	0x25
#define ESR_ELx_EC_SP_ALIGN	0x26
#define ESR_ELx_EC_SERROR	0x2F
#define ESR_ELx_EC_BREAKPT_LOW	0x30
#define ESR_ELx_EC_BREAKPT_CUR	0x31
#define ESR_ELx_EC_SOFTSTP_LOW	0x32
#define ESR_ELx_EC_SOFTSTP_CUR	0x33
#define ESR_ELx_EC_WATCHPT_LOW	0x34
#define ESR_ELx_EC_WATCHPT_CUR	0x35
#define ESR_ELx_EC_BRK64	0x3C
#define ESR_ELx_EC_SHIFT	26
#define ESR_ELx_EC_MASK		(0x3FULL << ESR_ELx_EC_SHIFT)
#define ESR_ELx_EC(esr)		(((esr) & ESR_ELx_EC_MASK) >> ESR_ELx_EC_SHIFT)
#define ESR_ELx_IL_SHIFT	25
#define ESR_ELx_IL		(1ULL << ESR_ELx_IL_SHIFT)
#define ESR_ELx_ISS_MASK	(ESR_ELx_IL - 1)
#define ESR_ELx_IDS		(1ULL << 24)

#endif
