# SPDX-License-Identifier: GPL-2.0
#
# `make help` lists the targets.  `make` builds the module for the running
# kernel (KDIR= other headers, 6.1 or 6.12) and the tools.
KREL ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KREL)/build
ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
TOP := $(CURDIR)

# The tools first: they need no kernel headers.
all: tools module

help:
	@echo 'vcpu: targets (see README.md)'
	@echo '  make                 the module for the running kernel and the tools'
	@echo '                       (KDIR=/path/to/kernel/build for other headers)'
	@echo '  make module          the module only (vcpu.ko)'
	@echo '  make tools           vcpuctl and vcpubench (no kernel headers needed)'
	@echo '  make install         module (SIGN=1: signed), uapi header, vcpuctl, man page, udev rule'
	@echo '                       (DESTDIR=, PREFIX=/usr, KDIR=)'
	@echo '  make uninstall       remove what make install installed (same variables)'
	@echo '  make check           as root, network, disk (README): packages, builds,'
	@echo '                       unit tests, every emulated lane; "N passed, N failed"'
	@echo '  make check-debug     the x86-svm lane on a debug kernel (lockdep, KASAN)'
	@echo '  make demo            the x86-svm lane with a sample guest (GUEST=linux:'
	@echo '                       a Linux guest on the terminal; ARCH=arm64: arm64-vhe)'
	@echo '  make unit            host unit tests of the pure logic'
	@echo '  make selftests       the kselftest suite (static binaries for the lanes)'
	@echo '  make fuzz            fuzzer and chaos tests (FUZZ_SECONDS, default 600)'
	@echo '  make boot-fuzz       the Linux guest booted BOOTS times (default 100)'
	@echo '  make bench           path lengths and wall clock, module vs KVM'
	@echo '  make bench-check     path lengths against bench/baseline.json'
	@echo '  make bench-baseline  write bench/baseline.json (deliberate)'
	@echo '  make pathprof        one exit round trip, instruction by instruction'
	@echo '  make checkpatch      kernel style of the kernel-side sources'
	@echo '  make clean           build products (keeps downloaded kernels and sources)'
	@echo '  make distclean       everything under build/, downloads included'

# Without a kernel build tree kbuild's own error names a path, not a fix.
define vcpu_no_kdir
	echo "vcpu: no kernel build tree at $(KDIR)" >&2; \
	echo "vcpu: install the headers of the running kernel" \
	     "(Debian: apt-get install linux-headers-$(KREL))," >&2; \
	echo "vcpu: or pass KDIR=/path/to/linux-headers-<release> (6.1 or 6.12)." >&2; \
	echo "vcpu: the tools need no headers: make tools" >&2; \
	exit 2
endef

module:
	@[ -f "$(KDIR)/Makefile" ] || { $(vcpu_no_kdir); }
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=$(ARCH) modules

module-clean:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C $(KDIR) M=$(TOP) ARCH=$(ARCH) clean; \
	else \
		find . -path ./build -prune -o \( -name '*.o' -o -name '*.ko' \
			-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
			-o -name Module.symvers -o -name modules.order \) \
			-type f -print | xargs rm -f; \
	fi

tools:
	$(MAKE) -C tools/vcpuctl
	$(MAKE) -C tools/vcpubench

# The selftests as the lanes build them: kselftest's files from
# linux-source (make check extracts them), the uapi header from here.
KSFT_DIR ?= $(TOP)/build/linux-source/tools/testing/selftests
selftests:
	$(MAKE) -C selftests KSFT_DIR=$(KSFT_DIR) \
		KHDR_INCLUDES="-isystem $(TOP)/include/uapi"

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
# kernel's modules_install, under $(DESTDIR)/lib/modules/<release>/extra),
# the uapi header, vcpuctl and its man page, the udev rule (/dev/vcpu
# root-only by default).  make uninstall removes the same files.
PREFIX ?= /usr
# The release modules_install installs under: the headers' UTS_RELEASE
# (Debian's include/config/kernel.release holds the upstream version).
INSTALL_KREL = $(or $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
		 $(KDIR)/include/generated/utsrelease.h 2>/dev/null),$(KREL))
INSTALLED = $(PREFIX)/include/linux/vcpu.h $(PREFIX)/bin/vcpuctl \
	    $(PREFIX)/share/man/man1/vcpuctl.1 /lib/udev/rules.d/60-vcpu.rules
# The module is installed unsigned (distribution headers carry no signing
# key: their modules_install would fail to sign it, noisily) unless SIGN=1;
# DKMS signs it with the machine's MOK where Secure Boot needs that.
install: all
	$(MAKE) -C $(KDIR) M=$(TOP) ARCH=$(ARCH) \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) \
		$(if $(SIGN),,CONFIG_MODULE_SIG_ALL=) modules_install
	install -D -m 0644 include/uapi/linux/vcpu.h $(DESTDIR)$(PREFIX)/include/linux/vcpu.h
	install -D -m 0755 tools/vcpuctl/vcpuctl $(DESTDIR)$(PREFIX)/bin/vcpuctl
	install -D -m 0644 tools/vcpuctl/vcpuctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/vcpuctl.1
	install -D -m 0644 udev/60-vcpu.rules $(DESTDIR)/lib/udev/rules.d/60-vcpu.rules

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(INSTALL_KREL)/extra/vcpu.ko \
	      $(DESTDIR)/lib/modules/$(INSTALL_KREL)/extra/vcpu.ko.xz \
	      $(DESTDIR)/lib/modules/$(INSTALL_KREL)/extra/vcpu.ko.zst
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	$(if $(DESTDIR),,-depmod $(INSTALL_KREL))

# clean: build products, here and under build/; the downloaded kernels,
# headers and sources (build/kernel, build/linux-source, build/apt-bpo,
# build/apt-arm64) and the debug kernel built from them stay.
# distclean: all of build/ too (about 4 GB; the next make check downloads
# again).
clean: module-clean
	$(MAKE) -C tools/vcpuctl clean
	$(MAKE) -C tools/vcpubench clean
	@# (the selftests' build needs kselftest's lib.mk, which make check fetches)
	if [ -f build/linux-source/tools/testing/selftests/lib.mk ]; then \
		$(MAKE) -C selftests KSFT_DIR=$(KSFT_DIR) clean; fi
	$(MAKE) -C tests/unit clean
	rm -rf build/out build/src build/lanes build/logs build/bench \
		build/pathprof build/cache build/kselftest

distclean: clean
	rm -rf build

.PHONY: all help module module-clean tools selftests unit checkpatch check check-debug fuzz boot-fuzz demo bench bench-check bench-baseline pathprof install uninstall clean distclean
