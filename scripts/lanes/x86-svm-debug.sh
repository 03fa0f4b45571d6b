# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Lane x86-svm-debug (`make check-debug`; opt-in, not among `make check`'s
# lanes): the x86-svm lane (QEMU TCG, -cpu EPYC, the whole selftest suite)
# on a debug kernel built from Debian's linux-source-6.1 with lockdep
# (PROVE_LOCKING, PROVE_RCU), DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT, KASAN and
# kmemleak (scripts/debug-kernel.sh, scripts/debug-kernel.config; built
# once, cached under $BUILD/debug-kernel).  The module is built out of tree
# against that kernel's tree (build flavour x86_64-debug); the peer KVM
# modules come from the same build.  See scripts/lanes/x86-svm.sh for the
# lane interface.
#
# /init (scripts/init/check.sh) sees lockdep and kmemleak: before rmmod it
# prints where the module's code sections are, after it two more steps,
# "lockdep still active" and a kmemleak scan whose report it prints between
# markers.  The lane fails (lane_console_problems)
# on anything lib.sh's CONSOLE_BAD catches, on any lockdep, RCU,
# atomic-sleep, preemption or KASAN report, on a kmemleak leak whose
# backtrace runs through the module (leaks elsewhere are only counted), and
# when the boot log does not show all three checkers initialised.

LANE_OPT_IN=1
LANE_FLAVOUR=x86_64-debug
LANE_PKGS="qemu-system-x86 xz-utils flex bison bc libelf-dev"
LANE_CPU=${LANE_CPU:-EPYC}
# No "quiet": the boot log proves that the checkers are on, and a boot-time
# warning is seen.
LANE_APPEND="console=ttyS0 panic=-1"
LANE_TAP_DEV=/dev/ttyS1
# The emulated CPU is x86-svm's: so are its known faults.
LANE_QUIRKS=$(sed -n 's/^LANE_QUIRKS="\(.*\)"$/\1/p' "$SCRIPTS/lanes/x86-svm.sh")
# The debug kernel's own KVM (no CCP/SEV in it: kvm-amd needs no ccp).
LANE_PEER_MODULES="kernel/virt/lib/irqbypass.ko kernel/arch/x86/kvm/kvm.ko
kernel/arch/x86/kvm/kvm-amd.ko"
# KASAN's shadow and kmemleak's metadata need memory: at least this much.
LANE_MIN_MEM=1024

# shellcheck source=scripts/debug-kernel.sh
. "$SCRIPTS/debug-kernel.sh"

# The Linux guest step (guest_linux) boots quietly here: on the debug
# kernel each console line costs more; uname, nproc, the interrupts and
# the tail of dmesg still show.
LANE_GUEST_APPEND="console=ttyS0 quiet"
# The guest is Debian's 6.1 kernel: what this lane checks is the host (the
# module under lockdep, KASAN and kmemleak while a real guest runs); a
# KASAN guest would only be minutes slower.
LANE_GUEST_FLAVOUR=amd64

lane_prepare() {
	debug_kernel
	# The bzImage (gzip): this kernel's vmlinux does not boot through its
	# PVH note (QEMU exits at once, no output; KASAN's early set-up?).
	LANE_KERNEL=$DEBUG_BZIMAGE
	# check.sh takes the peer modules from $KIMG_DIR/lib/modules/*/.
	KIMG_DIR=$DEBUG_MODDIR
}

lane_boot() {
	local mem=${MEM:-512}
	[ "$mem" -ge "$LANE_MIN_MEM" ] || mem=$LANE_MIN_MEM
	x86_qemu_boot "$1" "$2" "$3" "$4" "$mem"
}

# Reports of the debug kernel's checkers.  Most begin with "WARNING:" or
# "BUG:" (in CONSOLE_BAD already); listed by their own words so that none
# is missed whatever its first line.
DEBUG_CONSOLE_BAD='possible circular locking|possible recursive locking|inconsistent lock state|possible irq lock inversion|suspicious RCU usage|bad unlock balance|held lock freed|lock held when returning to user space|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|trying to register non-static key|sleeping function called from invalid context|scheduling while atomic|smp_processor_id\(\) in preemptible|BUG: KASAN'

# The boot lines that prove each checker is on.
DEBUG_ACTIVE_LINES=("Lock dependency validator" "KernelAddressSanitizer initialized"
	"kmemleak: Kernel memory leak detector initialized")

# debug_module_ranges LOG KO: "lo:hi" (16 hex digits each, hi exclusive) of
# each code section of the module, from the addresses /init printed before
# rmmod ("# vcpu-harness: section NAME 0x...") and the sizes in KO.
debug_module_ranges() {
	local log=$1 ko=$2 name addr size
	[ -f "$ko" ] || return 0
	tr -d '\r' <"$log" | sed -n 's/^# vcpu-harness: section \([^ ]*\) \(0x[0-9a-f]*\)$/\1 \2/p' |
		while read -r name addr; do
			size=$(readelf -SW "$ko" | sed 's/^ *\[ *[0-9]*\] *//' |
				awk -v n="$name" '$1 == n { print $5; exit }')
			[ -n "$size" ] || continue
			printf '%016x:%016x\n' "$addr" $((addr + 0x$size))
		done | sort -u | tr '\n' ' '
}

# lane_console_problems LOG: "LINE:text" per problem (see console_problems).
# kmemleak's "N new suspected memory leaks" line does not fail the lane by
# itself: each leak of the report between the /init markers does when a
# frame of its backtrace is in the module, by name ("[vcpu]", while it was
# loaded) or by address (a raw address in one of its code sections: symbols
# are gone after the unload; init code is gone after the load).
lane_console_problems() {
	local log=$1 ranges w out total n
	ranges=$(debug_module_ranges "$log" "$BUILD/out/$LANE_FLAVOUR/$MODULE.ko")
	out=$(tr -d '\r' <"$log" | awk -v bad="$CONSOLE_BAD|$DEBUG_CONSOLE_BAD" \
		-v mod="[$MODULE]" -v ranges="$ranges" '
	BEGIN { nr = split(ranges, r, " ") }
	function ours(a,   i) {
		for (i = 1; i <= nr; i++)
			if (a >= substr(r[i], 1, 16) && a < substr(r[i], 18, 16))
				return 1
		return 0
	}
	function flush() {
		if (rec != "" && hit)
			printf "%d:kmemleak: leak in %s: %s (backtrace: %s)\n", recnr, mod, rec, hitframe
		rec = ""; hit = 0
	}
	/vcpu-harness: kmemleak report begin/ { dump = 1; next }
	/vcpu-harness: kmemleak report end/ { flush(); dump = 0; next }
	dump {
		if ($0 ~ /^unreferenced object/) { flush(); rec = $0; recnr = NR; next }
		if (rec == "" || hit) next
		if (index($0, mod)) { hit = 1; hitframe = $0; sub(/^ +/, "", hitframe); next }
		if (match($0, /\] 0x[0-9a-f]+$/)) {
			a = substr($0, RSTART + 4)
			if (length(a) == 16 && ours(a)) {
				hit = 1; hitframe = $0; sub(/^ +/, "", hitframe)
			}
		}
		next
	}
	/kmemleak: [0-9]+ new suspected memory leaks/ { next }
	/^guest\| / { next }	# the Linux guest console: its own step judges it
	$0 ~ bad { print NR ":" $0 }
	END { flush() }
	')
	[ -z "$out" ] || printf '%s\n' "$out"
	# Leaks outside the module (the kernel's own) are reported, not failed.
	total=$(tr -d '\r' <"$log" | awk '/vcpu-harness: kmemleak report begin/ { d = 1; next }
		/vcpu-harness: kmemleak report end/ { d = 0 } d && /^unreferenced object/ { n++ }
		END { print n + 0 }')
	n=$(grep -c ':kmemleak: leak in ' <<<"$out" || true)
	if [ "$total" -gt "$n" ]; then
		note "kmemleak: $((total - n)) suspected leak(s) outside $MODULE (not failures; see $log)" >&2
	fi
	for w in "${DEBUG_ACTIVE_LINES[@]}"; do
		grep -qF "$w" "$log" || echo "1:debug kernel: no \"$w\" in the boot log: that checker is not active"
	done
	return 0
}
