/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvmm: a small VMM library on the /dev/vcpu API (include/uapi/linux/
 * vcpu.h).  What vcpuctl, the selftests and vcpubench share: a VM with its
 * guest memory, vCPUs each run by one thread, a device bus, loaders, and
 * the platforms that boot an unmodified Linux (x86: tools/vmm/x86/,
 * arm64: tools/vmm/arm64/).
 *
 * Threads and locking
 * -------------------
 *   One thread per vCPU runs VCPU_RUN in a loop and handles that vCPU's
 *   exits (vmm_vcpu_thread).  The main thread runs vmm_loop(): the console
 *   and every timer or file a device registered (vmm_loop_add_fd).  No lock
 *   covers the exit path as a whole: the bus is fixed before the first
 *   vCPU starts (lookups take no lock), and each device has its own mutex,
 *   taken by the bus around its read/write.  Interrupt lines go through
 *   the platform's interrupt controller (its own lock) to a vCPU with
 *   VCPU_INJECT_IRQ, which any thread may call.  Lock order: device, then
 *   interrupt controller, then per-vCPU interrupt state.  A device never
 *   calls back into another device while holding its own lock except to
 *   raise or lower a line.
 *
 * Stopping
 *   vmm_stop() records why (first caller wins), sets vm->stopping and
 *   kicks every vCPU (VCPU_KICK also wakes a vCPU blocked in HLT/WFI);
 *   each vCPU thread ends at its next INTR.  vmm_loop() returns once the
 *   VM is stopping and every vCPU thread ended.
 */
#ifndef VMM_H
#define VMM_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/vcpu.h>

#define VMM_MAX_VCPUS		64
#define VMM_MAX_MEM		4
#define VMM_MAX_DEVS		64
#define VMM_MAX_LOOP_FDS	32
#define VMM_EXIT_KINDS		32	/* counters per exit reason */

/* vm->status, the process exit status vcpuctl returns. */
#define VMM_STATUS_OFF		0	/* guest power-off (or every vCPU halted) */
#define VMM_STATUS_ERROR	1	/* the VMM or the guest failed */
#define VMM_STATUS_RESET	3	/* guest reset or x86 triple fault */
#define VMM_STATUS_SIGNAL	130	/* stopped by SIGINT/SIGTERM */

struct vmm_vm;
struct vmm_vcpu;
struct vmm_device;
struct vmm_console;

/* ---- devices and the bus ------------------------------------------------ */

enum vmm_space {
	VMM_SPACE_PIO,		/* x86 port I/O */
	VMM_SPACE_MMIO,		/* guest-physical addresses without memory */
};

/*
 * A device's accessors get the offset from the range's base, the access
 * width in bytes (1, 2, 4 or 8) and the vCPU making it.  Called with the
 * device's lock held.  A read returns the value in *@val (zero-extended);
 * an access the device does not implement reads as zero and is ignored.
 */
struct vmm_device_ops {
	uint64_t (*read)(struct vmm_device *dev, struct vmm_vcpu *vcpu,
			 uint64_t off, unsigned int width);
	void (*write)(struct vmm_device *dev, struct vmm_vcpu *vcpu,
		      uint64_t off, unsigned int width, uint64_t val);
};

struct vmm_device {
	const char *name;
	const struct vmm_device_ops *ops;
	pthread_mutex_t lock;
	void *priv;
	uint64_t accesses;	/* counted under lock */
};

/* Initialise @dev (its lock) with @name, @ops and @priv. */
void vmm_device_init(struct vmm_device *dev, const char *name,
		     const struct vmm_device_ops *ops, void *priv);
/*
 * Claim [@base, @base + @len) of @space for @dev.  Only before the first
 * vCPU starts.  -1 (errno EEXIST) on an overlap, ENOSPC when full.
 */
int vmm_bus_add(struct vmm_vm *vm, enum vmm_space space, uint64_t base,
		uint64_t len, struct vmm_device *dev);
/*
 * An access by @vcpu: 0 with *@val filled for a read, -1 when no device
 * claims the address (the caller decides: unclaimed ports read as all
 * ones, as on an ISA bus; unclaimed MMIO as zero).
 */
int vmm_bus_read(struct vmm_vm *vm, struct vmm_vcpu *vcpu, enum vmm_space space,
		 uint64_t addr, unsigned int width, uint64_t *val);
int vmm_bus_write(struct vmm_vm *vm, struct vmm_vcpu *vcpu, enum vmm_space space,
		  uint64_t addr, unsigned int width, uint64_t val);

/* ---- the platform: what a machine adds to the core ------------------------ */

/*
 * Every hook is optional.  sysreg_*: x86 RDMSR/WRMSR, arm64 MRS/MSR exits
 * (return false: not handled, the core answers 0 / ignores it and counts
 * it in vcpu->unhandled); hypercall: returns the guest's result; irq_line:
 * a device's interrupt line @line (x86 GSI, arm64 SPI number from 32) to
 * @level; cpu_up/send_ipi: the exits of the same name (cpu_up finds the
 * target and calls vmm_vcpu_power_on()); vcpu_start: on the target's own
 * thread, put a vCPU the guest turns on into its start state (@first: it
 * never ran, VCPU_SETUP and VCPU_BIND are still to do; else it is Ready
 * and was parked after CPU_DOWN).
 */
struct vmm_platform {
	const char *name;
	int (*vcpu_start)(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up,
			  bool first);
	bool (*sysreg_read)(struct vmm_vcpu *vcpu, uint64_t addr, uint64_t *val);
	bool (*sysreg_write)(struct vmm_vcpu *vcpu, uint64_t addr, uint64_t val);
	uint64_t (*hypercall)(struct vmm_vcpu *vcpu, const struct vcpu_exit_hypercall *hc);
	void (*irq_line)(struct vmm_vm *vm, unsigned int line, int level);
	void (*cpu_up)(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up);
	void (*send_ipi)(struct vmm_vcpu *vcpu, const struct vcpu_exit_send_ipi *ipi);
	void (*destroy)(struct vmm_vm *vm);
};

/* ---- VM, memory, vCPUs ------------------------------------------------------ */

struct vmm_mem {
	uint64_t gpa;
	uint64_t size;
	uint8_t *host;
};

struct vmm_range {
	uint64_t base, len;
	struct vmm_device *dev;
};

struct vmm_bus {
	struct vmm_range r[VMM_MAX_DEVS];
	unsigned int n;
};

enum vmm_vcpu_state {
	VMM_VCPU_OFF,		/* created, not started (or stopped) */
	VMM_VCPU_RUNNING,	/* its thread runs VCPU_RUN */
	VMM_VCPU_PARKED,	/* the guest turned it off: waits for CPU_UP */
};

struct vmm_vcpu {
	struct vmm_vm *vm;
	unsigned int id;
	int fd;
	struct vcpu_run *run;
	size_t run_size;
	int host_cpu;			/* VCPU_BIND target */
	pthread_t thread;
	bool thread_started;
	enum vmm_vcpu_state state;	/* under vm->lock */
	pthread_cond_t wake;		/* PARKED -> RUNNING, under vm->lock */
	struct vcpu_exit_cpu_up start;	/* the pending start-up, under vm->lock */
	bool start_pending;
	uint64_t exits[VMM_EXIT_KINDS];	/* delivered exits by reason */
	uint64_t unhandled;		/* sysregs/ports nobody claimed */
	void *arch;			/* the platform's per-vCPU state */
};

struct vmm_loop_fd {
	int fd;
	void (*cb)(struct vmm_vm *vm, int fd, void *arg);
	void *arg;
};

struct vmm_vm {
	int sys_fd, vm_fd;
	size_t run_size;
	struct vmm_mem mem[VMM_MAX_MEM];
	unsigned int nr_mem;
	struct vmm_bus bus[2];		/* by enum vmm_space */
	bool bus_frozen;

	pthread_mutex_t lock;		/* vCPU lifecycle, stop */
	struct vmm_vcpu *vcpus[VMM_MAX_VCPUS];
	unsigned int nr_vcpus;
	unsigned int threads_running;
	int stop_efd;			/* eventfd: wakes vmm_loop() */
	volatile int stopping;
	volatile sig_atomic_t pending_signal;	/* set by the signal handler */
	int status;			/* vmm_stop()'s: process exit status */
	char why[128];			/* vmm_stop()'s: what happened */

	struct vmm_loop_fd loop[VMM_MAX_LOOP_FDS];
	unsigned int nr_loop;

	const struct vmm_platform *plat;
	void *arch;			/* the platform's per-VM state */
	uint32_t setup_flags;		/* VCPU_SETUP_F_* for every vCPU */
	FILE *trace;			/* exit trace, or NULL */
	bool verbose;
	/*
	 * When each of @mark[0..nr_marks) first appears in the console
	 * output: print the time since vmm_vm_create() and the exits so far
	 * to stderr (under QEMU's icount, where make bench runs, nanoseconds
	 * are instructions).
	 */
#define VMM_MAX_MARKS	8
	const char *mark[VMM_MAX_MARKS];
	unsigned int nr_marks;
	uint64_t t0_ns;			/* CLOCK_MONOTONIC at creation */
	struct vmm_console *console;
};

/* Open /dev/vcpu, create a VM.  NULL on failure (printed). */
struct vmm_vm *vmm_vm_create(void);
/* Close everything (vCPU threads must have ended: vmm_loop()). */
void vmm_vm_destroy(struct vmm_vm *vm);

/*
 * Anonymous memory of @size bytes at @gpa, registered as one slot (or
 * read-only).  Returns the host address, NULL on failure (printed).
 */
void *vmm_mem_add(struct vmm_vm *vm, uint64_t gpa, uint64_t size, bool readonly);
/* Host address of [@gpa, @gpa + @len) if it is all memory, else NULL. */
void *vmm_gpa(struct vmm_vm *vm, uint64_t gpa, uint64_t len);

/*
 * Create vCPU @id (VCPU_CREATE_VCPU, mmap its page), bound later to
 * @host_cpu.  Not started.  NULL on failure (printed).
 */
struct vmm_vcpu *vmm_vcpu_create(struct vmm_vm *vm, unsigned int id, int host_cpu);
/*
 * VCPU_SETUP (Created -> Free: the registers, CPUID and exit filter may
 * be set now), then VCPU_BIND to vcpu->host_cpu (Free -> Ready).  -1 on
 * failure (printed).
 */
int vmm_vcpu_setup(struct vmm_vcpu *vcpu, uint32_t mode, uint64_t entry,
		   uint64_t stack, uint64_t page_table, uint64_t arg);
int vmm_vcpu_bind(struct vmm_vcpu *vcpu);
/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t vmm_now_ns(void);
/* Start @vcpu's thread (the vCPU must be set up and bound). */
int vmm_vcpu_start(struct vmm_vcpu *vcpu);
/*
 * Start a vCPU the guest turns on (CPU_UP): a parked vCPU is woken with
 * @up, an unstarted one gets its thread; the platform's cpu_up hook does
 * the mode-specific setup through vmm_vcpu_start_at().
 */
int vmm_vcpu_power_on(struct vmm_vcpu *vcpu, const struct vcpu_exit_cpu_up *up);
struct vmm_vcpu *vmm_vcpu_by_id(struct vmm_vm *vm, unsigned int id);

int vmm_get_regs(struct vmm_vcpu *vcpu, struct vcpu_regs *regs);
int vmm_set_regs(struct vmm_vcpu *vcpu, const struct vcpu_regs *regs);
int vmm_get_one_reg(struct vmm_vcpu *vcpu, uint64_t id, uint64_t *val);
int vmm_set_one_reg(struct vmm_vcpu *vcpu, uint64_t id, uint64_t val);
/* VCPU_INJECT_IRQ (any thread).  -1 on failure. */
int vmm_vcpu_inject(struct vmm_vcpu *vcpu, uint32_t irq);
void vmm_vcpu_kick(struct vmm_vcpu *vcpu);

/* A device's interrupt line to @level (the platform's irq_line). */
void vmm_irq_line(struct vmm_vm *vm, unsigned int line, int level);
/* The CPUs this process may run on, at most @max; their number. */
int vmm_host_cpus(int *cpus, int max);

/* ---- running ------------------------------------------------------------------ */

/* Call @cb from vmm_loop() whenever @fd is readable. */
int vmm_loop_add_fd(struct vmm_vm *vm, int fd,
		    void (*cb)(struct vmm_vm *vm, int fd, void *arg), void *arg);
/*
 * Run until the VM stops (guest power-off or reset, a fatal exit, a
 * signal: see vmm_install_signals()).  Returns vm->status.
 */
int vmm_loop(struct vmm_vm *vm);
/* Make vmm_loop() look at the VM's state again (any thread). */
void vmm_loop_wake(struct vmm_vm *vm);
/* Stop the VM: @status and @why (printf format) recorded by the first caller. */
void vmm_stop(struct vmm_vm *vm, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* SIGINT/SIGTERM stop the VM passed last; SIGUSR1 is the kick signal. */
int vmm_install_signals(struct vmm_vm *vm);

/* Print a summary: why it stopped, exits by kind (all vCPUs). */
void vmm_print_summary(struct vmm_vm *vm, FILE *f, const char *prefix);
/* Exits by kind summed over the vCPUs so far, as "KIND n, KIND n". */
void vmm_format_exits(struct vmm_vm *vm, char *buf, size_t len);
const char *vmm_exit_name(uint32_t reason);

/* ---- loaders ---------------------------------------------------------------------- */

/* Read a whole file into malloc'd memory.  NULL on failure (printed). */
void *vmm_read_file(const char *path, size_t *len);
/* Copy @len bytes to guest memory at @gpa.  -1 if it does not fit. */
int vmm_copy_to_guest(struct vmm_vm *vm, uint64_t gpa, const void *src, size_t len);

/* ---- x86 page tables (core/pgtable.c) ---- */

/* Pages vmm_x86_identity_map() writes to map [0, @span). */
uint64_t vmm_x86_identity_map_pages(uint64_t span);
/*
 * 4-level x86-64 tables in @table (the host view of guest memory at
 * @table_gpa, vmm_x86_identity_map_pages() pages) mapping [0, @span) one
 * to one with 2 MiB pages, writable and executable, accessed and dirty;
 * the PML4 first, so @table_gpa is the CR3 value.  -1 for an empty span,
 * one over 512 GiB or an unaligned @table_gpa.
 */
int vmm_x86_identity_map(void *table, uint64_t table_gpa, uint64_t span);

/* ---- console ---------------------------------------------------------------------- */

/*
 * The guest's console on the process's stdin/stdout.  @rx gets the input
 * bytes as they come (called from vmm_loop(), with no lock held); a
 * terminal is put in raw mode but for its signals (Ctrl-C stops the VM)
 * and restored by vmm_vm_destroy() or at exit.  Output is written
 * unbuffered; vmm_console_write() may be called from any thread.
 */
int vmm_console_open(struct vmm_vm *vm,
		     void (*rx)(void *arg, const uint8_t *buf, size_t n), void *arg);
void vmm_console_write(struct vmm_vm *vm, const void *buf, size_t n);

/* ---- booting Linux ---------------------------------------------------------------- */

struct vmm_boot {
	const char *kernel;	/* x86: bzImage; arm64: Image (or Image.gz) */
	const char *initrd;	/* or NULL */
	const char *append;	/* kernel command line, or NULL for the default */
	uint64_t mem_mib;	/* guest RAM */
	unsigned int nr_cpus;	/* vCPUs; the guest starts the others itself */
};

/*
 * Build the machine for an unmodified Linux on @vm: memory, devices,
 * firmware tables or device tree, vCPUs (bound round-robin to the host's
 * online CPUs), the kernel and initrd; start the boot vCPU.  Then run
 * vmm_loop().  -1 on failure (printed).
 */
int vmm_linux_boot(struct vmm_vm *vm, const struct vmm_boot *boot);

#endif /* VMM_H */
