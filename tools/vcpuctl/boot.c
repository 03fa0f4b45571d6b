// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuctl run --kernel: boot an unmodified Linux kernel on the platform
 * libvmm builds for this architecture (tools/vmm), in the spirit of
 * `lkvm run`: the guest's console on stdin/stdout, Ctrl-C or the guest's
 * power-off end it with a summary on stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcpuctl.h"
#include "vmm.h"

#define BOOT_DEFAULT_MEM_MIB	256
#define BOOT_MAX_MEM_MIB	3072

enum {
	OPT_TRACE = 0x100, OPT_MARK,
};

static const struct option boot_options[] = {
	{ "kernel",	required_argument,	NULL, 'k' },
	{ "initrd",	required_argument,	NULL, 'i' },
	{ "append",	required_argument,	NULL, 'p' },
	{ "params",	required_argument,	NULL, 'p' },
	{ "mem",	required_argument,	NULL, 'm' },
	{ "cpus",	required_argument,	NULL, 'c' },
	{ "trace",	no_argument,		NULL, OPT_TRACE },
	{ "mark",	required_argument,	NULL, OPT_MARK },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void boot_usage(FILE *f)
{
	fprintf(f,
"usage: vcpuctl run -k IMAGE [-i FILE] [-p \"CMDLINE\"] [-m SIZE] [-c N]\n"
"                   [--trace] [--mark STRING] [-v]\n"
"\n"
"Boot an unmodified Linux kernel (x86: a bzImage; arm64: an Image, not\n"
"compressed) with N vCPUs (default 1) and SIZE of RAM (default %d MiB).  The\n"
"guest's console is this terminal (x86: a 16550 on COM1, ttyS0; arm64: a\n"
"PL011, ttyAMA0); Ctrl-C stops the guest.  The default command line names\n"
"the console only.\n"
"\n"
"  -k, --kernel IMAGE        the kernel\n"
"  -i, --initrd FILE         an initramfs\n"
"  -p, --params \"CMDLINE\"   the kernel command line (also --append)\n"
"  -m, --mem SIZE            RAM: MiB, or with a K, M or G suffix\n"
"                            (64 MiB to %d MiB)\n"
"  -c, --cpus N              vCPUs (1 to %d)\n"
"  --trace          every exit but port I/O on stderr, one line each\n"
"  --mark STRING    when STRING first appears on the console, print\n"
"                     vcpuctl: mark \"STRING\" after N ns; exits: KIND count, ...\n"
"                   on stderr (the time since start; up to %d marks)\n"
"  -v, --verbose    the machine's layout on stderr\n"
"\n"
"Exit status: 0 the guest powered off (or halted every vCPU), 1 an error\n"
"(the VMM's or the guest's: stderr says which), 3 the guest reset,\n"
"130 stopped by a signal.  A summary ends every run:\n"
"  vcpuctl: stopped: WHY (status N) after S s, N vCPUs\n"
"  vcpuctl: exits: KIND count, ...\n", BOOT_DEFAULT_MEM_MIB,
		BOOT_MAX_MEM_MIB, VMM_MAX_VCPUS, VMM_MAX_MARKS);
}

int cmd_run_kernel(int argc, char **argv)
{
	struct vmm_boot boot = { .mem_mib = BOOT_DEFAULT_MEM_MIB, .nr_cpus = 1 };
	bool trace = false, verbose = false;
	const char *marks[VMM_MAX_MARKS];
	unsigned int nr_marks = 0;
	struct vmm_vm *vm;
	uint64_t v;
	int c, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:i:p:m:c:vh", boot_options, NULL)) != -1) {
		switch (c) {
		case 'k':
			boot.kernel = optarg;
			break;
		case 'i':
			boot.initrd = optarg;
			break;
		case 'p':
			boot.append = optarg;
			break;
		case 'm':
			if (parse_mem_size(optarg, &v) || v & ((1 << 20) - 1) ||
			    v < (64ULL << 20) || v > ((uint64_t)BOOT_MAX_MEM_MIB << 20)) {
				pr_err("run: invalid -m '%s': whole MiB, 64 MiB to %d MiB (e.g. 512 or 2G)",
				       optarg, BOOT_MAX_MEM_MIB);
				return VCPUCTL_EXIT_ERROR;
			}
			boot.mem_mib = v >> 20;
			break;
		case 'c':
			if (parse_u64(optarg, &v, false) || !v || v > VMM_MAX_VCPUS) {
				pr_err("run: -c takes 1 to %d vCPUs", VMM_MAX_VCPUS);
				return VCPUCTL_EXIT_ERROR;
			}
			boot.nr_cpus = v;
			break;
		case OPT_TRACE:
			trace = true;
			break;
		case OPT_MARK:
			if (!*optarg || nr_marks == VMM_MAX_MARKS) {
				pr_err("run: at most %d non-empty --mark strings", VMM_MAX_MARKS);
				return VCPUCTL_EXIT_ERROR;
			}
			marks[nr_marks++] = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			boot_usage(stdout);
			return VCPUCTL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'vcpuctl run --help'.\n");
			return VCPUCTL_EXIT_ERROR;
		}
	}
	if (!boot.kernel || optind != argc) {
		pr_err("run: -k/--kernel IMAGE and no other argument");
		return VCPUCTL_EXIT_ERROR;
	}

	vm = vmm_vm_create();
	if (!vm)
		return VCPUCTL_EXIT_ERROR;
	vm->trace = trace ? stderr : NULL;
	vm->verbose = verbose;
	memcpy(vm->mark, marks, nr_marks * sizeof(marks[0]));
	vm->nr_marks = nr_marks;
	if (vmm_install_signals(vm) || vmm_linux_boot(vm, &boot)) {
		vmm_stop(vm, VMM_STATUS_ERROR, "the machine could not be built");
		status = vmm_loop(vm);
	} else {
		status = vmm_loop(vm);
	}
	fflush(stdout);
	fputc('\n', stderr);
	vmm_print_summary(vm, stderr, "vcpuctl: ");
	vmm_vm_destroy(vm);
	return status;
}
