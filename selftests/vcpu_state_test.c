// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU state machine: Created -> Free -> Ready -> Running -> Ready -> Free,
 * Invalid, and the errno of every call made in a wrong state.  Shared by
 * every architecture (guests and arch facts from lib/guest.h); the x86
 * SETUP register layouts are x86-only (arm64's: vcpu_arm64_exit_test).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "guest.h"

static uint32_t *guest_u32(struct vcpu_test *t, uint64_t gpa)
{
	return (uint32_t *)(t->mem + gpa);
}

FIXTURE(state) {
	struct vcpu_test t;
};

FIXTURE_SETUP(state)
{
	VCPU_REQUIRE_DEV();
	ASSERT_OK(vcpu_test_init(&self->t, VCPU_TEST_MEM_SIZE));
}

FIXTURE_TEARDOWN(state)
{
	vcpu_test_fini(&self->t);
}

/*
 * Drive the fixture's vCPU into a FAIL_ENTRY (x86: CR0.NW=1, CR0.CD=0;
 * arm64: PSTATE EL2h).
 */
static void force_fail_entry(struct __test_metadata *_metadata,
			     struct vcpu_test *t)
{
	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	guest_break_entry_state(_metadata, t);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_FAIL_ENTRY);
}

TEST(api_version)
{
	int fd = vcpu_open_dev();
	int size;

	if (fd < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO))
		SKIP(return, "/dev/vcpu not available (%s)", vcpu_errno_name(errno));
	ASSERT_GE(fd, 0);
	ASSERT_EQ(VCPU_API_VERSION, ioctl(fd, VCPU_GET_API_VERSION, 0));
	size = ioctl(fd, VCPU_GET_RUN_SIZE, 0);
	ASSERT_GE(size, (int)sizeof(struct vcpu_run));
	close(fd);
}

/*
 * VCPU_CHECK_EXTENSION answers the same on /dev/vcpu and a VM fd, names
 * this architecture's backend, says 0 for what this architecture lacks
 * and for capabilities it does not know, and is not a vCPU ioctl.
 */
TEST_F(state, check_extension)
{
	struct vcpu_test *t = &self->t;
	static const unsigned long caps[] = {
		VCPU_CAP_BACKEND, VCPU_CAP_MAX_VCPUS, VCPU_CAP_NR_MEM_SLOTS,
		VCPU_CAP_EXIT_FILTER, VCPU_CAP_REG_LIST, VCPU_CAP_EVENTS,
		VCPU_CAP_XSAVE, VCPU_CAP_CPUID, VCPU_CAP_NMI, VCPU_CAP_MEMLOCK,
		VCPU_CAP_TSC_KHZ, 0, 1000, ~0UL,
	};
	int x86 = 0, backend;
	unsigned int i;

#ifdef GUEST_ARCH_X86
	x86 = 1;
#endif
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		EXPECT_EQ(ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, caps[i]),
			  ioctl(t->vm_fd, VCPU_CHECK_EXTENSION, caps[i]));
	backend = ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_BACKEND);
	if (x86) {
		EXPECT_TRUE(backend == VCPU_BACKEND_SVM ||
			    backend == VCPU_BACKEND_VMX);
	} else {
		EXPECT_EQ(VCPU_BACKEND_ARM64_VHE, backend);
	}
	EXPECT_EQ(VCPU_MAX_VCPUS,
		  ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_MAX_VCPUS));
	EXPECT_EQ(VCPU_MAX_MEM_SLOTS,
		  ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_NR_MEM_SLOTS));
	EXPECT_EQ(1, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_EXIT_FILTER));
	EXPECT_EQ(1, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_REG_LIST));
	EXPECT_EQ(1, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_EVENTS));
	EXPECT_EQ(1, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_MEMLOCK));
	EXPECT_EQ(x86, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_XSAVE));
	EXPECT_EQ(x86, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_CPUID));
	EXPECT_EQ(x86, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_NMI));
	EXPECT_EQ(x86, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, VCPU_CAP_TSC_KHZ));
	EXPECT_EQ(0, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, 0));
	EXPECT_EQ(0, ioctl(t->sys_fd, VCPU_CHECK_EXTENSION, 1000));
	ASSERT_ERRNO(ENOTTY, ioctl(t->fd, VCPU_CHECK_EXTENSION, VCPU_CAP_BACKEND));
	/* The version 1 magic is gone. */
	ASSERT_ERRNO(ENOTTY, ioctl(t->sys_fd, _IO(0xAF, 0x00), 0));
}

TEST_F(state, new_vcpu_is_created)
{
	struct vcpu_state_info info;
	int fd = vcpu_create_vcpu(self->t.vm_fd, 5);

	ASSERT_GE(fd, 0);
	ASSERT_OK(vcpu_get_state(fd, &info));
	EXPECT_EQ(VCPU_STATE_CREATED, info.state);
	EXPECT_EQ(-1, info.bound_cpu);
	EXPECT_EQ(5, info.vcpu_id);
	EXPECT_EQ(0, info.exits);
	ASSERT_OK(vcpu_get_state(self->t.fd, &info));
	EXPECT_EQ(VCPU_STATE_CREATED, info.state);
	EXPECT_EQ(0, info.vcpu_id);
	close(fd);
}

TEST_F(state, calls_before_setup_ebadfd)
{
	struct vcpu_regs regs;
	struct vcpu_one_reg one = { .id = GUEST_ONE_REG };
	int fd = self->t.fd;

	memset(&regs, 0, sizeof(regs));
	ASSERT_ERRNO(EBADFD, vcpu_bind(fd, vcpu_current_cpu()));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	ASSERT_ERRNO(EBADFD, vcpu_run(fd));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	ASSERT_ERRNO(EBADFD, vcpu_unbind(fd));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	ASSERT_ERRNO(EBADFD, vcpu_get_regs(fd, &regs));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	ASSERT_ERRNO(EBADFD, vcpu_set_regs(fd, &regs));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	ASSERT_ERRNO(EBADFD, ioctl(fd, VCPU_GET_ONE_REG, &one));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	ASSERT_ERRNO(EBADFD, ioctl(fd, VCPU_SET_ONE_REG, &one));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
}

TEST_F(state, setup_twice_ebadfd)
{
	int fd = self->t.fd;

	ASSERT_OK(vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_STATE(fd, VCPU_STATE_FREE);
	ASSERT_ERRNO(EBADFD, vcpu_setup(fd, GUEST_MODE,
					VCPU_TEST_CODE_GPA, VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_STATE(fd, VCPU_STATE_FREE);
	ASSERT_OK(vcpu_bind(fd, vcpu_current_cpu()));
	ASSERT_STATE(fd, VCPU_STATE_READY);
	ASSERT_ERRNO(EBADFD, vcpu_setup(fd, GUEST_MODE,
					VCPU_TEST_CODE_GPA, VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_STATE(fd, VCPU_STATE_READY);
}

TEST_F(state, run_and_unbind_when_free_ebadfd)
{
	int fd = self->t.fd;

	ASSERT_OK(vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_ERRNO(EBADFD, vcpu_run(fd));
	ASSERT_STATE(fd, VCPU_STATE_FREE);
	ASSERT_ERRNO(EBADFD, vcpu_unbind(fd));
	ASSERT_STATE(fd, VCPU_STATE_FREE);
}

TEST_F(state, bind_twice_ebadfd)
{
	struct vcpu_state_info info;
	int fd = self->t.fd;
	int cpu = vcpu_current_cpu();

	ASSERT_OK(vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_OK(vcpu_bind(fd, cpu));
	ASSERT_ERRNO(EBADFD, vcpu_bind(fd, cpu));
	ASSERT_OK(vcpu_get_state(fd, &info));
	ASSERT_EQ(VCPU_STATE_READY, info.state);
	ASSERT_EQ(cpu, info.bound_cpu);
}

TEST_F(state, bind_bad_cpu_einval)
{
	struct vcpu_state_info info;
	int fd = self->t.fd;

	ASSERT_OK(vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_ERRNO(EINVAL, vcpu_bind(fd, 1L << 20));
	ASSERT_ERRNO(EINVAL, vcpu_bind(fd, 0xffffffffL));
	ASSERT_ERRNO(EINVAL, vcpu_bind(fd, -1L));
	ASSERT_OK(vcpu_get_state(fd, &info));
	ASSERT_EQ(VCPU_STATE_FREE, info.state);
	ASSERT_EQ(-1, info.bound_cpu);
}

TEST_F(state, setup_bad_args_einval)
{
	static const uint32_t bad_modes[] = {
		0, VCPU_MODE_ARM64_EL1 + 1, 0xffffffff,
		GUEST_OTHER_MODES,	/* not this architecture */
	};
	struct vcpu_setup s;
	int fd = self->t.fd;
	unsigned int i;

	for (i = 0; i < sizeof(bad_modes) / sizeof(bad_modes[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.mode = bad_modes[i];
		s.entry = VCPU_TEST_CODE_GPA;
		s.stack = VCPU_TEST_STACK_GPA;
		TH_LOG("mode %u", s.mode);
		ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, &s));
		ASSERT_STATE(fd, VCPU_STATE_CREATED);
	}
	memset(&s, 0, sizeof(s));
	s.mode = GUEST_MODE;
	s.entry = VCPU_TEST_CODE_GPA;
	s.flags = ~(uint32_t)VCPU_SETUP_FLAGS_ALL;
	ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, &s));
	ASSERT_STATE(fd, VCPU_STATE_CREATED);
	s.flags = 0;
	for (i = 0; i < 3; i++) {
		s.reserved[i] = 1;
		ASSERT_ERRNO(EINVAL, ioctl(fd, VCPU_SETUP, &s));
		ASSERT_STATE(fd, VCPU_STATE_CREATED);
		s.reserved[i] = 0;
	}
	/* Mode-specific ranges: checked before the state moves. */
	guest_check_setup_ranges(_metadata, fd, &s);
	/* Nothing was consumed: a valid setup still works. */
	ASSERT_OK(ioctl(fd, VCPU_SETUP, &s));
	ASSERT_STATE(fd, VCPU_STATE_FREE);
}

#ifdef GUEST_ARCH_X86
TEST_F(state, setup_real_mode_regs)
{
	struct vcpu_regs regs;
	uint64_t v;
	int fd = self->t.fd;

	ASSERT_OK(vcpu_setup(fd, VCPU_MODE_X86_REAL, 0x12345, 0x18000, 0, 0xabcd));
	ASSERT_OK(vcpu_get_regs(fd, &regs));
	EXPECT_EQ(0x2345, regs.pc);
	EXPECT_EQ(0x8000, regs.gpr[VCPU_REG_RSP]);
	EXPECT_EQ(0xabcd, regs.gpr[VCPU_REG_RDI]);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_BASE), &v));
	EXPECT_EQ(0x10000, v);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_SEG(VCPU_SEG_SS, VCPU_SEG_BASE), &v));
	EXPECT_EQ(0x10000, v);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_CR0, &v));
	EXPECT_EQ(0, v & (X86_CR0_PE | X86_CR0_PG));
}

TEST_F(state, setup_prot32_regs)
{
	struct vcpu_regs regs;
	uint64_t v;
	int fd = self->t.fd;

	ASSERT_OK(vcpu_setup(fd, VCPU_MODE_X86_PROT32, 0x1234, 0x7ff0, 0,
			     0x89abcdef));
	ASSERT_OK(vcpu_get_regs(fd, &regs));
	EXPECT_EQ(0x1234, regs.pc);
	EXPECT_EQ(0x7ff0, regs.gpr[VCPU_REG_RSP]);
	EXPECT_EQ(0x89abcdef, regs.gpr[VCPU_REG_RDI]);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_CR0, &v));
	EXPECT_EQ(X86_CR0_PE, v & (X86_CR0_PE | X86_CR0_PG));
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_BASE), &v));
	EXPECT_EQ(0, v);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_LIMIT), &v));
	EXPECT_EQ(0xffffffff, v);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_ATTRIB), &v));
	EXPECT_EQ(SEG_ATTR_DB, v & (SEG_ATTR_DB | SEG_ATTR_L));
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_EFER, &v));
	EXPECT_EQ(0, v & (X86_EFER_LME | X86_EFER_LMA));
}

TEST_F(state, setup_long64_regs)
{
	struct vcpu_regs regs;
	uint64_t v, cr3;
	int fd = self->t.fd;

	cr3 = vcpu_build_page_tables(self->t.mem, 0, VCPU_TEST_PT_GPA,
				     VCPU_TEST_PT_MAP);
	ASSERT_OK(vcpu_setup(fd, VCPU_MODE_X86_LONG64, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, cr3, 0x0123456789abcdefULL));
	ASSERT_OK(vcpu_get_regs(fd, &regs));
	EXPECT_EQ(VCPU_TEST_CODE_GPA, regs.pc);
	EXPECT_EQ(VCPU_TEST_STACK_GPA, regs.gpr[VCPU_REG_RSP]);
	EXPECT_EQ(0x0123456789abcdefULL, regs.gpr[VCPU_REG_RDI]);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_CR0, &v));
	EXPECT_EQ(X86_CR0_PE | X86_CR0_PG, v & (X86_CR0_PE | X86_CR0_PG));
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_CR4, &v));
	EXPECT_EQ(X86_CR4_PAE, v & X86_CR4_PAE);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_EFER, &v));
	EXPECT_EQ(X86_EFER_LME | X86_EFER_LMA, v & (X86_EFER_LME | X86_EFER_LMA));
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_CR3, &v));
	EXPECT_EQ(cr3, v);
	ASSERT_OK(vcpu_get_one_reg(fd, VCPU_REG_X86_SEG(VCPU_SEG_CS, VCPU_SEG_ATTRIB), &v));
	EXPECT_EQ(SEG_ATTR_L, v & (SEG_ATTR_DB | SEG_ATTR_L));
}
#endif /* GUEST_ARCH_X86 */

TEST_F(state, regs_roundtrip_and_reserved)
{
	struct vcpu_regs regs, back;
	int fd = self->t.fd;
	int i;

	/* Every register 64 bits wide: x86 LONG64. */
	ASSERT_OK(vcpu_test_setup(&self->t, GUEST_MODE_64, 0));
	memset(&regs, 0xaa, sizeof(regs));
	ASSERT_OK(vcpu_get_regs(fd, &regs));
	for (i = 0; i < 6; i++)
		EXPECT_EQ(0, regs.reserved[i]);
	for (i = 0; i < GUEST_NR_GPRS; i++)
		regs.gpr[i] = 0x0101010101010101ULL * (i + 1);
	regs.pc = 0x1100;
	ASSERT_OK(vcpu_set_regs(fd, &regs));
	ASSERT_OK(vcpu_get_regs(fd, &back));
	for (i = 0; i < GUEST_NR_GPRS; i++) {
		TH_LOG("gpr[%d]", i);
		ASSERT_EQ(regs.gpr[i], back.gpr[i]);
	}
	ASSERT_EQ(0x1100, back.pc);
	/* reserved[] must be zero: EINVAL and nothing changes. */
	regs.gpr[0] = 0x5555;		/* RAX, x0 */
	regs.reserved[5] = 1;
	ASSERT_ERRNO(EINVAL, vcpu_set_regs(fd, &regs));
	ASSERT_OK(vcpu_get_regs(fd, &back));
	ASSERT_EQ(0x0101010101010101ULL, back.gpr[0]);
	ASSERT_STATE(fd, VCPU_STATE_FREE);
}

TEST_F(state, one_reg_unknown_id_enoent)
{
	static const uint64_t bad_ids[] = {
		0,
		VCPU_REG_ARCH_X86 | 0x0ff,
		VCPU_REG_X86_SEG(VCPU_SEG_NR, VCPU_SEG_BASE),
		(3ULL << 56) | VCPU_REG_X86_CR0,
		GUEST_BAD_ONE_REG_IDS,	/* the other architecture's, ... */
	};
	uint64_t v;
	int fd = self->t.fd;
	unsigned int i;

	ASSERT_OK(vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, 0));
	for (i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		TH_LOG("id %#llx", (unsigned long long)bad_ids[i]);
		ASSERT_ERRNO(ENOENT, vcpu_get_one_reg(fd, bad_ids[i], &v));
		ASSERT_ERRNO(ENOENT, vcpu_set_one_reg(fd, bad_ids[i], 0));
	}
	ASSERT_STATE(fd, VCPU_STATE_FREE);
}

/*
 * VCPU_GET_REG_LIST: too small a buffer is E2BIG with the count; every id
 * listed answers GET_ONE_REG and takes its own value back with
 * SET_ONE_REG; GUEST_ONE_REG is among them; not before SETUP.
 */
TEST_F(state, reg_list_names_every_one_reg)
{
	struct vcpu_reg_list *list;
	int fd = self->t.fd;
	bool found = false;
	uint64_t n = 0, i, v;

	ASSERT_ERRNO(EBADFD, ioctl(fd, VCPU_GET_REG_LIST, &n));
	ASSERT_OK(vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_ERRNO(E2BIG, ioctl(fd, VCPU_GET_REG_LIST, &n));
	ASSERT_GT(n, 8);
	list = calloc(1, sizeof(*list) + (n + 1) * sizeof(list->reg[0]));
	ASSERT_NE(NULL, list);
	list->n = n + 1;
	ASSERT_OK(ioctl(fd, VCPU_GET_REG_LIST, list));
	ASSERT_EQ(n, list->n);
	for (i = 0; i < n; i++) {
		if (vcpu_get_one_reg(fd, list->reg[i], &v))
			TH_LOG("id %#llx", (unsigned long long)list->reg[i]);
		ASSERT_OK(vcpu_get_one_reg(fd, list->reg[i], &v));
		ASSERT_OK(vcpu_set_one_reg(fd, list->reg[i], v));
		found |= list->reg[i] == GUEST_ONE_REG;
	}
	free(list);
	ASSERT_TRUE(found);
	ASSERT_STATE(fd, VCPU_STATE_FREE);
}

TEST_F(state, full_cycle)
{
	struct vcpu_state_info info;
	struct vcpu_test *t = &self->t;
	uint64_t seq;
	int cpu;

	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_STATE(t->fd, VCPU_STATE_CREATED);
	ASSERT_OK(vcpu_setup(t->fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
			     VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_FREE, info.state);
	ASSERT_EQ(-1, info.bound_cpu);

	cpu = vcpu_current_cpu();
	ASSERT_OK(vcpu_pin_self(cpu));
	ASSERT_OK(vcpu_bind(t->fd, cpu));
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_READY, info.state);
	ASSERT_EQ(cpu, info.bound_cpu);

	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	seq = t->run->exit_seq;
	ASSERT_PC(t, VCPU_TEST_CODE_GPA + GUEST_HALT_LEN);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_READY, info.state);
	ASSERT_EQ(cpu, info.bound_cpu);
	ASSERT_EQ(VCPU_EXIT_HALT, info.last_exit_reason);
	ASSERT_EQ(1, info.exits);

	ASSERT_OK(vcpu_unbind(t->fd));
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_FREE, info.state);
	ASSERT_EQ(-1, info.bound_cpu);

	/* Rebind: the guest goes on from where it stopped. */
	ASSERT_OK(vcpu_bind(t->fd, cpu));
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(seq + 1, t->run->exit_seq);
	ASSERT_PC(t, VCPU_TEST_CODE_GPA + 2 * GUEST_HALT_LEN);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_READY, info.state);
	ASSERT_EQ(2, info.exits);
	ASSERT_OK(vcpu_unbind(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_FREE);
}

TEST_F(state, invalid_after_fail_entry)
{
	struct vcpu_test *t = &self->t;
	struct vcpu_state_info info;
	struct vcpu_regs regs;
	size_t len;

	force_fail_entry(_metadata, t);
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_INVALID, info.state);
	len = strnlen(info.fail_reason, VCPU_FAIL_REASON_LEN);
	ASSERT_LT(len, VCPU_FAIL_REASON_LEN);	/* NUL-terminated */
	ASSERT_GT(len, 0);			/* and says something */
	TH_LOG("fail_reason \"%s\" fail_op %#x fail_errno %d hw %#llx",
	       info.fail_reason, info.fail_op, info.fail_errno,
	       (unsigned long long)info.fail_hw_code);
	ASSERT_EQ(t->run->fail_entry.hardware_entry_failure_reason,
		  info.fail_hw_code);
	ASSERT_GT(info.fail_errno, 0);
	/* "the VCPU_* ioctl nr that failed": accept the nr or the full cmd */
	ASSERT_EQ(_IOC_NR(VCPU_RUN), info.fail_op);

	/* Only GET_STATE, GET_REGS, GET_ONE_REG work now. */
	ASSERT_ERRNO(EIO, vcpu_run(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
	ASSERT_ERRNO(EIO, vcpu_bind(t->fd, t->cpu));
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
	ASSERT_ERRNO(EIO, vcpu_unbind(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
	ASSERT_ERRNO(EIO, vcpu_setup(t->fd, GUEST_MODE,
				     VCPU_TEST_CODE_GPA, VCPU_TEST_STACK_GPA, 0, 0));
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
	ASSERT_OK(vcpu_get_regs(t->fd, &regs));
	ASSERT_EQ(VCPU_TEST_CODE_GPA, regs.pc);	/* the guest never ran */
	ASSERT_ERRNO(EIO, vcpu_set_regs(t->fd, &regs));
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
	/* The refused state, readable but not writable; the vendor code. */
	guest_check_fail_entry(_metadata, t, &info, &regs);
	ASSERT_STATE(t->fd, VCPU_STATE_INVALID);
}

TEST_F(state, unknown_ioctl_enotty)
{
	struct vcpu_test *t = &self->t;
	int fds[3] = { t->sys_fd, t->vm_fd, t->fd };
	int i;

	for (i = 0; i < 3; i++) {
		TH_LOG("fd #%d", i);
		ASSERT_ERRNO(ENOTTY, ioctl(fds[i], _IO(VCPU_IO, 0x7f), 0));
		ASSERT_ERRNO(ENOTTY, ioctl(fds[i], _IO('X', 0x01), 0));
	}
	/* A vCPU ioctl on the VM fd and a VM ioctl on the vCPU fd. */
	ASSERT_ERRNO(ENOTTY, ioctl(t->vm_fd, VCPU_RUN, 0));
	ASSERT_ERRNO(ENOTTY, ioctl(t->fd, VCPU_CREATE_VCPU, 1));
	ASSERT_ERRNO(ENOTTY, ioctl(t->sys_fd, VCPU_RUN, 0));
	ASSERT_STATE(t->fd, VCPU_STATE_CREATED);
}

/*
 * The bench floor is debug only and not ABI: a debugfs file that exists
 * only when the module was loaded with bench_floor=1 (make bench does; the
 * lanes do not); its old ioctl number is gone.  Either way it obeys the
 * state machine.
 */
#define VCPU_TEST_FLOOR_PATH "/sys/kernel/debug/vcpu/bench_floor"
#define VCPU_TEST_OLD_FLOOR _IOW(VCPU_IO, 0x2f, uint64_t)

static int vcpu_test_floor(int floor, int fd, unsigned long long count)
{
	char buf[48];
	int len;

	len = snprintf(buf, sizeof(buf), "%d %llu", fd, count);
	return write(floor, buf, len) == len ? 0 : -1;
}

TEST_F(state, bench_floor_debug_only)
{
	struct vcpu_test *t = &self->t;
	char param = 'N';
	int floor;
	FILE *f;

	f = fopen("/sys/module/vcpu/parameters/bench_floor", "r");
	if (f) {
		if (fread(&param, 1, 1, f) != 1)
			param = 'N';
		fclose(f);
	}
	vcpu_test_load(t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_ERRNO(ENOTTY, ioctl(t->fd, VCPU_TEST_OLD_FLOOR, 0));
	floor = open(VCPU_TEST_FLOOR_PATH, O_WRONLY | O_CLOEXEC);
	if (param != 'Y') {
		ASSERT_EQ(-1, floor);
		ASSERT_STATE(t->fd, VCPU_STATE_READY);
		return;
	}
	ASSERT_LE(0, floor);
	ASSERT_ERRNO(EINVAL, vcpu_test_floor(floor, t->fd, 0));
	ASSERT_ERRNO(EINVAL, vcpu_test_floor(floor, t->vm_fd, 1));
	ASSERT_ERRNO(EBADF, vcpu_test_floor(floor, 1000000, 1));
	ASSERT_OK(vcpu_test_floor(floor, t->fd, 1));
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
	ASSERT_PC(t, VCPU_TEST_CODE_GPA + GUEST_HALT_LEN);
	ASSERT_OK(vcpu_unbind(t->fd));
	ASSERT_ERRNO(EBADFD, vcpu_test_floor(floor, t->fd, 1));
	ASSERT_STATE(t->fd, VCPU_STATE_FREE);
	close(floor);
}

TEST_F(state, duplicate_vcpu_id_eexist)
{
	int fd;

	ASSERT_ERRNO(EEXIST, vcpu_create_vcpu(self->t.vm_fd, 0));
	fd = vcpu_create_vcpu(self->t.vm_fd, 7);
	ASSERT_GE(fd, 0);
	ASSERT_ERRNO(EEXIST, vcpu_create_vcpu(self->t.vm_fd, 7));
	close(fd);
}

TEST_F(state, vcpu_id_out_of_range_einval)
{
	int fd;

	ASSERT_ERRNO(EINVAL, vcpu_create_vcpu(self->t.vm_fd, VCPU_MAX_VCPUS));
	ASSERT_ERRNO(EINVAL, vcpu_create_vcpu(self->t.vm_fd, VCPU_MAX_VCPUS + 1));
	ASSERT_ERRNO(EINVAL, vcpu_create_vcpu(self->t.vm_fd, 0x100000000UL));
	ASSERT_ERRNO(EINVAL, vcpu_create_vcpu(self->t.vm_fd, ~0UL));
	fd = vcpu_create_vcpu(self->t.vm_fd, VCPU_MAX_VCPUS - 1);
	ASSERT_GE(fd, 0);
	close(fd);
}

/* Two threads race VCPU_RUN on one spinning vCPU: one runs, one gets EBUSY. */
TEST_F_TIMEOUT(state, racing_run_ebusy, 120)
{
	struct vcpu_test *t = &self->t;
	volatile uint32_t *count = guest_u32(t, VCPU_TEST_DATA_GPA);
	struct vcpu_runner r[2];
	struct vcpu_state_info info;
	struct vcpu_regs regs;
	pthread_barrier_t barrier;
	int i, winner, loser;

	ASSERT_OK(vcpu_install_kick_handler(SIGUSR1));
	vcpu_test_load(t, guest_spin_start, guest_spin_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	/* The racers run on the bound CPU; this thread watches from anywhere. */
	ASSERT_OK(vcpu_unpin_self());

	ASSERT_EQ(0, pthread_barrier_init(&barrier, NULL, 2));
	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].fd = t->fd;
		r[i].cpu = t->cpu;
		r[i].start = &barrier;
		ASSERT_OK(vcpu_runner_start(&r[i]));
	}
	/* One of them returns at once with EBUSY ... */
	for (i = 0; i < 60000; i++) {
		if (vcpu_runner_done(&r[0]) || vcpu_runner_done(&r[1]))
			break;
		usleep(1000);
	}
	ASSERT_OK(vcpu_wait_nonzero(count, NULL, 60000));	/* guest spins */
	winner = vcpu_runner_done(&r[0]) ? 1 : 0;
	loser = !winner;
	ASSERT_EQ(1, vcpu_runner_done(&r[loser]));
	ASSERT_EQ(0, vcpu_runner_done(&r[winner]));
	ASSERT_EQ(-1, r[loser].ret);
	if (r[loser].err != EBUSY)
		TH_LOG("loser: %s, expected EBUSY", vcpu_errno_name(r[loser].err));
	ASSERT_EQ(EBUSY, r[loser].err);

	/* ... while the other is Running, as a third view sees. */
	ASSERT_OK(vcpu_get_state(t->fd, &info));
	ASSERT_EQ(VCPU_STATE_RUNNING, info.state);
	ASSERT_EQ(t->cpu, info.bound_cpu);
	/* Any other call while Running: EBUSY, state unchanged. */
	ASSERT_ERRNO(EBUSY, vcpu_run(t->fd));
	ASSERT_ERRNO(EBUSY, vcpu_get_regs(t->fd, &regs));
	ASSERT_ERRNO(EBUSY, vcpu_unbind(t->fd));
	ASSERT_STATE(t->fd, VCPU_STATE_RUNNING);

	/* Kick the winner out. */
	ASSERT_EQ(0, pthread_kill(r[winner].thread, SIGUSR1));
	ASSERT_OK(vcpu_runner_wait(&r[winner], 30000));
	ASSERT_OK(vcpu_runner_join(&r[0]));
	ASSERT_OK(vcpu_runner_join(&r[1]));
	pthread_barrier_destroy(&barrier);
	ASSERT_EQ(-1, r[winner].ret);
	ASSERT_EQ(EINTR, r[winner].err);
	ASSERT_EQ(VCPU_EXIT_INTR, t->run->exit_reason);
	ASSERT_STATE(t->fd, VCPU_STATE_READY);

	/* Let the guest finish: it reports what the host wrote. */
	ASSERT_OK(vcpu_pin_self(t->cpu));
	*guest_u32(t, VCPU_TEST_DATA_GPA + 4) = 0x600d;
	ASSERT_REPORT(t, 0x600d);
}

TEST_HARNESS_MAIN
