// SPDX-License-Identifier: GPL-2.0
/*
 * x86 architectural details, shown with the OS-like guest (lib/guest_os.h)
 * that enters long mode by itself from real mode: its exceptions through
 * its own IDT; the CR0/CR4 the kernel and ONE_REG see once the guest set
 * them itself (VMX: the bits the guest owns are in GUEST_CR0/CR4, not in
 * the read shadows); MMIO decoded from that guest; single steps over the
 * instructions the kernel or the VMM completes.
 */
#include <cpuid.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <x86intrin.h>

#include "guest.h"
#include "guest_os.h"

VCPU_GUEST_SNIPPET(guest_os_hello);
VCPU_GUEST_SNIPPET(guest_os_mmio);
VCPU_GUEST_SNIPPET(guest_os_step);
VCPU_GUEST_SNIPPET(guest_os_tsc);
VCPU_GUEST_SNIPPET(guest_os_shadow);
extern const uint8_t guest_os_shadow_sti[], guest_os_shadow_movss[];
extern const uint8_t guest_os_tsc_gp[];
extern const uint8_t guest_os_hello_bp[], guest_os_hello_pf[];
extern const uint8_t guest_os_step_out[], guest_os_step_load[],
	guest_os_step_store[], guest_os_step_wrmsr_kernel[],
	guest_os_step_wrmsr_vmm[], guest_os_step_cpuid[], guest_os_step_in[],
	guest_os_step_hlt[];

#define CR0_PE		0x1ULL
#define CR0_NE		0x20ULL
#define CR0_WP		0x10000ULL
#define CR0_PG		0x80000000ULL
#define CR4_PAE		0x20ULL
#define CR4_VMXE	0x2000ULL
#define EFER_LME	0x100ULL
#define EFER_LMA	0x400ULL
#define EFER_SVME	0x1000ULL

FIXTURE(os) {
	struct vcpu_test t;
};

FIXTURE_SETUP(os)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(os)
{
	vcpu_test_fini(&self->t);
}

/* An exception (or the interrupt) reported by the guest's own handler. */
#define ASSERT_GUEST_EXC(t, vec, rip_) do {				\
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);				\
	ASSERT_EQ(GUEST_OS_EXC_PORT, (t)->run->io.port);		\
	ASSERT_EQ((uint64_t)(vec), (t)->run->io.data);			\
	ASSERT_EQ((uint64_t)(vec), vcpu_os_report(t)->vector);		\
	ASSERT_EQ((uint64_t)(rip_), vcpu_os_report(t)->rip);		\
} while (0)

static uint64_t one_reg(struct __test_metadata *_metadata,
			struct vcpu_test *t, uint64_t id)
{
	uint64_t v = 0;

	EXPECT_EQ(0, vcpu_get_one_reg(t->fd, id, &v));
	return v;
}

/* CR0, CR4 and EFER as the guest set them, whoever owns which bit. */
static void assert_long_mode_view(struct __test_metadata *_metadata,
				  struct vcpu_test *t)
{
	uint64_t cr0 = one_reg(_metadata, t, VCPU_REG_X86_CR0);
	uint64_t cr4 = one_reg(_metadata, t, VCPU_REG_X86_CR4);
	uint64_t efer = one_reg(_metadata, t, VCPU_REG_X86_EFER);

	TH_LOG("cr0 %#llx cr4 %#llx efer %#llx", (unsigned long long)cr0,
	       (unsigned long long)cr4, (unsigned long long)efer);
	ASSERT_EQ(CR0_PE | CR0_WP | CR0_PG,
		  cr0 & (CR0_PE | CR0_WP | CR0_PG));
	ASSERT_EQ(CR4_PAE, cr4 & (CR4_PAE | CR4_VMXE));
	ASSERT_EQ(EFER_LME | EFER_LMA, efer & (EFER_LME | EFER_LMA | EFER_SVME));
	ASSERT_EQ((uint64_t)GUEST_OS_PT_GPA,
		  one_reg(_metadata, t, VCPU_REG_X86_CR3));
	ASSERT_EQ((uint64_t)GUEST_OS_IDT_GPA,
		  one_reg(_metadata, t, VCPU_REG_X86_IDTR_BASE));
	ASSERT_EQ((uint64_t)GUEST_OS_GDT_GPA,
		  one_reg(_metadata, t, VCPU_REG_X86_GDTR_BASE));
}

TEST_F_TIMEOUT(os, boots_and_takes_exceptions, 60)
{
	struct vcpu_test *t = &self->t;
	const uint8_t *s = guest_os_hello_start;

	ASSERT_OK(vcpu_os_boot(t, s, guest_os_hello_end, 0, VCPU_CPU_CURRENT));
	ASSERT_REPORT(t, 0x05);
	assert_long_mode_view(_metadata, t);
	/* #BP: a trap, RIP after the INT3. */
	ASSERT_GUEST_EXC(t, 3, GUEST_OS_ADDR(s, guest_os_hello_bp));
	ASSERT_EQ(1, vcpu_os_report(t)->count);
	ASSERT_REPORT(t, 0x06);
	/* #PF: a fault at the load, CR2 its address, not present, read. */
	ASSERT_GUEST_EXC(t, 14, GUEST_OS_ADDR(s, guest_os_hello_pf));
	ASSERT_EQ(0x100000010ULL, vcpu_os_report(t)->cr2);
	ASSERT_EQ(0, vcpu_os_report(t)->error);
	ASSERT_EQ(2, vcpu_os_report(t)->count);
	/* The handler returns to the load: the same fault again. */
	ASSERT_GUEST_EXC(t, 14, GUEST_OS_ADDR(s, guest_os_hello_pf));
	ASSERT_EQ(3, vcpu_os_report(t)->count);
}

TEST_F_TIMEOUT(os, mmio_after_own_long_mode, 60)
{
	struct vcpu_test *t = &self->t;

	ASSERT_OK(vcpu_os_boot(t, guest_os_mmio_start, guest_os_mmio_end, 0,
			       VCPU_CPU_CURRENT));
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_READ);
	ASSERT_EQ(VCPU_TEST_MMIO_GPA, t->run->mmio.addr);
	ASSERT_EQ(4, t->run->mmio.width);
	assert_long_mode_view(_metadata, t);
	t->run->mmio.data = 0x12345678;
	ASSERT_REPORT(t, 0x12345678);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_WRITE);
	ASSERT_EQ(VCPU_TEST_MMIO_GPA + 8, t->run->mmio.addr);
	ASSERT_EQ(4, t->run->mmio.width);
	ASSERT_EQ(0xcafef00d, t->run->mmio.data);
	ASSERT_REPORT(t, 0x77);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_DOWN);	/* CLI; HLT */
}

/* One #DB, RIP at @next, reported by the guest after the step. */
#define ASSERT_ONE_STEP(t, next, n) do {				\
	ASSERT_GUEST_EXC(t, 1, next);					\
	ASSERT_EQ((uint64_t)(n), vcpu_os_report(t)->count);		\
	ASSERT_TRUE(vcpu_os_report(t)->rflags & 0x100);			\
} while (0)

TEST_F_TIMEOUT(os, single_step_over_completed_instructions, 60)
{
	struct vcpu_test *t = &self->t;
	const uint8_t *s = guest_os_step_start;

	ASSERT_OK(vcpu_os_boot(t, s, guest_os_step_end, 0, VCPU_CPU_CURRENT));
	/* OUT: the VMM completes it, then the trap. */
	ASSERT_REPORT(t, 0x11);
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_out), 1);
	/* MMIO load and store, completed by the VMM. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_READ);
	t->run->mmio.data = 0xabcd;
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_load), 2);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_WRITE);
	ASSERT_EQ(0xabcd, t->run->mmio.data);
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_store), 3);
	/* WRMSR of EFER, answered in the kernel: no exit before the trap. */
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_wrmsr_kernel), 4);
	/* WRMSR of the VMM's MSR. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_SYSREG_WRITE);
	ASSERT_EQ(VCPU_TEST_MSR, t->run->sysreg.addr);
	ASSERT_EQ(0x1234, t->run->sysreg.value);
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_wrmsr_vmm), 5);
	/* CPUID: completed by the kernel (VMX) or the CPU (SVM). */
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_cpuid), 6);
	/* IN, completed by the VMM: the trap follows the value's load. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_READ);
	ASSERT_EQ(0x60, t->run->io.port);
	t->run->io.data = 0x5a5a;
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_in), 7);
	ASSERT_REPORT(t, 0x5a5a);
	/* HLT with IF on: HALT to the VMM, the trap when it resumes. */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_ONE_STEP(t, GUEST_OS_ADDR(s, guest_os_step_hlt), 8);
	/* Exactly one trap each: the next exit is the body's report. */
	ASSERT_REPORT(t, 0x22);
	ASSERT_EQ(8, vcpu_os_report(t)->count);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_CPU_DOWN);	/* CLI; HLT */
}

static void queue_irq(struct __test_metadata *_metadata, struct vcpu_test *t)
{
	struct vcpu_irq irq = { .irq = GUEST_OS_IRQ_VECTOR };

	ASSERT_OK(ioctl(t->fd, VCPU_INJECT_IRQ, &irq));
}

/*
 * A queued interrupt waits out the STI or MOV SS shadow, which the OUT
 * right after it (completed by the VMM, skipped by the kernel) ends as
 * the hardware would: taken with RIP right after the OUT.
 */
TEST_F_TIMEOUT(os, interrupt_shadow_ends_with_completed_instruction, 60)
{
	struct vcpu_test *t = &self->t;
	const uint8_t *s = guest_os_shadow_start;

	ASSERT_OK(vcpu_os_boot(t, s, guest_os_shadow_end, 0,
			       VCPU_CPU_CURRENT));
	/* Queued at the OUT's exit, inside the shadow of the STI before it. */
	ASSERT_REPORT(t, 0x31);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x81, t->run->io.port);
	queue_irq(_metadata, t);
	ASSERT_GUEST_EXC(t, GUEST_OS_IRQ_VECTOR,
			 GUEST_OS_ADDR(s, guest_os_shadow_sti));
	ASSERT_EQ(1, vcpu_os_report(t)->count);

	/* The same inside the shadow of a MOV SS, IF already on. */
	ASSERT_REPORT(t, 0x32);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	ASSERT_EQ(0x81, t->run->io.port);
	queue_irq(_metadata, t);
	ASSERT_GUEST_EXC(t, GUEST_OS_IRQ_VECTOR,
			 GUEST_OS_ADDR(s, guest_os_shadow_movss));
	ASSERT_EQ(2, vcpu_os_report(t)->count);
	ASSERT_REPORT(t, 0x33);
}

/* A 64-bit value the guest reports as two OUTs, low word first. */
static uint64_t report64(struct __test_metadata *_metadata,
			 struct vcpu_test *t)
{
	uint64_t lo, hi;

	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	lo = (uint32_t)t->run->io.data;
	ASSERT_RUN_EXIT(t, VCPU_EXIT_IO_WRITE);
	hi = (uint32_t)t->run->io.data;
	return hi << 32 | lo;
}

static bool cpu_has_rdpid(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 22));
}

/*
 * The guest's TSC is the host's plus the vCPU's offset: bounded by the
 * host's TSC read before and after (the same CPU: the thread is pinned),
 * no timing involved.  TSC_AUX is the guest's from its WRMSR on (RDTSCP,
 * RDMSR, ONE_REG), and the host's own is back in the CPU after every exit.
 */
TEST_F_TIMEOUT(os, tsc_offset_and_tsc_aux, 60)
{
	struct vcpu_test *t = &self->t;
	const uint64_t off = 1ULL << 60;
	uint64_t h0, h1, g, v;
	unsigned int aux, aux0;
	bool rdpid = cpu_has_rdpid();

	ASSERT_OK(vcpu_os_boot(t, guest_os_tsc_start, guest_os_tsc_end, rdpid,
			       VCPU_CPU_CURRENT));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_TSC_OFFSET, &v));
	ASSERT_EQ(0, v);
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_TSC_OFFSET, off));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_TSC_OFFSET, &v));
	ASSERT_EQ(off, v);
	__rdtscp(&aux0);	/* the host's: Linux's CPU (and node) number */
	h0 = __rdtsc();
	g = report64(_metadata, t);
	h1 = __rdtsc();
	TH_LOG("host %#llx..%#llx guest %#llx", (unsigned long long)h0,
	       (unsigned long long)h1, (unsigned long long)g);
	ASSERT_LE(h0 + off, g);
	ASSERT_GE(h1 + off, g);

	/* TSC reads as host + offset; writing it sets the offset. */
	h0 = __rdtsc();
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_TSC, &v));
	h1 = __rdtsc();
	ASSERT_LE(h0 + off, v);
	ASSERT_GE(h1 + off, v);
	h0 = __rdtsc();
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_TSC, 1ULL << 50));
	h1 = __rdtsc();
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_TSC_OFFSET, &v));
	ASSERT_LE((1ULL << 50) - h1, v);
	ASSERT_GE((1ULL << 50) - h0, v);

	/* WRMSR TSC_AUX in the kernel: the next exit is RDTSCP's report. */
	ASSERT_REPORT(t, 0x1234);
	__rdtscp(&aux);
	ASSERT_EQ(aux0, aux);	/* the host's value, back after the exit */
	ASSERT_REPORT(t, 0x1234);	/* RDMSR */
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_TSC_AUX, &v));
	ASSERT_EQ(0x1234, v);
	ASSERT_ERRNO(EINVAL, vcpu_set_one_reg(t->fd, VCPU_REG_X86_TSC_AUX,
					      1ULL << 32));
	ASSERT_OK(vcpu_set_one_reg(t->fd, VCPU_REG_X86_TSC_AUX, 0x55));
	ASSERT_REPORT(t, 0x55);		/* RDTSCP */
	if (rdpid)
		ASSERT_REPORT(t, 0x55);
	else
		TH_LOG("no RDPID on this CPU: not tested");
	__rdtscp(&aux);
	ASSERT_EQ(aux0, aux);
	/* Bits 63:32 are reserved: #GP, TSC_AUX unchanged. */
	ASSERT_GUEST_EXC(t, 13, GUEST_OS_ADDR(guest_os_tsc_start,
					      guest_os_tsc_gp));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_TSC_AUX, &v));
	ASSERT_EQ(0x55, v);
}

/*
 * TSC_KHZ: the rate the guest's TSC runs at, for a VMM's paravirtual clock
 * (libvmm's kvmclock): read-only, not part of a vCPU's saved state, the
 * same on every vCPU, and the kernel's own calibration (the host's
 * /sys/devices/system/cpu/cpu0/tsc_freq_khz when the kernel exposes it;
 * otherwise only plausible: between 1 MHz and 100 GHz).
 */
TEST_F_TIMEOUT(os, tsc_khz_is_read_only, 60)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_test t2;
	struct vcpu_reg_list *list;
	uint64_t khz, khz2, i;
	unsigned long sysfs;
	FILE *f;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	ASSERT_OK(vcpu_test_setup(t, VCPU_MODE_X86_LONG64, 0));
	ASSERT_OK(vcpu_get_one_reg(t->fd, VCPU_REG_X86_TSC_KHZ, &khz));
	ASSERT_LT(1000, khz);
	ASSERT_GT(100000000, khz);
	f = fopen("/sys/devices/system/cpu/cpu0/tsc_freq_khz", "r");
	if (f) {
		if (fscanf(f, "%lu", &sysfs) == 1)
			ASSERT_EQ(sysfs, khz);
		fclose(f);
	}
	ASSERT_ERRNO(EPERM, vcpu_set_one_reg(t->fd, VCPU_REG_X86_TSC_KHZ, khz));
	list = vcpu_get_reg_list(t->fd);
	ASSERT_NE(NULL, list);
	for (i = 0; i < list->n; i++)
		ASSERT_NE(VCPU_REG_X86_TSC_KHZ, list->reg[i]);
	free(list);
	ASSERT_OK(vcpu_test_init_id(&t2, VCPU_TEST_MEM_SIZE, 1));
	ASSERT_OK(vcpu_test_setup(&t2, VCPU_MODE_X86_LONG64, 0));
	ASSERT_OK(vcpu_get_one_reg(t2.fd, VCPU_REG_X86_TSC_KHZ, &khz2));
	ASSERT_EQ(khz, khz2);
	vcpu_test_fini(&t2);
}

TEST_HARNESS_MAIN
