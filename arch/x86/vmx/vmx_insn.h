/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX instructions.  Every one reports failure through RFLAGS (CF:
 * VMfailInvalid, ZF: VMfailValid) and faults (#UD, #GP) when the CPU is
 * not in VMX operation.
 *
 * Neither should ever happen here: the fields and addresses are the
 * module's own, and VMX is on for as long as a VMCS is used.  A VMfail
 * therefore means a bug, and a fault that VMX was turned off under this
 * module (another hypervisor, an emergency path): both are reported
 * through vcpu_vmx_insn_failed() (rate-limited, never a WARN or BUG),
 * a failed VMREAD reads as 0, and the caller goes on.  The fault is turned
 * into that report by the exception table, written for hardware: no
 * emulator here fails or faults these instructions.
 *
 * The wrappers that can fail return true on success.
 */
#ifndef VCPU_VMX_INSN_H
#define VCPU_VMX_INSN_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/asm.h>

enum vcpu_vmx_insn {
	VCPU_VMX_VMXON, VCPU_VMX_VMCLEAR, VCPU_VMX_VMPTRLD, VCPU_VMX_VMREAD,
	VCPU_VMX_VMWRITE, VCPU_VMX_INVEPT, VCPU_VMX_INVVPID,
};

/* @arg: the field or address; @fault: the instruction faulted. */
void __cold vcpu_vmx_insn_failed(enum vcpu_vmx_insn insn, unsigned long arg,
				 bool fault);

/* An operand list with commas, as one macro argument. */
#define vcpu_vmx_ops(...)	__VA_ARGS__

/*
 * INSN with operands OPS, jumping to fail (VMfail: CF or ZF set) or to
 * fault (the exception table) when it does not complete.  The empty asm
 * after an asm goto with outputs works around a GCC bug (PR 110420) the
 * kernel works around the same way.
 */
#define vcpu_vmx_insn_goto(insn, outputs, inputs, clobbers...)		\
	do {								\
		asm volatile goto("1: " insn "\n\t"			\
				  "jna %l[fail]\n\t"			\
				  _ASM_EXTABLE(1b, (%l[fault]))		\
				  : outputs : inputs			\
				  : "cc", ##clobbers : fail, fault);	\
		asm("");						\
	} while (0)

static inline bool vcpu_vmx_vmxon(u64 pa)
{
	vcpu_vmx_insn_goto("vmxon %[pa]", vcpu_vmx_ops(), [pa] "m" (pa), "memory");
	return true;
fail:
	vcpu_vmx_insn_failed(VCPU_VMX_VMXON, pa, false);
	return false;
fault:
	vcpu_vmx_insn_failed(VCPU_VMX_VMXON, pa, true);
	return false;
}

static inline void vcpu_vmx_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

/* VMXOFF where VMX operation is not certain: its #UD is ignored. */
void vcpu_vmx_vmxoff_fault_ok(void);

static inline bool vcpu_vmx_vmclear(u64 pa)
{
	vcpu_vmx_insn_goto("vmclear %[pa]", vcpu_vmx_ops(), [pa] "m" (pa), "memory");
	return true;
fail:
	vcpu_vmx_insn_failed(VCPU_VMX_VMCLEAR, pa, false);
	return false;
fault:
	vcpu_vmx_insn_failed(VCPU_VMX_VMCLEAR, pa, true);
	return false;
}

static inline bool vcpu_vmx_vmptrld(u64 pa)
{
	vcpu_vmx_insn_goto("vmptrld %[pa]", vcpu_vmx_ops(), [pa] "m" (pa), "memory");
	return true;
fail:
	vcpu_vmx_insn_failed(VCPU_VMX_VMPTRLD, pa, false);
	return false;
fault:
	vcpu_vmx_insn_failed(VCPU_VMX_VMPTRLD, pa, true);
	return false;
}

static __always_inline u64 vcpu_vmx_read(unsigned long field)
{
	unsigned long value;

	vcpu_vmx_insn_goto("vmread %[field], %[value]",
			   [value] "=rm" (value), [field] "r" (field));
	return value;
fail:
	vcpu_vmx_insn_failed(VCPU_VMX_VMREAD, field, false);
	return 0;
fault:
	vcpu_vmx_insn_failed(VCPU_VMX_VMREAD, field, true);
	return 0;
}

static __always_inline void vcpu_vmx_write(unsigned long field, u64 value)
{
	vcpu_vmx_insn_goto("vmwrite %[value], %[field]", vcpu_vmx_ops(),
			   vcpu_vmx_ops([field] "r" (field), [value] "rm" (value)),
			   "memory");
	return;
fail:
	vcpu_vmx_insn_failed(VCPU_VMX_VMWRITE, field, false);
	return;
fault:
	vcpu_vmx_insn_failed(VCPU_VMX_VMWRITE, field, true);
}

struct vcpu_vmx_invept_desc {
	u64 eptp;
	u64 reserved;
};

static inline void vcpu_vmx_invept(unsigned long type, u64 eptp)
{
	struct vcpu_vmx_invept_desc desc = { eptp, 0 };

	vcpu_vmx_insn_goto("invept %[desc], %[type]", vcpu_vmx_ops(),
			   vcpu_vmx_ops([desc] "m" (desc), [type] "r" (type)),
			   "memory");
	return;
fail:
	vcpu_vmx_insn_failed(VCPU_VMX_INVEPT, type, false);
	return;
fault:
	vcpu_vmx_insn_failed(VCPU_VMX_INVEPT, type, true);
}

struct vcpu_vmx_invvpid_desc {
	u64 vpid;
	u64 gla;
};

static inline void vcpu_vmx_invvpid(unsigned long type, u16 vpid)
{
	struct vcpu_vmx_invvpid_desc desc = { vpid, 0 };

	vcpu_vmx_insn_goto("invvpid %[desc], %[type]", vcpu_vmx_ops(),
			   vcpu_vmx_ops([desc] "m" (desc), [type] "r" (type)),
			   "memory");
	return;
fail:
	vcpu_vmx_insn_failed(VCPU_VMX_INVVPID, type, false);
	return;
fault:
	vcpu_vmx_insn_failed(VCPU_VMX_INVVPID, type, true);
}

#endif /* VCPU_VMX_INSN_H */
