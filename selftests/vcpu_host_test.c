// SPDX-License-Identifier: GPL-2.0
/*
 * The module among the rest of the host: another hypervisor (Debian's own
 * KVM) owning the CPU's virtualization extensions, CPU hotplug of a bound
 * CPU, and host interrupts arriving while a guest runs.  Shared by every
 * architecture (guests from lib/guest.h), except the KVM-coexistence tests:
 * they are x86's and SKIP elsewhere (see KVM_SKIP_REASON).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest.h"

/* From <linux/kvm.h>; the KVM ioctl numbers are a stable ABI. */
#define KVM_IO			0xAE
#define KVM_CREATE_VM		_IO(KVM_IO, 0x01)

/*
 * On x86 KVM and this module each need the CPU's virtualization extensions
 * to themselves (EFER.SVME / VMXON), so BIND and KVM_CREATE_VM exclude each
 * other.  On arm64 there is nothing to own: by design both run from the
 * VHE kernel at EL2 and share it (the module flushes its VMID around each
 * guest run when KVM is active, arch/arm64/el2.c), and the lane boots
 * with kvm-arm.mode=none (no /dev/kvm) anyway: the two tests SKIP.
 */
#ifndef GUEST_ARCH_X86
#define KVM_SKIP_REASON "x86 only: on arm64 KVM and vcpu share the VHE EL2, nothing to own"
#endif

FIXTURE(host) {
	struct vcpu_test t;
};

FIXTURE_SETUP(host)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(host)
{
	vcpu_test_fini(&self->t);
}

static int open_kvm(void)
{
	return open("/dev/kvm", O_RDWR | O_CLOEXEC);
}

/* A Free vCPU with the HLT guest loaded, not bound. */
static void prepare_free(struct __test_metadata *_metadata, struct vcpu_test *t,
			 const uint8_t *start, const uint8_t *end,
			 uint32_t flags)
{
	struct vcpu_setup s = {
		.mode = GUEST_MODE, .flags = flags,
		.entry = VCPU_TEST_CODE_GPA, .stack = VCPU_TEST_STACK_GPA,
	};

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, start, end);
	ASSERT_OK(ioctl(t->fd, VCPU_SETUP, &s));
}

/*
 * Debian's KVM (6.1) enables SVM or VMX on every CPU when its first VM is
 * created.  While it does, BIND must refuse with EBUSY and leave the vCPU
 * Free; once KVM lets go, BIND works.
 */
TEST_F_TIMEOUT(host, kvm_owns_cpu_bind_ebusy, 60)
{
	struct vcpu_test *t = &self->t;
	int kvm, kvm_vm, cpu = vcpu_current_cpu();

#ifdef KVM_SKIP_REASON
	SKIP(return, KVM_SKIP_REASON);
#endif
	kvm = open_kvm();
	if (kvm < 0)
		SKIP(return, "no /dev/kvm (Debian's kvm-amd not loaded)");
	prepare_free(_metadata, t, guest_hlt_start, guest_hlt_end, 0);
	ASSERT_OK(vcpu_pin_self(cpu));

	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (kvm_vm < 0)
		TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	ASSERT_LE(0, kvm_vm);
	ASSERT_ERRNO(EBUSY, vcpu_bind(t->fd, cpu));
	ASSERT_STATE(t->fd, VCPU_STATE_FREE);

	close(kvm_vm);
	ASSERT_OK(vcpu_bind(t->fd, cpu));
	ASSERT_OK(vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_HALT, t->run->exit_reason);
	close(kvm);
}

/* The other way round: KVM cannot take a CPU this module is using. */
TEST_F_TIMEOUT(host, bound_vcpu_blocks_kvm, 60)
{
	struct vcpu_test *t = &self->t;
	int kvm, kvm_vm, cpu = vcpu_current_cpu();

#ifdef KVM_SKIP_REASON
	SKIP(return, KVM_SKIP_REASON);
#endif
	kvm = open_kvm();
	if (kvm < 0)
		SKIP(return, "no /dev/kvm (Debian's kvm-amd not loaded)");
	prepare_free(_metadata, t, guest_hlt_start, guest_hlt_end, 0);
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(t->fd, cpu));

	/*
	 * KVM's own error: EBUSY from 6.1's KVM; EIO since 6.3, whose KVM
	 * turns a CPU that fails to enable virtualization into -EIO.
	 */
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_EQ(-1, kvm_vm);
	if (errno != EIO)
		ASSERT_EQ(EBUSY, errno);

	/* Our vCPU is unaffected. */
	ASSERT_OK(vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_HALT, t->run->exit_reason);

	ASSERT_OK(vcpu_unbind(t->fd));
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (kvm_vm < 0)
		TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	ASSERT_LE(0, kvm_vm);
	close(kvm_vm);
	close(kvm);
}

static int set_cpu_online(int cpu, int online)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, online ? "1" : "0", 1) == 1 ? 0 : -1;
	close(fd);
	return ret;
}

/*
 * A CPU that can go offline while the test runs on another (@home): the
 * last online one, never CPU 0.  -1 when there is none.
 */
#define HOTPLUG_SKIP_REASON "needs two online CPUs, one of them not CPU 0"

static int hotplug_victim(int *home)
{
	int cpus[8], n = vcpu_online_cpus(cpus, 8);

	if (n < 2 || cpus[n - 1] == 0)
		return -1;
	*home = cpus[0];
	return cpus[n - 1];
}

/*
 * The bound CPU goes offline: RUN fails with ENXIO and the vCPU stays
 * Ready; when the CPU comes back (SVM re-enabled by the hotplug
 * callback; arm64: EL2 checked again) the vCPU runs again.
 */
TEST_F_TIMEOUT(host, bound_cpu_hotplug, 120)
{
	struct vcpu_test *t = &self->t;
	int home, victim = hotplug_victim(&home);

	if (victim < 0)
		SKIP(return, HOTPLUG_SKIP_REASON);
	ASSERT_OK(vcpu_pin_self(home));
	prepare_free(_metadata, t, guest_hlt_start, guest_hlt_end, 0);
	ASSERT_OK(vcpu_bind(t->fd, victim));

	ASSERT_OK(set_cpu_online(victim, 0));
	ASSERT_ERRNO(ENXIO, vcpu_run(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_READY);

	ASSERT_OK(set_cpu_online(victim, 1));
	ASSERT_OK(vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_HALT, t->run->exit_reason);
	ASSERT_OK(vcpu_unbind(t->fd));
	ASSERT_OK(vcpu_pin_self(home));
}

/*
 * Ownership at RUN.  The bound CPU goes offline (this module turns SVM/VMX
 * off there), a KVM VM is created meanwhile, and the CPU comes back: KVM's
 * hotplug callback runs before this module's and takes the extension.
 * RUN must not enter through KVM's state: it fails with ENODEV and the
 * vCPU stays Ready.  Once KVM lets go (its last VM closed turns the
 * extension off), the next RUN takes it back and the guest runs.
 */
TEST_F_TIMEOUT(host, kvm_takes_cpu_across_hotplug, 120)
{
	struct vcpu_test *t = &self->t;
	int home, victim = hotplug_victim(&home), kvm, kvm_vm, ret, err;

#ifdef KVM_SKIP_REASON
	SKIP(return, KVM_SKIP_REASON);
#endif
	if (victim < 0)
		SKIP(return, HOTPLUG_SKIP_REASON);
	kvm = open_kvm();
	if (kvm < 0)
		SKIP(return, "no /dev/kvm (Debian's kvm-amd not loaded)");
	ASSERT_OK(vcpu_pin_self(home));
	prepare_free(_metadata, t, guest_hlt_start, guest_hlt_end, 0);
	ASSERT_OK(vcpu_bind(t->fd, victim));

	ASSERT_OK(set_cpu_online(victim, 0));
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	err = errno;
	ASSERT_OK(set_cpu_online(victim, 1));
	if (kvm_vm < 0)
		TH_LOG("KVM_CREATE_VM: %s", strerror(err));
	ASSERT_LE(0, kvm_vm);

	ret = vcpu_run(t->fd);
	err = errno;
	close(kvm_vm);
	close(kvm);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(ENODEV, err);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);

	ASSERT_OK(vcpu_run(t->fd));
	ASSERT_EQ(VCPU_EXIT_HALT, t->run->exit_reason);
	ASSERT_OK(vcpu_unbind(t->fd));
}

/*
 * With VCPU_SETUP_F_EXIT_ON_EXTINT a spinning guest exits for host
 * interrupts, each carrying the real host vector (x86: the IDT vector
 * from the local APIC; arm64: the GIC INTID): the timer tick must show up
 * as the host timer's (x86: LOCAL_TIMER_VECTOR; arm64: arch_timer's
 * INTID in /proc/interrupts).
 */
TEST_F_TIMEOUT(host, external_interrupt_real_vector, 60)
{
	const char *quirks = getenv("VCPU_LANE_QUIRKS");
	struct vcpu_test *t = &self->t;
	int i, timer = 0, cpu = vcpu_current_cpu();
	int timer_vector = guest_host_timer_vector();

	/* Set by a lane whose CPU model cannot show this (scripts/lanes/). */
	if (quirks && strstr(quirks, "no-extint-exit"))
		SKIP(return, "this emulated CPU never exits for host interrupts");
	TH_LOG("host timer vector %d", timer_vector);
	ASSERT_LE(GUEST_EXTINT_MIN, timer_vector);
	prepare_free(_metadata, t, guest_spin_start, guest_spin_end,
		     VCPU_SETUP_F_EXIT_ON_EXTINT);
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(t->fd, cpu));
	for (i = 0; i < 200 && !timer; i++) {
		ASSERT_OK(vcpu_run(t->fd));
		ASSERT_EQ(VCPU_EXIT_EXTERNAL_INTERRUPT, t->run->exit_reason);
		ASSERT_LE(GUEST_EXTINT_MIN, t->run->external_interrupt.vector);
		ASSERT_GE(GUEST_EXTINT_MAX, t->run->external_interrupt.vector);
		timer = t->run->external_interrupt.vector == timer_vector;
	}
	TH_LOG("%d external-interrupt exits before the timer tick", i);
	ASSERT_TRUE(timer);
}

/* Without the flag the same guest never reports them: only a signal ends it. */
TEST_F_TIMEOUT(host, external_interrupt_absorbed, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_runner r = { .cpu = vcpu_current_cpu() };

	prepare_free(_metadata, t, guest_spin_start, guest_spin_end, 0);
	ASSERT_OK(vcpu_pin_self(r.cpu));
	ASSERT_OK(vcpu_bind(t->fd, r.cpu));
	ASSERT_OK(vcpu_install_kick_handler(SIGUSR1));
	r.fd = t->fd;
	ASSERT_OK(vcpu_runner_start(&r));
	usleep(200 * 1000);	/* many timer ticks */
	ASSERT_FALSE(vcpu_runner_done(&r));
	pthread_kill(r.thread, SIGUSR1);
	ASSERT_OK(vcpu_runner_join(&r));
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EINTR, r.err);
	ASSERT_EQ(VCPU_EXIT_INTR, t->run->exit_reason);
}

TEST_HARNESS_MAIN
