/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX instructions.  Every one reports failure through RFLAGS (CF:
 * VMfailInvalid, ZF: VMfailValid); the wrappers return true on success.
 */
#ifndef VCPU_VMX_INSN_H
#define VCPU_VMX_INSN_H

#include <linux/types.h>

static inline bool vcpu_vmx_vmxon(u64 pa)
{
	bool fail;

	asm volatile("vmxon %1" : "=@ccbe" (fail) : "m" (pa) : "memory");
	return !fail;
}

static inline void vcpu_vmx_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

/* VMXOFF where VMX operation is not certain: its #UD is ignored. */
void vcpu_vmx_vmxoff_fault_ok(void);

static inline bool vcpu_vmx_vmclear(u64 pa)
{
	bool fail;

	asm volatile("vmclear %1" : "=@ccbe" (fail) : "m" (pa) : "memory");
	return !fail;
}

static inline bool vcpu_vmx_vmptrld(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %1" : "=@ccbe" (fail) : "m" (pa) : "memory");
	return !fail;
}

static inline u64 vcpu_vmx_read(unsigned long field)
{
	unsigned long value;

	asm volatile("vmread %1, %0" : "=rm" (value) : "r" (field) : "cc");
	return value;
}

static inline void vcpu_vmx_write(unsigned long field, u64 value)
{
	asm volatile("vmwrite %1, %0" : : "r" (field), "rm" (value)
		     : "cc", "memory");
}

struct vcpu_vmx_invept_desc {
	u64 eptp;
	u64 reserved;
};

static inline void vcpu_vmx_invept(unsigned long type, u64 eptp)
{
	struct vcpu_vmx_invept_desc desc = { eptp, 0 };

	asm volatile("invept %0, %1" : : "m" (desc), "r" (type)
		     : "cc", "memory");
}

struct vcpu_vmx_invvpid_desc {
	u64 vpid;
	u64 gla;
};

static inline void vcpu_vmx_invvpid(unsigned long type, u16 vpid)
{
	struct vcpu_vmx_invvpid_desc desc = { vpid, 0 };

	asm volatile("invvpid %0, %1" : : "m" (desc), "r" (type)
		     : "cc", "memory");
}

#endif /* VCPU_VMX_INSN_H */
