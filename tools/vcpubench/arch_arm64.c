// SPDX-License-Identifier: GPL-2.0
/*
 * vcpubench on arm64: AArch64 guest code at BENCH_ENTRY, run at EL1h with
 * the MMU off (VCPU_MODE_ARM64_EL1; the same state is given to KVM's vCPU),
 * hand encoded below as little-endian instruction words.
 *
 * User exit: a 32-bit store to BENCH_MMIO, an IPA outside guest memory:
 * a stage-2 data abort with a valid syndrome, which both implementations
 * turn into an MMIO write exit to userspace (VCPU_EXIT_MMIO_WRITE /
 * KVM_EXIT_MMIO with is_write).  In-kernel exit: HVC #0 with x0 =
 * PSCI_VERSION, which the module (arch/arm64/psci.c, EL2_PSCI_ANSWER) and
 * KVM (with KVM_ARM_VCPU_PSCI_0_2) both answer without leaving the kernel.
 *
 * Register conventions of the guest code: x0 holds the SMCCC function id
 * of each HVC and is reloaded before every HVC (the answer comes back in
 * x0: PSCI_VERSION returns the version, KVM's unknown-function answer is
 * NOT_SUPPORTED, and a module HYPERCALL exit writes run->hypercall.ret to
 * x0).  x1..x17 are not used across an HVC: KVM zeroes x1..x3 with every
 * answer and SMCCC 1.0 leaves x4..x17 unpredictable; the loop state lives
 * in x19 (the MMIO address) and x20 (the HVC counter), which SMCCC
 * preserves.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "arch.h"

/* An IPA with no memory behind it: every access is an MMIO exit. */
#define BENCH_MMIO		0x10000000ULL
/* SMCCC function id of PSCI_VERSION (fast call, SMC32, standard service). */
#define BENCH_PSCI_VERSION	0x84000000U
/*
 * The floor's hypercall number: bit 31 clear (a yielding call of the Arm
 * architecture service), outside every range either implementation
 * defines, so it is not PSCI for the module (a HYPERCALL exit) and KVM
 * answers it with NOT_SUPPORTED in the kernel.
 */
#define BENCH_HYPERCALL_NR	0x5a5a

/* PSTATE of the guest: EL1h (SP_EL1), D, A, I and F masked. */
#define BENCH_PSTATE		(PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | \
				 PSR_I_BIT | PSR_F_BIT)

/* The registers of the loops (see above). */
#define R_X0			0
#define R_MMIO			19
#define R_COUNT			20
#define R_ZR			31	/* WZR/XZR where Rt names a GPR */

#define COND_NE			0x1

const char bench_arch_user_label[] = "user exit (STR -> MMIO_WRITE, resume)";
const char bench_arch_kernel_label[] = "kernel exit (HVC PSCI_VERSION, in kernel)";

/* ---- A64 encodings (Arm ARM, "A64 Instruction Set Encoding") ------------- */

/* MOVZ Xd, #imm16, LSL #(16 * hw): sf=1 opc=10 100101 hw imm16 Rd */
static uint32_t a64_movz(unsigned int rd, uint16_t imm, unsigned int hw)
{
	return 0xd2800000U | hw << 21 | (uint32_t)imm << 5 | rd;
}

/* MOVK Xd, #imm16, LSL #(16 * hw): sf=1 opc=11 100101 hw imm16 Rd */
static uint32_t a64_movk(unsigned int rd, uint16_t imm, unsigned int hw)
{
	return 0xf2800000U | hw << 21 | (uint32_t)imm << 5 | rd;
}

/* STR Wt, [Xn]: size=10 111 0 01 opc=00 imm12=0 Rn Rt (unsigned offset) */
static uint32_t a64_str_w(unsigned int rt, unsigned int rn)
{
	return 0xb9000000U | rn << 5 | rt;
}

/* SUBS Xd, Xn, #imm12: sf=1 op=1 S=1 100010 sh=0 imm12 Rn Rd */
static uint32_t a64_subs_imm(unsigned int rd, unsigned int rn, unsigned int imm)
{
	return 0xf1000000U | (imm & 0xfff) << 10 | rn << 5 | rd;
}

/* HVC #imm16: 11010100 000 imm16 000 10 */
static uint32_t a64_hvc(uint16_t imm)
{
	return 0xd4000002U | (uint32_t)imm << 5;
}

/* B <PC + 4 * off>: 000101 imm26 */
static uint32_t a64_b(int off)
{
	return 0x14000000U | ((uint32_t)off & 0x3ffffff);
}

/* B.cond <PC + 4 * off>: 0101010 0 imm19 0 cond */
static uint32_t a64_b_cond(unsigned int cond, int off)
{
	return 0x54000000U | ((uint32_t)off & 0x7ffff) << 5 | cond;
}

/* LDR Wt, <PC + 4 * off> (literal): opc=00 011 V=0 00 imm19 Rt */
static uint32_t a64_ldr_w_lit(unsigned int rt, int off)
{
	return 0x18000000U | ((uint32_t)off & 0x7ffff) << 5 | rt;
}

/* A run of instruction words written to guest memory, little endian. */
struct a64_code {
	uint8_t *p;
	int n;			/* words emitted so far */
};

static int emit(struct a64_code *c, uint32_t insn)
{
	uint8_t *w = c->p + 4 * c->n;

	w[0] = insn;
	w[1] = insn >> 8;
	w[2] = insn >> 16;
	w[3] = insn >> 24;
	return c->n++;
}

/* Branch offsets in words from the word about to be emitted to @target. */
static int back_to(const struct a64_code *c, int target)
{
	return target - c->n;
}

/* Xd = BENCH_MMIO (0x10000000: MOVZ Xd, #0x1000, LSL #16) */
static void emit_mmio_addr(struct a64_code *c, unsigned int rd)
{
	emit(c, a64_movz(rd, (BENCH_MMIO >> 16) & 0xffff, 1));
	if (BENCH_MMIO >> 32)
		emit(c, a64_movk(rd, (BENCH_MMIO >> 32) & 0xffff, 2));
}

/* ---- guest code --------------------------------------------------------- */

/*
 * The filler is LDR WZR, [PC + 512 KiB] (0x1840001f): whatever word of
 * guest memory a stray branch or an exception vector (VBAR_EL1 starts at 0 in
 * both implementations) lands on, it loads from an IPA between 512 KiB and
 * 576 KiB, past the 64 KiB of guest memory: a stage-2 data abort with a
 * valid syndrome, which both implementations return to userspace as an
 * MMIO read (at an address that is not BENCH_MMIO), so vcpubench stops
 * with "unexpected exit" instead of spinning.  The load targets WZR and
 * changes no guest state.  The alternatives do not stop:
 * "b ." spins in the guest for ever; HVC #0 is answered inside KVM, which
 * then walks off the end of memory and injects the instruction abort back
 * into the guest (at vector 0x200, i.e. the filler again); WFI blocks
 * inside KVM with no timer armed; UDF (zeroed memory) is taken at EL1,
 * again to the filler.
 */
void bench_arch_fill(uint8_t *mem, size_t len)
{
	struct a64_code c = { mem, 0 };
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		emit(&c, a64_ldr_w_lit(R_ZR, (512 << 10) / 4));
}

/*
 *	movz	x19, #0x1000, lsl #16	// x19 = BENCH_MMIO
 * 1:	str	w0, [x19]		// MMIO write: the user exit
 *	b	1b
 */
void bench_arch_guest_user(uint8_t *mem)
{
	struct a64_code c = { mem + BENCH_ENTRY, 0 };
	int top;

	emit_mmio_addr(&c, R_MMIO);
	top = emit(&c, a64_str_w(R_X0, R_MMIO));
	emit(&c, a64_b(back_to(&c, top)));
}

/*
 *	movz	x19, #0x1000, lsl #16	// x19 = BENCH_MMIO
 * 1:	movz	x20, #k			// k in 1..65535 (vcpubench checks)
 * 2:	movz	x0, #0x8400, lsl #16	// x0 = PSCI_VERSION
 *	hvc	#0			// answered in the kernel
 *	subs	x20, x20, #1
 *	b.ne	2b
 *	str	w0, [x19]		// MMIO write: the user exit
 *	b	1b
 */
void bench_arch_guest_kernel(uint8_t *mem, int k)
{
	struct a64_code c = { mem + BENCH_ENTRY, 0 };
	int top, inner;

	emit_mmio_addr(&c, R_MMIO);
	top = emit(&c, a64_movz(R_COUNT, (uint16_t)k, 0));
	inner = emit(&c, a64_movz(R_X0, BENCH_PSCI_VERSION >> 16, 1));
	emit(&c, a64_hvc(0));
	emit(&c, a64_subs_imm(R_COUNT, R_COUNT, 1));
	emit(&c, a64_b_cond(COND_NE, back_to(&c, inner)));
	emit(&c, a64_str_w(R_X0, R_MMIO));
	emit(&c, a64_b(back_to(&c, top)));
}

/*
 * 1:	movz	x0, #0x5a5a		// not a PSCI id: a HYPERCALL exit
 *	hvc	#0			// x0 comes back overwritten
 *	b	1b
 */
void bench_arch_guest_hypercall(uint8_t *mem)
{
	struct a64_code c = { mem + BENCH_ENTRY, 0 };
	int top;

	top = emit(&c, a64_movz(R_X0, BENCH_HYPERCALL_NR, 0));
	emit(&c, a64_hvc(0));
	emit(&c, a64_b(back_to(&c, top)));
}

/* ---- /dev/vcpu ------------------------------------------------------------ */

void bench_arch_vcpu_setup(struct vcpu_setup *s)
{
	s->mode = VCPU_MODE_ARM64_EL1;	/* EL1h, DAIF masked, MMU off */
	s->entry = BENCH_ENTRY;
	s->stack = BENCH_STACK;		/* SP_EL1 */
}

int bench_arch_vcpu_user_exit(const struct vcpu_run *run)
{
	return run->exit_reason == VCPU_EXIT_MMIO_WRITE &&
	       run->mmio.addr == BENCH_MMIO && run->mmio.width == 4;
}

/* ---- /dev/kvm ------------------------------------------------------------- */

#define KVM_CORE_REG(name)						\
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |		\
	 KVM_REG_ARM_CORE_REG(name))

static int kvm_set_core(int vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	return ioctl(vcpu, KVM_SET_ONE_REG, &reg);
}

/*
 * The host's preferred target with PSCI 0.2 (KVM then offers its latest
 * PSCI, 1.x, and answers PSCI_VERSION in the kernel), then the state
 * VCPU_MODE_ARM64_EL1 gives: PC = BENCH_ENTRY, EL1h with DAIF masked,
 * SP_EL1 = BENCH_STACK.  A reset vCPU already has its MMU off.
 */
int bench_arch_kvm_vcpu_init(int vm, int vcpu)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init))
		return -1;
	init.features[KVM_ARM_VCPU_PSCI_0_2 / 32] |=
		1U << (KVM_ARM_VCPU_PSCI_0_2 % 32);
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init))
		return -1;
	if (kvm_set_core(vcpu, KVM_CORE_REG(regs.pc), BENCH_ENTRY) ||
	    kvm_set_core(vcpu, KVM_CORE_REG(regs.pstate), BENCH_PSTATE) ||
	    kvm_set_core(vcpu, KVM_CORE_REG(sp_el1), BENCH_STACK))
		return -1;
	return 0;
}

int bench_arch_kvm_user_exit(const struct kvm_run *run)
{
	return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
	       run->mmio.phys_addr == BENCH_MMIO && run->mmio.len == 4;
}
