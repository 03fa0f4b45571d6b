// SPDX-License-Identifier: GPL-2.0
/*
 * vcpubench on x86: 16-bit real-mode guest code at BENCH_ENTRY, hand
 * assembled.  User exit: OUT to port 0x80 (IO_WRITE / KVM_EXIT_IO).  In-kernel
 * exit: RDMSR of EFER, which both this module and KVM answer in the kernel.
 */
#include <cpuid.h>
#include <string.h>
#include <sys/ioctl.h>

#include "arch.h"

const char bench_arch_user_label[] = "user exit (OUT -> IO_WRITE, resume)";
const char bench_arch_kernel_label[] = "kernel exit (RDMSR EFER, in kernel)";

void bench_arch_fill(uint8_t *mem, size_t len)
{
	memset(mem, 0xf4, len);		/* hlt */
}

void bench_arch_guest_user(uint8_t *mem)
{
	/* out %al,$0x80; jmp .-2 */
	static const uint8_t code[] = { 0xe6, 0x80, 0xeb, 0xfc };

	memcpy(mem + BENCH_ENTRY, code, sizeof(code));
}

/*
 * mov $0xc0000080,%ecx; top: mov $K,%si; inner: rdmsr; dec %si; jnz inner;
 * out %al,$0x80; jmp top
 */
void bench_arch_guest_kernel(uint8_t *mem, int k)
{
	uint8_t *p = mem + BENCH_ENTRY;
	size_t n = 0, top, inner;

	memcpy(p + n, "\x66\xb9\x80\x00\x00\xc0", 6);
	n += 6;
	top = n;
	p[n++] = 0xbe;				/* mov $k,%si */
	p[n++] = k & 0xff;
	p[n++] = (k >> 8) & 0xff;
	inner = n;
	p[n++] = 0x0f;				/* rdmsr */
	p[n++] = 0x32;
	p[n++] = 0x4e;				/* dec %si */
	p[n++] = 0x75;				/* jnz inner */
	p[n] = (uint8_t)(inner - (n + 1));
	n++;
	p[n++] = 0xe6;				/* out %al,$0x80 */
	p[n++] = 0x80;
	p[n++] = 0xeb;				/* jmp top */
	p[n] = (uint8_t)(top - (n + 1));
}

/* The vendor's own hypercall instruction (the other one traps as #UD). */
void bench_arch_guest_hypercall(uint8_t *mem)
{
	unsigned int a, b, c, d;
	uint8_t code[] = { 0x0f, 0x01, 0xc1, 0xeb, 0xfb };	/* vmcall; jmp .-3 */

	if (__get_cpuid(0, &a, &b, &c, &d) && b == 0x68747541)	/* "Auth" */
		code[2] = 0xd9;					/* vmmcall */
	memcpy(mem + BENCH_ENTRY, code, sizeof(code));
}

void bench_arch_vcpu_setup(struct vcpu_setup *s)
{
	s->mode = VCPU_MODE_X86_REAL;
	s->entry = BENCH_ENTRY;
	s->stack = BENCH_STACK;
}

int bench_arch_vcpu_user_exit(const struct vcpu_run *run)
{
	return run->exit_reason == VCPU_EXIT_IO_WRITE && run->io.port == 0x80;
}

/*
 * The in-kernel local APIC, as every real VMM on KVM has it.  Without it
 * KVM also flips a static key (kvm_has_noapic_vcpu) at every vCPU creation
 * and destruction: see kvm_keep in vcpubench.c for why that is avoided.
 */
int bench_arch_kvm_vm_init(int vm)
{
	return ioctl(vm, KVM_CREATE_IRQCHIP, 0);
}

int bench_arch_kvm_vcpu_init(int vm, int vcpu)
{
	/* With the in-kernel APIC, every vCPU but 0 would wait for INIT/SIPI. */
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };

	(void)vm;
	if (ioctl(vcpu, KVM_SET_MP_STATE, &mp))
		return -1;
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs))
		return -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs))
		return -1;
	regs.rip = BENCH_ENTRY;
	regs.rsp = BENCH_STACK;
	regs.rflags = 2;
	return ioctl(vcpu, KVM_SET_REGS, &regs);
}

int bench_arch_kvm_user_exit(const struct kvm_run *run)
{
	return run->exit_reason == KVM_EXIT_IO && run->io.port == 0x80;
}
