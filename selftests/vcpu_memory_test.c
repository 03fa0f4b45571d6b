// SPDX-License-Identifier: GPL-2.0
/*
 * Memory regions: argument checks of VCPU_SET_MEMORY_REGION, delete and
 * re-add, read-only slots, memory shared between host and guest, and the
 * MMIO hole.  Shared by every architecture (guests from lib/guest.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "guest.h"

#define SZ_4K	0x1000ULL
#define SZ_64K	0x10000ULL
#define SZ_1M	0x100000ULL
#define SZ_2M	0x200000ULL
#define BUF_SIZE (8 * SZ_1M)

FIXTURE(mem) {
	struct vcpu_test t;	/* VM + vCPU 0, no region yet */
	uint8_t *buf;		/* BUF_SIZE bytes to back regions with */
};

FIXTURE_SETUP(mem)
{
	VCPU_REQUIRE_DEV();
	ASSERT_OK(vcpu_test_init(&self->t, 0));
	self->buf = vcpu_alloc_mem(BUF_SIZE);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(mem)
{
	vcpu_test_fini(&self->t);
	vcpu_free_mem(self->buf, BUF_SIZE);
}

/* Region 0 = [0, 2M) backed by t->mem, with the snippet loaded. */
static void add_code_region(struct __test_metadata *_metadata,
			    struct vcpu_test *t, const uint8_t *start,
			    const uint8_t *end)
{
	t->mem = vcpu_alloc_mem(VCPU_TEST_MEM_SIZE);
	ASSERT_NE(NULL, t->mem);
	t->mem_size = VCPU_TEST_MEM_SIZE;
	vcpu_test_load(t, start, end);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 0, 0, 0, VCPU_TEST_MEM_SIZE, t->mem));
}

TEST_F(mem, region_overlap_eexist)
{
	int vm = self->t.vm_fd;
	uint8_t *b = self->buf;

	ASSERT_OK(vcpu_set_region(vm, 0, 0, 2 * SZ_1M, SZ_2M, b));
	ASSERT_ERRNO(EEXIST, vcpu_set_region(vm, 1, 0, 1 * SZ_1M, SZ_2M, b + SZ_2M));
	ASSERT_ERRNO(EEXIST, vcpu_set_region(vm, 1, 0, 3 * SZ_1M, SZ_2M, b + SZ_2M));
	ASSERT_ERRNO(EEXIST, vcpu_set_region(vm, 1, 0, 2 * SZ_1M + SZ_4K, SZ_4K, b + SZ_2M));
	ASSERT_ERRNO(EEXIST, vcpu_set_region(vm, 1, 0, 1 * SZ_1M, 4 * SZ_1M, b + SZ_2M));
	ASSERT_ERRNO(EEXIST, vcpu_set_region(vm, 1, 0, 4 * SZ_1M - SZ_4K, SZ_2M, b + SZ_2M));
	/* Touching is not overlapping. */
	ASSERT_OK(vcpu_set_region(vm, 1, 0, 0, SZ_2M, b + SZ_2M));
	ASSERT_OK(vcpu_set_region(vm, 2, 0, 4 * SZ_1M, SZ_2M, b + 2 * SZ_2M));
}

TEST_F(mem, region_slot_reuse_eexist)
{
	int vm = self->t.vm_fd;
	uint8_t *b = self->buf;

	ASSERT_OK(vcpu_set_region(vm, 0, 0, 0, SZ_1M, b));
	ASSERT_ERRNO(EEXIST, vcpu_set_region(vm, 0, 0, 4 * SZ_1M, SZ_1M, b + SZ_1M));
	/* Delete, then the slot (and the range) can be used again. */
	ASSERT_OK(vcpu_set_region(vm, 0, 0, 0, 0, NULL));
	ASSERT_OK(vcpu_set_region(vm, 0, 0, 4 * SZ_1M, SZ_1M, b + SZ_1M));
	ASSERT_OK(vcpu_set_region(vm, 1, 0, 0, SZ_1M, b));
}

TEST_F(mem, region_unaligned_einval)
{
	int vm = self->t.vm_fd;
	uint8_t *b = self->buf;

	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 0, 0x800, SZ_64K, b));
	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 0, 0, SZ_64K + 0x800, b));
	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 0, 0, 0x100, b));
	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 0, 0, SZ_64K, b + 0x10));
	/* Nothing was added: the same slot and range are free. */
	ASSERT_OK(vcpu_set_region(vm, 0, 0, 0, SZ_64K, b));
}

TEST_F(mem, region_too_big_e2big)
{
	int vm = self->t.vm_fd;

	ASSERT_ERRNO(E2BIG, vcpu_set_region(vm, 0, 0, 0,
					    VCPU_MAX_REGION_SIZE + SZ_4K, self->buf));
	ASSERT_ERRNO(E2BIG, vcpu_set_region(vm, 0, 0, 0,
					    2 * VCPU_MAX_REGION_SIZE, self->buf));
	ASSERT_OK(vcpu_set_region(vm, 0, 0, 0, SZ_2M, self->buf));
}

TEST_F(mem, region_gpa_out_of_range_einval)
{
	int vm = self->t.vm_fd;

	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 0, 1ULL << 60, SZ_4K, self->buf));
	/* gpa + size wraps around */
	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 0, ~0ULL - SZ_4K + 1, 2 * SZ_4K,
					     self->buf));
	ASSERT_OK(vcpu_set_region(vm, 0, 0, 0, SZ_4K, self->buf));
}

TEST_F(mem, region_bad_slot_einval)
{
	int vm = self->t.vm_fd;

	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, VCPU_MAX_MEM_SLOTS, 0, 0, SZ_4K, self->buf));
	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0xffffffff, 0, 0, SZ_4K, self->buf));
	ASSERT_OK(vcpu_set_region(vm, VCPU_MAX_MEM_SLOTS - 1, 0, 0, SZ_4K, self->buf));
}

TEST_F(mem, region_bad_flags_einval)
{
	int vm = self->t.vm_fd;

	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 1U << 1, 0, SZ_4K, self->buf));
	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, 1U << 31, 0, SZ_4K, self->buf));
	ASSERT_ERRNO(EINVAL, vcpu_set_region(vm, 0, ~(uint32_t)VCPU_MEM_FLAGS_ALL,
					     0, SZ_4K, self->buf));
	ASSERT_OK(vcpu_set_region(vm, 0, VCPU_MEM_READONLY, 0, SZ_4K, self->buf));
}

TEST_F(mem, region_bad_uaddr_efault)
{
	int vm = self->t.vm_fd;
	uint8_t *p, *ro;

	/* Unmapped. */
	p = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 2 * SZ_4K, 2 * SZ_4K));
	ASSERT_ERRNO(EFAULT, vcpu_set_region(vm, 0, 0, 0, 2 * SZ_4K, p + 2 * SZ_4K));
	/* Half mapped. */
	ASSERT_ERRNO(EFAULT, vcpu_set_region(vm, 0, 0, 0, 4 * SZ_4K, p));

	/* Read-only memory needs VCPU_MEM_READONLY. */
	ro = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	memset(ro, 0x42, 4 * SZ_4K);	/* real pages, not the zero page */
	ASSERT_EQ(0, mprotect(ro, 4 * SZ_4K, PROT_READ));
	ASSERT_ERRNO(EFAULT, vcpu_set_region(vm, 0, 0, 0, 4 * SZ_4K, ro));
	ASSERT_OK(vcpu_set_region(vm, 0, VCPU_MEM_READONLY, 0, 4 * SZ_4K, ro));
	/* The failures left nothing behind: slot 1 over a mapped buffer works. */
	ASSERT_OK(vcpu_set_region(vm, 1, 0, SZ_1M, 2 * SZ_4K, p));
	ASSERT_OK(vcpu_set_region(vm, 1, 0, 0, 0, NULL));
	ASSERT_OK(vcpu_set_region(vm, 0, 0, 0, 0, NULL));
	munmap(ro, 4 * SZ_4K);
	munmap(p, 2 * SZ_4K);
}

TEST_F(mem, all_slots_usable)
{
	int vm = self->t.vm_fd;
	uint32_t slot;

	for (slot = 0; slot < VCPU_MAX_MEM_SLOTS; slot++) {
		TH_LOG("slot %u", slot);
		ASSERT_OK(vcpu_set_region(vm, slot, 0, slot * SZ_64K, SZ_64K,
					  self->buf + slot * SZ_64K));
	}
	for (slot = 0; slot < VCPU_MAX_MEM_SLOTS; slot++)
		ASSERT_OK(vcpu_set_region(vm, slot, 0, 0, 0, NULL));
}

/* Delete region 0 and back GPA 0 with another buffer: the guest runs that. */
TEST_F(mem, delete_then_readd_runs_new_memory)
{
	struct vcpu_test *t = &self->t;

	vcpu_load_code(self->buf, 0, VCPU_TEST_CODE_GPA, guest_hlt_start,
		       guest_hlt_end);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 0, 0, 0, VCPU_TEST_MEM_SIZE, self->buf));
	ASSERT_OK(vcpu_set_region(t->vm_fd, 0, 0, 0, 0, NULL));
	add_code_region(_metadata, t, guest_out_start, guest_out_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_REPORT(t, 0x11);
}

TEST_F(mem, readonly_region_read_ok_write_faults)
{
	struct vcpu_test *t = &self->t;
	uint64_t store = VCPU_GUEST_ADDR(guest_readonly_start, guest_readonly_store);
	uint32_t *ro = (uint32_t *)self->buf;
	int i;

	memset(self->buf, 0xaa, SZ_64K);
	ro[0] = 0xfeedf00d;
	add_code_region(_metadata, t, guest_readonly_start, guest_readonly_end);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, VCPU_MEM_READONLY, SZ_2M, SZ_64K,
				  self->buf));
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));

	/* The read is plain memory. */
	ASSERT_REPORT(t, 0xfeedf00d);

	/* The write faults, twice: the guest does not advance. */
	for (i = 0; i < 2; i++) {
		ASSERT_RUN_EXIT(t, VCPU_EXIT_NESTED_PAGE_FAULT);
		TH_LOG("npf gpa %#llx access %#x hw %#llx",
		       (unsigned long long)t->run->npf.gpa, t->run->npf.access,
		       (unsigned long long)t->run->npf.hw_info);
		ASSERT_EQ(SZ_2M + 0x10, t->run->npf.gpa);
		ASSERT_EQ(GUEST_NPF_RO_WRITE, t->run->npf.access &
			  GUEST_NPF_RO_WRITE_MASK);
		ASSERT_PC(t, store);
		ASSERT_EQ(0xaaaaaaaa, ro[4]);
	}
	ASSERT_STATE(t->fd, VCPU_STATE_READY);
}

TEST_F(mem, host_write_seen_by_guest)
{
	struct vcpu_test *t = &self->t;

	add_code_region(_metadata, t, guest_shared_start, guest_shared_end);
	*(volatile uint32_t *)(t->mem + VCPU_TEST_DATA_GPA + 4) = 0x13579bdf;
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_REPORT(t, 0x13579bdf);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

TEST_F(mem, guest_write_seen_by_host)
{
	struct vcpu_test *t = &self->t;
	volatile uint32_t *p;

	add_code_region(_metadata, t, guest_shared_start, guest_shared_end);
	p = (volatile uint32_t *)(t->mem + VCPU_TEST_DATA_GPA + 8);
	*p = 0x11111111;
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_RUN_EXIT(t, GUEST_REPORT_EXIT);
	ASSERT_EQ(0x11111111, *p);	/* not written yet */
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_EQ(0xdeadbeef, *p);
}

/*
 * A region backed by a shared file mapping (memfd): the guest's store
 * reaches the file and stays there after the region is removed (its pages
 * unpinned, marked dirty: the guest wrote them behind the host's page
 * tables) and the mapping is gone.  tmpfs keeps a page whether or not it
 * was marked dirty, so this shows the write reaching the file, not the
 * dirty marking itself: that needs a file on a disk, which the lanes
 * have none of.
 */
TEST_F(mem, guest_write_reaches_shared_file)
{
	struct vcpu_test *t = &self->t;
	uint32_t v = 0;
	int fd;

	fd = memfd_create("vcpu_region", 0);
	ASSERT_LE(0, fd);
	ASSERT_OK(ftruncate(fd, VCPU_TEST_MEM_SIZE));
	t->mem = mmap(NULL, VCPU_TEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, t->mem);
	t->mem_size = VCPU_TEST_MEM_SIZE;
	vcpu_test_load(t, guest_shared_start, guest_shared_end);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 0, 0, 0, VCPU_TEST_MEM_SIZE, t->mem));
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	ASSERT_RUN_EXIT(t, GUEST_REPORT_EXIT);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 0, 0, 0, 0, NULL));
	ASSERT_OK(msync(t->mem, VCPU_TEST_MEM_SIZE, MS_SYNC));
	ASSERT_OK(munmap(t->mem, VCPU_TEST_MEM_SIZE));
	t->mem = NULL;
	ASSERT_EQ(sizeof(v), pread(fd, &v, sizeof(v), VCPU_TEST_DATA_GPA + 8));
	ASSERT_EQ(0xdeadbeef, v);
	close(fd);
}

/*
 * GPA 0x200000 lies between region 0 ([0, 2M)) and region 1 ([4M, 6M)):
 * reading it is an MMIO exit, whatever host memory lies next to the
 * buffers; reading 0x400000 is region 1.
 */
TEST_F(mem, unbacked_read_is_mmio)
{
	struct vcpu_test *t = &self->t;

	memset(self->buf, 0x5c, BUF_SIZE);
	*(uint32_t *)self->buf = 0x2468ace0;
	add_code_region(_metadata, t, guest_read_gap_start, guest_read_gap_end);
	memset(t->mem + SZ_2M - SZ_64K, 0x77, SZ_64K);
	ASSERT_OK(vcpu_set_region(t->vm_fd, 1, 0, 4 * SZ_1M, SZ_2M, self->buf));
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));

	ASSERT_RUN_EXIT(t, VCPU_EXIT_MMIO_READ);
	ASSERT_EQ(SZ_2M, t->run->mmio.addr);
	ASSERT_EQ(4, t->run->mmio.width);
	ASSERT_EQ(GUEST_MMIO_REG, t->run->mmio.reg);
	t->run->mmio.data = 0x600dcafe;
	ASSERT_REPORT(t, 0x600dcafe);
	ASSERT_REPORT(t, 0x2468ace0);
	ASSERT_RUN_EXIT(t, VCPU_EXIT_HALT);
}

/* A "Key:   N ..." line of a /proc file, or -1. */
static long long proc_value(const char *path, const char *key)
{
	size_t klen = strlen(key);
	long long v = -1;
	char line[256];
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) &&
		    sscanf(line + klen, " %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static long long locked_kb(void)
{
	return proc_value("/proc/self/status", "VmLck:");
}

static long long pins_taken(void)
{
	return proc_value("/proc/vmstat", "nr_foll_pin_acquired");
}

/*
 * Region pages are locked memory: without CAP_IPC_LOCK they count against
 * RLIMIT_MEMLOCK (VmLck), a region over the limit fails with ENOMEM before
 * any page is pinned, and deleting a region gives its share back.  With
 * CAP_IPC_LOCK the limit does not apply, but the pages are still counted.
 * Run in a child that lowers its limit to 1 MiB (and drops root for the
 * first part); the child's exit status names the step that failed.
 */
static int memlock_child(struct vcpu_test *t, uint8_t *buf)
{
	struct rlimit rl = { SZ_1M, SZ_1M };
	int vm = t->vm_fd;
	long long l0, p0;

	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return 10;
	/* CAP_IPC_LOCK: over the limit is allowed, and counted. */
	l0 = locked_kb();
	if (l0 < 0 || vcpu_set_region(vm, 0, 0, 0, SZ_2M, buf))
		return 11;
	if (locked_kb() != l0 + 2048)
		return 12;
	if (vcpu_set_region(vm, 0, 0, 0, 0, buf) || locked_kb() != l0)
		return 13;
	/* An unprivileged user: every uid 65534 drops the capabilities. */
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 20;
	p0 = pins_taken();
	if (p0 < 0)
		return 21;
	if (!vcpu_set_region(vm, 0, 0, 0, SZ_2M, buf) || errno != ENOMEM)
		return 22;
	if (locked_kb() != l0 || pins_taken() != p0)
		return 23;
	if (vcpu_set_region(vm, 0, 0, 0, SZ_1M / 2, buf))
		return 24;
	if (locked_kb() != l0 + 512)
		return 25;
	/* 512 KiB + 1 MiB is over: the second region pins nothing. */
	p0 = pins_taken();
	if (!vcpu_set_region(vm, 1, 0, SZ_1M, SZ_1M, buf + SZ_1M) ||
	    errno != ENOMEM)
		return 26;
	if (locked_kb() != l0 + 512 || pins_taken() != p0)
		return 27;
	if (vcpu_set_region(vm, 1, 0, SZ_1M, SZ_1M / 2, buf + SZ_1M))
		return 28;
	if (vcpu_set_region(vm, 0, 0, 0, 0, buf) ||
	    vcpu_set_region(vm, 1, 0, 0, 0, buf) || locked_kb() != l0)
		return 29;
	return 0;
}

TEST_F(mem, regions_count_against_rlimit_memlock)
{
	int status;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root to drop to an unprivileged user");
	EXPECT_EQ(1, ioctl(self->t.sys_fd, VCPU_CHECK_EXTENSION,
			   VCPU_CAP_MEMLOCK));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(memlock_child(&self->t, self->buf));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("failed at step %d (see memlock_child)",
		       WEXITSTATUS(status));
	}
}

TEST_HARNESS_MAIN
