/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the /dev/vcpu selftests.  Everything returns -1 with errno set
 * on failure (like the ioctls themselves), so tests can assert on errno.
 *
 * This header is also included from the guest assembly (x86/guest_*.S) for
 * the guest-physical layout below; only the #defines are visible there.
 */
#ifndef VCPU_UTIL_H
#define VCPU_UTIL_H

/*
 * Guest-physical layout used by every test (region 0 at GPA 0):
 *   0x1000  guest code (copied from a guest_*_start .. guest_*_end snippet)
 *   0x3000  data page shared between host and guest
 *   0x8000  initial stack (grows down)
 *   0x10000 identity page tables for VCPU_MODE_X86_LONG64 (6 pages)
 *   0x200000 end of the default region (2 MiB)
 *   0xC0000000 MMIO hole: no region there
 */
#define VCPU_TEST_MEM_SIZE	0x200000
#define VCPU_TEST_CODE_GPA	0x1000
#define VCPU_TEST_DATA_GPA	0x3000
#define VCPU_TEST_STACK_GPA	0x8000
#define VCPU_TEST_PT_GPA	0x10000
#define VCPU_TEST_PT_MAP	0x100000000ULL	/* identity map 0..4 GiB */
#define VCPU_TEST_MMIO_GPA	0xC0000000
/* An MSR index no CPU implements (and outside every SVM MSRPM range). */
#define VCPU_TEST_MSR		0x4000ABCD

#ifndef __ASSEMBLER__

#include <pthread.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/vcpu.h>

#include "names.h"	/* tools/vcpuctl: state, exit and errno names */

/* The CPU "bind to whatever CPU we are on" picks. */
#define VCPU_CPU_CURRENT	(-1)

/* One VM with region 0 (GPA 0, mem_size bytes) and one vCPU. */
struct vcpu_test {
	int sys_fd;
	int vm_fd;
	int fd;			/* vCPU fd */
	unsigned int id;	/* vCPU id */
	struct vcpu_run *run;	/* mmap()ed run page */
	size_t run_size;
	uint8_t *mem;		/* backing of region 0 */
	size_t mem_size;
	int cpu;		/* CPU bound by vcpu_test_start(), -1 if none */
};

/* /dev/vcpu and raw object creation */
int vcpu_open_dev(void);
int vcpu_create_vm(int sys_fd);
int vcpu_create_vcpu(int vm_fd, unsigned long id);
void *vcpu_alloc_mem(size_t size);	/* anonymous, MAP_POPULATE; NULL on failure */
void vcpu_free_mem(void *mem, size_t size);
int vcpu_set_region(int vm_fd, uint32_t slot, uint32_t flags, uint64_t gpa,
		    uint64_t size, const void *uaddr);
struct vcpu_run *vcpu_map_run(int sys_fd, int vcpu_fd, size_t *size);

/* vCPU ioctls */
int vcpu_setup(int fd, uint32_t mode, uint64_t entry, uint64_t stack,
	       uint64_t page_table, uint64_t arg);
int vcpu_bind(int fd, long cpu);
int vcpu_unbind(int fd);
int vcpu_run(int fd);
int vcpu_get_regs(int fd, struct vcpu_regs *regs);
int vcpu_set_regs(int fd, const struct vcpu_regs *regs);
int vcpu_get_one_reg(int fd, uint64_t id, uint64_t *value);
int vcpu_set_one_reg(int fd, uint64_t id, uint64_t value);
/*
 * VCPU_GET_REG_LIST of @fd, malloc'd (free()), or NULL.  A whole register
 * file through it: every id with its value (vcpu_one_regs_save()), set in
 * the same order on another vCPU (vcpu_one_regs_restore()); 0 or -1.
 */
struct vcpu_reg_list *vcpu_get_reg_list(int fd);
struct vcpu_one_regs {
	struct vcpu_reg_list *list;
	uint64_t *values;
};
int vcpu_one_regs_save(int fd, struct vcpu_one_regs *s);
int vcpu_one_regs_restore(int fd, const struct vcpu_one_regs *s);
void vcpu_one_regs_free(struct vcpu_one_regs *s);
int vcpu_get_state(int fd, struct vcpu_state_info *info);
/* The vCPU's state, or -1 (errno set) if VCPU_GET_STATE failed. */
int vcpu_state(int fd);

/* Guest memory */
void vcpu_load_code(void *mem, uint64_t mem_gpa, uint64_t gpa,
		    const void *start, const void *end);
/*
 * Identity-map [0, map_size) with 2 MiB pages in a 4-level table written at
 * pt_gpa (inside the buffer mem that backs mem_gpa).  Uses
 * 2 + ceil(map_size / 1 GiB) pages.  Returns the CR3 value (pt_gpa).
 */
uint64_t vcpu_build_page_tables(void *mem, uint64_t mem_gpa, uint64_t pt_gpa,
				uint64_t map_size);

/* Host CPUs and threads */
int vcpu_current_cpu(void);		/* sched_getcpu(), or 0 */
int vcpu_pin_self(int cpu);
int vcpu_unpin_self(void);		/* allow every CPU again */
int vcpu_online_cpus(int *cpus, int max);	/* CPUs we may run on */
int vcpu_install_kick_handler(int sig);	/* no-op handler, no SA_RESTART */
int vcpu_cpu_is_amd(void);
/*
 * A child memory cgroup at @path (mounting cgroup2 and enabling the memory
 * controller first when needed); false if the kernel offers none.
 */
bool vcpu_memcg_create(const char *path);

/*
 * A thread that calls VCPU_RUN once on fd (pinned to cpu unless cpu < 0,
 * after waiting on start if given) and records the result.
 */
struct vcpu_runner {
	int fd;
	int cpu;
	pthread_barrier_t *start;
	pthread_t thread;
	int ret;		/* VCPU_RUN's return value */
	int err;		/* and errno */
	int done;		/* non-zero once VCPU_RUN returned (atomic) */
};

int vcpu_runner_start(struct vcpu_runner *r);
int vcpu_runner_join(struct vcpu_runner *r);
int vcpu_runner_done(struct vcpu_runner *r);
/* Wait until *p != 0 or *done != 0 (done may be NULL); -1 on timeout. */
int vcpu_wait_nonzero(const volatile uint32_t *p, const int *done,
		      int timeout_ms);
/* Wait until r returned; -1 on timeout. */
int vcpu_runner_wait(struct vcpu_runner *r, int timeout_ms);

/* Diagnostics */
const char *vcpu_exit_name(uint32_t reason);
void vcpu_dump(FILE *f, int fd, const struct vcpu_run *run);

/* struct vcpu_test: a VM, region 0 at GPA 0, vCPU id 0 and its run page */
int vcpu_test_init(struct vcpu_test *t, size_t mem_size);
int vcpu_test_init_id(struct vcpu_test *t, size_t mem_size, unsigned int id);
void vcpu_test_load(struct vcpu_test *t, const void *start, const void *end);
/*
 * The page_table argument of SETUP in mode: for LONG64 the identity tables,
 * built at VCPU_TEST_PT_GPA in t->mem (the CR3 value); 0 for other modes.
 */
uint64_t vcpu_test_page_table(struct vcpu_test *t, uint32_t mode);
/* SETUP in mode (entry VCPU_TEST_CODE_GPA, stack VCPU_TEST_STACK_GPA). */
int vcpu_test_setup(struct vcpu_test *t, uint32_t mode, uint64_t arg);
/*
 * vcpu_test_setup(), then pin the calling thread to cpu (or the current
 * one for VCPU_CPU_CURRENT) and BIND there.
 */
int vcpu_test_start(struct vcpu_test *t, uint32_t mode, uint64_t arg, int cpu);
void vcpu_test_fini(struct vcpu_test *t);

/* Offset of a label inside a guest snippet, as a guest address. */
#define VCPU_GUEST_ADDR(start, label) \
	((uint64_t)VCPU_TEST_CODE_GPA + (uint64_t)((const uint8_t *)(label) - \
						   (const uint8_t *)(start)))

#define VCPU_GUEST_SNIPPET(name) \
	extern const uint8_t name##_start[], name##_end[]

#endif /* __ASSEMBLER__ */
#endif /* VCPU_UTIL_H */
