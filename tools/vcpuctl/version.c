// SPDX-License-Identifier: GPL-2.0
/* vcpuctl version: the module's API version next to the header's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vcpuctl.h"

static void version_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl version\n"
"\n"
"Print the API version of the loaded module (VCPU_GET_API_VERSION on\n"
VCPU_DEVICE_PATH ") and the one vcpuctl was built with (VCPU_API_VERSION).\n"
"Exit status 0 when they match, 1 otherwise or when the module is absent.\n");
}

int cmd_version(int argc, char **argv)
{
	int fd, version;

	(void)argv;
	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			version_usage(stdout);
			return VCPUCTL_EXIT_OK;
		}
		pr_err("version: unexpected argument '%s'", argv[1]);
		fprintf(stderr, "Try 'vcpuctl version --help'.\n");
		return VCPUCTL_EXIT_ERROR;
	}

	printf("vcpuctl version: %s\n", VCPUCTL_VERSION);
	printf("header API version: %d\n", VCPU_API_VERSION);
	fflush(stdout);
	fd = open(VCPU_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		pr_errno("open %s (is the vcpu module loaded?)",
			 VCPU_DEVICE_PATH);
		return VCPUCTL_EXIT_ERROR;
	}
	version = ioctl(fd, VCPU_GET_API_VERSION, 0);
	close(fd);
	if (version < 0) {
		pr_errno("VCPU_GET_API_VERSION");
		return VCPUCTL_EXIT_ERROR;
	}
	printf("module API version: %d\n", version);
	if (version != VCPU_API_VERSION) {
		pr_err("version mismatch: rebuild vcpuctl against the module's header");
		return VCPUCTL_EXIT_ERROR;
	}
	return VCPUCTL_EXIT_OK;
}
