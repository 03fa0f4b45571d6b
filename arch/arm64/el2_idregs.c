// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's ID registers: a per-vCPU view of the whole ID group 3 space
 * (op0 3, op1 0, CRn 0, CRm 1..7, op2 0..7: ID_PFR0_EL1 .. the last
 * ID_AA64 register), which HCR_EL2.TID3 traps and the kernel answers with
 * no exit to the VMM.
 *
 * The default view, computed once at load and copied into every new
 * vCPU, is the host's system-wide sanitised value (read_sanitised_ftr_reg:
 * what every CPU of the host has, as the host kernel at EL1 sees it, not
 * the EL0 view userspace gets) with what this module does not offer the
 * guest removed.  The decisions, register by register (field: guest's
 * value):
 *
 *   ID_AA64PFR0_EL1  EL0: 1 (AArch64 only: the exit handlers step over
 *                    4-byte A64 instructions and an AArch32 PSTATE is
 *                    never entered, see vcpu_el2_pstate_valid()); EL1: 1
 *                    (HCR_EL2.RW: AArch64); EL2: 0 (the guest has no EL2:
 *                    its HVC reaches this module's PSCI); SEL2: 0; EL3,
 *                    FP, AdvSIMD, RAS, DIT, CSV2, CSV3: the host's; GIC: 1
 *                    (system registers, the virtual CPU interface); SVE,
 *                    MPAM, AMU, RME: 0 (not offered: their registers are
 *                    not switched, SVE traps and is UNDEFINED for it)
 *   ID_AA64PFR1_EL1  BT, SSBS, CSV2_frac, RAS_frac: the host's; the rest
 *                    0 (SME, MTE, MPAM_frac, NMI, RNDR_trap and, on 6.12,
 *                    GCS, THE, MTE_frac, DF2, PFAR: their state is not
 *                    switched)
 *   ID_AA64PFR2_EL1  0 (MTE store-only and FPMR: not switched)
 *   ID_AA64ZFR0_EL1, ID_AA64SMFR0_EL1, ID_AA64FPFR0_EL1  0 (no SVE, SME,
 *                    FP8)
 *   ID_AA64DFR0_EL1  DebugVer, BRPs, WRPs, CTX_CMPs, DoubleLock: the
 *                    host's (the debug registers are the guest's with the
 *                    host's count); PMUVer, PMSVer (SPE), TraceVer,
 *                    TraceFilt, TraceBuffer (TRBE), MTPMU, BRBE, HPMN0,
 *                    ExtTrcBuff: 0 (the PMU registers trap to the VMM,
 *                    which may emulate one; no trace)
 *   ID_AA64DFR1_EL1, ID_AA64AFR0/1_EL1  0 (PMU extensions; implementation
 *                    defined)
 *   ID_AA64ISAR0_EL1 the host's but TME 0 (transactional memory state is
 *                    not switched)
 *   ID_AA64ISAR1_EL1 the host's but APA, API, GPA, GPI 0 (pointer
 *                    authentication: its keys are not switched, its
 *                    instructions UNDEFINED for the guest) and LS64 0
 *                    (ACCDATA_EL1 not switched)
 *   ID_AA64ISAR2_EL1 the host's but APA3, GPA3, PAC_frac 0 (pointer
 *                    authentication), WFxT 0 (WFIT/WFET would be waits
 *                    without a timeout: the WFx handler halts until an
 *                    interrupt), SYSREG_128, SYSINSTR_128 0 (no 128-bit
 *                    registers)
 *   ID_AA64ISAR3_EL1 0 (6.1 does not know it: no sanitised value)
 *   ID_AA64MMFR0_EL1 PARange, ASIDBits, BigEnd, SNSMem, BigEndEL0,
 *                    TGran16, TGran64, TGran4, ExS: the host's; TGran*_2,
 *                    FGT (stage 2 and EL2 controls), ECV (the counter is
 *                    the timer's business): 0
 *   ID_AA64MMFR1_EL1 the host's but VMIDBits, VH, TWED, XNX, HCX, TIDCP1
 *                    0 (EL2 features)
 *   ID_AA64MMFR2_EL1 the host's but NV, FWB, EVT 0 (EL2 features)
 *   ID_AA64MMFR3/4_EL1  0 (TCR2, SCTLR2, permission indirection and
 *                    overlays: not switched; EL2 features)
 *   AArch32 ID registers (CRm 1..3, MVFR*)  0: AArch32 is offered at no
 *                    exception level, so they are UNKNOWN; 0 says "none"
 *   unallocated encodings  0 (RAZ, as the architecture has them)
 *
 * A guest that enters AArch32 EL0 anyway (the hardware may allow it) is
 * not entered again: its next exit is FAIL_ENTRY.
 *
 * ONE_REG: VCPU_REG_ARM64_SYSREG(3, 0, 0, crm, op2) reads and sets the
 * view (only a safe downgrade, idreg_rules.h; EBUSY once the vCPU entered
 * the guest); VCPU_REG_ARM64_HOST_SYSREG(3, 0, 0, crm, op2) reads the
 * register as MRS at EL2 does on the CPU of the call (the hardware's
 * value, even where Linux's EL0 view hides a field), read-only (EPERM).
 *
 * QEMU's -cpu max gives every core the same registers; hardware with
 * cores of different kinds (big.LITTLE) does not: the host ids then
 * depend on the CPU the call runs on, while the default view is what
 * every core has (sanitised), the one a vCPU that may migrate can use.
 * Reading the unallocated encodings at EL2 is safe on hardware too: the
 * architecture makes ID group 3 RAZ where nothing is allocated.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <asm/cpufeature.h>
#include <asm/esr.h>
#include <asm/sysreg.h>

#include "el2.h"
#include "idreg_rules.h"
#include "psci.h"

#define EL2_IDREG_INDEX(crm, op2)	(((crm) - 1) * 8 + (op2))

/* Fields 6.1's sysreg.h does not name (Arm ARM, ID_AA64ISAR2_EL1). */
#define EL2_ISAR2_SYSREG_128_SHIFT	32
#define EL2_ISAR2_SYSINSTR_128_SHIFT	36

/* The nibble of ID_AA64<reg>_EL1.<field>. */
#define F(reg, field)	EL2_IDF(ID_AA64##reg##_EL1_##field##_SHIFT)

struct vcpu_el2_idreg_desc {
	u32 sys;		/* sys_reg(): read_sanitised_ftr_reg() */
	u64 keep;		/* the host's fields the guest sees */
	u64 force;		/* fields the guest sees whatever the host */
	struct vcpu_el2_idreg_rule rule;
};

/* Every encoding not listed: zero, and only zero may be set. */
static const struct vcpu_el2_idreg_desc vcpu_el2_idreg_descs[EL2_IDREG_NR] = {
	[EL2_IDREG_INDEX(4, 0)] = {
		.sys = SYS_ID_AA64PFR0_EL1,
		.keep = F(PFR0, EL3) | F(PFR0, FP) | F(PFR0, AdvSIMD) |
			F(PFR0, RAS) | F(PFR0, DIT) | F(PFR0, CSV2) |
			F(PFR0, CSV3),
		.force = (1ULL << ID_AA64PFR0_EL1_EL0_SHIFT) |
			 (1ULL << ID_AA64PFR0_EL1_EL1_SHIFT) |
			 (1ULL << ID_AA64PFR0_EL1_GIC_SHIFT),
		.rule = {
			.signed_fields = F(PFR0, FP) | F(PFR0, AdvSIMD),
			.fixed_fields = F(PFR0, EL0) | F(PFR0, EL1) |
					F(PFR0, EL2) | F(PFR0, EL3) |
					F(PFR0, GIC),
		},
	},
	[EL2_IDREG_INDEX(4, 1)] = {
		.sys = SYS_ID_AA64PFR1_EL1,
		.keep = F(PFR1, BT) | F(PFR1, SSBS) | F(PFR1, CSV2_frac) |
			F(PFR1, RAS_frac),
	},
	[EL2_IDREG_INDEX(5, 0)] = {
		.sys = SYS_ID_AA64DFR0_EL1,
		.keep = F(DFR0, DebugVer) | F(DFR0, BRPs) | F(DFR0, WRPs) |
			F(DFR0, CTX_CMPs) | F(DFR0, DoubleLock),
		.rule = {
			.signed_fields = F(DFR0, DoubleLock),
			.fixed_fields = F(DFR0, DebugVer) | F(DFR0, BRPs) |
					F(DFR0, WRPs) | F(DFR0, CTX_CMPs),
		},
	},
	[EL2_IDREG_INDEX(6, 0)] = {
		.sys = SYS_ID_AA64ISAR0_EL1,
		.keep = ~F(ISAR0, TME),
	},
	[EL2_IDREG_INDEX(6, 1)] = {
		.sys = SYS_ID_AA64ISAR1_EL1,
		.keep = ~(F(ISAR1, APA) | F(ISAR1, API) | F(ISAR1, GPA) |
			  F(ISAR1, GPI) | F(ISAR1, LS64)),
	},
	[EL2_IDREG_INDEX(6, 2)] = {
		.sys = SYS_ID_AA64ISAR2_EL1,
		.keep = ~(F(ISAR2, APA3) | F(ISAR2, GPA3) |
			  F(ISAR2, PAC_frac) | F(ISAR2, WFxT) |
			  EL2_IDF(EL2_ISAR2_SYSREG_128_SHIFT) |
			  EL2_IDF(EL2_ISAR2_SYSINSTR_128_SHIFT)),
	},
	[EL2_IDREG_INDEX(7, 0)] = {
		.sys = SYS_ID_AA64MMFR0_EL1,
		.keep = F(MMFR0, PARANGE) | F(MMFR0, ASIDBITS) |
			F(MMFR0, BIGEND) | F(MMFR0, SNSMEM) |
			F(MMFR0, BIGENDEL0) | F(MMFR0, TGRAN16) |
			F(MMFR0, TGRAN64) | F(MMFR0, TGRAN4) | F(MMFR0, EXS),
		.rule = {
			.signed_fields = F(MMFR0, TGRAN4) | F(MMFR0, TGRAN64),
		},
	},
	[EL2_IDREG_INDEX(7, 1)] = {
		.sys = SYS_ID_AA64MMFR1_EL1,
		.keep = ~(F(MMFR1, VMIDBits) | F(MMFR1, VH) | F(MMFR1, TWED) |
			  F(MMFR1, XNX) | F(MMFR1, HCX) | F(MMFR1, TIDCP1)),
	},
	[EL2_IDREG_INDEX(7, 2)] = {
		.sys = SYS_ID_AA64MMFR2_EL1,
		.keep = ~(F(MMFR2, NV) | F(MMFR2, FWB) | F(MMFR2, EVT)),
	},
};

/* The default view, from vcpu_el2_idregs_init(). */
static u64 vcpu_el2_idreg_default[EL2_IDREG_NR];

void vcpu_el2_idregs_init(void)
{
	const struct vcpu_el2_idreg_desc *d;
	int i;

	for (i = 0; i < EL2_IDREG_NR; i++) {
		d = &vcpu_el2_idreg_descs[i];
		/* Only registers every kernel line knows: unknown ones WARN. */
		vcpu_el2_idreg_default[i] = d->force;
		if (d->keep)
			vcpu_el2_idreg_default[i] |=
				read_sanitised_ftr_reg(d->sys) & d->keep;
	}
}

void vcpu_el2_idregs_reset(struct vcpu_el2_vcpu *v)
{
	memcpy(v->idreg, vcpu_el2_idreg_default, sizeof(v->idreg));
}

/* The index of ID group 3 encoding @crm/@op2 (op0 3, op1 0, CRn 0), or -1. */
static int vcpu_el2_idreg_index(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2)
{
	if (op0 != 3 || op1 != 0 || crn != 0 || crm < 1 || crm > 7)
		return -1;
	return EL2_IDREG_INDEX(crm, op2);
}

/*
 * A read HCR_EL2.TID3 trapped: answered from the view, the guest steps
 * over it, no exit to the VMM.  False for any other register.
 */
bool vcpu_el2_idreg_trap(struct vcpu *vcpu,
			 const struct vcpu_el2_exit_info *ei,
			 struct vcpu_run *exit)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	u64 esr = ei->esr;
	unsigned int rt;
	int i;

	if ((esr & ESR_ELx_SYS64_ISS_DIR_MASK) != ESR_ELx_SYS64_ISS_DIR_READ)
		return false;
	i = vcpu_el2_idreg_index(
		(esr & ESR_ELx_SYS64_ISS_OP0_MASK) >> ESR_ELx_SYS64_ISS_OP0_SHIFT,
		(esr & ESR_ELx_SYS64_ISS_OP1_MASK) >> ESR_ELx_SYS64_ISS_OP1_SHIFT,
		(esr & ESR_ELx_SYS64_ISS_CRN_MASK) >> ESR_ELx_SYS64_ISS_CRN_SHIFT,
		(esr & ESR_ELx_SYS64_ISS_CRM_MASK) >> ESR_ELx_SYS64_ISS_CRM_SHIFT,
		(esr & ESR_ELx_SYS64_ISS_OP2_MASK) >> ESR_ELx_SYS64_ISS_OP2_SHIFT);
	if (i < 0)
		return false;
	rt = (esr & ESR_ELx_SYS64_ISS_RT_MASK) >> ESR_ELx_SYS64_ISS_RT_SHIFT;
	if (rt != EL2_REG_XZR)
		v->ctxt.x[rt] = v->idreg[i];
	vcpu_el2_skip(vcpu);
	exit->exit_reason = VCPU_EXIT_NOTHING;
	return true;
}

/* The ONE_REG id's index, whatever its class (0 or 2), or -1. */
static int vcpu_el2_idreg_id_index(u64 id)
{
	if ((id & ~(VCPU_REG_ARM64_CLASS_MASK | 0xffff)) != VCPU_REG_ARCH_ARM64)
		return -1;
	return vcpu_el2_idreg_index((id >> 14) & 3, (id >> 11) & 7,
				    (id >> 7) & 15, (id >> 3) & 15, id & 7);
}

bool vcpu_el2_idreg_id(u64 id)
{
	u64 class = id & VCPU_REG_ARM64_CLASS_MASK;

	return (class == 0 || class == VCPU_REG_ARM64_CLASS(2)) &&
	       vcpu_el2_idreg_id_index(id) >= 0;
}

/* MRS takes the encoding as an immediate: one read per encoding. */
#define EL2_HOST(crm, op2)	read_sysreg_s(sys_reg(3, 0, 0, crm, op2))

/*
 * The hardware's value on this CPU.  Every encoding of the space can be
 * read at EL2: the unallocated ones are RAZ.  All are read, in index
 * order; only the host's ids need it, and nothing else reads them.
 */
static u64 vcpu_el2_idreg_host(int i)
{
	const u64 v[EL2_IDREG_NR] = {
		EL2_HOST(1, 0), EL2_HOST(1, 1), EL2_HOST(1, 2), EL2_HOST(1, 3),
		EL2_HOST(1, 4), EL2_HOST(1, 5), EL2_HOST(1, 6), EL2_HOST(1, 7),
		EL2_HOST(2, 0), EL2_HOST(2, 1), EL2_HOST(2, 2), EL2_HOST(2, 3),
		EL2_HOST(2, 4), EL2_HOST(2, 5), EL2_HOST(2, 6), EL2_HOST(2, 7),
		EL2_HOST(3, 0), EL2_HOST(3, 1), EL2_HOST(3, 2), EL2_HOST(3, 3),
		EL2_HOST(3, 4), EL2_HOST(3, 5), EL2_HOST(3, 6), EL2_HOST(3, 7),
		EL2_HOST(4, 0), EL2_HOST(4, 1), EL2_HOST(4, 2), EL2_HOST(4, 3),
		EL2_HOST(4, 4), EL2_HOST(4, 5), EL2_HOST(4, 6), EL2_HOST(4, 7),
		EL2_HOST(5, 0), EL2_HOST(5, 1), EL2_HOST(5, 2), EL2_HOST(5, 3),
		EL2_HOST(5, 4), EL2_HOST(5, 5), EL2_HOST(5, 6), EL2_HOST(5, 7),
		EL2_HOST(6, 0), EL2_HOST(6, 1), EL2_HOST(6, 2), EL2_HOST(6, 3),
		EL2_HOST(6, 4), EL2_HOST(6, 5), EL2_HOST(6, 6), EL2_HOST(6, 7),
		EL2_HOST(7, 0), EL2_HOST(7, 1), EL2_HOST(7, 2), EL2_HOST(7, 3),
		EL2_HOST(7, 4), EL2_HOST(7, 5), EL2_HOST(7, 6), EL2_HOST(7, 7),
	};

	return v[i];
}

int vcpu_el2_idreg_get(struct vcpu *vcpu, u64 id, u64 *value)
{
	int i = vcpu_el2_idreg_id_index(id);

	if (i < 0)
		return -ENOENT;
	if (id & VCPU_REG_ARM64_CLASS_MASK)
		*value = vcpu_el2_idreg_host(i);
	else
		*value = to_el2(vcpu)->idreg[i];
	return 0;
}

int vcpu_el2_idreg_set(struct vcpu *vcpu, u64 id, u64 value)
{
	struct vcpu_el2_vcpu *v = to_el2(vcpu);
	int i = vcpu_el2_idreg_id_index(id);
	int ret;

	if (i < 0)
		return -ENOENT;
	if (id & VCPU_REG_ARM64_CLASS_MASK)
		return -EPERM;		/* the host's: read-only */
	if (value == v->idreg[i])
		return 0;		/* a restore of the same view */
	/* The guest may have read it: fixed from the first entry (as KVM). */
	if (v->power != EL2_POWER_RESET)
		return -EBUSY;
	ret = vcpu_el2_idreg_check(&vcpu_el2_idreg_descs[i].rule,
				   vcpu_el2_idreg_default[i], value);
	if (ret)
		return ret;
	v->idreg[i] = value;
	return 0;
}

unsigned int vcpu_el2_idreg_list(u64 *ids, unsigned int max)
{
	unsigned int crm, op2, n = 0;

	for (crm = 1; crm <= 7; crm++)
		for (op2 = 0; op2 < 8; op2++, n++)
			if (n < max)
				ids[n] = VCPU_REG_ARM64_SYSREG(3, 0, 0, crm, op2);
	return n;
}
