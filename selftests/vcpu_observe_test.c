// SPDX-License-Identifier: GPL-2.0
/*
 * Observability: while another process runs a known guest, vcpuctl's view
 * of the module's debugfs tree (list, stats --json) shows its vCPU with
 * its pid, state and CPU, and exit counts that match exactly what the
 * guest did; the state history records the transitions and a failure's
 * reason; a VM's info, stats and history files hold one section per vCPU
 * (no files per vCPU); the vcpu:* tracepoints fire.  Shared by every
 * architecture.
 *
 * The known guest is guest_out: OBSERVE_REPORTS reports (GUEST_REPORT_EXIT:
 * IO_WRITE on x86, HYPERCALL on arm64), then one halt.
 *
 * vcpuctl is /bin/vcpuctl (the lane's initramfs) unless $VCPUCTL names
 * another.  Without /sys/kernel/debug/vcpu (module without the view, or
 * debugfs not mounted) the tests SKIP.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define DEBUGFS_VIEW		"/sys/kernel/debug/vcpu/vcpus"
#define OBSERVE_REPORTS		4	/* guest_out, every architecture */
#define OUT_MAX			(256 * 1024)

static const char *vcpuctl_path(void)
{
	const char *p = getenv("VCPUCTL");

	return p && *p ? p : "/bin/vcpuctl";
}

/* SKIP unless the device, the debugfs view and vcpuctl are all there. */
#define REQUIRE_VIEW() do {						\
	VCPU_REQUIRE_DEV();						\
	if (access(DEBUGFS_VIEW, R_OK))					\
		SKIP(return, "%s: %s (module without the debugfs view, or " \
		     "debugfs not mounted)", DEBUGFS_VIEW, strerror(errno)); \
	if (access(vcpuctl_path(), X_OK))				\
		SKIP(return, "%s: %s (set $VCPUCTL)", vcpuctl_path(),	\
		     strerror(errno));					\
} while (0)

/* Run "vcpuctl ARGS" into buf (NUL-terminated); its exit status or -1. */
static int vcpuctl(char *buf, size_t len, const char *args)
{
	char cmd[512];
	size_t n = 0, r;
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s", vcpuctl_path(), args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (n + 1 < len && (r = fread(buf + n, 1, len - 1 - n, f)) > 0)
		n += r;
	buf[n] = 0;
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct listed {
	unsigned int vm, vcpu;
	int pid, cpu;
	char state[16], last_exit[32];
	unsigned long long exits;
};

/*
 * Find the vCPU @vcpu_id owned by @pid in "vcpuctl list --json" (one
 * object per line).  Returns 0, or -1 when it is not listed.
 */
static int find_listed(const char *json, int pid, unsigned int vcpu_id,
		       struct listed *l)
{
	const char *p = json;
	char cpu[16];

	while ((p = strstr(p, "{\"vm\": "))) {
		memset(l, 0, sizeof(*l));
		/* "cpu" is a number, or null for an unbound vCPU. */
		if (sscanf(p, "{\"vm\": %u, \"vcpu\": %u, \"pid\": %d, \"state\": "
			   "\"%15[^\"]\", \"cpu\": %15[^,], \"exits\": %llu, "
			   "\"last_exit\": \"%31[^\"]\"", &l->vm, &l->vcpu,
			   &l->pid, l->state, cpu, &l->exits,
			   l->last_exit) == 7 &&
		    l->pid == pid && l->vcpu == vcpu_id) {
			l->cpu = strcmp(cpu, "null") ? atoi(cpu) : -1;
			return 0;
		}
		p++;
	}
	return -1;
}

/* The number after "KEY": in json; -1 (as u64) when absent. */
static uint64_t json_u64(const char *json, const char *key)
{
	char pat[96];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(json, pat);
	if (!p)
		return ~0ULL;
	return strtoull(p + strlen(pat), NULL, 10);
}

/* "exit_<KIND>" of an exit reason, as in the stats file. */
static const char *exit_key(uint32_t reason, char *buf, size_t len)
{
	snprintf(buf, len, "exit_%s", vcpu_exit_reason_name(reason));
	return buf;
}

/* The child's report through the ready pipe. */
struct child_report {
	int ok;			/* the guest did exactly what it should */
	int cpu;		/* where its vCPU is bound */
	int reports;
	uint32_t last_reason;
};

/*
 * The other process: guest_out to its halt on one vCPU, report, then keep
 * the vCPU (Ready, bound) until the parent closes the release pipe.
 */
static void __attribute__((noreturn)) child_main(int ready_w, int release_r)
{
	struct child_report rep = { .ok = 0, .cpu = -1 };
	struct vcpu_test t;
	char c;

	if (vcpu_test_init(&t, VCPU_TEST_MEM_SIZE))
		goto report;
	vcpu_test_load(&t, guest_out_start, guest_out_end);
	if (vcpu_test_start(&t, GUEST_MODE, 0, VCPU_CPU_CURRENT))
		goto report;
	rep.cpu = t.cpu;
	for (;;) {
		if (vcpu_run(t.fd))
			goto report;
		rep.last_reason = t.run->exit_reason;
		if (t.run->exit_reason == GUEST_REPORT_EXIT) {
			rep.reports++;
			continue;
		}
		if (t.run->exit_reason == VCPU_EXIT_HALT)
			break;
		goto report;	/* anything else: the counts would differ */
	}
	rep.ok = rep.reports == OBSERVE_REPORTS;
report:
	if (write(ready_w, &rep, sizeof(rep)) != sizeof(rep))
		_exit(2);
	while (read(release_r, &c, 1) > 0)
		;
	_exit(rep.ok ? 0 : 1);
}

/* Bucket 0 of vCPU 0's histogram of @kind in VM @vm's debugfs stats, or -1. */
static long hist_bucket0(unsigned int vm, const char *kind)
{
	char path[96], line[512], key[48];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/vcpu/vm%u/stats", vm);
	snprintf(key, sizeof(key), "hist_%s ", kind);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

TEST(list_and_stats_of_another_process)
{
	struct child_report rep;
	char *out, key[64], pat[160];
	int ready[2], release[2], st;
	struct listed l;
	pid_t pid;

	REQUIRE_VIEW();
	out = malloc(OUT_MAX);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(release));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(ready[0]);
		close(release[1]);
		child_main(ready[1], release[0]);
	}
	close(ready[1]);
	close(release[0]);
	ASSERT_EQ((ssize_t)sizeof(rep), read(ready[0], &rep, sizeof(rep)));
	if (!rep.ok)
		TH_LOG("child: %d reports, last exit %s", rep.reports,
		       vcpu_exit_name(rep.last_reason));
	EXPECT_EQ(1, rep.ok);

	/* list: the child's vCPU 0, bound where it ran, Ready after the halt */
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, "list --json"));
	if (find_listed(out, pid, 0, &l))
		TH_LOG("pid %d not in:\n%s", pid, out);
	ASSERT_EQ(0, find_listed(out, pid, 0, &l));
	EXPECT_STREQ("Ready", l.state);
	EXPECT_EQ(rep.cpu, l.cpu);
	EXPECT_EQ(OBSERVE_REPORTS + 1, l.exits);
	EXPECT_STREQ("HALT", l.last_exit);

	/* the human table has the same row */
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, "list"));
	snprintf(pat, sizeof(pat), " %d Ready ", pid);
	{
		/* collapse runs of blanks so the pattern is column-agnostic */
		char *s = out, *d = out;

		for (; *s; s++)
			if (!(*s == ' ' && d > out && d[-1] == ' '))
				*d++ = *s;
		*d = 0;
	}
	if (!strstr(out, pat))
		TH_LOG("'%s' not in:\n%s", pat, out);
	EXPECT_NE(NULL, strstr(out, pat));

	/* stats: exactly the exits the guest made */
	snprintf(pat, sizeof(pat), "stats %u/0 --json", l.vm);
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, pat));
	EXPECT_EQ(OBSERVE_REPORTS,
		  json_u64(out, exit_key(GUEST_REPORT_EXIT, key, sizeof(key))));
	EXPECT_EQ(1, json_u64(out, exit_key(VCPU_EXIT_HALT, key, sizeof(key))));
	EXPECT_EQ(0, json_u64(out, exit_key(VCPU_EXIT_FAIL_ENTRY, key, sizeof(key))));
	EXPECT_EQ(OBSERVE_REPORTS + 1, json_u64(out, "exits"));
	/* entries: one per delivered exit, plus any absorbed (interrupts) */
	EXPECT_GE(json_u64(out, "entries"), (uint64_t)OBSERVE_REPORTS + 1);
	EXPECT_GE(json_u64(out, "run_ns"), json_u64(out, "guest_ns"));
	/* every histogram sample found memory */
	EXPECT_EQ(0, json_u64(out, "samples_lost"));
	/* every report was followed by an entry: one histogram sample each */
	snprintf(pat, sizeof(pat), "\"%s\": {\"samples\": %d,",
		 vcpu_exit_reason_name(GUEST_REPORT_EXIT), OBSERVE_REPORTS);
	if (!strstr(out, pat))
		TH_LOG("'%s' not in:\n%s", pat, out);
	EXPECT_NE(NULL, strstr(out, pat));
	EXPECT_NE(NULL, strstr(out, "\"HALT\": {\"samples\": 0,"));
	/*
	 * No user exit is handled in under 2 ns: the round trip through the
	 * VMM is hundreds of instructions at least, so a sample in bucket 0
	 * would be a clock that did not move (debugfs: "hist_KIND b0 b1 ...").
	 */
	EXPECT_EQ(0, hist_bucket0(l.vm, vcpu_exit_reason_name(GUEST_REPORT_EXIT)));
	/* history: create, setup, bind, then the run/exit pairs */
	EXPECT_NE(NULL, strstr(out, "\"from\": \"Created\", \"to\": \"Created\", \"op\": \"create\""));
	EXPECT_NE(NULL, strstr(out, "\"from\": \"Created\", \"to\": \"Free\", \"op\": \"setup\""));
	EXPECT_NE(NULL, strstr(out, "\"from\": \"Free\", \"to\": \"Ready\", \"op\": \"bind\""));
	EXPECT_NE(NULL, strstr(out, "\"from\": \"Ready\", \"to\": \"Running\", \"op\": \"run\""));
	EXPECT_NE(NULL, strstr(out, "\"from\": \"Running\", \"to\": \"Ready\", \"op\": \"exit\""));
	EXPECT_EQ(NULL, strstr(out, "\"to\": \"Invalid\""));
	/* the default exit filter, and no interrupt queued */
	EXPECT_NE(NULL, strstr(out, "\"exit_filter\": [\"HYPERCALL\", \"EXTERNAL_INTERRUPT\"], \"irqs_pending\": []"));

	/* once the child closed it, the vCPU is gone from the view */
	close(release[1]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, "list --json"));
	EXPECT_NE(0, find_listed(out, pid, 0, &l));
	close(ready[0]);
	free(out);
}

/* Append @s to @d JSON-escaped as vcpuctl writes it (quotes, backslash). */
static void json_escape(char *d, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s && n + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			d[n++] = '\\';
		d[n++] = *s;
	}
	d[n] = 0;
}

TEST(failure_reason_in_history)
{
	struct vcpu_state_info info;
	char *out, pat[512], esc[300];
	struct vcpu_test t;
	struct listed l;

	REQUIRE_VIEW();
	out = malloc(OUT_MAX);
	ASSERT_NE(NULL, out);
	ASSERT_OK(vcpu_test_init(&t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(&t, guest_hlt_start, guest_hlt_end);
	ASSERT_OK(vcpu_test_start(&t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	guest_break_entry_state(_metadata, &t);
	ASSERT_RUN_EXIT(&t, VCPU_EXIT_FAIL_ENTRY);
	ASSERT_OK(vcpu_get_state(t.fd, &info));
	ASSERT_EQ(VCPU_STATE_INVALID, info.state);
	ASSERT_NE(0, info.fail_reason[0]);

	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, "list --json"));
	ASSERT_EQ(0, find_listed(out, getpid(), 0, &l));
	EXPECT_STREQ("Invalid", l.state);
	EXPECT_STREQ("FAIL_ENTRY", l.last_exit);

	snprintf(pat, sizeof(pat), "stats %u/0 --json", l.vm);
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, pat));
	json_escape(esc, sizeof(esc), info.fail_reason);
	/* info: the errno and reason VCPU_GET_STATE gives */
	snprintf(pat, sizeof(pat), "\"fail_errno\": %d, \"fail_reason\": \"%s\"",
		 info.fail_errno, esc);
	if (!strstr(out, pat))
		TH_LOG("'%s' not in:\n%s", pat, out);
	EXPECT_NE(NULL, strstr(out, pat));
	/* history: Running -> Invalid by the failed run, with the reason */
	snprintf(pat, sizeof(pat), "\"from\": \"Running\", \"to\": \"Invalid\", "
		 "\"op\": \"fail\", \"reason\": \"%s\"}", esc);
	if (!strstr(out, pat))
		TH_LOG("'%s' not in:\n%s", pat, out);
	EXPECT_NE(NULL, strstr(out, pat));
	EXPECT_EQ(1, json_u64(out, "exit_FAIL_ENTRY"));

	/* the human form shows it too */
	snprintf(pat, sizeof(pat), "stats %u/0", l.vm);
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, pat));
	snprintf(pat, sizeof(pat), "reason=%s", info.fail_reason);
	EXPECT_NE(NULL, strstr(out, pat));
	vcpu_test_fini(&t);
	free(out);
}

#define SECTIONS_VCPUS		200	/* the stats file spans many reads */
#define SECTIONS_GAP		7	/* closed: no section */

/*
 * Read @path with small read()s (the module's file resumes between them)
 * and check its sections: "vcpu <ID>" headers for exactly the ids
 * 0..SECTIONS_VCPUS-1 but SECTIONS_GAP, ascending, each once; every
 * section of the info file says "state Created".  Returns the sections
 * seen, or -1 on a read error.
 */
static int check_sections(struct __test_metadata *_metadata, const char *path,
			  char *buf, size_t len)
{
	unsigned int id, want = 0, created = 0, n = 0;
	const char *line, *nl;
	size_t got = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got + 1 < len && (r = read(fd, buf + got,
					  len - 1 - got < 1000 ? len - 1 - got : 1000)) > 0)
		got += r;
	close(fd);
	buf[got] = 0;
	for (line = buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		if (!strncmp(line, "state Created\n", 14))
			created++;
		if (sscanf(line, "vcpu %u\n", &id) != 1 || strncmp(line, "vcpu ", 5))
			continue;
		if (want == SECTIONS_GAP)
			want++;
		if (id != want)
			TH_LOG("%s: section of vCPU %u where %u was due", path,
			       id, want);
		EXPECT_EQ(want, id);
		want = id + 1;
		n++;
	}
	if (strstr(path, "/info"))
		EXPECT_EQ(n, created);
	return n;
}

TEST(per_vm_files_one_section_per_vcpu)
{
	static const char *const files[] = { "info", "stats", "history" };
	int sys, vm, fds[SECTIONS_VCPUS], i;
	char path[128], *out;
	struct listed l;

	REQUIRE_VIEW();
	out = malloc(4 * OUT_MAX);
	ASSERT_NE(NULL, out);
	sys = vcpu_open_dev();
	ASSERT_GE(sys, 0);
	vm = vcpu_create_vm(sys);
	ASSERT_GE(vm, 0);
	for (i = 0; i < SECTIONS_VCPUS; i++) {
		fds[i] = vcpu_create_vcpu(vm, i);
		ASSERT_GE(fds[i], 0);
	}
	close(fds[SECTIONS_GAP]);
	ASSERT_EQ(0, vcpuctl(out, 4 * OUT_MAX, "list --json"));
	ASSERT_EQ(0, find_listed(out, getpid(), 0, &l));

	for (i = 0; i < (int)ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/vcpu/vm%u/%s",
			 l.vm, files[i]);
		EXPECT_EQ(SECTIONS_VCPUS - 1,
			  check_sections(_metadata, path, out, 4 * OUT_MAX));
	}
	/* Files per VM only: no directory per vCPU. */
	snprintf(path, sizeof(path), "/sys/kernel/debug/vcpu/vm%u/vcpu0", l.vm);
	EXPECT_NE(0, access(path, F_OK));

	/* vcpuctl reads a vCPU's section: the last one, and none for the gap */
	snprintf(path, sizeof(path), "stats %u/%d --json", l.vm,
		 SECTIONS_VCPUS - 1);
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, path));
	snprintf(path, sizeof(path), "\"vcpu\": %d, ", SECTIONS_VCPUS - 1);
	EXPECT_NE(NULL, strstr(out, path));
	EXPECT_NE(NULL, strstr(out, "\"state\": \"Created\""));
	snprintf(path, sizeof(path), "stats %u/%d", l.vm, SECTIONS_GAP);
	EXPECT_EQ(1, vcpuctl(out, OUT_MAX, path));

	for (i = 0; i < SECTIONS_VCPUS; i++)
		if (i != SECTIONS_GAP)
			close(fds[i]);
	close(vm);
	close(sys);
	free(out);
}

static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/events/vcpu/enable", dirs[i]);
		if (!access(path, W_OK))
			return dirs[i];
	}
	return NULL;
}

static int trace_write(const char *dir, const char *file, const char *val)
{
	char path[160];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* Lines of @buf containing @a and @b. */
static int count_lines(const char *buf, const char *a, const char *b)
{
	const char *line = buf, *nl;
	char tmp[512];
	int n = 0;
	size_t len;

	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		len = nl - line < (long)sizeof(tmp) - 1 ? (size_t)(nl - line) :
							 sizeof(tmp) - 1;
		memcpy(tmp, line, len);
		tmp[len] = 0;
		if (strstr(tmp, a) && strstr(tmp, b))
			n++;
		if (!*nl)
			break;
	}
	return n;
}

TEST(tracepoints_fire)
{
	char *out, path[160], exit_pat[96], pat[96];
	const char *dir;
	struct vcpu_test t;
	struct listed l;
	ssize_t n, r;
	int fd, i;

	REQUIRE_VIEW();
	dir = tracefs();
	if (!dir)
		SKIP(return, "no tracefs with events/vcpu (mount -t tracefs none /sys/kernel/tracing)");
	out = malloc(OUT_MAX);
	ASSERT_NE(NULL, out);

	ASSERT_OK(vcpu_test_init(&t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(&t, guest_out_start, guest_out_end);
	ASSERT_EQ(0, vcpuctl(out, OUT_MAX, "list --json"));
	ASSERT_EQ(0, find_listed(out, getpid(), 0, &l));

	ASSERT_OK(trace_write(dir, "tracing_on", "0"));
	ASSERT_OK(trace_write(dir, "trace", ""));
	ASSERT_OK(trace_write(dir, "events/vcpu/enable", "1"));
	ASSERT_OK(trace_write(dir, "tracing_on", "1"));

	ASSERT_OK(vcpu_test_start(&t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	for (i = 0; i < OBSERVE_REPORTS; i++)
		ASSERT_RUN_EXIT(&t, GUEST_REPORT_EXIT);
	ASSERT_RUN_EXIT(&t, VCPU_EXIT_HALT);

	ASSERT_OK(trace_write(dir, "tracing_on", "0"));
	ASSERT_OK(trace_write(dir, "events/vcpu/enable", "0"));
	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	for (n = 0; n < OUT_MAX - 1 && (r = read(fd, out + n, OUT_MAX - 1 - n)) > 0;)
		n += r;
	out[n] = 0;
	close(fd);
	trace_write(dir, "trace", "");
	trace_write(dir, "tracing_on", "1");

	/* vcpu_exit: "vm V vcpu 0 KIND info X", exactly the guest's exits */
	snprintf(exit_pat, sizeof(exit_pat), "vm %u vcpu 0 ", l.vm);
	snprintf(pat, sizeof(pat), "vm %u vcpu 0 %s info", l.vm,
		 vcpu_exit_reason_name(GUEST_REPORT_EXIT));
	if (count_lines(out, "vcpu_exit:", pat) != OBSERVE_REPORTS)
		TH_LOG("trace:\n%.4000s", out);
	EXPECT_EQ(OBSERVE_REPORTS, count_lines(out, "vcpu_exit:", pat));
	snprintf(pat, sizeof(pat), "vm %u vcpu 0 HALT info", l.vm);
	EXPECT_EQ(1, count_lines(out, "vcpu_exit:", pat));
	EXPECT_GE(count_lines(out, "vcpu_exit:", exit_pat), OBSERVE_REPORTS + 1);
	/* one entry per exit */
	snprintf(pat, sizeof(pat), "vm %u vcpu 0", l.vm);
	EXPECT_EQ(count_lines(out, "vcpu_exit:", exit_pat),
		  count_lines(out, "vcpu_entry:", pat));
	/* vcpu_state: Created -> Free -> Ready, then Ready <-> Running */
	snprintf(pat, sizeof(pat), "vm %u vcpu 0 Created -> Free", l.vm);
	EXPECT_EQ(1, count_lines(out, "vcpu_state:", pat));
	snprintf(pat, sizeof(pat), "vm %u vcpu 0 Free -> Ready", l.vm);
	EXPECT_EQ(1, count_lines(out, "vcpu_state:", pat));
	snprintf(pat, sizeof(pat), "vm %u vcpu 0 Ready -> Running", l.vm);
	EXPECT_EQ(OBSERVE_REPORTS + 1, count_lines(out, "vcpu_state:", pat));
	/*
	 * The format files perf and trace-cmd parse: the exit kinds and
	 * states are numbers there (TRACE_DEFINE_ENUM), not enum names that
	 * a tool outside the kernel could not resolve.
	 */
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/vcpu/%s/format", dir,
			 i ? "vcpu_state" : "vcpu_exit");
		fd = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_GE(fd, 0);
		n = read(fd, out, OUT_MAX - 1);
		close(fd);
		ASSERT_LT(0, n);
		out[n] = 0;
		EXPECT_NE(NULL, strstr(out, "__print_symbolic"));
		EXPECT_EQ(NULL, strstr(out, "VCPU_EXIT_"));
		EXPECT_EQ(NULL, strstr(out, "VCPU_STATE_")) {
			TH_LOG("%s:\n%s", path, out);
		}
	}
	vcpu_test_fini(&t);
	free(out);
}

TEST_HARNESS_MAIN
