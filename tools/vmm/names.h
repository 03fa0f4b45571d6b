/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printable names for the ABI's enumerations, one table each, indexed by
 * the enum value.  Every lookup returns a string, never NULL: values the
 * table does not know give "?" so that a newer module still prints.
 */
#ifndef VMM_NAMES_H
#define VMM_NAMES_H

#include <stdbool.h>
#include <linux/vcpu.h>

extern const char *const vcpu_exit_reason_names[VCPU_EXIT_NR];

const char *vcpu_exit_reason_name(unsigned int reason);
const char *vcpu_state_name(unsigned int state);
const char *vcpu_mode_name(unsigned int mode);
/* enum vcpu_mode from its command-line name; 0 when unknown. */
unsigned int vcpu_mode_parse(const char *name);
const char *vcpu_internal_error_name(unsigned int suberror);
/* The VCPU_* ioctl with number @nr (state_info.fail_op). */
const char *vcpu_ioctl_name(unsigned int nr);
/* "EBADFD" for the errnos the ABI documents, else NULL. */
const char *vcpu_errno_name(int err);
/*
 * Register @reg in the ABI numbering (struct vcpu_regs.gpr[], mmio.reg):
 * x86 "rax".."r15", "ah".."bh" with @high_byte; arm64 "x0".."x30", "xzr".
 */
const char *vcpu_reg_name(unsigned int reg, bool high_byte, bool arm64);

#endif /* VMM_NAMES_H */
