// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifetimes: VCPU_RELOAD_CYCLES (default 100) cycles of
 *
 *   load the module; in a child process, leave VMs and vCPUs in every state
 *   (Created, Free, Ready, Ready with an exit waiting for its completion,
 *   Invalid, Running: a thread inside RUN) with memory regions (one of
 *   them deleted while vCPUs are bound) and run pages mapped; the child
 *   is killed without closing anything; unload the module.
 *
 * The child runs in a memory cgroup of its own: the module charges every
 * allocation it makes for userspace to it (__GFP_ACCOUNT), so once the
 * child is gone and the module unloaded, the cgroup's kernel memory
 * (memory.stat "kernel"; memory.current would also count the per-CPU
 * batches charged ahead) must be back to what it was, within 8 KiB: the
 * per-CPU byte stocks of two CPUs.  Pinned guest pages are checked exactly too:
 * /proc/vmstat's nr_foll_pin_acquired and nr_foll_pin_released must grow
 * by the same amount.  Unreclaimable slab, which also holds memory the
 * module does not charge (debugfs inodes), must be back within
 * VCPU_RELOAD_SLAB_TOLERANCE_KB (default 512 KiB) of its baseline.
 *
 * The module file is VCPU_MODULE_KO (default /vcpu.ko, where the lanes'
 * initramfs has it); it is loaded with the parameters it has now.  The
 * test needs the module loaded and unused when it starts and leaves it
 * loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define RELOAD_CG	"/sys/fs/cgroup/vcpu_reload"

static const char *reload_ko(void)
{
	const char *s = getenv("VCPU_MODULE_KO");

	return s ? s : "/vcpu.ko";
}

static long reload_env(const char *name, long def)
{
	const char *s = getenv(name);

	return s ? strtol(s, NULL, 0) : def;
}

/* "name=value ..." from /sys/module/vcpu/parameters, to load it alike. */
static void reload_params(char *buf, size_t len)
{
	DIR *d = opendir("/sys/module/vcpu/parameters");
	struct dirent *e;
	size_t used = 0;

	buf[0] = 0;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[300], val[64];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/module/vcpu/parameters/%s",
			 e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val, sizeof(val), f)) {
			val[strcspn(val, "\n")] = 0;
			used += snprintf(buf + used, len - used, "%s%s=%s",
					 used ? " " : "", e->d_name, val);
		}
		fclose(f);
		if (used >= len)
			break;
	}
	closedir(d);
}

static int reload_load(const char *params)
{
	int fd = open(reload_ko(), O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return ret;
}

static int reload_unload(void)
{
	int i;

	/* The last fds go away asynchronously (a dead child's RUN thread). */
	for (i = 0; i < 500; i++) {
		if (!syscall(SYS_delete_module, "vcpu", O_NONBLOCK))
			return 0;
		if (errno != EWOULDBLOCK && errno != EAGAIN && errno != EBUSY)
			return -1;
		usleep(10000);
	}
	return -1;
}

static long long reload_read_ll(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	size_t kl = key ? strlen(key) : 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!key) {
			v = strtoll(line, NULL, 10);
			break;
		}
		if (!strncmp(line, key, kl) && (line[kl] == ' ' || line[kl] == ':')) {
			v = strtoll(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static long long reload_pins_outstanding(void)
{
	/* Fold the per-CPU counter deltas into /proc/vmstat first. */
	FILE *f = fopen("/proc/sys/vm/stat_refresh", "w");

	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	return reload_read_ll("/proc/vmstat", "nr_foll_pin_acquired") -
	       reload_read_ll("/proc/vmstat", "nr_foll_pin_released");
}

static void reload_enter_cgroup(void)
{
	FILE *f = fopen(RELOAD_CG "/cgroup.procs", "w");

	if (f) {
		fprintf(f, "%d\n", getpid());
		fclose(f);
	}
}

/* Every state at once, in this process; then die without cleaning up. */
static void reload_child(struct __test_metadata *_metadata, int cpu)
{
	struct vcpu_test t = { .sys_fd = -1, .vm_fd = -1, .fd = -1 };
	struct vcpu_runner r;
	uint8_t *extra;
	int fd, i;

	if (vcpu_test_init(&t, VCPU_TEST_MEM_SIZE))
		_exit(10);
	extra = vcpu_alloc_mem(0x10000);
	if (!extra || vcpu_set_region(t.vm_fd, 1, 0, 0x800000, 0x10000, extra))
		_exit(11);
	/* Created */
	if (vcpu_create_vcpu(t.vm_fd, 1) < 0)
		_exit(12);
	/* Free */
	fd = vcpu_create_vcpu(t.vm_fd, 2);
	if (fd < 0 || vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
				 VCPU_TEST_STACK_GPA, 0, 0))
		_exit(13);
	/* Ready, bound, run page mapped */
	fd = vcpu_create_vcpu(t.vm_fd, 3);
	if (fd < 0 || vcpu_setup(fd, GUEST_MODE, VCPU_TEST_CODE_GPA,
				 VCPU_TEST_STACK_GPA, 0, 0) || vcpu_bind(fd, cpu) ||
	    !vcpu_map_run(t.sys_fd, fd, &t.run_size))
		_exit(14);
	/* Region 1 deleted while vCPUs are bound. */
	if (vcpu_set_region(t.vm_fd, 1, 0, 0x800000, 0, extra))
		_exit(15);
	/* Ready with an MMIO read waiting for its completion */
	vcpu_test_load(&t, guest_read_gap_start, guest_read_gap_end);
	if (vcpu_test_start(&t, GUEST_MODE, 0, cpu) || vcpu_run(t.fd) ||
	    t.run->exit_reason != VCPU_EXIT_MMIO_READ)
		_exit(16);
	/* Invalid */
	{
		struct vcpu_test b = t;

		b.fd = vcpu_create_vcpu(t.vm_fd, 4);
		if (b.fd < 0)
			_exit(17);
		b.run = vcpu_map_run(t.sys_fd, b.fd, &b.run_size);
		vcpu_load_code(t.mem, 0, 0x2000, guest_hlt_start, guest_hlt_end);
		if (!b.run || vcpu_setup(b.fd, GUEST_MODE, 0x2000,
					 VCPU_TEST_STACK_GPA, 0, 0) ||
		    vcpu_bind(b.fd, cpu))
			_exit(18);
		guest_break_entry_state(_metadata, &b);
		/* RUN reports the FAIL_ENTRY exit; the vCPU is Invalid. */
		vcpu_run(b.fd);
		if (vcpu_state(b.fd) != VCPU_STATE_INVALID)
			_exit(19);
	}
	/* Running: a thread inside RUN, spinning in the guest */
	fd = vcpu_create_vcpu(t.vm_fd, 5);
	if (fd < 0)
		_exit(20);
	vcpu_load_code(t.mem, 0, 0x2800, guest_spin_start, guest_spin_end);
	if (vcpu_setup(fd, GUEST_MODE, 0x2800, VCPU_TEST_STACK_GPA, 0, 0) ||
	    vcpu_bind(fd, cpu))
		_exit(21);
	r = (struct vcpu_runner){ .fd = fd, .cpu = cpu };
	if (vcpu_runner_start(&r))
		_exit(22);
	for (i = 0; i < 1000 && vcpu_state(fd) != VCPU_STATE_RUNNING; i++)
		usleep(1000);
	if (vcpu_state(fd) != VCPU_STATE_RUNNING)
		_exit(23);
	/* Let the parent measure, then die with everything open. */
	raise(SIGSTOP);
	_exit(24);
}

FIXTURE(reload) {
	char params[256];
};

FIXTURE_SETUP(reload)
{
	VCPU_REQUIRE_DEV();
	if (access(reload_ko(), R_OK))
		SKIP(return, "no module file %s (set VCPU_MODULE_KO)", reload_ko());
	reload_params(self->params, sizeof(self->params));
}

/* Whatever happened, leave the module loaded for the tests that follow. */
FIXTURE_TEARDOWN(reload)
{
	if (access("/sys/module/vcpu", F_OK))
		reload_load(self->params);
}

static void reload_settle(void)
{
	FILE *f = fopen("/proc/sys/vm/drop_caches", "w");

	if (f) {
		fputs("3\n", f);
		fclose(f);
	}
	usleep(300000);		/* RCU-deferred frees */
}

TEST_F_TIMEOUT(reload, cycles_leave_nothing_behind, 900)
{
	long cycles = reload_env("VCPU_RELOAD_CYCLES", 100);
	/*
	 * On the debug kernel (lockdep on: /proc/lockdep_stats) KASAN's
	 * quarantine holds freed slab objects back for a while: more slack
	 * there for the one figure that cannot be exact.
	 */
	long slab_tol = reload_env("VCPU_RELOAD_SLAB_TOLERANCE_KB",
				   access("/proc/lockdep_stats", F_OK) ? 512 : 2048);
	long long pins0, slab0, cg0 = -1, pins, slab, cg = -1, held = -1;
	int cpu = vcpu_current_cpu(), status;
	bool have_cg = vcpu_memcg_create(RELOAD_CG);
	long i;

	TH_LOG("%ld cycles of %s %s; memory cgroup %s", cycles, reload_ko(),
	       self->params, have_cg ? "yes" : "no (mount failed)");
	ASSERT_OK(reload_unload());	/* nobody may hold it now */
	reload_settle();
	pins0 = reload_pins_outstanding();
	slab0 = reload_read_ll("/proc/meminfo", "SUnreclaim");
	if (have_cg)
		cg0 = reload_read_ll(RELOAD_CG "/memory.stat", "kernel");

	for (i = 0; i < cycles; i++) {
		pid_t pid;

		ASSERT_OK(reload_load(self->params));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			if (have_cg)
				reload_enter_cgroup();
			reload_child(_metadata, cpu);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
		if (WIFSTOPPED(status)) {
			/* The charges are there while the child lives. */
			if (have_cg)
				held = reload_read_ll(RELOAD_CG "/memory.stat", "kernel");
			kill(pid, SIGKILL);
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
		}
		if (!WIFSIGNALED(status))
			TH_LOG("cycle %ld: the child exited with %d", i,
			       WEXITSTATUS(status));
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		ASSERT_OK(reload_unload());
	}

	/*
	 * The last child's task and stack are freed after an RCU grace
	 * period, later still on a busy machine: wait for the charge to go
	 * (up to 50 settles), not for a fixed time.
	 */
	for (i = 0; i < 50; i++) {
		reload_settle();
		if (!have_cg)
			break;
		cg = reload_read_ll(RELOAD_CG "/memory.stat", "kernel");
		if (cg - cg0 <= 8192)
			break;
	}
	pins = reload_pins_outstanding();
	slab = reload_read_ll("/proc/meminfo", "SUnreclaim");
	TH_LOG("pinned pages outstanding %lld -> %lld; SUnreclaim %lld -> %lld kB (tolerance %ld); cgroup kernel memory %lld -> %lld bytes (%lld while a child held its objects)",
	       pins0, pins, slab0, slab, slab_tol, cg0, cg, held);
	if (have_cg && cg - cg0 > 8192) {
		char line[128];
		FILE *f = fopen(RELOAD_CG "/memory.stat", "r");

		while (f && fgets(line, sizeof(line), f))
			if (strtoll(strchr(line, ' ') ? strchr(line, ' ') : "0", NULL, 10))
				TH_LOG("memory.stat %s", strtok(line, "\n"));
		if (f)
			fclose(f);
	}
	ASSERT_EQ(pins0, pins);
	ASSERT_LE(slab - slab0, slab_tol);
	/* Everything the module charged was given back. */
	if (have_cg) {
		ASSERT_GT(held - cg0, 32 * 1024);	/* the accounting works */
		ASSERT_LE(cg - cg0, 8192);
	}
	ASSERT_OK(reload_load(self->params));
}

TEST_HARNESS_MAIN
