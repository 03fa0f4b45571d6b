#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the same preparation as make demo (packages, kernel, module),
# then, per lane, one boot whose /init loads the module and Debian's KVM
# (the lane's LANE_PEER_MODULES) and runs tools/vcpubench.  Results:
#   build/bench/<lane>.txt   the table
#   build/bench/<lane>.json  the same data
#   build/bench/<lane>.png   module vs KVM (gnuplot, installed if missing)
# Not part of make check.  Only ratios within one boot mean anything (TCG).
#
# Knobs: BENCH_LANES (default: every lane), BENCH_ARGS (vcpubench options, e.g. "-n 4000 -r 7"), LANE_TIMEOUT,
# SMP (default 2: the parallel figure needs it), MEM, SKIP_APT, BUILD.

set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_LANES=${BENCH_LANES:-x86-svm x86-vmx arm64-vhe}
LANE_TIMEOUT=${LANE_TIMEOUT:-900}
SMP=${SMP:-2}
MEM=${MEM:-1024}
BENCH_ARGS=${BENCH_ARGS:-}
OUTDIR=$BUILD/bench
# shellcheck disable=SC2034  # read by prepare_host (lib.sh)
NO_SPARSE=1
mkdir -p "$LOGDIR" "$OUTDIR"

# shellcheck disable=SC2086
prepare_host $BENCH_LANES
if ! command -v gnuplot >/dev/null; then
	apt_ensure gnuplot-nox || warn "gnuplot unavailable: no plot"
fi

# plot LANE: a bar chart (log scale) of the timing figures, module vs KVM.
plot() {
	local lane=$1 json=$OUTDIR/$1.json dat=$OUTDIR/$1.dat
	command -v gnuplot >/dev/null || return 0
	command -v python3 >/dev/null || { warn "python3 missing: no plot"; return 0; }
	python3 - "$json" >"$dat" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k, f in d["figures"].items():
    if f["unit"] not in ("ns", "us"):
        continue
    m, v = f.get("vcpu"), f.get("kvm")
    val = lambda s: s["median"] if s and s["median"] > 0 else float("nan")
    print('"%s (%s)" %s %s' % (k.replace("_", " "), f["unit"], val(m), val(v)))
PY
	gnuplot <<GP
set terminal pngcairo size 1100,600 noenhanced font ",10"
set output "$OUTDIR/$lane.png"
set title "make bench, lane $lane, $(date -u +%F): medians, log scale (lower is better)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel "ns (exits) / us (create, destroy)"
set xtics rotate by -30 scale 0
set key top left
set grid ytics
plot "$dat" using 2:xtic(1) title "vcpu module", "" using 3 title "KVM"
GP
}

fails=0
for lane in $BENCH_LANES; do
	load_lane "$lane"
	fl=$LANE_FLAVOUR
	src=$BUILD/src/bench-$fl
	out=$BUILD/out/bench-$fl
	kdir=${FLAVOUR_KDIR:-/usr/src/linux-headers-$KABI-$KFLAVOUR}

	step "build module and vcpubench ($fl)"
	snapshot_tree "$src"
	rm -rf "$out"
	build_module "$src" "$out" "$kdir" || die "the module does not build (see above)"
	run_logged "$LOGDIR/vcpubench-$KARCH.log" make -C "$src/tools/vcpubench" \
		OUTPUT="$out/vcpubench" CC="$TCC" STATIC=1 ARCH="$KARCH" \
		${CROSS:+CROSS_COMPILE=$CROSS} || die "vcpubench does not build"
	is_static "$out/vcpubench/vcpubench" || die "vcpubench is not static"
	step_done

	step "initramfs ($lane, bench)"
	dir=$BUILD/lanes/$lane-bench
	root=$dir/root
	initramfs_root "$root"
	cp "$out/$MODULE.ko" "$root/"
	cp "$out/vcpubench/vcpubench" "$root/bin/"
	peers=
	for m in ${LANE_PEER_MODULES:-}; do
		m=$(echo "$KIMG_DIR"/lib/modules/*/"$m")
		[ -f "$m" ] || die "peer module $m missing from the kernel package"
		mkdir -p "$root/lib/peer"
		cp "$m" "$root/lib/peer/"
		peers="$peers ${m##*/}"
	done
	initramfs_init "$root" bench MODULE="$MODULE" PEER_MODULES="${peers# }" \
		BENCH_ARGS="--lane $lane $BENCH_ARGS" \
		POWEROFF_DELAY="${LANE_POWEROFF_DELAY:-1}" KEEP=0 TAP_DEV="$LANE_TAP_DEV"
	initramfs_pack "$root" "$dir/initrd.gz"
	step_done

	log=$LOGDIR/bench-$lane.log
	tap=$LOGDIR/bench-$lane.tap
	step "boot ($lane): vcpubench"
	# shellcheck disable=SC2034  # read by the lane's lane_boot
	LANE_APPEND=${LANE_BENCH_APPEND:-$LANE_APPEND} LANE_ONE_BOOT=1 \
		boot_lane check "$dir/initrd.gz" "$log" "$tap"
	[ -n "$LANE_TAP_DEV" ] || cp "$log" "$tap"
	note "emulator status $BOOT_RC, /init after ${BOOT_INIT_S:-never}s"
	step_done

	tr -d '\r' <"$tap" | sed -n '/^VCPUBENCH-TABLE-BEGIN$/,/^VCPUBENCH-TABLE-END$/p' |
		sed '1d;$d' >"$OUTDIR/$lane.txt"
	tr -d '\r' <"$tap" | sed -n '/^VCPUBENCH-JSON-BEGIN$/,/^VCPUBENCH-JSON-END$/p' |
		sed '1d;$d' >"$OUTDIR/$lane.json"
	[ -z "${LANE_BENCH_NOTE:-}" ] || echo "note: $LANE_BENCH_NOTE" >>"$OUTDIR/$lane.txt"
	problems=$(console_problems "$log")
	if ! grep -q 'vcpu-harness: bench OK' "$log" || [ ! -s "$OUTDIR/$lane.json" ] || [ -n "$problems" ]; then
		say "bench $lane: FAILED (console: $log)"
		[ -z "$problems" ] || printf '%s\n' "$problems" | sed 's/^/  | /'
		tail -n 30 "$log" | sed 's/^/  | /'
		fails=$((fails + 1))
		continue
	fi
	say ""
	say "bench $lane ($(date -u +%F)):"
	cat "$OUTDIR/$lane.txt"
	plot "$lane" && [ -f "$OUTDIR/$lane.png" ] && note "plot: $OUTDIR/$lane.png"
	note "json: $OUTDIR/$lane.json"
done
print_timings
[ "$fails" = 0 ]
