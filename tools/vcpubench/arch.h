/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vcpubench needs from each architecture: the guest code of every
 * figure, the /dev/vcpu setup, the /dev/kvm vCPU initialisation and the
 * check that an exit is the one the figure expects.  The guest code lives
 * in guest-physical memory [0, BENCH_GUEST_MEM) and starts at BENCH_ENTRY.
 */
#ifndef VCPUBENCH_ARCH_H
#define VCPUBENCH_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <linux/vcpu.h>

#define BENCH_GUEST_MEM		(64 << 10)
#define BENCH_ENTRY		0x1000
#define BENCH_STACK		0x8000

/* Labels of the figures whose guest code differs per architecture. */
extern const char bench_arch_user_label[];	/* the user-exit figure */
extern const char bench_arch_kernel_label[];	/* the in-kernel exit */

/* Fill guest memory with a harmless filler. */
void bench_arch_fill(uint8_t *mem, size_t len);
/* A loop that makes one user exit per iteration. */
void bench_arch_guest_user(uint8_t *mem);
/* A loop of @k in-kernel exits followed by one user exit. */
void bench_arch_guest_kernel(uint8_t *mem, int k);
/* A loop of hypercalls (the floor; the kernel treats every exit alike). */
void bench_arch_guest_hypercall(uint8_t *mem);

/* /dev/vcpu */
void bench_arch_vcpu_setup(struct vcpu_setup *s);
int bench_arch_vcpu_user_exit(const struct vcpu_run *run);

/*
 * /dev/kvm: 0 or -1 with errno.  bench_arch_kvm_vm_init runs right after
 * KVM_CREATE_VM; vcpubench.c has a weak default that does nothing.
 */
int bench_arch_kvm_vm_init(int vm);
int bench_arch_kvm_vcpu_init(int vm, int vcpu);
int bench_arch_kvm_user_exit(const struct kvm_run *run);

#endif
