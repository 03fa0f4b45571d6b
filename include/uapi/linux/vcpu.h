/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vcpu: a small, strict vCPU API driven directly by the CPU's virtualization
 * extensions (AMD SVM, Intel VMX, arm64 EL2), with no KVM underneath.
 *
 *   /dev/vcpu (system fd)  VCPU_GET_API_VERSION, VCPU_CHECK_EXTENSION,
 *                          VCPU_GET_RUN_SIZE, VCPU_CREATE_VM
 *   VM fd                  VCPU_SET_MEMORY_REGION, VCPU_CREATE_VCPU,
 *                          VCPU_CHECK_EXTENSION
 *   vCPU fd                VCPU_SETUP, VCPU_BIND, VCPU_RUN and the rest;
 *                          mmap() of its shared page (struct vcpu_run)
 *
 * Every vCPU follows a state machine (enum vcpu_state) whose transitions
 * are checked; every exit of every architecture comes back in struct
 * vcpu_run.  The kernel reads the shared page once per VCPU_RUN, then
 * validates what it read: nothing userspace writes there is trusted.
 *
 * Documentation/userspace-api/vcpu/api.rst is the reference: objects and
 * fds, the state rules and their errnos, running and every exit kind with
 * its completion, and one section per ioctl (parameters, returns, errors,
 * states, architectures).  The definitions below carry kernel-doc.
 */
#ifndef _UAPI_LINUX_VCPU_H
#define _UAPI_LINUX_VCPU_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * Version 2: the ioctl magic moved from 0xAF (fsl_hypervisor's in
 * Documentation/userspace-api/ioctl/ioctl-number.rst) to 0xE1, unassigned
 * there; VCPU_CHECK_EXTENSION added; the debug-only bench floor left the
 * ABI (debugfs: vcpu/bench_floor).  Numbers 0x00-0x3F are this header's.
 */
#define VCPU_API_VERSION	2
#define VCPU_DEVICE_NAME	"vcpu"

#define VCPU_IO			0xE1

/* /dev/vcpu */
#define VCPU_GET_API_VERSION	_IO(VCPU_IO, 0x00)
#define VCPU_CREATE_VM		_IO(VCPU_IO, 0x01)
#define VCPU_GET_RUN_SIZE	_IO(VCPU_IO, 0x02)
/* /dev/vcpu and VM fd: arg = VCPU_CAP_*; 0 = not offered, > 0 = offered */
#define VCPU_CHECK_EXTENSION	_IO(VCPU_IO, 0x03)

/* VM fd */
#define VCPU_SET_MEMORY_REGION	_IOW(VCPU_IO, 0x10, struct vcpu_memory_region)
#define VCPU_CREATE_VCPU	_IO(VCPU_IO, 0x11)

/* vCPU fd */
#define VCPU_SETUP		_IOW(VCPU_IO, 0x20, struct vcpu_setup)
#define VCPU_BIND		_IO(VCPU_IO, 0x21)
#define VCPU_UNBIND		_IO(VCPU_IO, 0x22)
#define VCPU_RUN		_IO(VCPU_IO, 0x23)
#define VCPU_GET_REGS		_IOR(VCPU_IO, 0x24, struct vcpu_regs)
#define VCPU_SET_REGS		_IOW(VCPU_IO, 0x25, struct vcpu_regs)
#define VCPU_GET_ONE_REG	_IOWR(VCPU_IO, 0x26, struct vcpu_one_reg)
#define VCPU_SET_ONE_REG	_IOW(VCPU_IO, 0x27, struct vcpu_one_reg)
#define VCPU_GET_STATE		_IOR(VCPU_IO, 0x28, struct vcpu_state_info)
#define VCPU_INJECT_IRQ		_IOW(VCPU_IO, 0x29, struct vcpu_irq)
#define VCPU_KICK		_IO(VCPU_IO, 0x2a)
#define VCPU_SET_EXIT_FILTER	_IOW(VCPU_IO, 0x2b, struct vcpu_exit_filter)
#define VCPU_GET_EXIT_FILTER	_IOR(VCPU_IO, 0x2c, struct vcpu_exit_filter)
#define VCPU_GET_XSAVE		_IOR(VCPU_IO, 0x30, struct vcpu_xsave)
#define VCPU_SET_XSAVE		_IOW(VCPU_IO, 0x31, struct vcpu_xsave)
#define VCPU_GET_CPUID		_IOWR(VCPU_IO, 0x32, struct vcpu_cpuid)
#define VCPU_SET_CPUID		_IOW(VCPU_IO, 0x33, struct vcpu_cpuid)
#define VCPU_GET_EVENTS		_IOR(VCPU_IO, 0x34, struct vcpu_events)
#define VCPU_SET_EVENTS		_IOW(VCPU_IO, 0x35, struct vcpu_events)
#define VCPU_INJECT_NMI		_IO(VCPU_IO, 0x36)
#define VCPU_GET_REG_LIST	_IOWR(VCPU_IO, 0x38, struct vcpu_reg_list)

/*
 * VCPU_CHECK_EXTENSION: what this module, on this CPU, offers.  An unknown
 * capability answers 0, never an error; every feature added after API
 * version 2 gets a capability.  Values are positive where they say more
 * than "offered".
 */
#define VCPU_CAP_BACKEND	1	/* VCPU_BACKEND_*: which world switch */
#define VCPU_CAP_MAX_VCPUS	2	/* vCPUs per VM (VCPU_MAX_VCPUS) */
#define VCPU_CAP_NR_MEM_SLOTS	3	/* slots per VM (VCPU_MAX_MEM_SLOTS) */
#define VCPU_CAP_EXIT_FILTER	4	/* VCPU_SET/GET_EXIT_FILTER */
#define VCPU_CAP_REG_LIST	5	/* VCPU_GET_REG_LIST */
#define VCPU_CAP_EVENTS		6	/* VCPU_GET/SET_EVENTS */
#define VCPU_CAP_XSAVE		7	/* x86: VCPU_GET/SET_XSAVE */
#define VCPU_CAP_CPUID		8	/* x86: VCPU_GET/SET_CPUID */
#define VCPU_CAP_NMI		9	/* x86: VCPU_INJECT_NMI */
#define VCPU_CAP_MEMLOCK	10	/* regions count against RLIMIT_MEMLOCK */
#define VCPU_CAP_TSC_KHZ	11	/* x86: VCPU_REG_X86_TSC_KHZ */

/* VCPU_CAP_BACKEND */
#define VCPU_BACKEND_SVM	1	/* AMD SVM, nested paging */
#define VCPU_BACKEND_VMX	2	/* Intel VMX, EPT */
#define VCPU_BACKEND_ARM64_VHE	3	/* arm64 EL2, VHE host, stage 2 */

/* Limits */
#define VCPU_MAX_MEM_SLOTS	32
#define VCPU_MAX_VCPUS		1024	/* per VM; ids are 0..VCPU_MAX_VCPUS-1 */
#define VCPU_MAX_REGION_SIZE	(1ULL << 36)	/* 64 GiB per slot */

/*
 * VCPU_SET_MEMORY_REGION.  guest_phys_addr, memory_size and userspace_addr
 * must be page aligned (EINVAL); the range must fit the backend's
 * guest-physical address space (EINVAL) and be at most
 * VCPU_MAX_REGION_SIZE (E2BIG); it may not overlap another slot (EEXIST),
 * and an occupied slot must be deleted (memory_size 0) before reuse
 * (EEXIST); the user range must be mapped and, unless VCPU_MEM_READONLY,
 * writable (EFAULT).  Deleting an empty slot gives ENOENT.  The pages stay
 * pinned until the slot is deleted or the VM is destroyed.  A guest write to a read-only slot exits with
 * VCPU_EXIT_NESTED_PAGE_FAULT.
 */
#define VCPU_MEM_READONLY	(1U << 0)
#define VCPU_MEM_FLAGS_ALL	VCPU_MEM_READONLY

/**
 * struct vcpu_memory_region - VCPU_SET_MEMORY_REGION argument: one slot of guest-physical memory
 * @slot: slot number, 0..VCPU_MAX_MEM_SLOTS-1
 * @flags: VCPU_MEM_* (VCPU_MEM_READONLY)
 * @guest_phys_addr: guest-physical start, page aligned
 * @memory_size: bytes, page aligned, at most VCPU_MAX_REGION_SIZE; 0 deletes the slot
 * @userspace_addr: the backing memory in the caller, page aligned; pinned
 */
struct vcpu_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
};

/**
 * enum vcpu_mode - VCPU_SETUP: the mode the guest starts in
 * @VCPU_MODE_X86_REAL: 16-bit real mode, CS:IP from entry
 * @VCPU_MODE_X86_PROT32: 32-bit flat protected mode, no paging
 * @VCPU_MODE_X86_LONG64: 64-bit, paging on, CR3 = page_table
 * @VCPU_MODE_ARM64_EL1: AArch64 EL1h, MMU off
 *
 * VCPU_SETUP: the mode the guest starts in.
 */
enum vcpu_mode {
	VCPU_MODE_X86_REAL	= 1,	/* 16-bit real mode, CS:IP from entry */
	VCPU_MODE_X86_PROT32	= 2,	/* 32-bit flat protected mode, no paging */
	VCPU_MODE_X86_LONG64	= 3,	/* 64-bit, paging on, CR3 = page_table */
	VCPU_MODE_ARM64_EL1	= 4,	/* AArch64 EL1h, MMU off */
};

/*
 * Initial exit filter (see VCPU_SET_EXIT_FILTER): deliver
 * VCPU_EXIT_EXTERNAL_INTERRUPT instead of servicing it silently; handle a
 * guest HLT/WFI in the kernel (the vCPU blocks) instead of delivering HALT.
 */
#define VCPU_SETUP_F_EXIT_ON_EXTINT	(1U << 0)
#define VCPU_SETUP_F_HALT_IN_KERNEL	(1U << 1)
#define VCPU_SETUP_FLAGS_ALL		(VCPU_SETUP_F_EXIT_ON_EXTINT | \
					 VCPU_SETUP_F_HALT_IN_KERNEL)

/**
 * struct vcpu_setup - Real mode: CS.base = entry & ~0xffff, IP = entry & 0xffff; stack in SS:SP the same way (SS.base = stack & ~0xffff); both below 1 MiB (EINVAL otherwise), selectors base >> 4, limits 0xffff
 * @mode: enum vcpu_mode, the mode the guest starts in
 * @flags: VCPU_SETUP_F_*: the initial exit filter
 * @entry: the first instruction (x86 real mode: CS:IP from it)
 * @stack: the initial stack pointer
 * @page_table: x86 long64: the guest CR3; 0 otherwise
 * @arg: loaded into RDI (x86) or x0 (arm64)
 * @reserved: reserved, must be zero
 *
 * Real mode: CS.base = entry & ~0xffff, IP = entry & 0xffff; stack in
 * SS:SP the same way (SS.base = stack & ~0xffff); both below 1 MiB
 * (EINVAL otherwise), selectors base >> 4, limits 0xffff.  SETUP does not
 * check that entry or stack lie in guest memory.  Prot32/long64: flat
 * segments, RIP = entry, RSP = stack.  Long64: page_table is the guest CR3
 * (a 4-level table in guest memory); CR4.PAE, EFER.LME/LMA, CR0.PG set.
 * x86: arg is loaded into RDI; RFLAGS is 0x202 (IF set: an injected
 * interrupt is taken as soon as the guest's IDT is in place).  arm64: arg
 * into x0, stack into SP_EL1.
 * reserved[] must be zero (EINVAL).
 */
struct vcpu_setup {
	__u32 mode;
	__u32 flags;
	__u64 entry;
	__u64 stack;
	__u64 page_table;
	__u64 arg;
	__u64 reserved[3];
};

/* x86 register numbers (hardware encoding) */
enum {
	VCPU_REG_RAX, VCPU_REG_RCX, VCPU_REG_RDX, VCPU_REG_RBX,
	VCPU_REG_RSP, VCPU_REG_RBP, VCPU_REG_RSI, VCPU_REG_RDI,
	VCPU_REG_R8, VCPU_REG_R9, VCPU_REG_R10, VCPU_REG_R11,
	VCPU_REG_R12, VCPU_REG_R13, VCPU_REG_R14, VCPU_REG_R15,
};

/**
 * struct vcpu_regs - General registers
 * @gpr: general registers (see the register numbering)
 * @pc: RIP, or PC (ELR_EL2)
 * @flags: RFLAGS, or PSTATE (SPSR_EL2)
 * @reserved: reserved, must be zero
 *
 * General registers.  x86: gpr[0..15] as above, pc = RIP, flags = RFLAGS.
 * arm64: gpr[0..30] = X0..X30, gpr[31] = SP_EL1, pc = PC (ELR_EL2),
 * flags = PSTATE (SPSR_EL2).  reserved[] is returned as zero and must be
 * zero on SET_REGS (EINVAL).
 */
struct vcpu_regs {
	__u64 gpr[32];
	__u64 pc;
	__u64 flags;
	__u64 reserved[6];
};

/*
 * VCPU_GET_ONE_REG / VCPU_SET_ONE_REG ids.  An unknown id gives ENOENT.
 * x86 segment attributes use the packed AMD layout: type[3:0] S[4] DPL[6:5]
 * P[7] AVL[8] L[9] DB[10] G[11].
 */
#define VCPU_REG_ARCH_X86	(1ULL << 56)
#define VCPU_REG_ARCH_ARM64	(2ULL << 56)

#define VCPU_REG_X86_CR0	(VCPU_REG_ARCH_X86 | 0x000)
#define VCPU_REG_X86_CR2	(VCPU_REG_ARCH_X86 | 0x002)
#define VCPU_REG_X86_CR3	(VCPU_REG_ARCH_X86 | 0x003)
#define VCPU_REG_X86_CR4	(VCPU_REG_ARCH_X86 | 0x004)
#define VCPU_REG_X86_EFER	(VCPU_REG_ARCH_X86 | 0x010)
#define VCPU_REG_X86_GDTR_BASE	(VCPU_REG_ARCH_X86 | 0x020)
#define VCPU_REG_X86_GDTR_LIMIT	(VCPU_REG_ARCH_X86 | 0x021)
#define VCPU_REG_X86_IDTR_BASE	(VCPU_REG_ARCH_X86 | 0x022)
#define VCPU_REG_X86_IDTR_LIMIT	(VCPU_REG_ARCH_X86 | 0x023)
/*
 * XCR0, the guest's XFEATURE_ENABLED_MASK: 1 (x87) after VCPU_CREATE_VCPU.
 * SET takes what the guest's XSETBV would (x87 set, AVX with SSE, the
 * AVX-512 components together and with AVX, the MPX pair together, only
 * components the host saves for the guest; not AMX), else EINVAL,
 * whatever the guest's CR4.OSXSAVE.  The guest's XSETBV is handled in the
 * kernel: #UD with CR4.OSXSAVE clear, #GP at CPL > 0, for ECX != 0 or a
 * value SET would refuse.
 */
#define VCPU_REG_X86_XCR0	(VCPU_REG_ARCH_X86 | 0x040)

/*
 * x86 MSRs the kernel keeps for the guest (the hardware switches them, or
 * the kernel answers the guest's accesses), by MSR index, on both
 * vendors: STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, SYSENTER_CS/ESP/EIP
 * and PAT (the guest's RDMSR/WRMSR of them never exit).  EFER, FS_BASE and GS_BASE have their own ids.  Any other index
 * gives ENOENT; a value the hardware would refuse (a non-canonical
 * address, a reserved PAT type, SFMASK bits 63:32) EINVAL.
 */
#define VCPU_REG_X86_MSR(index)	(VCPU_REG_ARCH_X86 | 0x100000000ULL | \
				 (__u32)(index))

/*
 * The guest's time stamp counter: RDTSC/RDTSCP in the guest read the
 * host's TSC plus TSC_OFFSET (0 at creation, any 64-bit value).  TSC
 * reads as host TSC + offset now, and writing it sets the offset so that
 * the guest's TSC is that value now (save/restore).  TSC_AUX is the
 * guest's IA32_TSC_AUX (RDTSCP, RDPID; bits 63:32 zero), which guest
 * RDMSR/WRMSR reach in the kernel.  TSC_KHZ (read-only: SET gives EPERM;
 * not in VCPU_GET_REG_LIST) is the rate the guest's TSC runs at, the
 * host's calibrated TSC frequency in kHz: what a VMM tells the guest
 * (CPUID leaf 0x15, a paravirtual clock) instead of letting it calibrate
 * against emulated timers.
 */
#define VCPU_REG_X86_TSC_OFFSET	(VCPU_REG_ARCH_X86 | 0x050)
#define VCPU_REG_X86_TSC_AUX	(VCPU_REG_ARCH_X86 | 0x051)
#define VCPU_REG_X86_TSC	(VCPU_REG_ARCH_X86 | 0x052)
#define VCPU_REG_X86_TSC_KHZ	(VCPU_REG_ARCH_X86 | 0x053)

/*
 * The guest's debug registers DR0-DR3, DR6, DR7 (n 0-7; DR4 and DR5 give
 * ENOENT) and MSR_IA32_DEBUGCTL.  DR6 and DR7: bits 63:32 and the bits
 * that read as zero (DR6 bit 12; DR7 bits 11, 12, 14, 15) give EINVAL;
 * the bits that read as one (DR6 0xffff0ff0, DR7 bit 10) read back set.
 * DEBUGCTL: only BTF (bit 1), else EINVAL; on SVM it is kept, not
 * applied (no LBR virtualization).  Reset: DR0-3 0, DR6 0xffff0ff0,
 * DR7 0x400, DEBUGCTL 0.
 */
#define VCPU_REG_X86_DR(n)	(VCPU_REG_ARCH_X86 | 0x030 | (n))
#define VCPU_REG_X86_DEBUGCTL	(VCPU_REG_ARCH_X86 | 0x038)

/**
 * enum vcpu_x86_seg - x86 segment registers, in the ONE_REG segment ids
 * @VCPU_SEG_ES: ES
 * @VCPU_SEG_CS: CS
 * @VCPU_SEG_SS: SS
 * @VCPU_SEG_DS: DS
 * @VCPU_SEG_FS: FS
 * @VCPU_SEG_GS: GS
 * @VCPU_SEG_LDTR: LDTR
 * @VCPU_SEG_TR: TR
 * @VCPU_SEG_NR: the number of segment registers
 */
enum vcpu_x86_seg {
	VCPU_SEG_ES, VCPU_SEG_CS, VCPU_SEG_SS, VCPU_SEG_DS,
	VCPU_SEG_FS, VCPU_SEG_GS, VCPU_SEG_LDTR, VCPU_SEG_TR,
	VCPU_SEG_NR,
};

/**
 * enum vcpu_x86_seg_field - the fields of a segment register in its ONE_REG ids
 * @VCPU_SEG_SELECTOR: the selector
 * @VCPU_SEG_BASE: the base address
 * @VCPU_SEG_LIMIT: the limit, in bytes
 * @VCPU_SEG_ATTRIB: the attributes (type, S, DPL, P, AVL, L, D/B, G)
 */
enum vcpu_x86_seg_field {
	VCPU_SEG_SELECTOR, VCPU_SEG_BASE, VCPU_SEG_LIMIT, VCPU_SEG_ATTRIB,
};

#define VCPU_REG_X86_SEG(seg, field) \
	(VCPU_REG_ARCH_X86 | 0x100 | ((seg) << 4) | (field))

/*
 * arm64 ids: VCPU_REG_ARCH_ARM64 | class (bits 23:16) | index.
 *
 * Class 0, VCPU_REG_ARM64_SYSREG(): a register by its MRS/MSR encoding
 * (op0, op1, CRn, CRm, op2; EL2 encodings name the state EL2 keeps for
 * the guest).  One line per group below; any other encoding ENOENT.
 *   - The EL1 registers the backend switches: SCTLR, CPACR, TTBR0,
 *     TTBR1, TCR, SPSR, ELR, AFSR0, AFSR1, ESR, FAR, MAIR, AMAIR, VBAR,
 *     CONTEXTIDR, CNTKCTL, TPIDR _EL1; TPIDR_EL0, TPIDRRO_EL0, PAR_EL1,
 *     SP_EL0, SP_EL1 (also gpr[31]) and MPIDR_EL1 (bit 31 forced);
 *     CSSELR_EL1 (3,2,0,0,0), TPIDR2_EL0 (3,3,13,0,5; in the guest only
 *     on a CPU with SME, elsewhere just stored).
 *   - The EL1 virtual timer: VCPU_REG_ARM64_CNT* below.
 *   - The GICv3 virtual CPU interface: ICH_LR<n>_EL2 (3,4,12,12+n/8,n%8)
 *     for n below the implemented count, ICH_VMCR_EL2 (3,4,12,11,7),
 *     ICH_AP0R<n>_EL2 (3,4,12,8,n) and ICH_AP1R<n>_EL2 (3,4,12,9,n) for n
 *     below the implemented count (VCPU_REG_ARM64_ICH_*, below).
 *   - The self-hosted debug registers, the guest's own (its accesses are
 *     emulated in the kernel, never seen by the VMM): MDSCR_EL1
 *     (2,0,0,2,2: SS, TDCC, KDE, MDE), DBGBVR<n> / DBGBCR<n> / DBGWVR<n>
 *     / DBGWCR<n> (2,0,0,n,4..7) for n below the CPU's breakpoint and
 *     watchpoint counts (ID_AA64DFR0_EL1; others ENOENT), and the OS lock
 *     as OSLSR_EL1 (2,0,1,1,4; SET takes OSLK only).  RES0 bits: EINVAL.
 *     Reset: zero, the OS lock set.
 *   - The guest's ID registers, all of ID group 3: (3,0,0,crm,op2) for
 *     crm 1..7 (ID_PFR0_EL1 .. ID_AA64MMFR4_EL1 and the unallocated
 *     encodings), below.
 *   - FP/SIMD control: FPCR (3,3,4,4,0), FPSR (3,3,4,4,1) (below).
 *
 * Class 1, VCPU_REG_ARM64_V(n, half): FP/SIMD register Vn (n 0..31), as
 * two 64-bit halves (half 0: bits 63:0, half 1: bits 127:64).
 *
 * Class 2, VCPU_REG_ARM64_HOST_SYSREG(): the host's own value of an ID
 * register (read-only), for a VMM that builds the guest's view from the
 * real CPU rather than from the sanitised values Linux shows at EL0.
 * Ids (3,0,0,crm,op2) for crm 1..7: the value MRS reads at EL2 on the CPU
 * the call runs on; SET gives EPERM; not in VCPU_GET_REG_LIST (a restore
 * must not write it).  Any other: ENOENT.
 */
#define VCPU_REG_ARM64_CLASS(c)		((__u64)(c) << 16)
#define VCPU_REG_ARM64_CLASS_MASK	(0xffULL << 16)

#define VCPU_REG_ARM64_SYSREG(op0, op1, crn, crm, op2)			\
	(VCPU_REG_ARCH_ARM64 | ((op0) << 14) | ((op1) << 11) |		\
	 ((crn) << 7) | ((crm) << 3) | (op2))

#define VCPU_REG_ARM64_V(n, half)					\
	(VCPU_REG_ARCH_ARM64 | VCPU_REG_ARM64_CLASS(1) | ((n) << 1) | (half))

#define VCPU_REG_ARM64_HOST_SYSREG(op0, op1, crn, crm, op2)		\
	(VCPU_REG_ARM64_SYSREG(op0, op1, crn, crm, op2) |		\
	 VCPU_REG_ARM64_CLASS(2))

/*
 * The guest's FP/SIMD state: V0-V31 (VCPU_REG_ARM64_V(n, half), n 0..31),
 * FPSR and FPCR, all zero after SETUP and all in VCPU_GET_REG_LIST.  SET
 * of a RES0 bit (FPSR other than N, Z, C, V, QC, IDC and the cumulative
 * flags 4:0; FPCR other than 26:15, 13:8 and 2:0; bits 63:32 of either):
 * EINVAL.  SVE and SME are not offered (UNDEF).
 */
#define VCPU_REG_ARM64_FPCR	VCPU_REG_ARM64_SYSREG(3, 3, 4, 4, 0)
#define VCPU_REG_ARM64_FPSR	VCPU_REG_ARM64_SYSREG(3, 3, 4, 4, 1)

/*
 * The guest's GICv3 virtual CPU interface, as the last exit left it (the
 * kernel's list-register policy: VCPU_INJECT_IRQ).  Ids beyond the
 * implemented list registers (ICH_VTR_EL2.ListRegs + 1) or active
 * priority registers (1, 2 or 4, from ICH_VTR_EL2.PREbits): ENOENT; the
 * rest are in VCPU_GET_REG_LIST.
 *   LR: a virtual interrupt with no physical counterpart: state, group 1
 *     (bit 60), priority (55:48), vINTID 0..1019 (31:0).  SET refuses
 *     with EINVAL the HW bit, group 0, a vINTID above 1019, any other bit
 *     (the EOI maintenance bit 41, RES0), and a vINTID another valid LR of
 *     this vCPU holds.  An LR whose state is invalid (bits 63:62 zero)
 *     reads back as 0.  An LR only pending (not acknowledged) goes back
 *     to the interrupt queue at the next entry, as an injected one would.
 *   VMCR: VPMR, VBPR0, VBPR1, VEOIM, VCBPR, VFIQEn, VAckCtl, VENG0,
 *     VENG1; other bits EINVAL.  VFIQEn reads as one (RES1 with the system
 *     register interface).
 *   AP0R<n>, AP1R<n>: 32-bit (bits 63:32 EINVAL); the VMM restores them
 *     together with the active LRs they describe.
 */
#define VCPU_REG_ARM64_ICH_LR(n)					\
	VCPU_REG_ARM64_SYSREG(3, 4, 12, 12 + ((n) >> 3), (n) & 7)
#define VCPU_REG_ARM64_ICH_VMCR	VCPU_REG_ARM64_SYSREG(3, 4, 12, 11, 7)
#define VCPU_REG_ARM64_ICH_AP0R(n)	VCPU_REG_ARM64_SYSREG(3, 4, 12, 8, n)
#define VCPU_REG_ARM64_ICH_AP1R(n)	VCPU_REG_ARM64_SYSREG(3, 4, 12, 9, n)

/*
 * The guest's ID registers, VCPU_REG_ARM64_SYSREG(3, 0, 0, crm, op2) for
 * crm 1..7, op2 0..7 (VCPU_REG_ARM64_ID()): what the guest's MRS reads,
 * answered in the kernel (no SYSREG_READ exit).  The default, at
 * VCPU_CREATE_VCPU, is the host's system-wide sanitised value with what
 * the module does not offer hidden: SVE, SME, pointer authentication,
 * MTE, AMU, MPAM, RME, the PMU, SPE and trace, EL2 and its features,
 * AArch32 (ID_AA64PFR0_EL1.EL0 = 1, the AArch32 registers zero), WFxT;
 * ID_AA64PFR0_EL1.GIC = 1; the unallocated encodings zero.  SET takes
 * only a safe downgrade of that default, field by field: a 4-bit field
 * may be lowered (for the signed fields ID_AA64PFR0_EL1.FP and AdvSIMD,
 * ID_AA64MMFR0_EL1.TGran4 and TGran64, ID_AA64DFR0_EL1.DoubleLock in
 * two's complement order, down to 0xf, "not implemented"), never raised;
 * ID_AA64PFR0_EL1.EL0/EL1/EL2/EL3/GIC and ID_AA64DFR0_EL1.DebugVer/BRPs/
 * WRPs/CTX_CMPs must stay; anything else EINVAL.  Once the vCPU has
 * entered the guest the view is fixed: a different value gives EBUSY
 * (the same one is accepted).  All 56 are in VCPU_GET_REG_LIST.
 */
#define VCPU_REG_ARM64_ID(crm, op2)	VCPU_REG_ARM64_SYSREG(3, 0, 0, crm, op2)

/*
 * The guest's EL1 virtual timer, as the last exit left it.
 *   CNTVOFF: CNTVOFF_EL2, the VM's: SET on any vCPU sets it for every
 *     vCPU of the VM (a running one takes it at its next entry); 0 at VM
 *     creation.  The guest's counter is the host's physical count minus
 *     it.  Listed once per vCPU: setting it again is harmless.
 *   CNTV_CTL: ENABLE (bit 0), IMASK (bit 1); ISTATUS (bit 2) reads as the
 *     timer's condition now and is ignored by SET; other bits EINVAL.
 *   CNTV_CVAL: the compare value, any 64 bits.
 *   CNTVCT: the guest's counter now (host physical count - CNTVOFF); SET
 *     moves the VM's CNTVOFF so that it reads the value now.  Not in
 *     VCPU_GET_REG_LIST (CNTVOFF is what a restore sets).
 * The guest's EL1 physical timer is not offered: its accesses are SYSREG
 * exits (CNTP_CTL_EL0 3,3,14,2,1; CNTP_CVAL_EL0 3,3,14,2,2; CNTP_TVAL_EL0
 * 3,3,14,2,0).  The timer's interrupt is PPI 27, delivered by the kernel.
 */
#define VCPU_REG_ARM64_CNTVOFF		VCPU_REG_ARM64_SYSREG(3, 4, 14, 0, 3)
#define VCPU_REG_ARM64_CNTV_CTL		VCPU_REG_ARM64_SYSREG(3, 3, 14, 3, 1)
#define VCPU_REG_ARM64_CNTV_CVAL	VCPU_REG_ARM64_SYSREG(3, 3, 14, 3, 2)
#define VCPU_REG_ARM64_CNTVCT		VCPU_REG_ARM64_SYSREG(3, 3, 14, 0, 2)

/**
 * struct vcpu_one_reg - VCPU_GET_ONE_REG / VCPU_SET_ONE_REG argument: one register by id
 * @id: a VCPU_REG_* id (architecture, group and register)
 * @value: the value: out on GET, in on SET
 */
struct vcpu_one_reg {
	__u64 id;
	__u64 value;
};

/**
 * struct vcpu_reg_list - VCPU_GET_REG_LIST: every ONE_REG id this vCPU has, for a VMM that saves a vCPU without knowing the architecture's registers (save: GET_ONE_REG of each; restore: SET_ONE_REG of each, in this order, on a vCPU of the same backend)
 * @n: in: the room in @reg; out: the number of ids
 * @reg: the ids, in the order to restore them
 *
 * VCPU_GET_REG_LIST: every ONE_REG id this vCPU has, for a VMM that saves
 * a vCPU without knowing the architecture's registers (save: GET_ONE_REG
 * of each; restore: SET_ONE_REG of each, in this order, on a vCPU of the
 * same backend).  @n: in, the room in @reg; out, the number of ids.
 * E2BIG (with @n set) when the room is too small.  States as
 * VCPU_GET_REGS.  Besides these, a whole vCPU is GET/SET_REGS and, on
 * x86, the XSAVE area, the CPUID table and the pending events.
 */
struct vcpu_reg_list {
	__u64 n;
	__u64 reg[];
};

/**
 * struct vcpu_xsave - VCPU_GET_XSAVE / VCPU_SET_XSAVE (x86; ENOTTY elsewhere): the guest's x87, SSE, AVX and further XSAVE state in the standard (non-compacted) layout XSAVE writes, as KVM_GET_XSAVE has it: the 512-byte legacy area (FCW at byte 0, MXCSR at 24, XMM0 at 160), the header at 512 (XSTATE_BV first), each component at the offset CPUID leaf 0xD gives (YMM upper halves at 576)
 * @region: the XSAVE area, standard layout, 4 KiB
 *
 * VCPU_GET_XSAVE / VCPU_SET_XSAVE (x86; ENOTTY elsewhere): the guest's
 * x87, SSE, AVX and further XSAVE state in the standard (non-compacted)
 * layout XSAVE writes, as KVM_GET_XSAVE has it: the 512-byte legacy area
 * (FCW at byte 0, MXCSR at 24, XMM0 at 160), the header at 512 (XSTATE_BV
 * first), each component at the offset CPUID leaf 0xD gives (YMM upper
 * halves at 576).  A component whose XSTATE_BV bit is clear is in its
 * initial state (zeros).  The PKRU component holds the guest's PKRU.
 * GET fills XSTATE_BV with the components not in their initial state.
 * SET fails with EINVAL, changing nothing, for XSTATE_BV bits beyond x87,
 * SSE and what VCPU_REG_X86_XCR0 may enable, a non-zero XCOMP_BV or
 * reserved header bytes, or reserved MXCSR bits; it does not change XCR0.
 * The state is the guest's from VCPU_CREATE_VCPU (x87 and SSE at their
 * reset values, everything else zero) and survives every exit.
 */
struct vcpu_xsave {
	__u32 region[1024];
};

/**
 * enum vcpu_state - the states of a vCPU (VCPU_GET_STATE)
 * @VCPU_STATE_INVALID: an operation failed; only reads and close are left
 * @VCPU_STATE_CREATED: just created, not set up
 * @VCPU_STATE_FREE: set up, not bound to a CPU
 * @VCPU_STATE_READY: bound to a physical CPU, not running
 * @VCPU_STATE_RUNNING: inside VCPU_RUN
 * @VCPU_STATE_BLOCKED: inside VCPU_RUN, halted, waiting for an interrupt
 *
 * VCPU_GET_STATE
 */
enum vcpu_state {
	VCPU_STATE_INVALID	= 0,
	VCPU_STATE_CREATED	= 1,
	VCPU_STATE_FREE		= 2,
	VCPU_STATE_READY	= 3,
	VCPU_STATE_RUNNING	= 4,
	VCPU_STATE_BLOCKED	= 5,
};

#define VCPU_FAIL_REASON_LEN	64

/**
 * struct vcpu_state_info - VCPU_GET_STATE result: state, binding, last exit and failure record
 * @state: enum vcpu_state
 * @bound_cpu: physical CPU, -1 when not bound
 * @vcpu_id: the id given to VCPU_CREATE_VCPU
 * @last_exit_reason: of the last exit VCPU_RUN returned
 * @fail_errno: when Invalid: the (positive) errno
 * @fail_op: when Invalid: _IOC_NR() of the failed ioctl
 * @fail_hw_code: when Invalid: vendor code, if any
 * @exits: exits delivered to userspace
 * @fail_reason: always NUL-terminated
 */
struct vcpu_state_info {
	__u32 state;		/* enum vcpu_state */
	__s32 bound_cpu;	/* physical CPU, -1 when not bound */
	__u32 vcpu_id;
	__u32 last_exit_reason;	/* of the last exit VCPU_RUN returned */
	__s32 fail_errno;	/* when Invalid: the (positive) errno */
	__u32 fail_op;		/* when Invalid: _IOC_NR() of the failed ioctl */
	__u64 fail_hw_code;	/* when Invalid: vendor code, if any */
	__u64 exits;		/* exits delivered to userspace */
	char fail_reason[VCPU_FAIL_REASON_LEN];	/* always NUL-terminated */
};

/*
 * The exit filter (VCPU_SET_EXIT_FILTER): per exit kind, delivered to
 * userspace or handled in the kernel.  Only three kinds can be handled in
 * the kernel: HALT (the vCPU blocks until an interrupt: Blocked in
 * Documentation/userspace-api/vcpu/api.rst), EXTERNAL_INTERRUPT
 * (serviced by the host, the guest re-entered) and HYPERCALL (only
 * numbers VCPU_HC_BASE..VCPU_HC_LAST; others are always delivered).
 * Default after VCPU_CREATE_VCPU and SETUP:
 * EXTERNAL_INTERRUPT and HYPERCALL; SETUP's flags
 * VCPU_SETUP_F_EXIT_ON_EXTINT and VCPU_SETUP_F_HALT_IN_KERNEL take out
 * the first and add HALT.  It may change between runs.
 */

/**
 * enum vcpu_exit_reason - exit reasons, one numbering for every architecture
 * @VCPU_EXIT_NOTHING: nothing to do, re-run (never delivered)
 * @VCPU_EXIT_HYPERCALL: x86 VMMCALL/VMCALL, arm64 HVC/SMC
 * @VCPU_EXIT_MMIO_READ: a load from guest-physical memory without a region
 * @VCPU_EXIT_MMIO_WRITE: a store there
 * @VCPU_EXIT_SYSREG_READ: x86 RDMSR, arm64 MRS of a trapped register
 * @VCPU_EXIT_SYSREG_WRITE: x86 WRMSR, arm64 MSR of a trapped register
 * @VCPU_EXIT_IO_READ: x86 IN, INS
 * @VCPU_EXIT_IO_WRITE: x86 OUT, OUTS
 * @VCPU_EXIT_EXTERNAL_INTERRUPT: a host interrupt arrived while the guest ran
 * @VCPU_EXIT_NESTED_PAGE_FAULT: a guest access no region or decoder could serve
 * @VCPU_EXIT_HALT: x86 HLT, arm64 WFI
 * @VCPU_EXIT_CPU_UP: the guest starts another vCPU (INIT/SIPI, PSCI CPU_ON)
 * @VCPU_EXIT_CPU_DOWN: the vCPU stops itself (CLI; HLT, PSCI CPU_OFF)
 * @VCPU_EXIT_SYSTEM_DOWN: power-off or reset of the machine
 * @VCPU_EXIT_SEND_IPI: an inter-processor interrupt
 * @VCPU_EXIT_FAIL_ENTRY: the hardware refused the guest state; now Invalid
 * @VCPU_EXIT_INTR: a signal, a kick or immediate_exit ended VCPU_RUN (EINTR)
 * @VCPU_EXIT_SHUTDOWN: x86 triple fault, arm64 SError; now Invalid
 * @VCPU_EXIT_INTERNAL_ERROR: the kernel could not handle an exit
 * @VCPU_EXIT_NR: the number of exit reasons
 *
 * Exit reasons: one numbering for every architecture.
 */
enum vcpu_exit_reason {
	VCPU_EXIT_NOTHING		= 0,
	VCPU_EXIT_HYPERCALL		= 1,
	VCPU_EXIT_MMIO_READ		= 2,
	VCPU_EXIT_MMIO_WRITE		= 3,
	VCPU_EXIT_SYSREG_READ		= 4,
	VCPU_EXIT_SYSREG_WRITE		= 5,
	VCPU_EXIT_IO_READ		= 6,
	VCPU_EXIT_IO_WRITE		= 7,
	VCPU_EXIT_EXTERNAL_INTERRUPT	= 8,
	VCPU_EXIT_NESTED_PAGE_FAULT	= 9,
	VCPU_EXIT_HALT			= 10,
	VCPU_EXIT_CPU_UP		= 11,
	VCPU_EXIT_CPU_DOWN		= 12,
	VCPU_EXIT_SYSTEM_DOWN		= 13,
	VCPU_EXIT_SEND_IPI		= 14,
	VCPU_EXIT_FAIL_ENTRY		= 15,
	VCPU_EXIT_INTR			= 16,
	VCPU_EXIT_SHUTDOWN		= 17,
	VCPU_EXIT_INTERNAL_ERROR	= 18,
	VCPU_EXIT_NR,
};

/* mmio.flags */
#define VCPU_MMIO_F_HIGH_BYTE	(1U << 0)	/* x86 AH/CH/DH/BH */

/* npf.access */
#define VCPU_NPF_READ		(1U << 0)
#define VCPU_NPF_WRITE		(1U << 1)
#define VCPU_NPF_EXEC		(1U << 2)
#define VCPU_NPF_PRESENT	(1U << 3)	/* a mapping exists (permission fault) */
#define VCPU_NPF_USER		(1U << 4)	/* x86: CPL 3 access */

/* system_down.type */
#define VCPU_SYSTEM_DOWN_OFF	1
#define VCPU_SYSTEM_DOWN_RESET	2

/**
 * enum vcpu_internal_error - VCPU_EXIT_INTERNAL_ERROR suberrors (internal.suberror)
 * @VCPU_INTERNAL_UNKNOWN_EXIT: data[0..2]: code, info1, info2
 * @VCPU_INTERNAL_DECODE: reserved
 * @VCPU_INTERNAL_UNSUPPORTED: data[0..2]: code, info1, info2
 * @VCPU_INTERNAL_FETCH: instruction fetch failed: data[0] rip
 *
 * internal.suberror
 */
enum vcpu_internal_error {
	VCPU_INTERNAL_UNKNOWN_EXIT	= 1,	/* data[0..2]: code, info1, info2 */
	VCPU_INTERNAL_DECODE		= 2,	/* reserved */
	VCPU_INTERNAL_UNSUPPORTED	= 3,	/* data[0..2]: code, info1, info2 */
	VCPU_INTERNAL_FETCH		= 4,	/* instruction fetch failed: data[0] rip */
};

#define VCPU_INTERNAL_NDATA	8

/**
 * struct vcpu_exit_hypercall - VCPU_EXIT_HYPERCALL payload
 * @nr: the call number (RAX, x0)
 * @args: x86 RDI, RSI, RDX, RCX, R8, R9; arm64 x1..x6
 * @ret: in
 */
struct vcpu_exit_hypercall {
	__u64 nr;
	__u64 args[6];
	__u64 ret;			/* in */
};

/**
 * struct vcpu_exit_mmio - VCPU_EXIT_MMIO_READ / VCPU_EXIT_MMIO_WRITE payload
 * @addr: the guest-physical address accessed
 * @data: out (write) / in (read)
 * @width: 1, 2, 4 or 8 bytes accessed
 * @reg: destination register (read)
 * @reg_width: bytes of reg written (read)
 * @sign_extend: 1: sign-extend data to reg_width
 * @flags: VCPU_MMIO_F_*
 */
struct vcpu_exit_mmio {
	__u64 addr;
	__u64 data;			/* out (write) / in (read) */
	__u8 width;			/* 1, 2, 4 or 8 bytes accessed */
	__u8 reg;			/* destination register (read) */
	__u8 reg_width;			/* bytes of reg written (read) */
	__u8 sign_extend;		/* 1: sign-extend data to reg_width */
	__u32 flags;			/* VCPU_MMIO_F_* */
};

/**
 * struct vcpu_exit_sysreg - VCPU_EXIT_SYSREG_READ / VCPU_EXIT_SYSREG_WRITE payload
 * @addr: x86: MSR index; arm64: ESR ISS encoding
 * @value: out (write) / in (read)
 * @reg: arm64: Rt; x86: 0 (EDX:EAX)
 * @pad: padding, ignored
 */
struct vcpu_exit_sysreg {
	__u64 addr;			/* x86: MSR index; arm64: ESR ISS encoding */
	__u64 value;			/* out (write) / in (read) */
	__u32 reg;			/* arm64: Rt; x86: 0 (EDX:EAX) */
	__u32 pad;
};

/* io.flags */
#define VCPU_IO_F_STRING	(1U << 0)	/* INS/OUTS: data in the page */
#define VCPU_IO_F_REP		(1U << 1)	/* with a REP prefix */

/**
 * struct vcpu_exit_io - VCPU_EXIT_IO_READ / VCPU_EXIT_IO_WRITE payload (x86 port I/O)
 * @port: the I/O port
 * @width: 1, 2 or 4
 * @flags: VCPU_IO_F_*
 * @count: elements: 1 for IN/OUT
 * @data: IN/OUT: out (write) / in (read)
 * @data_offset: string: count * width bytes here
 * @pad: padding, ignored
 */
struct vcpu_exit_io {
	__u16 port;
	__u8 width;			/* 1, 2 or 4 */
	__u8 flags;			/* VCPU_IO_F_* */
	__u32 count;			/* elements: 1 for IN/OUT */
	__u64 data;			/* IN/OUT: out (write) / in (read) */
	__u32 data_offset;		/* string: count * width bytes here */
	__u32 pad;
};

/**
 * struct vcpu_exit_external_interrupt - VCPU_EXIT_EXTERNAL_INTERRUPT payload
 * @vector: host vector or IRQ number
 * @pad: padding, ignored
 */
struct vcpu_exit_external_interrupt {
	__u32 vector;			/* host vector or IRQ number */
	__u32 pad;
};

/**
 * struct vcpu_exit_npf - VCPU_EXIT_NESTED_PAGE_FAULT payload
 * @gpa: the guest-physical address that faulted
 * @gva: guest virtual address when known, else 0
 * @access: VCPU_NPF_*
 * @pad: padding, ignored
 * @hw_info: SVM EXITINFO1, VMX qualification, ESR_EL2
 * @insn_len: x86: the faulting instruction, if fetched
 * @insn: x86: the instruction bytes (insn_len of them)
 */
struct vcpu_exit_npf {
	__u64 gpa;
	__u64 gva;			/* guest virtual address when known, else 0 */
	__u32 access;			/* VCPU_NPF_* */
	__u32 pad;
	__u64 hw_info;			/* SVM EXITINFO1, VMX qualification, ESR_EL2 */
	__u8 insn_len;			/* x86: the faulting instruction, if fetched */
	__u8 insn[15];
};

/**
 * struct vcpu_exit_cpu_up - VCPU_EXIT_CPU_UP payload: the guest starts another vCPU
 * @target_cpu: x86 APIC ID, arm64 MPIDR
 * @entry_point: where the started vCPU begins (x86: SIPI vector * 4096)
 * @arg: x86 0 (real mode at entry_point); arm64 the context id for x0
 */
struct vcpu_exit_cpu_up {
	__u64 target_cpu;		/* x86 APIC ID, arm64 MPIDR */
	__u64 entry_point;
	__u64 arg;
};

/**
 * struct vcpu_exit_cpu_down - VCPU_EXIT_CPU_DOWN payload: the vCPU stops itself
 * @state: 0: the vCPU is off until started again
 */
struct vcpu_exit_cpu_down {
	__u64 state;
};

/**
 * struct vcpu_exit_system_down - VCPU_EXIT_SYSTEM_DOWN payload: power-off or reset
 * @type: VCPU_SYSTEM_DOWN_*
 * @pad: padding, ignored
 */
struct vcpu_exit_system_down {
	__u32 type;			/* VCPU_SYSTEM_DOWN_* */
	__u32 pad;
};

/**
 * struct vcpu_exit_send_ipi - VCPU_EXIT_SEND_IPI payload: an inter-processor interrupt
 * @target_cpu: the destination: x86 APIC ID (or logical destination), arm64 Aff3..Aff1 and RS
 * @target_cpu_aux: x86 the ICR low half (the whole command); arm64 the 16-bit target list
 * @send_to_all: with @send_to_self: the shorthand (all: 1/1, all but self: 1/0)
 * @send_to_self: see @send_to_all (self only: 0/1)
 * @pad: padding, ignored
 * @vector: x86 the vector (ICR[7:0]); arm64 the SGI INTID
 */
struct vcpu_exit_send_ipi {
	__u64 target_cpu;
	__u64 target_cpu_aux;
	__u8 send_to_all;
	__u8 send_to_self;
	__u16 pad;
	__u32 vector;
};

/* fail_entry.hardware_entry_failure_reason: VMRUN/VMLAUNCH faulted. */
#define VCPU_FAIL_ENTRY_FAULTED	0xfffffffeULL

/**
 * struct vcpu_exit_fail_entry - VCPU_EXIT_FAIL_ENTRY payload: the hardware refused the entry
 * @hardware_entry_failure_reason: the vendor's code, never 0 (see VCPU_EXIT_FAIL_ENTRY)
 * @cpu: the physical CPU the entry was tried on
 * @pad: padding, ignored
 */
struct vcpu_exit_fail_entry {
	__u64 hardware_entry_failure_reason;
	__u32 cpu;
	__u32 pad;
};

/**
 * struct vcpu_exit_internal - VCPU_EXIT_INTERNAL_ERROR payload: an exit the kernel could not handle
 * @suberror: enum vcpu_internal_error
 * @ndata: the number of valid @data entries
 * @data: the hardware information (see enum vcpu_internal_error)
 * @insn_len: the number of valid @insn bytes, 0 if not fetched
 * @insn: the instruction bytes, when known
 */
struct vcpu_exit_internal {
	__u32 suberror;			/* enum vcpu_internal_error */
	__u32 ndata;
	__u64 data[VCPU_INTERNAL_NDATA];
	__u8 insn_len;
	__u8 insn[15];
};

/**
 * struct vcpu_run - The shared page, mmap()ed from the vCPU fd
 * @immediate_exit: in: non-zero makes VCPU_RUN return EINTR before entering
 * @pad0: padding, ignored
 * @exit_reason: enum vcpu_exit_reason
 * @pad1: padding, ignored
 * @exit_seq: incremented at every delivered exit
 * @hypercall: VCPU_EXIT_HYPERCALL
 * @mmio: VCPU_EXIT_MMIO_READ, VCPU_EXIT_MMIO_WRITE
 * @sysreg: VCPU_EXIT_SYSREG_READ, VCPU_EXIT_SYSREG_WRITE
 * @io: VCPU_EXIT_IO_READ, VCPU_EXIT_IO_WRITE
 * @external_interrupt: VCPU_EXIT_EXTERNAL_INTERRUPT
 * @npf: VCPU_EXIT_NESTED_PAGE_FAULT
 * @cpu_up: VCPU_EXIT_CPU_UP
 * @cpu_down: VCPU_EXIT_CPU_DOWN
 * @system_down: VCPU_EXIT_SYSTEM_DOWN
 * @send_ipi: VCPU_EXIT_SEND_IPI
 * @fail_entry: VCPU_EXIT_FAIL_ENTRY
 * @internal: VCPU_EXIT_INTERNAL_ERROR
 * @padding: padding, ignored
 *
 * The shared page, mmap()ed from the vCPU fd.  The kernel writes the exit
 * fields when VCPU_RUN returns; userspace may write any byte at any time,
 * and the kernel reads only immediate_exit and the completion ("in") field
 * of the pending exit, each once per VCPU_RUN.
 */
struct vcpu_run {
	/* in */
	__u8 immediate_exit;
	__u8 pad0[7];
	/* out */
	__u32 exit_reason;		/* enum vcpu_exit_reason */
	__u32 pad1;
	__u64 exit_seq;			/* incremented at every delivered exit */
	union {
		struct vcpu_exit_hypercall hypercall;
		struct vcpu_exit_mmio mmio;
		struct vcpu_exit_sysreg sysreg;
		struct vcpu_exit_io io;
		struct vcpu_exit_external_interrupt external_interrupt;
		struct vcpu_exit_npf npf;
		struct vcpu_exit_cpu_up cpu_up;
		struct vcpu_exit_cpu_down cpu_down;
		struct vcpu_exit_system_down system_down;
		struct vcpu_exit_send_ipi send_ipi;
		struct vcpu_exit_fail_entry fail_entry;
		struct vcpu_exit_internal internal;
		__u8 padding[256];
	};
};

#define VCPU_RUN_EXIT_OFFSET	24

/*
 * The data area of string port I/O: bytes [VCPU_RUN_DATA_OFFSET,
 * VCPU_RUN_DATA_OFFSET + VCPU_RUN_DATA_SIZE) of the shared page.
 */
#define VCPU_RUN_DATA_OFFSET	1024
#define VCPU_RUN_DATA_SIZE	3072

/**
 * struct vcpu_irq - VCPU_INJECT_IRQ argument
 * @irq: x86 vector 32..255; arm64 GIC INTID 0..1019
 * @flags: must be 0
 *
 * VCPU_INJECT_IRQ.  flags must be 0 (EINVAL).
 */
struct vcpu_irq {
	__u32 irq;
	__u32 flags;
};

/*
 * VCPU_INJECT_NMI (x86; ENOTTY elsewhere): an NMI for the vCPU, from any
 * thread, on a Ready, Running or Blocked vCPU (like VCPU_INJECT_IRQ).  The
 * vCPU latches one: NMIs injected while one is still pending collapse into
 * it, as the hardware's NMI latch does.  It is delivered, before any queued
 * interrupt, at the first entry where the guest does not block NMIs: not
 * while the guest is in its NMI handler (from the delivery of the last
 * NMI until its IRET completes), not in an STI or MOV SS shadow, not
 * while another event is being delivered.  It wakes a HLT, whatever
 * RFLAGS.IF.  A separate call rather than a flag of VCPU_INJECT_IRQ: an
 * NMI is not a vector in the interrupt queue (one latch, not a bitmap,
 * its own blocking rule), and arm64 has no such event.
 *
 * VCPU_GET_EVENTS / VCPU_SET_EVENTS: the vCPU's pending-event state, for
 * save/restore and for exceptions from the VMM, in Free and Ready (GET
 * also when Invalid).  Like KVM_GET/SET_VCPU_EVENTS.  struct vcpu_events
 * has an architecture-neutral head (flags) and a per-architecture part
 * (x86, arm64).
 *
 * x86 (struct vcpu_x86_events):
 *   injected: the event in delivery, delivered first at the next entry:
 *     an event whose delivery an exit interrupted (EXITINTINFO, IDT-
 *     vectoring information), or one the kernel or the VMM put there and
 *     the guest has not run since.  VCPU_X86_EVENT_NONE, _EXCEPTION
 *     (injected_vector, with injected_error when injected_has_error),
 *     _INTERRUPT (an external interrupt, taken from the queue already),
 *     _NMI, or _SOFT (a software interrupt or exception, INT n/INT3/INTO,
 *     interrupted in delivery: reported by GET, refused by SET, which can
 *     only restart the instruction: EINVAL).  GET normalises the vendor's
 *     encoding (EVENTINJ, VM-entry interruption information) into these.
 *   exception_*: an exception the VMM asks for, not begun yet: delivered
 *     at the next entry once no event is in delivery (an event in delivery
 *     and a pending exception at once: EBUSY).  exception_vector 0..31
 *     but not 2 (NMI: VCPU_INJECT_NMI), 15, 22..27 or 31 (EINVAL);
 *     exception_has_error only for 8, 10..14, 17, 21, 29, 30 (the vectors
 *     that push an error code) and then required (EINVAL otherwise).
 *     exception_has_payload: #PF (14): the payload is the faulting address,
 *     loaded into CR2 as the exception is delivered; #DB (1): the DR6 bits
 *     (accepted; applied once the debug-register state exists); EINVAL for
 *     any other vector.  The same checks apply to injected_* of type
 *     _EXCEPTION (2 is refused there too: use _NMI).
 *   nmi_pending: an NMI latched (VCPU_INJECT_NMI), not yet delivered.
 *   nmi_masked: the guest blocks NMIs (in its handler until IRET).
 *   shadow: VCPU_X86_SHADOW_STI / _MOV_SS, the interrupt shadow of the
 *     instruction just executed (nothing else may be set: EINVAL); an STI
 *     shadow with RFLAGS.IF clear is dropped at entry, as no STI made it.
 *   flags (SET): VCPU_X86_EVENTS_INJECTED applies injected*,
 *     _EXCEPTION exception_*, _NMI nmi_pending and nmi_masked, _SHADOW
 *     shadow; other parts stay.  GET sets all four.  Unknown flags,
 *     non-zero padding or reserved fields, values above 1 in the booleans,
 *     an unknown injected type: EINVAL.
 */
#define VCPU_X86_EVENT_NONE		0
#define VCPU_X86_EVENT_EXCEPTION	1
#define VCPU_X86_EVENT_INTERRUPT	2
#define VCPU_X86_EVENT_NMI		3
#define VCPU_X86_EVENT_SOFT		4

#define VCPU_X86_SHADOW_STI		(1U << 0)
#define VCPU_X86_SHADOW_MOV_SS		(1U << 1)

#define VCPU_X86_EVENTS_INJECTED	(1U << 0)
#define VCPU_X86_EVENTS_EXCEPTION	(1U << 1)
#define VCPU_X86_EVENTS_NMI		(1U << 2)
#define VCPU_X86_EVENTS_SHADOW		(1U << 3)

/**
 * struct vcpu_x86_events - the x86 part of struct vcpu_events
 * @injected: VCPU_X86_EVENT_*
 * @injected_vector: the vector of the event in delivery
 * @injected_has_error: the event in delivery pushes @injected_error
 * @pad0: padding, ignored
 * @injected_error: its error code
 * @exception_pending: an exception the VMM asked for, not begun yet
 * @exception_vector: its vector
 * @exception_has_error: it pushes @exception_error
 * @exception_has_payload: it carries @exception_payload (#PF: CR2; #DB: DR6 bits)
 * @exception_error: its error code
 * @exception_payload: its payload
 * @nmi_pending: an NMI is latched, not yet delivered
 * @nmi_masked: the guest blocks NMIs (in its handler until IRET)
 * @shadow: VCPU_X86_SHADOW_*
 * @pad1: padding, ignored
 * @reserved: reserved, must be zero
 */
struct vcpu_x86_events {
	__u8 injected;			/* VCPU_X86_EVENT_* */
	__u8 injected_vector;
	__u8 injected_has_error;
	__u8 pad0;
	__u32 injected_error;
	__u8 exception_pending;
	__u8 exception_vector;
	__u8 exception_has_error;
	__u8 exception_has_payload;
	__u32 exception_error;
	__u64 exception_payload;
	__u8 nmi_pending;
	__u8 nmi_masked;
	__u8 shadow;			/* VCPU_X86_SHADOW_* */
	__u8 pad1[5];
	__u64 reserved[4];
};

/*
 * arm64 (struct vcpu_arm64_events), exceptions into the guest's EL1:
 *   exception_*: a synchronous exception the VMM asks for, taken at the
 *     next entry as the architecture takes one (AArch64.TakeException):
 *     ELR_EL1 = the PC, SPSR_EL1 = the PSTATE, ESR_EL1 = exception_esr,
 *     FAR_EL1 = exception_far when exception_has_far, PSTATE EL1h with
 *     D, A, I, F masked (PAN set when SCTLR_EL1.SPAN is 0, SSBS from
 *     SCTLR_EL1.DSSBS, NZCV and DIT kept, the rest clear), PC = VBAR_EL1
 *     + 0x000 (from EL1t), 0x200 (from EL1h) or 0x400 (from EL0).  The
 *     ESR is the whole ESR_EL1: IL (bit 25) set, bits 63:32 zero, an EC
 *     of UNKNOWN (0x00, ISS zero), instruction abort (0x20/0x21), PC
 *     alignment (0x22), data abort (0x24/0x25), SP alignment (0x26),
 *     breakpoint (0x30/0x31), software step (0x32/0x33), watchpoint
 *     (0x34/0x35) or BRK (0x3c); else EINVAL.  For the pairs, the kernel
 *     writes the "lower EL" EC when the guest is at EL0 at the time and
 *     the "same EL" one otherwise, whichever of the two was given.
 *     exception_has_far only with the aborts, PC alignment and
 *     watchpoints (EINVAL otherwise); without it FAR_EL1 keeps its value.
 *     SET with VCPU_ARM64_EVENTS_EXCEPTION replaces a pending exception
 *     (exception_pending 0 withdraws it).  Set right after an exit for
 *     an instruction the VMM emulates (HYPERCALL, MMIO_READ/WRITE,
 *     SYSREG_READ/WRITE, SEND_IPI) with the PC still past it, the
 *     exception is that instruction's: the PC goes back to it (GET_REGS
 *     shows it; ELR_EL1 will be it) and the exit's completion is dropped
 *     (no register is written), as when an instruction faults.  A pending exception ends a
 *     WFI, like an interrupt.
 *   serror_*: a virtual SError (HCR_EL2.VSE): taken by the guest once it
 *     unmasks PSTATE.A (pending until then, across exits: GET reports it
 *     until the guest took it), at VBAR_EL1 + 0x180 / 0x380 / 0x580;
 *     it ends a WFI.  serror_has_esr (only when the CPU has RAS,
 *     ID_AA64PFR0_EL1.RAS, else EINVAL): serror_esr is the syndrome,
 *     ESR_EL1 bits 24:0 (IDS and ISS; with IDS clear the ISS bits that
 *     are RES0 must be zero: EINVAL); ESR_EL1 is then EC 0x2f, IL and
 *     serror_esr.  Without serror_has_esr the syndrome is IMPLEMENTATION
 *     DEFINED (IDS set, ISS zero, with RAS).
 *   flags (SET): VCPU_ARM64_EVENTS_EXCEPTION applies exception_*,
 *     _SERROR serror_*; GET sets both.  Unknown flags, non-zero padding
 *     or reserved fields, values above 1 in the booleans, fields given
 *     without their pending flag: EINVAL.
 */
#define VCPU_ARM64_EVENTS_EXCEPTION	(1U << 0)
#define VCPU_ARM64_EVENTS_SERROR	(1U << 1)

/**
 * struct vcpu_arm64_events - the arm64 part of struct vcpu_events
 * @exception_pending: a synchronous exception the VMM asked for, not taken yet
 * @exception_has_far: @exception_far is loaded into FAR_EL1
 * @serror_pending: a virtual SError is pending (HCR_EL2.VSE)
 * @serror_has_esr: @serror_esr is its syndrome (VSESR_EL2, RAS)
 * @pad0: padding, ignored
 * @exception_esr: the whole ESR_EL1 of the exception
 * @exception_far: its FAR_EL1
 * @serror_esr: the SError syndrome
 * @reserved: reserved, must be zero
 */
struct vcpu_arm64_events {
	__u8 exception_pending;
	__u8 exception_has_far;
	__u8 serror_pending;
	__u8 serror_has_esr;
	__u32 pad0;
	__u64 exception_esr;
	__u64 exception_far;
	__u64 serror_esr;
	__u64 reserved[4];
};

/**
 * struct vcpu_events - VCPU_GET_EVENTS / VCPU_SET_EVENTS argument: pending events
 * @flags: SET: the parts it applies
 * @pad: padding, ignored
 * @x86: x86 events
 * @arm64: arm64 events
 * @arch: the size of the per-architecture part
 */
struct vcpu_events {
	__u32 flags;			/* SET: the parts it applies */
	__u32 pad;
	union {
		struct vcpu_x86_events x86;
		struct vcpu_arm64_events arm64;
		__u8 arch[120];
	};
};

/**
 * struct vcpu_exit_filter - VCPU_SET_EXIT_FILTER / VCPU_GET_EXIT_FILTER argument
 * @in_kernel: bit (1 << kind) for each exit kind handled in the kernel
 * @flags: must be 0
 * @reserved: reserved, must be zero
 *
 * VCPU_SET_EXIT_FILTER / VCPU_GET_EXIT_FILTER.  in_kernel has bit
 * (1 << kind) set for every exit kind the kernel handles itself instead of
 * delivering it; only the kinds in VCPU_EXIT_FILTER_KERNEL may be set
 * (EINVAL otherwise, as for non-zero flags or reserved[]).
 */
struct vcpu_exit_filter {
	__u32 in_kernel;
	__u32 flags;
	__u64 reserved[3];
};

#define VCPU_EXIT_FILTER_KERNEL	((1U << VCPU_EXIT_HYPERCALL) |		\
				 (1U << VCPU_EXIT_EXTERNAL_INTERRUPT) |	\
				 (1U << VCPU_EXIT_HALT))

/*
 * Hypercall numbers the kernel answers itself while VCPU_EXIT_HYPERCALL is
 * in the filter's in_kernel set (the default).  Any other number in
 * [VCPU_HC_BASE, VCPU_HC_LAST] returns VCPU_HC_ENOSYS to the guest.
 */
#define VCPU_HC_BASE		0x56430000ULL
#define VCPU_HC_PING		(VCPU_HC_BASE + 0)	/* ret = args[0] + 1 */
#define VCPU_HC_LAST		(VCPU_HC_BASE + 0xff)
#define VCPU_HC_ENOSYS		(~0ULL)

/*
 * VCPU_SET_CPUID / VCPU_GET_CPUID (x86 only; arm64: ENOTTY): the table the
 * guest's CPUID instruction is answered from, in the kernel, without an
 * exit.  Each vCPU starts with the default table: the host's values minus
 * what this module does not virtualize (VMX, SVM and leaf 0x8000000A,
 * SMX, MONITOR/MWAIT/MONITORX and leaf 5, the PMU: leaf 0xA, PDCM, DS,
 * the AMD performance counter extensions, IBS and leaf 0x80000022; PKU,
 * whose PKRU is not switched yet; TSC deadline, whose MSR goes to the
 * VMM; XSAVES and supervisor states, XFD and AMX; CET; SGX, PT, RDT/PQM;
 * leaf 6 but ARAT; on VMX also WAITPKG, and RDTSCP, RDPID and INVPCID
 * when the CPU cannot let the guest run them), with the hypervisor bit
 * (leaf 1 ECX[31]) set and leaf 0x40000000 = { EAX 0x40000000, the
 * highest hypervisor leaf; EBX, ECX, EDX "VcpuVcpuVcpu" }.  Leaf 0xD
 * describes the XCR0 bits offered (the host's XCR0 minus PKRU and AMX).
 *
 * An entry answers CPUID with EAX = function and, when flags has
 * VCPU_CPUID_F_SIGNIFICANT_INDEX, ECX = index; without it, any ECX.  A
 * function/index pair no entry matches returns zeros in EAX, EBX, ECX and
 * EDX, above the highest leaf too (AMD's rule, on either vendor).  Some
 * fields are the vCPU's own, filled when the guest executes CPUID
 * whatever the table says: leaf 1 EBX[31:24] (initial APIC ID) = vCPU id
 * & 0xff; leaves 0xB and 0x1F EDX (x2APIC ID) = vCPU id; leaf 1 ECX[27]
 * OSXSAVE and leaf 7 index 0 ECX[4] OSPKE = CR4.OSXSAVE and CR4.PKE;
 * leaf 0xD index 0 EBX and index 1 EBX = the XSAVE area size for the
 * enabled state components.
 *
 * The table also decides CR4: a CR4 bit whose feature the table hides
 * (or this module does not virtualize, whatever the table) is reserved:
 * the guest's MOV to CR4 setting it takes #GP, and SET_ONE_REG(CR4)
 * setting it fails with EINVAL.  Reserved: VMXE and SMXE always, OSXSAVE
 * without XSAVE, PKE without PKU, FSGSBASE, UMIP, LA57, PCIDE, SMEP,
 * SMAP, CET, OSFXSR, OSXMMEXCPT, DE, PSE, PAE, PGE, MCE, TSD, VME, PVI
 * without their CPUID bit.  SET_CPUID fails with EINVAL when the current
 * CR4 has a bit the new table reserves.
 *
 * SET_CPUID: nent entries (at most VCPU_CPUID_MAX_ENTRIES, else E2BIG),
 * flags 0, each entry's flags only VCPU_CPUID_F_SIGNIFICANT_INDEX and
 * reserved[] zero, no two entries for the same function and index, nor
 * for the same function when either has no significant index (EINVAL).
 * The whole table is replaced.  GET_CPUID: nent is the capacity of
 * entries[] on input and the table's size on output; E2BIG (nent updated,
 * nothing else written) when it is too small.
 */
#define VCPU_CPUID_MAX_ENTRIES		256
#define VCPU_CPUID_F_SIGNIFICANT_INDEX	(1U << 0)
#define VCPU_CPUID_HV_SIGNATURE		"VcpuVcpuVcpu"

/**
 * struct vcpu_cpuid_entry - one CPUID leaf of the table (x86)
 * @function: the leaf (EAX)
 * @index: the subleaf (ECX), when VCPU_CPUID_F_SIGNIFICANT_INDEX
 * @flags: VCPU_CPUID_F_*
 * @eax: EAX returned
 * @ebx: EBX returned
 * @ecx: ECX returned
 * @edx: EDX returned
 * @reserved: reserved, must be zero
 */
struct vcpu_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;			/* VCPU_CPUID_F_* */
	__u32 eax, ebx, ecx, edx;
	__u32 reserved[3];
};

/**
 * struct vcpu_cpuid - VCPU_SET_CPUID / VCPU_GET_CPUID argument: the CPUID table (x86)
 * @nent: SET: the entries; GET: in the capacity, out the table size
 * @flags: must be 0
 * @entries: the leaves
 */
struct vcpu_cpuid {
	__u32 nent;
	__u32 flags;
	struct vcpu_cpuid_entry entries[];
};

/* The ABI is fixed: these hold on every architecture and compiler. */
#ifdef __cplusplus
#define VCPU_ABI_ASSERT(e, m)	static_assert(e, m)
#else
#define VCPU_ABI_ASSERT(e, m)	_Static_assert(e, m)
#endif
VCPU_ABI_ASSERT(sizeof(struct vcpu_memory_region) == 32, "memory_region");
VCPU_ABI_ASSERT(sizeof(struct vcpu_setup) == 64, "setup");
VCPU_ABI_ASSERT(sizeof(struct vcpu_regs) == 320, "regs");
VCPU_ABI_ASSERT(sizeof(struct vcpu_one_reg) == 16, "one_reg");
VCPU_ABI_ASSERT(sizeof(struct vcpu_state_info) == 104, "state_info");
VCPU_ABI_ASSERT(sizeof(struct vcpu_exit_hypercall) == 64, "hypercall");
VCPU_ABI_ASSERT(sizeof(struct vcpu_exit_mmio) == 24, "mmio");
VCPU_ABI_ASSERT(sizeof(struct vcpu_exit_io) == 24, "io");
VCPU_ABI_ASSERT(sizeof(struct vcpu_irq) == 8, "irq");
VCPU_ABI_ASSERT(sizeof(struct vcpu_exit_filter) == 32, "exit_filter");
VCPU_ABI_ASSERT(sizeof(struct vcpu_xsave) == 4096, "xsave");
VCPU_ABI_ASSERT(sizeof(struct vcpu_cpuid_entry) == 40, "cpuid_entry");
VCPU_ABI_ASSERT(sizeof(struct vcpu_cpuid) == 8, "cpuid");
VCPU_ABI_ASSERT(sizeof(struct vcpu_x86_events) == 64, "x86_events");
VCPU_ABI_ASSERT(sizeof(struct vcpu_arm64_events) == 64, "arm64_events");
VCPU_ABI_ASSERT(sizeof(struct vcpu_events) == 128, "events");
VCPU_ABI_ASSERT(sizeof(struct vcpu_run) <= VCPU_RUN_DATA_OFFSET &&
		VCPU_RUN_DATA_OFFSET + VCPU_RUN_DATA_SIZE == 4096, "data");
VCPU_ABI_ASSERT(sizeof(struct vcpu_exit_npf) == 48, "npf");
VCPU_ABI_ASSERT(sizeof(struct vcpu_exit_send_ipi) == 24, "send_ipi");
VCPU_ABI_ASSERT(sizeof(struct vcpu_exit_internal) == 88, "internal");
VCPU_ABI_ASSERT(sizeof(struct vcpu_run) == VCPU_RUN_EXIT_OFFSET + 256, "run");
VCPU_ABI_ASSERT(__builtin_offsetof(struct vcpu_run, exit_reason) == 8, "run");
VCPU_ABI_ASSERT(__builtin_offsetof(struct vcpu_run, hypercall) ==
		VCPU_RUN_EXIT_OFFSET, "run");

#endif /* _UAPI_LINUX_VCPU_H */
