# SPDX-License-Identifier: GPL-2.0
#
# What the tools' Makefiles (vcpuctl, vcpubench, pathprof) share.  The including
# Makefile sets SRCDIR (its own directory) first; this sets TOP, ARCH
# (x86 or arm64, default the host's), CROSS_COMPILE for a foreign ARCH, CC,
# O (the OUTPUT prefix), TOOL_CFLAGS and TOOL_LDFLAGS (-static with
# STATIC=1).  <linux/kvm.h> comes from the host's linux-libc-dev (the
# cross package's for a foreign ARCH).

TOP := $(abspath $(SRCDIR)/../..)

norm_arch = $(patsubst x86_64,x86,$(patsubst aarch64,arm64,$(1)))
HOSTARCH := $(call norm_arch,$(shell uname -m))
ARCH ?= $(HOSTARCH)
override ARCH := $(call norm_arch,$(ARCH))

ifneq ($(ARCH),$(HOSTARCH))
ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
else ifeq ($(ARCH),x86)
CROSS_COMPILE ?= x86_64-linux-gnu-
endif
endif

ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif

OUTPUT ?= .
OUT := $(patsubst %/,%,$(OUTPUT))
# Make drops a leading "./" from targets, so "." must give no prefix at all.
O := $(if $(filter .,$(OUT)),,$(OUT)/)

CFLAGS ?= -O2
TOOL_CFLAGS := -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -I$(TOP)/include/uapi $(CFLAGS)
ifeq ($(STATIC),1)
TOOL_LDFLAGS := -static $(LDFLAGS)
else
TOOL_LDFLAGS := $(LDFLAGS)
endif
