// SPDX-License-Identifier: GPL-2.0
/*
 * vcpubench: round-trip, memory and scaling figures of /dev/vcpu next to
 * /dev/kvm, measured in one boot on the same (emulated) CPU.
 *
 *   vcpubench [-n ITER] [-r REPS] [-k K] [--no-kvm] [--no-vcpu] [--no-scale]
 *             [--insn NS] [--lane NAME]
 *
 * Every timing is CLOCK_MONOTONIC over ITER round trips, repeated REPS
 * times; the median and the min/max of the repetitions are reported in ns
 * per round trip.  With --insn NS the emulator's guest clock counts
 * instructions (QEMU -icount shift=0: 1 ns per instruction; Bochs with
 * ips=100M: 10 ns) and every timing is reported as instructions per round
 * trip instead: a path length, the same from run to run whatever the load
 * of the machine running the emulator.  Rates (exits/s) mean nothing then
 * and are left out.  The module's part runs first and closes every vCPU and
 * VM before /dev/kvm is opened (the two cannot own a CPU's SVM/VMX at the
 * same time).  Output: a table, then one JSON object between the lines
 * VCPUBENCH-JSON-BEGIN and VCPUBENCH-JSON-END.
 *
 * The guest code of each architecture is in arch_<ARCH>.c (see arch.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "vmm.h"

#define GUEST_MEM	BENCH_GUEST_MEM
#define MAX_FIG		32

static int iters = 2000, reps = 5, kloop = 64, do_kvm = 1, do_vcpu = 1, do_scale = 1;
/* ns of guest clock per instruction (--insn), or 0: report ns */
static double insn_ns;
static const char *lane = "x86-svm";
static char clocksource[32] = "unknown";

/* ---- helpers ----------------------------------------------------------- */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vcpubench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

static int ncpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 { double med, min, max; int valid; };

static struct stat3 summarize(double *v, int n)
{
	struct stat3 s = { 0 };

	if (n <= 0)
		return s;
	qsort(v, n, sizeof(*v), cmp_d);
	s.min = v[0];
	s.max = v[n - 1];
	s.med = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.valid = 1;
	return s;
}

/* kB from /proc/meminfo */
static long meminfo(const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static long mem_used_kb(void)
{
	return meminfo("MemTotal") - meminfo("MemFree");
}

static void read_clocksource(void)
{
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	if (!f)
		return;
	if (fgets(clocksource, sizeof(clocksource), f))
		clocksource[strcspn(clocksource, "\n")] = 0;
	fclose(f);
}

/*
 * Memory charged to vcpubench's own cgroup (memory.current, bytes), or -1.
 * Both this module and KVM allocate vCPU memory with __GFP_ACCOUNT, so the
 * cgroup's counter is exact where MemTotal - MemFree moves with per-CPU
 * page lists and page cache.  In the lanes' initramfs nobody mounted
 * cgroup2 yet: vcpubench does, and moves itself into a child cgroup.
 */
static char memcg_current[128];

static void memcg_init(void)
{
	static const char root[] = "/sys/fs/cgroup";
	char path[128];
	FILE *f;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) &&
	    mount("none", root, "cgroup2", 0, NULL))
		return;
	f = fopen("/sys/fs/cgroup/cgroup.subtree_control", "w");
	if (f) {
		fputs("+memory", f);
		fclose(f);
	}
	mkdir("/sys/fs/cgroup/vcpubench", 0755);
	f = fopen("/sys/fs/cgroup/vcpubench/cgroup.procs", "w");
	if (!f)
		return;
	fprintf(f, "%d\n", getpid());
	if (fclose(f))
		return;
	snprintf(path, sizeof(path), "%s/vcpubench/memory.current", root);
	if (!access(path, R_OK))
		snprintf(memcg_current, sizeof(memcg_current), "%s", path);
}

static long long memcg_bytes(void)
{
	long long v = -1;
	FILE *f;

	if (!memcg_current[0])
		return -1;
	f = fopen(memcg_current, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void settle(void)
{
	sync();
	usleep(200000);
}

/* ---- results ----------------------------------------------------------- */

struct fig {
	const char *key, *label, *unit;
	struct stat3 mod, kvm;
	int has_range;
};

static struct fig figs[MAX_FIG];
static int nfigs;

static struct fig *fig(const char *key, const char *label, const char *unit, int range)
{
	int i;

	fprintf(stderr, "vcpubench: %s %s\n", label ? "vcpu" : "kvm", key);
	for (i = 0; i < nfigs; i++)
		if (!strcmp(figs[i].key, key))
			return &figs[i];
	figs[nfigs].key = key;
	figs[nfigs].label = label;
	figs[nfigs].unit = unit;
	figs[nfigs].has_range = range;
	return &figs[nfigs++];
}

/* A figure that was measured, or NULL: output() must not create any. */
static struct fig *find_fig(const char *key)
{
	int i;

	for (i = 0; i < nfigs; i++)
		if (!strcmp(figs[i].key, key))
			return &figs[i];
	return NULL;
}

static struct stat3 one(double v)
{
	struct stat3 s = { v, v, v, 1 };

	return s;
}

/* ---- /dev/vcpu ---------------------------------------------------------- */

/*
 * The module side's VM and runners come from libvmm (tools/vmm): the VM,
 * its memory and the vCPUs that run.  The object figures create bare
 * vCPU fds on its VM fd (no run page, as the KVM side), so that they
 * count the kernel's objects only.
 */
struct mvm {
	struct vmm_vm *v;
	uint8_t *mem;
};

static void mvm_open(struct mvm *m)
{
	m->v = vmm_vm_create();
	if (!m->v)
		die("libvmm: VM");
	m->mem = vmm_mem_add(m->v, 0, GUEST_MEM, false);
	if (!m->mem)
		die("libvmm: guest memory");
	bench_arch_fill(m->mem, GUEST_MEM);
}

static void mvm_close(struct mvm *m)
{
	vmm_vm_destroy(m->v);
	m->v = NULL;
}

static int mvcpu_create(struct mvm *m, int id)
{
	struct vcpu_setup s = { 0 };
	int fd = ioctl(m->v->vm_fd, VCPU_CREATE_VCPU, id);

	if (fd < 0)
		return -1;
	bench_arch_vcpu_setup(&s);
	s.arg = id;
	if (ioctl(fd, VCPU_SETUP, &s)) {
		close(fd);
		return -1;
	}
	return fd;
}

struct mrunner {
	int fd, cpu;
	struct vcpu_run *run;
};

static void mrunner_init(struct mrunner *r, struct mvm *m, int id, int cpu)
{
	struct vcpu_setup s = { 0 };
	struct vmm_vcpu *v = vmm_vcpu_create(m->v, id, cpu);

	bench_arch_vcpu_setup(&s);
	if (!v || vmm_vcpu_setup(v, s.mode, s.entry, s.stack, s.page_table, id) ||
	    vmm_vcpu_bind(v))
		die("create/setup/bind vCPU %d on CPU %d", id, cpu);
	r->cpu = cpu;
	r->fd = v->fd;
	r->run = v->run;
}

/* The vCPU is the VM's: mvm_close() closes it. */
static void mrunner_fini(struct mrunner *r)
{
	r->fd = -1;
	r->run = NULL;
}

/* n user exits (IO_WRITE port 0x80); returns elapsed ns */
static uint64_t mrun_outs(struct mrunner *r, long n)
{
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (ioctl(r->fd, VCPU_RUN, 0))
			die("VCPU_RUN");
		if (!bench_arch_vcpu_user_exit(r->run))
			die("unexpected exit %u", r->run->exit_reason);
	}
	return now_ns() - t0;
}

/*
 * n entries through the module's debug-only bench floor (debugfs, with
 * bench_floor=1: "FD COUNT" written by the vCPU's own thread); 0 if the
 * module does not offer it.
 */
#define BENCH_FLOOR_PATH "/sys/kernel/debug/vcpu/bench_floor"
static uint64_t mrun_floor(struct mrunner *r, long n)
{
	char buf[48];
	uint64_t t0;
	int fd, len;

	fd = open(BENCH_FLOOR_PATH, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		die("%s", BENCH_FLOOR_PATH);
	}
	len = snprintf(buf, sizeof(buf), "%d %ld", r->fd, n);
	t0 = now_ns();
	if (write(fd, buf, len) != len)
		die("%s", BENCH_FLOOR_PATH);
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

/* ---- /dev/kvm ----------------------------------------------------------- */

struct kvm {
	int sys, vm, run_size;
	uint8_t *mem;
};

__attribute__((weak)) int bench_arch_kvm_vm_init(int vm)
{
	(void)vm;
	return 0;
}

static int kvm_open(struct kvm *k)
{
	struct kvm_userspace_memory_region r = { 0 };

	k->sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->sys < 0)
		return -1;
	k->run_size = ioctl(k->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	k->vm = ioctl(k->sys, KVM_CREATE_VM, 0);
	if (k->vm < 0)
		die("KVM_CREATE_VM");
	if (bench_arch_kvm_vm_init(k->vm))
		die("initialise the KVM VM");
	k->mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (k->mem == MAP_FAILED)
		die("mmap guest memory");
	bench_arch_fill(k->mem, GUEST_MEM);
	r.slot = 0;
	r.guest_phys_addr = 0;
	r.memory_size = GUEST_MEM;
	r.userspace_addr = (uintptr_t)k->mem;
	if (ioctl(k->vm, KVM_SET_USER_MEMORY_REGION, &r))
		die("KVM_SET_USER_MEMORY_REGION");
	return 0;
}

static void kvm_close(struct kvm *k)
{
	close(k->vm);
	close(k->sys);
	munmap(k->mem, GUEST_MEM);
}

struct krunner {
	struct kvm *k;
	int fd;
	struct kvm_run *run;
};

static void krunner_init(struct krunner *r, struct kvm *k, int id)
{
	r->k = k;
	r->fd = ioctl(k->vm, KVM_CREATE_VCPU, id);
	if (r->fd < 0)
		die("KVM_CREATE_VCPU %d", id);
	r->run = mmap(NULL, k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->run == MAP_FAILED)
		die("mmap kvm_run");
	if (bench_arch_kvm_vcpu_init(k->vm, r->fd))
		die("initialise KVM vCPU %d", id);
}

static void krunner_fini(struct krunner *r)
{
	munmap(r->run, r->k->run_size);
	close(r->fd);
}

static uint64_t krun_outs(struct krunner *r, long n)
{
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (ioctl(r->fd, KVM_RUN, 0))
			die("KVM_RUN");
		if (!bench_arch_kvm_user_exit(r->run))
			die("unexpected KVM exit %u", r->run->exit_reason);
	}
	return now_ns() - t0;
}

/* ---- generic measurements ---------------------------------------------- */

typedef uint64_t (*run_fn)(void *r, long n);

static uint64_t mrun(void *r, long n) { return mrun_outs(r, n); }
static uint64_t mfloor(void *r, long n) { return mrun_floor(r, n); }
static uint64_t krun(void *r, long n) { return krun_outs(r, n); }

/* n calls of the cheapest ioctl: the emulated CPU's syscall round trip */
struct null_ioctl {
	int fd;
	unsigned long cmd;
};

static uint64_t null_ioctls(void *arg, long n)
{
	const struct null_ioctl *c = arg;
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++)
		if (ioctl(c->fd, c->cmd, 0) < 0)
			die("null ioctl %#lx", c->cmd);
	return now_ns() - t0;
}

/* ns per call of fn(r, n) / div, R repetitions after a warm-up */
static struct stat3 measure(run_fn fn, void *r, long n, double div)
{
	double v[64];
	int i;

	fn(r, n / 10 + 1);
	for (i = 0; i < reps && i < 64; i++)
		v[i] = (double)fn(r, n) / n / div;
	return summarize(v, i);
}

/* (a - b) / div: per in-kernel exit, the loop's one OUT (b ns) taken out */
static struct stat3 minus(struct stat3 a, double b, double div)
{
	a.med = (a.med - b) / div;
	a.min = (a.min - b) / div;
	a.max = (a.max - b) / div;
	return a;
}

/* ---- parallel ------------------------------------------------------------ */

struct par {
	void *r;
	run_fn fn;
	int cpu;
	long n;
	pthread_barrier_t *bar;
};

static void *par_thread(void *arg)
{
	struct par *p = arg;

	pin(p->cpu);
	pthread_barrier_wait(p->bar);
	p->fn(p->r, p->n);
	return NULL;
}

/* aggregate exits per second with nthr runners (one per CPU) */
static struct stat3 parallel(void **rs, run_fn fn, int nthr, long n)
{
	double v[64];
	int i, t;

	for (i = 0; i < reps && i < 64; i++) {
		pthread_t th[8];
		struct par p[8];
		pthread_barrier_t bar;
		uint64_t t0;

		pthread_barrier_init(&bar, NULL, nthr + 1);
		for (t = 0; t < nthr; t++) {
			p[t] = (struct par){ rs[t], fn, t, n, &bar };
			pthread_create(&th[t], NULL, par_thread, &p[t]);
		}
		pthread_barrier_wait(&bar);
		t0 = now_ns();
		for (t = 0; t < nthr; t++)
			pthread_join(th[t], NULL);
		v[i] = (double)nthr * n * 1e9 / (double)(now_ns() - t0);
		pthread_barrier_destroy(&bar);
	}
	pin(0);
	return summarize(v, i);
}

/* ---- memory and scale, the same for both sides ---------------------- */

static int fds[VCPU_MAX_VCPUS + 8];

/*
 * One side of the comparison for the object figures: open a VM (with
 * memory), create vCPU @id in it (an fd, or -1), close it.  @max is the
 * most vCPUs the side allows; @kvm selects the table column; a side with
 * @must set dies on a failed creation instead of leaving its figure out.
 */
struct side {
	void (*vm_open)(void);
	int (*vcpu_create)(int id);
	void (*vm_close)(void);
	int (*max_vcpus)(void);
	int kvm, must;
};

static struct stat3 *column(struct fig *f, const struct side *sd)
{
	return sd->kvm ? &f->kvm : &f->mod;
}

static void bench_objects(const struct side *sd)
{
	static const int scale_n[] = { 64, 256, 1024 };
	static const char * const ck[] = { "create_64", "create_256", "create_1024" };
	static const char * const cl[] = { "create 64 vCPUs", "create 256 vCPUs", "create 1024 vCPUs" };
	static const char * const dk[] = { "destroy_64", "destroy_256", "destroy_1024" };
	static const char * const dl[] = { "destroy 64 vCPUs + VM", "destroy 256 vCPUs + VM",
					   "destroy 1024 vCPUs + VM" };
	long before, sun;
	long long cg;
	uint64_t t0;
	int i, s, n, max;

	/* memory: as many vCPUs as allowed, up to 1024, created (and set up) */
	settle();
	sd->vm_open();
	max = sd->max_vcpus();
	before = mem_used_kb();
	sun = meminfo("SUnreclaim");
	cg = memcg_bytes();
	for (n = 0; n < max; n++)
		if ((fds[n] = sd->vcpu_create(n)) < 0)
			break;
	settle();
	*column(fig("mem_vcpus", "vCPUs created for the memory figure", "vCPUs", 0), sd) = one(n);
	if (cg >= 0 && n)
		*column(fig("memcg_kib", "kernel memory per vCPU (memory cgroup)", "KiB", 0), sd) =
			one((memcg_bytes() - cg) / 1024.0 / n);
	*column(fig("mem_kib", "kernel memory per vCPU (MemTotal-MemFree)", "KiB", 0), sd) =
		one(n ? (double)(mem_used_kb() - before) / n : 0);
	*column(fig("slab_kib", "unreclaimable slab per vCPU", "KiB", 0), sd) =
		one(n ? (double)(meminfo("SUnreclaim") - sun) / n : 0);
	for (i = 0; i < n; i++)
		close(fds[i]);
	sd->vm_close();

	/* scale: create + destroy */
	for (s = 0; s < 3 && do_scale; s++) {
		double cv[64], dv[64];
		int rr, ok = 1;

		for (rr = 0; rr < reps && rr < 64 && ok; rr++) {
			sd->vm_open();
			t0 = now_ns();
			for (i = 0; i < scale_n[s]; i++)
				if ((fds[i] = sd->vcpu_create(i)) < 0) {
					if (sd->must)
						die("create vCPU %d", i);
					ok = 0;
					break;
				}
			cv[rr] = (now_ns() - t0) / 1e3;
			t0 = now_ns();
			while (i-- > 0)
				close(fds[i]);
			sd->vm_close();
			dv[rr] = (now_ns() - t0) / 1e3;
		}
		if (!ok)
			continue;
		*column(fig(ck[s], cl[s], "us", 1), sd) = summarize(cv, rr);
		*column(fig(dk[s], dl[s], "us", 1), sd) = summarize(dv, rr);
	}
}

/* The two sides: one VM at a time each. */
static struct mvm obj_mvm;
static struct kvm obj_kvm;

static void mside_open(void) { mvm_open(&obj_mvm); }
static int mside_create(int id) { return mvcpu_create(&obj_mvm, id); }
static void mside_close(void) { mvm_close(&obj_mvm); }
static int mside_max(void) { return VCPU_MAX_VCPUS; }

static void kside_open(void)
{
	if (kvm_open(&obj_kvm))
		die("open /dev/kvm");
}

static int kside_create(int id) { return ioctl(obj_kvm.vm, KVM_CREATE_VCPU, id); }
static void kside_close(void) { kvm_close(&obj_kvm); }

static int kside_max(void)
{
	int max = ioctl(obj_kvm.sys, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);

	return max <= 0 || max > VCPU_MAX_VCPUS ? VCPU_MAX_VCPUS : max;
}

static const struct side mvcpu_side = {
	mside_open, mside_create, mside_close, mside_max, .kvm = 0, .must = 1,
};
static const struct side kvm_side = {
	kside_open, kside_create, kside_close, kside_max, .kvm = 1, .must = 0,
};

/* ---- module part --------------------------------------------------------- */

static void bench_module(void)
{
	struct null_ioctl nc;
	struct mvm m;
	struct mrunner r0, r1;
	struct stat3 u, k;
	void *rs[2];

	/* user exit, kernel exit */
	mvm_open(&m);
	bench_arch_guest_user(m.mem);
	mrunner_init(&r0, &m, 0, 0);
	u = measure(mrun, &r0, iters, 1);
	fig("user_exit", bench_arch_user_label, "ns", 1)->mod = u;
	nc = (struct null_ioctl){ m.v->sys_fd, VCPU_GET_API_VERSION };
	fig("null_ioctl", "null ioctl (GET_API_VERSION: syscall round trip)", "ns", 1)->mod =
		measure(null_ioctls, &nc, iters, 1);
	mrunner_fini(&r0);
	mvm_close(&m);

	mvm_open(&m);
	bench_arch_guest_hypercall(m.mem);
	mrunner_init(&r0, &m, 0, 0);
	if (mrun_floor(&r0, 1))
		fig("floor", "floor (backend entry+exit only, debugfs bench_floor)", "ns", 1)->mod =
			measure(mfloor, &r0, iters, 1);
	else
		fprintf(stderr, "vcpubench: no floor figure (load the module with bench_floor=1)\n");
	mrunner_fini(&r0);
	mvm_close(&m);

	mvm_open(&m);
	bench_arch_guest_kernel(m.mem, kloop);
	mrunner_init(&r0, &m, 0, 0);
	k = measure(mrun, &r0, iters / 4 + 1, 1);
	fig("kernel_exit", bench_arch_kernel_label, "ns", 1)->mod =
		minus(k, u.med, kloop);
	mrunner_fini(&r0);
	mvm_close(&m);

	/* parallel */
	if (ncpus() >= 2) {
		mvm_open(&m);
		bench_arch_guest_user(m.mem);
		mrunner_init(&r0, &m, 0, 0);
		mrunner_init(&r1, &m, 1, 1);
		rs[0] = &r0;
		rs[1] = &r1;
		fig("par1", "user exits/s, 1 vCPU", "exits/s", 1)->mod =
			parallel(rs, mrun, 1, iters);
		fig("par2", "user exits/s, 2 vCPUs on 2 CPUs", "exits/s", 1)->mod =
			parallel(rs, mrun, 2, iters);
		mrunner_fini(&r0);
		mrunner_fini(&r1);
		mvm_close(&m);
	}

	bench_objects(&mvcpu_side);
}

/* ---- KVM part ------------------------------------------------------------ */

static int bench_kvm_figures(void)
{
	struct null_ioctl nc;
	struct kvm k;
	struct krunner r0, r1;
	struct stat3 u, ke;
	void *rs[2];

	if (kvm_open(&k))
		die("a second KVM VM");
	bench_arch_guest_user(k.mem);
	krunner_init(&r0, &k, 0);
	pin(0);
	u = measure(krun, &r0, iters, 1);
	fig("user_exit", NULL, NULL, 1)->kvm = u;
	nc = (struct null_ioctl){ k.sys, KVM_GET_API_VERSION };
	fig("null_ioctl", NULL, NULL, 1)->kvm = measure(null_ioctls, &nc, iters, 1);
	krunner_fini(&r0);
	kvm_close(&k);

	kvm_open(&k);
	bench_arch_guest_kernel(k.mem, kloop);
	krunner_init(&r0, &k, 0);
	ke = measure(krun, &r0, iters / 4 + 1, 1);
	fig("kernel_exit", NULL, NULL, 1)->kvm = minus(ke, u.med, kloop);
	krunner_fini(&r0);
	kvm_close(&k);

	if (ncpus() >= 2) {
		kvm_open(&k);
		bench_arch_guest_user(k.mem);
		krunner_init(&r0, &k, 0);
		krunner_init(&r1, &k, 1);
		rs[0] = &r0;
		rs[1] = &r1;
		fig("par1", NULL, NULL, 1)->kvm = parallel(rs, krun, 1, iters);
		fig("par2", NULL, NULL, 1)->kvm = parallel(rs, krun, 2, iters);
		krunner_fini(&r0);
		krunner_fini(&r1);
		kvm_close(&k);
	}

	bench_objects(&kvm_side);
	return 0;
}

/*
 * One KVM VM with one vCPU, open for the whole KVM part.  KVM flips static
 * keys when the first VM (preempt notifiers) or the first vCPU with a
 * software-disabled local APIC appears and when the last goes: the kernel
 * text is then patched live, and under QEMU TCG that sometimes left the
 * other emulated CPU stuck in a half-patched instruction (kvm_destroy_vm
 * waiting for its IPI; seen in about one run in three).  With this VM
 * alive the keys stay on and the figures measure KVM, not text patching.
 */
static struct kvm kvm_keep;
static struct krunner kvm_keep_vcpu;

static int bench_kvm(void)
{
	int ret;

	if (kvm_open(&kvm_keep))
		return -1;
	krunner_init(&kvm_keep_vcpu, &kvm_keep, 0);
	ret = bench_kvm_figures();
	krunner_fini(&kvm_keep_vcpu);
	kvm_close(&kvm_keep);
	return ret;
}

/* ---- output ---------------------------------------------------------------- */

static void scale_stat(struct stat3 *s, double div)
{
	s->med /= div;
	s->min /= div;
	s->max /= div;
}

/*
 * --insn: guest-clock ns become instructions (us become thousands of
 * instructions); rates are dropped, since a guest second is a number of
 * instructions, not time.
 */
static void to_insns(void)
{
	int i, n = 0;

	for (i = 0; i < nfigs; i++) {
		struct fig *f = &figs[i];

		if (f->unit && !strcmp(f->unit, "exits/s"))
			continue;
		if (f->unit && (!strcmp(f->unit, "ns") || !strcmp(f->unit, "us"))) {
			f->unit = strcmp(f->unit, "ns") ? "k insns" : "insns";
			scale_stat(&f->mod, insn_ns);
			scale_stat(&f->kvm, insn_ns);
		}
		figs[n++] = *f;
	}
	nfigs = n;
}

static const char *linear(struct stat3 a, struct stat3 b)
{
	double ra, rb;

	if (!a.valid || !b.valid)
		return "n/a";
	ra = a.med / 64;
	rb = b.med / 1024;
	/* linear or better: per-vCPU time at 1024 at most 1.5x that at 64 */
	return rb <= 1.5 * ra ? "yes" : "no";
}

static void fmt_stat(char *buf, size_t len, struct stat3 s, int range)
{
	if (!s.valid)
		snprintf(buf, len, "-");
	else if (range)
		snprintf(buf, len, "%.0f [%.0f..%.0f]", s.med, s.min, s.max);
	else
		snprintf(buf, len, "%.1f", s.med);
}

static void json_stat(const char *name, struct stat3 s)
{
	if (!s.valid)
		printf("\"%s\": null", name);
	else
		printf("\"%s\": {\"median\": %.1f, \"min\": %.1f, \"max\": %.1f}",
		       name, s.med, s.min, s.max);
}

static void output(int kvm_ok)
{
	char a[64], b[64], ratio[32];
	struct fig *c64 = find_fig("create_64"), *c1k = find_fig("create_1024");
	struct fig *p1 = find_fig("par1"), *p2 = find_fig("par2");
	struct fig *fl = find_fig("floor"), *u = find_fig("user_exit");
	struct fig *k = find_fig("kernel_exit");
	struct stat3 none = { 0 };
	int i;

	if (insn_ns > 0)
		to_insns();
	printf("VCPUBENCH-TABLE-BEGIN\n");
	printf("lane %s (%d CPUs, clocksource %s): %d iterations x %d repetitions, median [min..max]; kernel exits: %d per user exit, the user exit subtracted\n",
	       lane, ncpus(), clocksource, iters, reps, kloop);
	if (insn_ns > 0)
		printf("path lengths: instructions per round trip (the guest clock counts one instruction per %g ns)\n",
		       insn_ns);
	printf("| %-42s | %-8s | %-26s | %-26s | %-6s |\n", "figure", "unit", "vcpu", "KVM", "vcpu/KVM");
	printf("|%s|%s|%s|%s|%s|\n", "--------------------------------------------", "----------",
	       "----------------------------", "----------------------------", "--------");
	for (i = 0; i < nfigs; i++) {
		struct fig *f = &figs[i];

		fmt_stat(a, sizeof(a), f->mod, f->has_range);
		fmt_stat(b, sizeof(b), f->kvm, f->has_range);
		/* vCPU counts differ by design (KVM's own limit): no ratio. */
		if (f->mod.valid && f->kvm.valid && f->kvm.med != 0 &&
		    strcmp(f->key, "mem_vcpus"))
			snprintf(ratio, sizeof(ratio), "%.2f", f->mod.med / f->kvm.med);
		else
			snprintf(ratio, sizeof(ratio), "-");
		printf("| %-42s | %-8s | %-26s | %-26s | %-6s |\n", f->label ? f->label : f->key,
		       f->unit ? f->unit : "", a, b, ratio);
	}
	printf("linear create 64 -> 1024 (per-vCPU time at 1024 <= 1.5x that at 64): vcpu %s, KVM %s\n",
	       linear(c64 ? c64->mod : none, c1k ? c1k->mod : none),
	       linear(c64 ? c64->kvm : none, c1k ? c1k->kvm : none));
	if (p1 && p2 && p1->mod.valid && p2->mod.valid) {
		printf("parallel speed-up 2 vCPUs / 1 vCPU: vcpu %.2f", p2->mod.med / p1->mod.med);
		if (p1->kvm.valid && p2->kvm.valid)
			printf(", KVM %.2f", p2->kvm.med / p1->kvm.med);
		printf("\n");
	} else {
		printf("parallel: not measured (%d CPU)\n", ncpus());
	}
	if (fl && u && k && fl->mod.valid && fl->mod.med > 0) {
		printf("vcpu against its floor: user exit %.2fx, kernel exit %.2fx\n",
		       u->mod.med / fl->mod.med, k->mod.med / fl->mod.med);
	}
	if (!kvm_ok)
		printf("KVM: /dev/kvm not available, KVM column empty\n");
	printf("VCPUBENCH-TABLE-END\n");

	printf("VCPUBENCH-JSON-BEGIN\n{\"lane\": \"%s\", \"cpus\": %d, \"clocksource\": \"%s\", \"iterations\": %d, \"repetitions\": %d, "
	       "\"kernel_exits_per_out\": %d, \"kvm\": %s, \"mode\": \"%s\", \"ns_per_insn\": %g, \"figures\": {",
	       lane, ncpus(), clocksource, iters, reps, kloop, kvm_ok ? "true" : "false",
	       insn_ns > 0 ? "insns" : "ns", insn_ns);
	for (i = 0; i < nfigs; i++) {
		struct fig *f = &figs[i];

		printf("%s\n  \"%s\": {\"label\": \"%s\", \"unit\": \"%s\", ", i ? "," : "",
		       f->key, f->label ? f->label : f->key, f->unit ? f->unit : "");
		json_stat("vcpu", f->mod);
		printf(", ");
		json_stat("kvm", f->kvm);
		printf("}");
	}
	printf("},\n \"linear_create\": {\"vcpu\": \"%s\", \"kvm\": \"%s\"}}\nVCPUBENCH-JSON-END\n",
	       linear(c64 ? c64->mod : none, c1k ? c1k->mod : none),
	       linear(c64 ? c64->kvm : none, c1k ? c1k->kvm : none));
}

int main(int argc, char **argv)
{
	struct rlimit rl = { 8192, 8192 };
	int i, kvm_ok = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			iters = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			kloop = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--lane") && i + 1 < argc)
			lane = argv[++i];
		else if (!strcmp(argv[i], "--no-kvm"))
			do_kvm = 0;
		else if (!strcmp(argv[i], "--no-vcpu"))
			do_vcpu = 0;
		else if (!strcmp(argv[i], "--no-scale"))
			do_scale = 0;
		else if (!strcmp(argv[i], "--insn") && i + 1 < argc)
			insn_ns = atof(argv[++i]);
		else {
			fprintf(stderr, "usage: vcpubench [-n ITER] [-r REPS] [-k K] [--no-kvm] [--no-vcpu] [--no-scale] [--insn NS] [--lane NAME]\n");
			return 2;
		}
	}
	if (iters < 1 || reps < 1 || reps > 64 || kloop < 1 || kloop > 65535 ||
	    insn_ns < 0)
		die("bad arguments");
	setrlimit(RLIMIT_NOFILE, &rl);
	setvbuf(stdout, NULL, _IOLBF, 0);
	read_clocksource();
	memcg_init();
	pin(0);
	if (do_vcpu)
		bench_module();
	if (do_kvm)
		kvm_ok = bench_kvm() == 0;
	output(kvm_ok);
	return 0;
}
