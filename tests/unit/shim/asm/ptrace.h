/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit-test shim: the AArch64 PSTATE (SPSR) bits arch/arm64/exception.c
 * uses (Arm ARM, SPSR_ELx for exceptions taken from AArch64).
 */
#ifndef VCPU_SHIM_ASM_PTRACE_H
#define VCPU_SHIM_ASM_PTRACE_H

#define PSR_MODE_EL0t	0x00000000
#define PSR_MODE_EL1t	0x00000004
#define PSR_MODE_EL1h	0x00000005
#define PSR_MODE_MASK	0x0000000f
#define PSR_MODE32_BIT	0x00000010
#define PSR_F_BIT	0x00000040
#define PSR_I_BIT	0x00000080
#define PSR_A_BIT	0x00000100
#define PSR_D_BIT	0x00000200
#define PSR_BTYPE_MASK	0x00000c00
#define PSR_SSBS_BIT	0x00001000
#define PSR_IL_BIT	(1 << 20)
#define PSR_SS_BIT	(1 << 21)
#define PSR_PAN_BIT	0x00400000
#define PSR_UAO_BIT	0x00800000
#define PSR_DIT_BIT	0x01000000
#define PSR_TCO_BIT	0x02000000
#define PSR_V_BIT	0x10000000
#define PSR_C_BIT	0x20000000
#define PSR_Z_BIT	0x40000000
#define PSR_N_BIT	0x80000000

#endif
