# SPDX-License-Identifier: GPL-2.0
#
# make            the module (for the running kernel; KDIR= other headers, 6.1 or 6.12) and tools
# make check      everything: packages, unit tests, every emulated lane
# make check-debug  the x86-svm lane on a debug kernel (lockdep, KASAN,
#                 kmemleak) built from linux-source-6.1 (cached in build/)
# make fuzz       the fuzzer and chaos tests for FUZZ_SECONDS (default 600)
# make boot-fuzz  the Linux guest booted BOOTS times (default 100), killed 10 times
# make demo       boot the x86-svm lane and run a sample guest through vcpuctl
#                 (GUEST=linux: the lane's Linux kernel as the guest, its shell here)
# make bench      vcpubench in every lane, module vs KVM: path lengths
#                 (instructions per exit) and informative wall-clock figures
# make bench-check  path lengths of every lane against bench/baseline.json
#                 (fails on +10% path or +1 KiB memory per vCPU)
# make bench-baseline  write bench/baseline.json from a new run (deliberate)
# make pathprof   one exit round trip single-stepped through QEMU's gdbstub,
#                 per function, module vs KVM (build/pathprof/)
# make unit       host unit tests of the pure logic
# make selftests  the kselftest suite (static binaries, for the lanes)

KDIR ?= /lib/modules/$(shell uname -r)/build
ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
TOP := $(CURDIR)

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=$(ARCH) modules

module-clean:
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=$(ARCH) clean

tools:
	$(MAKE) -C tools/vcpuctl

selftests:
	$(MAKE) -C selftests

unit:
	$(MAKE) -C tests/unit run
	$(MAKE) -C tools/vcpuctl check

# Kernel style of the kernel-side code (checkpatch from linux-source-6.1,
# which make check extracts into build/).
CHECKPATCH ?= build/linux-source/scripts/checkpatch.pl
KERNEL_SRCS = $(shell git ls-files 'module/*.[ch]' 'arch/*.[chS]' 'include/*.h')
checkpatch:
	perl $(CHECKPATCH) --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE \
		-f $(KERNEL_SRCS) | grep -v '^total' | (! grep -E 'ERROR|WARNING')

check:
	bash scripts/check.sh

# The debug lane is slow (KASAN and lockdep under TCG): longer limits, 1 GiB;
# the unit tests and sparse are make check's.
check-debug:
	LANES=x86-svm-debug NO_UNIT=$${NO_UNIT:-1} NO_SPARSE=$${NO_SPARSE:-1} \
		MEM=$${MEM:-1024} LANE_TIMEOUT=$${LANE_TIMEOUT:-3600} \
		TEST_TIMEOUT=$${TEST_TIMEOUT:-1200} bash scripts/check.sh

# The fuzzer and the chaos test, round after round with new seeds, for
# FUZZ_SECONDS (default 600) in FUZZ_LANES (default x86-svm); TEST_ENV
# passes more, e.g. TEST_ENV="VCPU_FUZZ_ITERS=100000".
fuzz:
	LANES="$${FUZZ_LANES:-x86-svm}" TESTS="vcpu_fuzz_test vcpu_chaos_test" \
		FUZZ_SECONDS=$${FUZZ_SECONDS:-600} NO_UNIT=1 NO_SPARSE=1 \
		LANE_TIMEOUT=$$(( $${FUZZ_SECONDS:-600} + 900 )) bash scripts/check.sh

# The Linux guest booted and powered off BOOTS times (default 100) in a
# row, then killed at random points ten times, in BOOT_FUZZ_LANES (default
# x86-svm and arm64-vhe): no pinned page, slab or module reference left,
# no Oops (scripts/init/check.sh, guest_bootloop).
boot-fuzz:
	LANES="$${BOOT_FUZZ_LANES:-x86-svm arm64-vhe}" TESTS="guest_bootloop" \
		NO_UNIT=1 NO_SPARSE=1 LANE_TIMEOUT=$${LANE_TIMEOUT:-5400} bash scripts/check.sh

# GUEST=linux: the lane's own Linux kernel on the module, its shell on the terminal.
demo:
	GUEST="$(GUEST)" bash scripts/demo.sh

bench:
	bash scripts/bench.sh

# Path lengths only (no wall-clock boot), against the committed baseline.
# (create/destroy timings are left out: not gated, and slow in Bochs)
BENCH_GATE_ARGS ?= -n 1000 -r 3 --no-scale
bench-check:
	BENCH_NS=0 BENCH_GATE=check BENCH_ARGS="$(BENCH_GATE_ARGS)" bash scripts/bench.sh

bench-baseline:
	BENCH_NS=0 BENCH_GATE=update BENCH_ARGS="$(BENCH_GATE_ARGS)" bash scripts/bench.sh

# PROF_LANES (default x86-svm arm64-vhe), see scripts/README.md.
pathprof:
	bash scripts/pathprof.sh

# make install [DESTDIR=...] [PREFIX=/usr] [KDIR=...]: the module (the
# kernel's modules_install, under $(DESTDIR)/lib/modules), the uapi header,
# vcpuctl and its man page, the udev rule (/dev/vcpu root-only by default).
PREFIX ?= /usr
install: all
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=$(ARCH) \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	install -D -m 0644 include/uapi/linux/vcpu.h $(DESTDIR)$(PREFIX)/include/linux/vcpu.h
	install -D -m 0755 tools/vcpuctl/vcpuctl $(DESTDIR)$(PREFIX)/bin/vcpuctl
	install -D -m 0644 tools/vcpuctl/vcpuctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/vcpuctl.1
	install -D -m 0644 udev/60-vcpu.rules $(DESTDIR)/lib/udev/rules.d/60-vcpu.rules

clean: module-clean
	$(MAKE) -C tools/vcpuctl clean
	$(MAKE) -C selftests clean
	$(MAKE) -C tests/unit clean
	rm -rf build

.PHONY: all module module-clean tools selftests unit checkpatch check check-debug fuzz boot-fuzz demo bench bench-check bench-baseline pathprof install clean
