// SPDX-License-Identifier: GPL-2.0
/*
 * What a process sees that it should not: /dev/vcpu for an unprivileged
 * user, and kernel bytes in the shared page.  One source for every
 * architecture (selftests/lib/guest.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

FIXTURE(sec) {
	struct vcpu_test t;
};

FIXTURE_SETUP(sec)
{
	VCPU_REQUIRE_DEV();
	self->t.sys_fd = self->t.vm_fd = self->t.fd = -1;
}

FIXTURE_TEARDOWN(sec)
{
	vcpu_test_fini(&self->t);
}

/* The device is root-only (0600): anyone else gets EACCES at open(). */
TEST_F(sec, non_root_gets_eacces)
{
	struct stat st;
	int status;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root to drop to an unprivileged user");
	ASSERT_EQ(0, stat("/dev/vcpu", &st));
	ASSERT_EQ(0600, st.st_mode & 0777);
	ASSERT_EQ(0, st.st_uid);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open("/dev/vcpu", O_RDWR);
		_exit(fd < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

static bool all_bytes(const void *p, size_t len, uint8_t v)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++ != v)
			return false;
	return true;
}

/* A new vCPU's shared page holds nothing but zeroes. */
TEST_F(sec, run_page_starts_zeroed)
{
	struct vcpu_test *t = &self->t;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	ASSERT_TRUE(all_bytes(t->run, t->run_size, 0));
}

/*
 * Every delivered exit rewrites the whole payload from a zeroed kernel
 * copy: a pattern userspace left there does not survive, and the bytes an
 * exit does not define read as zero (here HALT, which defines none, after
 * a report that filled its fields).
 */
TEST_F(sec, exit_payload_has_no_stale_bytes)
{
	struct vcpu_test *t = &self->t;
	int i;

	ASSERT_OK(vcpu_test_init(t, VCPU_TEST_MEM_SIZE));
	vcpu_test_load(t, guest_out_start, guest_out_end);
	ASSERT_OK(vcpu_test_start(t, GUEST_MODE, 0, VCPU_CPU_CURRENT));
	for (i = 0; i < 64; i++) {
		memset(t->run->padding, 0xa5, sizeof(t->run->padding));
		ASSERT_OK(vcpu_run(t->fd));
		ASSERT_FALSE(all_bytes(t->run->padding, 8, 0xa5));
		if (t->run->exit_reason == VCPU_EXIT_HALT)
			break;
		ASSERT_EQ(GUEST_REPORT_EXIT, t->run->exit_reason);
	}
	ASSERT_EQ(VCPU_EXIT_HALT, t->run->exit_reason);
	ASSERT_TRUE(all_bytes(t->run->padding, sizeof(t->run->padding), 0));
}

TEST_HARNESS_MAIN
