#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the same preparation as make demo (packages, kernel, module),
# then, per lane, boots whose /init loads the module and Debian's KVM (the
# lane's LANE_PEER_MODULES) and runs tools/vcpubench:
#   - the path-length boot: the emulator's guest clock counts instructions
#     (QEMU -icount, LANE_ICOUNT_ARGS; Bochs always), one CPU, vcpubench
#     --insn: every figure in instructions per round trip, deterministic;
#   - the wall-clock boot (QEMU lanes only, BENCH_NS=1, the default of
#     make bench): ordinary TCG with SMP CPUs, ns figures and the parallel
#     figure; informative only (they follow the load of this machine).
# Results:
#   build/bench/<lane>.{txt,json}      path lengths (the gated figures)
#   build/bench/<lane>-ns.{txt,json}   wall clock (informative)
#   build/bench/<lane>.png             module vs KVM (gnuplot, if present)
# Then scripts/bench_report.py prints the goals (ratios against KVM and
# the floor, memory per vCPU) and, with BENCH_GATE, compares the path
# lengths with the committed baseline (bench/baseline.json):
#   BENCH_GATE=check     fail on a figure over its allowance (make bench-check)
#   BENCH_GATE=update    write the baseline from this run (make bench-baseline)
#
# Knobs: BENCH_LANES (default: every lane), BENCH_ARGS (vcpubench options of
# the path-length boot, default "-n 1000 -r 3"), BENCH_NS_ARGS (the same for
# the wall-clock boot, default vcpubench's own), BENCH_NS (0: no wall-clock
# boot), LANE_TIMEOUT, SMP (wall-clock boot, default 2), MEM, SKIP_APT, BUILD.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_LANES=${BENCH_LANES:-x86-svm x86-vmx arm64-vhe}
LANE_TIMEOUT=${LANE_TIMEOUT:-900}
SMP_NS=${SMP:-2}
MEM=${MEM:-1024}
BENCH_ARGS=${BENCH_ARGS:--n 1000 -r 3}
BENCH_NS_ARGS=${BENCH_NS_ARGS:-}
BENCH_NS=${BENCH_NS:-1}
BENCH_GATE=${BENCH_GATE:-}
BASELINE=${BASELINE:-$TOP/bench/baseline.json}
OUTDIR=$BUILD/bench
# shellcheck disable=SC2034  # read by prepare_host (lib.sh)
NO_SPARSE=1
mkdir -p "$LOGDIR" "$OUTDIR"

# shellcheck disable=SC2086
prepare_host $BENCH_LANES
apt_ensure python3
if [ "$BENCH_NS" = 1 ] && ! command -v gnuplot >/dev/null; then
	apt_ensure gnuplot-nox || warn "gnuplot unavailable: no plot"
fi

# plot LANE: a bar chart (log scale) of the path lengths, module vs KVM.
plot() {
	local lane=$1 json=$OUTDIR/$1.json dat=$OUTDIR/$1.dat
	command -v gnuplot >/dev/null || return 0
	python3 - "$json" >"$dat" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k, f in d["figures"].items():
    if f["unit"] not in ("insns", "k insns"):
        continue
    m, v = f.get("vcpu"), f.get("kvm")
    val = lambda s: s["median"] if s and s["median"] > 0 else float("nan")
    print('"%s (%s)" %s %s' % (k.replace("_", " "), f["unit"], val(m), val(v)))
PY
	gnuplot <<GP
set terminal pngcairo size 1100,600 noenhanced font ",10"
set output "$OUTDIR/$lane.png"
set title "make bench, lane $lane, $(date -u +%F): path lengths, medians, log scale (lower is better)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "instructions (exits) / thousands (create, destroy)"
set xtics rotate by -30 scale 0
set key top left
set grid ytics
plot "$dat" using 2:xtic(1) title "vcpu module", "" using 3 title "KVM"
GP
}

# bench_boot LANE KIND OUT: one boot running vcpubench, KIND "insns" (the
# path-length boot) or "ns" (wall clock); the table and the JSON go to
# $OUTDIR/OUT.{txt,json}.  Returns non-zero when the boot or vcpubench
# failed (what went wrong is printed).
bench_boot() {
	local lane=$1 kind=$2 name=$3 dir root args log tap problems
	local smp=$SMP_NS extra=
	args="--lane $lane"
	if [ "$kind" = insns ]; then
		args+=" --insn $LANE_INSN_NS $BENCH_ARGS"
		smp=$LANE_INSN_SMP
		extra=$LANE_ICOUNT_ARGS
	else
		args+=" $BENCH_NS_ARGS"
	fi

	step "initramfs ($lane, bench, $kind)"
	dir=$BUILD/lanes/$lane-bench-$kind
	root=$dir/root
	initramfs_root "$root"
	cp "$out/$MODULE.ko" "$root/"
	cp "$out/vcpubench/vcpubench" "$root/bin/"
	# The path-length boot also boots the Linux guest to its prompt
	# (guest_linux): its boot time in the lane's instruction clock.
	if [ "$kind" = insns ] && [ -x "$out/vcpuctl/vcpuctl" ] && mkdir -p "$root/guest" &&
	   guest_kernel "$root/guest/vmlinuz"; then
		guest_initramfs "$root/guest/initrd.gz"
		cp "$out/vcpuctl/vcpuctl" "$root/bin/"
	fi
	initramfs_peers "$root"
	initramfs_init "$root" bench MODULE="$MODULE" PEER_MODULES="$PEERS" PEER_ARGS="$PEER_ARGS" \
		BENCH_ARGS="$args" \
		POWEROFF_DELAY="${LANE_POWEROFF_DELAY:-1}" KEEP=0 TAP_DEV="$LANE_TAP_DEV"
	initramfs_pack "$root" "$dir/initrd.gz"
	step_done

	log=$LOGDIR/bench-$name.log
	tap=$LOGDIR/bench-$name.tap
	step "boot ($lane): vcpubench, $kind, $smp CPU(s)${extra:+, $extra}"
	# shellcheck disable=SC2034  # read by the lane's lane_boot
	LANE_APPEND=${LANE_BENCH_APPEND:-$LANE_APPEND} LANE_ONE_BOOT=1 \
		SMP=$smp QEMU_EXTRA=$extra boot_lane check "$dir/initrd.gz" "$log" "$tap"
	[ -n "$LANE_TAP_DEV" ] || cp "$log" "$tap"
	note "emulator status $BOOT_RC, /init after ${BOOT_INIT_S:-never}s"
	step_done

	tr -d '\r' <"$tap" | sed -n '/^VCPUBENCH-TABLE-BEGIN$/,/^VCPUBENCH-TABLE-END$/p' |
		sed '1d;$d' >"$OUTDIR/$name.txt"
	tr -d '\r' <"$tap" | sed -n '/^VCPUBENCH-JSON-BEGIN$/,/^VCPUBENCH-JSON-END$/p' |
		sed '1d;$d' >"$OUTDIR/$name.json"
	[ -z "${LANE_BENCH_NOTE:-}" ] || echo "note: $LANE_BENCH_NOTE" >>"$OUTDIR/$name.txt"
	# The guest's boot to its prompt: nanoseconds of the lane's clock,
	# LANE_INSN_NS per instruction (QEMU icount also warps idle time in).
	tr -d '\r' <"$tap" | sed -n 's/^# vcpu-harness: guest_linux: prompt after \([0-9]*\) ns; exits: \(.*\)/\1 \2/p' |
		while read -r ns exits; do
			echo "linux guest, boot to its shell prompt: $((ns / ${LANE_INSN_NS:-1})) instructions of the lane's clock ($ns ns; 1 vCPU); exits: $exits"
		done >>"$OUTDIR/$name.txt"
	problems=$(console_problems "$log")
	if ! grep -q 'vcpu-harness: bench OK' "$log" || [ ! -s "$OUTDIR/$name.json" ] ||
	   [ -n "$problems" ]; then
		say "bench $lane ($kind): FAILED (console: $log)"
		[ -z "$problems" ] || printf '%s\n' "$problems" | sed 's/^/  | /'
		tail -n 30 "$log" | sed 's/^/  | /'
		rm -f "$OUTDIR/$name.json"
		return 1
	fi
	say ""
	say "bench $lane, $kind ($(date -u +%F)):"
	cat "$OUTDIR/$name.txt"
}

fails=0
done_lanes=
for lane in $BENCH_LANES; do
	load_lane "$lane"
	fl=$LANE_FLAVOUR

	step "build module and vcpubench ($fl)"
	build_lane_module bench
	src=$SRC out=$OUT
	build_static_tool "$src" "$out" vcpubench || die "vcpubench (see above)"
	# vcpuctl boots the Linux guest in the path-length boot.
	build_vcpuctl "$src" "$out" || die "vcpuctl (see above)"
	step_done

	rm -f "$OUTDIR/$lane.json" "$OUTDIR/$lane-ns.json"
	if bench_boot "$lane" insns "$lane"; then
		done_lanes+=" $lane"
		if [ "$BENCH_NS" = 1 ]; then
			plot "$lane" && [ -f "$OUTDIR/$lane.png" ] && note "plot: $OUTDIR/$lane.png"
		fi
		note "json: $OUTDIR/$lane.json"
	else
		fails=$((fails + 1))
	fi
	if [ "$BENCH_NS" = 1 ] && [ -n "$LANE_ICOUNT_ARGS" ]; then
		bench_boot "$lane" ns "$lane-ns" || fails=$((fails + 1))
	fi
done
print_timings

# The goals and, with BENCH_GATE, the baseline.
report=(python3 "$SCRIPTS/bench_report.py" --dir "$OUTDIR" --baseline "$BASELINE")
case "$BENCH_GATE" in
check) report+=(--check) ;;
update) report+=(--update) ;;
"") ;;
*) die "BENCH_GATE=$BENCH_GATE: check or update" ;;
esac
# shellcheck disable=SC2086
"${report[@]}" $done_lanes || fails=$((fails + 1))
[ "$fails" = 0 ]
