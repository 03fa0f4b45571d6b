/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcpuctl: command-line driver for /dev/vcpu.  Shared declarations: the
 * subcommands, number parsing and the thin wrappers around the system fd.
 */
#ifndef VCPUCTL_H
#define VCPUCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/vcpu.h>

#define VCPU_DEVICE_PATH	"/dev/" VCPU_DEVICE_NAME

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Process exit statuses shared by every subcommand (see "run --help"). */
#define VCPUCTL_EXIT_OK		0	/* guest powered off or halted */
#define VCPUCTL_EXIT_ERROR	1	/* usage, file or ioctl error */
#define VCPUCTL_EXIT_SHUTDOWN	2	/* triple fault */
#define VCPUCTL_EXIT_GUEST_FAIL	3	/* entry failure, internal error, NPF */
#define VCPUCTL_EXIT_MAX_EXITS	4	/* --max-exits reached */
#define VCPUCTL_EXIT_SIGNAL	128	/* + signal number: 130 for SIGINT */

/* Subcommands: argv[0] is "vcpuctl NAME". */
int cmd_version(int argc, char **argv);
int cmd_run(int argc, char **argv);
/* run --kernel (boot.c) */
int cmd_run_kernel(int argc, char **argv);
int cmd_state(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_top(int argc, char **argv);

/* Messages on stderr, prefixed "vcpuctl: ". */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As pr_err, with ": strerror(errno)" appended. */
void pr_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse an unsigned number (decimal, 0x hex or 0 octal) with an optional
 * K, M or G suffix (powers of 1024, case-insensitive, "KiB"/"KB" too).
 * Returns 0, or -1 on syntax error or overflow.
 */
int parse_u64(const char *s, uint64_t *val, bool allow_suffix);
/* -m/--mem: MiB without a suffix, else K/M/G/T(iB) bytes. */
int parse_mem_size(const char *s, uint64_t *bytes);

/*
 * Open /dev/vcpu and check that the module speaks this header's API
 * version.  Returns the fd, or -1 after printing why.
 */
int vcpu_open_system(void);
/* VCPU_GET_STATE; prints and returns -1 on failure. */
int vcpu_get_state(int vcpu_fd, struct vcpu_state_info *info);
/* One line "state=Free bound_cpu=-1 ..." for @info, failure details too. */
void vcpu_print_state(FILE *f, const struct vcpu_state_info *info);
/*
 * Keep this thread on CPU *@cpu (the current CPU when negative, which is
 * then stored), so that it already runs where the vCPU will be bound.
 */
int vcpu_pin_cpu(int *cpu);
/* Print VCPU_GET_STATE's failure record and the registers, best effort. */
void vcpu_dump(int vcpu_fd, bool arm64);

#endif /* VCPUCTL_H */
