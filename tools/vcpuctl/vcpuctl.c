// SPDX-License-Identifier: GPL-2.0
/* vcpuctl: the command table and the top-level help. */
#include <stdio.h>
#include <string.h>

#include "vcpuctl.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "version",	cmd_version,
	  "print the module's and the header's API versions" },
	{ "run",	cmd_run,
	  "load a flat binary guest image and run it on one vCPU" },
	{ "state",	cmd_state,
	  "self-test: walk a vCPU through its states and print them" },
	{ "list",	cmd_list,
	  "list every VM and vCPU in the system (debugfs)" },
	{ "stats",	cmd_stats,
	  "counters, exit-latency histograms and history of vCPUs" },
	{ "top",	cmd_top,
	  "live view of exits per kind: SUM and PER SEC" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
"usage: vcpuctl [-h|--help] [-V|--version] COMMAND [ARGS...]\n"
"\n"
"Drive the %s vCPU API (vcpuctl speaks API version %d).\n"
"\n"
"commands:\n", VCPU_DEVICE_PATH, VCPU_API_VERSION);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
"\n"
"'vcpuctl COMMAND --help' (or 'vcpuctl help COMMAND') describes a command;\n"
"'vcpuctl --version' prints vcpuctl's version.\n"
"Example: vcpuctl run --trace examples/hello.bin\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static char help_arg[] = "--help";
	const struct command *cmd;
	char prog[32];

	if (argc < 2) {
		usage(stderr);
		return VCPUCTL_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return VCPUCTL_EXIT_OK;
	}
	/* The tool's own version: no module, no device needed. */
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("vcpuctl %s (API version %d)\n", VCPUCTL_VERSION,
		       VCPU_API_VERSION);
		return VCPUCTL_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return VCPUCTL_EXIT_OK;
		}
		/* "help CMD" is "CMD --help". */
		argv[1] = argv[2];
		argv[2] = help_arg;
		argc = 3;
	}

	cmd = find_command(argv[1]);
	if (!cmd) {
		pr_err("unknown command '%s'", argv[1]);
		fprintf(stderr, "Try 'vcpuctl --help'.\n");
		return VCPUCTL_EXIT_ERROR;
	}
	/* getopt's messages then read "vcpuctl run: ...". */
	snprintf(prog, sizeof(prog), "vcpuctl %s", cmd->name);
	argv[1] = prog;
	return cmd->fn(argc - 1, argv + 1);
}
