#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make pathprof: where the instructions of one exit round trip go.  Per
# lane, one boot of the lane's stock Debian kernel under QEMU TCG with
# -icount shift=0,sleep=off, -smp 1 and the gdbstub.  The guest's /init
# (scripts/init/pathprof.sh) loads the module and Debian's KVM, sends
# /proc/kallsyms to the host and runs tools/pathprof/pathprof, which waits
# for the host's go byte; gdb (gdb-multiarch for arm64) attaches, breaks on
# pathprof's marker syscall and single-steps one VCPU_RUN / KVM_RUN round
# trip per scenario (tools/pathprof/pathprof_gdb.py); the report
# (tools/pathprof/pathprof_report.py) maps every PC to a function.
# Results:
#   build/pathprof/<lane>-<side>-<exit>.txt   side vcpu|kvm, exit user|kernel
#   build/pathprof/<lane>-summary.txt         the totals
#   build/pathprof/raw/<lane>/                traces, kallsyms, logs
#
# After pathprof, the same boot runs tools/vcpubench (PROF_BENCH=0 skips
# it): under icount its ns are instructions, the figures the totals are
# checked against (build/pathprof/<lane>-vcpubench.txt).
#
# Knobs: PROF_LANES (default x86-svm arm64-vhe), PROF_ARGS (pathprof
# options, e.g. "-w 1000 -k 4"), PROF_WINDOWS (round trips stepped per
# scenario, 1-4, default 3), PROF_BENCH (default 1), PROF_BENCH_ARGS
# (default "-n 1000 -r 3"), LANE_TIMEOUT (default 1800), MEM, SKIP_APT,
# BUILD.  x86-vmx (Bochs) is not supported: see scripts/README.md.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROF_LANES=${PROF_LANES:-x86-svm arm64-vhe}
PROF_LANES=${PROF_LANES//,/ }
PROF_ARGS=${PROF_ARGS:-}
PROF_WINDOWS=${PROF_WINDOWS:-3}
PROF_BENCH=${PROF_BENCH:-1}
PROF_BENCH_ARGS=${PROF_BENCH_ARGS:--n 1000 -r 3}
LANE_TIMEOUT=${LANE_TIMEOUT:-1800}
SMP=1          # under -icount, -smp 2 hangs at x86 AP bring-up; gdb steps one CPU
MEM=${MEM:-1024}
OUTDIR=$BUILD/pathprof
PROFDIR=$TOP/tools/pathprof
# shellcheck disable=SC2034  # read by prepare_host (lib.sh)
NO_SPARSE=1
mkdir -p "$LOGDIR" "$OUTDIR"

for lane in $PROF_LANES; do
	case $lane in
	x86-svm | arm64-vhe) ;;
	x86-vmx) die "pathprof: x86-vmx (Bochs) is not supported (no gdbstub in Debian's bochs)" ;;
	*) die "pathprof: unknown or unsupported lane $lane" ;;
	esac
done

# shellcheck disable=SC2086
prepare_host $PROF_LANES
step "packages (pathprof)"
gdbs="python3"
case " $PROF_LANES " in *" x86-svm "*) gdbs+=" gdb" ;; esac
case " $PROF_LANES " in *" arm64-vhe "*) gdbs+=" gdb-multiarch" ;; esac
# shellcheck disable=SC2086
apt_ensure $gdbs
step_done

# free_port: a free TCP port on localhost for the gdbstub.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# prof_qemu RAW PORT INITRD: the lane's QEMU under icount with the gdbstub,
# in the background (sets QEMU_PID).  The data port (x86: the second
# serial port; arm64: the only one, the console) is a pair of FIFOs,
# RAW/data.in and RAW/data.out.
prof_qemu() {
	local raw=$1 port=$2 initrd=$3 errlog=$1/qemu.log
	local icount=(-icount "shift=0,sleep=off") gdbstub=(-gdb "tcp:127.0.0.1:$port")
	case $LANE in
	x86-svm)
		timeout -k 5 "$LANE_TIMEOUT" qemu-system-x86_64 \
			-accel tcg -cpu "$LANE_CPU" -m "$MEM" -smp "$SMP" "${icount[@]}" \
			-nodefaults -display none -no-reboot \
			-serial "file:$raw/console.log" -serial "pipe:$raw/data" "${gdbstub[@]}" \
			-kernel "$LANE_KERNEL" -initrd "$initrd" \
			-append "$LANE_APPEND ${APPEND:-}" 2>"$errlog" &
		;;
	arm64-vhe)
		# KVM must initialise (LANE_BENCH_APPEND, as make bench has it).
		timeout -k 5 "$LANE_TIMEOUT" qemu-system-aarch64 \
			-M virt,virtualization=on,gic-version=3 -accel tcg \
			-cpu "$LANE_CPU" -m "$MEM" -smp "$SMP" "${icount[@]}" \
			-nodefaults -display none -no-reboot \
			-serial "pipe:$raw/data" "${gdbstub[@]}" \
			-kernel "$LANE_KERNEL" -initrd "$initrd" \
			-append "${LANE_BENCH_APPEND:-$LANE_APPEND} ${APPEND:-}" 2>"$errlog" &
		;;
	esac
	QEMU_PID=$!
}

# wait_for FILE PATTERN SECONDS: until FILE has a line matching PATTERN,
# QEMU is gone, or SECONDS passed.
wait_for() {
	local file=$1 pat=$2 t=$3 i=0
	while ! grep -q -- "$pat" "$file" 2>/dev/null; do
		kill -0 "$QEMU_PID" 2>/dev/null || return 1
		[ "$i" -lt $((t * 10)) ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

fails=0
for lane in $PROF_LANES; do
	load_lane "$lane"
	fl=$LANE_FLAVOUR
	raw=$OUTDIR/raw/$lane
	gdbbin=gdb
	[ "$KARCH" = arm64 ] && gdbbin=gdb-multiarch

	step "build module and pathprof ($fl)"
	build_lane_module pathprof
	src=$SRC out=$OUT
	build_static_tool "$src" "$out" pathprof || die "pathprof (see above)"
	if [ "$PROF_BENCH" = 1 ]; then
		build_static_tool "$src" "$out" vcpubench || die "vcpubench (see above)"
	fi
	step_done

	step "initramfs ($lane, pathprof)"
	dir=$BUILD/lanes/$lane-pathprof
	root=$dir/root
	initramfs_root "$root"
	cp "$out/$MODULE.ko" "$root/"
	cp "$out/pathprof/pathprof" "$root/bin/"
	[ "$PROF_BENCH" != 1 ] || cp "$out/vcpubench/vcpubench" "$root/bin/"
	initramfs_peers "$root"
	waitdev=${LANE_TAP_DEV:-/dev/ttyAMA0}
	initramfs_init "$root" pathprof MODULE="$MODULE" PEER_MODULES="$PEERS" PEER_ARGS="$PEER_ARGS" \
		PATHPROF_ARGS="$PROF_ARGS" WAIT_DEV="$waitdev" \
		BENCH_ARGS="--lane $lane $PROF_BENCH_ARGS" \
		POWEROFF_DELAY=1 KEEP=0 TAP_DEV="$LANE_TAP_DEV"
	initramfs_pack "$root" "$dir/initrd.gz"
	step_done

	step "boot ($lane): kallsyms, then gdb steps the round trips"
	rm -rf "$raw"
	mkdir -p "$raw"
	mkfifo "$raw/data.in" "$raw/data.out"
	: >"$raw/data.log"
	cat "$raw/data.out" >"$raw/data.log" &
	catpid=$!
	port=$(free_port)
	prof_qemu "$raw" "$port" "$dir/initrd.gz"
	ok=1
	if ! wait_for "$raw/data.log" '^PATHPROF-WAIT' "$LANE_TIMEOUT"; then
		say "pathprof $lane: the guest never reached PATHPROF-WAIT"
		ok=0
	fi
	if [ "$ok" = 1 ]; then
		tr -d '\r' <"$raw/data.log" | sed -n '/^PATHPROF-KALLSYMS-BEGIN/,/^PATHPROF-KALLSYMS-END/p' >"$raw/kallsyms.b64"
		sum=$(head -n 1 "$raw/kallsyms.b64" | cut -d' ' -f2)
		sed '1d;$d' "$raw/kallsyms.b64" | base64 -d >"$raw/kallsyms.gz"
		if [ "$(md5sum <"$raw/kallsyms.gz" | cut -d' ' -f1)" != "$sum" ]; then
			say "pathprof $lane: kallsyms damaged on the way (md5 mismatch)"
			ok=0
		else
			gunzip -c "$raw/kallsyms.gz" >"$raw/kallsyms"
			rm -f "$raw/kallsyms.b64" "$raw/kallsyms.gz"
			note "kallsyms: $(wc -l <"$raw/kallsyms") symbols, $(grep -c '\[' "$raw/kallsyms") in modules"
		fi
	fi
	if [ "$ok" = 1 ]; then
		if [ "$KARCH" = arm64 ]; then msym=__arm64_sys_sched_get_priority_min; else msym=__x64_sys_sched_get_priority_min; fi
		marker=$(awk -v s="$msym" '$3 == s { print $1; exit }' "$raw/kallsyms")
		[ -n "$marker" ] || { say "pathprof $lane: no $msym in kallsyms"; ok=0; }
	fi
	if [ "$ok" = 1 ]; then
		note "gdb: marker $msym at 0x$marker, gdbstub port $port"
		PATHPROF_ARCH=$KARCH PATHPROF_PORT=$port PATHPROF_MARKER=$marker \
			PATHPROF_GO=$raw/data.in PATHPROF_OUT=$raw PATHPROF_WINDOWS=$PROF_WINDOWS \
			timeout -k 5 "$LANE_TIMEOUT" "$gdbbin" -batch -nx -x "$PROFDIR/pathprof_gdb.py" \
			>"$raw/gdb.log" 2>&1 || ok=0
		grep '^pathprof-gdb:' "$raw/gdb.log" | sed 's/^/    /' || true
	fi
	if ! wait "$QEMU_PID"; then
		[ "$ok" = 0 ] || say "pathprof $lane: QEMU exited with an error (see $raw/qemu.log)"
	fi
	# cat ends with QEMU (the FIFO's last writer); if QEMU never opened
	# the FIFO, cat is still blocked in open: end it.
	sleep 0.5
	kill "$catpid" 2>/dev/null || true
	wait "$catpid" 2>/dev/null || true
	rm -f "$raw/data.in" "$raw/data.out"
	[ -f "$raw/console.log" ] || cp "$raw/data.log" "$raw/console.log"
	step_done

	problems=$(console_problems "$raw/console.log")
	if [ -n "$problems" ]; then
		say "pathprof $lane: the kernel console shows:"
		printf '%s\n' "$problems" | sed 's/^/  | /'
		ok=0
	fi
	bench=
	if [ "$PROF_BENCH" = 1 ]; then
		tr -d '\r' <"$raw/data.log" | sed -n '/^VCPUBENCH-TABLE-BEGIN$/,/^VCPUBENCH-TABLE-END$/p' |
			sed '1d;$d' >"$OUTDIR/$lane-vcpubench.txt"
		tr -d '\r' <"$raw/data.log" | sed -n '/^VCPUBENCH-JSON-BEGIN$/,/^VCPUBENCH-JSON-END$/p' |
			sed '1d;$d' >"$raw/vcpubench.json"
		if [ -s "$raw/vcpubench.json" ]; then
			bench=$raw/vcpubench.json
		else
			say "pathprof $lane: vcpubench gave no figures (see $raw/data.log)"
		fi
	fi
	if [ "$ok" = 1 ]; then
		step "report ($lane)"
		"${CROSS}nm" -n "$out/pathprof/pathprof" >"$raw/pathprof.nm"
		"${CROSS}nm" -S "$out/$MODULE.ko" >"$raw/$MODULE.nm"
		python3 "$PROFDIR/pathprof_report.py" --lane "$lane" --arch "$KARCH" \
			--kallsyms "$raw/kallsyms" --user-nm "$raw/pathprof.nm" \
			--module-nm "$MODULE:$raw/$MODULE.nm" ${bench:+--bench "$bench"} \
			--traces "$raw" --out "$OUTDIR" || ok=0
		step_done
	fi
	if [ "$ok" = 1 ]; then
		say ""
		cat "$OUTDIR/$lane-summary.txt"
	else
		say "pathprof $lane: FAILED (logs: $raw)"
		tail -n 20 "$raw/console.log" 2>/dev/null | sed 's/^/  | /'
		fails=$((fails + 1))
	fi
done
print_timings
[ "$fails" = 0 ]
