#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of vcpuctl against fake_vcpu.so, a user-space model of the
# module (no virtualization needed).  Usage: run-tests.sh VCPUCTL FAKE_SO EXAMPLES_DIR
# Needs a dynamically linked vcpuctl (LD_PRELOAD).

VCPUCTL=$1
FAKE=$2
EX=$3
pass=0
fail=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect NAME STATUS STDERR-PATTERN SCENARIO ARGS...
expect() {
	name=$1 want=$2 pattern=$3 scenario=$4
	shift 4
	FAKE_VCPU_SCENARIO=$scenario LD_PRELOAD=$FAKE "$VCPUCTL" "$@" \
		>"$out" 2>"$err"
	got=$?
	if [ "$got" = "$want" ] && grep -q -e "$pattern" "$err" "$out"; then
		pass=$((pass + 1))
		echo "ok   $name (status $got)"
	else
		fail=$((fail + 1))
		echo "FAIL $name: status $got (want $want), pattern '$pattern'"
		sed 's/^/     | /' "$out" "$err" | tail -n 15
	fi
}

expect hello 0 'summary: 52 exits (HYPERCALL 1, MMIO_READ 1, MMIO_WRITE 1, IO_READ 24, IO_WRITE 25)' \
	hello run "$EX/hello.bin"
grep -qx 'Hello from a vcpu guest' "$out" || { echo "FAIL hello: stdout"; fail=$((fail + 1)); }
expect hello-trace 0 "exit #51 MMIO_READ addr=0xb8004 width=4 reg=rax -> 0x0" \
	hello run --trace "$EX/hello.bin"
expect hello64 0 'power off (hypercall 0)' \
	hello64 run --mode long64 --trace "$EX/hello64.bin"
expect hello64-bigmem 0 'page tables (CR3) 0x13fff9000' \
	hello64 run --mode long64 --mem 5G --trace "$EX/hello64.bin"
expect halt 0 'guest halted' halt run "$EX/hello.bin"
expect debug-exit 33 'debug exit (port 0xf4, value 0x10)' debugexit run "$EX/hello.bin"
expect ports 0 'exit #2 IO_READ port=0x71 width=4 -> 0xffffffff' \
	ports run --trace "$EX/hello.bin"
expect max-exits 4 'max-exits 5 reached' loop run --max-exits 5 "$EX/hello.bin"
expect halt-continue 4 'HALT 3' halt run --halt-continue --max-exits 3 "$EX/hello.bin"
expect spurious-eintr 0 'HALT 1, INTR 1' spurious-eintr run "$EX/hello.bin"
expect sigint 130 'interrupted by signal 2' sigint run "$EX/hello.bin"
expect fail-entry 3 'reason="VMRUN: VMEXIT_INVALID"' fail-entry run "$EX/hello.bin"
expect shutdown 2 'triple fault' shutdown run "$EX/hello.bin"
expect internal 3 'suberror=2 (DECODE) data=\[0xc0000000\] insn=\[0f 01 d9\]' \
	internal run "$EX/hello.bin"
expect npf 3 'gpa=0x2000 gva=0x0 access=-w-,present' npf run "$EX/hello.bin"
expect unknown-exit 3 'UNKNOWN(77)' unknown run "$EX/hello.bin"
expect run-error 1 'failed_op=VCPU_RUN errno=12' run-error run "$EX/hello.bin"
expect state 0 '12 checks, 0 failed' none state
api=$(sed -n 's/^#define VCPU_API_VERSION[[:space:]]*//p' \
	"$(dirname "$0")/../../../include/uapi/linux/vcpu.h")
expect version 0 "module API version: $api" none version
expect version-flag 0 "^vcpuctl [0-9.]* (API version $api)\$" none --version
expect version-short 0 "(API version $api)" none -V
expect mem-mib 0 'page tables (CR3) 0x13fff9000' \
	hello64 run --mode long64 -m 5120 --trace "$EX/hello64.bin"
expect kernel-mem-suffix 1 "invalid -m '100K': whole MiB" none run -k /dev/null -m 100K
expect kernel-mem-small 1 "invalid -m '32'" none run --kernel /dev/null --mem 32
expect mem-overflow 1 "invalid --mem '99999999999999999T'" hello run -m 99999999999999999T "$EX/hello.bin"
expect usage 1 'no IMAGE given' hello run
expect bad-size 1 "invalid --mem '2X'" hello run --mem 2X "$EX/hello.bin"
expect image-fit 1 'do not fit in guest memory' hello run --load-addr 0x9fff0 "$EX/hello.bin"

# list, stats and top on recorded debugfs trees, top under tmux.
sh "$(dirname "$0")/observe-tests.sh" "$VCPUCTL" >"$out" 2>&1
cat "$out"
obs=$(tail -n 1 "$out")
case $obs in
"observe: "*)
	set -- $obs
	pass=$((pass + $2)) fail=$((fail + $4)) ;;
*)	fail=$((fail + 1)); echo "FAIL observe-tests.sh: no summary" ;;
esac

echo "vcpuctl: $pass passed, $fail failed"
[ "$fail" = 0 ]
