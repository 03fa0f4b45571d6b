#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the same preparation as make check (packages, kernel, module,
# vcpuctl), then one boot of the x86-svm lane whose /init loads the module
# and runs `vcpuctl run --trace /examples/<guest>`, the console (and so the
# exit stream) on the terminal.  Exits 0 if vcpuctl succeeded and the kernel
# stayed clean.
#
# Knobs: GUEST=linux (the lane's own Linux kernel booted by `vcpuctl run
# --kernel`, its shell on the terminal), DEMO_GUEST (file name in vcpuctl's
# examples/; default the first of hello*, then the first file), DEMO_ARGS
# (default "run --trace"), LANE
# (default x86-svm, arm64-vhe with ARCH=arm64), LANE_TIMEOUT, SMP, MEM, APPEND, KEEP, SKIP_APT, BUILD.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ARCH=arm64 (make demo ARCH=arm64) picks the arm64-vhe lane.
if [ "${ARCH:-}" = arm64 ]; then LANE_NAME=${LANE:-arm64-vhe}; else LANE_NAME=${LANE:-x86-svm}; fi
LANE_TIMEOUT=${LANE_TIMEOUT:-300}
SMP=${SMP:-2}
MEM=${MEM:-512}
KEEP=${KEEP:-0}
DEMO_ARGS=${DEMO_ARGS:-run --trace}
# shellcheck disable=SC2034  # read by prepare_host (lib.sh)
NO_SPARSE=1
mkdir -p "$LOGDIR"

prepare_host "$LANE_NAME"
load_lane "$LANE_NAME"
fl=$LANE_FLAVOUR

step "build module and vcpuctl ($fl)"
build_lane_module demo
src=$SRC out=$OUT
build_vcpuctl "$src" "$out" || die "vcpuctl does not build (see above)"
examples=$out/vcpuctl/examples
[ -d "$examples" ] && [ -n "$(ls -A "$examples")" ] ||
	die "no sample guests: 'make -C tools/vcpuctl OUTPUT=<dir>' must put them in <dir>/examples/"
guest=${DEMO_GUEST:-}
[ "${GUEST:-}" = linux ] && guest=linux
if [ "$guest" = linux ]; then
	:
elif [ -z "$guest" ]; then
	guest=$(cd "$examples" && ls -d hello* 2>/dev/null | head -n 1 || true)
	[ -n "$guest" ] || guest=$(cd "$examples" && ls | head -n 1)
fi
[ "$guest" = linux ] || [ -e "$examples/$guest" ] ||
	die "no sample guest $guest in $examples ($(cd "$examples" && echo *))"
step_done

step "initramfs ($LANE_NAME, demo)"
dir=$BUILD/lanes/$LANE_NAME-demo
root=$dir/root
initramfs_root "$root"
cp "$out/$MODULE.ko" "$root/"
cp "$out/vcpuctl/vcpuctl" "$root/bin/"
cp -r "$examples/." "$root/examples/"
demo_guest=/examples/$guest
if [ "$guest" = linux ]; then
	mkdir -p "$root/guest"
	guest_kernel "$root/guest/vmlinuz" || die "no kernel image for the Linux guest in $KIMG_DIR/boot"
	guest_initramfs "$root/guest/initrd.gz"
	demo_guest=linux
fi
initramfs_init "$root" demo MODULE="$MODULE" DEMO_GUEST="$demo_guest" \
	DEMO_ARGS="$DEMO_ARGS" POWEROFF_DELAY="${LANE_POWEROFF_DELAY:-1}" KEEP="$([ -t 0 ] && echo "$KEEP" || echo 0)" \
	DEMO_TTY="$([ -t 0 ] && echo 1 || echo 0)" TAP_DEV=
initramfs_pack "$root" "$dir/initrd.gz"
step_done

log=$LOGDIR/demo-$LANE_NAME.log
step "boot ($LANE_NAME): $([ "$guest" = linux ] && echo "Linux on the module" || echo "vcpuctl $DEMO_ARGS /examples/$guest")"
boot_lane interactive "$dir/initrd.gz" "$log" "$log.tap"
rm -f "$log.tap"
step_done
grep -v "TCG doesn't support requested feature" "${log%.log}.qemu.log" || true

print_timings
problems=$(console_problems "$log")
if [ -n "$problems" ]; then
	say "demo: the kernel console shows:"
	printf '%s\n' "$problems" | sed 's/^/  | /'
fi
if grep -q 'vcpu-harness: demo OK' "$log" && [ -z "$problems" ]; then
	say "demo: OK (console log: $log)"
else
	say "demo: FAILED (console log: $log)"
	exit 1
fi
